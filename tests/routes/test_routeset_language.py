"""RouteSet.in_language: the frames' texts in another language, the geometry untouched."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from routemap.geo.gazetteer import Gazetteer
from routemap.geo.languages import localize
from routemap.geo.model import FrozenMap
from routemap.geo.scenario import parse_scenario
from routemap.routes import air
from routemap.routes.builder import build
from routemap.routes.routeset import RouteSet

FRENCH = {
    "title": {"en": "Sample transfers", "fr": "Transferts types"},
    "transfers.najin-dunai-tikhoretsk.label": {
        "en": "Containers by sea to Dunai, then rail", "fr": "Conteneurs par mer vers Dounaï, puis par rail"},
    "transfers.najin-dunai-tikhoretsk.cargo": {"en": "artillery ammunition", "fr": "munitions d'artillerie"},
    "transfers.najin-dunai-tikhoretsk.legs.1.note": {"en": "Estimated line", "fr": "Ligne estimée"},
    "places.tikhoretsk.note": {"en": "town centre stand-in", "fr": "centre-ville, position approchée"},
    "annotations.containers.text": {"en": "About 300 containers at the pier",
                                    "fr": "Environ 300 conteneurs au quai"},
}


def _french(routeset: RouteSet) -> RouteSet:
    """The sample route set whose scenario gives French texts and a Korean name for Rajin."""
    scenario = routeset.scenario
    places = tuple(replace(p, names=FrozenMap({"ko": "라진항", "fr": "Port de Rajin"}))
                   if p.id == "rajin" else p for p in scenario.places)
    by_id = {p.id: p for p in places}
    transfers = tuple(replace(t, legs=tuple(
        replace(leg, origin=by_id[leg.origin.id], destination=by_id[leg.destination.id],
                note="Estimated line" if leg.mode == "rail" else leg.note)
        for leg in t.legs)) for t in scenario.transfers)
    annotations = tuple(replace(a, at=by_id[a.at.id]) for a in scenario.annotations)
    translations = FrozenMap({k: FrozenMap(v) for k, v in FRENCH.items()})
    legs = routeset.legs.copy()
    legs["note"] = [None, "Estimated line", None]
    return replace(routeset, legs=legs, scenario=replace(
        scenario, places=places, transfers=transfers, annotations=annotations,
        translations=translations))


def _texts(column: pd.Series) -> list[str | None]:
    """A text column as a list, a missing value (None or NaN, as pandas stores it) as None."""
    return [None if pd.isna(v) else v for v in column]


@pytest.fixture()
def french(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with French texts (see :func:`_french`)."""
    return _french(sample_routeset)


def test_in_language_rewrites_every_text_column(french):
    fr = french.in_language("fr")
    assert fr.scenario.language == "fr"
    assert fr.scenario.title == "Transferts types"
    assert _texts(fr.legs["transfer_label"]) == ["Conteneurs par mer vers Dounaï, puis par rail"] * 2 + [
        "Air-defence systems (route not reported)"]  # no French given: English
    assert _texts(fr.legs["from_name"]) == ["Port de Rajin", "Dunai naval port", "Dunai naval port"]
    assert _texts(fr.legs["to_name"]) == ["Dunai naval port", "Tikhoretsk ammunition depot", "Port de Rajin"]
    assert _texts(fr.legs["cargo"]) == ["munitions d'artillerie"] * 2 + [None]
    assert _texts(fr.legs["note"]) == [None, "Ligne estimée", None]
    assert _texts(french.in_language("ko").legs["note"]) == [None, "Estimated line", None]
    assert _texts(fr.places["name"]) == ["Port de Rajin", "Dunai naval port", "Tikhoretsk ammunition depot"]
    assert _texts(fr.places["note"]) == [None, None, "centre-ville, position approchée"]
    assert _texts(fr.annotations["text"]) == ["Environ 300 conteneurs au quai"]
    assert _texts(fr.annotations["transfer_label"]) == ["Conteneurs par mer vers Dounaï, puis par rail"]


def test_in_language_keeps_geometry_findings_and_other_columns(french):
    fr = french.in_language("fr")
    assert fr.legs.geometry.geom_equals_exact(french.legs.geometry, tolerance=0).all()
    assert fr.findings == french.findings
    assert fr.attributions == french.attributions
    untouched = [c for c in french.legs.columns
                 if c not in ("transfer_label", "from_name", "to_name", "cargo", "note", "geometry")]
    assert fr.legs[untouched].equals(french.legs[untouched])
    assert list(fr.legs.columns) == list(french.legs.columns)
    assert list(fr.places.columns) == list(french.places.columns)
    assert fr.legs.crs == french.legs.crs


def test_in_language_leaves_the_input_alone(french):
    french.in_language("fr")
    assert french.places["name"].iloc[0] == "Rajin (Najin) port"
    assert french.scenario.title == "Sample transfers"


def test_the_scenarios_own_language_is_the_same_route_set(french):
    assert french.in_language("en") is french


def test_korean_names_with_english_texts(french):
    ko = french.in_language("ko")
    assert _texts(ko.places["name"])[0] == "라진항"
    assert _texts(ko.legs["transfer_label"])[0] == "Containers by sea to Dunai, then rail"


def test_back_to_english_gives_the_original_texts(french):
    back = french.in_language("fr").in_language("ko").in_language("en")
    for frame, column in [("legs", "transfer_label"), ("legs", "from_name"), ("legs", "note"),
                          ("places", "name"), ("places", "note"), ("annotations", "text")]:
        assert getattr(back, frame)[column].equals(getattr(french, frame)[column]), column


FLIGHTS = """\
version: 1
language: en
title: {en: Two flights, fr: Deux vols}
sources:
  - {id: src, title: A report, publisher: A publisher}
places:
  - id: sunan
    name: Pyongyang Sunan airport
    names: {fr: Aéroport de Pyongyang-Sunan, ko: 평양 순안국제공항}
    kind: airfield
    country: KP
    lat: 39.22
    lon: 125.67
    note: {en: Airport centre, fr: Centre de l'aéroport}
  - {id: knevichi, name: Knevichi airport, kind: airfield, country: RU, lat: 43.40, lon: 132.15}
transfers:
  - id: flights
    label: {en: Cargo flights, fr: Vols de fret}
    cargo: {en: shells, fr: obus}
    quantity:
      - {value: 2, unit: {en: flights, fr: vols}, basis: {en: one week, fr: une semaine}, source: src}
      - {value: 3, unit: {en: flights, fr: vols}, basis: {en: one week, fr: une semaine}, source: src}
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: sunan, to: knevichi, note: {en: First flight, fr: Premier vol},
         corridor: {name: {en: Eastern air corridor, fr: Couloir aérien oriental}, sources: [src]}}
      - {mode: air, from: knevichi, to: sunan, note: Return}
annotations:
  - id: seen
    text: {en: An An-124 on the apron, fr: Un An-124 sur le tarmac}
    at: sunan
    transfer: flights
    confidence: reported
    sources: [src]
"""


def test_in_language_equals_routing_the_localized_scenario():
    """Localizing the routed set and routing the localized scenario give the same frames."""
    scenario = parse_scenario(FLIGHTS.encode(), "flights.yaml", gazetteer=Gazetteer([]))
    routers = {"air": air.route_leg}
    localized = build(scenario, routers=routers).in_language("fr")
    direct = build(localize(scenario, "fr"), routers=routers)
    for frame in ("legs", "places", "annotations"):
        assert getattr(localized, frame).equals(getattr(direct, frame)), frame
    assert _texts(localized.legs["from_name"]) == ["Aéroport de Pyongyang-Sunan", "Knevichi airport"]
    assert _texts(localized.legs["note"]) == ["Premier vol", "Return"]
    assert _texts(localized.annotations["transfer_label"]) == ["Vols de fret"]
    assert _texts(localized.legs["corridor"]) == ["Couloir aérien oriental", None]
    assert _texts(localized.legs["quantity_unit"]) == ["vols"] * 2
    assert _texts(localized.legs["quantity_basis"]) == ["une semaine"] * 2
    assert localized.scenario == direct.scenario
