"""Tests of the shared routing engine on small synthetic networks built in memory."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from shapely.geometry import box

from routemap.errors import UnroutableLegError
from routemap.geo.network import build_network, undirected_edges
from routemap.routes import graph
from routemap.routes.leg import LegRequest, Stop


def six_node_network():
    """A 6-node rail line at 50N in two made-up countries, AA and BB.

    ::

        0 --72-- 1 --72-- 2(BB) --72-- 3 --72-- 5
                  \\                   /
                   100 -- 4 -- 150 --

    The short way 0-1-2-3-5 (288 km) crosses BB at node 2; the detour 1-4-3 stays in AA
    (0-1-4-3-5 is 394 km). Node 4 is a chain-interior node (degree 2).
    """
    lon = np.array([30.0, 31.0, 32.0, 33.0, 31.5, 34.0])
    lat = np.array([50.0, 50.0, 50.0, 50.0, 51.0, 50.0])
    u = np.array([0, 1, 2, 1, 4, 3])
    v = np.array([1, 2, 3, 4, 3, 5])
    km = np.array([72.0, 72.0, 72.0, 100.0, 150.0, 72.0])
    codes = np.array(["AA", "AA", "BB", "AA", "AA", "AA"])
    return build_network(lon, lat, undirected_edges(u, v, km), codes, name="six",
                         mode="rail", source="test 1", attribution="test data")


def two_countries():
    """Country polygons matching :func:`six_node_network`: BB is a small box around node 2."""
    bb = box(31.7, 49.5, 32.3, 50.3)
    aa = box(29.0, 49.0, 35.0, 52.0).difference(bb)
    return gpd.GeoDataFrame({"iso2": ["AA", "BB"], "name": ["Aa", "Bb"]},
                            geometry=[aa, bb], crs="EPSG:4326")


def stop(node: int, network, name: str | None = None, dlat: float = 0.0) -> Stop:
    return Stop(name or f"n{node}", name or f"n{node}", float(network.lat[node]) + dlat,
                float(network.lon[node]))


@pytest.fixture(scope="module")
def six():
    return six_node_network()


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


def test_masked_search_matches_hierarchy(six):
    everything = np.ones(six.n_nodes, dtype=bool)
    for s in range(six.n_nodes):
        for t in range(six.n_nodes):
            fast = graph.shortest_path(six, s, t)
            masked = graph.shortest_path(six, s, t, allowed=everything)
            assert fast.km == pytest.approx(masked.km)


def test_index_folds_chains(six):
    index = graph.load_index(six)
    assert index.node_junction[4] == -1  # degree 2, same country on both sides
    assert index.node_junction[2] >= 0  # degree 2 but a border: kept as a junction
    assert index.node_offset[4] == pytest.approx(100.0 if index.junction_node[
        index.edge_u[index.node_edge[4]]] == 1 else 150.0)


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
def test_hierarchy_agrees_with_networkx(seed):
    network, g, km, u, v = random_network(seed)
    weighted = nx.Graph()
    weighted.add_weighted_edges_from(zip(u.tolist(), v.tolist(), km.tolist()))
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
        steps = sum(weighted[a][b]["weight"] for a, b in zip(path.nodes[:-1], path.nodes[1:]))
        assert steps == pytest.approx(expected, rel=1e-9)


def test_route_leg_constraints_and_findings(six):
    countries = two_countries()
    plain = LegRequest("rail", (stop(0, six), stop(5, six)), label="leg A")
    free = graph.route_leg(plain, six, countries=countries)
    assert free.distance_km == pytest.approx(288.0)
    assert free.geometry_kind == "routed"
    assert free.network == "six (test 1)"
    assert free.attribution == "test data"
    assert [f.code for f in free.findings] == ["snap_distance", "snap_distance", "countries_crossed"]
    crossing = free.findings[-1]
    # both ends lie in AA; the shortest path cuts through BB, and the finding says so
    assert crossing.level == "warning"
    assert crossing.message.startswith("passes through BB (")
    assert crossing.value == pytest.approx(0.6 * 71.7, rel=0.02)
    kept = graph.route_leg(LegRequest("rail", plain.stops, within=("AA",), label="leg A"), six,
                           countries=countries)
    assert kept.distance_km == pytest.approx(394.0)
    outside = {f.code: f.value for f in kept.findings}["km_outside_within"]
    assert outside == pytest.approx(0.0, abs=1e-6)
    avoided = graph.route_leg(LegRequest("rail", plain.stops, avoid=("BB",), label="leg A"), six,
                              countries=countries)
    assert avoided.distance_km == pytest.approx(394.0)
    assert {f.code: f.value for f in avoided.findings}["km_in_avoided"] == pytest.approx(0.0)


def test_km_by_country_lists_every_country_longest_first(six):
    leg = graph.route_leg(LegRequest("rail", (stop(0, six), stop(5, six))), six, countries=two_countries())
    per_country = graph.km_by_country(leg.geometry, two_countries())
    assert list(per_country) == ["AA", "BB"]
    assert sum(per_country.values()) == pytest.approx(leg.distance_km - sum(leg.snap_km), rel=0.05)


def test_unconstrained_leg_within_its_ends_countries_is_only_noted(six):
    leg = graph.route_leg(LegRequest("rail", (stop(0, six), stop(4, six))), six, countries=two_countries())
    crossing = [f for f in leg.findings if f.code == "countries_crossed"]
    assert [(f.level, f.message.split(" ")[:3]) for f in crossing] == [("info", ["runs", "through", "AA"])]


def test_km_outside_is_measured_on_geometry(six):
    leg = graph.route_leg(LegRequest("rail", (stop(0, six), stop(5, six))), six)
    km = graph.km_outside_countries(leg.geometry, two_countries(), keep=("AA",))
    assert km == pytest.approx(0.6 * 71.7, rel=0.02)  # 0.6 degrees of longitude at 50N


def test_via_is_honoured_and_reported(six):
    via = stop(4, six, "Four")
    leg = graph.route_leg(LegRequest("rail", (stop(0, six), via, stop(5, six))), six)
    assert leg.distance_km == pytest.approx(394.0)
    far = stop(4, six, "Far", dlat=1.5)
    missed = graph.route_leg(LegRequest("rail", (stop(0, six), far, stop(5, six))), six)
    codes = [(f.level, f.code) for f in missed.findings]
    assert ("warning", "via_missed") in codes
    assert missed.snap_km[1] == pytest.approx(1.5 * 111.2, rel=0.01)


def test_snap_distance_counts_in_length(six):
    off = Stop("off", "Off", 50.1, 30.0)  # 11 km north of node 0
    leg = graph.route_leg(LegRequest("rail", (off, stop(5, six))), six)
    assert leg.snap_km[0] == pytest.approx(11.12, rel=0.01)
    assert leg.distance_km == pytest.approx(288.0 + leg.snap_km[0], rel=1e-5)
    assert leg.findings[0].level == "warning"
    assert leg.geometry.coords[0] == pytest.approx((30.0, 50.1))


@pytest.mark.parametrize(
    ("within", "avoid", "message"),
    [
        (("BB",), (), "leg X: the rail network cannot connect n0 -> n5 (within BB)"),
        (None, ("AA",), "leg X: the rail network cannot connect n0 -> n5 (avoiding AA)"),
        (("AA",), ("AA",), "leg X: the rail network cannot connect"),
    ],
)
def test_unroutable_names_the_leg(six, within, avoid, message):
    request = LegRequest("rail", (stop(0, six), stop(5, six)), within=within, avoid=avoid,
                         label="leg X")
    with pytest.raises(UnroutableLegError, match="^" + message.replace("(", r"\(")
                       .replace(")", r"\)")):
        graph.route_leg(request, six)


def test_disconnected_pieces_are_unroutable():
    lon = np.array([0.0, 1.0, 10.0, 11.0])
    lat = np.zeros(4)
    network = build_network(lon, lat, undirected_edges(np.array([0, 2]), np.array([1, 3]),
                                                       np.array([111.0, 111.0])),
                            np.array(["AA"] * 4), name="two", mode="rail", source="t",
                            attribution="t")
    with pytest.raises(UnroutableLegError, match="^leg Y: "):
        graph.route_leg(LegRequest("rail", (Stop("a", "a", 0, 0), Stop("b", "b", 0, 11)),
                                   label="leg Y"), network)


def test_without_hierarchy_the_answers_are_the_same(monkeypatch):
    network = six_node_network()
    plain = graph.build_index(network, hierarchy=False)
    assert not plain.has_hierarchy
    expected = {(s, t): graph.shortest_path(network, s, t).km
                for s in range(network.n_nodes) for t in range(network.n_nodes)}
    monkeypatch.setitem(graph._INDEXES, network.checksum, plain)
    for (s, t), km in expected.items():
        assert graph.shortest_path(network, s, t).km == pytest.approx(km)


def test_constraint_already_met_uses_the_fast_path(six, monkeypatch):
    calls = []
    real = graph._masked_search
    monkeypatch.setattr(graph, "_masked_search", lambda *a: calls.append(1) or real(*a))
    allowed = graph.allowed_nodes(six, within=("AA",))
    assert graph.shortest_path(six, 0, 1, allowed=allowed).km == pytest.approx(72.0)
    assert calls == []
    assert graph.shortest_path(six, 0, 5, allowed=allowed).km == pytest.approx(394.0)
    assert calls == [1]
