"""Tests of leg QA on the six-node synthetic network: km per country, countries crossed."""

from __future__ import annotations

import pytest

from routemap.routes import overland, qa
from routemap.routes.leg import LegRequest
from tests.routes.networks import stop, two_countries


def test_km_by_country_lists_every_country_longest_first(six):
    leg = overland.route_leg(LegRequest("rail", (stop(0, six), stop(5, six))), six, countries=two_countries())
    per_country = qa.km_by_country(leg.geometry, two_countries())
    assert list(per_country) == ["AA", "BB"]
    assert sum(per_country.values()) == pytest.approx(leg.distance_km - sum(leg.snap_km), rel=0.05)


def test_unconstrained_leg_within_its_ends_countries_is_only_noted(six):
    leg = overland.route_leg(LegRequest("rail", (stop(0, six), stop(4, six))), six, countries=two_countries())
    crossing = [f for f in leg.findings if f.code == "countries_crossed"]
    assert [(f.level, f.message.split(" ")[:3]) for f in crossing] == [("info", ["runs", "through", "AA"])]


def test_km_outside_is_measured_on_geometry(six):
    leg = overland.route_leg(LegRequest("rail", (stop(0, six), stop(5, six))), six)
    km = qa.km_outside_countries(leg.geometry, two_countries(), keep=("AA",))
    assert km == pytest.approx(0.6 * 71.7, rel=0.02)  # 0.6 degrees of longitude at 50N
