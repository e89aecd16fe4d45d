"""Verdicts: a sea leg held against its carrier's positions, on small hand-built tracks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString

from routemap.geo.model import Period, Place
from routemap.geo.vessels import Thresholds, Vessel
from routemap.routes.verdicts import (
    DarkStretch,
    Evidence,
    distances_km,
    leg_verdict,
    leg_verdicts,
    utc_window,
    vessel_positions,
)

RAJIN = Place("rajin", "Rajin", "port", "KP", 42.245, 130.295)
VOSTOCHNY = Place("vostochny", "Vostochny", "port", "RU", 42.7333, 133.05)
LINE = LineString([(RAJIN.lon, RAJIN.lat), (VOSTOCHNY.lon, VOSTOCHNY.lat)])
PERIOD = Period(dt.date(2024, 3, 2), dt.date(2024, 3, 5))
NO_GAPS = pd.DataFrame({"mmsi": pd.Series([], dtype="int64"),
                        "start": pd.Series([], dtype="datetime64[ns, UTC]"),
                        "end": pd.Series([], dtype="datetime64[ns, UTC]"),
                        "duration_h": pd.Series([], dtype=float), "reachable_km": pd.Series([], dtype=float)})


def _track(start: str, hours: float, a: tuple[float, float], b: tuple[float, float], *, n: int = 25,
           mmsi: int = 273456789) -> pd.DataFrame:
    """A vessel sailing straight from ``a`` to ``b`` (lat, lon) in ``hours``, ``n`` positions."""
    times = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=n, freq=pd.Timedelta(hours=hours / (n - 1)))
    f = np.linspace(0.0, 1.0, n)
    return pd.DataFrame({"mmsi": mmsi, "imo": pd.array([1234567] * n, dtype="Int64"),
                         "name": pd.array(["SEA STAR"] * n, dtype="string"), "time": times,
                         "lat": a[0] + f * (b[0] - a[0]), "lon": a[1] + f * (b[1] - a[1])})


def _gap(start: str, end: str, reach: float = 260.0, mmsi: int = 273456789) -> pd.DataFrame:
    s, e = pd.Timestamp(start, tz="UTC"), pd.Timestamp(end, tz="UTC")
    return pd.DataFrame({"mmsi": [mmsi], "start": [s], "end": [e], "duration_h": [(e - s) / pd.Timedelta(hours=1)],
                         "reachable_km": [reach]})


R, V = (RAJIN.lat, RAJIN.lon), (VOSTOCHNY.lat, VOSTOCHNY.lon)
MIDDLE = (42.5, 131.7)
BUSAN = (35.08, 129.04)


def _verdict(track, gaps=NO_GAPS, period=PERIOD, line=LINE):
    return leg_verdict(track, gaps, line=line, origin=RAJIN, destination=VOSTOCHNY, period=period)


def test_a_track_through_both_ends_supports_the_leg():
    verdict, evidence = _verdict(_track("2024-03-02 06:00", 36, R, V))
    assert verdict == "supports"
    assert evidence.period == (PERIOD.start, PERIOD.end) and evidence.positions == 25
    assert [(e.place.id, e.near, e.time) for e in evidence.ends] == [
        ("rajin", True, pd.Timestamp("2024-03-02 06:00", tz="UTC")),
        ("vostochny", True, pd.Timestamp("2024-03-03 18:00", tz="UTC"))]
    assert [e.distance_km for e in evidence.ends] == pytest.approx([0.0, 0.0], abs=1e-6)
    assert evidence.line is None and evidence.gaps == ()


def test_a_dark_gap_between_the_ends_makes_it_partly_and_is_named():
    before = _track("2024-03-02 06:00", 12, R, MIDDLE, n=13)
    after = _track("2024-03-03 14:00", 12, (42.6, 132.2), V, n=13)
    gap = _gap("2024-03-02 18:00", "2024-03-03 14:00")
    verdict, evidence = _verdict(pd.concat([before, after]), gap)
    assert verdict == "partly"
    assert evidence.gaps == (DarkStretch(pd.Timestamp("2024-03-02 18:00", tz="UTC"),
                                         pd.Timestamp("2024-03-03 14:00", tz="UTC"), 20.0, 260.0),)
    assert [e.near for e in evidence.ends] == [True, True]


def test_a_gap_outside_the_period_is_not_named():
    gap = _gap("2024-03-07 00:00", "2024-03-08 00:00")
    assert _verdict(_track("2024-03-02 06:00", 36, R, V), gap)[0] == "supports"


def test_near_one_end_only_is_partly():
    verdict, evidence = _verdict(_track("2024-03-02 06:00", 12, R, MIDDLE))
    assert verdict == "partly"
    assert [e.near for e in evidence.ends] == [True, False]
    assert 100 < evidence.ends[1].distance_km < 150 and evidence.line is None


def test_a_vessel_elsewhere_contradicts_the_leg():
    verdict, evidence = _verdict(_track("2024-03-02 00:00", 48, BUSAN, (35.3, 129.5)))
    assert verdict == "contradicts"
    assert evidence.line is not None and (evidence.line.off, evidence.positions) == (25, 25)
    assert evidence.line.threshold_km == 100.0
    assert 700 < evidence.line.nearest_km < 850  # Busan is about 780 km from the Rajin-Vostochny line
    assert evidence.line.nearest_km < evidence.line.farthest_km


def test_along_the_line_without_either_end_is_partly():
    verdict, evidence = _verdict(_track("2024-03-02 00:00", 10, (42.45, 131.0), (42.6, 132.2)))
    assert verdict == "partly"
    assert evidence.line is not None and (evidence.line.off, evidence.positions) == (0, 25)


def test_no_position_in_the_period_is_no_data_and_names_a_spanning_gap():
    track = _track("2024-02-20 00:00", 24, R, MIDDLE)
    gap = _gap("2024-02-21 00:00", "2024-03-10 00:00", reach=9000.0)
    verdict, evidence = _verdict(track, gap)
    assert verdict == "no_data"
    assert (evidence.positions, evidence.ends, evidence.period) == (0, (), (PERIOD.start, PERIOD.end))
    assert [g.duration_h for g in evidence.gaps] == [432.0]


def test_a_leg_without_period_has_no_data():
    assert _verdict(_track("2024-03-02 06:00", 36, R, V), period=None) == ("no_data", Evidence(None))


def test_the_period_covers_whole_utc_days():
    start, end = utc_window(PERIOD)
    assert (start, end) == (pd.Timestamp("2024-03-02", tz="UTC"), pd.Timestamp("2024-03-06", tz="UTC"))
    late = _track("2024-03-05 12:00", 11.9, R, V)  # ends 23:54 on the period's last day
    assert _verdict(late)[0] == "supports"


def test_a_line_split_at_the_antimeridian_is_measured_in_both_parts():
    line = MultiLineString([[(179.0, 60.0), (180.0, 60.0)], [(-180.0, 60.0), (-179.0, 60.0)]])
    ends = (Place("a", "A", "port", "RU", 60.0, 179.0), Place("b", "B", "port", "US", 60.0, -179.0))
    track = _track("2024-03-02 00:00", 10, (60.3, -179.6), (60.3, -179.4))
    verdict, evidence = leg_verdict(track, NO_GAPS, line=line, origin=ends[0], destination=ends[1],
                                    period=PERIOD)
    assert verdict == "partly"
    assert evidence.line is not None and evidence.line.off == 0 and evidence.line.farthest_km < 100


def test_a_wider_off_route_threshold_turns_a_contradiction_into_partly():
    track = _track("2024-03-02 00:00", 48, BUSAN, (35.3, 129.5))
    wide = leg_verdict(track, NO_GAPS, line=LINE, origin=RAJIN, destination=VOSTOCHNY, period=PERIOD,
                       thresholds=Thresholds(off_route_km=1000.0))
    assert wide[0] == "partly"


@pytest.mark.parametrize("vessel, rows", [
    (Vessel(mmsi=273456789), 25), (Vessel(imo=1234567), 25), (Vessel(name="Sea Star"), 25),
    (Vessel(mmsi=111111111), 0), (Vessel(name="Sea Stars"), 0),
])
def test_vessel_positions(vessel, rows):
    assert len(vessel_positions(_track("2024-03-02 06:00", 36, R, V), vessel)) == rows


def test_leg_verdicts_only_for_legs_naming_a_vessel():
    positions = pd.concat([_track("2024-03-02 06:00", 36, R, V),
                           _track("2024-03-02 06:00", 36, BUSAN, R, mmsi=440123456)])
    legs = [("t", 0, "SEA-STAR", LINE, RAJIN, VOSTOCHNY, PERIOD),
            ("t", 1, "Other ship", LINE, RAJIN, VOSTOCHNY, PERIOD),
            ("u", 0, None, LINE, RAJIN, VOSTOCHNY, PERIOD)]
    found = leg_verdicts(legs, positions, NO_GAPS, [Vessel(name="Sea Star", mmsi=273456789)])
    assert [(v.transfer_id, v.leg_index, v.vessel, v.verdict) for v in found] == [("t", 0, "Sea Star", "supports")]
    assert found[0].evidence.ends[0].place is RAJIN and found[0].gap_starts == ()


def test_distances_km_matches_a_known_distance():
    # Rajin to Vostochny, about 231 km on the sphere
    assert float(distances_km(np.array(R[0]), np.array(R[1]), V[0], V[1])) == pytest.approx(231.5, abs=1.0)
