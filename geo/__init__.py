"""geo: what exists in the world and what a scenario says happened (places, networks, loading)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
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

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["NetworkDataError", "OutputError", "PlaceError", "Problem", "RouteMapError",
                     "ScenarioError", "UnroutableLegError"], "geo.errors"),
    **dict.fromkeys(["Gazetteer", "load_gazetteer"], "geo.gazetteer"),
    **dict.fromkeys(["Annotation", "Leg", "Period", "Place", "Quantity", "Scenario", "Source", "Transfer"],
                    "geo.model"),
    **dict.fromkeys(["bundled_scenario_path", "load_scenario", "parse_scenario"], "geo.scenario"),
})
