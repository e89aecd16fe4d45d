"""The rules of ``derive``: each threshold on both sides, on hand-made tracks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from routemap.routes.observed import Rules, derive
from routemap.routes.observed.derive import derive_rules
from routemap.routes.observed.ports import PortIndex
from tests.routes.observed.conftest import START, together

SEA = (10.0, 11.0)  # 110 km from both ports


def steady(minutes: range, lat: float, lon0: float, dlon_per_min: float = 0.0, sog: float = 12.0) -> list[tuple]:
    return [(m, lat, lon0 + dlon_per_min * m, sog) for m in minutes]


@pytest.mark.parametrize(("silence_h", "gaps"), [(5.0, 0), (6.0, 0), (6.5, 1), (30.0, 1)])
def test_a_gap_is_a_silence_over_six_hours_away_from_ports(track, ports, silence_h, gaps) -> None:
    before = steady(range(0, 60, 10), *SEA)
    restart = 50 + int(silence_h * 60)
    after = steady(range(restart, restart + 60, 10), SEA[0], SEA[1] + 0.1)
    found = derive(track(1, before + after), ports)
    assert len(found.gaps) == gaps
    assert len(found.trajectories) == 1 + gaps
    if gaps:
        gap = found.gaps.iloc[0]
        assert gap["start"] == START + pd.Timedelta(minutes=50)
        assert gap["duration_h"] == pytest.approx(silence_h)
        assert gap["reachable_km"] == pytest.approx(silence_h * 12.0 * 1.852)
        assert (gap["last_lat"], gap["last_lon"], gap["first_lon"]) == pytest.approx((10.0, 11.0, 11.1))
        assert np.ravel(found.gaps.geometry.iloc[0].coords) == pytest.approx([11.0, 10.0, 11.1, 10.0])


def test_a_silence_with_an_end_in_port_is_no_gap_but_splits_the_trajectory(track, ports) -> None:
    in_port = [(m, 10.0, 10.05, 0.0) for m in range(0, 60, 10)]  # 5.5 km from Alpha
    at_sea = steady(range(60 * 9, 60 * 10, 10), *SEA)
    found = derive(track(1, in_port + at_sea), ports)
    assert found.gaps.empty
    assert found.trajectories["n_positions"].tolist() == [6, 6]


def test_reachable_distance_is_never_less_than_the_straight_line(track, ports) -> None:
    fixes = [(0, 10.0, 11.0, 1.0), (10, 10.0, 11.0, 1.0), (8 * 60, 10.0, 11.5, 1.0)]
    gap = derive(track(1, fixes), ports).gaps.iloc[0]
    straight = 54.8  # half a degree of longitude at 10 N, km
    assert gap["reachable_km"] == pytest.approx(straight, rel=0.01)


def test_a_stop_in_port_is_a_call_from_the_first_to_the_last_position_there(track, ports) -> None:
    approach = [(m, 10.0, 10.3 - 0.005 * m, 12.0) for m in range(0, 60, 5)]  # reaches 10 km at minute 41
    stay = [(m, 10.0, 10.0, 0.0) for m in range(60, 240, 10)]
    leave = [(m, 10.0, 10.0 + 0.005 * (m - 240), 12.0) for m in range(245, 320, 5)]
    found = derive(track(7, approach + stay + leave, name="ANY", imo=1234567), ports)
    calls = found.port_calls
    assert calls[["mmsi", "port_id", "port_name"]].values.tolist() == [[7, "alpha", "Alpha"]]
    assert calls["arrival"].iloc[0] == START + pd.Timedelta(minutes=45)
    assert calls["departure"].iloc[0] == START + pd.Timedelta(minutes=255)  # 8.2 km out; 11 km at 260
    assert calls["duration_h"].iloc[0] == pytest.approx(210 / 60)
    assert (calls.geometry.iloc[0].x, calls.geometry.iloc[0].y) == (10.0, 10.0)


@pytest.mark.parametrize(("fixes", "why"), [
    ([(m, 10.0, 9.9 + 0.004 * m, 12.0) for m in range(0, 60, 5)], "passing at sea speed"),
    ([(m, 10.0, 10.0, 0.0) for m in range(0, 50, 10)], "a stop shorter than an hour"),
])
def test_no_call_without_a_stop_of_an_hour(track, ports, fixes, why) -> None:
    assert derive(track(7, fixes), ports).port_calls.empty, why


def test_a_call_counts_the_silence_in_port(track, ports) -> None:
    fixes = [(0, 10.0, 10.01), (3 * 24 * 60, 10.0, 10.01)]  # AIS off for 3 days alongside: no speed reported
    calls = derive(track(7, fixes), ports).port_calls
    assert calls["duration_h"].tolist() == [72.0]


def pair(offset_m: float, minutes: range, lat: float = SEA[0], lon: float = SEA[1]) -> tuple[list, list]:
    dlat = offset_m / 111_195.0
    return ([(m, lat, lon, 0.2) for m in minutes], [(m, lat + dlat, lon, 0.2) for m in minutes])


@pytest.mark.parametrize(("offset_m", "minutes", "meetings"), [
    (200.0, range(0, 121, 5), 1),
    (499.0, range(0, 61, 5), 1),
    (200.0, range(0, 55, 5), 0),
    (520.0, range(0, 181, 5), 0),
])
def test_an_encounter_is_within_500_m_for_an_hour(track, ports, offset_m, minutes, meetings) -> None:
    a, b = pair(offset_m, minutes)
    found = derive(together(track(20, b), track(10, a)), ports).encounters
    assert len(found) == meetings
    if meetings:
        row = found.iloc[0]
        assert (row["mmsi_a"], row["mmsi_b"]) == (10, 20)
        assert row["start"] == START and row["end"] == START + pd.Timedelta(minutes=minutes[-1])
        assert row["min_distance_m"] == pytest.approx(offset_m, rel=1e-3)
        assert row.geometry.y == pytest.approx(SEA[0] + offset_m / 2 / 111_195.0)


def test_a_meeting_near_a_port_is_no_encounter(track, ports) -> None:
    a, b = pair(100.0, range(0, 181, 5), lat=10.0, lon=10.05)
    assert derive(together(track(10, a), track(20, b)), ports).encounters.empty


def test_two_meetings_of_one_pair_are_two_rows(track, ports) -> None:
    a1, b1 = pair(100.0, range(0, 121, 5))
    a2, b2 = pair(100.0, range(300, 421, 5))
    apart = [(m, 10.0, 11.0 + 0.001 * (m - 125), 3.0) for m in range(125, 300, 5)]
    found = derive(together(track(10, a1 + apart + a2), track(20, b1 + b2)), ports).encounters
    assert found["start"].tolist() == [START, START + pd.Timedelta(minutes=300)]


def test_a_meeting_across_the_antimeridian_is_found_with_its_midpoint_on_it(track, ports) -> None:
    minutes = range(0, 121, 10)
    east = [(m, -20.0, 179.9995, 0.1) for m in minutes]
    west = [(m, -20.0, -179.9995, 0.1) for m in minutes]
    found = derive(together(track(10, east), track(20, west)), ports).encounters
    assert len(found) == 1
    assert found["min_distance_m"].iloc[0] == pytest.approx(104.5, abs=1)
    assert abs(found.geometry.x.iloc[0]) == pytest.approx(180.0)


def test_positions_are_not_interpolated_across_long_silences(track, ports) -> None:
    """Two ships each report once, 2 h apart, at the same spots: nothing is known between."""
    a = [(0, 10.0, 11.0, 0.0), (120, 10.0, 11.0, 0.0)]
    b = [(0, 10.0005, 11.0, 0.0), (120, 10.0005, 11.0, 0.0)]
    assert derive(together(track(10, a), track(20, b)), ports).encounters.empty


def test_trajectories_carry_the_most_reported_name_and_imo_and_their_length(track, ports) -> None:
    frame = together(track(5, steady(range(0, 30, 10), 10.0, 11.0, 0.001), name="BLUE", imo=1000001),
                     track(5, steady(range(30, 40, 10), 10.0, 11.03), name="RED", imo=None))
    frame = together(frame, track(6, [(0, 11.0, 11.0)]))
    found = derive(frame, ports).trajectories
    assert found["mmsi"].tolist() == [5, 6]
    assert found["name"].tolist()[0] == "BLUE" and found["imo"].tolist()[0] == 1000001
    assert pd.isna(found["name"].iloc[1]) and pd.isna(found["imo"].iloc[1])
    assert found["n_positions"].tolist() == [4, 1]
    assert found["length_km"].iloc[0] == pytest.approx(0.03 * 109.6, rel=0.01)
    assert list(found.geometry.iloc[1].coords) == [(11.0, 11.0), (11.0, 11.0)]
    assert str(found.crs) == "EPSG:4326"


def test_every_table_has_its_columns_and_types_even_when_empty(track, ports) -> None:
    found = derive(track(1, [(0, 10.0, 11.0)]).iloc[:0], ports)
    assert list(found.gaps.columns) == ["mmsi", "start", "end", "duration_h", "reachable_km", "last_lat", "last_lon",
                                        "first_lat", "first_lon", "geometry"]
    assert list(found.port_calls.columns) == ["mmsi", "port_id", "port_name", "arrival", "departure", "duration_h",
                                              "geometry"]
    assert list(found.encounters.columns) == ["mmsi_a", "mmsi_b", "start", "end", "duration_h", "min_distance_m",
                                              "geometry"]
    assert str(found.encounters["start"].dtype) == "datetime64[ns, UTC]"
    assert all(len(getattr(found, n)) == 0 for n in ("trajectories", "gaps", "port_calls", "encounters"))


def test_thresholds_are_open(track, ports) -> None:
    a, b = pair(800.0, range(0, 40, 5))
    frame = together(track(10, a), track(20, b))
    rules = Rules(encounter_m=1000.0, encounter_hours=0.5)
    assert len(derive_rules(frame, PortIndex(ports), rules).encounters) == 1


def test_port_index_measures_great_circles(ports) -> None:
    index = PortIndex(ports)
    lat = np.array([10.0, 10.0, 10.0])
    lon = np.array([10.09, 10.093, 11.99])  # 9.86 km, 10.18 km from Alpha; 1.1 km from Beta
    assert index.within(lat, lon, 10.0).tolist() == [0, -1, 1]
