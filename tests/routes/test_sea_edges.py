"""Sea legs at the edges of the lane network: across 180 degrees and through the Arctic."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiLineString, box

from routemap.geo.gazetteer import load_gazetteer
from routemap.geo.sealanes import (
    NORTHERN_SEA_ROUTE,
    build_lane_data,
    build_sea_network,
    join_antimeridian,
    load_sea_network,
    tag_northern_sea_route,
)
from routemap.routes import sea
from routemap.routes.leg import LegRequest, RoutedLeg, Stop
from routemap.routes.qa import LAND_WARNING_KM

#: Provideniya is in no gazetteer routemap ships; its settlement coordinates (64 25 N, 173 14 W)
#: are those of the Wikipedia article "Provideniya".
PROVIDENIYA = Stop(place_id="provideniya", name="Provideniya", lat=64.4167, lon=-173.2333)


def _lanes(*edges: tuple[tuple[float, float], tuple[float, float], str]) -> tuple[dict, dict]:
    """Marnet-shaped dicts (both directions) from (u, v, passage) triples."""
    nodes: dict = {}
    adjacency: dict = {}
    for u, v, passage in edges:
        for a, b in ((u, v), (v, u)):
            nodes[a] = {}
            adjacency.setdefault(a, {})[b] = {"passage": passage} if passage else {}
    return nodes, adjacency


def _stop(ref: str) -> Stop:
    """Resolve a UN/LOCODE or name through the built-in gazetteer, as ``routemap route`` does."""
    place = load_gazetteer().resolve(ref).place
    return Stop(place_id=place.id, name=place.name, lat=place.lat, lon=place.lon)


def _route(*stops: Stop, network=None, avoid: tuple[str, ...] = ()) -> RoutedLeg:
    request = LegRequest(mode="sea", stops=stops, avoid=avoid, label="test leg (sea)")
    return sea.route_leg(request, network or load_sea_network())


def _value(leg: RoutedLeg, code: str) -> float:
    (found,) = [f.value for f in leg.findings if f.code == code]
    return found


@pytest.fixture
def bering_network():
    """A Bering Strait drawn as marnet draws it: the west side's lane runs on past 180 degrees
    (to 190.0 E) and ends where the east side's lane starts (-170.0), with no edge between them;
    a lane round the other way is far longer. No land."""
    nodes, adjacency = _lanes(
        ((170.0, 66.0), (180.0, 66.0), ""),
        ((180.0, 66.0), (190.0, 66.0), ""),
        ((-170.0, 66.0), (-160.0, 66.0), ""),
        ((170.0, 66.0), (0.0, 0.0), ""),
        ((0.0, 0.0), (-160.0, 66.0), ""),
    )
    return build_sea_network(nodes, adjacency, box(50.0, -80.0, 50.5, -79.5))


def test_nodes_past_180_join_their_twins():
    nodes, adjacency = _lanes(
        ((179.0, 66.0), (190.0, 66.0), "bering"),
        ((-170.0, 66.0), (-169.0, 66.0), ""),
        ((180.0, 10.0), (-180.0, 10.0), "pacific_ocean"),
    )
    lanes = join_antimeridian(build_lane_data(nodes, adjacency))
    assert (lanes.nodes[:, 0] >= -180.0).all() and (lanes.nodes[:, 0] < 180.0).all()
    assert len(lanes.nodes) == 4  # 190 E is 170 W; 180 and -180 are one node
    assert sorted(lanes.passage) == ["", "bering"]  # the zero-length link is gone
    assert sorted(np.round(lanes.weight_km, 1)) == pytest.approx([45.4, 498.8], abs=0.1)  # the short way


def test_a_lane_kept_twice_keeps_its_passage():
    nodes, adjacency = _lanes(((10.0, 0.0), (11.0, 0.0), "suez"), ((370.0, 0.0), (11.0, 0.0), ""))
    lanes = join_antimeridian(build_lane_data(nodes, adjacency))
    assert list(lanes.passage) == ["suez"] and len(lanes.edges) == 1


def test_route_crosses_180_where_marnet_has_no_link(bering_network):
    west, east = Stop("w", "West", 66.0, 172.0), Stop("e", "East", 66.0, -165.0)
    leg = _route(west, east, network=bering_network)
    assert leg.distance_km < 1500.0  # 23 degrees of longitude at 66 N, not round the world (9,000+)
    assert isinstance(leg.geometry, MultiLineString)
    assert max(x for line in leg.geometry.geoms for x, _ in line.coords) == pytest.approx(180.0)


@pytest.mark.parametrize(
    ("lon", "lat", "searoute_tag", "tag"),
    [
        (176.2, 70.2, "northwest", NORTHERN_SEA_ROUTE),  # East Siberian Sea
        (-171.7, 67.2, "northwest", NORTHERN_SEA_ROUTE),  # Chukchi Sea, Russian side of the strait
        (130.0, 74.0, "", NORTHERN_SEA_ROUTE),  # Laptev Sea
        (-160.0, 70.0, "northwest", "northwest"),  # Alaska's north coast: the Northwest Passage
        (-169.5, 65.7, "bering", "bering"),  # the strait keeps its own name
        (40.0, 70.0, "", ""),  # the Barents Sea is not the Northern Sea Route
        (170.0, 60.0, "", ""),  # nor the Bering Sea
    ],
)
def test_northern_sea_route_is_tagged_by_place(lon, lat, searoute_tag, tag):
    nodes, adjacency = _lanes(((lon, lat), (lon + 0.5, lat + 0.1), searoute_tag))
    lanes = tag_northern_sea_route(join_antimeridian(build_lane_data(nodes, adjacency)))
    assert list(lanes.passage) == [tag]


# --- the shipped network ----------------------------------------------------------------------

ARCTIC = [
    # (from, to, at most km): issue 14's targets; before, Pevek-Anadyr was 27,150 km.
    ("RUPWE", PROVIDENIYA, 1600.0),  # Pevek; great circle 917 km
    ("RUPWE", "RUDYR", 2200.0),  # Pevek to Anadyr; great circle 633 km
    ("RUIKS", PROVIDENIYA, 3500.0),  # Tiksi; great circle 2,438 km
    ("RUPKC", "USDUT", 3200.0),  # Petropavlovsk-Kamchatsky to Dutch Harbor, across the Pacific
]


@pytest.mark.network_data
@pytest.mark.parametrize(("origin", "destination", "most_km"), ARCTIC)
def test_arctic_and_antimeridian_legs_stay_short_and_on_water(origin, destination, most_km):
    a = _stop(origin)
    b = destination if isinstance(destination, Stop) else _stop(destination)
    leg = _route(a, b)
    assert leg.distance_km < most_km
    assert isinstance(leg.geometry, MultiLineString)  # split at 180 degrees
    assert all(-180.0 <= x <= 180.0 for line in leg.geometry.geoms for x, _ in line.coords)
    assert _value(leg, "km_over_land") <= LAND_WARNING_KM
    assert not [f for f in leg.findings if f.code == "km_inland_waterway"]


@pytest.mark.network_data
def test_northern_sea_route_can_be_avoided():
    with pytest.raises(Exception, match="avoiding northern-sea-route leaves no sea route"):
        _route(_stop("RUPWE"), _stop("RUIKS"), avoid=("northern-sea-route",))


@pytest.mark.network_data
def test_through_traffic_keeps_off_the_arctic():
    """Rotterdam to Yokohama goes by Suez, not north of Russia, unless a stop is in the Arctic."""
    leg = _route(_stop("NLRTM"), _stop("JPYOK"))
    arctic = shapely.intersection(leg.geometry, box(60.0, 65.5, 180.0, 90.0))
    assert arctic.is_empty and leg.distance_km > 18000.0


# --- river ports ------------------------------------------------------------------------------

@pytest.mark.network_data
def test_rostov_on_don_reaches_novorossiysk_by_the_don():
    """Issue 14: refused before ('crosses 70 km of land': Novorossiysk joined the lanes in the
    Kerch Strait by a straight line over the Taman peninsula); with ``--via RUAZO``, 521 km."""
    leg = _route(_stop("RURND"), _stop("RUNVS"))
    assert 480.0 < leg.distance_km <= 650.0
    assert _value(leg, "km_over_land") <= LAND_WARNING_KM
    assert _value(leg, "km_inland_waterway") > 10.0  # the Don below Rostov, drawn as land
