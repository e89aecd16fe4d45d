"""Water grids: land rasterised over a box, shortest water paths on it, and land checks."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from routemap.geo.landtiles import LandTiles
from routemap.routes.geodesy import GEOD

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "CELLS_PER_DEGREE",
    "WaterGrid",
    "build_grid",
    "grid_resolution",
    "land_km_of_segments",
    "local_land",
    "nearest_cell",
    "open_water",
    "segment_land_km",
    "segments_over_land",
    "smooth",
    "snap_to_water",
    "water_path",
]

logger = logging.getLogger(__name__)

#: Grid resolutions, finest first (240 cells per degree is about 460 m of latitude).
CELLS_PER_DEGREE: tuple[int, ...] = (240, 120, 60, 30, 15)
KM_PER_DEGREE = 111.2
_MAX_CELLS = 300_000
_EIGHT = np.ones((3, 3), dtype=bool)

Point = tuple[float, float]


@dataclass(frozen=True)
class WaterGrid:
    """A lon/lat raster of water cells, aligned on the global grid of its resolution.

    Attributes
    ----------
    west, south : float
        The south-west corner of the first cell, in (possibly unwrapped) degrees.
    cells_per_degree : int
        Cells per degree along both axes.
    water : numpy.ndarray
        ``(rows, cols)`` bool, rows south to north; True where the cell centre is not land.
    """

    west: float
    south: float
    cells_per_degree: int
    water: np.ndarray

    def centres(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the lon/lat of cell centres."""
        n = self.cells_per_degree
        return self.west + (np.asarray(cols) + 0.5) / n, self.south + (np.asarray(rows) + 0.5) / n

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        """Return the (row, col) of the cell holding a point, clipped into the grid."""
        n = self.cells_per_degree
        rows, cols = self.water.shape
        row = min(max(math.floor((lat - self.south) * n), 0), rows - 1)
        col = min(max(math.floor((lon - self.west) * n), 0), cols - 1)
        return row, col


def grid_resolution(bbox: Sequence[float], *, max_cells: int = _MAX_CELLS) -> int:
    """Return the finest of :data:`CELLS_PER_DEGREE` whose grid over ``bbox`` fits ``max_cells``."""
    west, south, east, north = (float(v) for v in bbox)
    area = max(east - west, 0.0) * max(north - south, 0.0)
    for n in CELLS_PER_DEGREE:
        if area * n * n <= max_cells:
            return n
    return CELLS_PER_DEGREE[-1]


def build_grid(tiles: LandTiles, bbox: Sequence[float], cells_per_degree: int) -> WaterGrid:
    """Rasterise water over ``bbox`` (west, south, east, north) from cached land tiles.

    Parameters
    ----------
    tiles : LandTiles
        Cached land tiles.
    bbox : sequence of float
        Lon/lat bounds; longitudes may leave [-180, 180].
    cells_per_degree : int
        Resolution.

    Returns
    -------
    WaterGrid
        Covering ``bbox`` with whole cells of the global grid.
    """
    n = cells_per_degree
    west, south, east, north = _tile_bounds(bbox)
    land = np.block(
        [[tiles.tile(ix, iy, n) for ix in range(west, east)] for iy in range(south, north)]
    )
    col0, col1, row0, row1 = _crop(bbox, (west, south), n, land.shape)
    return WaterGrid(
        west=west + col0 / n, south=south + row0 / n, cells_per_degree=n,
        water=~land[row0:row1, col0:col1],
    )


def _tile_bounds(bbox: Sequence[float]) -> tuple[int, int, int, int]:
    """Return the whole-degree bounds of the tiles covering ``bbox``, kept off the poles."""
    west, south, east, north = (float(v) for v in bbox)
    x0, x1 = math.floor(west), max(math.ceil(east), math.floor(west) + 1)
    y0 = max(math.floor(south), -89)
    y1 = min(max(math.ceil(north), y0 + 1), 89)
    return x0, y0, x1, y1


def _crop(
    bbox: Sequence[float], corner: tuple[int, int], n: int, shape: tuple[int, int]
) -> tuple[int, int, int, int]:
    """Return the column and row ranges of a tile mosaic that cover ``bbox``."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    col0 = min(max(math.floor((x0 - corner[0]) * n), 0), shape[1] - 1)
    col1 = max(min(math.ceil((x1 - corner[0]) * n), shape[1]), col0 + 1)
    row0 = min(max(math.floor((y0 - corner[1]) * n), 0), shape[0] - 1)
    row1 = max(min(math.ceil((y1 - corner[1]) * n), shape[0]), row0 + 1)
    return col0, col1, row0, row1


def open_water(grid: WaterGrid) -> np.ndarray:
    """Return the water cells whose 8-connected component reaches the grid's edge.

    Enclosed specks (slivers between country polygons, lagoons) are left out, so that ends
    are not snapped into water that leads nowhere.
    """
    from scipy import ndimage  # scipy loads where a grid is searched, not for a check of cached routes

    labels, _ = ndimage.label(grid.water, structure=_EIGHT)
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    keep = np.unique(edge[edge > 0])
    return np.isin(labels, keep)


def nearest_cell(
    grid: WaterGrid, lon: float, lat: float, allowed: np.ndarray
) -> tuple[tuple[int, int], float] | None:
    """Return the allowed cell nearest a point and its distance in km (``None`` if none).

    Distances are equirectangular, which is plenty at the scale of a grid. The cells around
    the point's own are searched first, in growing windows; a window's nearest cell is the
    grid's when every cell outside the window lies farther (the same cell, the first in row
    order among equals, as searching the whole grid).
    """
    n_rows, n_cols = allowed.shape
    row, col = grid.cell_of(lon, lat)
    for radius in _WINDOW_RADII:
        r0, r1 = max(row - radius, 0), min(row + radius + 1, n_rows)
        c0, c1 = max(col - radius, 0), min(col + radius + 1, n_cols)
        if (r0, r1, c0, c1) == (0, n_rows, 0, n_cols):
            break
        found = _nearest_allowed(grid, lon, lat, allowed[r0:r1, c0:c1], r0, c0)
        if found is not None and found[1] < _outside_km(grid, lon, lat, (r0, r1, c0, c1)):
            return found
    return _nearest_allowed(grid, lon, lat, allowed, 0, 0)


#: Half-sides (cells) of the windows :func:`nearest_cell` searches before the whole grid.
_WINDOW_RADII = (16, 64, 256)


def _nearest_allowed(
    grid: WaterGrid, lon: float, lat: float, allowed: np.ndarray, row0: int, col0: int
) -> tuple[tuple[int, int], float] | None:
    """Return the allowed cell of a block (rows from ``row0``, columns from ``col0``) nearest
    a point, and its km; the first in row order among equals."""
    rows, cols = np.nonzero(allowed)
    if not len(rows):
        return None
    rows, cols = rows + row0, cols + col0
    xs, ys = grid.centres(rows, cols)
    dx = (xs - lon) * math.cos(math.radians(lat))
    km = np.hypot(dx, ys - lat) * KM_PER_DEGREE
    best = int(np.argmin(km))
    return (int(rows[best]), int(cols[best])), float(km[best])


def _outside_km(grid: WaterGrid, lon: float, lat: float, window: tuple[int, int, int, int]) -> float:
    """Return a lower bound (km, a hair under) of the distance from a point to any cell centre
    outside a window of the grid (rows ``r0:r1``, columns ``c0:c1``)."""
    r0, r1, c0, c1 = window
    n_rows, n_cols = grid.water.shape
    n = grid.cells_per_degree
    gaps = []
    if r0 > 0:
        gaps.append(lat - (grid.south + (r0 - 0.5) / n))
    if r1 < n_rows:
        gaps.append(grid.south + (r1 + 0.5) / n - lat)
    scale = abs(math.cos(math.radians(lat)))
    if c0 > 0:
        gaps.append((lon - (grid.west + (c0 - 0.5) / n)) * scale)
    if c1 < n_cols:
        gaps.append((grid.west + (c1 + 0.5) / n - lon) * scale)
    return max(min(gaps), 0.0) * KM_PER_DEGREE * (1.0 - 1e-9)


def water_path(
    grid: WaterGrid, start: Point, end: Point, *, limit_km: float = math.inf
) -> list[Point] | None:
    """Return the shortest 8-connected water path from ``start`` to ``end`` on a grid.

    Parameters
    ----------
    grid : WaterGrid
    start, end : (lon, lat)
        Points in water (or close to it); they open and close the returned path.
    limit_km : float, keyword-only
        Give up on paths longer than this (in grid km).

    Returns
    -------
    list of (lon, lat) or None
        ``start``, the centres of the cells passed, ``end``; ``None`` when the grid does not
        connect the two within ``limit_km``.
    """
    made = _made_once(grid)
    if "labels" not in made:
        from scipy import ndimage

        made["labels"] = ndimage.label(grid.water, structure=_EIGHT)[0]
    ends = _end_cells(grid, start, end, made["labels"])
    if ends is None:
        return None
    source, target = ends
    from scipy.sparse.csgraph import dijkstra

    if "graph" not in made:
        made["graph"] = _grid_graph(grid)
    graph = made["graph"]
    cols = grid.water.shape[1]
    dist, pred = dijkstra(
        graph, directed=False, indices=source, return_predecessors=True, limit=limit_km
    )
    if not np.isfinite(dist[target]):
        return None
    cells = _walk_back(pred, source, target)
    xs, ys = grid.centres(cells // cols, cells % cols)
    return [tuple(start), *zip(xs.tolist(), ys.tolist(), strict=False), tuple(end)]


def _made_once(grid: WaterGrid) -> dict[str, Any]:
    """Return what :func:`water_path` made of a grid (its water components, its graph), kept
    while the grid is among the recent ones: legs from one port ask again on the same grid.

    A grid is known by its bounds, resolution and water cells; at most :data:`_MADE_CELLS`
    cells' worth of grids are kept, the least recently used dropped first.
    """
    water = np.ascontiguousarray(grid.water)
    key = (grid.west, grid.south, grid.cells_per_degree, water.shape,
           hashlib.blake2b(water.view(np.uint8).data, digest_size=16).digest())
    made = _MADE.pop(key, None)
    if made is None:
        made = {}
        while _MADE and sum(k[3][0] * k[3][1] for k in _MADE) + water.size > _MADE_CELLS:
            _MADE.pop(next(iter(_MADE)))
    _MADE[key] = made  # most recently used last
    return made


#: Grids whose components and graph :func:`water_path` keeps, by bounds, resolution, water.
_MADE: dict[tuple, dict[str, Any]] = {}
#: The cells those grids may hold together (a 300,000-cell grid's graph is about 14 MB).
_MADE_CELLS = 1_200_000


def _end_cells(grid: WaterGrid, start: Point, end: Point, labels: np.ndarray) -> tuple[int, int] | None:
    """Pick source and target cells in one water component (``labels``: the grid's
    8-connected water components), each near its point."""
    reach_km = 3.0 * KM_PER_DEGREE / grid.cells_per_degree
    cols = grid.water.shape[1]
    for first, second in ((start, end), (end, start)):
        near = nearest_cell(grid, *first, grid.water)
        if near is None:
            return None
        (row, col), _ = near
        far = nearest_cell(grid, *second, labels == labels[row, col])
        if far is not None and far[1] <= reach_km + _cell_km(grid, second):
            pair = (row * cols + col, far[0][0] * cols + far[0][1])
            return pair if first is start else (pair[1], pair[0])
    return None


def _cell_km(grid: WaterGrid, point: Point) -> float:
    """Return how far a point's own cell is from water: 0 when it is water."""
    row, col = grid.cell_of(*point)
    if grid.water[row, col]:
        return 0.0
    near = nearest_cell(grid, *point, grid.water)
    return near[1] if near else math.inf


def _walk_back(pred: np.ndarray, source: int, target: int) -> np.ndarray:
    cells = [target]
    while cells[-1] != source:
        cells.append(int(pred[cells[-1]]))
    return np.array(cells[::-1], dtype=np.int64)


def _grid_graph(grid: WaterGrid) -> csr_matrix:
    """Return the 8-connected graph of water cells, weighted in km (undirected, one way).

    Each cell links to its east, north-west, north and north-east neighbours when both are
    water (a diagonal only where the two cells beside it are not both land), so every pair is
    stored once, from its lower cell id. The matrix is written row by row with its columns in
    order, as scipy's ``coo_matrix(...).tocsr()`` of the same links would give it.
    """
    water = grid.water
    rows, cols = water.shape
    lat = grid.south + (np.arange(rows) + 0.5) / grid.cells_per_degree
    dy = KM_PER_DEGREE / grid.cells_per_degree
    dx = dy * np.cos(np.radians(lat))
    zero = np.zeros(rows)
    # Per row: the km of a step east, north-west, north and north-east (columns in id order).
    km = np.column_stack([np.hypot(dx, zero), np.hypot(dx, dy), np.hypot(zero, dy + zero),
                          np.hypot(dx, dy)])
    links = np.zeros((rows, cols, 4), dtype=bool)
    links[:, :-1, 0] = water[:, :-1] & water[:, 1:]
    north = water[:-1] & water[1:]
    links[:-1, :, 2] = north
    # No squeezing diagonally between two land cells that touch at a corner.
    links[:-1, 1:, 1] = water[:-1, 1:] & water[1:, :-1] & (water[:-1, :-1] | water[1:, 1:])
    links[:-1, :-1, 3] = water[:-1, :-1] & water[1:, 1:] & (water[:-1, 1:] | water[1:, :-1])
    flat = np.flatnonzero(links)  # cell * 4 + kind, in row order
    step = np.array([1, cols - 1, cols, cols + 1])
    indices = ((flat >> 2) + step[flat & 3]).astype(np.int32)
    weights = np.broadcast_to(km[:, None, :], links.shape)[links]  # the same order
    per_cell = links.view(np.uint8).reshape(-1, 4)
    indptr = np.zeros(rows * cols + 1, dtype=np.int32)
    np.cumsum(per_cell[:, 0] + per_cell[:, 1] + per_cell[:, 2] + per_cell[:, 3], out=indptr[1:])
    from scipy.sparse import csr_matrix

    return csr_matrix((weights, indices, indptr), shape=(rows * cols,) * 2)


def local_land(land: BaseGeometry, bbox: Sequence[float], *,
               tiles: LandTiles | None = None) -> BaseGeometry:
    """Return land inside ``bbox`` (prepared), in the bbox's possibly unwrapped longitudes.

    Parameters
    ----------
    land : shapely geometry
        Land in [-180, 180].
    bbox : sequence of float
        (west, south, east, north); west/east may leave [-180, 180].
    tiles : LandTiles, optional
        The land's tiles: only the polygons their index finds near the box are clipped (the
        same land, without clipping the whole world's).
    """
    west, south, east, north = (float(v) for v in bbox)
    parts: list[BaseGeometry] = []
    for shift in (-360.0, 0.0, 360.0):
        x0, x1 = max(west + shift, -180.0), min(east + shift, 180.0)
        if x1 <= x0 or north <= south:
            continue
        source = land if tiles is None else tiles.parts_near(x0, south, x1, north)
        clipped = shapely.clip_by_rect(source, x0, south, x1, north)
        moved = shapely.transform(clipped, lambda xy, s=shift: xy - [s, 0.0])
        parts.extend(p for p in shapely.get_parts(moved) if p.geom_type == "Polygon")
    result = shapely.multipolygons(parts) if parts else shapely.MultiPolygon()
    shapely.prepare(result)
    return result


def smooth(coords: Sequence[Point], land: BaseGeometry) -> list[Point]:
    """Drop vertices of a path while the shortcut between the kept ones stays off ``land``.

    Greedy line of sight: from each kept vertex jump to the farthest vertex that can be seen
    from it (found by galloping then bisecting). Where even the next vertex cannot be seen
    (a grid step clipping a corner), keep it.
    """
    pts = [tuple(p) for p in coords]
    kept = [0]
    while kept[-1] < len(pts) - 1:
        kept.append(_farthest_visible(pts, kept[-1], land))
    return [pts[i] for i in kept]


def _farthest_visible(pts: list[Point], i: int, land: BaseGeometry) -> int:
    last = len(pts) - 1

    def visible(j: int) -> bool:
        return not land.intersects(shapely.LineString([pts[i], pts[j]]))

    if visible(last):
        return last
    good, step = i + 1, 1
    while good + step < last and visible(good + step):
        good, step = good + step, step * 2
    bad = min(good + step, last)
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if visible(mid) else (good, mid)
    return good


def _shifted(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return segments moved into [-180, 180] and, for those crossing 180, a shifted twin.

    The second array maps each returned segment to its index in ``seg``.
    """
    seg = np.array(seg, dtype=float).reshape(-1, 2, 2)
    low = seg[:, :, 0].min(axis=1)
    seg[:, :, 0] -= (360.0 * np.floor((low + 180.0) / 360.0))[:, None]
    owner = np.arange(len(seg))
    wide = seg[:, :, 0].max(axis=1) > 180.0
    twin = seg[wide].copy()
    twin[:, :, 0] -= 360.0
    return np.concatenate([seg, twin]), np.concatenate([owner, owner[wide]])


def _segments(coords: Sequence[Point]) -> np.ndarray:
    arr = np.asarray(coords, dtype=float).reshape(-1, 2)
    return np.stack([arr[:-1], arr[1:]], axis=1)


def segments_over_land(coords: Sequence[Point], land: BaseGeometry) -> np.ndarray:
    """Return, per segment of an unwrapped lon/lat polyline, whether it touches ``land``."""
    if len(coords) < 2:
        return np.zeros(0, dtype=bool)
    seg, owner = _shifted(_segments(coords))
    hits = shapely.intersects(land, shapely.linestrings(seg))
    out = np.zeros(len(coords) - 1, dtype=bool)
    np.logical_or.at(out, owner, hits)
    return out


def segment_land_km(coords: Sequence[Point], land: BaseGeometry, *,
                    tiles: LandTiles | None = None) -> np.ndarray:
    """Return, per segment of an unwrapped lon/lat polyline, its geodesic km over ``land``.

    ``tiles`` (the land's :class:`LandTiles`) clips the land near each segment from its
    nearby polygons alone: the same figures, faster.
    """
    if len(coords) < 2:
        return np.zeros(0)
    return land_km_of_segments(_segments(coords), land, tiles=tiles)


def land_km_of_segments(segments: np.ndarray, land: BaseGeometry, *,
                        tiles: LandTiles | None = None) -> np.ndarray:
    """Return the geodesic km over ``land`` of each ``(k, 2, 2)`` lon/lat segment.

    Parameters
    ----------
    segments : numpy.ndarray
        ``(k, 2, 2)`` lon/lat segments, possibly unwrapped.
    land : shapely geometry
        Land in [-180, 180] (prepared).
    tiles : LandTiles, optional
        The land's tiles: each crossing segment's neighbourhood is clipped from the polygons
        near it (:meth:`LandTiles.clip`) instead of from the whole land, with the same result.

    Returns
    -------
    numpy.ndarray
        km per segment.
    """
    out = np.zeros(len(segments))
    if not len(segments):
        return out
    seg, owner = _shifted(segments)
    lines = shapely.linestrings(seg)
    clip = (lambda *box: shapely.clip_by_rect(land, *box)) if tiles is None else tiles.clip
    for k in np.nonzero(shapely.intersects(land, lines))[0]:
        x0, y0, x1, y1 = lines[k].bounds
        nearby = clip(x0 - 0.01, y0 - 0.01, x1 + 0.01, y1 + 0.01)
        inside = shapely.intersection(lines[k], nearby)
        if not inside.is_empty:
            out[owner[k]] += GEOD.geometry_length(inside) / 1000.0
    return out


def snap_to_water(
    tiles: LandTiles, land: BaseGeometry, point: Point, *, max_km: float = 100.0
) -> tuple[Point, float] | None:
    """Return the nearest open-water point to ``point`` and its distance in km.

    A point already off land is its own snap (distance 0). Otherwise the nearest centre of an
    open-water cell (see :func:`open_water`) is searched in growing boxes.

    Parameters
    ----------
    tiles : LandTiles
    land : shapely geometry
    point : (lon, lat)
    max_km : float, keyword-only
        Give up beyond this distance.

    Returns
    -------
    tuple or None
        ``((lon, lat), km)``, or ``None`` when no open water lies within ``max_km``.
    """
    lon, lat = point
    wrapped = ((lon + 180.0) % 360.0) - 180.0
    if not shapely.contains_xy(land, wrapped, lat):
        return (lon, lat), 0.0
    windows = ((0.1, 240), (0.6, 120), (2.0, 60))
    for half, n in windows:
        grid = build_grid(tiles, (lon - half, lat - half, lon + half, lat + half), n)
        near = nearest_cell(grid, lon, lat, grid.water & open_water(grid))
        # Only trust a hit closer than the window's half-width: a nearer cell could lie outside.
        sure_km = half * KM_PER_DEGREE * math.cos(math.radians(lat))
        if near is not None and (near[1] <= sure_km or half == windows[-1][0]):
            (row, col), _ = near
            xs, ys = grid.centres(row, col)
            km = GEOD.inv(lon, lat, float(xs), float(ys))[2] / 1000.0
            return ((float(xs), float(ys)), km) if km <= max_km else None
    return None
