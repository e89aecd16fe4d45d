"""Stops join the nearest point on an edge: no line runs past its end and comes back.

The networks lie on the equator, where each edge is an arc of the equator itself: a stop at
(x, y) joins it at exactly (x, 0), a known fraction of the edge, so every length below is
exact (network km by the edge's stated length, the connector by the WGS 84 geodesic).
"""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString

from routemap.geo.network import EARTH_RADIUS_KM, build_network, to_unit_vectors, undirected_edges
from routemap.routes import graph, overland
from routemap.routes.geodesy import GEOD
from routemap.routes.leg import LegRequest, Stop
from routemap.routes.snapping import _nearest_on_arcs, _segments

#: No densifying, so that the drawn vertices are the route's own.
PLAIN = overland.LegOptions(draw_step_km=1e4)


def equator_line(extra: tuple[tuple[float, float], ...] = ()):
    """Three nodes on the equator, lon 0, 1 and 1.9, edges of 111 and 100 km.

    ``extra`` adds spur nodes, each joined to node 1 by an edge of its geodesic length (so
    node 3 is the first spur node, and so on)::

        0 ---111--- 1 ---100--- 2      (lat 0; spurs leave node 1)
    """
    points = [(0.0, 0.0), (1.0, 0.0), (1.9, 0.0), *extra]
    lon, lat = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    u, v, km = [0, 1], [1, 2], [111.0, 100.0]
    for i, (x, y) in enumerate(extra, start=3):
        u.append(1), v.append(i), km.append(geodesic(1.0, 0.0, x, y))
    return build_network(lon, lat, undirected_edges(np.array(u), np.array(v), np.array(km)),
                         np.array(["AA"] * len(points)), name="equator", mode="rail",
                         source="test", attribution="test")


def geodesic(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000.0


def at(lon: float, lat: float, name: str = "") -> Stop:
    return Stop(name or f"{lon},{lat}", name or f"{lon},{lat}", lat, lon)


def reversals(line: LineString) -> int:
    """Count the vertices where the line turns straight back on itself."""
    d = np.diff(np.asarray(line.coords), axis=0)
    size = np.linalg.norm(d, axis=1)
    cos = (d[:-1] * d[1:]).sum(axis=1) / np.maximum(size[:-1] * size[1:], 1e-300)
    return int((cos < -0.999).sum())


def test_a_stop_beside_a_long_edge_joins_it_instead_of_running_past_to_its_far_node():
    """The Mozdok case: nearest node 2 lies past the depot; the route stops beside it."""
    network = equator_line()
    depot = at(1.7, 0.05, "Depot")
    leg = overland.route_leg(LegRequest("rail", (at(0.0, 0.0), depot)), network, options=PLAIN)
    join = geodesic(1.7, 0.05, 1.7, 0.0)
    assert leg.distance_km == pytest.approx(111.0 + 100.0 * 0.7 / 0.9 + join, rel=1e-9)
    # node snapping gave 111 + 100 + a join from node 2 of 22.3 km, back over the track
    assert geodesic(1.7, 0.05, 1.9, 0.0) > 22.0
    assert np.asarray(leg.geometry.coords) == pytest.approx(
        np.array([(0.0, 0.0), (1.0, 0.0), (1.7, 0.0), (1.7, 0.05)]), abs=1e-9)
    assert leg.geometry.is_simple and reversals(leg.geometry) == 0
    assert leg.off_network_km == pytest.approx(join, rel=1e-9)
    assert leg.snap_km == (0.0, pytest.approx(join, abs=1e-3))
    assert len(leg.connectors) == 1
    assert np.asarray(leg.connectors[0].coords) == pytest.approx(
        np.array([(1.7, 0.0), (1.7, 0.05)]), abs=1e-9)


def test_both_ends_leave_their_edge_towards_each_other():
    network = equator_line()
    start, end = at(0.3, -0.02), at(1.7, 0.05)
    leg = overland.route_leg(LegRequest("rail", (start, end)), network, options=PLAIN)
    joins = geodesic(0.3, -0.02, 0.3, 0.0) + geodesic(1.7, 0.05, 1.7, 0.0)
    assert leg.distance_km == pytest.approx(111.0 * 0.7 + 100.0 * 0.7 / 0.9 + joins, rel=1e-9)
    assert np.asarray(leg.geometry.coords) == pytest.approx(
        np.array([(0.3, -0.02), (0.3, 0.0), (1.0, 0.0), (1.7, 0.0), (1.7, 0.05)]), abs=1e-9)
    assert len(leg.connectors) == 2 and leg.off_network_km == pytest.approx(joins, rel=1e-9)


@pytest.mark.parametrize(("start", "end"), [(1.2, 1.7), (1.7, 1.2)])
def test_two_stops_on_one_edge_are_joined_along_it(start, end):
    network = equator_line()
    leg = overland.route_leg(LegRequest("rail", (at(start, 0.01), at(end, 0.01))), network, options=PLAIN)
    joins = 2 * geodesic(1.2, 0.01, 1.2, 0.0)
    assert leg.distance_km == pytest.approx(100.0 * 0.5 / 0.9 + joins, rel=1e-9)
    assert np.asarray(leg.geometry.coords) == pytest.approx(
        np.array([(start, 0.01), (start, 0.0), (end, 0.0), (end, 0.01)]), abs=1e-9)


def test_a_stop_on_a_node_has_no_connector():
    network = equator_line()
    leg = overland.route_leg(LegRequest("rail", (at(0.0, 0.0), at(1.9, 0.0))), network, options=PLAIN)
    assert leg.distance_km == pytest.approx(211.0, rel=1e-12)
    assert leg.connectors == () and leg.off_network_km == 0.0 and leg.snap_km == (0.0, 0.0)
    assert np.asarray(leg.geometry.coords) == pytest.approx(
        np.array([(0.0, 0.0), (1.0, 0.0), (1.9, 0.0)]), abs=1e-12)


def test_a_via_beside_a_short_spur_is_passed_not_visited():
    """A via nearer a 3.3 km siding than the line: the route passes node 1, it does not run
    up the siding and back."""
    network = equator_line(extra=((1.0, 0.03),))
    via = at(1.01, 0.025, "Via")
    assert graph.snap_to_edge(network, via.lon, via.lat).v == 3  # it does join the siding
    leg = overland.route_leg(LegRequest("rail", (at(0.0, 0.0), via, at(1.9, 0.0))), network, options=PLAIN)
    assert leg.distance_km == pytest.approx(211.0, rel=1e-12)
    assert leg.snap_km[1] == pytest.approx(geodesic(1.01, 0.025, 1.0, 0.0), abs=1e-3)
    assert reversals(leg.geometry) == 0
    assert not [f for f in leg.findings if f.code == "via_missed"]


def test_a_via_up_a_long_spur_is_still_visited():
    """30 km up a branch, the via is farther than a via may be missed by: the route goes to
    it and back, and says it was not missed."""
    network = equator_line(extra=((1.0, 0.3),))
    via = at(1.002, 0.27, "Far via")
    leg = overland.route_leg(LegRequest("rail", (at(0.0, 0.0), via, at(1.9, 0.0))), network, options=PLAIN)
    up = geodesic(1.0, 0.3, 1.0, 0.0) * 0.27 / 0.3  # the spur's share up to the via's point
    assert leg.distance_km == pytest.approx(211.0 + 2 * up, rel=1e-6)
    assert leg.snap_km[1] < 1.0
    assert not [f for f in leg.findings if f.code == "via_missed"]


def test_within_keeps_the_stop_off_edges_with_a_node_outside():
    """A stop beside edge 1-2 where node 2 lies in BB: within AA it joins edge 0-1 instead."""
    lon, lat = np.array([0.0, 1.0, 1.9]), np.zeros(3)
    network = build_network(lon, lat, undirected_edges(np.array([0, 1]), np.array([1, 2]),
                                                       np.array([111.0, 100.0])),
                            np.array(["AA", "AA", "BB"]), name="ab", mode="rail", source="t",
                            attribution="t")
    free = graph.snap_to_edge(network, 1.5, 0.01)
    kept = graph.snap_to_edge(network, 1.5, 0.01,
                              eligible=graph.allowed_nodes(network, within=("AA",)))
    assert (free.u, free.v) == (1, 2) and free.km_u == pytest.approx(100 * 0.5 / 0.9)
    assert (kept.u, kept.v) == (0, 1) and kept.km_v == pytest.approx(0.0)
    assert (kept.lon, kept.lat) == (1.0, 0.0)


def test_snap_to_edge_finds_the_nearest_point_among_many_edges():
    """The segment index finds what measuring every edge finds (random edges, long ones too)."""
    rng = np.random.default_rng(7)
    n = 400
    lon, lat = rng.uniform(20, 30, n), rng.uniform(40, 48, n)
    u = rng.integers(0, n, 900)
    v = rng.integers(0, n, 900)
    keep = u != v
    network = build_network(lon, lat, undirected_edges(u[keep], v[keep], np.ones(keep.sum())),
                            np.array(["AA"] * n), name="r", mode="road", source="t",
                            attribution="t")
    segs = _segments(network)
    for x, y in rng.uniform((19, 39), (31, 49), (50, 2)):
        p = to_unit_vectors(np.array([x]), np.array([y]))[0]
        truth = _nearest_on_arcs(p, *segs.arcs(np.arange(segs.u.size)))[0].min() * EARTH_RADIUS_KM
        assert graph.snap_to_edge(network, x, y).km == pytest.approx(truth, abs=1e-9)
