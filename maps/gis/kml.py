"""KML and KMZ export of a RouteSet for Google Earth: styled, foldered, timed, escaped."""

from __future__ import annotations

import html
import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from shapely.geometry.base import BaseGeometry

from routemap.geo.model import Scenario
from routemap.maps import wording
from routemap.maps.records import COORD_DECIMALS, FeatureRecord, feature_records, text_value
from routemap.maps.style import ANNOTATION_COLOR, CONFIDENCE_STYLES, MODE_STYLES, PLACE_STYLES
from routemap.routes.routeset import RouteSet

__all__ = [
    "KML_NAMESPACE",
    "KMZ_DATE_TIME",
    "kml_color",
    "kml_document",
    "leg_style_id",
    "place_style_id",
    "render_kml",
    "render_kmz",
    "safe_url",
]

logger = logging.getLogger(__name__)

KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
KMZ_DATE_TIME = (1980, 1, 1, 0, 0, 0)
"""Timestamp of doc.kml inside every KMZ (the earliest a zip can hold), for identical bytes."""

ANNOTATION_STYLE_ID = "annotation"
_BALLOON_TEXT = "$[description]"  # show only our escaped HTML, never a default template
_PLACEMARK_FIELDS = frozenset({"name"})
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- strings, colours, links ----------------------------------------------------------------


def _clean(text: Any) -> str:
    """Return text that XML 1.0 can hold: characters it forbids are dropped."""
    return _XML_INVALID.sub("", "" if text is None else str(text))


def _esc(text: Any) -> str:
    """Return text escaped for HTML (quotes too), after dropping XML-invalid characters."""
    return html.escape(_clean(text), quote=True)


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


def safe_url(url: Any) -> str | None:
    """Return the URL if it may become a link (absolute http or https), else None.

    Parameters
    ----------
    url : object
        A candidate URL from the scenario.

    Returns
    -------
    str or None
        The URL unchanged, or None for other schemes (``javascript:``, ``data:``, ...),
        relative or malformed URLs, and URLs with whitespace or control characters.
    """
    if not isinstance(url, str) or not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def leg_style_id(mode: Any, confidence: Any) -> str | None:
    """Return the id of the line style for a mode and confidence (None if either is unknown)."""
    if mode in MODE_STYLES and confidence in CONFIDENCE_STYLES:
        return f"leg-{mode}-{confidence}"
    return None


def place_style_id(kind: Any) -> str | None:
    """Return the id of the icon style for a kind of place (None if unknown)."""
    return f"place-{kind}" if kind in PLACE_STYLES else None


# --- XML building blocks --------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = _clean(text)
    return element


def _balloon_style(style: ET.Element) -> None:
    _sub(_sub(style, "BalloonStyle"), "text", _BALLOON_TEXT)


def _line_style(mode: str, confidence: str) -> ET.Element:
    mstyle, cstyle = MODE_STYLES[mode], CONFIDENCE_STYLES[confidence]
    style = ET.Element("Style", {"id": f"leg-{mode}-{confidence}"})
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(mstyle.color, cstyle.opacity))
    _sub(line, "width", f"{mstyle.base_width * cstyle.width_factor:g}")
    _balloon_style(style)
    return style


def _icon_style(style_id: str, color: str, scale: float) -> ET.Element:
    style = ET.Element("Style", {"id": style_id})
    icon = _sub(style, "IconStyle")
    _sub(icon, "color", kml_color(color))
    _sub(icon, "scale", f"{scale:g}")
    _balloon_style(style)
    return style


def _styles() -> list[ET.Element]:
    """Return every style: a line style per mode and confidence, an icon per place kind."""
    lines = [_line_style(m, c) for m in MODE_STYLES for c in CONFIDENCE_STYLES]
    # Google Earth tints one icon with one colour: the fill, or the edge for white-filled marks.
    icons = [_icon_style(f"place-{kind}", p.edge if p.fill == "#FFFFFF" else p.fill,
                         round(p.size / 7.0, 2)) for kind, p in PLACE_STYLES.items()]
    return [*lines, *icons, _icon_style(ANNOTATION_STYLE_ID, ANNOTATION_COLOR, 0.8)]


def _num(value: float) -> str:
    """Return a coordinate with at most COORD_DECIMALS decimals and no trailing zeros."""
    return f"{value:.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")


def _coords(coords: Sequence[Sequence[float]]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y, *_ in coords)


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    """Append a KML geometry: Point, LineString, or MultiGeometry of either."""
    gtype = geom.geom_type
    if gtype.startswith("Multi"):
        multi = _sub(parent, "MultiGeometry")
        for member in geom.geoms:
            _geometry(multi, member)
    elif gtype == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _coords(geom.coords))
    elif gtype == "LineString":
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _coords(geom.coords))
    else:
        raise ValueError(f"KML export has no {gtype} geometry")


def _time_span(parent: ET.Element, props: dict[str, Any]) -> None:
    start, end = props.get("period_start"), props.get("period_end")
    if start or end:
        span = _sub(parent, "TimeSpan")
        if start:
            _sub(span, "begin", start)
        if end:
            _sub(span, "end", end)


def _extended_data(parent: ET.Element, props: dict[str, Any]) -> None:
    """Append the properties as ExtendedData, lists as JSON text.

    A place's ``name`` is left out: it is the Placemark's own ``name``, and GDAL's LIBKML
    driver would otherwise read it back as ``name2`` next to its ``Name`` field.
    """
    data = _sub(parent, "ExtendedData")
    for name, value in props.items():
        if name in _PLACEMARK_FIELDS:
            continue
        value = text_value(name, value)
        _sub(_sub(data, "Data", name=name), "value", "" if value is None else value)


# --- balloons -------------------------------------------------------------------------------


def _citation_item(citation: str, url: str | None) -> str:
    """Return one ``<li>``: the citation escaped, its URL a link only if http(s)."""
    link = safe_url(url)
    if link and citation.endswith(link):
        text = citation[: -len(link)]
        return f'<li>{_esc(text)}<a href="{_esc(link)}">{_esc(link)}</a></li>'
    return f"<li>{_esc(citation)}</li>"


def _citations_html(scenario: Scenario, props: dict[str, Any]) -> str:
    """Return the Sources list; a citation gets a link if it is the citation of a source."""
    urls = {s.citation(): s.url for s in scenario.sources}
    items = "".join(_citation_item(str(c), urls.get(str(c)))
                    for c in props.get("citations") or [])
    return f"<p><b>Sources</b></p><ol>{items}</ol>" if items else ""


def _balloon(scenario: Scenario, title: str, rows: list[tuple[str, Any]],
             props: dict[str, Any]) -> str:
    """Return the balloon HTML; every scenario string in it is HTML-escaped."""
    cells = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
                    for k, v in rows if v not in (None, "", []))
    attribution = props.get("attribution")
    credit = f"<p><small>{_esc(attribution)}</small></p>" if attribution else ""
    return (f"<h3>{_esc(title)}</h3><table>{cells}</table>"
            f"{_citations_html(scenario, props)}{credit}")


def _period(props: dict[str, Any]) -> str | None:
    return wording.period(props.get("period_start"), props.get("period_end"))


def _confidence(props: dict[str, Any]) -> str | None:
    return wording.confidence(props.get("confidence"), explain=True)


# --- placemarks -----------------------------------------------------------------------------


def _placemark(parent: ET.Element, record: FeatureRecord, *, name: str,
               style_id: str | None, description: str) -> None:
    mark = _sub(parent, "Placemark")
    _sub(mark, "name", name)
    _sub(mark, "Snippet", "", maxLines="0")
    _sub(mark, "description", description)
    _time_span(mark, record.properties)
    if style_id:
        _sub(mark, "styleUrl", f"#{style_id}")
    _extended_data(mark, record.properties)
    _geometry(mark, record.geometry)


def _leg_mark(parent: ET.Element, scenario: Scenario, record: FeatureRecord) -> None:
    p = record.properties
    name = f"Leg {(p['leg_index'] or 0) + 1} ({p['mode']}): {p['from_name']} to {p['to_name']}"
    rows = [("Transfer", p["transfer_label"]), ("Mode", p["mode"]),
            ("Confidence", _confidence(p)), ("Period", _period(p)), ("Cargo", p["cargo"]),
            ("Quantity", wording.quantity(p["quantity_value"], p["quantity_unit"])),
            ("Carrier", p["carrier"]),
            ("Distance", wording.distance(p["distance_km"], nautical=True)),
            ("Route", p["geometry_kind"]), ("Note", p["note"])]
    style_id = leg_style_id(p["mode"], p["confidence"])
    _placemark(parent, record, name=name, style_id=style_id,
               description=_balloon(scenario, name, rows, p))


def _place_mark(parent: ET.Element, scenario: Scenario, record: FeatureRecord) -> None:
    p = record.properties
    rows = [("Kind", p["kind"]), ("Country", p["country"]), ("Confidence", _confidence(p)),
            ("Uncertainty", wording.uncertainty(p["uncertainty_km"])),
            ("LOCODE", p["locode"]), ("Note", p["note"])]
    _placemark(parent, record, name=p["name"], style_id=place_style_id(p["kind"]),
               description=_balloon(scenario, p["name"], rows, p))


def _annotation_mark(parent: ET.Element, scenario: Scenario, record: FeatureRecord) -> None:
    p = record.properties
    rows = [("Confidence", _confidence(p)), ("Period", _period(p)),
            ("Transfer", p["transfer_id"])]
    _placemark(parent, record, name=p["text"], style_id=ANNOTATION_STYLE_ID,
               description=_balloon(scenario, p["text"], rows, p))


# --- document -------------------------------------------------------------------------------


def _folder(parent: ET.Element, name: str, description: str | None = None) -> ET.Element:
    folder = _sub(parent, "Folder")
    _sub(folder, "name", name)
    if description:
        _sub(folder, "description", description)
    return folder


def _document_description(routeset: RouteSet) -> str:
    scenario = routeset.scenario
    lines = [scenario.subtitle, wording.as_of(scenario.as_of)]
    credits = "".join(f"<li>{_esc(a)}</li>" for a in routeset.attributions)
    head = "".join(f"<p>{_esc(line)}</p>" for line in lines if line)
    return head + (f"<p><b>Attribution</b></p><ul>{credits}</ul>" if credits else "")


def _transfer_folders(doc: ET.Element, routeset: RouteSet, legs: list[FeatureRecord]) -> None:
    folders: dict[str, ET.Element] = {}
    for record in legs:
        p = record.properties
        if p["transfer_id"] not in folders:
            label = p["transfer_label"] or p["transfer_id"]
            folders[p["transfer_id"]] = _folder(doc, label)
        _leg_mark(folders[p["transfer_id"]], routeset.scenario, record)


def kml_document(routeset: RouteSet) -> ET.Element:
    """Build the KML tree: styles, a folder per transfer, then Places and Annotations folders.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``kml`` root element.
    """
    records = feature_records(routeset)
    root = ET.Element("kml", {"xmlns": KML_NAMESPACE})  # plain tags, default namespace
    doc = _sub(root, "Document")
    _sub(doc, "name", routeset.scenario.title)
    _sub(doc, "description", _document_description(routeset))
    doc.extend(_styles())
    _transfer_folders(doc, routeset, records["legs"])
    places = _folder(doc, "Places")
    for record in records["places"]:
        _place_mark(places, routeset.scenario, record)
    notes = _folder(doc, "Annotations")
    for record in records["annotations"]:
        _annotation_mark(notes, routeset.scenario, record)
    return root


def render_kml(routeset: RouteSet) -> bytes:
    """Render a route set as KML 2.2 for Google Earth.

    Line styles per mode and confidence (colours and opacity from ``routemap.maps.style``; KML has no
    dashes, so confidence shows as opacity and width, and in the balloon), a folder per
    transfer, ``Places`` and ``Annotations`` folders, ``TimeSpan`` from the periods, balloons
    with the citations (HTML-escaped, then XML-escaped; only http(s) URLs become links) and
    the attribution lines in the Document description. Properties as ``ExtendedData``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    bytes
        UTF-8 XML with a declaration, identical for identical input.
    """
    root = kml_document(routeset)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def render_kmz(routeset: RouteSet) -> bytes:
    """Render a route set as KMZ: ``doc.kml`` zipped with a fixed timestamp and permissions.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    bytes
        A zip archive holding only ``doc.kml`` (deflated), identical for identical input.
    """
    info = zipfile.ZipInfo("doc.kml", date_time=KMZ_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever the host, so the bytes do not depend on it
    info.external_attr = 0o644 << 16
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(info, render_kml(routeset), compresslevel=9)
    return buf.getvalue()
