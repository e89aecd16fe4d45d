"""maps: what people see and what GIS tools read (HTML map, slides, deck, GIS exports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
    from maps.deck import render_deck
    from maps.export import render_csv, render_geojson, render_gpkg, render_kml, render_kmz
    from maps.html import make_map, render_html
    from maps.output import DEFAULT_FORMATS, FORMATS, RenderOptions, render_outputs, write
    from maps.slide import render_slides

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "RenderOptions",
    "make_map",
    "render_csv",
    "render_deck",
    "render_geojson",
    "render_gpkg",
    "render_html",
    "render_kml",
    "render_kmz",
    "render_outputs",
    "render_slides",
    "write",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "render_deck": "maps.deck",
    **dict.fromkeys(["render_csv", "render_geojson", "render_gpkg", "render_kml", "render_kmz"], "maps.export"),
    **dict.fromkeys(["make_map", "render_html"], "maps.html"),
    **dict.fromkeys(["DEFAULT_FORMATS", "FORMATS", "RenderOptions", "render_outputs", "write"], "maps.output"),
    "render_slides": "maps.slide",
})
