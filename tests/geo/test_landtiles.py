"""Land tiles: the cells whose centres lie in the land, tested block by block."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from routemap.geo import landtiles
from routemap.geo.landtiles import LandTiles


def _whole_land_mask(land, ix: int, iy: int, n: int) -> np.ndarray:
    """Test every cell centre of a tile against the whole land (the definition of a tile)."""
    centres = (np.arange(n) + 0.5) / n
    xs, ys = np.meshgrid(ix + centres, iy + centres)
    return shapely.contains_xy(land, xs.ravel(), ys.ravel()).reshape(n, n)


@pytest.fixture(scope="module")
def fine_land():
    """A coast with a bay, a lake wholly inside one block of cells, an island smaller than a
    cell and one smaller than a block, and a strait one cell wide."""
    coast = Polygon([(0.0, 0.0), (0.9, 0.0), (0.9, 0.8), (0.52, 0.8), (0.5, 0.45), (0.48, 0.8),
                     (0.0, 0.8)], holes=[[(0.2, 0.2), (0.23, 0.2), (0.23, 0.23), (0.2, 0.23)]])
    islands = [box(0.951, 0.951, 0.952, 0.952), box(0.93, 0.85, 0.97, 0.88)]
    land = shapely.MultiPolygon([coast, *islands])
    shapely.prepare(land)
    return land


@pytest.mark.parametrize("n", [15, 17, 33, 60, 120, 240])
def test_coastal_tiles_are_the_centres_the_whole_land_contains(fine_land, n):
    """Blocks wholly at sea or inland take one answer, the others are tested centre by centre:
    the same cells as testing every centre, at resolutions whose last block is a single row and
    column (17, 33), smaller than the others (60, 120) or whole (240)."""
    tiles = LandTiles(fine_land)
    mask = tiles.tile(0, 0, n)
    assert np.array_equal(mask, _whole_land_mask(fine_land, 0, 0, n))
    assert 0 < mask.sum() < n * n


def test_blocks_decide_without_testing_their_centres(fine_land, monkeypatch):
    """At 240 cells a degree most of a coastal tile's blocks are decided by two predicates:
    far fewer centres are tested than the tile holds."""
    expected = _whole_land_mask(fine_land, 0, 0, 240)
    tested = []
    contains_xy = shapely.contains_xy

    def counting(geometry, x, y):
        tested.append(np.size(x))
        return contains_xy(geometry, x, y)

    monkeypatch.setattr(landtiles.shapely, "contains_xy", counting)
    mask = LandTiles(fine_land).tile(0, 0, 240)
    assert np.array_equal(mask, expected)
    assert 0 < sum(tested) < 240 * 240 // 3
