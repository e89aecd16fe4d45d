"""The scenario's network_additions: loading, every problem with its exact message, joining."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.cli import main
from routemap.errors import ScenarioError
from routemap.geo.additions import END_JOIN_KM, augment, join_problem, length_km, nearest_track
from routemap.geo.model import NetworkAddition
from routemap.geo.network import EdgeList, Network, build_network
from routemap.geo.scenario import parse_scenario

HEAD = """\
version: 1
title: Added track
sources:
  - id: wiki
    title: Fokino (Primorje)
    publisher: Wikipedia
  - id: rail-facts
    title: Far Eastern Railway
    publisher: Wikipedia
places:
  - id: east-end
    name: East end station
    kind: rail_station
    country: RU
    lat: 48.3
    lon: 135.5
    sources: [wiki]
transfers:
  - id: t
    label: A train
    confidence: reported
    sources: [wiki]
    legs:
      - {mode: rail, from: Khabarovsk, to: east-end}
"""


def _track() -> Network:
    """A straight rail line along 48.3 N from 134.5 E to 135.5 E, a node every 0.1 degree."""
    lon = np.round(np.arange(134.5, 135.5001, 0.1), 6)
    lat = np.full(lon.size, 48.3)
    u = np.arange(lon.size - 1)
    km = np.full(u.size, 0.1 * 111.32 * np.cos(np.radians(48.3)))
    return build_network(lon, lat, EdgeList(u, u + 1, km), np.full(lon.size, "RU"),
                         name="test_rail", mode="rail", source="test", attribution="test")


TRACK = _track()


def _networks(mode: str) -> Network:
    return TRACK


def _load(additions: str, gazetteer):
    text = HEAD + "network_additions:\n" + additions
    return parse_scenario(text.encode("utf-8"), "s.yaml", gazetteer=gazetteer, networks=_networks)


def _messages(additions: str, gazetteer) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        _load(additions, gazetteer)
    return info.value.messages()


GOOD_PATH = """\
  - id: north-spur
    mode: rail
    name: North spur
    path: [{lat: 48.3, lon: 135.0}, {lat: 48.6, lon: 135.05}, {lat: 48.9, lon: 135.1}]
    sources: [wiki, rail-facts]
    note: Opened 1941.
"""


def test_a_path_addition_loads_with_its_points_and_sources(small_gazetteer):
    s = _load(GOOD_PATH, small_gazetteer)
    (added,) = s.network_additions
    assert added.id == "north-spur" and added.mode == "rail" and added.name == "North spur"
    assert added.points == ((48.3, 135.0), (48.6, 135.05), (48.9, 135.1))
    assert added.sources == ("wiki", "rail-facts")
    assert added.note == "Opened 1941." and added.line == 26
    assert added.stations == ()


def test_stations_resolve_like_leg_stops_but_are_not_map_places(small_gazetteer):
    s = _load("""\
  - id: khabarovsk-north
    mode: rail
    name: Khabarovsk north line
    stations: [Khabarovsk, {lat: 48.9, lon: 135.1}]
    sources: [wiki]
""", small_gazetteer)
    (added,) = s.network_additions
    assert added.stations[0].name == "Khabarovsk"
    assert added.points[0] == (48.48, 135.07) and added.points[1] == (48.9, 135.1)
    assert [p.id for p in s.places] == ["east-end", "khabarovsk"]  # the leg's, not the station's point


def test_a_station_only_the_addition_names_is_not_a_map_place(small_gazetteer):
    s = _load("""\
  - id: moscow-line
    mode: rail
    name: Line
    stations: [{lat: 48.3, lon: 134.95}, {lat: 48.9, lon: 135.1}]
    sources: [wiki]
""", small_gazetteer)
    assert len(s.network_additions[0].stations) == 2
    assert [p.id for p in s.places] == ["east-end", "khabarovsk"]


def test_no_section_means_no_additions(small_gazetteer):
    s = parse_scenario(HEAD.encode(), "s.yaml", gazetteer=small_gazetteer, networks=_networks)
    assert s.network_additions == ()


BAD = [
    ("""\
  - {id: a, mode: sea, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: [wiki]}
""", "s.yaml:26: network_additions[0].mode: 'sea' is not one of rail, road"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}], sources: [wiki]}
""", "s.yaml:26: network_additions[0].path: a line needs at least two points, found 1"),
    ("""\
  - {id: a, mode: rail, name: A, stations: [Khabarovsk], sources: [wiki]}
""", "s.yaml:26: network_additions[0].stations: a line needs at least two points, found 1"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}],
     stations: [Khabarovsk, east-end], sources: [wiki]}
""", "s.yaml:27: network_additions[0].stations: give 'path' or 'stations', not both"),
    ("""\
  - {id: a, mode: rail, name: A, sources: [wiki]}
""", "s.yaml:26: network_additions[0]: missing the line: give 'path' (a list of {lat, lon} points) "
     "or 'stations' (a list of places in order along the line)"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: [wikk]}
""", "s.yaml:26: network_additions[0].sources[0]: unknown source id 'wikk' (did you mean 'wiki'?)"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: []}
""", "s.yaml:26: network_additions[0].sources: expected at least 1 item(s), found 0"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}]}
""", "s.yaml:26: network_additions[0].sources: missing required key"),
    ("""\
  - {id: a, mode: rail, name: A, stations: [Khabarovsk, Atlantis], sources: [wiki]}
""", "s.yaml:26: network_additions[0].stations[1]: unknown place 'Atlantis'"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: [wiki]}
  - {id: a, mode: rail, name: B, path: [{lat: 48.3, lon: 135.1}, {lat: 48.5, lon: 135.1}], sources: [wiki]}
""", "s.yaml:27: network_additions[1].id: duplicate id 'a' (first at network_additions[0])"),
    ("""\
  - {id: far, mode: rail, name: Far, path: [{lat: 48.7, lon: 135.0}, {lat: 49.0, lon: 135.0}], sources: [wiki]}
""", "s.yaml:26: network_additions[0]: the line does not join the rail network: its start "
     "(48.7, 135) is 44.5 km from the nearest track and its end (49, 135) 77.8 km; "
     "one end must lie within 25 km of it"),
    ("""\
  - {id: a, mode: rail, name: A, path: [[48.3, 135.0], [48.5, 135.0]], sources: [wiki]}
""", "s.yaml:26: network_additions[0].path[0]: expected a mapping, found a list"),
    ("""\
  - {id: a, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: [wiki],
     track: double}
""", "s.yaml:27: network_additions[0].track: unknown key 'track'"),
]


@pytest.mark.parametrize(("additions", "expected"), BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_additions_give_one_located_message(additions, expected, small_gazetteer):
    messages = _messages(additions, small_gazetteer)
    assert "error: " + expected in messages, messages


def test_a_section_that_is_not_a_list_is_reported(small_gazetteer):
    messages = _messages("  north: spur\n", small_gazetteer)
    assert messages == ["error: s.yaml:26: network_additions: expected a list, found a mapping"]


def test_one_end_near_the_track_is_enough():
    line = NetworkAddition("x", "rail", "X", ((48.3 + 0.2, 135.0), (49.5, 135.0)), ("wiki",))
    assert join_problem(line, _networks) is None  # 22.2 km from the track
    far = NetworkAddition("x", "rail", "X", ((48.3 + 0.3, 135.0), (49.5, 135.0)), ("wiki",))
    assert "33.4 km" in join_problem(far, _networks)
    assert END_JOIN_KM == 25.0


def test_nearest_track_projects_onto_the_edge_not_the_node():
    meet = nearest_track(TRACK, 135.05, 48.31)
    assert (meet.u, meet.v) in ((5, 6), (6, 5))
    assert meet.lon == pytest.approx(135.05, abs=1e-9) and meet.lat == pytest.approx(48.3)
    assert meet.km == pytest.approx(1.112, abs=0.002)


def test_length_of_a_line_follows_its_points():
    assert length_km([(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)]) == pytest.approx(2 * 111.195, abs=0.01)
    assert length_km([(0.0, 0.0)]) == 0.0


def _ru(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.full(np.asarray(lon).size, "RU")


def test_an_end_near_the_track_is_placed_on_it_as_the_junction():
    spur = NetworkAddition("spur", "rail", "Spur", ((48.32, 135.05), (48.6, 135.05)), ("wiki",))
    out = augment(TRACK, [spur], countries=_ru)
    assert TRACK.n_nodes == 11 and TRACK.n_edges == 10  # unchanged
    assert out.n_nodes == 11 + 1 + 1  # the split point (the junction) and the far end
    assert out.n_edges == 10 + 1 + 1  # the split edge becomes two, and the spur
    assert out.checksum != TRACK.checksum
    assert "scenario additions: spur" in out.source
    split = 11
    assert out.lon[split] == pytest.approx(135.05) and out.lat[split] == pytest.approx(48.3)
    lengths = out.weights[out.indptr[split]:out.indptr[split + 1]]
    spur_km = length_km([(48.3, 135.05), (48.6, 135.05)])
    assert sorted(lengths) == pytest.approx(sorted([3.703, 3.703, spur_km]), abs=0.002)


def test_an_end_farther_from_the_track_keeps_its_place_and_joins_by_a_straight_edge():
    spur = NetworkAddition("spur", "rail", "Spur", ((48.4, 135.05), (48.6, 135.05)), ("wiki",))
    out = augment(TRACK, [spur], countries=_ru)
    assert out.n_nodes == 11 + 2 + 1  # both points and the split point
    start, split, far = 11, 12, 13
    assert (out.lon[start], out.lat[start]) == (135.05, 48.4)
    assert (out.lon[split], out.lat[split]) == pytest.approx((135.05, 48.3))
    neighbours = out.indices[out.indptr[start]:out.indptr[start + 1]]
    assert sorted(neighbours) == [split, far]
    join = out.weights[out.indptr[start]:out.indptr[start + 1]][list(neighbours).index(split)]
    assert join == pytest.approx(11.12, abs=0.01)


def test_a_station_near_the_track_is_placed_on_it():
    line = NetworkAddition("x", "rail", "X", ((48.0, 134.8), (48.31, 135.0), (48.0, 135.2)), ("wiki",))
    out = augment(TRACK, [line], countries=_ru)
    assert out.n_nodes == 11 + 2  # both ends are 33 km off; the middle is node 5 itself
    assert sorted(out.indices[out.indptr[5]:out.indptr[5 + 1]]) == [4, 6, 11, 12]


def test_augment_with_nothing_returns_the_network():
    assert augment(TRACK, [], countries=_ru) is TRACK


def test_the_command_line_exits_2_with_one_line_per_problem(tmp_path, capsys):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(HEAD + """\
network_additions:
  - {id: a, mode: ship, name: A, path: [{lat: 48.3, lon: 135.0}], sources: [nobody]}
""", encoding="utf-8")
    assert main(["check", str(scenario)]) == 2
    err = capsys.readouterr().err.splitlines()
    where = f"{scenario}:26: network_additions[0]"
    assert err == [f"error: {where}.mode: 'ship' is not one of rail, road",
                   f"error: {where}.sources[0]: unknown source id 'nobody'",
                   f"error: {where}.path: a line needs at least two points, found 1"]


def test_too_many_additions_are_refused_before_any_is_joined(small_gazetteer):
    line = "  - {id: a%d, mode: rail, name: A, path: [{lat: 48.3, lon: 135.0}, {lat: 48.5, lon: 135.0}], sources: [wiki]}\n"
    messages = _messages("".join(line % i for i in range(101)), small_gazetteer)
    assert messages == ["error: s.yaml:26: network_additions: at most 100 lines, found 101; join lines "
                        "that meet into one, or route on your own network extract (--rail-network)"]
    assert len(_load("".join(line % i for i in range(3)), small_gazetteer).network_additions) == 3


def test_too_many_points_in_all_are_refused(small_gazetteer):
    points = ", ".join("{lat: 48.3, lon: %.4f}" % (134.5 + i * 1e-4) for i in range(5001))
    line = "  - {id: a%d, mode: rail, name: A, path: [" + points + "], sources: [wiki]}\n"
    messages = _messages(line % 0 + line % 1, small_gazetteer)
    assert messages == ["error: s.yaml:26: network_additions: at most 10,000 points in all, found "
                        "10,002; keep the points a source gives (stations, bends), or route on your "
                        "own network extract (--rail-network)"]
