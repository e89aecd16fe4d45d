"""Fixtures shared by the maps tests: a route set whose every text tries to inject markup,
and one whose transfers count in different units."""

from __future__ import annotations

import dataclasses

import pytest

from routemap.geo.model import Quantity
from routemap.routes.routeset import RouteSet

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = "\"><img src=x onerror=\"window.__pwned = 'img'\">"
JS_URL = "javascript:window.__pwned='link'"


@pytest.fixture()
def hostile_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with markup in every scenario string and a ``javascript:`` URL.

    The first source's URL is ``javascript:``; the second keeps an https URL with ``<``,
    ``"`` and ``&`` in its query. Titles, labels, names, notes, cargo, carrier and the
    annotation hold both a ``<script>`` element and an attribute-breaking ``<img onerror>``.
    """
    scenario = sample_routeset.scenario
    first, second = scenario.sources
    sources = (
        dataclasses.replace(first, title=f"First {SCRIPT}", publisher=f"Pub {IMG}",
                            note=IMG, url=JS_URL),
        dataclasses.replace(second, title=f"{IMG} second",
                            url='https://example.org/report?a=<b>&c="d"'),
    )
    transfers = tuple(dataclasses.replace(t, label=f"{t.label} {SCRIPT}")
                      for t in scenario.transfers)
    hostile = dataclasses.replace(scenario, title=f"Map {SCRIPT}", subtitle=IMG,
                                  sources=sources, transfers=transfers)
    legs = sample_routeset.legs.copy()
    legs["transfer_label"] = legs["transfer_label"] + " " + SCRIPT
    legs["from_name"] = legs["from_name"] + IMG
    for column in ("note", "cargo", "carrier"):
        legs[column] = IMG if column != "carrier" else SCRIPT
    places = sample_routeset.places.copy()
    places["name"] = places["name"] + IMG
    places["note"] = SCRIPT
    annotations = sample_routeset.annotations.copy()
    annotations["text"] = f"{SCRIPT} {IMG}"
    return RouteSet(hostile, legs, places, annotations, sample_routeset.findings,
                    (*sample_routeset.attributions, f"Data {SCRIPT}"))


@pytest.fixture()
def mixed_units_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with the air transfer carrying 2 Koksan guns.

    The sea-and-rail transfer keeps its 300 containers, so containers (the larger total) win
    the tie of one transfer each and are the main unit; the guns are drawn at base width.
    """
    scenario = sample_routeset.scenario
    guns = Quantity(2.0, "Koksan guns")
    transfers = tuple(dataclasses.replace(t, quantity=guns) if t.id == "air-estimate" else t
                      for t in scenario.transfers)
    legs = sample_routeset.legs.copy()
    air = legs["transfer_id"] == "air-estimate"
    legs.loc[air, "quantity_value"] = guns.value
    legs.loc[air, "quantity_unit"] = guns.unit
    return dataclasses.replace(sample_routeset, legs=legs,
                               scenario=dataclasses.replace(scenario, transfers=transfers))
