"""Sea legs: lanes, land-aware repair, water-grid fallback, passages, QA findings."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiLineString, box

from routemap.errors import UnroutableLegError
from routemap.geo.countries import load_land
from routemap.geo.sealanes import build_sea_network, load_sea_network
from routemap.routes import sea
from routemap.routes.geodesy import GEOD, geodesic_length_km
from routemap.routes.leg import LegRequest, RoutedLeg, Stop
from routemap.routes.watergrid import (
    build_grid,
    land_km_of_segments,
    local_land,
    segment_land_km,
    segments_over_land,
    smooth,
    water_path,
)
from tests.routes.networks import marnet_lanes


def _stop(name: str, lat: float, lon: float) -> Stop:
    return Stop(place_id=name.lower().replace(" ", "-"), name=name, lat=lat, lon=lon)


def _request(*stops: Stop, avoid: tuple[str, ...] = ()) -> LegRequest:
    return LegRequest(mode="sea", stops=stops, avoid=avoid, label="test leg (sea)")


def _finding(leg: RoutedLeg, code: str):
    (found,) = [f for f in leg.findings if f.code == code]
    return found


WEST, EAST = _stop("West", 0.5, 0.0), _stop("East", 0.5, 3.0)


@pytest.fixture
def island_network():
    """A square island, lon 1-2 lat 0-1, with one lane running straight across it."""
    nodes, adjacency = marnet_lanes(((0.0, 0.5), (3.0, 0.5), ""))
    return build_sea_network(nodes, adjacency, box(1.0, 0.0, 2.0, 1.0))


@pytest.fixture
def canal_network():
    """The same island crossed by a lane tagged as the Suez canal."""
    nodes, adjacency = marnet_lanes(((0.0, 0.5), (3.0, 0.5), "suez"))
    return build_sea_network(nodes, adjacency, box(1.0, 0.0, 2.0, 1.0))


@pytest.fixture
def wall_network():
    """A land wall, lon 1-2 lat -40-40, that the lane crosses and no nearby water goes round."""
    nodes, adjacency = marnet_lanes(((0.0, 0.5), (3.0, 0.5), ""))
    return build_sea_network(nodes, adjacency, box(1.0, -40.0, 2.0, 40.0))


@pytest.fixture
def split_lanes_network():
    """Two lanes that never meet, in open water (a far-off islet stands in for land)."""
    nodes, adjacency = marnet_lanes(((0.0, 0.5), (0.5, 0.5), ""), ((2.5, 0.5), (3.0, 0.5), ""))
    return build_sea_network(nodes, adjacency, box(50.0, 50.0, 50.5, 50.5))


@pytest.fixture
def strait_network():
    """A wall with one lane through it tagged as the Bosporus, the only way across."""
    nodes, adjacency = marnet_lanes(
        ((0.0, 0.5), (1.5, 0.5), ""), ((1.5, 0.5), (3.0, 0.5), "bosporus")
    )
    return build_sea_network(nodes, adjacency, box(1.0, -40.0, 2.0, 40.0))


@pytest.fixture
def dateline_network():
    """Lanes across the antimeridian at the equator, as searoute joins 180 and -180."""
    nodes, adjacency = marnet_lanes(
        ((179.0, 0.0), (180.0, 0.0), ""),
        ((180.0, 0.0), (-180.0, 0.0), "pacific_ocean"),
        ((-180.0, 0.0), (-179.0, 0.0), ""),
    )
    return build_sea_network(nodes, adjacency, box(50.0, 50.0, 50.5, 50.5))


def test_repair_goes_round_the_island(island_network):
    leg = sea.route_leg(_request(WEST, EAST), island_network)
    assert not leg.geometry.intersects(box(1.0, 0.0, 2.0, 1.0).buffer(-0.01))
    assert _finding(leg, "km_over_land").value == pytest.approx(0.0, abs=0.01)
    straight = geodesic_length_km([(0.0, 0.5), (3.0, 0.5)])
    assert straight < leg.distance_km < straight + 150.0
    assert leg.geometry_kind == "routed" and leg.snap_km == (0.0, 0.0)


def test_canal_lanes_are_kept_and_reported(canal_network):
    leg = sea.route_leg(_request(WEST, EAST), canal_network)
    assert leg.distance_km == pytest.approx(geodesic_length_km([(0.0, 0.5), (3.0, 0.5)]), rel=1e-3)
    assert _finding(leg, "km_inland_waterway").value == pytest.approx(111.3, abs=0.5)
    assert _finding(leg, "km_over_land").level == "info"


def test_unreplaceable_lane_is_an_inland_waterway(wall_network):
    leg = sea.route_leg(_request(WEST, EAST), wall_network)
    assert _finding(leg, "km_inland_waterway").value == pytest.approx(111.3, abs=0.5)
    assert _finding(leg, "km_over_land").value == pytest.approx(0.0, abs=0.01)


def test_water_grid_joins_ends_the_lanes_do_not(split_lanes_network):
    leg = sea.route_leg(_request(WEST, EAST), split_lanes_network)
    assert leg.distance_km == pytest.approx(geodesic_length_km([(0.0, 0.5), (3.0, 0.5)]), rel=0.01)


def test_no_water_between_the_ends_is_an_error():
    nodes, adjacency = marnet_lanes(((0.0, 0.5), (0.5, 0.5), ""), ((2.5, 0.5), (3.0, 0.5), ""))
    network = build_sea_network(nodes, adjacency, box(1.0, -40.0, 2.0, 40.0))
    with pytest.raises(UnroutableLegError, match=r"test leg.*no sea route joins West and East"):
        sea.route_leg(_request(WEST, EAST), network)


def test_avoiding_the_only_passage_is_an_error(strait_network):
    assert sea.route_leg(_request(WEST, EAST), strait_network).distance_km > 0
    with pytest.raises(UnroutableLegError, match="avoiding bosporus leaves no sea route"):
        sea.route_leg(_request(WEST, EAST, avoid=("bosporus",)), strait_network)


@pytest.mark.parametrize(
    ("avoid", "message"),
    [
        (("atlantis",), r"unknown sea passage\(s\) 'atlantis'.*valid passages: bab-el-mandeb"),
        (("suez", "kiel"), r"'kiel'.*valid passages:.*suez"),
        (("babalmandab",), r"'babalmandab'.*bab-el-mandeb"),
    ],
)
def test_unknown_passage_is_an_error(island_network, avoid, message):
    with pytest.raises(UnroutableLegError, match=message):
        sea.route_leg(_request(WEST, EAST, avoid=avoid), island_network)


def test_port_on_land_is_snapped_to_water(island_network):
    port = _stop("Port", 0.5, 1.02)  # 2.2 km inside the island's west shore
    leg = sea.route_leg(_request(port, EAST), island_network)
    finding = next(f for f in leg.findings if f.code == "snap_distance")
    assert 2.0 < leg.snap_km[0] < 3.5
    assert finding.value == pytest.approx(leg.snap_km[0]) and finding.level == "info"
    assert leg.geometry.coords[0] == pytest.approx((1.02, 0.5))
    assert _finding(leg, "km_over_land").value == pytest.approx(0.0, abs=0.01)


def test_stop_far_inland_is_an_error():
    nodes, adjacency = marnet_lanes(((-1.0, 2.5), (-0.5, 2.5), ""))
    network = build_sea_network(nodes, adjacency, box(0.0, 0.0, 5.0, 5.0))
    with pytest.raises(UnroutableLegError, match=r"Inland .* is more than 100 km from the sea"):
        sea.route_leg(_request(_stop("Inland", 2.5, 2.5), _stop("Out", 2.5, -1.0)), network)


def test_via_stops_are_visited(island_network):
    via = _stop("North", 1.5, 1.5)
    leg = sea.route_leg(_request(WEST, via, EAST), island_network)
    assert len(leg.snap_km) == 3
    assert any(np.allclose(c, (1.5, 1.5)) for c in leg.geometry.coords)


def test_antimeridian_route_is_split(dateline_network):
    leg = sea.route_leg(
        _request(_stop("W", 0.0, 179.0), _stop("E", 0.0, -179.0)), dateline_network
    )
    assert isinstance(leg.geometry, MultiLineString)
    assert leg.distance_km == pytest.approx(222.6, abs=0.5)
    assert all(-180.0 <= x <= 180.0 for part in leg.geometry.geoms for x, _ in part.coords)


def test_one_stop_is_an_error(island_network):
    with pytest.raises(UnroutableLegError, match="at least two stops"):
        sea.route_leg(_request(WEST), island_network)


# --- the water grid on its own ------------------------------------------------------------


def test_water_path_and_smoothing_avoid_land(island_network):
    bbox = (-0.5, -0.5, 3.5, 1.5)
    grid = build_grid(island_network.tiles, bbox, 30)
    path = water_path(grid, (0.0, 0.5), (3.0, 0.5))
    assert path is not None and path[0] == (0.0, 0.5) and path[-1] == (3.0, 0.5)
    smoothed = smooth(path, local_land(island_network.land, bbox))
    assert len(smoothed) < len(path)
    assert not segments_over_land(smoothed, box(1.0, 0.0, 2.0, 1.0).buffer(-0.05)).any()


def test_water_path_respects_the_length_limit(island_network):
    grid = build_grid(island_network.tiles, (-0.5, -0.5, 3.5, 1.5), 30)
    assert water_path(grid, (0.0, 0.5), (3.0, 0.5), limit_km=300.0) is None


@pytest.mark.parametrize(
    ("coords", "expected_km"),
    [
        ([(0.0, 0.5), (3.0, 0.5)], [111.3]),
        ([(0.0, 2.0), (3.0, 2.0)], [0.0]),
        ([(359.5, 0.5), (361.5, 0.5)], [55.7]),  # unwrapped past 180 and back to land
    ],
)
def test_segment_land_km(coords, expected_km):
    land = box(1.0, 0.0, 2.0, 1.0)
    assert segment_land_km(coords, land) == pytest.approx(expected_km, abs=0.2)


def test_land_km_across_the_antimeridian():
    land = box(179.0, -1.0, 180.0, 1.0).union(box(-180.0, -1.0, -179.5, 1.0))
    segments = np.array([[[178.5, 0.0], [181.0, 0.0]]])
    assert land_km_of_segments(segments, land) == pytest.approx([166.98], abs=0.3)


# --- the shipped network --------------------------------------------------------------------

RAJIN = _stop("Rajin", 42.245, 130.295)
VOSTOCHNY = _stop("Vostochny", 42.745, 133.065)
KPNJN = _stop("Najin (searoute KPNJN)", 42.2333, 130.3)
RUVYP = _stop("Vostochny (searoute RUVYP)", 42.733333, 133.05)
MAKHACHKALA = _stop("Makhachkala", 42.983, 47.5)
AKTAU = _stop("Aktau", 43.65, 51.15)
OLYA = _stop("Olya", 45.78, 47.55)
ANZALI = _stop("Bandar Anzali", 37.477, 49.472)
ROTTERDAM = _stop("Rotterdam", 51.95, 4.05)
SINGAPORE = _stop("Singapore", 1.26, 103.8)
NOVOROSSIYSK = _stop("Novorossiysk", 44.72, 37.79)
TARTUS = _stop("Tartus", 34.89, 35.87)
JEDDAH = _stop("Jeddah", 21.48, 39.15)
MUMBAI = _stop("Mumbai", 18.95, 72.85)
VLADIVOSTOK = _stop("Vladivostok", 43.1, 131.9)
SAN_FRANCISCO = _stop("San Francisco", 37.8, -122.4)


def _land_km_away_from_stops(leg: RoutedLeg, stops: tuple[Stop, ...], radius_km: float) -> float:
    """Measure land under the geometry, independently of the router, outside circles round stops."""
    circles = []
    for stop in stops:
        ring = [
            GEOD.fwd(stop.lon, stop.lat, az, radius_km * 1000.0)[:2] for az in range(0, 360, 10)
        ]
        circles.append(shapely.Polygon(ring))
    outside = leg.geometry.difference(shapely.union_all(circles))
    x0, y0, x1, y1 = leg.geometry.bounds
    land = shapely.clip_by_rect(load_land(), x0 - 0.1, y0 - 0.1, x1 + 0.1, y1 + 0.1)
    inside = outside.intersection(land)
    return 0.0 if inside.is_empty else GEOD.geometry_length(inside) / 1000.0


@pytest.mark.network_data
@pytest.mark.parametrize(("start", "end"), [(RAJIN, VOSTOCHNY), (KPNJN, RUVYP)])
def test_rajin_to_vostochny_stays_on_water(start, end):
    leg = sea.route_leg(_request(start, end), load_sea_network())
    # Grid steps may still clip a few tens of metres of breakwater at a harbour mouth.
    assert _land_km_away_from_stops(leg, (start, end), 2.0) < 0.25
    assert 230.0 < leg.distance_km < 300.0
    assert _finding(leg, "km_over_land").value < 0.25
    assert all(km < 3.0 for km in leg.snap_km)
    assert "searoute" in leg.network and "Eurostat" in leg.attribution


@pytest.mark.network_data
@pytest.mark.parametrize(("start", "end"), [(MAKHACHKALA, AKTAU), (OLYA, ANZALI)])
def test_caspian_legs_stay_in_the_caspian(start, end):
    leg = sea.route_leg(_request(start, end), load_sea_network())
    assert _land_km_away_from_stops(leg, (start, end), 2.0) < 0.25
    x0, y0, x1, y1 = leg.geometry.bounds
    assert x0 > 46.0 and x1 < 55.0 and y0 > 36.5 and y1 < 47.5


@pytest.mark.network_data
def test_avoiding_suez_goes_round_africa():
    network = load_sea_network()
    via_suez = sea.route_leg(_request(ROTTERDAM, SINGAPORE), network)
    round_africa = sea.route_leg(_request(ROTTERDAM, SINGAPORE, avoid=("suez",)), network)
    assert round_africa.distance_km > via_suez.distance_km + 4000.0
    assert round_africa.geometry.bounds[1] < -30.0
    assert via_suez.geometry.bounds[1] > -10.0
    assert _finding(via_suez, "km_inland_waterway").value > 50.0  # the canal itself


@pytest.mark.network_data
def test_avoiding_bab_el_mandeb_leaves_the_red_sea_by_suez():
    leg = sea.route_leg(_request(JEDDAH, MUMBAI, avoid=("bab-el-mandeb",)), load_sea_network())
    assert leg.distance_km > 12000.0


@pytest.mark.network_data
def test_bosporus():
    network = load_sea_network()
    leg = sea.route_leg(_request(NOVOROSSIYSK, TARTUS), network)
    assert leg.geometry.distance(shapely.Point(29.05, 41.1)) < 0.1
    assert _finding(leg, "km_over_land").value < 0.5
    with pytest.raises(UnroutableLegError, match="avoiding bosporus"):
        sea.route_leg(_request(NOVOROSSIYSK, TARTUS, avoid=("bosporus",)), network)


@pytest.mark.network_data
def test_unknown_passage_on_the_shipped_network():
    with pytest.raises(UnroutableLegError, match="valid passages: bab-el-mandeb, bering"):
        sea.route_leg(_request(RAJIN, VOSTOCHNY, avoid=("panama-canal",)), load_sea_network())


@pytest.mark.network_data
def test_pacific_crossing_is_split_at_the_antimeridian():
    leg = sea.route_leg(_request(VLADIVOSTOK, SAN_FRANCISCO), load_sea_network())
    assert isinstance(leg.geometry, MultiLineString)
    assert 8000.0 < leg.distance_km < 9500.0
    assert _land_km_away_from_stops(leg, (VLADIVOSTOK, SAN_FRANCISCO), 2.0) < 0.5
