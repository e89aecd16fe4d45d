"""The one style table: colours, dashes, widths and markers that the HTML map and the slides share."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "ModeStyle",
    "ConfidenceStyle",
    "PlaceStyle",
    "MODE_STYLES",
    "CONFIDENCE_STYLES",
    "PLACE_STYLES",
    "ANNOTATION_COLOR",
    "BasemapStyle",
    "BASEMAP_STYLE",
    "line_width",
    "svg_dasharray",
]


@dataclass(frozen=True)
class ModeStyle:
    """How a mode of transport is drawn."""

    label: str
    color: str
    base_width: float


@dataclass(frozen=True)
class ConfidenceStyle:
    """How a confidence level is drawn: a dash pattern in multiples of the line width."""

    label: str
    dash: tuple[float, ...]
    width_factor: float
    opacity: float
    meaning: str


@dataclass(frozen=True)
class PlaceStyle:
    """How a kind of place is marked: matplotlib marker code, SVG-ish shape name and colours."""

    label: str
    marker: str
    shape: str
    fill: str
    edge: str
    size: float


# Colour-blind-safe hues (Okabe-Ito), one per mode.
MODE_STYLES: dict[str, ModeStyle] = {
    "sea": ModeStyle("Sea", "#0072B2", 2.6),
    "rail": ModeStyle("Rail", "#D55E00", 2.6),
    "road": ModeStyle("Road", "#6B4C9A", 2.2),
    "air": ModeStyle("Air", "#009E73", 2.0),
}

CONFIDENCE_STYLES: dict[str, ConfidenceStyle] = {
    "confirmed": ConfidenceStyle(
        "Confirmed", (), 1.0, 0.95, "two or more independent sources, or imagery"
    ),
    "reported": ConfidenceStyle("Reported", (4.0, 2.0), 1.0, 0.9, "one credible source"),
    "claimed": ConfidenceStyle(
        "Claimed", (1.0, 1.6), 1.0, 0.85, "a party to the conflict says so, unverified"
    ),
    "estimated": ConfidenceStyle(
        "Estimated", (0.6, 2.2), 0.6, 0.8, "analyst's inference or a modelled route"
    ),
}

PLACE_STYLES: dict[str, PlaceStyle] = {
    "port": PlaceStyle("Port", "s", "square", "#FFFFFF", "#0B3C5D", 7.0),
    "rail_station": PlaceStyle("Rail station", "o", "circle", "#FFFFFF", "#7A3B00", 5.5),
    "rail_junction": PlaceStyle("Rail junction", "o", "circle", "#7A3B00", "#FFFFFF", 5.0),
    "depot": PlaceStyle("Depot", "^", "triangle", "#B00020", "#FFFFFF", 8.0),
    "airfield": PlaceStyle("Airfield", "P", "plus", "#00563B", "#FFFFFF", 8.0),
    "border_crossing": PlaceStyle("Border crossing", "D", "diamond", "#FFD166", "#333333", 7.0),
    "city": PlaceStyle("City", "o", "circle", "#444444", "#FFFFFF", 4.5),
    "other": PlaceStyle("Other", "X", "cross", "#666666", "#FFFFFF", 6.0),
}

ANNOTATION_COLOR = "#222222"


@dataclass(frozen=True)
class BasemapStyle:
    """How the basemap and the map furniture are drawn (colours as hex, widths in points)."""

    sea: str
    land: str
    focus_land: str
    coast: str
    coast_width: float
    border: str
    border_width: float
    rail: str
    rail_width: float
    country_label: str
    text: str
    muted_text: str
    halo: str
    accent: str


BASEMAP_STYLE = BasemapStyle(
    sea="#D6E4EE",
    land="#ECE9E2",
    focus_land="#F8F6F1",
    coast="#6F8FA6",
    coast_width=0.7,
    border="#9C968A",
    border_width=0.8,
    rail="#8F8A80",
    rail_width=0.45,
    country_label="#8A8375",
    text="#1F2328",
    muted_text="#5C6166",
    halo="#FFFFFF",
    accent="#C8102E",
)


def line_width(mode: str, quantity: float | None, max_quantity: float | None) -> float:
    """Return a line width in points: the mode's base width, thicker with the quantity moved.

    The extra width grows with the square root of the quantity relative to the largest in the
    scenario (so areas, not lengths, compare), up to three times the base width.
    """
    base = MODE_STYLES[mode].base_width
    if not quantity or not max_quantity or max_quantity <= 0:
        return base
    return base * (1.0 + 2.0 * math.sqrt(min(quantity / max_quantity, 1.0)))


def svg_dasharray(confidence: str, width: float) -> str | None:
    """Return an SVG/Leaflet ``dashArray`` for a confidence at a line width (None for solid)."""
    dash = CONFIDENCE_STYLES[confidence].dash
    if not dash:
        return None
    return " ".join(f"{max(d * width, 1.0):g}" for d in dash)
