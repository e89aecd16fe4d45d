"""The scenario model's own behaviour: the two certainties of a leg, its assumed ends, and a
quantity as a claim (how a source reads as a citation: tests/maps/test_citations.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.geo.model import Corridor, Leg, Period, Place, Quantity, Scenario, Source, Transfer

# --- two certainties, assumed ends, quantities as claims --------------------------------------

_A = Place("a", "Alpha", "port", "RU", 43.0, 132.0)
_B = Place("b", "Bravo", "depot", "RU", 45.0, 40.0)


def _scenario(leg: Leg, **transfer: object) -> tuple[Scenario, Transfer]:
    t = Transfer("t", "T", "confirmed", ("s",), (leg,), **transfer)
    return Scenario(1, "S", (Source("s", "R", "P"),), (_A, _B), (t,)), t


@pytest.mark.parametrize(("leg", "expected"), [
    (Leg("rail", _A, _B), "estimated"),
    (Leg("rail", _A, _B, via=(_A,)), "estimated"),  # a sourced point on the way is not a corridor
    (Leg("air", _A, _B), "estimated"),
    (Leg("sea", _A, _B, path=((42.0, 131.0),)), "reported"),
    (Leg("rail", _A, _B, corridor=Corridor("Trans-Siberian Railway", ("s",))), "reported"),
    (Leg("rail", _A, _B, corridor=Corridor("Trans-Siberian Railway", ("s",)), path_confidence="estimated"),
     "estimated"),
])
def test_leg_path_confidence_is_kept_apart_from_the_claim(leg: Leg, expected: str) -> None:
    scenario, transfer = _scenario(leg)
    assert scenario.leg_path_confidence(transfer, leg) == expected
    assert scenario.leg_confidence(transfer, leg) == "confirmed"


def test_assumed_ends() -> None:
    leg = Leg("rail", _A, _B, assumed=("to",))
    assert (leg.origin_assumed, leg.destination_assumed) == (False, True)
    assert not Leg("rail", _A, _B).origin_assumed


def test_quantity_claims_one_several_or_none() -> None:
    one = Quantity(1000, "containers", "more than")
    assert Transfer("t", "T", "reported", ("s",), ()).quantity_claims == ()
    assert Transfer("t", "T", "reported", ("s",), (), quantity=one).quantity_claims == (one,)
    several = (Quantity(10000, "containers", source="s"), Quantity(20000, "containers", source="u"))
    t = Transfer("t", "T", "reported", ("s",), (), quantities=several)
    assert t.quantity is None and t.quantity_claims == several and t.quantities_disagree
    same = (Quantity(300, "containers", source="s"), Quantity(300, "containers", source="u"))
    assert not Transfer("t", "T", "reported", ("s",), (), quantities=same).quantities_disagree


def test_quantity_range_and_window_days() -> None:
    assert Quantity(10, "x", max=20).is_range and not Quantity(10, "x", max=10).is_range
    assert Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)).days == 366


def test_leg_sources_add_the_corridor_and_quantity_sources() -> None:
    leg = Leg("rail", _A, _B, sources=("v",), corridor=Corridor("BAM", ("c", "s")))
    scenario, transfer = _scenario(leg, quantities=(Quantity(1, "x", source="q"), Quantity(2, "x", source="s")))
    assert scenario.leg_sources(transfer, leg) == ("s", "v", "c", "q")
