"""Tests of the routing index: chains folded, the contraction hierarchy optional."""

from __future__ import annotations

from dataclasses import fields

import pytest

from routemap.routes import graph, hierarchy
from tests.routes.networks import six_node_network


def test_index_folds_chains(six):
    index = hierarchy.load_index(six)
    assert index.node_junction[4] == -1  # degree 2, same country on both sides
    assert index.node_junction[2] >= 0  # degree 2 but a border: kept as a junction
    assert index.node_offset[4] == pytest.approx(100.0 if index.junction_node[
        index.edge_u[index.node_edge[4]]] == 1 else 150.0)


def test_without_hierarchy_the_answers_are_the_same(monkeypatch):
    network = six_node_network()
    plain = hierarchy.build_index(network, hierarchy=False)
    assert not plain.has_hierarchy
    expected = {(s, t): graph.shortest_path(network, s, t).km
                for s in range(network.n_nodes) for t in range(network.n_nodes)}
    monkeypatch.setitem(hierarchy._INDEXES, network.checksum, plain)
    for (s, t), km in expected.items():
        assert graph.shortest_path(network, s, t).km == pytest.approx(km)


def _same_index(a: hierarchy.RoutingIndex, b: hierarchy.RoutingIndex) -> bool:
    import numpy as np

    return all(np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))


@pytest.fixture
def large(monkeypatch, tmp_path):
    """The six-node network treated as a large one: its index goes to a fresh cache folder."""
    monkeypatch.setattr(hierarchy, "_DISK_CACHE_MIN_NODES", 1)
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ROUTEMAP_WORKERS", raising=False)
    monkeypatch.setattr(hierarchy, "_INDEXES", {})
    monkeypatch.setattr(hierarchy, "_PENDING", {})
    return six_node_network()


def test_an_index_built_in_the_background_is_the_one_built_here(large, tmp_path):
    assert hierarchy.prefetch_index(large)
    assert hierarchy.prefetch_index(large)  # already under way: no second worker
    assert list(hierarchy._PENDING) == [large.checksum]
    index = hierarchy.load_index(large)
    assert not hierarchy._PENDING
    assert _same_index(index, hierarchy.build_index(large))
    cached = list(tmp_path.glob("index-six-*.npz"))
    assert len(cached) == 1  # written to the cache as an index built here is
    hierarchy._INDEXES.clear()
    assert not hierarchy.prefetch_index(large)  # on disk now: nothing to build
    assert _same_index(hierarchy.load_index(large), index)


def test_a_failed_worker_leaves_the_index_to_be_built_here(large, caplog):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    failed: Future = Future()
    failed.set_exception(BrokenProcessPool("a child process terminated abruptly"))
    hierarchy._PENDING[large.checksum] = failed
    index = hierarchy.load_index(large)
    assert _same_index(index, hierarchy.build_index(large))
    assert "the routing index worker for six (test 1) failed (a child process terminated abruptly); " \
           "building the index here" in caplog.text


def test_no_worker_with_one_process_or_a_small_network(large, monkeypatch):
    for one in ("1", " 01 "):
        monkeypatch.setenv("ROUTEMAP_WORKERS", one)
        assert not hierarchy.prefetch_index(large)
    monkeypatch.delenv("ROUTEMAP_WORKERS")
    monkeypatch.setattr(hierarchy, "_DISK_CACHE_MIN_NODES", 20_000)
    assert not hierarchy.prefetch_index(large)
    assert not hierarchy._PENDING
