"""Output languages: catalogs compiled from the package's .po files, CLDR dates, numbers and
country names through Babel, nothing read from the system locale."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.pofile import read_po

from routemap.maps.language import (
    DEFAULT_LANGUAGE,
    LanguageError,
    available_languages,
    catalog_files,
    load_language,
)

NNBSP = "\u202f"  # narrow no-break space, French's thousands separator in CLDR


def _messages(code: str):
    for path in catalog_files(code):
        with path.open("rb") as handle:
            yield from read_po(handle, locale=code)


def test_english_is_always_there_and_first():
    codes = available_languages()
    assert codes[0] == DEFAULT_LANGUAGE == "en"
    assert "fr" in codes


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "1 October 2025"),
    ("fr", "1er octobre 2025"),
])
def test_dates_in_full(code, expected):
    language = load_language(code)
    assert language.date(dt.date(2025, 10, 1)) == expected
    assert language.date(dt.date(2025, 10, 2)).startswith("2 ")  # "1er" is for the first only


def test_numbers_and_months_follow_the_language():
    en, fr = load_language("en"), load_language("fr")
    assert en.number(1000) == "1,000" and fr.number(1000) == f"1{NNBSP}000"
    assert en.number(2.5) == "2.5" and fr.number(2.5) == "2,5"
    assert fr.number(10038.8, decimals=1) == f"10{NNBSP}038,8"
    assert en.month(dt.date(2023, 10, 5)) == "Oct 2023"
    assert fr.month(dt.date(2023, 10, 5)) == "oct. 2023"


def test_country_names_come_from_cldr():
    assert load_language("fr").country("KP") == "Corée du Nord"
    assert load_language("en").country("ru") == "Russia"
    assert load_language("fr").country("XX") is None


def test_messages_and_plurals_by_the_catalog():
    en, fr = load_language("en"), load_language("fr")
    assert en.gettext("Confirmed") == "Confirmed" and fr.gettext("Confirmed") == "Confirmé"
    assert fr.ngettext("{count} transfer", "{count} transfers", 1).format(count=1) == "1 transfert"
    assert fr.ngettext("{count} transfer", "{count} transfers", 12).format(count=12) == "12 transferts"
    assert fr.gettext("no such message") == "no such message"


def test_an_unknown_language_names_the_ones_available():
    with pytest.raises(LanguageError) as info:
        load_language("xx")
    assert str(info.value) == "no output language 'xx': routemap writes " + ", ".join(available_languages())


@pytest.mark.parametrize("code", [c for c in available_languages() if c != DEFAULT_LANGUAGE])
def test_every_catalog_is_complete_and_keeps_its_placeholders(code):
    """An untranslated, fuzzy or placeholder-losing entry fails here, naming the message."""
    problems = []
    for message in _messages(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strs):
            problems.append(f"{ids[0]!r}: untranslated")
            continue
        wanted = {p for i in ids for p in _placeholders(i)}
        for s in strs:
            if _placeholders(s) != wanted:
                problems.append(f"{ids[0]!r}: placeholders {sorted(_placeholders(s))} != {sorted(wanted)}")
    assert problems == []


def _placeholders(text: str) -> set[str]:
    import string
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", [c for c in available_languages() if c != DEFAULT_LANGUAGE])
def test_each_message_has_one_home_among_a_languages_catalogs(code):
    homes: dict[str, list[str]] = {}
    for path in catalog_files(code):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=code):
                if message.id:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    homes.setdefault(key, []).append(path.name)
    assert {k: v for k, v in homes.items() if len(v) > 1} == {}
