"""Caches that heal: a damaged network cache is detected and rebuilt; concurrent builds are safe.

A tiny synthetic network stands in for the world ones (``load_network(builder=...)``), so
nothing here rebuilds the bundled networks. The damage catalogue and the file mechanics
(checksums, atomic writes) are tested in tests/test_cache.py.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import numpy as np
import pytest
import shapely

from routemap.errors import NetworkDataError
from routemap.geo import countries
from routemap.geo import network as net
from tests.test_cache import DAMAGE, run_processes

NAME = "world_railways"


def tiny(name: str = NAME) -> net.Network:
    """A 4-node chain near 50N 30E, in country AA."""
    lon = np.array([30.0, 30.1, 30.2, 30.3])
    lat = np.array([50.0, 50.0, 50.1, 50.1])
    edges = net.undirected_edges(np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([7.2, 13.0, 7.2]))
    return net.build_network(lon, lat, edges, np.array(["AA"] * 4), name=name, mode="rail",
                             source="test 1", attribution="test")


def slow_tiny(name: str) -> net.Network:
    """The tiny network, slowly: long enough for concurrent builds to overlap."""
    time.sleep(0.5)
    return tiny(name)


class Counting:
    """A builder that counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, name: str) -> net.Network:
        self.calls += 1
        return tiny(name)


def _cache_file(folder: Path) -> Path:
    (path,) = folder.glob(f"{NAME}-*.npz")
    return path


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_cache_is_detected_and_rebuilt(tmp_path, damage, caplog):
    builder = Counting()
    first = net.load_network(NAME, directory=tmp_path, builder=builder)
    path = _cache_file(tmp_path)
    DAMAGE[damage](path)
    with pytest.raises(NetworkDataError):
        net.read_network(path)
    again = net.load_network(NAME, directory=tmp_path, builder=builder)
    assert builder.calls == 2
    assert "rebuilding it" in caplog.text
    assert again.checksum == first.checksum
    assert net.read_network(path).checksum == first.checksum  # healed on disk
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporaries left


def test_a_sound_cache_is_read_not_rebuilt(tmp_path):
    builder = Counting()
    first = net.load_network(NAME, directory=tmp_path, builder=builder)
    again = net.load_network(NAME, directory=tmp_path, builder=builder)
    assert builder.calls == 1
    assert again.checksum == first.checksum
    np.testing.assert_array_equal(again.indices, first.indices)


def test_unwritable_cache_costs_a_rebuild_not_the_run(tmp_path, caplog):
    """A folder where the cache file should be: it can be neither read nor replaced."""
    net.load_network(NAME, directory=tmp_path, builder=tiny)
    path = _cache_file(tmp_path)
    path.unlink()
    path.mkdir()
    network = net.load_network(NAME, directory=tmp_path, builder=tiny)
    assert network.checksum == tiny().checksum
    assert "cannot write the network cache" in caplog.text
    assert path.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# --- two processes at once --------------------------------------------------------------------------


def _load_in_child(folder: str, results) -> None:
    network = net.load_network(NAME, directory=Path(folder), builder=slow_tiny)
    results.put(network.checksum)


def test_two_processes_building_at_once_both_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    run_processes([context.Process(target=_load_in_child, args=(str(tmp_path), results))
                   for _ in range(2)])
    sums = [results.get(timeout=10) for _ in range(2)]
    assert sums == [tiny().checksum] * 2
    path = _cache_file(tmp_path)
    assert net.read_network(path).checksum == tiny().checksum
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# --- the land cache (geo/countries.py) heals the same way -------------------------------------------


@pytest.mark.parametrize("damage", ["truncated to half", "byte flipped in the middle", "garbage", "empty"])
def test_damaged_land_cache_is_rebuilt(tmp_path, monkeypatch, damage, caplog):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    square = shapely.box(0, 0, 1, 1)
    builds = []
    monkeypatch.setattr(countries, "build_land", lambda frame: builds.append(1) or square)
    monkeypatch.setattr(countries, "load_countries", lambda: None)
    assert countries.load_land.__wrapped__().equals(square)
    (path,) = tmp_path.glob("land-*.wkb")
    DAMAGE[damage](path)
    assert countries.load_land.__wrapped__().equals(square)
    assert len(builds) == 2
    assert countries.load_land.__wrapped__().equals(square) and len(builds) == 2  # healed
