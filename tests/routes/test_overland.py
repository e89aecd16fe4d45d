"""Tests of rail and road legs on the six-node synthetic network: constraints, vias, snaps."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.errors import UnroutableLegError
from routemap.geo.network import build_network, undirected_edges
from routemap.routes import overland
from routemap.routes.geodesy import GEOD
from routemap.routes.leg import LegRequest, Stop
from tests.routes.networks import stop, two_countries


def test_route_leg_constraints_and_findings(six):
    countries = two_countries()
    plain = LegRequest("rail", (stop(0, six), stop(5, six)), label="leg A")
    free = overland.route_leg(plain, six, countries=countries)
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
    kept = overland.route_leg(LegRequest("rail", plain.stops, within=("AA",), label="leg A"), six,
                              countries=countries)
    assert kept.distance_km == pytest.approx(394.0)
    outside = {f.code: f.value for f in kept.findings}["km_outside_within"]
    assert outside == pytest.approx(0.0, abs=1e-6)
    avoided = overland.route_leg(LegRequest("rail", plain.stops, avoid=("BB",), label="leg A"), six,
                                 countries=countries)
    assert avoided.distance_km == pytest.approx(394.0)
    assert {f.code: f.value for f in avoided.findings}["km_in_avoided"] == pytest.approx(0.0)


def test_via_is_honoured_and_reported(six):
    via = stop(4, six, "Four")
    leg = overland.route_leg(LegRequest("rail", (stop(0, six), via, stop(5, six))), six)
    assert leg.distance_km == pytest.approx(394.0)
    far = stop(4, six, "Far", dlat=1.5)
    missed = overland.route_leg(LegRequest("rail", (stop(0, six), far, stop(5, six))), six)
    codes = [(f.level, f.code) for f in missed.findings]
    assert ("warning", "via_missed") in codes
    assert missed.snap_km[1] == pytest.approx(1.5 * 111.2, rel=0.01)


def test_snap_distance_counts_in_length(six):
    """A stop north-west of node 0 joins at node 0 itself: its connector adds to the length."""
    off = Stop("off", "Off", 50.1, 29.95)
    leg = overland.route_leg(LegRequest("rail", (off, stop(5, six))), six)
    join_km = GEOD.inv(29.95, 50.1, 30.0, 50.0)[2] / 1000.0
    assert leg.snap_km[0] == pytest.approx(join_km, abs=1e-3)
    assert leg.off_network_km == pytest.approx(join_km, rel=1e-9)
    assert leg.distance_km == pytest.approx(288.0 + join_km, rel=1e-9)
    assert leg.findings[0].level == "warning"
    assert leg.findings[0].message == (
        f"Off joined the rail network {join_km:.1f} km away, drawn as a straight connector, "
        "not as track")
    assert leg.geometry.coords[0] == pytest.approx((29.95, 50.1))
    assert leg.geometry.coords[1] == pytest.approx((30.0, 50.0))
    assert [c.coords[:] for c in leg.connectors] == [[(29.95, 50.1), (30.0, 50.0)]]


def test_a_stop_beside_an_edge_joins_it_between_its_nodes(six):
    """North of the middle of edge 0-1, a stop joins that edge halfway, not at a node."""
    beside = Stop("beside", "Beside", 50.1, 30.5)
    leg = overland.route_leg(LegRequest("rail", (beside, stop(5, six))), six)
    assert leg.snap_km[0] == pytest.approx(11.1, abs=0.1)  # 0.1 degree of latitude, not 38 km to a node
    lon, lat = leg.geometry.coords[1]
    assert lon == pytest.approx(30.5, abs=1e-6) and lat > 50.0  # on the great-circle arc
    assert leg.distance_km == pytest.approx(36.0 + 72.0 * 3 + leg.off_network_km, rel=1e-4)


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
        overland.route_leg(request, six)


def test_disconnected_pieces_are_unroutable():
    lon = np.array([0.0, 1.0, 10.0, 11.0])
    lat = np.zeros(4)
    network = build_network(lon, lat, undirected_edges(np.array([0, 2]), np.array([1, 3]),
                                                       np.array([111.0, 111.0])),
                            np.array(["AA"] * 4), name="two", mode="rail", source="t",
                            attribution="t")
    with pytest.raises(UnroutableLegError, match=r"^leg Y: "):
        overland.route_leg(LegRequest("rail", (Stop("a", "a", 0, 0), Stop("b", "b", 0, 11)),
                                      label="leg Y"), network)
