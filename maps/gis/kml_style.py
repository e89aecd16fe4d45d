"""KML styles: the colours, widths and icons of every line and place, and their ids, read
from the one style table (``routemap.maps.style``); the XML helpers they are built with."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from routemap.maps.gis.icons import icon_path
from routemap.maps.style import (
    ANNOTATION_COLOR,
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_STYLES,
    PLACE_STYLES,
)

__all__ = [
    "ANNOTATION_STYLE_ID",
    "band_style_id",
    "clean_text",
    "connector_style_id",
    "kml_color",
    "kml_styles",
    "leg_style_id",
    "place_style_id",
    "sub_element",
]

ANNOTATION_STYLE_ID = "annotation"
_BALLOON_TEXT = "$[description]"  # show only our escaped HTML, never a default template
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: Any) -> str:
    """Return text that XML 1.0 can hold: characters it forbids are dropped."""
    return _XML_INVALID.sub("", "" if text is None else str(text))


def sub_element(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    """Append a child element, with its text cleaned for XML (none when ``text`` is None)."""
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = clean_text(text)
    return element


_sub = sub_element


def kml_color(hex_color: str, opacity: float = 1.0) -> str:
    """Return a KML colour (``aabbggrr``) from ``#rrggbb`` and an opacity in [0, 1].

    Parameters
    ----------
    hex_color : str
        ``#rrggbb`` as in ``routemap.maps.style``.
    opacity : float
        Alpha, 0 transparent to 1 opaque.

    Returns
    -------
    str
        Eight lowercase hex digits, alpha first, then blue, green, red.

    Raises
    ------
    ValueError
        If the colour is not ``#rrggbb``.
    """
    rgb = hex_color.lstrip("#")
    if len(rgb) != 6:
        raise ValueError(f"expected a #rrggbb colour, found {hex_color!r}")
    alpha = round(max(0.0, min(1.0, opacity)) * 255)
    return f"{alpha:02x}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}".lower()



def leg_style_id(mode: Any, confidence: Any, path_confidence: Any = "reported") -> str | None:
    """Return the id of the line style for a mode, a confidence and a path certainty.

    ``leg-rail-confirmed-estimated`` is a confirmed movement drawn along a modelled line. None
    if any of the three is unknown.
    """
    if mode in MODE_STYLES and confidence in CONFIDENCE_STYLES and path_confidence in PATH_STYLES:
        return f"leg-{mode}-{confidence}-{path_confidence}"
    return None


def band_style_id(mode: Any) -> str | None:
    """Return the id of the band style drawn under a modelled line of a mode (None if unknown)."""
    return f"band-{mode}" if mode in MODE_STYLES else None


def connector_style_id(mode: Any) -> str | None:
    """Return the id of the style of a mode's stretches off the network (None if unknown)."""
    return f"connector-{mode}" if mode in MODE_STYLES else None


def place_style_id(kind: Any) -> str | None:
    """Return the id of the icon style for a kind of place (None if unknown)."""
    return f"place-{kind}" if kind in PLACE_STYLES else None



def _balloon_style(style: ET.Element) -> None:
    _sub(_sub(style, "BalloonStyle"), "text", _BALLOON_TEXT)


def _stroke(style_id: str, color: str, opacity: float, width: float) -> ET.Element:
    """Return a line style of one colour, opacity and width (KML pixels), with the balloon."""
    style = ET.Element("Style", {"id": style_id})
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(color, opacity))
    _sub(line, "width", f"{width:g}")
    _balloon_style(style)
    return style


def _line_style(mode: str, confidence: str, path: str) -> ET.Element:
    """Return a leg's line style: the mode's colour, the confidence's opacity and width.

    KML lines have no dashes; a modelled line (``path`` ``estimated``) keeps the look of its
    confidence and gets a band placemark under it (:func:`_band_style`).
    """
    mstyle, cstyle = MODE_STYLES[mode], CONFIDENCE_STYLES[confidence]
    return _stroke(f"leg-{mode}-{confidence}-{path}", mstyle.color, cstyle.opacity,
                   mstyle.base_width * cstyle.width_factor)


def _band_style(mode: str) -> ET.Element:
    """Return the band drawn under a modelled line: wide and translucent, as on the maps."""
    mstyle, band = MODE_STYLES[mode], PATH_STYLES["estimated"]
    return _stroke(f"band-{mode}", mstyle.color, band.band_opacity,
                   mstyle.base_width * band.band_factor)


def _connector_style(mode: str) -> ET.Element:
    """Return the style of a stretch off the network: a hairline in the mode's colour
    (CONNECTOR_STYLE), never the look of track; KML has no ticks, the name says what it is."""
    return _stroke(f"connector-{mode}", MODE_STYLES[mode].color, CONNECTOR_STYLE.opacity,
                   CONNECTOR_STYLE.width)


def _icon_style(style_id: str, color: str, scale: float, href: str | None = None) -> ET.Element:
    """Return an icon style: the KMZ's own icon at its colours, or the default pin tinted."""
    style = ET.Element("Style", {"id": style_id})
    icon = _sub(style, "IconStyle")
    _sub(icon, "color", "ffffffff" if href else kml_color(color))
    _sub(icon, "scale", f"{scale:g}")
    if href:
        _sub(_sub(icon, "Icon"), "href", href)
    _balloon_style(style)
    return style


def kml_styles(*, icons: bool) -> list[ET.Element]:
    """Return every style: lines per mode, confidence and path certainty; bands; place icons.

    With ``icons`` (KMZ) each kind of place has its own symbol, carried in the KMZ
    (:mod:`routemap.maps.gis.icons`); a bare KML names no icon file, so Google Earth shows its
    built-in pushpin, which needs no network, tinted per kind (the fill, or the edge of a
    white-filled mark) and scaled by the kind's symbol size.
    """
    lines = [_line_style(m, c, path) for m in MODE_STYLES for c in CONFIDENCE_STYLES
             for path in PATH_STYLES]
    bands = [_band_style(m) for m in MODE_STYLES]
    joins = [_connector_style(m) for m in MODE_STYLES]
    marks = [_icon_style(f"place-{kind}", p.edge if p.fill == "#FFFFFF" else p.fill,
                         round(p.size / 7.0, 2), icon_path(kind) if icons else None)
             for kind, p in PLACE_STYLES.items()]
    return [*lines, *bands, *joins, *marks,
            _icon_style(ANNOTATION_STYLE_ID, ANNOTATION_COLOR, 0.8)]
