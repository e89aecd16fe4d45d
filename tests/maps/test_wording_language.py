"""routemap.maps.wording in an output language: French numbers, quantities, dates, periods,
distances and confidences, and English unchanged whether or not its Language is given."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.geo.model import Period, Quantity
from routemap.maps import wording
from routemap.maps.language import load_language

FR = load_language("fr")
EN = load_language("en")
NNBSP = "\u202f"  # narrow no-break space: CLDR's French thousands separator
NBSP = "\u00a0"  # no-break space: before a French colon
THIN = "\u2009"  # thin space: around the dash of a CLDR interval across months


@pytest.mark.parametrize(("value", "options", "expected"), [
    (1000, {}, f"1{NNBSP}000"),
    (1234567.5, {}, f"1{NNBSP}234{NNBSP}567,5"),
    (0.5, {}, "0,5"),
    (-1234.5, {}, f"-1{NNBSP}234,5"),
    (1e16, {}, NNBSP.join(["10", *["000"] * 5])),
    (0.1 + 0.2, {}, "0,30000000000000004"),  # every digit kept, as in English
    (1234.56, {"decimals": 1}, f"1{NNBSP}234,6"),
    (1234.5, {"decimals": 0}, f"1{NNBSP}234"),  # half to even, as in English
    (1234.5, {"grouping": False}, "1234,5"),
])
def test_french_numbers(value, options, expected):
    assert wording.number(value, language=FR, **options) == expected


@pytest.mark.parametrize(("claim", "expected"), [
    ({"value": 1000, "unit": "conteneurs", "qualifier": "more than"}, f"plus de 1{NNBSP}000 conteneurs"),
    ({"value": 2000, "unit": "conteneurs", "qualifier": "about"}, f"environ 2{NNBSP}000 conteneurs"),
    ({"value": 5, "unit": "t", "qualifier": "at least"}, "au moins 5 t"),
    ({"value": 8, "unit": "wagons", "qualifier": "up to"}, "jusqu'à 8 wagons"),
    ({"value": 10000, "high": 20000, "unit": "conteneurs"}, f"10{NNBSP}000–20{NNBSP}000 conteneurs"),
    ({"value": 2000, "unit": "conteneurs", "qualifier": "about", "basis": "un voyage",
      "window_start": "2023-09-07", "window_end": "2023-09-20"},
     f"environ 2{NNBSP}000 conteneurs (un voyage, 7–20 sept. 2023)"),
])
def test_french_quantity_claims_keep_the_scenario_unit(claim, expected):
    assert wording.quantity_claim(language=FR, **claim) == expected


def test_french_disagreeing_sources():
    claims = [Quantity(10000, "conteneurs", source="rusi"), Quantity(20000, "conteneurs", source="reuters")]
    publishers = {"rusi": "RUSI", "reuters": "Reuters"}
    assert wording.quantity_claims(claims, publishers=publishers, short=True, language=FR) == (
        f"10{NNBSP}000–20{NNBSP}000 conteneurs, les sources divergent")
    assert wording.quantity_claims(claims, publishers=publishers, language=FR) == (
        f"10{NNBSP}000–20{NNBSP}000 conteneurs, les sources divergent{NBSP}: "
        f"10{NNBSP}000 selon RUSI{NNBSP}; 20{NNBSP}000 selon Reuters")
    mixed = [Quantity(1000, "conteneurs", source="rusi"), Quantity(9, "trains", source="reuters")]
    assert wording.quantity_claims(mixed, publishers=publishers, short=True, language=FR) == (
        f"les sources divergent{NBSP}: 1{NNBSP}000 conteneurs{NNBSP}; 9 trains")
    assert wording.quantity_summary({"quantities_disagree": True}, language=FR) == (
        "les sources divergent sur la quantité")


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2023-10-05", "2023-10-31", "5–31 oct. 2023"),
    ("2023-09-07", "2023-10-01", f"7 sept.{THIN}–{THIN}1er oct. 2023"),
    ("2023-10-01", "2023-10-05", "1er–5 oct. 2023"),
    ("2023-10-11", "2023-10-21", "11–21 oct. 2023"),
    ("2023-12-30", "2024-01-02", f"30 déc. 2023{THIN}–{THIN}2 janv. 2024"),
    ("2023-10-01", "2023-10-01", "1er oct. 2023"),
    ("2023-09-07", None, "à partir du 7 sept. 2023"),
    (None, "2023-10-01", "jusqu'au 1er oct. 2023"),
    (None, None, None),
])
def test_french_periods_follow_cldr_intervals(start, end, expected):
    assert wording.period(start, end, language=FR) == expected


def test_french_dates_months_and_as_of():
    assert wording.day("2025-10-01", form="long", language=FR) == "1er octobre 2025"
    assert wording.day("2025-10-21", form="long", language=FR) == "21 octobre 2025"
    assert wording.day(dt.date(2023, 9, 7), language=FR) == "7 sept. 2023"
    assert wording.as_of("2025-10-01", language=FR) == "Au 1er octobre 2025"
    assert wording.month("2023-09-05", language=FR) == "sept. 2023"
    assert wording.month("2023-09-05") == "Sep 2023"
    assert wording.month(None, language=FR) is None


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.mark.parametrize("month", range(1, 13))
def test_english_months_are_one_form_everywhere(month):
    """Language.month, wording.month and the medium date agree: "Sep", never en_GB's "Sept"."""
    first = dt.date(2023, month, 1)
    written = wording.month(first)
    assert written == EN.month(first) == wording.day(first).split(" ", 1)[1]
    assert written == f"{ENGLISH_MONTHS[month - 1]} 2023"
    assert len(written.split()[0]) == 3


@pytest.mark.parametrize(("km", "options", "expected"), [
    (1234.4, {}, f"1{NNBSP}234 km"),
    (1234.4, {"nautical": True}, f"1{NNBSP}234 km (667 milles marins)"),
    (2.0, {"nautical": True}, "2 km (1 mille marin)"),
    (0.5, {"nautical": True}, "0 km (0 mille marin)"),
])
def test_french_distances(km, options, expected):
    assert wording.distance(km, language=FR, **options) == expected


def test_french_confidence_assumed_and_off_network():
    assert [wording.confidence(k, language=FR) for k in ("confirmed", "reported", "claimed", "estimated")] == [
        "Confirmé", "Signalé", "Revendiqué", "Estimé"]
    assert wording.confidence("reported", explain=True, language=FR) == f"Signalé{NBSP}: une source crédible"
    assert wording.path_confidence("estimated", language=FR) == "Tracé estimé"
    assert wording.confidence("rumoured", language=FR) == "rumoured"  # an unknown key as given
    assert wording.off_network(41.12, language=FR) == f"41,1 km{NBSP}: raccord en ligne droite, pas une voie"
    assert wording.uncertainty(2.5, language=FR) == "± 2,5 km"
    assert wording.place_name("Dounaï", True, language=FR) == "Dounaï (supposé)"
    assert wording.assumed_ends(True, False, language=FR) == (
        "Origine supposée (déduction de l'analyste, non d'une source)")
    assert wording.leg_chain([("Rajin", "Vostochny", False, True), ("Vostochny", "Tikhoretsk", False, False)],
                             language=FR) == "Rajin → Vostochny (supposé) → Tikhoretsk"


CALLS = [
    ("number", (1234567.5,), {}),
    ("quantity", (0.5, "t"), {}),
    ("quantity_claim", (1000, "containers"), {"qualifier": "more than", "basis": "one voyage",
                                              "window_start": "2023-09-07", "window_end": "2023-10-01"}),
    ("quantity_claims", ([Quantity(10000, "containers", source="a"), Quantity(20000, "containers")],),
     {"publishers": {"a": "RUSI"}}),
    ("quantity_summary", ({"quantity_value": 5, "quantity_unit": "t", "quantities_disagree": True},), {}),
    ("distance", (1234.4,), {"nautical": True}),
    ("off_network", (41.12,), {}),
    ("uncertainty", (2.5,), {}),
    ("day", ("2025-10-01",), {"form": "long"}),
    ("period", ("2023-09-07", "2024-10-01"), {}),
    ("period", (None, "2023-10-01"), {}),
    ("as_of", ("2025-10-01",), {}),
    ("confidence", ("reported",), {"explain": True}),
    ("path_confidence", ("estimated",), {"explain": True}),
    ("assumed_ends", (True, True), {}),
]


@pytest.mark.parametrize(("name", "args", "options"), CALLS)
def test_english_is_the_same_with_or_without_its_language(name, args, options):
    function = getattr(wording, name)
    assert function(*args, language=EN, **options) == function(*args, **options)
    assert function(*args, language=FR, **options) != function(*args, **options)


def test_a_window_period_is_written_in_the_language():
    claim = Quantity(2000, "conteneurs", qualifier="about", basis="un voyage",
                     window=Period(dt.date(2023, 9, 7), dt.date(2023, 9, 20)))
    assert wording.quantity_claims([claim], language=FR) == (
        f"environ 2{NNBSP}000 conteneurs (un voyage, 7–20 sept. 2023)")


def test_the_width_legend_is_written_in_the_language():
    """The line-width legend (style.width_legend) is shared furniture: its words and numbers
    follow the language like wording's (the units stay the scenario's)."""
    from routemap.maps.style import LegQuantity, quantity_label, width_legend, width_scale

    legs = [LegQuantity("a", "rail", 2000.0, "conteneurs"), LegQuantity("b", "sea", 500.0, "conteneurs"),
            LegQuantity("c", "air", 3.0, "avions")]
    scale = width_scale(legs)
    french = [text for _, text in width_legend(scale, legs, language=FR).rows]
    assert french == [f"2{NNBSP}000 conteneurs", "500 conteneurs",
                      f"Autre unité (avions){NBSP}: épaisseur de base{NNBSP}; voir fiches et notes"]
    assert [text for _, text in width_legend(scale, legs, language=EN).rows] == [
        text for _, text in width_legend(scale, legs).rows] == [
        "2,000 containers".replace("containers", "conteneurs"), "500 conteneurs",
        "Other unit (avions): base width; see popups/notes"]
    disputed = [LegQuantity("a", "rail", 2000.0, "conteneurs", disagree=True)]
    (row,) = width_legend(width_scale(disputed), disputed, language=FR).rows
    assert row[1] == f"Épaisseur non proportionnelle{NBSP}: les sources divergent sur un décompte"
    assert quantity_label(0.5, "t", language=FR) == "0,5 t"
