"""One quantity, written the same way by every product: KML balloons, the HTML map's popups,
the legs CSV, the slides and the deck's speaker notes (all through routemap.maps.wording).

The route set carries 1,234,567 tonnes on its sea-and-rail transfer and 0.5 t by air: a
number that a ``%g`` format writes as ``1.23457e+06`` and one with a decimal that a
whole-number format loses.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from routemap.geo.model import Quantity
from routemap.maps import wording
from routemap.maps.gis.kml import KML_NAMESPACE, render_kml
from routemap.maps.gis.legs_csv import render_csv
from routemap.routes.routeset import RouteSet

BIG = Quantity(1234567.0, "tonnes")
SMALL = Quantity(0.5, "t")
QUANTITIES = {"najin-dunai-tikhoretsk": BIG, "air-estimate": SMALL}
WRITTEN = {"najin-dunai-tikhoretsk": "1,234,567 tonnes", "air-estimate": "0.5 t"}
# What a renderer with its own format would write instead: %g, no separators, a stray decimal.
MISWRITTEN = re.compile(r"\d[eE][-+]?\d|1234567|1,234,567\.0|1,234,568|0\.50\b|\b1 t\b")
DATA_ISLAND = re.compile(r'<script type="application/json" id="[^"]+">(.*?)</script>', re.DOTALL)
K = f"{{{KML_NAMESPACE}}}"


@pytest.fixture(scope="module")
def routeset(shared_routeset: RouteSet) -> RouteSet:
    """The sample route set with 1,234,567 tonnes by sea and rail and 0.5 t by air."""
    scenario = shared_routeset.scenario
    transfers = tuple(dataclasses.replace(t, quantity=QUANTITIES[t.id]) for t in scenario.transfers)
    legs = shared_routeset.legs.copy()
    for transfer_id, quantity in QUANTITIES.items():
        rows = legs["transfer_id"] == transfer_id
        legs.loc[rows, "quantity_value"] = quantity.value
        legs.loc[rows, "quantity_unit"] = quantity.unit
    return dataclasses.replace(shared_routeset, legs=legs,
                               scenario=dataclasses.replace(scenario, transfers=transfers))


def _assert_written(texts: dict[str, str]) -> None:
    """Assert that each transfer's text says its quantity as wording writes it, and no other way."""
    assert set(texts) == set(WRITTEN)
    for transfer_id, text in texts.items():
        assert WRITTEN[transfer_id] in text, (transfer_id, text)
        assert not MISWRITTEN.search(text), (transfer_id, MISWRITTEN.search(text), text)


def test_wording_writes_the_two_quantities():
    assert {t: wording.quantity(q.value, q.unit) for t, q in QUANTITIES.items()} == WRITTEN


def _kml_data(mark: ET.Element, name: str) -> str | None:
    return mark.findtext(f"{K}ExtendedData/{K}Data[@name='{name}']/{K}value")


def test_kml_balloons(routeset):
    root = ET.fromstring(render_kml(routeset))
    texts: dict[str, str] = {}
    for mark in root.iter(f"{K}Placemark"):
        if _kml_data(mark, "feature_type") == "leg":
            transfer_id = _kml_data(mark, "transfer_id")
            texts[transfer_id] = texts.get(transfer_id, "") + mark.findtext(f"{K}description")
    _assert_written(texts)


def test_html_map_popups(routeset):
    from routemap.maps.web.html import render_html
    from routemap.maps.web.packing import unpack_map_data

    (island,) = DATA_ISLAND.findall(render_html(routeset).decode("utf-8"))
    texts: dict[str, str] = {}
    for leg in unpack_map_data(json.loads(island))["legs"]:
        rows = dict(leg["rows"])
        texts[leg["transfer"]] = texts.get(leg["transfer"], "") + " " + rows["Quantity"]
    _assert_written(texts)


def test_legs_csv_holds_the_same_number_as_data(routeset):
    """The CSV is data: the number and its unit in two cells, each leg's as exact as given,
    never in scientific notation; written in words, they are the words every product uses."""
    rows = list(csv.DictReader(io.StringIO(render_csv(routeset).decode("utf-8"), newline="")))
    assert len(rows) == 3
    for row in rows:
        quantity = QUANTITIES[row["transfer_id"]]
        assert float(row["quantity_value"]) == quantity.value
        assert row["quantity_unit"] == quantity.unit
        assert "e" not in row["quantity_value"].lower()
        assert wording.quantity(float(row["quantity_value"]), row["quantity_unit"]) == (
            WRITTEN[row["transfer_id"]])


def test_slides_draw_it(routeset):
    from matplotlib.text import Text

    from routemap.maps.slides.compose import compose_slides

    composed = compose_slides(routeset, size=(960, 540), dpi=72)
    texts = {}
    for transfer_id in WRITTEN:
        figure = composed[f"slides/{transfer_id}"].figure
        texts[transfer_id] = " ".join(t.get_text() for t in figure.findobj(Text))
    _assert_written(texts)


def test_deck_speaker_notes_say_it(routeset):
    from pptx import Presentation

    from routemap.maps.options import RenderOptions
    from routemap.maps.slides.deck import render_deck

    deck = Presentation(io.BytesIO(render_deck(routeset, RenderOptions(size=(960, 540), dpi=72), {})))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    texts = {}
    for transfer_id in WRITTEN:
        label = next(t.label for t in routeset.scenario.transfers if t.id == transfer_id)
        texts[transfer_id] = " ".join(n for n in notes if n.startswith(label))
    _assert_written(texts)


def test_slide_chains_mark_assumed_ends(sample_routeset):
    """The transfer badges' chains ('Rajin → Dunai → Tikhoretsk') mark an assumed end."""
    from routemap.maps.slides.spec import route_summary

    legs = sample_routeset.legs
    own = legs[legs["transfer_id"] == "najin-dunai-tikhoretsk"].copy()
    assert route_summary(own).startswith("Rajin \u2192 Dunai \u2192 Tikhoretsk \u00b7 sea, rail \u00b7 ")
    own["origin_assumed"] = [False, True]
    own["destination_assumed"] = [False, True]
    assert route_summary(own).startswith("Rajin \u2192 Dunai (assumed) \u2192 Tikhoretsk (assumed) \u00b7 sea, rail")


def test_slide_subtitle_keeps_the_qualifier_and_the_disagreement(sample_routeset):
    """Issue 13: 'more than 1,000 containers' was shown as '1,000 containers'."""
    from routemap.maps.slides.spec import transfer_specs

    legs = sample_routeset.legs.copy()
    legs["quantity_qualifier"] = ["more than", "more than", None]
    routeset = dataclasses.replace(sample_routeset, legs=legs)
    subtitle = transfer_specs(routeset)[0].subtitle
    assert "more than 300 containers" in subtitle
    legs["quantities_disagree"] = [True, True, False]
    legs["quantity_max"] = [900.0, 900.0, None]
    subtitle = transfer_specs(dataclasses.replace(sample_routeset, legs=legs))[0].subtitle
    assert "300\u2013900 containers, sources disagree" in subtitle
