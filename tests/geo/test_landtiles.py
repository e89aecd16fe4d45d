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


# --- the tiles kept in the cache folder ---------------------------------------------------------

SQUARES = [(0, 0, 60), (1, 0, 60), (-1, 0, 60), (6, 0, 15), (1, 0, 15)]


def _no_rasterising(tiles: LandTiles) -> LandTiles:
    tiles._rasterise = lambda *args: pytest.fail(f"tile {args} rasterised again")
    return tiles


@pytest.fixture
def tile_folder(tmp_path, monkeypatch):
    """An empty cache folder, the tile cache on."""
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    for name in ("ROUTEMAP_TILE_CACHE", "ROUTEMAP_ROUTE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_a_later_process_reads_the_tiles_instead_of_rasterising(fine_land, tile_folder):
    """Saved tiles come back bit for bit, one file per block and resolution, read once each;
    tiles another process saved meanwhile are kept beside this one's."""
    first = LandTiles(fine_land)
    made = {key: first.tile(*key) for key in SQUARES}
    assert first.save() == 4  # blocks (0, 0) and (-1, 0) at 60, (0, 0) and (1, 0) at 15
    assert first.save() == 0
    (folder,) = tile_folder.glob("landtiles-v1-*")
    other = LandTiles(fine_land)
    made[(2, 0, 60)] = other.tile(2, 0, 60)
    assert other.save() == 1  # block (0, 0) at 60 again, with the first process's two tiles
    assert len(list(folder.glob("*.npz"))) == 4
    again = _no_rasterising(LandTiles(fine_land))
    for key, mask in made.items():
        got = again.tile(*key)
        assert got.dtype == bool and np.array_equal(got, mask), key
    assert again.save() == 0  # nothing new


def test_a_tile_across_the_antimeridian_is_stored_once(fine_land, tile_folder):
    """A tile asked for at x + 360 is the stored tile at x."""
    first = LandTiles(fine_land)
    mask = first.tile(0, 0, 30)
    first.save()
    assert np.array_equal(_no_rasterising(LandTiles(fine_land)).tile(360, 0, 30), mask)


@pytest.mark.parametrize("switch", ["ROUTEMAP_TILE_CACHE", "ROUTEMAP_ROUTE_CACHE"])
def test_the_environment_keeps_the_tiles_out_of_the_cache_folder(fine_land, tile_folder, monkeypatch, switch):
    """``ROUTEMAP_TILE_CACHE=off`` or ``--no-cache`` neither write tiles nor read them."""
    stored = LandTiles(fine_land)
    stored.tile(0, 0, 60)
    stored.save()
    monkeypatch.setenv(switch, "off")
    tiles = LandTiles(fine_land)
    rasterised = []
    rasterise = tiles._rasterise
    tiles._rasterise = lambda *args: rasterised.append(args) or rasterise(*args)
    tiles.tile(0, 0, 60)
    tiles.tile(3, 0, 60)
    assert rasterised == [(0, 0, 60), (3, 0, 60)]
    assert tiles.save() == 0
    assert [p.name.split("-", 1)[1] for p in tile_folder.glob("landtiles-v1-*/*.npz")] == ["60-0_0.npz"]


def test_other_land_or_a_damaged_file_is_rasterised_again(fine_land, tile_folder):
    """Tiles are keyed by the land itself; a damaged or foreign file is a miss, then replaced."""
    first = LandTiles(fine_land)
    mask = first.tile(0, 0, 60)
    first.save()
    (path,) = tile_folder.glob("landtiles-v1-*/*.npz")
    moved = shapely.affinity.translate(fine_land, xoff=0.01)
    assert not np.array_equal(LandTiles(moved).tile(0, 0, 60), mask)
    path.write_bytes(path.read_bytes()[:-40])
    tiles = LandTiles(fine_land)
    assert np.array_equal(tiles.tile(0, 0, 60), mask)
    assert tiles.save() == 1
    assert np.array_equal(_no_rasterising(LandTiles(fine_land)).tile(0, 0, 60), mask)


def test_tiles_kept_in_memory_are_bounded(fine_land, tile_folder, monkeypatch):
    """Past the blocks kept, most unsaved, they are saved and the oldest dropped."""
    monkeypatch.setattr(landtiles, "_BLOCKS_KEPT", 4)
    tiles = LandTiles(fine_land)
    for k in range(10):
        tiles.tile(5 * k, 0, 15)
    assert len(tiles._files) <= 4
    tiles.save()
    assert len(list(tile_folder.glob("landtiles-v1-*/*.npz"))) == 10


def test_a_batch_saves_the_tiles_it_rasterised(monkeypatch):
    """Routing legs writes the land tiles rasterised meanwhile; a batch routing nothing does not."""
    from shapely.geometry import LineString

    from routemap.routes.batch import route_requests
    from routemap.routes.leg import LegRequest, RoutedLeg, Stop

    saved = []
    monkeypatch.setattr(landtiles, "save_land_tiles", lambda: saved.append(1) or 0)

    def router(request: LegRequest) -> RoutedLeg:
        line = LineString([(s.lon, s.lat) for s in request.stops])
        return RoutedLeg(line, 1.0, "routed", (0.0, 0.0), "test net", "Test", ())

    route_requests([], {"sea": router})
    assert saved == []
    stops = (Stop("a", "A", 0.0, 0.0), Stop("b", "B", 1.0, 1.0))
    outcome = route_requests([LegRequest("sea", stops), LegRequest("sea", stops)], {"sea": router})
    assert saved == [1] and outcome.routed_now == 1
