"""The projected basemap: Natural Earth land, coasts, borders and names, and faint rail context."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from routemap.geo.countries import NATURAL_EARTH_ATTRIBUTION, load_countries
from routemap.maps.projection import MapFrame, lonlat_bounds

__all__ = [
    "Basemap",
    "CountryShape",
    "RailContext",
    "build_basemap",
    "build_rail_segments",
    "country_label_points",
    "load_basemap",
    "load_rail_context",
    "rail_polylines",
    "split_outlines",
]

log = logging.getLogger(__name__)

_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class CountryShape:
    """One country's land inside the frame, projected."""

    iso2: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Basemap:
    """The basemap layers for one frame, in its projected metres.

    Attributes
    ----------
    countries : tuple of CountryShape
        Country land, clipped around the frame, in a stable order.
    coast : shapely geometry
        The coastline (land's outline; lake shores included).
    borders : shapely geometry
        Land borders between countries (country outlines that are not coast).
    attribution : str
        The licence line the basemap data needs.
    """

    countries: tuple[CountryShape, ...]
    coast: BaseGeometry
    borders: BaseGeometry
    attribution: str = NATURAL_EARTH_ATTRIBUTION


@dataclass(frozen=True)
class RailContext:
    """Rail lines for faint context: projected polylines, and their licence."""

    lines: tuple[np.ndarray, ...]
    attribution: str


def _lon_ranges(west: float, east: float) -> list[tuple[float, float]]:
    """Split an unwrapped longitude range into ranges inside [-180, 180]."""
    if east - west >= 360.0:
        return [(-180.0, 180.0)]
    if west < -180.0:
        return [(west + 360.0, 180.0), (-180.0, east)]
    if east > 180.0:
        return [(west, 180.0), (-180.0, east - 360.0)]
    return [(west, east)]


def _clip_lonlat(geoms: np.ndarray, frame: MapFrame) -> np.ndarray:
    west, south, east, north = lonlat_bounds(frame, pad=0.04)
    parts = [shapely.clip_by_rect(geoms, w, south, e, north) for w, e in _lon_ranges(west, east)]
    out = parts[0]
    for extra in parts[1:]:
        out = shapely.union(out, extra)
    return out


def _project_all(geoms: np.ndarray, frame: MapFrame) -> np.ndarray:
    """Project an array of lon/lat geometries with one call to PROJ."""

    def forward(coords: np.ndarray) -> np.ndarray:
        x, y = frame.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, forward)


def _segment_classes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Classify ring segments: 0 coast (one country has it), 1 border, 2 repeat of a border."""
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    key = np.column_stack([np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)])
    order, new = _sorted_groups(key)
    group = np.cumsum(new) - 1
    inverse = np.empty(len(a), dtype=np.intp)
    inverse[order] = group
    first = order[new]  # a stable sort: each group's first row is its first in ``key``
    classes = np.where(np.bincount(group)[inverse] > 1, 1, 0)
    classes[(classes == 1) & (first[inverse] != np.arange(len(a)))] = 2
    return classes


def _sorted_groups(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return a stable lexicographic order of a 2-D array's rows, and where in that order each
    run of equal rows begins (as ``numpy.unique(rows, axis=0)`` groups them, many times
    faster: a sort per column rather than one of opaque records)."""
    order = np.lexsort(rows.T[::-1])
    ranked = rows[order]
    new = np.r_[True, np.any(ranked[1:] != ranked[:-1], axis=1)] if len(rows) else \
        np.zeros(0, dtype=bool)
    return order, new


def split_outlines(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split country outlines into coastline and land borders, without overlay operations.

    A segment that two countries share (same two vertices, as Natural Earth's topology
    guarantees) is a border, drawn once; a segment only one country has is coast.

    Parameters
    ----------
    polygons : numpy.ndarray of shapely geometries
        Country polygons sharing vertices along their borders.

    Returns
    -------
    tuple of numpy.ndarray
        LineStrings of coast, then LineStrings of borders.
    """
    rings = shapely.get_rings(shapely.get_parts(polygons))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b, seg_ring = coords[:-1][same], coords[1:][same], ring[:-1][same]
    if len(a) == 0:
        return np.array([], dtype=object), np.array([], dtype=object)
    classes = _segment_classes(a, b)
    starts = np.flatnonzero(
        np.r_[True, (seg_ring[1:] != seg_ring[:-1]) | (classes[1:] != classes[:-1])]
    )
    run = np.cumsum(np.isin(np.arange(len(a)), starts)) - 1
    ends = np.r_[starts[1:], len(a)]
    points = np.concatenate([a, b[ends - 1]])
    line_of = np.concatenate([run, np.arange(len(starts))])
    # every point's place in its line, all lines end to end: a permutation, so its inverse
    # is the order (what argsort would return, without sorting)
    place = np.concatenate([np.arange(len(a)) + run, ends + np.arange(len(starts))])
    order = np.empty(len(place), dtype=np.intp)
    order[place] = np.arange(len(place))
    lines = shapely.linestrings(points[order], indices=line_of[order])
    run_class = classes[starts]
    return lines[run_class == 0], lines[run_class == 1]


def build_basemap(
    countries: gpd.GeoDataFrame, frame: MapFrame, *, tolerance_m: float
) -> Basemap:
    """Clip, outline and project country shapes for one frame.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Columns ``iso2``, ``name`` and lon/lat polygon ``geometry`` (as ``load_countries``).
    frame : MapFrame
        The view to build for.
    tolerance_m : float
        Shapes are simplified to this many projected metres (about half a pixel).

    Returns
    -------
    Basemap
    """
    clipped = _clip_lonlat(countries.geometry.values, frame)
    keep = ~shapely.is_empty(clipped)
    projected = _project_all(clipped[keep], frame)
    coast, borders = split_outlines(projected)
    view = _view_box(frame, pad=0.02)
    fills = _simplified_areas(shapely.clip_by_rect(projected, *view), tolerance_m)
    shapes = tuple(
        CountryShape(iso2, name, geom)
        for iso2, name, geom in zip(countries["iso2"][keep], countries["name"][keep], fills, strict=False)
        if not geom.is_empty
    )
    return Basemap(
        countries=shapes,
        coast=_clipped_lines(coast, view, tolerance_m),
        borders=_clipped_lines(borders, view, tolerance_m),
    )


def _view_box(frame: MapFrame, *, pad: float) -> tuple[float, float, float, float]:
    """Return the frame's extent grown by a fraction of its size on every side."""
    px, py = frame.width * pad, frame.height * pad
    return frame.xmin - px, frame.ymin - py, frame.xmax + px, frame.ymax + py


def _clipped_lines(lines: np.ndarray, view: tuple[float, float, float, float],
                   tolerance_m: float) -> BaseGeometry:
    """Return lines cut to a box and simplified, as one MultiLineString of their pieces."""
    cut = shapely.get_parts(shapely.clip_by_rect(np.asarray(lines, dtype=object), *view))
    cut = cut[~shapely.is_empty(cut)]
    cut = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(cut))) if len(cut) else cut
    return shapely.multilinestrings(_simplified_lines(cut, tolerance_m))


def _simplified_lines(lines: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Return lines simplified by Douglas-Peucker without topology checks: a line drawn needs
    none (it may touch itself within the tolerance, half a pixel), and the checks take four
    times as long."""
    return shapely.simplify(lines, tolerance_m, preserve_topology=False)


def _simplified_areas(areas: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Return (multi)polygons simplified by Douglas-Peucker, each one that comes out invalid
    simplified again with topology checks (none did on the bundled build's 9,710 shapes).

    GEOS repairs what Douglas-Peucker leaves of a polygon; a ring smaller than the tolerance
    (half a pixel) goes. The topology-preserving simplifier took seven times as long.
    """
    areas = np.asarray(areas, dtype=object)
    out = shapely.simplify(areas, tolerance_m, preserve_topology=False)
    broken = ~shapely.is_valid(out)
    if broken.any():
        out[broken] = shapely.simplify(areas[broken], tolerance_m)
    return out


@functools.lru_cache(maxsize=16)
def load_basemap(frame: MapFrame, *, tolerance_m: float) -> Basemap:
    """Return the basemap for a frame from the shipped Natural Earth countries (cached)."""
    return build_basemap(load_countries(), frame, tolerance_m=tolerance_m)


def build_rail_segments(
    lon: np.ndarray, lat: np.ndarray, indptr: np.ndarray, indices: np.ndarray,
    frame: MapFrame, *, tolerance_m: float = 0.0,
) -> np.ndarray:
    """Return the projected rail segments that touch a frame, shape (n, 2, 2).

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Node coordinates in degrees.
    indptr, indices : numpy.ndarray
        The CSR adjacency of the network; each undirected edge is kept once.
    frame : MapFrame
        The view; segments with neither end in its lon/lat bounds are dropped.
    tolerance_m : float
        Segment ends are snapped to a grid this many projected metres wide, and segments
        that vanish or repeat are dropped, so drawing costs what the eye can see.
    """
    u, v = _edges_once(indptr, indices)
    west, south, east, north = lonlat_bounds(frame, pad=0.04)
    inside = np.zeros(len(lon), dtype=bool)
    for w, e in _lon_ranges(west, east):
        inside |= (lon >= w) & (lon <= e) & (lat >= south) & (lat <= north)
    near = inside[u] | inside[v]
    nodes, ends = np.unique(np.concatenate([u[near], v[near]]), return_inverse=True)
    x, y = frame.forward(np.asarray(lon)[nodes], np.asarray(lat)[nodes])  # only the nodes drawn
    u, v = ends[: int(near.sum())], ends[int(near.sum()):]
    segs = np.stack([np.column_stack([x[u], y[u]]), np.column_stack([x[v], y[v]])], axis=1)
    segs = segs[np.isfinite(segs).all(axis=(1, 2))]
    return _snap_segments(segs, tolerance_m)


def _edges_once(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each undirected edge of a CSR adjacency once, as (lower, higher) node arrays;
    the last network's again while it is the same arrays (one network, many frames)."""
    last = _LAST_EDGES.get("last")
    if last is not None and last[0] is indptr and last[1] is indices:
        return last[2], last[3]
    counts = np.diff(np.asarray(indptr))
    u = np.repeat(np.arange(len(counts)), counts)
    v = np.asarray(indices)
    once = u < v
    u, v = u[once], v[once]
    _LAST_EDGES["last"] = (indptr, indices, u, v)
    return u, v


#: The adjacency :func:`_edges_once` was last asked for (the loaded rail network's arrays,
#: which it keeps for the process anyway) and its edges.
_LAST_EDGES: dict[str, tuple[np.ndarray, ...]] = {}


def _snap_segments(segs: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Snap segment ends to a grid, dropping segments that vanish or repeat (drawing detail)."""
    if tolerance_m <= 0 or len(segs) == 0:
        return segs
    snapped = np.round(segs / tolerance_m) * tolerance_m
    keep = np.any(snapped[:, 0] != snapped[:, 1], axis=1)
    snapped = snapped[keep]
    swap = (snapped[:, 0, 0] > snapped[:, 1, 0]) | (
        (snapped[:, 0, 0] == snapped[:, 1, 0]) & (snapped[:, 0, 1] > snapped[:, 1, 1])
    )
    snapped[swap] = snapped[swap][:, ::-1]
    rows = snapped.reshape(-1, 4)
    order, new = _sorted_groups(rows)
    return rows[order[new]].reshape(-1, 2, 2)


def rail_polylines(segments: np.ndarray, frame: MapFrame, *,
                   tolerance_m: float) -> tuple[np.ndarray, ...]:
    """Chain the rail segments near a frame into polylines simplified for drawing.

    Parameters
    ----------
    segments : numpy.ndarray
        Projected segments, shape (n, 2, 2), as :func:`build_rail_segments` returns.
    frame : MapFrame
        The view; segments wholly outside it (and a 1% margin) are left out.
    tolerance_m : float
        Simplification tolerance in projected metres (about a pixel).

    Returns
    -------
    tuple of numpy.ndarray
        (k, 2) vertex arrays, in a stable order.
    """
    if len(segments) == 0:
        return ()
    view = _view_box(frame, pad=0.01)
    lo, hi = segments.min(axis=1), segments.max(axis=1)
    near = ((hi[:, 0] >= view[0]) & (lo[:, 0] <= view[2])
            & (hi[:, 1] >= view[1]) & (lo[:, 1] <= view[3]))
    if not near.any():
        return ()
    merged = shapely.line_merge(shapely.multilinestrings(shapely.linestrings(segments[near])))
    lines = _simplified_lines(shapely.get_parts(merged), tolerance_m)
    # every line's vertices in one call, then cut per line; empty lines are left out
    coords = shapely.get_coordinates(lines)
    counts = shapely.get_num_coordinates(lines)
    return tuple(np.split(coords, np.cumsum(counts[counts > 0])[:-1]))


@functools.lru_cache(maxsize=16)
def load_rail_context(frame: MapFrame, *, tolerance_m: float) -> RailContext | None:
    """Return the rail context layer for a frame, or None (logged) if no rail network exists."""
    try:
        from routemap.geo.network import load_rail_network

        net = load_rail_network()
        segs = build_rail_segments(
            net.lon, net.lat, net.indptr, net.indices, frame, tolerance_m=tolerance_m
        )
        return RailContext(rail_polylines(segs, frame, tolerance_m=tolerance_m / 2.0),
                           net.attribution)
    except (ImportError, AttributeError, OSError) as exc:
        log.info("rail context layer skipped: %s", exc)
        return None


def country_label_points(
    basemap: Basemap, frame: MapFrame, *, min_fraction: float = 0.015
) -> list[tuple[str, float, float, float]]:
    """Return (name, x, y, share of frame area) for countries large enough to name.

    The point is the pole of inaccessibility of the country's largest visible piece, so the
    name sits well inside it. Sorted by visible area, largest first.
    """
    view = shapely.box(frame.xmin, frame.ymin, frame.xmax, frame.ymax)
    area = view.area
    out = []
    for shape in basemap.countries:
        visible = shapely.clip_by_rect(shape.geometry, *view.bounds)
        if visible.is_empty or visible.area < min_fraction * area:
            continue
        pieces = list(getattr(visible, "geoms", [visible]))
        biggest = max((p for p in pieces if isinstance(p, Polygon)), key=lambda p: p.area)
        spot = polylabel(biggest, tolerance=frame.width / 500.0)
        out.append((shape.name, spot.x, spot.y, visible.area / area))
    return sorted(out, key=lambda t: (-t[3], t[0]))
