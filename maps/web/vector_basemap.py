"""The offline vector basemap of the HTML map: Natural Earth land, coast, borders and names.

Built from the 10m countries shipped with a dependency (``routemap.geo.countries``), clipped to a region
around the scenario and simplified as a coverage (shared borders stay shared), so the map stays
readable with no network and the file stays small.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from routemap.geo.countries import load_countries
from routemap.maps.basemap import split_outlines

__all__ = [
    "WORLD_TOLERANCE",
    "Region",
    "basemap_region",
    "build_basemap",
    "encode_line",
    "load_world_backdrop",
    "simplify_countries",
]

WORLD_TOLERANCE = 0.25
"""Degrees the coarse world backdrop outside the detailed region may depart from Natural Earth."""

_MAX_LAT = 84.0
_WORLD = box(-180.0, -85.0, 180.0, 85.0)


@dataclass(frozen=True)
class Region:
    """A lon/lat rectangle in degrees (west < east, no antimeridian wrap)."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        """Return the east-west extent in degrees."""
        return self.east - self.west


def basemap_region(
    west: float, south: float, east: float, north: float, *, context: float = 0.3
) -> Region:
    """Return the region the basemap covers: the data's bounds plus context on every side.

    Each margin grows with the extent (``context`` times the span, at least 10 degrees east-west
    and 8 north-south), and the region keeps a landscape shape, because the map is fitted to
    the data in a wide window.

    Parameters
    ----------
    west, south, east, north : float
        The bounds of everything the map draws, in degrees.
    context : float
        The margins as a fraction of the data's spans.

    Returns
    -------
    Region
        Clamped to longitudes [-180, 180] and latitudes [-84, 84].
    """
    half_w = (east - west) / 2 + max(context * (east - west), 10.0)
    half_h = (north - south) / 2 + max(context * (north - south), 8.0)
    half_w, half_h = max(half_w, half_h * 1.2), max(half_h, half_w * 0.4)
    cx, cy = (west + east) / 2, (south + north) / 2
    return Region(
        max(cx - half_w, -180.0), max(cy - half_h, -_MAX_LAT),
        min(cx + half_w, 180.0), min(cy + half_h, _MAX_LAT),
    )


def simplify_countries(countries: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Return countries simplified together as a coverage, so neighbours keep one border.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        Columns ``iso2``, ``name`` and polygonal ``geometry`` in degrees.
    tolerance : float
        Simplification tolerance in degrees.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame without the countries that vanish.
    """
    valid = shapely.make_valid(countries.geometry.values)
    polygonal = np.array([_polygonal(g) for g in valid], dtype=object)
    out = gpd.GeoDataFrame(
        {"iso2": countries["iso2"].to_numpy(), "name": countries["name"].to_numpy()},
        geometry=shapely.coverage_simplify(polygonal, tolerance), crs=countries.crs,
    )
    return out[~shapely.is_empty(out.geometry.values)].reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def load_world_backdrop() -> gpd.GeoDataFrame:
    """Return the shipped countries simplified to WORLD_TOLERANCE (built once per process)."""
    return simplify_countries(load_countries(), WORLD_TOLERANCE)


def build_basemap(
    countries: gpd.GeoDataFrame,
    region: Region,
    *,
    world: gpd.GeoDataFrame | None = None,
    focus: Collection[str] = (),
    close_to: Sequence[tuple[float, float]] = (),
    close_radius: float = 2.5,
    tolerance: float | None = None,
) -> dict[str, Any]:
    """Return the basemap layers of a region as compact lat/lon arrays for Leaflet.

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        As returned by ``routemap.geo.countries.load_countries`` (columns ``iso2``, ``name``).
    region : Region
        Where to draw in detail.
    world : geopandas.GeoDataFrame, optional
        Coarse countries (``load_world_backdrop``) drawn outside the region, so that zooming
        out never reaches an empty sea.
    focus : collection of str
        ISO2 codes of the countries the scenario touches; they are drawn lighter.
    close_to : sequence of (lon, lat)
        Points (the scenario's places) around which land is drawn four times finer, for
        readers who zoom in on a port.
    close_radius : float
        Half the side, in degrees, of the finer square around each point.
    tolerance : float, optional
        Simplification tolerance in degrees; by default 1/3500 of the region's width.

    Returns
    -------
    dict
        ``land`` and ``focus`` (lists of polygons, each a list of rings), ``coast`` and
        ``borders`` (lists of lines), every ring and line coded by :func:`encode_line` in
        ``1/scale`` degrees (``scale`` matches the finest tolerance); ``labels`` (``name``, ``lat``,
        ``lon``, ``rank`` 1 for the largest countries to 3) inside the region; ``region``
        ``[[s, w], [n, e]]``. Islands and lines below a few times the tolerance are left
        out. The inputs are not modified.
    """
    tol = tolerance if tolerance is not None else max(region.width / 3500.0, 0.005)
    fine = max(tol / 4.0, 0.002)
    scale = 10 ** max(2, math.ceil(-math.log10(fine)))
    frame = box(region.west, region.south, region.east, region.north)
    inside = _cut(countries[countries.intersects(frame)], frame)
    near = _near(close_to, close_radius, frame)
    tiers = [(near, inside, fine), (frame.difference(near), inside, tol)]
    if world is not None:
        tiers.append((_WORLD.difference(frame), world, WORLD_TOLERANCE))
    seams = shapely.union_all([area.boundary for area, _, _ in tiers] + [_WORLD.exterior])
    cuts = seams.buffer(fine / 10.0)
    layers: dict[str, list] = {"land": [], "coast": [], "borders": [], "focus": []}
    for area, source, tier_tol in tiers:
        if area.is_empty:
            continue
        shapes = _cut(source, area)
        if source is not world:
            shapes = simplify_countries(shapes, tier_tol)
        for key, values in _layers(shapes, cuts, scale, tier_tol, focus).items():
            layers[key] += values
    return {
        "region": [[region.south, region.west], [region.north, region.east]],
        "scale": scale,
        **layers,
        "labels": _labels(inside, frame),
    }


def _near(points: Sequence[tuple[float, float]], radius: float, frame: BaseGeometry):
    """Return the part of the frame within ``radius`` degrees (a square) of any point."""
    squares = [box(lon - radius, lat - radius, lon + radius, lat + radius) for lon, lat in points]
    return shapely.intersection(shapely.union_all(squares), frame) if squares else box(0, 0, 0, 0)


def _cut(countries: gpd.GeoDataFrame, area: BaseGeometry) -> gpd.GeoDataFrame:
    """Return the countries' parts inside an area (a new frame, empty results dropped)."""
    if area.equals(area.envelope):
        parts = shapely.clip_by_rect(countries.geometry.values, *area.bounds)
    else:
        parts = shapely.intersection(countries.geometry.values, area)
    parts = np.array([_polygonal(g) for g in shapely.make_valid(parts)], dtype=object)
    out = countries.set_geometry(parts)
    return out[~shapely.is_empty(parts)].reset_index(drop=True)


def _layers(
    shapes: gpd.GeoDataFrame, cuts: BaseGeometry, scale: int, tol: float, focus: Collection[str]
) -> dict[str, list]:
    """Return land, coast, borders and focus land of simplified countries, coded for the page.

    Coast and borders come from ``routemap.maps.basemap.split_outlines`` (shared edges are borders),
    which the simplified coverage keeps exact; the coast loses the frame's straight cuts.
    """
    land = _union(shapes.geometry.values)
    focus_land = _union(shapes[shapes["iso2"].isin(list(focus))].geometry.values)
    coast, borders = (shapely.multilinestrings(lines)
                      for lines in split_outlines(shapes.geometry.values))
    return {
        "land": _polygons(land, scale, (3 * tol) ** 2),
        "coast": _lines(shapely.line_merge(shapely.difference(coast, cuts)), scale, 4 * tol),
        "borders": _lines(shapely.line_merge(borders), scale, 2 * tol),
        "focus": _polygons(focus_land, scale, (3 * tol) ** 2),
    }


def _union(polygons: np.ndarray) -> BaseGeometry:
    """Return the union of polygons, fast when they form a clean coverage (as simplified)."""
    if shapely.coverage_is_valid(polygons):
        return shapely.coverage_union_all(polygons)
    return shapely.union_all(polygons)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Return only the polygons of a geometry (clipping can leave lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _labels(shapes: gpd.GeoDataFrame, frame: BaseGeometry) -> list[dict[str, Any]]:
    """Return a label point per country large enough to name, biggest first."""
    areas = shapely.area(shapes.geometry.values)
    order = np.argsort(-areas, kind="stable")
    labels = []
    for i in order:
        share = areas[i] / frame.area
        if share < 0.002:
            break
        biggest = max(shapely.get_parts(shapes.geometry.iloc[i]), key=lambda p: p.area)
        point = shapely.point_on_surface(biggest)
        rank = 1 if share > 0.05 else 2 if share > 0.01 else 3
        labels.append({"name": str(shapes["name"].iloc[i]), "lat": round(point.y, 2),
                       "lon": round(point.x, 2), "rank": rank})
    return labels


def encode_line(coords: np.ndarray, scale: int) -> list[int]:
    """Return a line or ring as one flat delta-coded list: ``lat0, lon0, dlat1, dlon1, ...``.

    Coordinates are integers in ``1/scale`` degrees; the first pair is absolute, the others are
    steps from the previous point, and repeated points are dropped. The map's script decodes it.
    """
    steps = np.round(np.asarray(coords)[:, [1, 0]] * scale).astype(np.int64)
    steps[1:] = np.diff(steps, axis=0)
    keep = np.ones(len(steps), dtype=bool)
    keep[1:] = np.any(steps[1:] != 0, axis=1)
    return steps[keep].ravel().tolist()


def _polygons(geom: BaseGeometry, scale: int, min_area: float) -> list[list[list[int]]]:
    """Return polygons as lists of encoded rings, dropping islands smaller than ``min_area``."""
    out = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.area < min_area:
            continue
        rings = [poly.exterior, *(r for r in poly.interiors if shapely.Polygon(r).area >= min_area)]
        encoded = [encode_line(np.asarray(r.coords), scale) for r in rings]
        if len(encoded[0]) >= 8:
            out.append([r for r in encoded if len(r) >= 8])
    return out


def _lines(geom: BaseGeometry, scale: int, min_length: float) -> list[list[int]]:
    """Return lines as encoded lists, dropping those shorter than ``min_length`` degrees."""
    lines = (encode_line(np.asarray(p.coords), scale) for p in shapely.get_parts(geom)
             if p.geom_type == "LineString" and p.length >= min_length)
    return [line for line in lines if len(line) >= 4]
