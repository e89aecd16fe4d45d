"""Degenerate legs: a leg whose every point is one place is refused where the scenario is read.

Issue 14 case 4: an air leg RUVYP -> RUVYP (or two inline points closer than the export
precision) passed the checks, then every build stopped with an internal error.
"""

from __future__ import annotations

import pytest

from routemap.errors import ScenarioError
from routemap.geo.coincidence import EXPORT_DECIMALS, collapsed_leg, same_point
from routemap.geo.gazetteer import point_place
from routemap.geo.model import Leg
from routemap.geo.scenario import parse_scenario

HEAD = """version: 1
title: Degenerate legs
sources:
  - {id: s, title: A report, publisher: A publisher}
transfers:
  - id: t
    label: One transfer
    confidence: reported
    sources: [s]
    legs:
"""


def _load(legs: str):
    return parse_scenario((HEAD + legs).encode(), "legs.yaml")


def _errors(legs: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        _load(legs)
    return caught.value.messages()


def test_export_precision_is_the_exports_own():
    from routemap.maps.records import COORD_DECIMALS

    assert EXPORT_DECIMALS == COORD_DECIMALS


def test_the_issues_example_is_refused_with_its_location():
    assert _errors("      - {mode: air, from: RUVYP, to: RUVYP}\n") == [
        "error: legs.yaml:11: transfers[0].legs[0]: the leg (air, Vostochny port (Vrangel, "
        "Nakhodka) -> Vostochny port (Vrangel, Nakhodka)) starts and ends at the same place, so "
        "there is no line to draw; give the two places it moved between, or the places it passed "
        "through in 'via' (a stay at one place is an annotation)"]


@pytest.mark.parametrize("mode", ["air", "sea", "rail", "road"])
def test_every_mode_is_refused_alike(mode):
    (message,) = _errors(f"      - {{mode: {mode}, from: vostochny, to: RUVYP}}\n")
    assert f"transfers[0].legs[0]: the leg ({mode}, Vostochny port" in message
    assert "starts and ends at the same place" in message


def test_two_places_at_one_point_are_refused():
    places = """places:
  - {id: pier-a, name: Pier A, kind: port, country: RU, lat: 42.8, lon: 132.3}
  - {id: pier-b, name: Pier B, kind: port, country: RU, lat: 42.8000004, lon: 132.3000001}
"""
    text = HEAD.replace("transfers:", places + "transfers:") + "      - {mode: air, from: pier-a, to: pier-b}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text.encode(), "legs.yaml")
    (message,) = caught.value.messages()
    assert ("the leg (air, Pier A -> Pier B) starts and ends at the same point (equal to 6 "
            "decimals of a degree, the precision of the exports)") in message


def test_vias_and_paths_at_the_same_place_are_refused():
    messages = _errors(
        "      - {mode: air, from: RUVYP, via: [vostochny], to: RUVYP}\n"
        "      - mode: rail\n"
        "        from: RUVYP\n"
        "        to: RUVYP\n"
        "        path: [{lat: 42.745, lon: 133.065}, {lat: 42.7450001, lon: 133.065}]\n")
    assert len(messages) == 2
    assert "legs.yaml:11: transfers[0].legs[0]:" in messages[0]
    assert "and every via is there too" in messages[0]
    assert "legs.yaml:12: transfers[0].legs[1]:" in messages[1]


def test_a_round_trip_through_a_via_is_a_line():
    scenario = _load("      - {mode: air, from: RUVYP, via: [Nakhodka], to: RUVYP}\n")
    assert scenario.transfers[0].legs[0].via[0].name.startswith("Nakhodka")


def test_points_apart_at_export_precision_are_a_line():
    scenario = _load("      - {mode: air, from: {lat: 42.0, lon: 131.0}, to: {lat: 42.0002, lon: 131.0}}\n")
    leg = scenario.transfers[0].legs[0]
    assert leg.origin.id != leg.destination.id


@pytest.mark.parametrize("a, b, same", [
    ((42.0, 131.0), (42.0, 131.0), True),
    ((42.0, 131.0), (42.0000004, 130.9999996), True),      # both round to 42.000000, 131.000000
    ((42.0, 131.0), (42.000001, 131.0), False),            # one unit of the last decimal
    ((42.0000004, 131.0), (42.0000006, 131.0), False),     # 2e-7 apart, but they round apart
    ((65.0, 180.0), (65.0, -180.0), True),                 # the antimeridian
    ((65.0, 179.9999996), (65.0, -179.9999996), True),
    ((90.0, 0.0), (90.0, 135.0), True),                    # the pole
    ((-90.0, -45.0), (-89.9999999, 10.0), True),
    ((89.9999, 0.0), (89.9999, 135.0), False),
])
def test_same_point(a, b, same):
    assert same_point(a, b) is same
    assert same_point(b, a) is same


def test_collapsed_leg_needs_every_point_at_one_place():
    here, there = point_place(42.0, 131.0), point_place(43.0, 132.0)
    assert collapsed_leg(Leg("air", here, there)) is None
    assert collapsed_leg(Leg("air", here, here)) is not None
    assert collapsed_leg(Leg("air", here, here, via=(here,))) is not None
    assert collapsed_leg(Leg("air", here, here, via=(there,))) is None
    assert collapsed_leg(Leg("rail", here, here, path=((42.0, 131.0),))) is not None
    assert collapsed_leg(Leg("rail", here, here, path=((42.5, 131.0),))) is None
    # a path leg is drawn through its path, not its vias
    assert collapsed_leg(Leg("rail", here, here, via=(there,), path=((42.0, 131.0),))) is not None
    assert "in --via" in collapsed_leg(Leg("air", here, here), via_key="--via")
