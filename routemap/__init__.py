"""routemap: publicly reported logistics turned into cited, publishable maps.

The public API, loaded on first use so that ``import routemap`` stays light::

    from routemap import load_scenario, build, write
    write(build(load_scenario("my.yaml")), "out")
    write(build(load_scenario("my.yaml")), "out-fr", language="fr")   # every word in French
    write_languages(build(load_scenario("my.yaml")), "out", ["en", "fr"])  # out/en/, out/fr/

Without a language, a build is in the scenario's ``language`` (English if it names none);
``available_languages()`` lists the codes routemap writes.

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
    from routemap.maps.language import LanguageError, available_languages
    from routemap.maps.options import RenderOptions
    from routemap.maps.output import write, write_languages
    from routemap.maps.web.html import make_map
    from routemap.routes.builder import build
    from routemap.routes.routeset import RouteSet

__version__ = version()

__all__ = [
    "LanguageError",
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
    "available_languages",
    "build",
    "bundled_scenario_path",
    "load_scenario",
    "make_map",
    "write",
    "write_languages",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["NetworkDataError", "OutputError", "PlaceError", "Problem", "RenderError", "RouteMapError",
                     "ScenarioError", "UnroutableLegError"], "routemap.errors"),
    **dict.fromkeys(["bundled_scenario_path", "load_scenario"], "routemap.geo.scenario"),
    **dict.fromkeys(["LanguageError", "available_languages"], "routemap.maps.language"),
    "RenderOptions": "routemap.maps.options",
    **dict.fromkeys(["write", "write_languages"], "routemap.maps.output"),
    "make_map": "routemap.maps.web.html",
    "build": "routemap.routes.builder",
    "RouteSet": "routemap.routes.routeset",
})
