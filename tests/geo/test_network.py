"""Tests of network parsing, gap healing, country filling and the checksummed cache."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.errors import NetworkDataError
from routemap.geo import network as net

TINY_MODULE = (
    "from scgraph.core import GeoGraph\n"
    "graph=[{1: 2.5, 0: 0.0}, {0: 2.5, 2: 1.25}, {1: 1.25, 2: 0.0}, {}]\n"
    "nodes=[[50.0, 30.0], [50.0, 30.03], [50.01, 30.05], [51.0, 31.0]]\n"
    "tiny_geograph = GeoGraph(graph=graph, nodes=nodes)\n"
)


def tiny_network() -> net.Network:
    """Three connected nodes near 50N 30E and one isolated node, all in country AA."""
    edges, lon, lat = net.parse_scgraph_source(TINY_MODULE)
    return net.build_network(lon, lat, edges, np.array(["AA"] * 4), name="tiny", mode="rail",
                             source="test 0", attribution="test")


def test_parse_scgraph_source():
    edges, lon, lat = net.parse_scgraph_source(TINY_MODULE)
    assert lon.tolist() == pytest.approx([30.0, 30.03, 30.05, 31.0])
    assert lat.tolist() == pytest.approx([50.0, 50.0, 50.01, 51.0])
    assert list(zip(edges.u.tolist(), edges.v.tolist(), strict=False)) == [(0, 1), (1, 2)]  # no self-loops
    assert edges.km.tolist() == pytest.approx([2.5, 1.25])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("graph=[{1: 2.0}]\n", "no 'nodes=' literal"),
        ("graph=[{5: 2.0}]\nnodes=[[1.0, 2.0]]\n", "unknown node"),
        ("graph=[{1: 2.0}, {}]\nnodes=[[1.0, 2.0]]\n", "malformed"),
        ("graph=[{1: x}, {}]\nnodes=[[1.0, 2.0], [1.0, 2.0]]\n", "unexpected token"),
    ],
)
def test_parse_rejects_bad_literals(text, message):
    with pytest.raises(NetworkDataError, match=message):
        net.parse_scgraph_source(text)


def test_build_network_is_symmetric_csr():
    network = tiny_network()
    assert network.n_nodes == 4 and network.n_edges == 2
    assert network.indptr.tolist() == [0, 1, 3, 4, 4]
    assert network.indices.tolist() == [1, 0, 2, 1]
    assert network.country_codes().tolist() == ["AA"] * 4
    assert network.label == "tiny (test 0)"
    assert len(network.checksum) == 64


def test_heal_gaps_joins_close_components_only():
    """Main line 0-1-2, a piece 3-4 starting 1.7 km east of node 2, a piece 5-6 far away."""
    lon = np.array([0.0, 0.1, 0.2, 0.2153, 0.3, 5.0, 5.1])
    lat = np.zeros(7)
    edges = net.undirected_edges(np.array([0, 1, 3, 5]), np.array([1, 2, 4, 6]),
                                 np.array([11.1, 11.1, 9.5, 11.1]))
    links = net.heal_gaps(lon, lat, edges, max_gap_km=2.0)
    assert list(zip(links.u.tolist(), links.v.tolist(), strict=False)) == [(2, 3)]
    assert links.km[0] == pytest.approx(1.70, abs=0.01)


def test_assign_countries_fills_near_blanks():
    codes = np.array(["RU", "", "", ""])
    filled = net.assign_countries(codes, np.array(["RU", "KP"]), np.array([-1, 1, 0, -1]),
                                  np.array([np.inf, 3.0, 8.0, np.inf]), max_km=5.0)
    assert filled.tolist() == ["RU", "KP", "", ""]


def test_cache_round_trip(tmp_path):
    network = tiny_network()
    path = tmp_path / "tiny.npz"
    net.write_network(network, path)
    again = net.read_network(path)
    assert again.checksum == network.checksum
    assert again.countries == network.countries
    np.testing.assert_allclose(again.weights, network.weights)
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was renamed away


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_corrupt_cache_is_detected_and_rebuilt(tmp_path, monkeypatch, damage):
    builds = []
    monkeypatch.setattr(net, "build_scgraph_network",
                        lambda name: builds.append(name) or tiny_network())
    first = net.load_network("world_railways", directory=tmp_path)
    (path,) = tmp_path.glob("world_railways-*.npz")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(NetworkDataError):
        net.read_network(path)
    second = net.load_network("world_railways", directory=tmp_path)
    assert builds == ["world_railways", "world_railways"]
    assert second.checksum == first.checksum
    assert net.read_network(path).checksum == first.checksum


@pytest.fixture(scope="session")
def rail():
    """The bundled world rail network (cache built on first use, then shared)."""
    return net.load_rail_network()


@pytest.mark.network_data
def test_world_rail_network(rail):
    assert rail.n_nodes == 274_974
    assert rail.n_edges > 328_750  # every edge kept, plus the healed gaps
    assert rail.source.startswith("scgraph_data ")
    codes = rail.country_codes()
    assert (codes == "").mean() < 0.001
    near_vladivostok = np.hypot(rail.lon - 131.88, rail.lat - 43.11).argmin()
    assert codes[near_vladivostok] == "RU"
