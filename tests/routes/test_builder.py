"""The route builder: requests per leg, the within default, QA findings, frames and attributions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from shapely.geometry import LineString

from routemap.errors import UnroutableLegError
from routemap.geo.model import Corridor, Leg, Period, Place, Quantity, Scenario, Source, Transfer
from routemap.routes.builder import build, leg_request, quantity_columns
from routemap.routes.leg import Finding, LegRequest, RoutedLeg
from routemap.routes.schema import (
    ANNOTATION_FRAME_COLUMNS,
    LEG_COLUMNS,
    LEG_FRAME_COLUMNS,
    PLACE_COLUMNS,
    PLACE_FRAME_COLUMNS,
)

A = Place("a", "Alpha", "port", "RU", 43.0, 132.0, sources=("s",))
B = Place("b", "Bravo", "depot", "RU", 45.0, 40.0, sources=("s",), origin="builtin")
C = Place("c", "Charlie", "city", "KP", 42.0, 130.0, origin="geonames")


def _fake_router(kind: str = "routed", km: float = 100.0, attribution: str = "Test network, ODbL"):
    """A router that records its requests and returns a straight line of a fixed length."""
    seen: list[LegRequest] = []

    def route(request: LegRequest) -> RoutedLeg:
        seen.append(request)
        coords = [(s.lon, s.lat) for s in request.stops]
        return RoutedLeg(LineString(coords), km, kind, tuple(0.5 for _ in coords), "test",
                         attribution, (Finding("info", "snap_distance", "snapped 0.5 km", 0.5),))

    route.seen = seen
    return route


def _scenario(*legs: Leg, period: Period | None = None) -> Scenario:
    transfer = Transfer("t", "Test transfer", "reported", ("s",), legs, cargo="shells", period=period)
    places = tuple(dict.fromkeys(p for leg in legs for p in (leg.origin, *leg.via, leg.destination)))
    return Scenario(1, "T", (Source("s", "Report", "Publisher", url="https://publisher.org"),),
                    places, (transfer,), path="t.yaml")


@pytest.mark.parametrize("leg, expected_within", [
    (Leg("rail", A, B), ("RU",)),                   # same country: stays inside it
    (Leg("rail", A, C), None),                      # two countries: unconstrained
    (Leg("rail", A, C, within=("KP", "RU")), ("KP", "RU")),
    (Leg("road", A, B), ("RU",)),
    (Leg("sea", A, B), None),                       # the default is for rail and road only
])
def test_within_default(leg, expected_within):
    transfer = Transfer("t", "x", "reported", ("s",), (leg,))
    assert leg_request(transfer, leg, 0).within == expected_within


def test_request_stops_and_label():
    leg = Leg("rail", A, B, via=(C,), avoid=("CN",))
    request = leg_request(Transfer("t", "x", "reported", ("s",), (leg,)), leg, 2)
    assert [s.place_id for s in request.stops] == ["a", "c", "b"]
    assert request.avoid == ("CN",)
    assert request.label == "transfer 't' leg 3 (rail, Alpha -> Bravo)"


def test_build_frames_follow_the_schema():
    router = _fake_router()
    scenario = _scenario(Leg("sea", A, C, carrier="Angara"), Leg("rail", C, B))
    rs = build(scenario, routers={"sea": router, "rail": router})
    assert list(rs.legs.columns) == [*LEG_FRAME_COLUMNS, "geometry"]
    assert [c for c in LEG_COLUMNS if c not in LEG_FRAME_COLUMNS] == ["citations", "quantity_text"]
    assert list(rs.places.columns) == [*PLACE_FRAME_COLUMNS, "geometry"]
    assert list(rs.annotations.columns) == [*ANNOTATION_FRAME_COLUMNS, "geometry"]
    assert [c for c in PLACE_COLUMNS if c not in PLACE_FRAME_COLUMNS] == ["citations"]
    assert rs.legs.crs.to_epsg() == 4326
    first = rs.legs.iloc[0]
    assert first["feature_id"] == "leg:t:0"
    assert first["carrier"] == "Angara" and first["cargo"] == "shells"
    assert list(first["sources"]) == ["s"]  # citations are worded by the record layer, in a language
    assert list(rs.places["place_id"]) == ["a", "c", "b"]
    assert len(router.seen) == 2


def test_attributions_collect_networks_gazetteer_layers_and_natural_earth():
    router = _fake_router(attribution="Rail: (c) OpenStreetMap contributors, ODbL")
    rs = build(_scenario(Leg("rail", A, C)), routers={"rail": router})
    assert rs.attributions[0] == "Rail: (c) OpenStreetMap contributors, ODbL"
    assert any("GeoNames" in a for a in rs.attributions)  # Charlie came from the cities layer
    assert any("Natural Earth" in a for a in rs.attributions)


def test_natural_earth_is_credited_once_even_when_a_network_line_names_it():
    router = _fake_router(attribution="Sea lanes: marnet; land: Made with Natural Earth (public domain), "
                                      "naturalearthdata.com")
    rs = build(_scenario(Leg("sea", A, B)), routers={"sea": router})
    assert sum("Made with Natural Earth" in a for a in rs.attributions) == 1


def test_reported_path_is_drawn_not_routed():
    router = _fake_router()
    leg = Leg("sea", A, C, path=((42.5, 131.0),))
    rs = build(_scenario(leg), routers={"sea": router})
    assert router.seen == []
    row = rs.legs.iloc[0]
    assert row["geometry_kind"] == "reported"
    coords = list(rs.legs.geometry.iloc[0].coords)
    assert coords[0] == pytest.approx((132.0, 43.0)) and coords[-1] == pytest.approx((130.0, 42.0))
    assert any(c == pytest.approx((131.0, 42.5)) for c in coords)
    assert 190 < row["distance_km"] < 210  # two hops of about 99 km


@pytest.mark.parametrize("km, days, message", [
    (2000.0, 1, "2,000 km in 1 day(s) implies at least 83 km/h, faster than 45 km/h plausible for sea"),
    (800.0, 1, "800 km in 1 day(s) implies at least 33.3 km/h on average"),
    (200.0, 180, "200 km in 180 day(s): an average under 0.1 km/h, so the period sets no bound on the speed"),
])
def test_speed_findings_say_what_they_are_based_on(km, days, message):
    router = _fake_router(km=km)
    period = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 1) + dt.timedelta(days=days - 1))
    rs = build(_scenario(Leg("sea", A, B), period=period), routers={"sea": router})
    assert [f.message for f in rs.findings if f.code == "speed"] == [message]


@pytest.mark.parametrize("km, days, level", [
    (2000.0, 1, "warning"),    # 83 km/h at sea is impossible
    (800.0, 1, "info"),        # 33 km/h is a fast ship, but possible
    (9000.0, 3, "warning"),    # 125 km/h average by rail
    (9000.0, 10, "info"),
])
def test_speed_findings(km, days, level):
    mode = "sea" if km < 5000 else "rail"
    router = _fake_router(km=km)
    period = Period(dt.date(2024, 1, 1), dt.date(2024, 1, days))
    rs = build(_scenario(Leg(mode, A, B), period=period), routers={mode: router})
    speed = [f for f in rs.findings if f.code == "speed"]
    assert len(speed) == 1 and speed[0].level == level
    assert speed[0].value == pytest.approx(km / (days * 24))


def test_every_unroutable_leg_is_reported_with_its_line():
    def refuse(request: LegRequest) -> RoutedLeg:
        raise UnroutableLegError(f"{request.label}: no path")

    legs = (dataclasses.replace(Leg("rail", A, C), line=12), dataclasses.replace(Leg("rail", C, B), line=13))
    with pytest.raises(UnroutableLegError) as info:
        build(_scenario(*legs), routers={"rail": refuse})
    assert info.value.messages() == [
        "error: t.yaml:12: transfers[0].legs[0]: transfer 't' leg 1 (rail, Alpha -> Charlie): no path",
        "error: t.yaml:13: transfers[0].legs[1]: transfer 't' leg 2 (rail, Charlie -> Bravo): no path",
    ]


def test_progress_is_called_per_leg():
    calls = []
    build(_scenario(Leg("air", A, B), Leg("air", B, C)), routers={"air": _fake_router("great_circle")},
          progress=lambda done, total, label: calls.append((done, total)))
    assert calls == [(0, 2), (1, 2)]


def test_two_certainties_and_assumed_ends_are_columns():
    """A routed leg's line is estimated even when its transfer is confirmed; a corridor a source
    names makes it reported; assumed ends are flagged."""
    router = _fake_router()
    corridor = Corridor("Trans-Siberian Railway", ("s",))
    scenario = _scenario(Leg("sea", A, C, assumed=("from",)),
                         Leg("rail", C, B, corridor=corridor, assumed=("to",)),
                         Leg("rail", B, A, via=(C,)))
    rs = build(scenario, routers={"sea": router, "rail": router})
    legs = rs.legs
    assert list(legs["path_confidence"]) == ["estimated", "reported", "estimated"]
    assert list(legs["confidence"]) == ["reported"] * 3  # the claim's certainty, kept apart
    assert list(legs["corridor"].fillna("")) == ["", "Trans-Siberian Railway", ""]
    assert list(legs["origin_assumed"]) == [True, False, False]
    assert list(legs["destination_assumed"]) == [False, True, False]


def test_reported_path_makes_the_line_reported_unless_the_scenario_says_otherwise():
    router = _fake_router()
    rs = build(_scenario(Leg("sea", A, C, path=((42.5, 131.0),)),
                         Leg("sea", C, B, path=((42.5, 131.0),), path_confidence="estimated")),
               routers={"sea": router})
    assert list(rs.legs["path_confidence"]) == ["reported", "estimated"]


WINDOW = Period(dt.date(2023, 9, 7), dt.date(2023, 9, 20))


@pytest.mark.parametrize("claims, expected", [
    ((), {"quantity_value": None, "quantity_unit": None, "quantity_qualifier": None, "quantity_max": None,
              "quantity_basis": None, "quantity_window_start": None, "quantity_window_end": None,
              "quantities_disagree": False}),
    ((Quantity(1000, "containers", "more than", None, "one voyage", WINDOW, "s"),),
     {"quantity_value": 1000, "quantity_unit": "containers", "quantity_qualifier": "more than",
          "quantity_max": None, "quantity_basis": "one voyage", "quantity_window_start": "2023-09-07",
          "quantity_window_end": "2023-09-20", "quantities_disagree": False}),
    ((Quantity(10000, "containers", max=20000),),
     {"quantity_value": 10000, "quantity_unit": "containers", "quantity_qualifier": None,
          "quantity_max": 20000, "quantity_basis": None, "quantity_window_start": None,
          "quantity_window_end": None, "quantities_disagree": False}),
    # disagreeing sources: the span they cover, and what they share, never one of them
    ((Quantity(20000, "containers", basis="whole flow", source="s"),
      Quantity(10000, "containers", "about", basis="whole flow", source="t")),
     {"quantity_value": 10000, "quantity_unit": "containers", "quantity_qualifier": None,
          "quantity_max": 20000, "quantity_basis": "whole flow", "quantity_window_start": None,
          "quantity_window_end": None, "quantities_disagree": True}),
    ((Quantity(2000, "containers", source="s"), Quantity(30000, "tonnes", source="t")),
     {"quantity_value": None, "quantity_unit": None, "quantity_qualifier": None, "quantity_max": None,
          "quantity_basis": None, "quantity_window_start": None, "quantity_window_end": None,
          "quantities_disagree": True}),
])
def test_quantity_columns(claims, expected):
    assert quantity_columns(claims) == expected


def test_quantity_sources_are_cited_on_the_legs():
    router = _fake_router()
    scenario = _scenario(Leg("sea", A, C))
    second = Source("t", "Other report", "Other")
    transfer = dataclasses.replace(scenario.transfers[0], quantities=(
        Quantity(20000, "containers", source="s"), Quantity(10000, "containers", source="t")))
    scenario = dataclasses.replace(scenario, transfers=(transfer,), sources=(*scenario.sources, second))
    row = build(scenario, routers={"sea": router}).legs.iloc[0]
    assert row["sources"] == ["s", "t"]
    assert row["quantities_disagree"] and row["quantity_value"] == 10000 and row["quantity_max"] == 20000
