"""Tests of the shortest-path engine on small synthetic networks built in memory."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from routemap.errors import UnroutableLegError
from routemap.geo.network import build_network, undirected_edges
from routemap.routes import graph


@pytest.mark.parametrize(
    ("source", "target", "allowed_countries", "km", "nodes"),
    [
        (0, 5, None, 288.0, [0, 1, 2, 3, 5]),
        (5, 0, None, 288.0, [5, 3, 2, 1, 0]),
        (0, 4, None, 172.0, [0, 1, 4]),
        (4, 5, None, 222.0, [4, 3, 5]),
        (0, 5, ("AA",), 394.0, [0, 1, 4, 3, 5]),
        (2, 2, None, 0.0, [2]),
    ],
)
def test_shortest_path(six, source, target, allowed_countries, km, nodes):
    allowed = graph.allowed_nodes(six, within=allowed_countries)
    path = graph.shortest_path(six, source, target, allowed=allowed)
    assert path.km == pytest.approx(km)
    assert path.nodes.tolist() == nodes


def test_no_constraint_and_a_mask_of_every_node_give_the_same_paths(six):
    everything = np.ones(six.n_nodes, dtype=bool)
    for s in range(six.n_nodes):
        for t in range(six.n_nodes):
            free = graph.shortest_path(six, s, t)
            masked = graph.shortest_path(six, s, t, allowed=everything)
            assert free.km == pytest.approx(masked.km)
            assert free.nodes.tolist() == masked.nodes.tolist()


def random_network(seed: int, n: int = 300):
    """A random geometric graph (seeded), chains and rings included, in country AA only."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(10, 12, n), rng.uniform(50, 51, n)
    g = nx.random_geometric_graph(n, 0.09, pos={i: (lon[i] - 10, lat[i] - 50) for i in range(n)},
                                  seed=seed)
    u, v = np.array(list(g.edges())).T
    km = np.hypot(lon[u] - lon[v], lat[u] - lat[v]) * 100 + rng.uniform(0, 5, u.size)
    codes = np.where(lon < 11, "AA", "BB")
    return build_network(lon, lat, undirected_edges(u, v, km), codes, name="random",
                         mode="road", source="test", attribution="test"), g, km, u, v


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shortest_paths_agree_with_networkx(seed):
    network, _, km, u, v = random_network(seed)
    weighted = nx.Graph()
    weighted.add_weighted_edges_from(zip(u.tolist(), v.tolist(), km.tolist(), strict=False))
    rng = np.random.default_rng(seed)
    nodes = list(weighted.nodes)
    for s, t in rng.choice(nodes, size=(40, 2)):
        try:
            expected = nx.dijkstra_path_length(weighted, int(s), int(t))
        except nx.NetworkXNoPath:
            with pytest.raises(UnroutableLegError):
                graph.shortest_path(network, int(s), int(t))
            continue
        path = graph.shortest_path(network, int(s), int(t))
        assert path.km == pytest.approx(expected, rel=1e-9)
        steps = sum(weighted[a][b]["weight"] for a, b in zip(path.nodes[:-1], path.nodes[1:], strict=False))
        assert steps == pytest.approx(expected, rel=1e-9)


def test_a_path_through_one_junction_keeps_it():
    """Nodes 0 and 2 lie on two chains that meet at junction 1 (a 3 x 3 grid's bottom row):
    the path between them passes node 1, and is drawn through it."""
    lon, lat = np.tile([0.0, 0.1, 0.2], 3), np.repeat([0.0, 0.1, 0.2], 3)
    ids = np.arange(9).reshape(3, 3)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    network = build_network(lon, lat, undirected_edges(u, v, np.full(u.size, 13.0)),
                            np.array(["AA"] * 9), name="grid", mode="road", source="t",
                            attribution="t")
    for allowed in (None, np.ones(9, dtype=bool)):
        path = graph.shortest_path(network, 0, 2, allowed=allowed)
        assert path.nodes.tolist() == [0, 1, 2]
        assert path.km == pytest.approx(26.0)


def test_allowed_nodes_is_built_once_per_constraint_and_read_only(six):
    """Legs under the same rules share one mask, which no leg can change; other rules get theirs."""
    within = graph.allowed_nodes(six, within=("AA",))
    assert graph.allowed_nodes(six, within=("AA",)) is within
    assert not within.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        within[0] = False
    avoided = graph.allowed_nodes(six, avoid=("AA",))
    assert avoided is not within and np.array_equal(avoided, ~within)
    assert graph.allowed_nodes(six) is None
