"""Air legs: great-circle arcs, densified, antimeridian-safe."""

from __future__ import annotations

import itertools

import pytest
from shapely.geometry import MultiLineString

from routemap.errors import UnroutableLegError
from routemap.routes import air
from routemap.routes.geodesy import geodesic_length_km, segment_lengths_km
from routemap.routes.leg import LegRequest, Stop

PYONGYANG = Stop("pyongyang", "Pyongyang Sunan", 39.224, 125.670)
VLADIVOSTOK = Stop("vladivostok", "Vladivostok", 43.399, 132.148)
MOSCOW = Stop("moscow", "Moscow Vnukovo", 55.591, 37.261)
ANCHORAGE = Stop("anchorage", "Anchorage", 61.174, -149.996)


def _leg(*stops: Stop) -> LegRequest:
    return LegRequest(mode="air", stops=stops, label="test leg (air)")


@pytest.mark.parametrize(
    ("stops", "expected_km"),
    [
        ((PYONGYANG, MOSCOW), 6440.0),
        ((PYONGYANG, VLADIVOSTOK, MOSCOW), 713.0 + 6420.0),
        ((VLADIVOSTOK, ANCHORAGE), 5400.0),
    ],
)
def test_distance_is_the_sum_of_geodesics(stops, expected_km):
    leg = air.route_leg(_leg(*stops))
    direct = sum(
        geodesic_length_km([(a.lon, a.lat), (b.lon, b.lat)]) for a, b in itertools.pairwise(stops)
    )
    assert leg.distance_km == pytest.approx(direct, rel=1e-6)
    assert leg.distance_km == pytest.approx(expected_km, rel=0.03)


def test_contract_fields():
    leg = air.route_leg(_leg(PYONGYANG, VLADIVOSTOK, MOSCOW), network=None)
    assert leg.geometry_kind == "great_circle"
    assert leg.snap_km == (0.0, 0.0, 0.0)
    assert leg.network == "" and leg.attribution == ""
    coords = list(leg.geometry.coords)
    assert coords[0] == pytest.approx((PYONGYANG.lon, PYONGYANG.lat))
    assert coords[-1] == pytest.approx((MOSCOW.lon, MOSCOW.lat))
    assert any(c == pytest.approx((VLADIVOSTOK.lon, VLADIVOSTOK.lat)) for c in coords)


def test_densified_every_step():
    leg = air.route_leg(_leg(PYONGYANG, MOSCOW))
    assert segment_lengths_km(list(leg.geometry.coords)).max() <= air.STEP_KM + 1e-6


def test_great_circle_bends_poleward():
    """A great circle between two mid-latitude points runs north of the rhumb line."""
    leg = air.route_leg(_leg(PYONGYANG, MOSCOW))
    assert max(lat for _, lat in leg.geometry.coords) > MOSCOW.lat + 2.0


def test_antimeridian_split():
    leg = air.route_leg(_leg(VLADIVOSTOK, ANCHORAGE))
    assert isinstance(leg.geometry, MultiLineString)
    west, east = leg.geometry.geoms
    assert west.coords[-1][0] == pytest.approx(180.0)
    assert east.coords[0][0] == pytest.approx(-180.0)
    assert west.coords[-1][1] == pytest.approx(east.coords[0][1])
    assert all(-180.0 <= x <= 180.0 for part in leg.geometry.geoms for x, _ in part.coords)


def test_one_stop_is_an_error():
    with pytest.raises(UnroutableLegError, match="test leg"):
        air.route_leg(_leg(PYONGYANG))
