"""Land rasterised on demand in 1-degree tiles: the cells water-grid routing sees as land."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["LandTiles"]

#: A land tile is rasterised against the land clipped to its box grown by this (degrees), so
#: that no cell centre lies near a cut.
_TILE_MARGIN_DEG = 0.5


class LandTiles:
    """Land rasterised on demand in 1-degree tiles, cached per (tile, resolution).

    A cell is land when its centre lies in the land geometry. Cell centres sit at
    ``k + (i + 0.5) / cells_per_degree`` so every grid built from the tiles agrees. A tile is
    tested against the land clipped to a box a little larger than itself (the polygons near it,
    found in a spatial index): the same cells as testing the whole land, several times faster.
    """

    def __init__(self, land: BaseGeometry, *, max_tiles: int = 8192) -> None:
        self._land = land
        self._max_tiles = max_tiles
        self._cache: dict[tuple[int, int, int], np.ndarray] = {}
        self._parts: np.ndarray | None = None
        self._tree: shapely.STRtree | None = None

    def tile(self, ix: int, iy: int, cells_per_degree: int) -> np.ndarray:
        """Return the ``(n, n)`` bool land mask of the tile whose south-west corner is (ix, iy).

        Rows run south to north, columns west to east; ``ix`` may leave [-180, 180) and is
        wrapped onto the land. Tiles are kept packed, eight cells a byte, the least recently
        used dropped past ``max_tiles`` (8,192 tiles of the finest grid hold about 60 MB).
        """
        key = (ix, iy, cells_per_degree)
        packed = self._cache.pop(key, None)
        if packed is None:
            packed = np.packbits(self._rasterise(ix, iy, cells_per_degree))
            if len(self._cache) >= self._max_tiles:
                self._cache.pop(next(iter(self._cache)))
        self._cache[key] = packed  # most recently used last
        n = cells_per_degree
        return np.unpackbits(packed, count=n * n).reshape(n, n).astype(bool)

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
        centres = (np.arange(n) + 0.5) / n
        lon0 = ((ix + 180) % 360) - 180
        xs, ys = np.meshgrid(lon0 + centres, iy + centres)
        box = (lon0 - _TILE_MARGIN_DEG, iy - _TILE_MARGIN_DEG,
               lon0 + 1 + _TILE_MARGIN_DEG, iy + 1 + _TILE_MARGIN_DEG)
        near = self.parts_near(*box)
        if near.size:
            clipped = shapely.get_parts(shapely.clip_by_rect(near, *box))
            local = shapely.multipolygons(clipped[shapely.get_type_id(clipped) == 3])
            shapely.prepare(local)
            mask = shapely.contains_xy(local, xs.ravel(), ys.ravel()).reshape(n, n)
        else:
            mask = np.zeros((n, n), dtype=bool)
        mask |= np.abs(ys) > 89.0
        return mask
