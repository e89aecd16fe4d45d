"""The record layer: one record per leg, place, annotation and transfer of a RouteSet, named as
``routemap.routes.schema`` names them, with the cleaned geometry and values every product writes."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from routemap.geo.model import Scenario, Transfer
from routemap.maps import wording
from routemap.maps.citations import citations, credit
from routemap.maps.evidence import evidence_text
from routemap.maps.exportgeom import (
    COORD_DECIMALS,
    export_geometries,
    export_geometry,
    geometry_members,
    line_arrays,
)
from routemap.maps.language import Language
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import (
    ANNOTATION_COLUMNS,
    DERIVED_COLUMNS,
    DERIVED_LEG_COLUMNS,
    LEG_COLUMNS,
    LIST_COLUMNS,
    OBSERVED_LEG_COLUMNS,
    PLACE_COLUMNS,
    QUANTITY_COLUMNS,
)

__all__ = [
    "COORD_DECIMALS",
    "WGS84",
    "FeatureRecord",
    "connector_lines",
    "export_geometry",
    "feature_records",
    "geometry_members",
    "leg_columns",
    "plain_value",
    "shared_records",
    "split_leg",
    "text_value",
    "track_geometry",
    "transfer_records",
]

logger = logging.getLogger(__name__)

WGS84 = "EPSG:4326"
"""The CRS of every record's geometry: WGS 84 longitude/latitude."""


@dataclass(frozen=True)
class FeatureRecord:
    """One exported feature: its stable id, cleaned geometry and contract properties in order.

    A leg's ``connectors`` are the stretches of its geometry off the network (the frame-only
    ``connectors`` column, cleaned as the geometry is): renderers draw them as connectors and
    the rest (:func:`track_geometry`) as the leg's line. Other features have none.
    """

    feature_id: str
    geometry: BaseGeometry
    properties: dict[str, Any]
    connectors: tuple[LineString, ...] = ()


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
    if type(value) is str:  # most cells: nothing to convert
        return value
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


# --- connectors: stretches off the network --------------------------------------------------

_SAME_POINT_DEG = 2e-6
"""Degrees within which a connector's end is the geometry's vertex (rounding is 5e-7)."""


def connector_lines(cell: Any) -> tuple[LineString, ...]:
    """Return a leg's connectors from its frame cell, cleaned as every export cleans lines.

    Parameters
    ----------
    cell : object
        The ``connectors`` cell of ``RouteSet.legs``: a list of ``[[lon, lat], ...]``
        coordinate lists, one per stretch (None, NaN or an empty list for none).

    Returns
    -------
    tuple of shapely.geometry.LineString
        One line per stretch (split where it crosses the antimeridian); stretches with fewer
        than two distinct points after rounding are left out.
    """
    stretches = plain_value(cell) if isinstance(cell, (list, tuple, np.ndarray)) else None
    out: list[LineString] = []
    for coords in stretches or []:
        points = [(float(c[0]), float(c[1])) for c in coords or [] if c is not None and len(c) >= 2]
        if len(points) < 2:
            continue
        out.extend(LineString(part) for part in line_arrays(LineString(np.array(points))))
    return tuple(out)


def split_leg(geom: BaseGeometry, cell: Any) -> tuple[BaseGeometry | None, tuple[LineString, ...]]:
    """Return a leg's line split into the part drawn as track and its connectors.

    Each connector is found in the line as a run of vertices from its first point to its last
    (no longer than the connector, so a line passing the same point twice is cut where the
    connector is); the vertices strictly between are removed and the line is cut there. A
    connector that is not part of the line is left out (and logged): only what the line holds
    is ever drawn.

    Parameters
    ----------
    geom : shapely.geometry.base.BaseGeometry
        The leg's lon/lat line (LineString or MultiLineString), as in the frame or a record.
    cell : object
        Its ``connectors`` cell (:func:`connector_lines`).

    Returns
    -------
    tuple
        The track (a LineString when one piece is left, a MultiLineString for several, None
        when the whole line is off the network) and the connectors found in the line, cleaned
        as exports are. The input is not modified.
    """
    parts = [np.asarray(p.coords, dtype=float)[:, :2] for p in geometry_members(geom)
             if not p.is_empty]
    found = []
    for connector in connector_lines(cell):
        cut = _cut_connector(parts, np.asarray(connector.coords, dtype=float)[:, :2])
        if cut is None:
            logger.warning("a connector from %s to %s is not part of its leg's line; "
                           "it is not drawn", connector.coords[0], connector.coords[-1])
            continue
        parts = cut
        found.append(connector)
    if not parts:
        return None, tuple(found)
    if len(parts) == 1 and isinstance(geom, LineString):
        return LineString(parts[0]), tuple(found)
    return MultiLineString([LineString(p) for p in parts]), tuple(found)


def track_geometry(geom: BaseGeometry, connectors: Sequence[LineString]) -> BaseGeometry | None:
    """Return a leg's line without its connectors: the part drawn as track.

    Parameters
    ----------
    geom : shapely.geometry.base.BaseGeometry
        The leg's lon/lat line, as in a record.
    connectors : sequence of shapely.geometry.LineString
        Its connectors, as a record has them (:attr:`FeatureRecord.connectors`).

    Returns
    -------
    shapely.geometry.base.BaseGeometry or None
        As :func:`split_leg` gives it; None when the whole line is off the network.
    """
    return split_leg(geom, [list(c.coords) for c in connectors])[0]


def _near(coords: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Return the indices of the vertices at ``point`` (longitudes compared modulo 360)."""
    dlon = (coords[:, 0] - point[0] + 180.0) % 360.0 - 180.0
    dlat = coords[:, 1] - point[1]
    return np.flatnonzero((np.abs(dlon) <= _SAME_POINT_DEG) & (np.abs(dlat) <= _SAME_POINT_DEG))


def _planar_length(coords: np.ndarray) -> float:
    step = np.diff(coords, axis=0)
    step[:, 0] = (step[:, 0] + 180.0) % 360.0 - 180.0
    return float(np.hypot(step[:, 0], step[:, 1]).sum())


def _cut_connector(parts: list[np.ndarray], connector: np.ndarray) -> list[np.ndarray] | None:
    """Return the parts with the shortest run matching the connector cut out (None when no
    run matches)."""
    limit = _planar_length(connector) * 1.05 + 1e-5
    best: tuple[int, int, int] | None = None
    for k, part in enumerate(parts):
        starts, ends = _near(part, connector[0]), _near(part, connector[-1])
        for i in starts:
            later = ends[ends > i]
            if not later.size:
                continue
            j = int(later[0])
            if _planar_length(part[i:j + 1]) <= limit and (best is None or j - i < best[2] - best[1]):
                best = (k, int(i), j)
    if best is None:
        return None
    k, i, j = best
    pieces = [p for p in (parts[k][:i + 1], parts[k][j:]) if len(p) >= 2]
    return [*parts[:k], *pieces, *parts[k + 1:]]


# --- records --------------------------------------------------------------------------------


def _in_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the frame in EPSG:4326 (a new frame if it had to be reprojected)."""
    if frame.crs is None or frame.crs.to_epsg() == 4326:
        return frame
    return frame.to_crs(WGS84)


def _frame_records(frame: gpd.GeoDataFrame, columns: Sequence[str],
                   derived: frozenset[str] = frozenset()) -> Iterator[FeatureRecord]:
    """Yield one record per row, with the contract columns in order (missing ones as None);
    ``derived`` columns are left None for the caller to fill, without a warning."""
    missing = [c for c in columns if c not in frame.columns and c not in derived]
    if missing:
        logger.warning("route set frame lacks contract columns %s; exported as null", missing)
    frame = _in_wgs84(frame)
    empty = [None] * len(frame)
    data = [_plain_column(frame[c].tolist()) if c in frame.columns else empty for c in columns]
    for i, geom in enumerate(export_geometries(list(frame.geometry))):
        values = dict(zip(columns, (cells[i] for cells in data), strict=True))
        yield FeatureRecord(str(values["feature_id"]), geom, values)


def _plain_column(cells: list[Any]) -> list[Any]:
    """Return :func:`plain_value` of every cell (a column of text cells as it is)."""
    if all(type(cell) is str for cell in cells):
        return cells
    return [plain_value(cell) for cell in cells]


def feature_records(routeset: RouteSet, *, language: Language | None = None,
                    connectors: bool = True) -> dict[str, list[FeatureRecord]]:
    """Return the exportable features of a route set: legs, places, annotations.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; its frames are read, never modified. Its texts are written as
        they are: :meth:`RouteSet.in_language` puts them in an output's language first.
    language : Language, optional
        The language of the text values the tool itself writes (``quantity_text``,
        ``citations``, the labels of ``attribution``); None is English. Codes (``confidence``, ``mode``...) and property
        names never change.
    connectors : bool
        Find each leg's connectors in its line (:attr:`FeatureRecord.connectors`), for the
        outputs that draw them apart; the files that keep each leg's whole line (GeoJSON,
        GeoPackage, CSV) leave it out, and their records' ``connectors`` are empty.

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
        "legs": _leg_records(routeset, language, connectors=connectors),
        "places": list(_frame_records(routeset.places, PLACE_COLUMNS, DERIVED_COLUMNS)),
        "annotations": list(_frame_records(routeset.annotations, ANNOTATION_COLUMNS, DERIVED_COLUMNS)),
    }
    cited: dict[tuple[str, ...], list[str]] = {}  # each list of sources written once
    by_source: dict[str, list[str]] = {}
    credited: dict[str, str] = {}
    for record in (r for group in groups.values() for r in group):
        props = record.properties
        ids = tuple(props["sources"] or ())
        if ids not in cited:
            cited[ids] = _cite(routeset.scenario, ids, language, by_source)
        props["citations"] = list(cited[ids])
        if props["attribution"]:
            line = props["attribution"]
            credited[line] = credited.get(line) or credit(line, language=language)
            props["attribution"] = credited[line]
    _check_ids([r.properties["feature_id"] for recs in groups.values() for r in recs])
    return groups


def _cite(scenario: Scenario, ids: tuple[str, ...], language: Language | None,
          by_source: dict[str, list[str]]) -> list[str]:
    """Return :func:`routemap.maps.citations.citations` of the ids, each source cited once
    per build (``by_source`` keeps what was written)."""
    for source_id in ids:
        if source_id not in by_source:
            by_source[source_id] = citations(scenario, [source_id], language=language)
    return [text for source_id in ids for text in by_source[source_id]]


def _leg_records(routeset: RouteSet, language: Language | None, *,
                 connectors: bool = True) -> list[FeatureRecord]:
    """Return the leg records, each with its quantity written as the sources claim it."""
    texts = _quantity_texts(routeset.scenario, language)
    records = list(_frame_records(routeset.legs, leg_columns(routeset), DERIVED_LEG_COLUMNS))
    if connectors:
        records = _with_connectors(routeset, records)
    for record in records:
        p = record.properties
        p["quantity_text"] = texts.get(p["transfer_id"]) if p["transfer_id"] in texts else (
            wording.quantity_claim(p["quantity_value"], p["quantity_unit"],
                                   qualifier=p["quantity_qualifier"], high=p["quantity_max"],
                                   basis=p["quantity_basis"], window_start=p["quantity_window_start"],
                                   window_end=p["quantity_window_end"], language=language))
        if routeset.observed is not None:
            found = routeset.observed.verdict_for(p["transfer_id"], int(p["leg_index"]))
            p["observed_evidence"] = evidence_text(found.evidence, found.verdict, language=language) if found else None
    return records


def _with_connectors(routeset: RouteSet, legs: list[FeatureRecord]) -> list[FeatureRecord]:
    """Return the leg records with their connectors found in their lines (properties shared)."""
    if "connectors" not in routeset.legs.columns:
        return legs
    return [replace(r, connectors=split_leg(r.geometry, cell)[1])
            for r, cell in zip(legs, routeset.legs["connectors"].tolist(), strict=True)]


_Built = dict[str, list[FeatureRecord]]
#: id(route set) -> (a weak reference to it, its records by (language code, connectors)).
_SHARED: dict[int, tuple[weakref.ref[RouteSet], dict[tuple[str | None, bool], _Built]]] = {}


def shared_records(routeset: RouteSet, *, language: Language | None = None,
                   connectors: bool = True) -> dict[str, list[FeatureRecord]]:
    """Return :func:`feature_records` of a route set, built once per route set and language.

    Every product of a build (GeoJSON, GeoPackage, KML, CSV, the web map) asks for its records
    here, so a build of several formats makes them once: the records without connectors first,
    then, for the outputs that draw connectors apart, the same records with them found. The
    records are kept while the route set lives (its frames are never changed once built).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, in the output's language (:meth:`RouteSet.in_language`).
    language : Language, optional
        As for :func:`feature_records`; records are kept per language code.
    connectors : bool
        As for :func:`feature_records`.

    Returns
    -------
    dict of str to list of FeatureRecord
        A new dict of new lists on each call; the records in them are shared by every caller
        and must be read, never modified.

    Raises
    ------
    ValueError
        If a feature id is missing or repeated.
    """
    built = _built_for(routeset)
    code = language.code if language is not None else None
    plain = built.get((code, False))
    if plain is None:
        plain = built[(code, False)] = feature_records(routeset, language=language, connectors=False)
    found = plain
    if connectors:
        found = built.get((code, True)) or {**plain, "legs": _with_connectors(routeset, plain["legs"])}
        built[(code, True)] = found
    return {name: list(records) for name, records in found.items()}


def _built_for(routeset: RouteSet) -> dict[tuple[str | None, bool], _Built]:
    """Return the records kept for this route set (an empty dict the first time)."""
    key = id(routeset)
    held = _SHARED.get(key)
    if held is None or held[0]() is not routeset:
        def forget(ref: weakref.ref[RouteSet], key: int = key) -> None:
            if _SHARED.get(key, (None,))[0] is ref:
                del _SHARED[key]

        held = _SHARED[key] = (weakref.ref(routeset, forget), {})
    return held[1]


def leg_columns(routeset: RouteSet) -> tuple[str, ...]:
    """Return the leg properties in order: ``LEG_COLUMNS``, then ``OBSERVED_LEG_COLUMNS`` when
    the scenario has observations (a scenario without them exports exactly as before)."""
    return (*LEG_COLUMNS, *OBSERVED_LEG_COLUMNS) if routeset.observed is not None else LEG_COLUMNS


def _quantity_texts(scenario: Scenario, language: Language | None) -> dict[str, str | None]:
    """Return each transfer's quantity in words: every claim, each disagreeing one with its source."""
    publishers = {s.id: s.publisher for s in scenario.sources}
    return {t.id: wording.quantity_claims(t.quantity_claims, publishers=publishers,
                                          language=language)
            for t in scenario.transfers}


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


def _transfer_values(transfers: dict[str, Transfer], legs: list[FeatureRecord]) -> dict[str, Any]:
    """Return one transfer's properties: its legs' merged."""
    first = legs[0].properties
    tid = first["transfer_id"]
    transfer = transfers.get(tid)
    props = [leg.properties for leg in legs]
    distances = [p["distance_km"] for p in props if p["distance_km"] is not None]
    starts = [p["period_start"] for p in props if p["period_start"]]
    ends = [p["period_end"] for p in props if p["period_end"]]
    values = {
        "feature_id": f"transfer:{tid}", "feature_type": "transfer", "transfer_id": tid,
        "transfer_label": first["transfer_label"], "modes": [p["mode"] for p in props],
        "leg_count": len(props), "distance_km": sum(distances) if distances else None,
        "path_confidence": ("reported" if all(p["path_confidence"] == "reported" for p in props)
                            else "estimated"),
        "confidence": transfer.confidence if transfer else first["confidence"],
        "sources": _unique(s for p in props for s in p["sources"] or []),
        "citations": _unique(c for p in props for c in p["citations"] or []),
        "period_start": min(starts, default=None), "period_end": max(ends, default=None),
        "cargo": first["cargo"], **{c: first[c] for c in QUANTITY_COLUMNS},
        "note": transfer.note if transfer else None,
        "attribution": "; ".join(_unique(p["attribution"] for p in props)),
    }
    return values


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
        the summed distance, the transfer's own confidence and note, and ``path_confidence``
        ``reported`` only when every leg's line is reported.
    """
    by_transfer: dict[str, list[FeatureRecord]] = {}
    for leg in legs:
        by_transfer.setdefault(leg.properties["transfer_id"], []).append(leg)
    transfers: dict[str, Transfer] = {}
    for transfer in scenario.transfers:  # the first of an id, as a search from the start finds
        transfers.setdefault(transfer.id, transfer)
    if not by_transfer:
        return []
    values = [_transfer_values(transfers, group) for group in by_transfer.values()]
    parts = [[part for leg in group for part in geometry_members(leg.geometry)]
             for group in by_transfer.values()]
    lines = shapely.multilinestrings([p for group in parts for p in group],
                                     indices=[i for i, group in enumerate(parts) for _ in group])
    return [FeatureRecord(v["feature_id"], line, v) for v, line in zip(values, lines.tolist(), strict=True)]
