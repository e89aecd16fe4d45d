"""routemap: publicly reported logistics turned into cited, publishable maps.

The public API, loaded on first use so that ``import routemap`` stays light::

    from routemap import load_scenario, build, write
    write(build(load_scenario("my.yaml")), "out")

The layers live in ``routemap.geo`` (places, networks, the scenario), ``routemap.routes`` (legs
become geometry) and ``routemap.maps`` (web map, slides, GIS files).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from routemap.about import version
from routemap.lazy import lazy_exports

if TYPE_CHECKING:
    from routemap.errors import (
        NetworkDataError,
        OutputError,
        PlaceError,
        Problem,
        RenderError,
        RouteMapError,
        ScenarioError,
        UnroutableLegError,
    )
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.maps.options import RenderOptions
    from routemap.maps.output import write
    from routemap.maps.web.html import make_map
    from routemap.routes.builder import build
    from routemap.routes.routeset import RouteSet

__version__ = version()

__all__ = [
    "NetworkDataError",
    "OutputError",
    "PlaceError",
    "Problem",
    "RenderError",
    "RenderOptions",
    "RouteMapError",
    "RouteSet",
    "ScenarioError",
    "UnroutableLegError",
    "build",
    "bundled_scenario_path",
    "load_scenario",
    "make_map",
    "write",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["NetworkDataError", "OutputError", "PlaceError", "Problem", "RenderError", "RouteMapError",
                     "ScenarioError", "UnroutableLegError"], "routemap.errors"),
    **dict.fromkeys(["bundled_scenario_path", "load_scenario"], "routemap.geo.scenario"),
    "RenderOptions": "routemap.maps.options",
    "write": "routemap.maps.output",
    "make_map": "routemap.maps.web.html",
    "build": "routemap.routes.builder",
    "RouteSet": "routemap.routes.routeset",
})
