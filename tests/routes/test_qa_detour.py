"""A detour is always a finding: the ratio of a leg's length to the great circle, per mode.

Places on the equator, so the great circle is known exactly: 1 degree of longitude there is
111.3195 km on WGS 84 (the equatorial radius times pi / 180).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from shapely.geometry import LineString

from routemap.geo.model import Leg, Period, Place, Scenario, Source, Transfer
from routemap.routes import qa
from routemap.routes.builder import build
from routemap.routes.leg import LegRequest, RoutedLeg

DEGREE_KM = 6378.137 * math.pi / 180.0
WEST = Place("w", "West", "city", "AA", 0.0, 10.0, sources=("s",))
EAST = Place("e", "East", "city", "AA", 0.0, 11.0, sources=("s",))


@pytest.mark.parametrize(("mode", "kind", "ratio", "flagged"), [
    ("rail", "routed", 2.6, True),
    ("rail", "routed", 2.5, False),  # at the limit: not above it
    ("road", "routed", 2.51, True),
    ("road", "routed", 2.4, False),
    ("sea", "routed", 3.2, True),
    ("sea", "routed", 2.9, False),
    ("air", "great_circle", 9.0, False),  # air legs are great circles
    ("rail", "reported", 9.0, False),  # a reported path follows its source
    ("rail", "routed", None, False),  # ends coincide: nothing to compare with
])
def test_detour_findings_per_mode(mode, kind, ratio, flagged):
    found = qa.detour_findings(mode, kind, 1000.0, ratio)
    assert [(f.level, f.code, f.value) for f in found] == (
        [("warning", "detour", ratio)] if flagged else [])


def test_detour_message_says_both_lengths_and_the_limit():
    (finding,) = qa.detour_findings("sea", "routed", 26_931.0, 29.273)
    assert finding.message == (
        "26,931 km routed for 920 km between the ends: 29.27 times the great circle, more than "
        "the 3 expected of sea; check the route for a missing link or add a via")


def test_detour_ratio_is_over_the_geodesic_between_the_ends():
    assert qa.detour_ratio(3 * DEGREE_KM, (10.0, 0.0), (11.0, 0.0)) == pytest.approx(3.0, abs=1e-3)
    assert qa.detour_ratio(5.0, (10.0, 0.0), (10.0, 0.0)) is None


def test_thresholds_are_those_of_issue_14():
    assert qa.DETOUR_WARNING_RATIO == {"sea": 3.0, "rail": 2.5, "road": 2.5}


def _router(km: float):
    def route(request: LegRequest) -> RoutedLeg:
        line = LineString([(s.lon, s.lat) for s in request.stops])
        return RoutedLeg(line, km, "routed", network="test", attribution="test")

    return route


def _scenario(mode: str, period: Period | None) -> Scenario:
    leg = Leg(mode, WEST, EAST)
    transfer = Transfer("t", "Test", "reported", ("s",), (leg,), period=period)
    return Scenario(1, "T", (Source("s", "Report", "Publisher", url="https://publisher.org"),),
                    (WEST, EAST), (transfer,), path="t.yaml")


@pytest.mark.parametrize("period", [None, Period(dt.date(2024, 1, 1), dt.date(2024, 3, 1))])
def test_build_warns_of_a_long_detour_with_or_without_a_period(period):
    routers = {"rail": _router(3 * DEGREE_KM)}
    routeset = build(_scenario("rail", period), routers=routers)
    detours = [f for f in routeset.findings if f.code == "detour"]
    assert [(f.transfer_id, f.leg_index, f.level) for f in detours] == [("t", 0, "warning")]
    assert detours[0].value == pytest.approx(3.0, abs=1e-3)
    assert routeset.legs["detour_ratio"].tolist() == [pytest.approx(3.0, abs=1e-3)]


def test_build_is_silent_under_the_threshold():
    routeset = build(_scenario("rail", None), routers={"rail": _router(2 * DEGREE_KM)})
    assert not [f for f in routeset.findings if f.code == "detour"]
    assert routeset.legs["detour_ratio"].tolist() == [pytest.approx(2.0, abs=1e-3)]
