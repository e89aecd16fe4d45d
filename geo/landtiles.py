"""Land rasterised on demand in 1-degree tiles: the cells water-grid routing sees as land."""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import weakref
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from routemap.cache import (
    cache_switched_on,
    hash_modules,
    library_versions,
    read_arrays,
    versioned_folder,
    write_arrays,
)
from routemap.errors import NetworkDataError

__all__ = ["TILE_CACHE_ENV", "LandTiles", "save_land_tiles"]

log = logging.getLogger(__name__)

#: The variable that keeps rasterised tiles out of the cache folder (``off``), besides
#: ``ROUTEMAP_ROUTE_CACHE=off`` (``--no-cache``), which does too.
TILE_CACHE_ENV = "ROUTEMAP_TILE_CACHE"
#: The version of the tile files' format.
_TILE_FORMAT = 1
#: Blocks whose tiles (up to 25 each) are kept in memory beside the recently used tiles.
_BLOCKS_KEPT = 256

#: A land tile is rasterised against the land clipped to its box grown by this (degrees), so
#: that no cell centre lies near a cut.
_TILE_MARGIN_DEG = 0.5
#: Tiles are clipped from blocks of this many degrees a side, each clipped once from the land.
_BLOCK_DEG = 5
#: A tile the coast crosses is tested in square blocks of this many cells a side (see
#: :func:`_coast_mask`).
_SUB_CELLS = 16


class LandTiles:
    """Land rasterised on demand in 1-degree tiles, cached per (tile, resolution).

    A cell is land when its centre lies in the land geometry. Cell centres sit at
    ``k + (i + 0.5) / cells_per_degree`` so every grid built from the tiles agrees. A tile is
    tested against the land clipped to a box a little larger than itself: the same cells as
    testing the whole land, several times faster. That clip is taken from the land's block
    (:data:`_BLOCK_DEG` degrees a side), itself clipped once from the polygons near it to a box
    grown by more than the land's longest segment: every segment that meets a tile's box lies
    whole in its block's clip, so the tile's clip keeps the same segments and cuts them at the
    same points as a clip of the whole land would.

    Rasterised tiles are also kept in the cache folder (``landtiles-v1-<code>/``), one file
    per block and resolution, named by a hash of the land itself (its WKB): a later process
    reads them instead of rasterising again. Tiles rasterised in memory are written there by
    :meth:`save` (or :func:`save_land_tiles`). ``ROUTEMAP_TILE_CACHE=off`` or
    ``ROUTEMAP_ROUTE_CACHE=off`` (``--no-cache``) neither read nor write them; a damaged file
    is rasterised again.

    Parameters
    ----------
    land : shapely geometry
        Land polygons in lon/lat, [-180, 180].
    max_tiles : int, keyword-only
        How many tiles to keep in memory.
    stored : bool, keyword-only
        Whether tiles may be read from and written to the cache folder at all.
    """

    def __init__(self, land: BaseGeometry, *, max_tiles: int = 8192, stored: bool = True) -> None:
        self._land = land
        self._max_tiles = max_tiles
        self._cache: dict[tuple[int, int, int], np.ndarray] = {}
        self._parts: np.ndarray | None = None
        self._tree: shapely.STRtree | None = None
        self._blocks: dict[tuple[int, int], np.ndarray] = {}
        self._reach: float | None = None
        self._stored = stored
        self._land_digest: str | None = None
        #: Per (block x, block y, resolution): the tiles of its file, by (wrapped x, y), and
        #: the blocks holding tiles that file lacks.
        self._files: dict[tuple[int, int, int], dict[tuple[int, int], np.ndarray]] = {}
        self._unsaved: set[tuple[int, int, int]] = set()
        _LIVE.add(self)

    def tile(self, ix: int, iy: int, cells_per_degree: int) -> np.ndarray:
        """Return the ``(n, n)`` bool land mask of the tile whose south-west corner is (ix, iy).

        Rows run south to north, columns west to east; ``ix`` may leave [-180, 180) and is
        wrapped onto the land. Tiles are kept packed, eight cells a byte, the least recently
        used dropped past ``max_tiles`` (8,192 tiles of the finest grid hold about 60 MB).
        """
        key = (ix, iy, cells_per_degree)
        packed = self._cache.pop(key, None)
        if packed is None:
            packed = self._stored_tile(ix, iy, cells_per_degree)
            if len(self._cache) >= self._max_tiles:
                self._cache.pop(next(iter(self._cache)))
        self._cache[key] = packed  # most recently used last
        n = cells_per_degree
        return np.unpackbits(packed, count=n * n).reshape(n, n).astype(bool)

    def save(self) -> int:
        """Write the tiles rasterised since the last save to the cache folder; return how many
        block files were written (0 when the cache is off or cannot be written).

        Each block's file gets the tiles it already holds (read again now: another process may
        have added some) and this one's, and is replaced atomically.
        """
        folder = self._folder()
        if folder is None or not self._unsaved:
            self._unsaved.clear()
            return 0
        written = 0
        for block in sorted(self._unsaved):
            path = self._path(folder, block)
            tiles = {**self._read_block(path, block[2]), **self._files[block]}
            order = sorted(tiles)
            try:
                write_arrays(path, {"tiles": np.array(order, dtype=np.int32).reshape(-1, 2),
                                    "packed": np.stack([tiles[t] for t in order])},
                             {"format": _TILE_FORMAT, "land": self._digest(),
                              "cells_per_degree": block[2]})
            except OSError as exc:
                log.debug("cannot write the land tiles %s: %s", path, exc)
                continue
            written += 1
        self._unsaved.clear()
        return written

    def _stored_tile(self, ix: int, iy: int, n: int) -> np.ndarray:
        """Return a tile packed, from its block's file when the cache folder holds it, else
        rasterised (and noted for :meth:`save`)."""
        lon0 = ((ix + 180) % 360) - 180
        block = (math.floor(lon0 / _BLOCK_DEG), math.floor(iy / _BLOCK_DEG), n)
        tiles = self._files.get(block)
        if tiles is None:
            self._make_room()
            folder = self._folder()
            tiles = self._files[block] = (
                {} if folder is None else self._read_block(self._path(folder, block), n))
        packed = tiles.get((lon0, iy))
        if packed is None:
            packed = tiles[(lon0, iy)] = np.packbits(self._rasterise(ix, iy, n))
            if self._stored:
                self._unsaved.add(block)
        return packed

    def _make_room(self) -> None:
        """Keep at most :data:`_BLOCKS_KEPT` blocks' tiles: the oldest one already in its file
        is dropped (read again if asked), after saving them all when most are not."""
        if len(self._files) < _BLOCKS_KEPT:
            return
        if len(self._unsaved) >= _BLOCKS_KEPT // 2:
            self.save()
        for block in self._files:
            if block not in self._unsaved:
                del self._files[block]
                return

    def _folder(self) -> Path | None:
        """Return the tile cache's folder, or None when it is off or cannot be used."""
        if not self._stored or not cache_switched_on(TILE_CACHE_ENV):
            return None
        return versioned_folder("landtiles", _TILE_FORMAT, _code_version())

    def _digest(self) -> str:
        """Return the SHA-256 of the land's WKB (what every tile is rasterised from)."""
        if self._land_digest is None:
            self._land_digest = hashlib.sha256(shapely.to_wkb(self._land)).hexdigest()
        return self._land_digest

    def _path(self, folder: Path, block: tuple[int, int, int]) -> Path:
        bx, by, n = block
        return folder / f"{self._digest()[:16]}-{n}-{bx}_{by}.npz"

    def _read_block(self, path: Path, n: int) -> dict[tuple[int, int], np.ndarray]:
        """Return the packed tiles of a block file by (wrapped x, y); none when it is missing,
        damaged, or made from other land or for another resolution."""
        if not path.is_file():
            return {}
        try:
            arrays, meta = read_arrays(path)
        except NetworkDataError as exc:
            log.debug("land tiles ignored: %s", exc)
            return {}
        tiles, packed = arrays.get("tiles"), arrays.get("packed")
        if (meta.get("format") != _TILE_FORMAT or meta.get("land") != self._digest()
                or meta.get("cells_per_degree") != n or tiles is None or packed is None
                or tiles.ndim != 2 or tiles.shape[1:] != (2,) or packed.dtype != np.uint8
                or packed.shape != (len(tiles), (n * n + 7) // 8)):
            log.debug("land tiles ignored: %s does not hold this land's tiles", path)
            return {}
        return {(int(x), int(y)): row for (x, y), row in zip(tiles.tolist(), packed, strict=True)}

    def parts_near(self, west: float, south: float, east: float, north: float) -> np.ndarray:
        """Return the land polygons whose bounds meet a lon/lat box, in the land's own order.

        Parameters
        ----------
        west, south, east, north : float
            The box, longitudes in [-180, 180].

        Returns
        -------
        numpy.ndarray
            Shapely polygons (an empty array when no land is near).
        """
        if self._tree is None:
            self._parts = shapely.get_parts(self._land)
            self._tree = shapely.STRtree(self._parts)
        assert self._parts is not None
        found = np.sort(self._tree.query(shapely.box(west, south, east, north)))
        return self._parts[found]

    def clip(self, west: float, south: float, east: float, north: float) -> BaseGeometry:
        """Return the land clipped to a lon/lat box, from the polygons near it alone.

        The same geometry, part for part, as ``shapely.clip_by_rect(land, ...)`` (GEOS clips
        each polygon on its own and keeps their order; polygons whose bounds miss the box add
        nothing), without walking the coastlines of the whole world.
        """
        near = shapely.multipolygons(self.parts_near(west, south, east, north))
        return shapely.clip_by_rect(near, west, south, east, north)

    def _rasterise(self, ix: int, iy: int, n: int) -> np.ndarray:
        """Return a tile's land mask: the centres tested where the coast passes among them.

        When the centres' hull lies in open water or wholly inside land, no coast passes among
        the centres, so every centre has the answer of any one (the same cells, from two exact
        predicates instead of n * n point tests); otherwise the same holds block by block
        (:func:`_coast_mask`).
        """
        centres = (np.arange(n) + 0.5) / n
        lon0 = ((ix + 180) % 360) - 180
        lons, lats = lon0 + centres, iy + centres
        box = (lon0 - _TILE_MARGIN_DEG, iy - _TILE_MARGIN_DEG,
               lon0 + 1 + _TILE_MARGIN_DEG, iy + 1 + _TILE_MARGIN_DEG)
        near = self._block(math.floor(lon0 / _BLOCK_DEG), math.floor(iy / _BLOCK_DEG))
        local = shapely.multipolygons(_polygons_clipped(near, box)) if near.size else None
        hull = shapely.box(lons[0], lats[0], lons[-1], lats[-1])
        if local is None or shapely.disjoint(local, hull):
            mask = np.zeros((n, n), dtype=bool)
        elif shapely.contains_properly(local, hull):
            mask = np.ones((n, n), dtype=bool)
        else:
            shapely.prepare(local)
            mask = _coast_mask(local, lons, lats)
        mask[np.abs(lats) > 89.0] = True
        return mask

    def _block(self, bx: int, by: int) -> np.ndarray:
        """Return the land polygons of a block's box grown by the tiles' margin and the land's
        longest segment (kept: a block serves every tile in it, at every resolution)."""
        found = self._blocks.get((bx, by))
        if found is None:
            if self._reach is None:
                self._reach = _TILE_MARGIN_DEG + _longest_segment_deg(self._land) + 0.01
            west, south = bx * _BLOCK_DEG - self._reach, by * _BLOCK_DEG - self._reach
            east, north = (bx + 1) * _BLOCK_DEG + self._reach, (by + 1) * _BLOCK_DEG + self._reach
            box = (west, south, east, north)
            found = self._blocks[(bx, by)] = _polygons_clipped(self.parts_near(*box), box)
        return found


#: Every LandTiles alive, for :func:`save_land_tiles`.
_LIVE: weakref.WeakSet[LandTiles] = weakref.WeakSet()


def save_land_tiles() -> int:
    """Write every live :class:`LandTiles`' newly rasterised tiles to the cache folder (see
    :meth:`LandTiles.save`); return how many block files were written."""
    return sum(tiles.save() for tiles in list(_LIVE))


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """Return a hash of what makes a tile's cells: this module and the geometry libraries."""
    digest = hashlib.sha256(repr(library_versions(("shapely", "numpy"))).encode())
    digest.update(shapely.geos_version_string.encode())
    hash_modules(digest, {"routemap.geo": ["landtiles.py"]})
    return digest.hexdigest()


def _coast_mask(local: BaseGeometry, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Return which cell centres of a tile lie in ``local`` (prepared), block by block.

    The centres are taken in square blocks of :data:`_SUB_CELLS` a side (fewer at the tile's
    last row and column). A block whose centres' hull misses the land, or lies inside it away
    from its boundary, takes that one answer; only the centres of the blocks the coast passes
    among are tested one by one. The same cells as testing every centre: the two predicates
    are exact and each says what a point test of every centre in the hull would.
    """
    n = len(lons)
    starts = np.arange(0, n, _SUB_CELLS)
    ends = np.minimum(starts + _SUB_CELLS, n) - 1  # last centre of each block
    k = len(starts)
    row0, col0 = np.repeat(starts, k), np.tile(starts, k)
    row1, col1 = np.repeat(ends, k), np.tile(ends, k)
    boxes = shapely.box(lons[col0], lats[row0], lons[col1], lats[row1])
    flat = (row1 > row0) & (col1 > col0)  # a block of one row or column has no area: test it
    sea = flat & shapely.disjoint(local, boxes)
    inland = flat & ~sea & shapely.contains_properly(local, boxes)
    # Each block's answer spread over its cells: 0 at sea, 1 inland, 2 where the coast runs.
    answer = np.where(sea, 0, np.where(inland, 1, 2)).astype(np.uint8).reshape(k, k)
    cells = np.repeat(np.repeat(answer, _SUB_CELLS, axis=0), _SUB_CELLS, axis=1)[:n, :n]
    mask = cells == 1
    rows, cols = np.nonzero(cells == 2)
    if rows.size:
        mask[rows, cols] = shapely.contains_xy(local, lons[cols], lats[rows])
    return mask


def _polygons_clipped(parts: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """Return the polygons of some polygons clipped to a box (GEOS clips each on its own)."""
    clipped = shapely.get_parts(shapely.clip_by_rect(parts, *box))
    return clipped[shapely.get_type_id(clipped) == 3]


def _longest_segment_deg(land: BaseGeometry) -> float:
    """Return the largest lon or lat extent of any segment of the land's rings (degrees)."""
    rings = shapely.get_rings(shapely.get_parts(land))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    if len(coords) < 2:
        return 0.0
    step = np.abs(np.diff(coords, axis=0)).max(axis=1)
    return float(step[ring[1:] == ring[:-1]].max(initial=0.0))
