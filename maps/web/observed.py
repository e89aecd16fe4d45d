"""The web map's observed layer: AIS tracks, dark gaps, port calls and meetings, as the script draws them.

The data document's ``observed`` member (None without observations): the words in the map's
language, the style (``OBSERVED_STYLE``), and per feature its coded geometry, its UTC dates
(``start``, ``end``: the timeline shows a feature at the steps its dates overlap) and its popup
rows. The features are drawn in the map's one longitude frame with the legs
(``routemap.maps.web.edges.in_one_frame``, the legs' own rule): a track across 180° is one
continuous line, and the first view's bounds hold the tracks. Coordinates are coded like the
legs' (``encode_line``, ``1/LINE_SCALE`` degrees). A leg's popup gives the verdict on it and its
evidence (``routemap.maps.evidence.verdict_rows``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import numpy as np

from routemap.maps import wording
from routemap.maps.evidence import span
from routemap.maps.language import Language
from routemap.maps.records import FeatureRecord
from routemap.maps.style import OBSERVED_STYLE
from routemap.maps.web.vector_basemap import encode_line
from routemap.routes.routeset import RouteSet

__all__ = ["observed_data"]

Frame = Mapping[Hashable, Sequence[np.ndarray]]
"""Each drawn feature's continuous lon/lat parts in the map's longitude frame, by feature id."""


def _parts(parts: Sequence[np.ndarray], scale: int) -> list[list[int]]:
    return [encode_line(np.asarray(part), scale) for part in parts if len(part)]


def _dots(parts: Sequence[np.ndarray], scale: int) -> list[int]:
    """The track's positions, thinned evenly to at most ``OBSERVED_STYLE.max_dots``, coded as one line."""
    if not parts:
        return []
    points = np.concatenate([np.asarray(part) for part in parts])
    keep = np.unique(np.linspace(0, len(points) - 1, min(len(points), OBSERVED_STYLE.max_dots)).round().astype(int))
    return encode_line(points[keep], scale)


def _day(text: Any) -> str | None:
    return str(text)[:10] if text else None


def observed_data(routeset: RouteSet, groups: Mapping[str, list[FeatureRecord]], frame: Frame, *, scale: int,
                  language: Language) -> dict[str, Any] | None:
    """Return what the map's script draws of the observed layer, or None without observations.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; read, never modified.
    groups : mapping
        Its observed records (``routemap.maps.observed.observed_records``, in ``language``).
    frame : mapping
        Every drawn feature's parts in the map's longitude frame, the observed ones included.
    scale : int
        Coordinates are coded in ``1/scale`` degrees.
    language : Language
        The language of every word.

    Returns
    -------
    dict or None
        ``title``, ``synthetic`` (the warning, or None), ``labels``, ``style``, and lists
        ``tracks``, ``gaps``, ``port_calls``, ``encounters``.
    """
    if not groups:
        return None
    word = language.gettext
    s = OBSERVED_STYLE
    synthetic = routeset.observed is not None and routeset.observed.spec.synthetic
    number: Callable[[Any, int], str | None] = lambda v, d: wording.number(v, decimals=d, language=language)  # noqa: E731

    def item(record: FeatureRecord, begin: str, end: str, rows: list[list[str]], **extra: Any) -> dict[str, Any]:
        p = record.properties
        return {"id": p["feature_id"], "vessel": p["vessel"], "start": _day(p[begin]),
                "end": _day(p[end] or p[begin]),
                "rows": [["MMSI", str(p["mmsi"])], [word("Period"), span(p[begin], p[end], language=language)], *rows],
                **extra}

    def point(record: FeatureRecord) -> list[int]:
        return encode_line(np.asarray(frame[record.feature_id][0]), scale)

    return {
        "title": word(s.track_label),
        "synthetic": word(s.synthetic_label) if synthetic else None,
        "labels": {"track": word(s.track_label), "gap": word(s.gap_label),
                   "port_call": word(s.port_call_label), "encounter": word(s.encounter_label)},
        "style": {"color": s.color, "width": s.width, "opacity": s.opacity, "dot": s.dot_size,
                  "gap_color": s.gap_color, "gap_width": s.gap_width,
                  "gap_dash": " ".join(f"{d * s.gap_width:g}" for d in s.gap_dash), "marker": s.marker_size,
                  "port_call_shape": s.port_call_shape, "encounter_shape": s.encounter_shape},
        "tracks": [item(r, "start_time", "end_time", [[word("Observed verdict"), v] for v in r.properties["verdicts"]],
                        parts=_parts(frame[r.feature_id], scale), dots=_dots(frame[r.feature_id], scale))
                   for r in groups["observed_tracks"]],
        "gaps": [item(r, "start_time", "end_time",
                      [[word("Transponder off"), r.properties["label"]]],
                      label=r.properties["label"], parts=_parts(frame[r.feature_id], scale))
                 for r in groups["gaps"]],
        "port_calls": [item(r, "arrival_time", "departure_time", [[word("Port call (AIS)"),
                                                                   r.properties["port_name"] or ""]], at=point(r))
                       for r in groups["port_calls"]],
        "encounters": [item(r, "start_time", "end_time",
                            [[word("Other vessel"), f"MMSI {r.properties['mmsi_other']}"],
                             [word("Closest approach"), f"{number(r.properties['min_distance_m'], 0)} m"]],
                            at=point(r))
                       for r in groups["encounters"]],
    }
