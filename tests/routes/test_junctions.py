"""Tests of the routing index: chains folded, the contraction hierarchy optional."""

from __future__ import annotations

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
