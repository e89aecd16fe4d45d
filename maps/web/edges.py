"""The globe's edges on the web map: one longitude frame across the date line, and lines cut
where they leave the band of latitudes Web Mercator can show.

Leaflet draws a longitude of 181 one degree east of 180, and a line from 179 to -179 across the
whole world. So the map's data is put in one frame: each line's longitudes are made continuous
(parts that meet at the date line are joined), and each line or point is moved by a whole
number of turns so that everything together spans the fewest degrees. A flight from Anadyr
(177.5 E) to Egvekinot (179.1 W) then runs from 177.5 to 180.9, and the view fitted on it is
a few degrees wide, with land drawn on both sides of 180 (:func:`basemap_in_frame`). Web
Mercator cannot show the poles: a line beyond ``MERCATOR_LAT`` is cut there, never drawn along
the map's top or bottom edge.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from routemap.maps.web.vector_basemap import Region, basemap_region, build_basemap

__all__ = [
    "MERCATOR_LAT",
    "basemap_in_frame",
    "clip_to_band",
    "continuous_parts",
    "frame_bounds",
    "frame_shifts",
    "in_one_frame",
    "turn_countries",
]

MERCATOR_LAT = math.degrees(math.atan(math.sinh(math.pi)))
"""The highest latitude Web Mercator shows, about 85.0511 degrees (the square world map)."""

_TURN = 360.0
_EPS = 1e-9


def continuous_parts(geom: BaseGeometry) -> list[np.ndarray]:
    """Return a geometry's parts as lon/lat arrays with continuous longitudes.

    Within a part, each step east or west is taken the short way (a step from 179 to -179 goes
    to 181). A part that starts where the previous one ends, on the same meridian or on the
    same one a turn away (a line split at the antimeridian ends at 180 and goes on from -180),
    is joined to it.

    Parameters
    ----------
    geom : shapely.geometry.base.BaseGeometry
        A point, line, or their multi-part forms, in lon/lat degrees.

    Returns
    -------
    list of numpy.ndarray
        New ``(n, 2)`` arrays of ``[lon, lat]``, in the parts' order; a point is one row.
    """
    chains: list[np.ndarray] = []
    for part in shapely.get_parts(geom):
        if part.is_empty:
            continue
        coords = np.array(part.coords, dtype=float)[:, :2]
        coords[:, 0] = np.unwrap(coords[:, 0], period=_TURN)
        if chains and _meets(chains[-1][-1], coords[0]):
            coords[:, 0] += _turns(chains[-1][-1, 0] - coords[0, 0])
            chains[-1] = np.vstack([chains[-1], coords[1:]])
        else:
            chains.append(coords)
    return chains


def _turns(degrees: float) -> float:
    """Return the whole number of turns nearest to ``degrees``, in degrees."""
    return _TURN * round(degrees / _TURN)


def _meets(end: np.ndarray, start: np.ndarray) -> bool:
    """Return whether two lon/lat points are one place, a whole number of turns apart."""
    gap = end[0] - start[0]
    return abs(end[1] - start[1]) < _EPS and abs(gap - _turns(gap)) < _EPS


def frame_shifts(extents: Sequence[tuple[float, float]]) -> list[float]:
    """Return the whole turns to add to each item so that all of them span the fewest degrees.

    An item is a line or a point, given by its westmost and eastmost continuous longitude.
    In the best arrangement some item is the westmost, and every other item starts less than
    one turn east of it. With the items sorted by where they start within [-180, 180), the
    span with item ``i`` westmost is the farthest east of the items from ``i`` on, or of those
    before it one turn further east, less where ``i`` starts: every item is tried at once, in
    O(n log n). The narrowest wins, the first from -180 on a tie, so the west edge lies in
    [-180, 180) and data that crosses the date line gets an east edge beyond 180.

    Parameters
    ----------
    extents : sequence of (float, float)
        Each item's (west, east) in degrees, west <= east.

    Returns
    -------
    list of float
        One multiple of 360 per item, in the items' order.
    """
    if not extents:
        return []
    west = np.array([w for w, _ in extents], dtype=float)
    east = np.array([e for _, e in extents], dtype=float)
    start = np.mod(west + 180.0, _TURN) - 180.0  # where each item starts, in [-180, 180)
    home = _TURN * np.round((start - west) / _TURN)  # the turns that bring it there
    order = np.argsort(start, kind="stable")
    starts, ends = start[order], (east + home)[order]
    from_here = np.maximum.accumulate(ends[::-1])[::-1]
    before = np.concatenate([[-np.inf], np.maximum.accumulate(ends)[:-1]]) + _TURN
    spans = np.maximum(from_here, before) - starts
    cut = starts[int(np.flatnonzero(spans <= spans.min() + _EPS)[0])]
    shifts = home + np.where(start < cut - _EPS, _TURN, 0.0)
    return [float(s) + 0.0 for s in shifts]  # + 0.0: never -0.0


def in_one_frame(items: Mapping[Hashable, BaseGeometry]) -> dict[Hashable, list[np.ndarray]]:
    """Return what is drawn of every item, moved into one frame (see :func:`frame_shifts`).

    Lines are cut where they leave the Web Mercator band (:func:`clip_to_band`) before the
    frame is chosen, so what the map cannot show neither widens the view nor sways it.

    Parameters
    ----------
    items : mapping of key to shapely geometry
        The lines and points drawn together (legs, connectors, places, notes), in lon/lat.

    Returns
    -------
    dict
        The same keys, each with the item's :func:`continuous_parts` (lines cut to the band;
        points as they are), each part moved on its own. Empty geometries, and lines wholly
        beyond the band, give empty lists. The inputs are not modified.
    """
    parts = {key: _drawn_parts(geom) for key, geom in items.items()}
    flat = [part for key in parts for part in parts[key]]
    shifts = iter(frame_shifts([(float(p[:, 0].min()), float(p[:, 0].max())) for p in flat]))
    for key in parts:
        for part in parts[key]:
            part[:, 0] += next(shifts)
    return parts


def _drawn_parts(geom: BaseGeometry) -> list[np.ndarray]:
    """Return a geometry's continuous parts, lines cut to the Web Mercator band."""
    out: list[np.ndarray] = []
    for part in continuous_parts(geom):
        out.extend(clip_to_band(part) if len(part) > 1 else [part])
    return out


def frame_bounds(parts: Iterable[np.ndarray]) -> tuple[float, float, float, float] | None:
    """Return (west, south, east, north) of lon/lat arrays, latitudes kept in the Mercator band.

    Parameters
    ----------
    parts : iterable of numpy.ndarray
        ``(n, 2)`` arrays of ``[lon, lat]`` in one frame (west may exceed -180, east 180).

    Returns
    -------
    tuple of float, or None
        Rounded to 4 decimals; None when there are no coordinates.
    """
    arrays = [p for p in parts if len(p)]
    if not arrays:
        return None
    coords = np.vstack(arrays)
    lats = np.clip(coords[:, 1], -MERCATOR_LAT, MERCATOR_LAT)
    return (round(float(coords[:, 0].min()), 4), round(float(lats.min()), 4),
            round(float(coords[:, 0].max()), 4), round(float(lats.max()), 4))


def clip_to_band(coords: np.ndarray, limit: float = MERCATOR_LAT) -> list[np.ndarray]:
    """Return the pieces of a lon/lat line that lie within ``limit`` degrees of the equator.

    Where the line leaves the band it ends at the crossing (interpolated along the segment),
    and a new piece starts where it comes back, so nothing is drawn along the band's edge.

    Parameters
    ----------
    coords : numpy.ndarray
        ``(n, 2)`` array of ``[lon, lat]``.
    limit : float
        The band's half-height in degrees; by default the Web Mercator limit.

    Returns
    -------
    list of numpy.ndarray
        New arrays in the line's order, each at least two points; the whole line, copied, when
        it never leaves the band.
    """
    coords = np.asarray(coords, dtype=float)
    if np.all(np.abs(coords[:, 1]) <= limit):
        return [coords.copy()]
    pieces: list[list[np.ndarray]] = []
    current: list[np.ndarray] = []
    for a, b in pairwise(coords):
        inside = _segment_in_band(a, b, limit)
        if inside is None:
            continue
        start, end = inside
        if not current or not np.array_equal(current[-1], start):
            current = [start]
            pieces.append(current)
        current.append(end)
        if not np.array_equal(end, b):
            current = []
    return [np.array(p) for p in pieces if len(p) >= 2]


def _segment_in_band(a: np.ndarray, b: np.ndarray,
                     limit: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the part of segment a-b with |lat| <= limit, as (start, end), or None."""
    lo, hi = 0.0, 1.0
    dlat = b[1] - a[1]
    for bound in (-limit, limit):
        if dlat == 0.0:
            if (a[1] < bound) if bound < 0 else (a[1] > bound):
                return None
            continue
        t = (bound - a[1]) / dlat
        entering = (dlat > 0) == (bound < 0)  # crossing the bound towards the equator
        lo, hi = (max(lo, t), hi) if entering else (lo, min(hi, t))
    if lo >= hi:
        return None
    start = a if lo == 0.0 else a + lo * (b - a)
    end = b if hi == 1.0 else a + hi * (b - a)
    return start, end


def turn_countries(countries: gpd.GeoDataFrame, degrees: int) -> gpd.GeoDataFrame:
    """Return countries with every longitude moved ``degrees`` east, kept within [-180, 180].

    What the move carries past 180 comes back from -180 (and the other way), and each
    country's pieces are joined again, so a country the date line cut in two (Russia's
    Chukotka) is one shape in the new frame, with no seam drawn as coast or border.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Polygonal ``geometry`` in lon/lat degrees, within [-180, 180].
    degrees : int
        Whole degrees to move east (negative: west); whole, so that the pieces meet exactly.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame with the same rows and columns; the input is not modified.
    """
    d = (int(degrees) + 180) % 360 - 180
    if d == 0:
        return countries.copy()
    # Natural Earth stops some shapes a hair short of 180; pieces meet only if they reach it.
    geoms = shapely.transform(countries.geometry.values, _onto_date_line)
    cut = 180.0 - d if d > 0 else -180.0 - d
    west_shift = float(d) if d > 0 else float(d + 360)
    east_shift = float(d - 360) if d > 0 else float(d)
    west = shapely.transform(shapely.clip_by_rect(geoms, -180.0, -90.0, cut, 90.0),
                             lambda xy: xy + np.array([west_shift, 0.0]))
    east = shapely.transform(shapely.clip_by_rect(geoms, cut, -90.0, 180.0, 90.0),
                             lambda xy: xy + np.array([east_shift, 0.0]))
    return countries.set_geometry(shapely.union(west, east), crs=countries.crs)


def _onto_date_line(xy: np.ndarray) -> np.ndarray:
    """Return lon/lat coordinates with longitudes within a micro-degree of +/-180 set to it."""
    out = np.array(xy, dtype=float)
    near = np.abs(out[:, 0]) > 180.0 - 1e-6
    out[near, 0] = np.copysign(180.0, out[near, 0])
    return out


# --- the basemap across the date line -------------------------------------------------------


def basemap_in_frame(countries: gpd.GeoDataFrame, bounds: tuple[float, float, float, float], *,
                     world: gpd.GeoDataFrame | None, focus: Collection[str],
                     close_to: Sequence[tuple[float, float]]) -> dict[str, Any]:
    """Return the offline basemap around the data's bounds, in the map's longitude frame.

    Where the region around the data (``basemap_region``) reaches past the date line, the
    countries are turned so that the region's middle lies on meridian 0
    (:func:`turn_countries`), the basemap is built there and moved back:
    the land on the far side of 180 lies where the data's frame puts it, and the coarse world
    around it is centred on the data.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Natural Earth countries, as ``routemap.maps.web.vector_basemap.build_basemap`` takes them.
    bounds : tuple of float
        (west, south, east, north) of the data in the map's longitude frame (:func:`frame_bounds`).
    world, focus, close_to
        As ``build_basemap`` takes them; ``close_to`` in lon/lat as the scenario gives them.

    Returns
    -------
    dict
        What ``build_basemap`` returns, its longitudes in the map's frame.
    """
    west, south, east, north = bounds
    mid = round((west + east) / 2)
    around = basemap_region(west - mid, south, east - mid, north)
    if around.west + mid >= -180.0 and around.east + mid <= 180.0:
        return build_basemap(countries, basemap_region(west, south, east, north), world=world,
                             focus=focus, close_to=list(close_to))
    wanted = countries[_reaches(countries, around, mid)]
    base = build_basemap(
        turn_countries(wanted, -mid), around, focus=focus,
        world=None if world is None else turn_countries(world, -mid),
        close_to=[((lon - mid + 180.0) % 360.0 - 180.0, lat) for lon, lat in close_to],
    )
    return _moved_east(base, mid)


def _reaches(countries: gpd.GeoDataFrame, around: Region, mid: int) -> np.ndarray:
    """Return which countries reach into a region given around meridian ``mid``."""
    west, east = around.west + mid, around.east + mid
    boxes = [(max(west, -180.0), min(east, 180.0))]
    if east > 180.0:
        boxes.append((-180.0, east - 360.0))
    if west < -180.0:
        boxes.append((west + 360.0, 180.0))
    hit = np.zeros(len(countries), dtype=bool)
    for w, e in boxes:
        hit |= countries.intersects(box(w, around.south, e, around.north)).to_numpy()
    return hit


def _moved_east(base: dict[str, Any], degrees: int) -> dict[str, Any]:
    """Return a built basemap with every longitude moved ``degrees`` east (a new dict)."""
    step = degrees * int(base["scale"])

    def moved(line: list[int]) -> list[int]:
        return [line[0], line[1] + step, *line[2:]]

    (south, west), (north, east) = base["region"]
    return {
        **base,
        "region": [[south, west + degrees], [north, east + degrees]],
        "land": [[moved(ring) for ring in poly] for poly in base["land"]],
        "focus": [[moved(ring) for ring in poly] for poly in base["focus"]],
        "coast": [moved(line) for line in base["coast"]],
        "borders": [moved(line) for line in base["borders"]],
        "labels": [{**label, "lon": round(label["lon"] + degrees, 2)} for label in base["labels"]],
    }
