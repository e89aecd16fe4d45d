"""Tests of the routing index: chains folded into junction edges, cached on disk."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.routes import graph, junctions
from tests.routes.networks import six_node_network


def test_index_folds_chains(six):
    index = junctions.load_index(six)
    assert index.node_junction[4] == -1  # degree 2, same country on both sides
    assert index.node_junction[2] >= 0  # degree 2 but a border: kept as a junction
    assert index.node_offset[4] == pytest.approx(100.0 if index.junction_node[
        index.edge_u[index.node_edge[4]]] == 1 else 150.0)


@pytest.fixture
def disk_cached(tmp_path, monkeypatch):
    """Every network's index goes through the disk cache, in an empty cache folder."""
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(junctions, "_DISK_CACHE_MIN_NODES", 0)
    monkeypatch.setattr(junctions, "_INDEXES", {})
    return tmp_path


def test_an_index_read_back_from_the_disk_cache_routes_the_same(disk_cached):
    network = six_node_network()
    built = junctions.load_index(network)
    files = list(disk_cached.glob(f"index-*-v{junctions.INDEX_FORMAT}.npz"))
    assert len(files) == 1
    expected = {(s, t): graph.shortest_path(network, s, t) for s in range(6) for t in range(6)}
    junctions._INDEXES.clear()
    read = junctions.load_index(network)
    assert read is not built
    for field in ("node_junction", "edge_u", "edge_v", "edge_km", "chain_nodes", "component"):
        assert np.array_equal(getattr(read, field), getattr(built, field))
    for (s, t), path in expected.items():
        again = graph.shortest_path(network, s, t)
        assert again.nodes.tolist() == path.nodes.tolist()
        assert again.km == path.km


def test_a_damaged_index_file_is_rebuilt(disk_cached, caplog):
    network = six_node_network()
    junctions.load_index(network)
    (path,) = disk_cached.glob("index-*.npz")
    path.write_bytes(b"not an index")
    junctions._INDEXES.clear()
    index = junctions.load_index(network)
    assert graph.shortest_path(network, 0, 5).km == pytest.approx(288.0)
    assert index.n_junctions == junctions.build_index(network).n_junctions
    assert "rebuilding it" in caplog.text


def test_writing_an_index_removes_that_networks_indexes_of_other_formats(disk_cached):
    network = six_node_network()
    name = network.name
    older = disk_cached / f"index-{name}-0123456789abcdef-v2.npz"
    other_network = disk_cached / "index-another-0123456789abcdef-v2.npz"
    same_format_variant = disk_cached / f"index-{name}-fedcba9876543210-v{junctions.INDEX_FORMAT}.npz"
    for path in (older, other_network, same_format_variant):
        path.write_bytes(b"an index")
    junctions.load_index(network)
    assert not older.exists()
    assert other_network.exists() and same_format_variant.exists()
    assert len(list(disk_cached.glob(f"index-{name}-*-v{junctions.INDEX_FORMAT}.npz"))) == 2
