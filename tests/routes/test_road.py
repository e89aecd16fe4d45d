"""Tests of road legs: a synthetic network in memory, and the bundled world road network."""

from __future__ import annotations

import pytest

from routemap.errors import UnroutableLegError
from routemap.geo.network import load_road_network
from routemap.routes import overland
from routemap.routes.leg import LegRequest, Stop
from tests.routes.networks import six_node_network

MOSCOW = Stop("moscow", "Moscow", 55.75, 37.62)
ST_PETERSBURG = Stop("spb", "Saint Petersburg", 59.94, 30.31)


@pytest.mark.parametrize(
    ("avoid", "km"),
    [((), 288.0), (("BB",), 394.0)],
)
def test_road_leg_on_a_given_network(avoid, km):
    stops = (Stop("a", "A", 50.0, 30.0), Stop("b", "B", 50.0, 34.0))
    routed = overland.route_leg(LegRequest("road", stops, avoid=avoid, label="r"),
                                six_node_network())
    assert routed.distance_km == pytest.approx(km, rel=1e-6)
    assert "road" in routed.findings[0].message


def test_road_unroutable_names_the_leg():
    stops = (Stop("a", "A", 50.0, 30.0), Stop("b", "B", 50.0, 34.0))
    with pytest.raises(UnroutableLegError, match=r"^my road leg: the road network"):
        overland.route_leg(LegRequest("road", stops, within=("BB",), label="my road leg"),
                           six_node_network())


@pytest.mark.network_data
def test_moscow_to_saint_petersburg_by_road():
    network = load_road_network()
    routed = overland.route_leg(LegRequest("road", (MOSCOW, ST_PETERSBURG), within=("RU",)),
                                network)
    assert 620 < routed.distance_km < 800  # M-11/M-10 are about 700 km
    assert routed.attribution.startswith("Road network: (c) OpenStreetMap")
