"""Tests of rail legs: a synthetic network in memory, and the bundled world network."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from routemap.errors import UnroutableLegError
from routemap.geo.countries import load_countries
from routemap.geo.network import load_rail_network
from routemap.routes import overland
from routemap.routes.leg import LegRequest, Stop
from routemap.routes.qa import km_outside_countries
from tests.routes.networks import six_node_network

VLADIVOSTOK = Stop("vladivostok", "Vladivostok", 43.11, 131.88)
TIKHORETSK = Stop("tikhoretsk", "Tikhoretsk", 45.85, 40.13)
VOSTOCHNY = Stop("vostochny", "Vostochny", 42.745, 133.065)
MOSCOW = Stop("moscow", "Moscow", 55.75, 37.62)
PYONGYANG = Stop("pyongyang", "Pyongyang", 39.03, 125.75)
TOKYO = Stop("tokyo", "Tokyo", 35.68, 139.77)
NOVOSIBIRSK = Stop("novosibirsk", "Novosibirsk", 55.03, 82.92)


def test_rail_leg_on_a_given_network():
    six = six_node_network()
    stops = (Stop("a", "A", 50.0, 30.0), Stop("b", "B", 50.0, 34.0))
    leg = overland.route_leg(LegRequest("rail", stops, within=("AA",), label="t"), six)
    assert leg.distance_km == pytest.approx(394.0, rel=1e-6)
    assert leg.network == "six (test 1)"


@pytest.fixture(scope="session")
def world_rail():
    """The bundled world rail network (cache in ROUTEMAP_CACHE_DIR or the user cache)."""
    return load_rail_network()


def leg(*stops: Stop, within=None, avoid=()) -> LegRequest:
    return LegRequest("rail", stops, within=within, avoid=avoid, label="test leg (rail)")


def finding(routed, code: str) -> float:
    return next(f.value for f in routed.findings if f.code == code)


@pytest.mark.network_data
def test_vladivostok_tikhoretsk_stays_in_russia(world_rail):
    routed = overland.route_leg(leg(VLADIVOSTOK, TIKHORETSK, within=("RU",)), world_rail)
    assert 9_000 < routed.distance_km < 10_500  # Moscow-Vladivostok alone is ~9,300 km
    assert finding(routed, "km_outside_within") == pytest.approx(0.0, abs=0.05)
    assert routed.network == "world_railways (scgraph_data 2.0.0)"
    assert "OpenStreetMap" in routed.attribution
    assert max(routed.snap_km) < 2.0


@pytest.mark.network_data
def test_unconstrained_shortcut_crosses_china(world_rail):
    routed = overland.route_leg(leg(VLADIVOSTOK, TIKHORETSK), world_rail)
    assert routed.distance_km < 9_000
    km_cn = km_outside_countries(routed.geometry, load_countries(), only=("CN",))
    assert km_cn > 1_000


@pytest.mark.network_data
def test_avoid_keeps_out_of_countries(world_rail):
    routed = overland.route_leg(leg(VLADIVOSTOK, TIKHORETSK, avoid=("CN", "KZ")), world_rail)
    assert finding(routed, "km_in_avoided") == pytest.approx(0.0, abs=0.05)


@pytest.mark.network_data
def test_vostochny_joins_after_healing(world_rail):
    routed = overland.route_leg(leg(VOSTOCHNY, VLADIVOSTOK, within=("RU",)), world_rail)
    assert routed.snap_km[0] < 2.5
    assert routed.distance_km < 400


@pytest.mark.network_data
def test_via_changes_the_route(world_rail):
    direct = overland.route_leg(leg(MOSCOW, TIKHORETSK), world_rail)
    via = overland.route_leg(leg(MOSCOW, NOVOSIBIRSK, TIKHORETSK, within=("RU",)), world_rail)
    assert via.distance_km > direct.distance_km + 5_000
    assert len(via.snap_km) == 3
    assert not [f for f in via.findings if f.code == "via_missed"]


@pytest.mark.network_data
@pytest.mark.parametrize(
    ("stops", "within"),
    [
        ((TOKYO, MOSCOW), None),  # no rail link between Japan and the mainland
        ((VLADIVOSTOK, PYONGYANG), ("RU",)),  # the far end is outside Russia
    ],
)
def test_unroutable_legs_raise(world_rail, stops, within):
    with pytest.raises(UnroutableLegError, match=r"^test leg \(rail\): "):
        overland.route_leg(leg(*stops, within=within), world_rail)


@pytest.mark.network_data
def test_the_bundled_mozdok_leg_stops_beside_the_depot(world_rail):
    """Issue 14: the depot lies beside a 65 km edge. Joined at the nearest node, the line ran
    past it to the edge's far end and came back 30.4 km as a connector (10,658.7 km); joined
    on the edge, it stops 2 km from the depot and never overlaps itself."""
    from routemap.geo.scenario import load_scenario
    from routemap.routes.builder import leg_request

    scenario = load_scenario(Path(__file__).parents[2] / "geo" / "data" / "dprk-russia-2023-2025.yaml")
    transfer = next(t for t in scenario.transfers if t.id == "rail-to-mozdok")
    routed = overland.route_leg(leg_request(transfer, transfer.legs[0], 0), world_rail)
    assert routed.distance_km == pytest.approx(10_585.5, abs=0.5)
    assert routed.snap_km[-1] == pytest.approx(2.0, abs=0.05)
    assert routed.off_network_km == pytest.approx(routed.snap_km[0] + routed.snap_km[-1], abs=2e-3)
    assert routed.geometry.is_simple
    d = np.diff(np.asarray(routed.geometry.coords), axis=0)
    cos = (d[:-1] * d[1:]).sum(axis=1) / np.linalg.norm(d[:-1], axis=1) / np.linalg.norm(d[1:], axis=1)
    assert (cos > -0.999).all()
    assert not [f for f in routed.findings if f.level == "warning"]
