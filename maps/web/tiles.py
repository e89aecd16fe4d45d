"""Online tile layers the HTML map offers as optional overlays (off by default)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["TILE_HOSTS", "TILE_SOURCES", "TileSource"]


@dataclass(frozen=True)
class TileSource:
    """A slippy-map tile service: its URL template, who must be credited, how far it zooms.

    ``attribution`` is trusted HTML written here (links to the licences), never scenario text.
    """

    name: str
    url: str
    attribution: str
    max_zoom: int
    subdomains: str = ""


TILE_SOURCES: tuple[TileSource, ...] = (
    TileSource(
        "OpenStreetMap (online)",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
        " contributors, ODbL",
        19,
    ),
    TileSource(
        "CARTO light (online)",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
        ' contributors &copy; <a href="https://carto.com/attributions">CARTO</a>',
        20,
        "abcd",
    ),
    TileSource(
        "Esri World Imagery (online)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/"
        "{z}/{y}/{x}",
        "Tiles &copy; Esri &mdash; Source: Esri, Maxar, Earthstar Geographics, and the GIS"
        " User Community",
        19,
    ),
)

TILE_HOSTS: tuple[str, ...] = (
    "https://tile.openstreetmap.org",
    "https://*.basemaps.cartocdn.com",
    "https://server.arcgisonline.com",
)
"""The origins the tile layers load from: the only ones the page's security policy allows."""
