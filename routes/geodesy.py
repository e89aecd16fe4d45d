"""Geodesic helpers on WGS 84: lengths, great circles, densifying, antimeridian splitting."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

__all__ = [
    "GEOD",
    "densified",
    "densify",
    "densify_linear",
    "geodesic_length_km",
    "great_circle",
    "segment_lengths_km",
    "split_antimeridian",
    "to_lonlat_geometry",
    "unwrap",
]

GEOD = Geod(ellps="WGS84")

Coords = Sequence[tuple[float, float]]


def geodesic_length_km(coords: Coords) -> float:
    """Return the length in km of a lon/lat polyline measured on the WGS 84 ellipsoid."""
    if len(coords) < 2:
        return 0.0
    arr = np.asarray(coords, dtype=float)
    return float(GEOD.line_length(arr[:, 0], arr[:, 1]) / 1000.0)


def great_circle(
    start: tuple[float, float], end: tuple[float, float], *, step_km: float = 25.0
) -> list[tuple[float, float]]:
    """Return points along the geodesic from ``start`` to ``end`` (lon, lat), ends included.

    Longitudes are unwrapped (consecutive points never jump by more than 180 degrees), so
    the result may leave [-180, 180]; :func:`split_antimeridian` folds it back.
    """
    return [tuple(p) for p in _great_circle(start, end, step_km).tolist()]


def _great_circle(start: tuple[float, float], end: tuple[float, float], step_km: float,
                  dist_m: float | None = None) -> np.ndarray:
    """Return :func:`great_circle`'s points as an unwrapped ``(n, 2)`` array.

    ``dist_m`` is the geodesic's length where already measured (the same figure).
    """
    (lon1, lat1), (lon2, lat2) = start, end
    if dist_m is None:
        _, _, dist_m = GEOD.inv(lon1, lat1, lon2, lat2)
    n_inner = max(math.ceil(dist_m / 1000.0 / step_km) - 1, 0)
    inner = GEOD.npts(lon1, lat1, lon2, lat2, n_inner) if n_inner else []
    return _unwrapped([(lon1, lat1), *inner, (lon2, lat2)])


def densify(coords: Coords, *, step_km: float = 25.0) -> list[tuple[float, float]]:
    """Insert geodesic points so that no segment of a lon/lat polyline is longer than ``step_km``."""
    if len(coords) < 2:
        return [tuple(c) for c in coords]
    return [tuple(p) for p in densified(coords, step_km=step_km).tolist()]


def densified(coords: Coords | np.ndarray, *, step_km: float = 25.0) -> np.ndarray:
    """Return :func:`densify`'s points as an unwrapped ``(n, 2)`` array (the same values).

    Every segment is measured in one call; only those longer than ``step_km`` are walked,
    each along its geodesic, and the pieces are joined as arrays (no tuple per point).
    """
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(arr) < 2:
        return arr.copy()
    _, _, dist_m = GEOD.inv(arr[:-1, 0], arr[:-1, 1], arr[1:, 0], arr[1:, 1])
    # Each segment's far end as great_circle unwraps it against the near end.
    delta = arr[1:, 0] - arr[:-1, 0]
    ends = arr[1:, 0] + np.where(delta > 180.0, -360.0, np.where(delta < -180.0, 360.0, 0.0))
    long = np.flatnonzero(np.ceil(np.asarray(dist_m) / 1000.0 / step_km) - 1 > 0)
    # Only the long segments' ends and lengths as Python floats (not the whole line's).
    starts, stops = arr[long].tolist(), arr[long + 1].tolist()
    lengths = np.asarray(dist_m, dtype=float)[long].tolist()
    pieces = [arr[:1]]
    done = 0
    for i, start, stop, length in zip(long.tolist(), starts, stops, lengths, strict=True):
        pieces.append(np.column_stack([ends[done:i], arr[done + 1:i + 1, 1]]))
        pieces.append(_great_circle(tuple(start), tuple(stop), step_km, length)[1:])
        done = i + 1
    pieces.append(np.column_stack([ends[done:], arr[done + 1:, 1]]))
    return _unwrapped(np.concatenate(pieces))


def _unwrap(coords: Coords) -> list[tuple[float, float]]:
    return [tuple(p) for p in _unwrapped(coords).tolist()]


def _unwrapped(coords: Coords) -> np.ndarray:
    """Return a polyline unwrapped (see :func:`unwrap`) as an ``(n, 2)`` float array.

    A line that never jumps by more than 180 degrees keeps its longitudes (plus 0.0, as the
    walk adds its offset), in one vectorised step; others are walked point by point.
    """
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    step = np.diff(arr[:, 0])
    if (step > 180.0).any() or (step < -180.0).any():
        return np.array(_unwrap_walk(arr.tolist()), dtype=float).reshape(-1, 2)
    out = arr.copy()
    out[:, 0] += 0.0
    return out


def _unwrap_walk(coords: list[list[float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    offset = 0.0
    prev = None
    for lon, lat in coords:
        if prev is not None:
            delta = (lon + offset) - prev
            if delta > 180.0:
                offset -= 360.0
            elif delta < -180.0:
                offset += 360.0
        out.append((lon + offset, lat))
        prev = lon + offset
    return out


def split_antimeridian(coords: Coords) -> list[list[tuple[float, float]]]:
    """Split an unwrapped lon/lat polyline into parts that each stay within [-180, 180].

    Each crossing of the antimeridian ends one part at +/-180 and starts the next at the
    opposite sign, with the latitude interpolated (RFC 7946, section 3.1.9).
    """
    return [[tuple(p) for p in part.tolist()] for part in _split(coords)]


def _split(coords: Coords) -> list[np.ndarray]:
    """Return :func:`split_antimeridian`'s parts as ``(n, 2)`` arrays.

    A line inside [-180, 180] throughout is one part as it is (plus 0.0, as the walk adds its
    shift); others are walked point by point.
    """
    arr = _unwrapped(coords)
    lon = arr[:, 0]
    if not ((lon >= -180.0) & (lon <= 180.0)).all():
        return [np.array(p, dtype=float) for p in _split_walk(arr.tolist())]
    out = arr.copy()
    out[:, 0] += 0.0
    return [out] if len(out) >= 2 else []


def _split_walk(coords: list[list[float]]) -> list[list[tuple[float, float]]]:
    parts: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i, (lon, lat) in enumerate(coords):
        shift = _shift_for(lon)
        if i and _shift_for(coords[i - 1][0]) != shift:
            plon, plat = coords[i - 1]
            edge = _edge_between(plon, lon)
            cross_lat = plat + (edge - plon) / (lon - plon) * (lat - plat)
            current.append((edge + _shift_for(plon), cross_lat))
            parts.append(current)
            current = [(edge + shift, cross_lat)]
        current.append((lon + shift, lat))
    parts.append(current)
    return [p for p in parts if len(p) >= 2]


def _shift_for(lon: float) -> float:
    """Return the multiple of 360 that brings an unwrapped longitude into (-180, 180]."""
    return -360.0 * math.floor((lon + 180.0) / 360.0) if not -180.0 <= lon <= 180.0 else 0.0


def _edge_between(lon_a: float, lon_b: float) -> float:
    """Return the odd multiple of 180 that lies between two unwrapped longitudes."""
    lo, hi = min(lon_a, lon_b), max(lon_a, lon_b)
    k = math.floor((hi - 180.0) / 360.0)
    edge = 180.0 + 360.0 * k
    return edge if lo <= edge <= hi else edge - 360.0


def to_lonlat_geometry(coords: Coords) -> LineString | MultiLineString:
    """Return a LineString in [-180, 180], or a MultiLineString split at the antimeridian."""
    parts = _split(coords)
    if len(parts) == 1:
        return shapely.linestrings(parts[0])
    return MultiLineString([shapely.linestrings(part) for part in parts])


def unwrap(coords: Coords) -> list[tuple[float, float]]:
    """Return a lon/lat polyline whose consecutive longitudes never jump by more than 180.

    The first point keeps its longitude; later ones are shifted by multiples of 360, so a
    line crossing the antimeridian continues past 180 (or below -180) instead of jumping.
    """
    return _unwrap([(float(lon), float(lat)) for lon, lat in coords])


def segment_lengths_km(coords: Coords) -> np.ndarray:
    """Return the WGS 84 geodesic length in km of each segment of a lon/lat polyline."""
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(arr) < 2:
        return np.zeros(0)
    _, _, metres = GEOD.inv(arr[:-1, 0], arr[:-1, 1], arr[1:, 0], arr[1:, 1])
    return np.asarray(metres, dtype=float) / 1000.0


def densify_linear(coords: Coords, *, step_km: float = 10.0) -> list[tuple[float, float]]:
    """Insert points on the straight lon/lat segments so that none is longer than ``step_km``.

    Unlike :func:`densify`, the line keeps its shape in lon/lat: use it where the geometry was
    checked segment by segment in lon/lat (e.g. against land) and must be drawn as checked.

    Parameters
    ----------
    coords : sequence of (lon, lat)
        An unwrapped polyline (see :func:`unwrap`).
    step_km : float, keyword-only
        Longest segment wanted, measured geodesically.

    Returns
    -------
    list of (lon, lat)
        The same vertices, plus points spaced along the long segments.
    """
    if step_km <= 0:
        raise ValueError(f"step_km must be positive, got {step_km}")
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    # A straight lon/lat segment is not a geodesic, so splitting it evenly can leave pieces a
    # little over the step; split those again until none is.
    for _ in range(8):
        lengths = segment_lengths_km(arr)
        if not (lengths > step_km).any():
            break
        arr = _split_segments(arr, np.maximum(np.ceil(lengths / step_km).astype(int), 1))
    return [(float(x), float(y)) for x, y in arr]


def _split_segments(arr: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return ``arr`` with segment ``i`` cut into ``counts[i]`` equal lon/lat pieces."""
    out = [arr[:1]]
    for a, b, count in zip(arr[:-1], arr[1:], counts, strict=False):
        t = (np.arange(1, count + 1) / count)[:, None]
        out.append(a + (b - a) * t)
    return np.concatenate(out)
