"""Tests for routemap.maps.wording: one written form per number, quantity, date, period and
confidence."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from routemap.geo.model import Period, Quantity
from routemap.maps import wording


@pytest.mark.parametrize(("value", "expected"), [
    (1234567, "1,234,567"),
    (1234567.0, "1,234,567"),
    (0.5, "0.5"),
    (12.25, "12.25"),
    (1234.5, "1,234.5"),
    (1234567.5, "1,234,567.5"),
    (-1234.5, "-1,234.5"),
    (0, "0"),
    (-0.0, "0"),
    (1e16, "10,000,000,000,000,000"),
    (1e-7, "0.0000001"),
    (0.1 + 0.2, "0.30000000000000004"),
    (np.float64(2000.0), "2,000"),
    (np.int64(300), "300"),
    (np.float32(0.5), "0.5"),
])
def test_number_keeps_its_digits_with_separators_and_no_exponent(value, expected):
    assert wording.number(value) == expected


@pytest.mark.parametrize(("value", "options", "expected"), [
    (1234.56, {"decimals": 1}, "1,234.6"),
    (1234.04, {"decimals": 1}, "1,234"),
    (1234.5, {"decimals": 0}, "1,234"),  # half to even
    (1235.5, {"decimals": 0}, "1,236"),
    (0.125, {"decimals": 2}, "0.12"),
    (1234567.0, {"grouping": False}, "1234567"),
    (1e16, {"grouping": False}, "10000000000000000"),
    (1234.5, {"grouping": False}, "1234.5"),
])
def test_number_rounds_and_groups_as_told(value, options, expected):
    assert wording.number(value, **options) == expected


@pytest.mark.parametrize("missing", [None, math.nan, math.inf, -math.inf, np.nan, pd.NA,
                                     "12", True, [1]])
def test_number_of_a_missing_or_non_number_is_none(missing):
    assert wording.number(missing) is None
    assert wording.quantity(missing, "t") is None
    assert wording.distance(missing) is None


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (1234567, "tonnes", "1,234,567 tonnes"),
    (1234567.0, "tonnes", "1,234,567 tonnes"),
    (0.5, "t", "0.5 t"),
    (300.0, "containers", "300 containers"),
    (2.0, "Koksan guns", "2 Koksan guns"),
    (12.5, None, "12.5"),
    (12.5, "", "12.5"),
    (12.5, math.nan, "12.5"),
])
def test_quantity_writes_the_number_then_the_unit_as_given(value, unit, expected):
    assert wording.quantity(value, unit) == expected


@pytest.mark.parametrize(("km", "options", "expected"), [
    (1234.4, {}, "1,234 km"),
    (1234.56, {"decimals": 1}, "1,234.6 km"),
    (41.0, {"decimals": 1}, "41 km"),
    (1852.0, {"nautical": True}, "1,852 km (1,000 nmi)"),
    (0.4, {"nautical": True}, "0 km (0 nmi)"),
])
def test_distance_in_kilometres_and_nautical_miles(km, options, expected):
    assert wording.distance(km, **options) == expected


@pytest.mark.parametrize(("km", "expected"), [
    (10.0, "\u00b1 10 km"),
    (2.5, "\u00b1 2.5 km"),
    (1500, "\u00b1 1,500 km"),
    (0.0, None),
    (None, None),
    (math.nan, None),
])
def test_uncertainty_is_a_plus_or_minus_distance(km, expected):
    assert wording.uncertainty(km) == expected


@pytest.mark.parametrize(("value", "form", "expected"), [
    (dt.date(2023, 9, 7), "medium", "7 Sep 2023"),
    (dt.date(2025, 10, 1), "long", "1 October 2025"),
    ("2023-09-07", "medium", "7 Sep 2023"),
    ("2023-09-07T12:00:00", "medium", "7 Sep 2023"),
    (dt.datetime(2023, 12, 31, 23, 59), "medium", "31 Dec 2023"),
    (pd.Timestamp("2024-05-01"), "long", "1 May 2024"),
    (None, "medium", None),
    ("", "medium", None),
    (math.nan, "medium", None),
])
def test_day_writes_day_month_year(value, form, expected):
    assert wording.day(value, form=form) == expected


def test_day_rejects_text_that_is_not_an_iso_date():
    with pytest.raises(ValueError):
        wording.day("7 September")


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2023-09-07", "2023-09-07", "7 Sep 2023"),
    ("2023-09-07", "2023-09-21", "7\u201321 Sep 2023"),
    ("2023-09-07", "2023-10-01", "7 Sep \u2013 1 Oct 2023"),
    ("2023-09-07", "2024-10-01", "7 Sep 2023 \u2013 1 Oct 2024"),
    (dt.date(2023, 9, 7), dt.date(2023, 10, 1), "7 Sep \u2013 1 Oct 2023"),
    ("2023-09-07", None, "from 7 Sep 2023"),
    (None, "2023-10-01", "until 1 Oct 2023"),
    (None, None, None),
    (math.nan, math.nan, None),
])
def test_period_says_shared_months_and_years_once(start, end, expected):
    assert wording.period(start, end) == expected


def test_period_in_long_form():
    assert wording.period("2023-09-07", "2023-10-01", form="long") == (
        "7 September \u2013 1 October 2023")


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2025, 10, 1), "As of 1 October 2025"),
    ("2025-10-01", "As of 1 October 2025"),
    (None, None),
])
def test_as_of(value, expected):
    assert wording.as_of(value) == expected


@pytest.mark.parametrize(("key", "explain", "expected"), [
    ("reported", False, "Reported"),
    ("reported", True, "Reported: one credible source"),
    ("confirmed", True, "Confirmed: two or more independent sources, or imagery"),
    ("rumoured", False, "rumoured"),
    ("rumoured", True, "rumoured"),
    (None, True, None),
    ("", False, None),
])
def test_confidence_by_label_and_meaning(key, explain, expected):
    assert wording.confidence(key, explain=explain) == expected


def test_months_do_not_follow_the_machine_locale():
    assert wording.month("2023-09-05") == "Sep 2023"
    assert wording.day("2023-09-05", form="long") == "5 September 2023"


# --- quantities as claims, leg chains, path certainty ---------------------------------------


@pytest.mark.parametrize(("value", "kwargs", "expected"), [
    (1000, {"unit": "containers", "qualifier": "more than"}, "more than 1,000 containers"),
    (9_000_000, {"unit": "rounds", "qualifier": "about"}, "about 9,000,000 rounds"),
    (10000, {"unit": "containers", "high": 20000}, "10,000\u201320,000 containers"),
    (10000, {"unit": "containers", "high": 10000}, "10,000 containers"),  # a range of one value
    (100, {"unit": "ballistic missiles", "qualifier": "at least"}, "at least 100 ballistic missiles"),
    (20, {"unit": "trains", "qualifier": "up to", "high": 30}, "up to 20\u201330 trains"),
    (2000, {"unit": "containers", "basis": "one voyage"}, "2,000 containers (one voyage)"),
    (2000, {"unit": "containers", "basis": "one voyage", "window_start": "2023-09-07",
            "window_end": "2023-09-20"}, "2,000 containers (one voyage, 7\u201320 Sep 2023)"),
    (9_000_000, {"unit": "rounds", "window_start": dt.date(2024, 1, 1), "window_end": dt.date(2024, 12, 31)},
     "9,000,000 rounds (1 Jan \u2013 31 Dec 2024)"),
    (300, {}, "300"),
    (None, {"unit": "containers", "qualifier": "about"}, None),
    (float("nan"), {"unit": "containers"}, None),
])
def test_quantity_claim_is_written_faithfully(value, kwargs, expected):
    assert wording.quantity_claim(value, **kwargs) == expected


PUBLISHERS = {"rusi": "RUSI", "mnd": "South Korea's defence ministry"}


@pytest.mark.parametrize(("claims", "expected"), [
    ((), None),
    ((Quantity(1000, "containers", "more than"),), "more than 1,000 containers"),
    ((Quantity(10000, "containers", basis="whole flow", source="rusi"),
      Quantity(20000, "containers", basis="whole flow", source="mnd")),
     "10,000\u201320,000 containers, sources disagree: 10,000 (whole flow) per RUSI; "
     "20,000 (whole flow) per South Korea's defence ministry"),
    ((Quantity(20000, "containers", "up to", source="mnd"), Quantity(6000, "containers", max=10000, source="x")),
     "6,000\u201320,000 containers, sources disagree: up to 20,000 per South Korea's defence ministry; "
     "6,000\u201310,000 per x"),
    ((Quantity(2000, "containers", source="rusi"), Quantity(30000, "tonnes", source="mnd")),
     "sources disagree: 2,000 containers per RUSI; 30,000 tonnes per South Korea's defence ministry"),
    # the same figure twice is no disagreement
    ((Quantity(300, "containers", source="rusi"), Quantity(300, "containers", source="mnd")), "300 containers"),
])
def test_quantity_claims_never_pick_one_silently(claims, expected):
    assert wording.quantity_claims(claims, publishers=PUBLISHERS) == expected


@pytest.mark.parametrize(("legs", "expected"), [
    ([], ""),
    ([("Rajin", "Vostochny", False, False), ("Vostochny", "Yegorlykskaya", False, True)],
     "Rajin \u2192 Vostochny \u2192 Yegorlykskaya (assumed)"),
    ([("Vostochny", "Mozdok", True, False)], "Vostochny (assumed) \u2192 Mozdok"),
    # a shared place is assumed when either leg says so
    ([("Rajin", "Dunai", False, True), ("Dunai", "Tikhoretsk", False, False)],
     "Rajin \u2192 Dunai (assumed) \u2192 Tikhoretsk"),
    ([("Rajin", "Dunai", False, False), ("Dunai", "Tikhoretsk", True, False)],
     "Rajin \u2192 Dunai (assumed) \u2192 Tikhoretsk"),
    # missing flags (NaN, None, numpy booleans from a frame) read as not assumed / assumed
    ([("A", "B", float("nan"), None), ("B", "C", np.False_, np.True_)], "A \u2192 B \u2192 C (assumed)"),
    ([("Tumangang", "Tumangang", False, True)], "Tumangang (assumed)"),
])
def test_leg_chain_marks_assumed_ends(legs, expected):
    assert wording.leg_chain(legs) == expected


def test_path_confidence_words():
    assert wording.path_confidence("reported") == "Line reported"
    assert wording.path_confidence("estimated", explain=True).startswith("Line estimated: modelled")
    assert wording.path_confidence(None) is None and wording.path_confidence("odd") == "odd"


@pytest.mark.parametrize(("claims", "expected"), [
    ((Quantity(1000, "containers", "more than", basis="whole flow",
               window=Period(dt.date(2023, 9, 7), dt.date(2023, 10, 13))),), "more than 1,000 containers"),
    ((Quantity(10000, "containers", "more than", source="rusi"), Quantity(20000, "containers", source="mnd")),
     "10,000\u201320,000 containers, sources disagree"),
    ((Quantity(2000, "containers", source="rusi"), Quantity(30000, "tonnes", "about", source="mnd")),
     "sources disagree: 2,000 containers; about 30,000 tonnes"),
])
def test_quantity_claims_short_form_for_titles(claims, expected):
    assert wording.quantity_claims(claims, publishers=PUBLISHERS, short=True) == expected


@pytest.mark.parametrize(("props", "expected"), [
    ({}, None),
    ({"quantity_value": 1000.0, "quantity_unit": "containers", "quantity_qualifier": "more than",
      "quantity_max": float("nan"), "quantities_disagree": False}, "more than 1,000 containers"),
    ({"quantity_value": 10000.0, "quantity_unit": "containers", "quantity_max": 20000.0,
      "quantities_disagree": True}, "10,000\u201320,000 containers, sources disagree"),
    ({"quantity_value": None, "quantity_unit": None, "quantities_disagree": True},
     "sources disagree on the quantity"),
    ({"quantity_value": 300, "quantity_unit": "containers", "quantities_disagree": float("nan")},
     "300 containers"),
])
def test_quantity_summary_of_a_record(props, expected):
    assert wording.quantity_summary(props) == expected


@pytest.mark.parametrize(("text", "when", "expected"), [
    # the bundled callout 10: its text opens with the date the bracket repeated
    ("US State Department (23 Feb 2024): more than 10,000 containers", "23 Feb 2024",
     "US State Department (23 Feb 2024): more than 10,000 containers"),
    # the same days typed with a hyphen, and French thin spaces around the period's dash
    ("Karachev's 67th arsenal was struck on 8-9 Oct 2024.", "8\u20139 Oct 2024",
     "Karachev's 67th arsenal was struck on 8-9 Oct 2024."),
    ("Escales du 7 mars - 5 nov. 2024.", "7 mars\u2009\u2013\u20095 nov. 2024", "Escales du 7 mars - 5 nov. 2024."),
    # the date said in other words, or only part of it: the bracket stays
    ("Struck on the night of 20-21 Sep.", "20\u201321 Sep 2024", "Struck on the night of 20-21 Sep. (20\u201321 Sep 2024)"),
    ("Loaded at Rason on 12 Mar 2024.", "12\u201314 Mar 2024", "Loaded at Rason on 12 Mar 2024. (12\u201314 Mar 2024)"),
    ("An undated note.", None, "An undated note."),
    ("An undated note.", "", "An undated note."),
])
def test_dated_text_says_a_date_once(text, when, expected):
    assert wording.dated_text(text, when) == expected


def test_slide_keys_and_deck_notes_say_a_note_s_date_once(shared_routeset):
    """The slides' keys and the deck's notes write a dated note through wording.dated_text:
    a note whose text opens with its date is not followed by it again, and one that does not
    state it keeps the bracket."""
    import dataclasses

    from routemap.maps.slides.deck import deck_notes
    from routemap.maps.slides.plan import callout_text, slide_specs

    spec = next(s for s in slide_specs(shared_routeset) if s.callouts)
    first = spec.callouts[0]
    said = dataclasses.replace(first, kind="annotation", period="23 Feb 2024",
                               text="State Department (23 Feb 2024): more than 10,000 containers")
    unsaid = dataclasses.replace(said, number=first.number + 1, text="More than 10,000 containers")
    spec = dataclasses.replace(spec, callouts=(said, unsaid))
    assert callout_text({}, said) == said.text
    assert callout_text({}, unsaid) == "More than 10,000 containers (23 Feb 2024)"
    notes = deck_notes(spec).splitlines()
    assert f"{said.number}. {said.text}" in notes
    assert f"{unsaid.number}. More than 10,000 containers (23 Feb 2024)" in notes
