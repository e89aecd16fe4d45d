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

from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from routemap.geo.model import Scenario
from routemap.maps import wording
from routemap.maps.gis.icons import icon_path, place_icons
from routemap.maps.records import (
    COORD_DECIMALS,
    FeatureRecord,
    feature_records,
    text_value,
    track_geometry,
)
from routemap.maps.style import (
    ANNOTATION_COLOR,
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_LEGEND,
    PATH_STYLES,
    PLACE_STYLES,
)
from routemap.routes.geodesy import geodesic_length_km
from routemap.routes.routeset import RouteSet

__all__ = [
    "CONNECTOR_FOLDER",
    "KML_NAMESPACE",
    "KMZ_DATE_TIME",
    "band_style_id",
    "connector_style_id",
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


# --- XML building blocks --------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = _clean(text)
    return element


def _balloon_style(style: ET.Element) -> None:
    _sub(_sub(style, "BalloonStyle"), "text", _BALLOON_TEXT)


def _line_style(mode: str, confidence: str, path: str) -> ET.Element:
    """Return a leg's line style: the mode's colour, the confidence's opacity and width.

    KML lines have no dashes; a modelled line (``path`` ``estimated``) keeps the look of its
    confidence and gets a band placemark under it (:func:`_band_style`).
    """
    mstyle, cstyle = MODE_STYLES[mode], CONFIDENCE_STYLES[confidence]
    style = ET.Element("Style", {"id": f"leg-{mode}-{confidence}-{path}"})
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(mstyle.color, cstyle.opacity))
    _sub(line, "width", f"{mstyle.base_width * cstyle.width_factor:g}")
    _balloon_style(style)
    return style


def _band_style(mode: str) -> ET.Element:
    """Return the band drawn under a modelled line: wide and translucent, as on the maps."""
    mstyle, band = MODE_STYLES[mode], PATH_STYLES["estimated"]
    style = ET.Element("Style", {"id": f"band-{mode}"})
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(mstyle.color, band.band_opacity))
    _sub(line, "width", f"{mstyle.base_width * band.band_factor:g}")
    _balloon_style(style)
    return style


def _connector_style(mode: str) -> ET.Element:
    """Return the style of a stretch off the network: a hairline in the mode's colour
    (CONNECTOR_STYLE), never the look of track; KML has no ticks, the name says what it is."""
    style = ET.Element("Style", {"id": f"connector-{mode}"})
    line = _sub(style, "LineStyle")
    _sub(line, "color", kml_color(MODE_STYLES[mode].color, CONNECTOR_STYLE.opacity))
    _sub(line, "width", f"{CONNECTOR_STYLE.width:g}")
    _balloon_style(style)
    return style


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


def _styles(*, icons: bool) -> list[ET.Element]:
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
               style_id: str | None, description: str,
               geometry: BaseGeometry | None = None) -> None:
    """Append a placemark: name, balloon, time span, style, the properties and the geometry
    (the record's own unless ``geometry`` is given)."""
    mark = _sub(parent, "Placemark")
    _sub(mark, "name", name)
    _sub(mark, "Snippet", "", maxLines="0")
    _sub(mark, "description", description)
    _time_span(mark, record.properties)
    if style_id:
        _sub(mark, "styleUrl", f"#{style_id}")
    _extended_data(mark, record.properties)
    _geometry(mark, record.geometry if geometry is None else geometry)


def _track(record: FeatureRecord) -> BaseGeometry | None:
    """Return what of a leg is drawn as its line: all of it but its connectors (None when the
    whole leg is off the network)."""
    return track_geometry(record.geometry, record.connectors) if record.connectors else record.geometry


def _leg_name(p: dict[str, Any]) -> str:
    return (f"Leg {(p['leg_index'] or 0) + 1} ({p['mode']}): "
            f"{wording.place_name(p['from_name'], p['origin_assumed'])} to "
            f"{wording.place_name(p['to_name'], p['destination_assumed'])}")


def _leg_mark(parent: ET.Element, scenario: Scenario, record: FeatureRecord) -> None:
    """Append a leg: its line on the network in its mode's and certainties' style; a leg wholly
    off the network is its connectors, in the connector style."""
    p = record.properties
    name = _leg_name(p)
    rows = [("Transfer", p["transfer_label"]), ("Mode", p["mode"]),
            ("Confidence", _confidence(p)),
            ("Line", wording.path_confidence(p["path_confidence"], explain=True)),
            ("Corridor", p["corridor"]),
            ("Ends", wording.assumed_ends(p["origin_assumed"], p["destination_assumed"])),
            ("Period", _period(p)), ("Cargo", p["cargo"]), ("Quantity", p["quantity_text"]),
            ("Carrier", p["carrier"]),
            ("Distance", wording.distance(p["distance_km"], nautical=True)),
            ("Off the network", wording.off_network(p["off_network_km"])),
            ("Route", p["geometry_kind"]), ("Note", p["note"])]
    track = _track(record)
    style_id = (leg_style_id(p["mode"], p["confidence"], _path(p)) if track is not None
                else connector_style_id(p["mode"]))
    _placemark(parent, record, name=name, style_id=style_id,
               description=_balloon(scenario, name, rows, p),
               geometry=record.geometry if track is None else track)


def _connector_mark(parent: ET.Element, scenario: Scenario, record: FeatureRecord) -> None:
    """Append a leg's stretches off the network as one placemark in the connector style, named
    after the leg and carrying its properties (a MultiGeometry when there are several)."""
    p = record.properties
    name = f"{_leg_name(p)}: {CONNECTOR_STYLE.label.lower()}"
    rows = [("Transfer", p["transfer_label"]),
            *((f"Join {i + 1}", _join_text(c, record)) for i, c in enumerate(record.connectors)),
            ("Off the network", wording.off_network(p["off_network_km"])),
            ("Distance", wording.distance(p["distance_km"], nautical=True))]
    joins = record.connectors
    geometry = joins[0] if len(joins) == 1 else MultiLineString([list(c.coords) for c in joins])
    _placemark(parent, record, name=name, style_id=connector_style_id(p["mode"]),
               description=_balloon(scenario, name, rows, p), geometry=geometry)


def _join_text(connector: BaseGeometry, record: FeatureRecord) -> str:
    """Write one connector: the stop it joins to the network, and its length."""
    p = record.properties
    lines = getattr(record.geometry, "geoms", [record.geometry])
    stop = "a stop"  # both are rounded alike (records.export_geometry, connector_lines)
    if connector.coords[0] == lines[0].coords[0]:
        stop = wording.place_name(p["from_name"], p["origin_assumed"])
    elif connector.coords[-1] == lines[-1].coords[-1]:
        stop = wording.place_name(p["to_name"], p["destination_assumed"])
    km = geodesic_length_km([tuple(c[:2]) for c in connector.coords])
    return f"{stop} to the network: {wording.distance(km, decimals=1)} in a straight line"


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
            ("Transfer", p["transfer_label"])]
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


def _path(props: dict[str, Any]) -> str:
    """Return a leg's path certainty; a record without one is taken as modelled, never as reported."""
    path = props.get("path_confidence")
    return path if path in PATH_STYLES else "estimated"


def _band_folder(doc: ET.Element, legs: list[FeatureRecord]) -> None:
    """Append the bands under modelled lines, one placemark per leg whose path is estimated,
    under its line on the network only (a connector has no band)."""
    modelled = [r for r in legs if PATH_STYLES[_path(r.properties)].band and _track(r) is not None]
    if not modelled:
        return
    meaning = PATH_STYLES["estimated"].meaning
    folder = _folder(doc, "Modelled routes (bands)", f"<p>{_esc(PATH_LEGEND['path'])}: {_esc(meaning)}.</p>")
    for record in modelled:
        p = record.properties
        mark = _sub(folder, "Placemark")
        _sub(mark, "name", f"{p['transfer_label']}, leg {(p['leg_index'] or 0) + 1}: modelled route")
        _sub(mark, "Snippet", "", maxLines="0")
        _sub(mark, "description", f"<p>{_esc(meaning)}</p>")
        _time_span(mark, p)
        style_id = band_style_id(p["mode"])
        if style_id:
            _sub(mark, "styleUrl", f"#{style_id}")
        _geometry(mark, _track(record))


CONNECTOR_FOLDER = "Off the network (connectors)"
"""The folder of the stretches drawn off the network, one placemark per leg that has any."""


def _connector_folder(doc: ET.Element, scenario: Scenario, legs: list[FeatureRecord]) -> None:
    """Append each leg's stretches off the network (a leg wholly off it is drawn in its own
    folder in the connector style already)."""
    joined = [r for r in legs if r.connectors and _track(r) is not None]
    if not joined:
        return
    folder = _folder(doc, CONNECTOR_FOLDER, f"<p>{_esc(CONNECTOR_STYLE.legend)}: "
                     "where a stop lies off the network, the line joins it straight.</p>")
    for record in joined:
        _connector_mark(folder, scenario, record)


def _key_description() -> str:
    """Return how to read the KML: line opacity and width, bands, place symbols."""
    rows = [f"{c.label}: {c.meaning}" for c in CONFIDENCE_STYLES.values()]
    return ("<p><b>How to read the lines</b></p><p>Colour: mode. Opacity and width: how sure "
            "the movement is (" + _esc("; ".join(rows)) + ").</p>"
            f"<p>{_esc(PATH_LEGEND['path'])} ({_esc(PATH_STYLES['estimated'].meaning)}); "
            "the bands are in the folder Modelled routes.</p>"
            f"<p>Thin line: {_esc(CONNECTOR_STYLE.legend)} (the folder Off the network).</p>")


def kml_document(routeset: RouteSet, *, icons: bool = False) -> ET.Element:
    """Build the KML tree: styles, a folder per transfer, Places, Annotations, then bands and
    connectors (a leg's stretches off the network; its own line is the rest).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    icons : bool
        Name the place icons a KMZ carries (``icons/place-<kind>.png``); without, places use
        Google Earth's built-in pushpin, tinted and scaled per kind.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``kml`` root element.
    """
    records = feature_records(routeset)
    root = ET.Element("kml", {"xmlns": KML_NAMESPACE})  # plain tags, default namespace
    doc = _sub(root, "Document")
    _sub(doc, "name", routeset.scenario.title)
    _sub(doc, "description", _document_description(routeset) + _key_description())
    doc.extend(_styles(icons=icons))
    _transfer_folders(doc, routeset, records["legs"])
    places = _folder(doc, "Places")
    for record in records["places"]:
        _place_mark(places, routeset.scenario, record)
    notes = _folder(doc, "Annotations")
    for record in records["annotations"]:
        _annotation_mark(notes, routeset.scenario, record)
    _band_folder(doc, records["legs"])
    _connector_folder(doc, routeset.scenario, records["legs"])
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
    return _kml_bytes(kml_document(routeset))


def _kml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def render_kmz(routeset: RouteSet) -> bytes:
    """Render a route set as KMZ: ``doc.kml`` and its place icons, fixed timestamps and modes.

    ``doc.kml`` comes first (Google Earth reads the first .kml of the archive), then one PNG
    per kind of place under ``icons/``, named by the place styles.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    bytes
        A zip archive (deflated), identical for identical input.
    """
    files = {"doc.kml": _kml_bytes(kml_document(routeset, icons=True)), **place_icons()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=KMZ_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the host, so the bytes do not depend on it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buf.getvalue()
