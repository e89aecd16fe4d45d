"""Tests for routemap.maps.records: plain and flat values, and geometry as every product writes it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from shapely.geometry import LineString, Point, Polygon

from routemap.geo.model import Corridor, Period, Quantity
from routemap.maps.records import (
    export_geometry,
    feature_records,
    plain_value,
    text_value,
    transfer_records,
)
from routemap.routes.builder import build
from routemap.routes.leg import LegRequest, RoutedLeg
from routemap.routes.schema import LEG_COLUMNS, TRANSFER_COLUMNS


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (float("nan"), None), (float("inf"), None), ([], []), (("a", "b"), ["a", "b"]),
    ("x", "x"), (3, 3), (2.5, 2.5), (True, True),
])
def test_plain_value(value, expected) -> None:
    assert plain_value(value) == expected


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("sources", ["a", "b"], '["a","b"]'), ("sources", None, "[]"), ("via_ids", [], "[]"),
    ("note", "x", "x"), ("note", None, None),
])
def test_text_value(name, value, expected) -> None:
    assert text_value(name, value) == expected


def test_export_geometry_orients_polygons_counterclockwise() -> None:
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    assert export_geometry(clockwise).exterior.is_ccw


def test_export_geometry_rounds_points() -> None:
    point = export_geometry(Point(1.23456789, -0.0000001))
    assert (point.x, point.y) == (1.234568, 0.0)


def test_export_geometry_rejects_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        export_geometry(LineString())


# --- both certainties and the quantity claim, on every leg record ----------------------------


@pytest.fixture()
def claims_routeset(sample_routeset):
    """The sample route set, its rail leg on a named corridor with an assumed end, its first
    transfer's count given by two sources that disagree, and its air leg a plain great circle."""
    scenario = sample_routeset.scenario
    first, second = scenario.transfers
    rail = dataclasses.replace(first.legs[1], assumed=("to",),
                               corridor=Corridor("Trans-Siberian Railway", ("rusi-2023-08",)))
    first = dataclasses.replace(first, legs=(first.legs[0], rail), quantity=None, quantities=(
        Quantity(10000, "containers", basis="whole flow", source="wh-2023-10"),
        Quantity(20000, "containers", "up to", basis="whole flow", source="rusi-2023-08")))
    second = dataclasses.replace(second, quantity=Quantity(
        9_000_000, "rounds", "about", window=Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))))
    scenario = dataclasses.replace(scenario, transfers=(first, second))
    return build(scenario, routers=_routers_from(sample_routeset))


def _routers_from(routeset):
    """Routers that return the sample route set's own geometry for each leg, in order."""
    geoms = iter(zip(routeset.legs.geometry, routeset.legs["geometry_kind"], strict=True))

    def route(request: LegRequest) -> RoutedLeg:
        geom, kind = next(geoms)
        return RoutedLeg(geom, 100.0, kind, (), "test", "", ())

    return {"sea": route, "rail": route, "air": route}


def test_every_leg_record_carries_both_certainties_and_the_quantity_claim(claims_routeset):
    legs = feature_records(claims_routeset)["legs"]
    assert all(list(r.properties) == list(LEG_COLUMNS) for r in legs)
    rows = [{k: r.properties[k] for k in ("confidence", "path_confidence", "corridor",
                                           "origin_assumed", "destination_assumed")} for r in legs]
    assert rows == [
        {"confidence": "confirmed", "path_confidence": "estimated", "corridor": None,
         "origin_assumed": False, "destination_assumed": False},
        {"confidence": "confirmed", "path_confidence": "reported", "corridor": "Trans-Siberian Railway",
         "origin_assumed": False, "destination_assumed": True},
        {"confidence": "estimated", "path_confidence": "estimated", "corridor": None,
         "origin_assumed": False, "destination_assumed": False},
    ]
    sea, _, air = (r.properties for r in legs)
    assert sea["quantity_text"] == ("10,000\u201320,000 containers, sources disagree: 10,000 (whole flow) "
                                    "per The White House; up to 20,000 (whole flow) per RUSI")
    assert (sea["quantity_value"], sea["quantity_max"], sea["quantity_unit"], sea["quantity_basis"],
            sea["quantities_disagree"]) == (10000, 20000, "containers", "whole flow", True)
    assert air["quantity_text"] == "about 9,000,000 rounds (1 Jan \u2013 31 Dec 2024)"
    assert (air["quantity_qualifier"], air["quantity_window_start"], air["quantity_window_end"],
            air["quantities_disagree"]) == ("about", "2024-01-01", "2024-12-31", False)


def test_transfer_records_carry_the_quantity_claim(claims_routeset):
    legs = feature_records(claims_routeset)["legs"]
    transfers = transfer_records(claims_routeset.scenario, legs)
    assert all(list(t.properties) == list(TRANSFER_COLUMNS) for t in transfers)
    assert transfers[0].properties["quantity_text"].startswith("10,000\u201320,000 containers, sources disagree")
    assert transfers[1].properties["quantity_qualifier"] == "about"
    # one leg reported, one modelled: the transfer's line as a whole is not reported
    assert [t.properties["path_confidence"] for t in transfers] == ["estimated", "estimated"]


def test_a_transfer_line_is_reported_only_when_every_leg_is(sample_routeset):
    legs = sample_routeset.legs.copy()
    legs["path_confidence"] = ["reported", "reported", "estimated"]
    routeset = dataclasses.replace(sample_routeset, legs=legs)
    transfers = transfer_records(routeset.scenario, feature_records(routeset)["legs"])
    assert [t.properties["path_confidence"] for t in transfers] == ["reported", "estimated"]


def test_quantity_text_of_a_frame_without_a_scenario_transfer_comes_from_its_columns(sample_routeset):
    """A RouteSet frame edited by hand (a transfer the scenario lacks) still gets its text."""
    legs = sample_routeset.legs.copy()
    legs["transfer_id"] = ["x", "x", "y"]
    legs["quantity_qualifier"] = ["more than", "more than", None]
    routeset = dataclasses.replace(sample_routeset, legs=legs)
    texts = [r.properties["quantity_text"] for r in feature_records(routeset)["legs"]]
    assert texts == ["more than 300 containers", "more than 300 containers", None]


def test_shared_records_are_built_once_per_route_set_and_language(sample_routeset, monkeypatch):
    from routemap.maps import records as module
    from routemap.maps.language import load_language

    built: list[tuple[str | None, bool]] = []
    real = module.feature_records

    def counting(routeset, *, language=None, connectors=True):
        built.append((language.code if language else None, connectors))
        return real(routeset, language=language, connectors=connectors)

    monkeypatch.setattr(module, "feature_records", counting)
    en, fr = load_language("en"), load_language("fr")
    first = module.shared_records(sample_routeset, language=en, connectors=False)
    first["legs"].clear()  # a caller's own lists: the next caller is not affected
    again = module.shared_records(sample_routeset, language=en, connectors=False)
    drawn = module.shared_records(sample_routeset, language=en)
    module.shared_records(sample_routeset, language=fr, connectors=False)
    assert built == [("en", False), ("fr", False)]
    assert len(again["legs"]) == len(sample_routeset.legs) == len(drawn["legs"])
    assert [r.properties for r in drawn["legs"]] == [r.properties for r in again["legs"]]
    alone = real(sample_routeset, language=en)
    for name, records in alone.items():
        assert [(r.feature_id, r.geometry.wkb, r.properties, [c.wkb for c in r.connectors])
                for r in records] == [(r.feature_id, r.geometry.wkb, r.properties,
                                       [c.wkb for c in r.connectors]) for r in drawn[name]]
    other = dataclasses.replace(sample_routeset)  # another route set: its own records
    module.shared_records(other, language=en)
    assert built[-1] == ("en", False)
    assert len(built) == 3


def test_transfer_records_of_no_legs_are_none(sample_routeset):
    assert transfer_records(sample_routeset.scenario, []) == []
