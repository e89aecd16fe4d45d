"""GIS exports of a RouteSet: RFC 7946 GeoJSON, the legs CSV, and the helpers GIS writers share."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from routemap.geo.model import Scenario
from routemap.routes.geodesy import split_antimeridian
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import ANNOTATION_COLUMNS, LEG_COLUMNS, LIST_COLUMNS, PLACE_COLUMNS, TRANSFER_COLUMNS

__all__ = [
    "COORD_DECIMALS",
    "WGS84",
    "FeatureRecord",
    "export_geometry",
    "feature_records",
    "transfer_records",
    "plain_value",
    "text_value",
    "inert_text",
    "wkt",
    "render_geojson",
    "render_csv",
    "render_gpkg",
    "render_kml",
    "render_kmz",
]

logger = logging.getLogger(__name__)

COORD_DECIMALS = 6
"""Decimals kept in exported coordinates (about 0.1 m; RFC 7946 section 11.2)."""

WGS84 = "EPSG:4326"



@dataclass(frozen=True)
class FeatureRecord:
    """One exported feature: its stable id, cleaned geometry and contract properties in order."""

    feature_id: str
    geometry: BaseGeometry
    properties: dict[str, Any]


# --- values ---------------------------------------------------------------------------------


def plain_value(value: Any) -> Any:
    """Return a JSON-native copy of a frame cell: None for missing, lists for list cells.

    Parameters
    ----------
    value : object
        A cell from a RouteSet frame (None, NaN, numpy scalar, date, list, ...).

    Returns
    -------
    object
        None, bool, int, float (finite), str or a list of those.
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain_value(v) for v in value]
    if value is None or pd.isna(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dt.datetime):  # includes pandas.Timestamp
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def text_value(name: str, value: Any) -> Any:
    """Return a cell as a flat-format value: list columns become JSON text, the rest stay plain.

    Parameters
    ----------
    name : str
        The column name (lists are recognised by ``routemap.routes.schema.LIST_COLUMNS`` or by value).
    value : object
        A value as returned by :func:`plain_value`.

    Returns
    -------
    object
        The value, with lists as compact JSON text (``[]`` for an empty or missing list).
    """
    if name in LIST_COLUMNS or isinstance(value, list):
        return json.dumps(value or [], ensure_ascii=False, separators=(",", ":"))
    return value


# --- geometry -------------------------------------------------------------------------------


def _round(coords: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    """Round lon/lat pairs to COORD_DECIMALS and drop the repeats rounding creates."""
    out: list[tuple[float, float]] = []
    for x, y, *_ in coords:
        pt = (_clean_float(x), _clean_float(y))
        if not out or out[-1] != pt:
            out.append(pt)
    return out


def _clean_float(value: float) -> float:
    rounded = round(float(value), COORD_DECIMALS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _wraps(coords: Sequence[Sequence[float]]) -> bool:
    """Return True if a lon/lat line leaves [-180, 180] or jumps more than 180 degrees."""
    lons = [c[0] for c in coords]
    if any(not -180.0 <= lon <= 180.0 for lon in lons):
        return True
    return any(abs(b - a) > 180.0 for a, b in zip(lons[:-1], lons[1:]))


def _line_parts(geom: LineString | MultiLineString) -> list[list[tuple[float, float]]]:
    """Return the rounded parts of a line, split at the antimeridian where it wraps."""
    lines = geom.geoms if isinstance(geom, MultiLineString) else [geom]
    parts: list[list[tuple[float, float]]] = []
    for line in lines:
        coords = [(c[0], c[1]) for c in line.coords]
        pieces = split_antimeridian(coords) if _wraps(coords) else [coords]
        parts.extend(p for p in (_round(piece) for piece in pieces) if len(p) >= 2)
    return parts


def _polygon(poly: Polygon) -> Polygon:
    """Return a polygon with rounded rings, exterior counterclockwise (RFC 7946 section 3.1.6)."""
    rounded = Polygon(_round(poly.exterior.coords), [_round(r.coords) for r in poly.interiors])
    return orient(rounded, sign=1.0)


def export_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Return a geometry as every export writes it: 6 decimals, split at the antimeridian.

    A LineString that wraps becomes a MultiLineString (RFC 7946 section 3.1.9); polygons
    follow the right-hand rule (section 3.1.6).

    Parameters
    ----------
    geom : shapely.geometry.base.BaseGeometry
        A lon/lat geometry (EPSG:4326); unwrapped longitudes outside [-180, 180] are folded.

    Returns
    -------
    shapely.geometry.base.BaseGeometry
        A new geometry; the input is not modified.

    Raises
    ------
    ValueError
        If the geometry is empty, degenerate after rounding, or of an unsupported type.
    """
    if geom is None or geom.is_empty:
        raise ValueError("cannot export an empty geometry")
    if isinstance(geom, Point):
        return Point(_round([geom.coords[0]])[0])
    if isinstance(geom, MultiPoint):
        return MultiPoint([_round([p.coords[0]])[0] for p in geom.geoms])
    if isinstance(geom, (LineString, MultiLineString)):
        parts = _line_parts(geom)
        if not parts:
            raise ValueError("line has fewer than two distinct points after rounding")
        if isinstance(geom, LineString) and len(parts) == 1:
            return LineString(parts[0])
        return MultiLineString(parts)
    if isinstance(geom, Polygon):
        return _polygon(geom)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([_polygon(p) for p in geom.geoms])
    raise ValueError(f"cannot export a {geom.geom_type} geometry")


# --- records --------------------------------------------------------------------------------


def _in_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame in EPSG:4326 (a new frame if it had to be reprojected)."""
    if frame.crs is None or frame.crs.to_epsg() == 4326:
        return frame
    return frame.to_crs(WGS84)


def _frame_records(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> Iterator[FeatureRecord]:
    """Yield one record per row, with the contract columns in order (missing ones as None)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        logger.warning("route set frame lacks contract columns %s; exported as null", missing)
    frame = _in_wgs84(frame)
    data = {c: frame[c].tolist() for c in columns if c in frame.columns}
    for i, geom in enumerate(frame.geometry):
        values = {c: plain_value(data[c][i]) if c in data else None for c in columns}
        yield FeatureRecord(str(values["feature_id"]), export_geometry(geom), values)


def feature_records(routeset: RouteSet) -> dict[str, list[FeatureRecord]]:
    """Return the exportable features of a route set: legs, places, annotations.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; its frames are read, never modified.

    Returns
    -------
    dict of str to list of FeatureRecord
        Keys ``legs``, ``places``, ``annotations``, in frame order, properties named and
        ordered as in ``routemap.routes.schema``.

    Raises
    ------
    ValueError
        If a feature id is missing or repeated.
    """
    groups = {
        "legs": list(_frame_records(routeset.legs, LEG_COLUMNS)),
        "places": list(_frame_records(routeset.places, PLACE_COLUMNS)),
        "annotations": list(_frame_records(routeset.annotations, ANNOTATION_COLUMNS)),
    }
    _check_ids([r.properties["feature_id"] for recs in groups.values() for r in recs])
    return groups


def _check_ids(ids: list[Any]) -> None:
    problems = [f"missing feature_id at feature {i}" for i, f in enumerate(ids) if not f]
    seen: set[Any] = set()
    for fid in ids:
        if fid and fid in seen:
            problems.append(f"repeated feature_id {fid!r}")
        seen.add(fid)
    if problems:
        raise ValueError("; ".join(problems))


def _unique(values: Iterator[Any]) -> list[Any]:
    """Return the non-empty values in first-seen order, without repeats."""
    return list(dict.fromkeys(v for v in values if v not in (None, "")))


def _transfer_record(scenario: Scenario, legs: list[FeatureRecord]) -> FeatureRecord:
    """Return one transfer: its legs' geometry collected in order, its properties merged."""
    first = legs[0].properties
    tid = first["transfer_id"]
    transfer = next((t for t in scenario.transfers if t.id == tid), None)
    props = [leg.properties for leg in legs]
    distances = [p["distance_km"] for p in props if p["distance_km"] is not None]
    starts = [p["period_start"] for p in props if p["period_start"]]
    ends = [p["period_end"] for p in props if p["period_end"]]
    values = {
        "feature_id": f"transfer:{tid}", "feature_type": "transfer", "transfer_id": tid,
        "transfer_label": first["transfer_label"], "modes": [p["mode"] for p in props],
        "leg_count": len(props), "distance_km": sum(distances) if distances else None,
        "confidence": transfer.confidence if transfer else first["confidence"],
        "sources": _unique(s for p in props for s in p["sources"] or []),
        "citations": _unique(c for p in props for c in p["citations"] or []),
        "period_start": min(starts, default=None), "period_end": max(ends, default=None),
        "cargo": first["cargo"], "quantity_value": first["quantity_value"],
        "quantity_unit": first["quantity_unit"], "note": transfer.note if transfer else None,
        "attribution": "; ".join(_unique(p["attribution"] for p in props)),
    }
    lines = [part for leg in legs for part in _members(leg.geometry)]
    return FeatureRecord(values["feature_id"], MultiLineString(lines), values)


def transfer_records(scenario: Scenario, legs: Sequence[FeatureRecord]) -> list[FeatureRecord]:
    """Return one feature per transfer: its legs dissolved into one MultiLineString.

    Parameters
    ----------
    scenario : Scenario
        The scenario, for each transfer's own confidence and note.
    legs : sequence of FeatureRecord
        The leg records, as ``feature_records(routeset)["legs"]``.

    Returns
    -------
    list of FeatureRecord
        In order of first appearance among the legs, properties as ``TRANSFER_COLUMNS``:
        sources and citations of all legs without repeats, the period spanning the legs',
        the summed distance, the transfer's own confidence and note.
    """
    by_transfer: dict[str, list[FeatureRecord]] = {}
    for leg in legs:
        by_transfer.setdefault(leg.properties["transfer_id"], []).append(leg)
    return [_transfer_record(scenario, group) for group in by_transfer.values()]


# --- GeoJSON --------------------------------------------------------------------------------


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry object (lists, not tuples)."""
    gtype = geom.geom_type
    if gtype == "Point":
        coords: Any = list(geom.coords[0])
    elif gtype in ("LineString", "MultiPoint"):
        coords = [list(c) for g in _members(geom) for c in g.coords]
    elif gtype == "MultiLineString":
        coords = [[list(c) for c in line.coords] for line in geom.geoms]
    elif gtype == "Polygon":
        coords = _rings(geom)
    else:
        coords = [_rings(p) for p in geom.geoms]
    return {"type": gtype, "coordinates": coords}


def _members(geom: BaseGeometry) -> list[BaseGeometry]:
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]


def _rings(poly: Polygon) -> list[list[list[float]]]:
    rings = [poly.exterior, *poly.interiors]
    return [[list(c) for c in ring.coords] for ring in rings]


def _geojson_feature(record: FeatureRecord) -> str:
    return _json({
        "type": "Feature",
        "id": record.feature_id,
        "geometry": _geojson_geometry(record.geometry),
        "properties": record.properties,
    })


def render_geojson(routeset: RouteSet) -> bytes:
    """Render a route set as an RFC 7946 GeoJSON FeatureCollection.

    One Feature per leg, place and annotation (in that order), ``id`` = ``feature_id``,
    properties as in ``routemap.routes.schema``; WGS 84 lon/lat with at most 6 decimals and no ``crs``
    member; lines split at the antimeridian. Foreign members: ``name`` (the scenario title)
    and ``attribution`` (the route set's attribution lines). One feature per line, so that
    successive versions diff well.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    bytes
        UTF-8 JSON ending in a newline, identical for identical input.
    """
    groups = feature_records(routeset)
    features = [_geojson_feature(r) for recs in groups.values() for r in recs]
    head = _json({
        "type": "FeatureCollection",
        "name": routeset.scenario.title,
        "attribution": list(routeset.attributions),
    })
    body = ",\n".join(features)
    text = head[:-1] + ',"features":[\n' + body + ("\n" if body else "") + "]}\n"
    return text.encode("utf-8")


# --- CSV ------------------------------------------------------------------------------------


def render_csv(routeset: RouteSet) -> bytes:
    """Render the legs as CSV: the leg properties in contract order, then ``geometry`` as WKT.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.

    Returns
    -------
    bytes
        UTF-8 (no BOM), CRLF line ends and minimal quoting as in RFC 4180; lists as JSON
        text, missing values as empty fields, coordinates with at most 6 decimals. Text that a
        spreadsheet would run as a formula is kept inert with a leading ``'`` (see
        :func:`inert_text`); numbers, negative ones too, are written as numbers.
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, dialect="excel", lineterminator="\r\n")
    writer.writerow([*LEG_COLUMNS, "geometry"])
    for record in feature_records(routeset)["legs"]:
        cells = [_csv_cell(c, record.properties[c]) for c in LEG_COLUMNS]
        writer.writerow([*cells, inert_text(wkt(record.geometry))])
    return buf.getvalue().encode("utf-8")


def _csv_cell(name: str, value: Any) -> str:
    value = text_value(name, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return inert_text(value)
    return str(value)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
_FORMULA_STARTS = frozenset("=+-@\t\r")


def inert_text(text: str) -> str:
    """Return a CSV text cell that no spreadsheet runs as a formula, losing no character.

    A cell gets one leading ``'`` when it starts a formula: its first character, or its first
    after the leading whitespace a spreadsheet may trim, is ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return. A cell that already starts with ``'`` gets one too, so that a reader
    restores every text cell exactly by removing one leading ``'`` where there is one.

    Parameters
    ----------
    text : str
        A text cell as the scenario has it.

    Returns
    -------
    str
        The text, or ``'`` followed by the text.
    """
    first, significant = text[:1], text.lstrip()[:1]
    if first in _FORMULA_STARTS or significant in _FORMULA_STARTS or first == "'":
        return "'" + text
    return text


def wkt(geom: BaseGeometry) -> str:
    """Return WKT with at most 6 decimals and no trailing zeros (geometry already rounded)."""
    return shapely.to_wkt(geom, rounding_precision=COORD_DECIMALS, trim=True)


# --- the other formats, one module each -----------------------------------------------------
# routemap.maps.gis.gpkg and routemap.maps.gis.kml build on the helpers above, so they are imported when called rather
# than at the top (that would be circular); every format stays reachable from routemap.maps.gis.export.


def render_gpkg(routeset: RouteSet) -> bytes:
    """Render a route set as a byte-identical GeoPackage; see :func:`routemap.maps.gis.gpkg.render_gpkg`."""
    from routemap.maps.gis import gpkg

    return gpkg.render_gpkg(routeset)


def render_kml(routeset: RouteSet) -> bytes:
    """Render a route set as KML for Google Earth; see :func:`routemap.maps.gis.kml.render_kml`."""
    from routemap.maps.gis import kml

    return kml.render_kml(routeset)


def render_kmz(routeset: RouteSet) -> bytes:
    """Render a route set as a deterministic KMZ; see :func:`routemap.maps.gis.kml.render_kmz`."""
    from routemap.maps.gis import kml

    return kml.render_kmz(routeset)
