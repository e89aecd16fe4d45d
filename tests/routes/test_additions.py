"""Routing on a network with a scenario's added track: the added line is used, with exact km."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from routemap.geo.additions import augment, length_km
from routemap.geo.model import NetworkAddition, Source
from routemap.geo.network import load_rail_network
from routemap.geo.scenario import bundled_scenario_path, load_scenario
from routemap.report import addition_lines, qa_report
from routemap.routes.builder import default_routers, leg_request
from routemap.routes.junctions import load_index
from routemap.routes.leg import LegRequest, Stop
from routemap.routes.overland import route_leg
from tests.routes.networks import stop


def _aa(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.full(np.asarray(lon).size, "AA")


def _leg(*stops: Stop) -> LegRequest:
    return LegRequest("rail", stops, within=None, avoid=(), label="test leg (rail)")


SPUR = NetworkAddition("east-spur", "rail", "East spur", ((50.0, 34.0), (50.0, 35.0)), ("src",))
"""A dead-end line from node 5 of the six-node network one degree east."""
CROSSING = NetworkAddition("crossing", "rail", "Crossing", ((50.5, 30.0), (50.0, 31.5), (49.5, 33.0)),
                           ("src",))
"""A line whose ends are 55 km from any track, whose middle station lies on edge 1-2."""


def test_a_stop_at_the_end_of_an_added_spur_is_on_the_network(six):
    far_end = Stop("x", "Spur end", 50.0, 35.0)
    before = route_leg(_leg(stop(0, six), far_end), six)
    assert before.off_network_km == pytest.approx(71.695, abs=0.001)  # straight connector from node 5
    after = route_leg(_leg(stop(0, six), far_end), augment(six, [SPUR], countries=_aa))
    assert after.off_network_km == pytest.approx(0.0, abs=1e-6)
    assert after.distance_km == pytest.approx(288.0 + length_km(SPUR.points), abs=1e-3)
    assert after.connectors == ()


def test_a_station_on_existing_track_joins_it_by_splitting_the_edge(six):
    start = Stop("s", "Crossing start", 50.5, 30.0)
    network = augment(six, [CROSSING], countries=_aa)
    routed = route_leg(_leg(start, stop(5, six)), network)
    # start -> middle station (on edge 1-2, halfway) -> 2 (36 km) -> 3 (72) -> 5 (72)
    expected = length_km(CROSSING.points[:2]) + 36.0 + 72.0 + 72.0
    assert routed.distance_km == pytest.approx(expected, abs=1e-3)
    assert routed.snap_km[0] == pytest.approx(0.0, abs=1e-6)
    coords = np.asarray(routed.geometry.coords)
    assert np.any(np.all(np.isclose(coords, [31.5, 50.0]), axis=1))  # passes the station


def test_the_added_network_gets_its_own_routing_index(six):
    network = augment(six, [SPUR], countries=_aa)
    assert load_index(network) is not load_index(six)
    assert load_index(network).node_junction.size == six.n_nodes + 1  # the spur starts at node 5


def test_default_routers_add_the_scenarios_lines_of_their_mode(six):
    far_end = Stop("x", "Spur end", 50.0, 35.0)
    road_line = NetworkAddition("road", "road", "Road", ((0.0, 0.0), (0.0, 1.0)), ("src",))
    routers = default_routers({"rail": six}, additions=(SPUR, road_line))
    routed = routers["rail"](_leg(stop(0, six), far_end))
    assert routed.off_network_km == pytest.approx(0.0, abs=1e-6)
    assert "scenario additions: east-spur" in routed.network  # the road line is not on rail


@pytest.mark.network_data
def test_dunai_joins_the_bundled_rail_network_along_the_branch():
    scenario = load_scenario(bundled_scenario_path())
    transfer = next(t for t in scenario.transfers if t.id == "rajin-dunai-tikhoretsk")
    index, leg = next((i, leg) for i, leg in enumerate(transfer.legs) if leg.mode == "rail")
    network = augment(load_rail_network(), scenario.network_additions)
    routed = route_leg(leg_request(transfer, leg, index), network)
    assert routed.snap_km[0] < 2.0
    coords = np.asarray(routed.geometry.coords)
    fokino = np.hypot(coords[:, 0] - 132.400, coords[:, 1] - 42.967).min()
    assert fokino < 1e-6  # the line leaves Dunai through Fokino, along the added branch


TRACK_SOURCE = Source("track-only", "Railway atlas", "An atlas")


def _with_additions(routeset, *additions):
    scenario = routeset.scenario
    return dataclasses.replace(routeset, scenario=dataclasses.replace(
        scenario, sources=(*scenario.sources, TRACK_SOURCE), network_additions=additions))


def test_check_lists_each_addition_with_its_km_and_the_legs_along_it(sample_routeset):
    # the sample rail leg passes (132.3295, 42.8833); the sea leg is not rail
    along = NetworkAddition("dunai-spur", "rail", "Dunai spur",
                            ((42.8833, 132.3295), (42.95, 132.36)), ("wh-2023-10",))
    unused = NetworkAddition("other", "rail", "Other line", ((10.0, 10.0), (10.0, 10.5)), ("track-only",))
    routeset = _with_additions(sample_routeset, along, unused)
    assert addition_lines(routeset) == [
        f"dunai-spur (rail, Dunai spur): {length_km(along.points):.1f} km, "
        "used by najin-dunai-tikhoretsk leg 2",
        "other (rail, Other line): 54.8 km, used by no leg",
    ]
    text, errors = qa_report(routeset, "sample.yaml")
    assert "\nnetwork additions:\n  dunai-spur (rail, Dunai spur): " in text and errors == 0
    assert "source 'track-only' is never cited" not in text  # an addition's source is cited
    assert "source 'track-only' is never cited" in qa_report(_with_additions(sample_routeset), "s")[0]


def test_check_has_no_additions_section_without_additions(sample_routeset):
    assert "network additions" not in qa_report(sample_routeset, "sample.yaml")[0]


@pytest.mark.network_data
def test_a_leg_through_the_junction_does_not_run_out_to_it_and_back():
    """Vostochny legs pass Smolyaninovo (a via) on the through line, not down the branch."""
    scenario = load_scenario(bundled_scenario_path())
    transfer = next(t for t in scenario.transfers if t.id == "rajin-vostochny-depots")
    index, leg = next((i, leg) for i, leg in enumerate(transfer.legs) if leg.mode == "rail")
    assert any(p.id == "smolyaninovo" for p in leg.via)
    base = load_rail_network()
    request = leg_request(transfer, leg, index)
    plain = route_leg(request, base)
    added = route_leg(request, augment(base, scenario.network_additions))
    assert added.distance_km == pytest.approx(plain.distance_km, abs=1.0)
    coords = np.asarray(added.geometry.coords)
    assert np.hypot(coords[:, 0] - 132.36, coords[:, 1] - 43.36).min() > 0.02  # not at the cited point
