"""Geometry as every export writes it: 6 decimals, split at the antimeridian, polygons
counterclockwise; one geometry at a time or a whole column of lines at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
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

from routemap.routes.geodesy import split_antimeridian

__all__ = [
    "COORD_DECIMALS",
    "export_geometries",
    "export_geometry",
    "geometry_members",
    "line_arrays",
]

COORD_DECIMALS = 6
"""Decimals kept in exported coordinates (about 0.1 m; RFC 7946 section 11.2)."""


def _round(coords: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
    """Round lon/lat pairs to COORD_DECIMALS and drop the repeats rounding creates."""
    return [(x, y) for x, y in _round_xy(np.asarray(coords, dtype=float)).tolist()]


_FEW_POINTS = 8
"""Up to this many points, a line is rounded point by point."""


def _rounded(xy: np.ndarray) -> np.ndarray:
    """Return coordinates rounded as Python's ``round`` does (to the double nearest the decimal).

    numpy's scaled rounding agrees with ``round`` except within a hair of a half, where
    ``round`` decides; no ``-0.0`` is left.
    """
    rounded = np.round(xy, COORD_DECIMALS)
    scaled = xy * 10.0**COORD_DECIMALS
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for i, j in zip(*np.nonzero(near_half), strict=True):
        rounded[i, j] = round(float(xy[i, j]), COORD_DECIMALS)
    return rounded + 0.0


def _round_xy(xy: np.ndarray) -> np.ndarray:
    """Return lon/lat rows rounded to COORD_DECIMALS, without the repeats rounding creates.

    Rounded as Python's ``round`` does (:func:`_rounded`).
    """
    if xy.size == 0:
        return np.empty((0, 2))
    xy = xy.reshape(len(xy), -1)[:, :2]
    if len(xy) <= _FEW_POINTS:  # a connector, a point: numpy's set-up would cost more than the sum
        out: list[tuple[float, float]] = []
        for x, y in xy.tolist():
            point = (round(x, COORD_DECIMALS) + 0.0, round(y, COORD_DECIMALS) + 0.0)
            if not out or out[-1] != point:
                out.append(point)
        return np.array(out)
    rounded = _rounded(xy)
    keep = np.ones(len(rounded), dtype=bool)
    keep[1:] = np.any(rounded[1:] != rounded[:-1], axis=1)
    return rounded[keep]


def _wraps(lons: np.ndarray) -> bool:
    """Return True if a line's longitudes leave [-180, 180] or jump more than 180 degrees."""
    return bool(np.any((lons < -180.0) | (lons > 180.0)) or np.any(np.abs(np.diff(lons)) > 180.0))


def line_arrays(geom: LineString | MultiLineString) -> list[np.ndarray]:
    """Return the rounded parts of a line as arrays, split at the antimeridian where it wraps."""
    lines = geom.geoms if isinstance(geom, MultiLineString) else [geom]
    parts: list[np.ndarray] = []
    for line in lines:
        xy = shapely.get_coordinates(line)
        pieces = split_antimeridian(xy.tolist()) if _wraps(xy[:, 0]) else [xy]
        parts.extend(p for p in (_round_xy(np.asarray(piece, dtype=float)) for piece in pieces)
                     if len(p) >= 2)
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
        parts = line_arrays(geom)
        if not parts:
            raise ValueError("line has fewer than two distinct points after rounding")
        lines = [LineString(part) for part in parts]
        if isinstance(geom, LineString) and len(lines) == 1:
            return lines[0]
        return MultiLineString(lines)
    if isinstance(geom, Polygon):
        return _polygon(geom)
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([_polygon(p) for p in geom.geoms])
    raise ValueError(f"cannot export a {geom.geom_type} geometry")


def export_geometries(geoms: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    """Return each geometry as :func:`export_geometry` writes it, the lines rounded in bulk.

    The same coordinates as one call per geometry, bit for bit: the lines that never cross
    the antimeridian are rounded in one numpy pass (and built in one shapely call), the rest
    (points, polygons, lines that wrap) one at a time.

    Parameters
    ----------
    geoms : sequence of shapely.geometry.base.BaseGeometry
        Lon/lat geometries (EPSG:4326), e.g. a frame's geometry column.

    Returns
    -------
    list of shapely.geometry.base.BaseGeometry
        New geometries, in order; the inputs are not modified.

    Raises
    ------
    ValueError
        For the first geometry (in order) that :func:`export_geometry` refuses.
    """
    out: list[BaseGeometry | None] = [None] * len(geoms)
    lines = [i for i, g in enumerate(geoms)
             if isinstance(g, (LineString, MultiLineString)) and not g.is_empty]
    parts, owner = shapely.get_parts(np.array([geoms[i] for i in lines], dtype=object), return_index=True)
    xy, part_of = shapely.get_coordinates(parts, return_index=True)
    bulk = np.ones(len(lines), dtype=bool)  # rows with no part that wraps
    same = part_of[1:] == part_of[:-1]
    jumps = np.flatnonzero(same & (np.abs(np.diff(xy[:, 0])) > 180.0))
    bulk[owner[part_of[jumps]]] = False
    bulk[owner[part_of[(xy[:, 0] < -180.0) | (xy[:, 0] > 180.0)]]] = False
    keep_point = bulk[owner[part_of]]
    _bulk_lines(out, [i for row, i in enumerate(lines) if bulk[row]], [geoms[i] for i in lines],
                xy[keep_point], part_of[keep_point], owner, bulk)
    for i, g in enumerate(geoms):
        if out[i] is None:
            out[i] = export_geometry(g)  # points, polygons, lines that wrap: one at a time
    return out  # type: ignore[return-value]


def _bulk_lines(out: list[BaseGeometry | None], rows: list[int], geoms: list[BaseGeometry],
                xy: np.ndarray, part_of: np.ndarray, owner: np.ndarray, bulk: np.ndarray) -> None:
    """Round the points of the lines that do not wrap and fill ``out[rows]`` with their lines."""
    if not rows:
        return
    rounded = _rounded(xy)
    keep = np.ones(len(rounded), dtype=bool)  # the first point of each part, and each that moves
    keep[1:] = (part_of[1:] != part_of[:-1]) | np.any(rounded[1:] != rounded[:-1], axis=1)
    rounded, part_of = rounded[keep], part_of[keep]
    ids, counts = np.unique(part_of, return_counts=True)
    kept_parts = ids[counts >= 2]
    long_enough = np.isin(part_of, kept_parts)
    dense = np.searchsorted(kept_parts, part_of[long_enough])  # shapely wants indices 0..k-1
    made = shapely.linestrings(rounded[long_enough], indices=dense)
    by_row: dict[int, list[LineString]] = {}
    bulk_rows = np.flatnonzero(bulk)
    for part, line in zip(kept_parts.tolist(), made.tolist(), strict=True):
        by_row.setdefault(int(owner[part]), []).append(line)
    for row, i in zip(bulk_rows.tolist(), rows, strict=True):
        found = by_row.get(row)
        if not found:
            continue  # left for export_geometry, which raises its own error
        original = geoms[row]
        out[i] = (found[0] if isinstance(original, LineString) and len(found) == 1
                  else MultiLineString(found))


def geometry_members(geom: BaseGeometry) -> list[BaseGeometry]:
    """Return the parts of a multi-part geometry, or the geometry itself in a list.

    Parameters
    ----------
    geom : shapely.geometry.base.BaseGeometry
        Any geometry.

    Returns
    -------
    list of shapely.geometry.base.BaseGeometry
        ``geom.geoms`` for a multi-part geometry or collection, else ``[geom]``.
    """
    return list(geom.geoms) if hasattr(geom, "geoms") else [geom]
