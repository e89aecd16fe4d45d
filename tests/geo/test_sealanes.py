"""The sea network: passage names, lane arrays, land tiles and the shipped marnet."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from shapely.geometry import box

from routemap.errors import UnroutableLegError
from routemap.geo.sealanes import (
    DEFAULT_AVOID,
    PASSAGES,
    LandTiles,
    build_lane_data,
    build_sea_network,
    load_sea_network,
    passage_tags,
)


@pytest.fixture
def square_land():
    """One square degree of land, (1, 0) to (2, 1)."""
    return box(1.0, 0.0, 2.0, 1.0)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ((), {"northwest"}),
        (("suez",), {"northwest", "suez"}),
        (("bab-el-mandeb",), {"northwest", "babalmandab"}),
        (("Hormuz", " BOSPORUS "), {"northwest", "ormuz", "bosporus"}),
        (("cape-of-good-hope", "cape-horn"), {"northwest", "south_africa", "chili"}),
    ],
)
def test_passage_tags(names, expected):
    assert passage_tags(names) == frozenset(expected)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (("atlantis",), "'atlantis'"),
        (("babalmandab",), "'babalmandab'"),  # searoute's spelling is not ours
        (("suez", "kiel", "xyz"), "'kiel', 'xyz'"),
    ],
)
def test_unknown_passages_are_listed_with_the_valid_ones(names, message):
    with pytest.raises(UnroutableLegError, match=message) as info:
        passage_tags(names)
    assert all(name in str(info.value) for name in PASSAGES)


def test_default_avoid_is_a_known_passage():
    assert set(DEFAULT_AVOID) <= set(PASSAGES)


def test_build_lane_data_keeps_each_edge_once_with_geodesic_length():
    nodes = {(0.0, 0.0): {}, (1.0, 0.0): {}, (180.0, 0.0): {}, (-180.0, 0.0): {}}
    adjacency = {
        (0.0, 0.0): {(1.0, 0.0): {"weight": 5}},
        (1.0, 0.0): {(0.0, 0.0): {"weight": 5}},
        (180.0, 0.0): {(-180.0, 0.0): {"passage": "pacific_ocean", "weight": 0.0}},
        (-180.0, 0.0): {(180.0, 0.0): {"passage": "pacific_ocean", "weight": 0.0}},
    }
    lanes = build_lane_data(nodes, adjacency)
    assert lanes.nodes.shape == (4, 2) and lanes.edges.shape == (2, 2)
    assert lanes.weight_km == pytest.approx([111.32, 0.0], abs=0.01)
    assert list(lanes.passage) == ["", "pacific_ocean"]


def test_land_tiles_rasterise_cell_centres(square_land):
    tiles = LandTiles(square_land)
    mask = tiles.tile(1, 0, 4)
    assert mask.shape == (4, 4) and mask.all()
    assert not tiles.tile(0, 0, 4).any()
    tiles._rasterise = lambda *args: pytest.fail("rasterised again")  # cached
    assert np.array_equal(tiles.tile(1, 0, 4), mask) and tiles.tile(1, 0, 4).dtype == bool


def test_land_tiles_wrap_longitude(square_land):
    tiles = LandTiles(square_land)
    assert tiles.tile(361, 0, 4).all()
    assert tiles.tile(-359, 0, 4).all()


def test_land_tiles_cache_is_bounded(square_land):
    """Past ``max_tiles`` the least recently used tile is dropped (and made again if asked)."""
    tiles = LandTiles(square_land, max_tiles=2)
    first = tiles.tile(1, 0, 2)
    tiles.tile(2, 0, 2)
    tiles.tile(1, 0, 2)  # used again: (2, 0) is now the oldest
    tiles.tile(3, 0, 2)
    assert set(tiles._cache) == {(1, 0, 2), (3, 0, 2)}
    assert np.array_equal(tiles.tile(2, 0, 2), tiles._rasterise(2, 0, 2))
    assert np.array_equal(tiles.tile(1, 0, 2), first)


def test_build_sea_network_prepares_land(square_land):
    network = build_sea_network({(0.0, 0.0): {}}, {}, square_land, name="n", attribution="a")
    assert network.name == "n" and network.attribution == "a"
    assert network.lanes.edges.shape == (0, 2)
    assert {network: 1}[network] == 1  # hashable by identity, so callers may cache by it


@pytest.mark.network_data
def test_shipped_network():
    network = load_sea_network()
    assert load_sea_network() is network
    assert len(network.lanes.nodes) > 9000 and len(network.lanes.edges) > 15000
    assert "searoute 1." in network.name
    for credit in ("Eurostat", "EUPL", "Apache-2.0", "Natural Earth"):
        assert credit in network.attribution
    tags = set(network.lanes.passage)
    assert {tag for group in PASSAGES.values() for tag in group} <= tags


SEAROUTE_ADVICE = ("cannot read the sea lanes shipped with searoute: {what}; reinstall searoute, "
                   "at the version routemap was tested with (from searoute: {detail})")


@pytest.mark.parametrize(("module", "detail"), [
    (ModuleNotFoundError("No module named 'searoute'"), "No module named 'searoute'"),
    (ImportError("cannot import name 'Feature' from 'geojson'"),
     "cannot import name 'Feature' from 'geojson'"),
    (FileNotFoundError(2, "No such file or directory"), "[Errno 2] No such file or directory"),
    (type("marnet_dict", (), {"node_list": {}}), None),  # AttributeError, in Python's words
])
def test_a_broken_searoute_is_our_error(monkeypatch, module, detail):
    from routemap.errors import NetworkDataError
    from routemap.geo import sealanes

    def marnet_module():
        if isinstance(module, BaseException):
            raise module
        return module

    monkeypatch.setattr(sealanes, "_marnet_module", marnet_module)
    with pytest.raises(NetworkDataError) as caught:
        sealanes.read_marnet()
    what = "its lane network (searoute.data.marnet_dict) is missing or has changed"
    detail = detail or str(caught.value.__cause__)
    assert str(caught.value) == SEAROUTE_ADVICE.format(what=what, detail=detail)


def test_marnet_read_from_its_file_without_importing_searoute():
    # Importing searoute runs its __init__, which loads networkx: a second of a cold build.
    code = ("import sys, importlib; from routemap.geo.sealanes import read_marnet; "
            "nodes, adjacency = read_marnet(); "
            "assert 'searoute' not in sys.modules and 'networkx' not in sys.modules, 'imported'; "
            "data = importlib.import_module('searoute.data.marnet_dict'); "
            "assert (nodes, adjacency) == (data.node_list, data.edge_list), 'different lanes'; "
            "assert list(nodes) == list(data.node_list) and list(adjacency) == list(data.edge_list)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_searoute_without_metadata_is_our_error(monkeypatch):
    from importlib import metadata

    from routemap.errors import NetworkDataError
    from routemap.geo import sealanes

    def version(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(sealanes.metadata, "version", version)
    with pytest.raises(NetworkDataError) as caught:
        sealanes._searoute_version()
    assert str(caught.value) == SEAROUTE_ADVICE.format(
        what="its package metadata is missing", detail=metadata.PackageNotFoundError("searoute"))


def test_land_tiles_match_the_whole_land_cell_for_cell(square_land):
    """A tile tested against the land clipped near it has the cells the whole land gives."""
    import shapely

    land = shapely.union_all([square_land, box(3.3, 0.2, 3.7, 0.6), box(-2.0, -1.0, 0.4, 0.45)])
    shapely.prepare(land)
    tiles = LandTiles(land)
    for ix, iy in ((0, 0), (1, 0), (3, 0), (-1, -1), (5, 5)):
        centres = (np.arange(40) + 0.5) / 40
        xs, ys = np.meshgrid(ix + centres, iy + centres)
        whole = shapely.contains_xy(land, xs.ravel(), ys.ravel()).reshape(40, 40)
        assert np.array_equal(tiles.tile(ix, iy, 40), whole), (ix, iy)


def test_the_sea_lanes_are_read_from_the_cache_as_they_were_built(tmp_path, monkeypatch):
    """A second process reads the lanes the first one built, exactly (damaged files: test_cache)."""
    from routemap.geo import sealanes

    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    sealanes.load_sea_network.cache_clear()
    try:
        built = sealanes.load_sea_network()
        (path,) = tmp_path.glob("sealanes-*.npz")
        sealanes.load_sea_network.cache_clear()
        monkeypatch.setattr(sealanes, "read_marnet", lambda: pytest.fail("lanes built again"))
        read = sealanes.load_sea_network()
        for name in ("nodes", "edges", "weight_km"):
            assert np.array_equal(getattr(read.lanes, name), getattr(built.lanes, name))
        assert list(read.lanes.passage) == list(built.lanes.passage)
        assert all(type(tag) is str for tag in read.lanes.passage)
        assert (read.name, read.inland_tags) == (built.name, built.inland_tags)
        assert path.name.startswith("sealanes-")
    finally:
        sealanes.load_sea_network.cache_clear()


def test_land_tiles_clip_is_the_whole_land_clipped():
    """Clipping from the polygons near a box gives the geometry clipping all the land gives,
    byte for byte: boxes over islands, across coasts, over open sea, over nothing."""
    import shapely

    land = shapely.MultiPolygon([box(0.0, 0.0, 3.0, 2.0), box(5.0, 0.0, 6.0, 1.0),
                                 box(5.5, 3.0, 7.0, 4.0).difference(box(6.0, 3.2, 6.5, 3.6)),
                                 box(-20.0, -5.0, 20.0, -1.0)])
    tiles = LandTiles(land)
    for rect in [(1.0, 1.0, 2.0, 1.5), (2.5, -0.5, 5.5, 0.5), (5.8, 3.1, 6.2, 3.9), (3.2, 1.2, 4.8, 2.5),
                 (-30.0, -10.0, 30.0, 10.0), (10.0, 10.0, 11.0, 11.0), (-1.0, -2.0, 0.5, 0.5)]:
        assert shapely.to_wkb(tiles.clip(*rect)) == shapely.to_wkb(shapely.clip_by_rect(land, *rect)), rect


def test_land_tiles_are_the_cells_whose_centres_lie_in_the_land():
    """Each tile, at each resolution, marks exactly the centres the whole land contains: over a
    coast whose segments are longer than a block (17 degrees), a lake, islands smaller than a
    cell, and tiles wholly on land or at sea (decided without testing every centre)."""
    import shapely
    from shapely.geometry import Polygon

    coast = Polygon([(-12.0, -9.0), (21.0, -9.0), (4.0, 8.0)], holes=[[(2.0, -3.0), (6.0, -3.0), (4.0, 0.5)]])
    islands = [box(8.31, 3.31, 8.33, 3.33), box(-20.0, 5.0, -19.2, 5.7)]
    land = shapely.MultiPolygon([coast, *islands])
    tiles = LandTiles(land)
    for ix, iy in [(4, 7), (4, -5), (3, -3), (-21, 5), (8, 3), (30, 30), (0, -8), (-3, -1), (19, -9)]:
        for n in (4, 15, 60):
            centres = (np.arange(n) + 0.5) / n
            xs, ys = np.meshgrid(ix + centres, iy + centres)
            expected = shapely.contains_xy(land, xs.ravel(), ys.ravel()).reshape(n, n)
            assert np.array_equal(tiles.tile(ix, iy, n), expected), (ix, iy, n)
