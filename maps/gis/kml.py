"""KML and KMZ export of a RouteSet for Google Earth: styled, foldered, timed, escaped, in the
output's language."""

from __future__ import annotations

import functools
import html
import io
import logging
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import shapely
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from routemap.geo.model import Scenario
from routemap.maps import wording
from routemap.maps.citations import citation, credit
from routemap.maps.evidence import verdict_rows
from routemap.maps.gis.icons import place_icons
from routemap.maps.gis.kml_observed import observed_folder
from routemap.maps.gis.kml_style import (
    ANNOTATION_STYLE_ID,
    band_style_id,
    connector_style_id,
    kml_color,
    kml_styles,
    leg_style_id,
    place_style_id,
)
from routemap.maps.gis.kml_style import clean_text as _clean
from routemap.maps.gis.kml_style import sub_element as _sub
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.records import (
    COORD_DECIMALS,
    FeatureRecord,
    shared_records,
    text_value,
    track_geometry,
)
from routemap.maps.style import (
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
    "BAND_FOLDER",
    "CONNECTOR_FOLDER",
    "KML_NAMESPACE",
    "KMZ_DATE_TIME",
    "LEGS_FOLDER",
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

_PLACEMARK_FIELDS = frozenset({"name"})


# --- strings, colours, links ----------------------------------------------------------------


def _esc(text: Any) -> str:
    """Return text escaped for HTML (quotes too), after dropping XML-invalid characters."""
    return html.escape(_clean(text), quote=True)


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


# --- XML building blocks --------------------------------------------------------------------


def _num(value: float) -> str:
    """Return a coordinate with at most COORD_DECIMALS decimals and no trailing zeros."""
    return f"{value:.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")


_TRAILING_ZEROS = re.compile(r"\.?0+(?=[, ]|$)")
"""The zeros :func:`_num` strips, found in a whole coordinates string at once."""


def _coords(coords: np.ndarray) -> str:
    """Write the ``lon,lat`` pairs of an (n, 2+) array as :func:`_num` writes each number, in
    one pass (one format operation for the whole line)."""
    pairs = np.asarray(coords, dtype=float)[:, :2]
    text = (f"%.{COORD_DECIMALS}f,%.{COORD_DECIMALS}f " * len(pairs)) % tuple(pairs.ravel().tolist())
    return _TRAILING_ZEROS.sub("", text[:-1])


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    """Append a KML geometry: Point, LineString, or MultiGeometry of either."""
    gtype = geom.geom_type
    if gtype.startswith("Multi"):
        multi = _sub(parent, "MultiGeometry")
        for member in geom.geoms:
            _geometry(multi, member)
    elif gtype == "Point":
        _sub(_sub(parent, "Point"), "coordinates", _coords(shapely.get_coordinates(geom)))
    elif gtype == "LineString":
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", _coords(shapely.get_coordinates(geom)))
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


@dataclass(frozen=True)
class _Writer:
    """What every part of the document is written with: the scenario (its sources' links) and
    the output's language (every word the tool writes)."""

    scenario: Scenario
    language: Language
    _tracks: dict[int, BaseGeometry | None] = field(default_factory=dict, compare=False, repr=False)

    def track(self, record: FeatureRecord) -> BaseGeometry | None:
        """Return what of a leg is drawn as its line (:func:`_track`), cut once per document
        however many folders draw it (the records live as long as the document is written)."""
        key = id(record)
        if key not in self._tracks:
            self._tracks[key] = _track(record)
        return self._tracks[key]

    def word(self, message: str) -> str:
        """Return one of the tool's words in the output's language."""
        return self.language.gettext(message)

    @functools.cached_property
    def urls(self) -> dict[str, str | None]:
        """The URL of each source by its citation, written once for the whole document."""
        return {citation(s, language=self.language): s.url for s in self.scenario.sources}

    def label(self, table: dict[str, Any], key: Any) -> Any:
        """Return a style table entry's label (a mode, a kind of place) in the output's
        language; an unknown key as it is."""
        return self.word(table[key].label) if key in table else key


def _citation_item(citation: str, url: str | None) -> str:
    """Return one ``<li>``: the citation escaped, its URL a link only if http(s)."""
    link = safe_url(url)
    if link and citation.endswith(link):
        text = citation[: -len(link)]
        return f'<li>{_esc(text)}<a href="{_esc(link)}">{_esc(link)}</a></li>'
    return f"<li>{_esc(citation)}</li>"


def _citations_html(w: _Writer, props: dict[str, Any]) -> str:
    """Return the Sources list; a citation gets a link if it is the citation of a source."""
    items = "".join(_citation_item(str(c), w.urls.get(str(c)))
                    for c in props.get("citations") or [])
    return f"<p><b>{_esc(w.word('Sources'))}</b></p><ol>{items}</ol>" if items else ""


def _balloon(w: _Writer, title: str, rows: list[tuple[str, Any]], props: dict[str, Any]) -> str:
    """Return the balloon HTML; every scenario string in it is HTML-escaped."""
    cells = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>"
                    for k, v in rows if v not in (None, "", []))
    attribution = props.get("attribution")
    credited = f"<p><small>{_esc(credit(attribution, language=w.language))}</small></p>" if attribution else ""
    return (f"<h3>{_esc(title)}</h3><table>{cells}</table>"
            f"{_citations_html(w, props)}{credited}")


def _period(w: _Writer, props: dict[str, Any]) -> str | None:
    return wording.period(props.get("period_start"), props.get("period_end"), language=w.language)


def _confidence(w: _Writer, props: dict[str, Any]) -> str | None:
    return wording.confidence(props.get("confidence"), explain=True, language=w.language)


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


def _end(w: _Writer, p: dict[str, Any], which: str) -> str:
    """Write a leg's end (``from`` or ``to``), marked when it is assumed."""
    flag = "origin_assumed" if which == "from" else "destination_assumed"
    return wording.place_name(p[f"{which}_name"], p[flag], language=w.language)


def _leg_name(w: _Writer, p: dict[str, Any]) -> str:
    return w.word("Leg {number} ({mode}): {origin} to {destination}").format(
        number=(p["leg_index"] or 0) + 1, mode=w.language.noun(w.label(MODE_STYLES, p["mode"])),
        origin=_end(w, p, "from"), destination=_end(w, p, "to"))


def _leg_rows(w: _Writer, p: dict[str, Any]) -> list[tuple[str, Any]]:
    """Return a leg's balloon rows: the claim's and the line's certainties kept apart."""
    lang = w.language
    return [(w.word("Transfer"), p["transfer_label"]),
            (w.word("Mode"), w.language.noun(w.label(MODE_STYLES, p["mode"]))),
            (w.word("Confidence"), _confidence(w, p)),
            (w.word("Line"), wording.path_confidence(p["path_confidence"], explain=True,
                                                     language=lang)),
            (w.word("Corridor"), p["corridor"]),
            (w.word("Ends"), wording.assumed_ends(p["origin_assumed"], p["destination_assumed"],
                                                  language=lang)),
            (w.word("Period"), _period(w, p)), (w.word("Cargo"), p["cargo"]),
            (w.word("Quantity"), p["quantity_text"]), (w.word("Carrier"), p["carrier"]),
            (w.word("Distance"), wording.distance(p["distance_km"], nautical=True, language=lang)),
            (w.word("Off the network"), wording.off_network(p["off_network_km"], language=lang)),
            (w.word("Route"), _route_kind(w, p["geometry_kind"])), (w.word("Note"), p["note"]),
            *((w.word(label), text) for label, text in verdict_rows(p, language=lang))]


_ROUTE_KINDS = {"routed": "routed", "reported": "reported", "great_circle": "great_circle"}
"""How a leg's line was made, by ``geometry_kind``: the English words are the codes, as every
KML before languages wrote them; translations say them in words."""


def _route_kind(w: _Writer, kind: Any) -> Any:
    return w.word(_ROUTE_KINDS[kind]) if kind in _ROUTE_KINDS else kind


def _transfer_leg_name(w: _Writer, p: dict[str, Any]) -> str:
    """Name a leg after its transfer and itself: ``Containers by sea: Leg 1 (sea): Rajin to
    Dunai``, so that the flat folder of legs reads transfer by transfer."""
    return w.word("{transfer}: {leg}").format(transfer=p["transfer_label"] or p["transfer_id"],
                                              leg=_leg_name(w, p))


def _leg_mark(parent: ET.Element, w: _Writer, record: FeatureRecord) -> None:
    """Append a leg: its line on the network in its mode's and certainties' style; a leg wholly
    off the network is its connectors, in the connector style."""
    p = record.properties
    track = w.track(record)
    style_id = (leg_style_id(p["mode"], p["confidence"], _path(p)) if track is not None
                else connector_style_id(p["mode"]))
    _placemark(parent, record, name=_transfer_leg_name(w, p), style_id=style_id,
               description=_balloon(w, _leg_name(w, p), _leg_rows(w, p), p),
               geometry=record.geometry if track is None else track)


def _connector_mark(parent: ET.Element, w: _Writer, record: FeatureRecord) -> None:
    """Append a leg's stretches off the network as one placemark in the connector style, named
    after the leg and carrying its properties (a MultiGeometry when there are several)."""
    p = record.properties
    name = w.word("{leg}: off the network").format(leg=_transfer_leg_name(w, p))
    rows = [(w.word("Transfer"), p["transfer_label"]),
            *((w.word("Join {number}").format(number=i + 1), _join_text(w, c, record))
              for i, c in enumerate(record.connectors)),
            (w.word("Off the network"), wording.off_network(p["off_network_km"], language=w.language)),
            (w.word("Distance"), wording.distance(p["distance_km"], nautical=True, language=w.language))]
    joins = record.connectors
    geometry = joins[0] if len(joins) == 1 else MultiLineString([list(c.coords) for c in joins])
    _placemark(parent, record, name=name, style_id=connector_style_id(p["mode"]),
               description=_balloon(w, name, rows, p), geometry=geometry)


def _join_text(w: _Writer, connector: BaseGeometry, record: FeatureRecord) -> str:
    """Write one connector: the stop it joins to the network, and its length."""
    p = record.properties
    lines = getattr(record.geometry, "geoms", [record.geometry])
    stop = w.word("a stop")  # both are rounded alike (records.export_geometry, connector_lines)
    if connector.coords[0] == lines[0].coords[0]:
        stop = _end(w, p, "from")
    elif connector.coords[-1] == lines[-1].coords[-1]:
        stop = _end(w, p, "to")
    km = geodesic_length_km([tuple(c[:2]) for c in connector.coords])
    return w.word("{stop} to the network: {distance} in a straight line").format(
        stop=stop, distance=wording.distance(km, decimals=1, language=w.language))


def _country(w: _Writer, code: Any) -> Any:
    """Write a country by its CLDR name in the output's language; a code CLDR lacks as is."""
    return (w.language.country(code) or code) if isinstance(code, str) and code else code


def _place_mark(parent: ET.Element, w: _Writer, record: FeatureRecord) -> None:
    p = record.properties
    rows = [(w.word("Kind"), w.label(PLACE_STYLES, p["kind"])),
            (w.word("Country"), _country(w, p["country"])),
            (w.word("Confidence"), _confidence(w, p)),
            (w.word("Uncertainty"), wording.uncertainty(p["uncertainty_km"], language=w.language)),
            (w.word("LOCODE"), p["locode"]), (w.word("Note"), p["note"])]
    _placemark(parent, record, name=p["name"], style_id=place_style_id(p["kind"]),
               description=_balloon(w, p["name"], rows, p))


def _annotation_mark(parent: ET.Element, w: _Writer, record: FeatureRecord) -> None:
    p = record.properties
    rows = [(w.word("Confidence"), _confidence(w, p)), (w.word("Period"), _period(w, p)),
            (w.word("Transfer"), p["transfer_label"])]
    _placemark(parent, record, name=p["text"], style_id=ANNOTATION_STYLE_ID,
               description=_balloon(w, p["text"], rows, p))


# --- document -------------------------------------------------------------------------------


def _folder(parent: ET.Element, name: str, description: str | None = None) -> ET.Element:
    folder = _sub(parent, "Folder")
    _sub(folder, "name", name)
    if description:
        _sub(folder, "description", description)
    return folder


def _document_description(w: _Writer, routeset: RouteSet) -> str:
    scenario = routeset.scenario
    lines = [scenario.subtitle, wording.as_of(scenario.as_of, language=w.language)]
    credits = "".join(f"<li>{_esc(credit(a, language=w.language))}</li>" for a in routeset.attributions)
    head = "".join(f"<p>{_esc(line)}</p>" for line in lines if line)
    title = _esc(w.word("Attribution"))
    return head + (f"<p><b>{title}</b></p><ul>{credits}</ul>" if credits else "")


def _legs_folder(doc: ET.Element, w: _Writer, legs: list[FeatureRecord]) -> None:
    """Append every leg to one flat folder, transfer by transfer, each placemark named after
    its transfer (and carrying it as ``transfer_id``): a folder per transfer would be a layer
    per transfer in GDAL and QGIS."""
    folder = _folder(doc, w.word(LEGS_FOLDER))
    for record in legs:
        _leg_mark(folder, w, record)


def _path(props: dict[str, Any]) -> str:
    """Return a leg's path certainty; a record without one is taken as modelled, never as reported."""
    path = props.get("path_confidence")
    return path if path in PATH_STYLES else "estimated"


def _band_folder(doc: ET.Element, w: _Writer, legs: list[FeatureRecord]) -> None:
    """Append the bands under modelled lines, one placemark per leg whose path is estimated,
    under its line on the network only (a connector has no band)."""
    modelled = [r for r in legs if PATH_STYLES[_path(r.properties)].band and w.track(r) is not None]
    if not modelled:
        return
    meaning = w.word(PATH_STYLES["estimated"].meaning)
    legend = w.word("{label}: {meaning}").format(label=w.word(PATH_LEGEND["path"]), meaning=meaning)
    folder = _folder(doc, w.word(BAND_FOLDER), f"<p>{_esc(legend)}.</p>")
    for record in modelled:
        p = record.properties
        mark = _sub(folder, "Placemark")
        _sub(mark, "name", w.word("{transfer}, leg {number}: modelled route").format(
            transfer=p["transfer_label"], number=(p["leg_index"] or 0) + 1))
        _sub(mark, "Snippet", "", maxLines="0")
        _sub(mark, "description", f"<p>{_esc(meaning)}</p>")
        _time_span(mark, p)
        style_id = band_style_id(p["mode"])
        if style_id:
            _sub(mark, "styleUrl", f"#{style_id}")
        _geometry(mark, w.track(record))


LEGS_FOLDER = "Legs"
"""The folder of every leg, one placemark each (the English name)."""
CONNECTOR_FOLDER = "Off the network (connectors)"
"""The folder of the stretches drawn off the network, one placemark per leg that has any (the
English name; the folder is named in the output's language)."""
BAND_FOLDER = "Modelled routes (bands)"
"""The folder of the bands under modelled lines (the English name)."""


def _connector_folder(doc: ET.Element, w: _Writer, legs: list[FeatureRecord]) -> None:
    """Append each leg's stretches off the network (a leg wholly off it is drawn in its own
    folder in the connector style already)."""
    joined = [r for r in legs if r.connectors and w.track(r) is not None]
    if not joined:
        return
    folder = _folder(doc, w.word(CONNECTOR_FOLDER), "<p>" + _esc(
        w.word("{legend}: where a stop lies off the network, the line joins it straight.")
        .format(legend=_connector_legend(w))) + "</p>")
    for record in joined:
        _connector_mark(folder, w, record)


def _connector_legend(w: _Writer) -> str:
    """Write the connector's legend row, ``Off the network: straight join, not track``."""
    return w.word("{label}: {meaning}").format(label=w.word(CONNECTOR_STYLE.label),
                                               meaning=w.word(CONNECTOR_STYLE.meaning))


def _key_description(w: _Writer) -> str:
    """Return how to read the KML: line opacity and width, bands, place symbols."""
    rows = w.language.series(wording.confidence(key, explain=True, language=w.language) or key
                             for key in CONFIDENCE_STYLES)
    path = f"{w.word(PATH_LEGEND['path'])} ({w.word(PATH_STYLES['estimated'].meaning)})"
    return ("<p><b>" + _esc(w.word("How to read the lines")) + "</b></p><p>"
            + _esc(w.word("Colour: mode. Opacity and width: how sure the movement is ({rows}).")
                   .format(rows=rows)) + "</p><p>"
            + _esc(w.word("{path}; the bands are in the folder Modelled routes.").format(path=path))
            + "</p><p>"
            + _esc(w.word("Thin line: {legend} (the folder Off the network).")
                   .format(legend=_connector_legend(w))) + "</p>")


def kml_document(routeset: RouteSet, *, icons: bool = False,
                 language: str = DEFAULT_LANGUAGE) -> ET.Element:
    """Build the KML tree: styles, then a few flat folders whatever the number of transfers
    (GDAL and QGIS read each folder as a layer): Legs (named after their transfers), Places,
    Annotations, then bands and connectors (a leg's stretches off the network; its own line
    is the rest), then the observed layer's.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified. Its texts are written as they are (see
        ``RouteSet.in_language``).
    icons : bool
        Name the place icons a KMZ carries (``icons/place-<kind>.png``); without, places use
        Google Earth's built-in pushpin, tinted and scaled per kind.
    language : str
        The output language's code: every word the tool writes (folder names, balloon rows,
        modes, kinds, confidences, dates, numbers, country names) is in it. Property names in
        ``ExtendedData`` and their coded values stay as docs/exports.md names them.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``kml`` root element.
    """
    w = _Writer(routeset.scenario, load_language(language))
    records = shared_records(routeset, language=w.language)
    root = ET.Element("kml", {"xmlns": KML_NAMESPACE})  # plain tags, default namespace
    doc = _sub(root, "Document")
    _sub(doc, "name", routeset.scenario.title)
    _sub(doc, "description", _document_description(w, routeset) + _key_description(w))
    doc.extend(kml_styles(icons=icons))
    _legs_folder(doc, w, records["legs"])
    places = _folder(doc, w.word("Places"))
    for record in records["places"]:
        _place_mark(places, w, record)
    notes = _folder(doc, w.word("Annotations"))
    for record in records["annotations"]:
        _annotation_mark(notes, w, record)
    _band_folder(doc, w, records["legs"])
    _connector_folder(doc, w, records["legs"])
    observed_folder(doc, routeset, w.language)
    return root


def render_kml(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Render a route set as KML 2.2 for Google Earth.

    Line styles per mode and confidence (colours and opacity from ``routemap.maps.style``; KML has no
    dashes, so confidence shows as opacity and width, and in the balloon), a ``Legs`` folder
    (each leg named after its transfer), ``Places`` and ``Annotations`` folders, ``TimeSpan`` from the periods, balloons
    with the citations (HTML-escaped, then XML-escaped; only http(s) URLs become links) and
    the attribution lines in the Document description. Properties as ``ExtendedData``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    language : str
        The output language's code (see :func:`kml_document`).

    Returns
    -------
    bytes
        UTF-8 XML with a declaration, identical for identical input.
    """
    return _kml_bytes(kml_document(routeset, language=language))


def _kml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def render_kmz(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Render a route set as KMZ: ``doc.kml`` and its place icons, fixed timestamps and modes.

    ``doc.kml`` comes first (Google Earth reads the first .kml of the archive), then one PNG
    per kind of place under ``icons/``, named by the place styles.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    language : str
        The output language's code (see :func:`kml_document`).

    Returns
    -------
    bytes
        A zip archive (deflated), identical for identical input.
    """
    files = {"doc.kml": _kml_bytes(kml_document(routeset, icons=True, language=language)), **place_icons()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=KMZ_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the host, so the bytes do not depend on it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buf.getvalue()
