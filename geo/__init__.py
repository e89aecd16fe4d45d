"""routemap.geo: what exists in the world and what a scenario says happened (places, networks, loading)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from routemap.lazy import lazy_exports

if TYPE_CHECKING:
    from routemap.errors import (
        NetworkDataError,
        OutputError,
        PlaceError,
        Problem,
        RouteMapError,
        ScenarioError,
        UnroutableLegError,
    )
    from routemap.geo.gazetteer import Gazetteer, load_gazetteer
    from routemap.geo.model import Annotation, Leg, Period, Place, Quantity, Scenario, Source, Transfer
    from routemap.geo.scenario import bundled_scenario_path, load_scenario, parse_scenario

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
                     "ScenarioError", "UnroutableLegError"], "routemap.errors"),
    **dict.fromkeys(["Gazetteer", "load_gazetteer"], "routemap.geo.gazetteer"),
    **dict.fromkeys(["Annotation", "Leg", "Period", "Place", "Quantity", "Scenario", "Source", "Transfer"],
                    "routemap.geo.model"),
    **dict.fromkeys(["bundled_scenario_path", "load_scenario", "parse_scenario"], "routemap.geo.scenario"),
})
