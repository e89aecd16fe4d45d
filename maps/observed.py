"""The record layer's observed part: tracks, dark gaps, port calls and encounters as records.

Every product writes a route set's observed layer (:class:`routemap.routes.verdicts.ObservedLayer`)
through :func:`observed_records`, so that GeoJSON, GeoPackage, KML, CSV, the web map and the
slides say the same thing under the same names (``routemap.routes.schema``:
``OBSERVED_TRACK_COLUMNS``, ``GAP_COLUMNS``, ``PORT_CALL_COLUMNS``, ``ENCOUNTER_COLUMNS``).
A route set without observations has no observed records, and every output is as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd

from routemap.maps.citations import citations
from routemap.maps.evidence import verdict_line
from routemap.maps.language import Language
from routemap.maps.records import FeatureRecord, export_geometry, plain_value
from routemap.maps.style import gap_label
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import (
    ENCOUNTER_COLUMNS,
    GAP_COLUMNS,
    OBSERVED_TRACK_COLUMNS,
    PORT_CALL_COLUMNS,
)

__all__ = ["OBSERVED_GROUPS", "OBSERVED_LAYERS", "observed_records", "utc_text"]

logger = logging.getLogger(__name__)

OBSERVED_GROUPS: tuple[str, ...] = ("observed_tracks", "gaps", "port_calls", "encounters")
"""The observed record groups, in the order every product writes them (GeoPackage layer names)."""

OBSERVED_LAYERS: dict[str, tuple[tuple[str, ...], str]] = {
    "observed_tracks": (OBSERVED_TRACK_COLUMNS, "MultiLineString"),
    "gaps": (GAP_COLUMNS, "MultiLineString"),
    "port_calls": (PORT_CALL_COLUMNS, "Point"),
    "encounters": (ENCOUNTER_COLUMNS, "Point"),
}
"""Each observed group's properties, in order, and its geometry type in a GeoPackage."""


def utc_text(value: Any) -> str | None:
    """Return an instant as ISO 8601 UTC to the second (``2024-03-02T18:00:00Z``); None if missing."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def _key(value: Any) -> str:
    """An instant as it stands in a feature id: ``20240302T180000Z``."""
    return (utc_text(value) or "").replace("-", "").replace(":", "")


def observed_records(routeset: RouteSet, *, language: Language | None = None
                     ) -> dict[str, list[FeatureRecord]]:
    """Return the observed layer of a route set as records, by group (:data:`OBSERVED_GROUPS`).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; its observed layer is read, never modified.
    language : Language, optional
        The language of the text values the tool writes (a gap's ``label``, a track's ``verdicts``);
        None is English.

    Returns
    -------
    dict of str to list of FeatureRecord
        Empty when the route set has no observations; otherwise every group (maybe empty), in
        order, each record's properties named and ordered as in ``routemap.routes.schema``.
    """
    layer = routeset.observed
    if layer is None:
        return {}
    scenario = routeset.scenario
    common = {"synthetic": layer.spec.synthetic, "sources": list(layer.spec.sources),
              "citations": citations(scenario, layer.spec.sources, language=language)}
    verdicts: dict[str, list[str]] = {}
    for v in layer.verdicts:
        verdicts.setdefault(v.vessel, []).append(verdict_line(v, language=language))
    return {
        "observed_tracks": list(_records(layer.trajectories, OBSERVED_TRACK_COLUMNS, lambda r: {
            "feature_id": f"observed:{int(r['mmsi'])}:{_key(r['start'])}", "feature_type": "observed_track",
            "imo": r.get("imo"), "ais_name": r.get("name"), "start_time": utc_text(r["start"]),
            "end_time": utc_text(r["end"]), "n_positions": r.get("n_positions"),
            "length_km": r.get("length_km"), "verdicts": verdicts.get(r["vessel"], [])}, common)),
        "gaps": list(_records(layer.gaps, GAP_COLUMNS, lambda r: {
            "feature_id": f"gap:{int(r['mmsi'])}:{_key(r['start'])}", "feature_type": "gap",
            "label": gap_label(float(r["duration_h"]), language=language),
            "start_time": utc_text(r["start"]), "end_time": utc_text(r["end"]),
            **{k: r.get(k) for k in ("duration_h", "reachable_km", "last_lat", "last_lon", "first_lat",
                                     "first_lon")}}, common)),
        "port_calls": list(_records(layer.port_calls, PORT_CALL_COLUMNS, lambda r: {
            "feature_id": f"port_call:{int(r['mmsi'])}:{_key(r['arrival'])}", "feature_type": "port_call",
            "port_id": r.get("port_id"), "port_name": r.get("port_name"),
            "arrival_time": utc_text(r["arrival"]), "departure_time": utc_text(r.get("departure")),
            "duration_h": r.get("duration_h")}, common)),
        "encounters": list(_records(layer.encounters, ENCOUNTER_COLUMNS, _encounter, common)),
    }


def _encounter(row: dict[str, Any]) -> dict[str, Any]:
    """The vessel of interest's MMSI first, the other vessel's in ``mmsi_other`` (a meeting of two vessels
    of interest is a record under each, ``encounter:<its MMSI>:<the other's>:<start>``)."""
    a, b = int(row["mmsi_a"]), int(row["mmsi_b"])
    mine, other = (a, b) if row.get("vessel_mmsi", a) == a else (b, a)
    return {"feature_id": f"encounter:{mine}:{other}:{_key(row['start'])}", "feature_type": "encounter",
            "mmsi": mine, "mmsi_other": other, "start_time": utc_text(row["start"]),
            "end_time": utc_text(row["end"]), "duration_h": row.get("duration_h"),
            "min_distance_m": row.get("min_distance_m")}


def _records(frame: pd.DataFrame, columns: Sequence[str], values: Callable[[dict[str, Any]], dict[str, Any]],
             common: dict[str, Any]) -> Iterator[FeatureRecord]:
    """Yield one record per row, in time order; a row whose geometry cannot be exported is
    left out with a warning (a track of one position has no line)."""
    time = "arrival" if "arrival" in frame.columns else "start"
    order = frame.sort_values(["vessel", time], kind="stable") if len(frame) else frame
    for row in order.to_dict("records"):
        props = {"geometry_kind": "observed", "vessel": row["vessel"], "mmsi": row.get("mmsi"),
                 **common, **values(row)}
        try:
            geometry = export_geometry(row["geometry"])
        except ValueError as exc:
            logger.warning("observed %s of %s left out: %s", props["feature_type"], row["vessel"], exc)
            continue
        yield FeatureRecord(str(props["feature_id"]), geometry,
                            {c: plain_value(props.get(c)) for c in columns})
