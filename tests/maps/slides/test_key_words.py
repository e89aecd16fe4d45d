"""The short forms a slide writes in any language: place names in keys and last-resort labels,
mode words inside a sentence, and lines wrapped by how wide their characters are."""

from __future__ import annotations

import pytest

from routemap.maps.language import load_language
from routemap.maps.slides.furniture import wrap_to_width
from routemap.maps.slides.spec import key_name


@pytest.mark.parametrize(("code", "name", "expected"), [
    ("en", "Rajin (Najin) port", "Rajin"),
    ("en", "Mozdok ammunition depot", "Mozdok"),
    ("en", "Karachev 67th GRAU arsenal", "Karachev"),
    ("en", "Pyongyang Sunan airport", "Pyongyang Sunan"),  # not the city, 'Pyongyang'
    ("en", "Saint Petersburg", "Saint Petersburg"),  # never 'Saint'
    ("en", "Mineralnye Vody", "Mineralnye Vody"),
    ("fr", "Port de Rajin (Najin)", "Port de Rajin"),  # never 'Port'
    ("ru", "Порт Восточный (Врангель, Находка)", "Порт Восточный"),
    ("de", "Hafen Wostotschny (Wrangel, Nachodka)", "Hafen Wostotschny"),
    ("ko", "라진(나진)항", "라진항"),
])
def test_a_key_names_the_place_not_its_kind(code, name, expected):
    assert key_name(name, load_language(code)) == expected


@pytest.mark.parametrize(("code", "expected"), [("en", "sea"), ("fr", "mer"), ("de", "See"), ("ru", "море")])
def test_a_mode_inside_a_sentence_is_a_common_noun_of_its_language(code, expected):
    language = load_language(code)
    assert language.noun(language.gettext("Sea")) == expected


def test_wide_characters_wrap_at_their_width():
    text = "라진 → 보스토치니 (추정) → 예고를리크스카야 · 해상, 철도 · 2023년 10월"
    lines = wrap_to_width(text, 200.0, 10.0).split("\n")
    assert len(lines) == 3  # 0.56 em a character would have kept it on one or two lines
    assert " ".join(lines) == text
    for line in lines:
        ems = sum(1.0 if "\uac00" <= ch <= "\ud7a3" else 0.56 for ch in line)
        assert ems <= 20.0


def test_latin_text_wraps_as_before():
    assert wrap_to_width("Rajin → Dunai → Tikhoretsk · sea, rail · Aug 2023", 150.0, 10.0) == (
        "Rajin → Dunai → Tikhoretsk\n· sea, rail · Aug 2023")


def test_key_rows_are_never_lower_than_their_badges():
    """Short texts shrunk to the smallest size once let numbered badges overlap (Korean key)."""
    from routemap.maps.slides.furniture import fit_callout_list

    fit = fit_callout_list(["두만강역 → 하산역 · 철도 · 2022년 11월"] * 12, top=0.0, bottom=150.0, width=200.0,
                           scale=1.0, more=0)
    assert fit.size == 6.5 and 0 < fit.shown < 12
    assert min(fit.heights) >= 14.0  # a badge is 14 points across
