"""Sea legs at the edges of the lane network: across 180 degrees and through the Arctic."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiLineString, box

from routemap.errors import UnroutableLegError
from routemap.geo.gazetteer import load_gazetteer
from routemap.geo.sealanes import (
    NORTHERN_SEA_ROUTE,
    build_lane_data,
    build_sea_network,
    join_antimeridian,
    load_sea_network,
    tag_northern_sea_route,
)
from routemap.geo.waterways import Waterway, WaterwayData
from routemap.routes import sea
from routemap.routes.geodesy import GEOD
from routemap.routes.leg import LegRequest, RoutedLeg, Stop
from routemap.routes.qa import LAND_WARNING_KM
from tests.routes.networks import marnet_lanes

#: Provideniya is in no gazetteer routemap ships; its settlement coordinates (64 25 N, 173 14 W)
#: are those of the Wikipedia article "Provideniya".
PROVIDENIYA = Stop(place_id="provideniya", name="Provideniya", lat=64.4167, lon=-173.2333)


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
    nodes, adjacency = marnet_lanes(
        ((170.0, 66.0), (180.0, 66.0), ""),
        ((180.0, 66.0), (190.0, 66.0), ""),
        ((-170.0, 66.0), (-160.0, 66.0), ""),
        ((170.0, 66.0), (0.0, 0.0), ""),
        ((0.0, 0.0), (-160.0, 66.0), ""),
    )
    return build_sea_network(nodes, adjacency, box(50.0, -80.0, 50.5, -79.5))


def test_nodes_past_180_join_their_twins():
    nodes, adjacency = marnet_lanes(
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
    nodes, adjacency = marnet_lanes(((10.0, 0.0), (11.0, 0.0), "suez"), ((370.0, 0.0), (11.0, 0.0), ""))
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
    nodes, adjacency = marnet_lanes(((lon, lat), (lon + 0.5, lat + 0.1), searoute_tag))
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
    with pytest.raises(UnroutableLegError, match="avoiding northern-sea-route leaves no sea route"):
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


ISLAND = box(1.0, -40.0, 2.0, 40.0)  # a land wall from lon 1 to 2, no way round nearby


def _waterways(*courses: Waterway) -> WaterwayData:
    return WaterwayData(courses, "Rivers: test courses")


@pytest.fixture
def river_network():
    """Open sea west of a land wall (lon 1 to 2) and a river from a town in it, (1.9, 0.5), to its
    mouth at sea, (0.9, 0.5); a lane at sea, (-1, 0.5)-(0.7, 0.5), and a marnet-like lane
    straight over the wall beside the river, (0.7, 0.5)-(1.95, 0.6), that the river replaces."""
    nodes, adjacency = marnet_lanes(((-1.0, 0.5), (0.7, 0.5), ""), ((0.7, 0.5), (1.95, 0.6), ""))
    river = Waterway("test-river", "Test River", "river", ((1.9, 0.5), (1.4, 0.4), (0.9, 0.5)),
                     ("test",))
    return build_sea_network(nodes, adjacency, ISLAND, waterways=_waterways(river))


def test_a_river_replaces_the_lane_over_land_and_joins_the_sea(river_network):
    lanes = river_network.lanes
    assert set(lanes.passage) == {"", "river:test-river"}
    over_land = [e for e, tag in zip(lanes.edges, lanes.passage, strict=True)
                 if tag == "" and shapely.intersects(ISLAND, shapely.linestrings(lanes.nodes[e]))]
    assert not over_land  # marnet's straight line over the wall is gone


def test_a_river_port_reaches_the_sea_as_inland_waterway(river_network):
    town, sea_point = Stop("t", "Town", 0.5, 1.9), Stop("s", "Sea", 0.5, -1.0)
    leg = _route(town, sea_point, network=river_network)
    assert _value(leg, "km_over_land") == pytest.approx(0.0, abs=0.01)
    river_km = sum(GEOD.inv(*a, *b)[2] for a, b in
                   [((1.9, 0.5), (1.4, 0.4)), ((1.4, 0.4), (1.0, 0.475))]) / 1000.0
    assert _value(leg, "km_inland_waterway") == pytest.approx(river_km, rel=0.03)
    assert leg.attribution.endswith("; Rivers: test courses")
    assert "Rivers" not in _route(sea_point, Stop("x", "X", 0.0, -0.5), network=river_network).attribution


@pytest.fixture
def canal_only_network():
    """Two seas split by the wall, joined only by a canal tagged as the Volga-Don canal."""
    nodes, adjacency = marnet_lanes(((-1.0, 0.5), (0.5, 0.5), ""), ((2.5, 0.5), (4.0, 0.5), ""))
    canal = Waterway("volga-don", "Volga-Don Canal", "canal", ((0.9, 0.5), (2.1, 0.5)), ("test",),
                     passage="volga-don")
    return build_sea_network(nodes, adjacency, ISLAND, waterways=_waterways(canal))


def test_a_canal_is_a_passage_avoid_can_name(canal_only_network):
    west, east = Stop("w", "West", 0.5, -1.0), Stop("e", "East", 0.5, 4.0)
    leg = _route(west, east, network=canal_only_network)
    assert _value(leg, "km_inland_waterway") == pytest.approx(111.3, abs=1.0)
    with pytest.raises(UnroutableLegError, match="avoiding volga-don leaves no sea route"):
        _route(west, east, network=canal_only_network, avoid=("volga-don",))


RIVERS = [
    # (from, to, at most km, least km of inland waterway)
    ("RUASF", "RUMCX", 600.0, 50.0),  # Astrakhan down the Volga to Makhachkala
    ("RUASF", "RURND", 1300.0, 700.0),  # up the Volga, through the Volga-Don canal, down the Don
    ("UAIZM", "ROCND", 450.0, 30.0),  # Izmail down the Danube's Chilia arm to Constanta
    ("48.4620,135.0971", "RUVVO", 2700.0, 500.0),  # Khabarovsk down the Amur to Vladivostok
    ("CNHEK", "RUVVO", 4000.0, 1300.0),  # Heihe, from Blagoveshchensk's bank of the Amur
    ("CNFUJ", "RUNIA", 1300.0, 800.0),  # Fujin on the Songhua, down the Amur to Nikolayevsk
]


@pytest.mark.network_data
@pytest.mark.parametrize(("origin", "destination", "most_km", "inland_km"), RIVERS)
def test_river_ports_reach_the_sea_along_their_river(origin, destination, most_km, inland_km):
    if "," in origin:
        lat, lon = map(float, origin.split(","))
        start = Stop("khabarovsk", "Khabarovsk", lat, lon)
    else:
        start = _stop(origin)
    leg = _route(start, _stop(destination))
    assert leg.distance_km <= most_km
    assert _value(leg, "km_over_land") <= LAND_WARNING_KM
    assert _value(leg, "km_inland_waterway") >= inland_km
    assert "Rivers and canals" in leg.attribution


@pytest.mark.network_data
def test_the_caspian_is_closed_without_the_volga_don_canal():
    with pytest.raises(UnroutableLegError, match="avoiding volga-don leaves no sea route"):
        _route(_stop("RUASF"), _stop("RURND"), avoid=("volga-don",))


@pytest.mark.network_data
def test_a_port_at_a_river_mouth_keeps_the_short_way_along_the_coast():
    """Sulina to Constanta: 145 km on the water grid, not 246 km out to a lane node and back."""
    leg = _route(_stop("ROSUL"), _stop("ROCND"))
    assert leg.distance_km < 170.0
    assert _value(leg, "km_over_land") <= LAND_WARNING_KM
