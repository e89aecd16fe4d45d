"""geo: what exists in the world and what a scenario says happened (places, networks, loading)."""

from geo.errors import (
    NetworkDataError,
    OutputError,
    PlaceError,
    Problem,
    RouteMapError,
    ScenarioError,
    UnroutableLegError,
)
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.model import Annotation, Leg, Period, Place, Quantity, Scenario, Source, Transfer
from geo.scenario import bundled_scenario_path, load_scenario, parse_scenario

__all__ = [
    "Annotation",
    "Gazetteer",
    "Leg",
    "NetworkDataError",
    "OutputError",
    "Period",
    "Place",
    "PlaceError",
    "Problem",
    "Quantity",
    "RouteMapError",
    "Scenario",
    "ScenarioError",
    "Source",
    "Transfer",
    "UnroutableLegError",
    "bundled_scenario_path",
    "load_gazetteer",
    "load_scenario",
    "parse_scenario",
]
