"""Output languages: catalogs compiled from the package's .po files, CLDR dates, numbers and
country names through Babel, nothing read from the system locale."""

from __future__ import annotations

import datetime as dt
import gettext
import io

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from routemap.maps.language import (
    DEFAULT_LANGUAGE,
    LanguageError,
    available_languages,
    catalog_files,
    load_language,
)

NNBSP = "\u202f"  # narrow no-break space, French's thousands separator in CLDR
NBSP = "\u00a0"  # no-break space, Russian's and Ukrainian's


def _messages(code: str):
    for path in catalog_files(code):
        with path.open("rb") as handle:
            yield from read_po(handle, locale=code)


def test_english_is_always_there_and_first():
    codes = available_languages()
    assert codes[0] == DEFAULT_LANGUAGE == "en"
    assert set(codes) >= {"de", "fr", "ko", "ru", "uk"}
    assert list(codes[1:]) == sorted(codes[1:])


@pytest.mark.parametrize(("code", "first", "second"), [
    ("en", "1 October 2025", "2 October 2025"),
    ("fr", "1er octobre 2025", "2 octobre 2025"),  # "1er" is for the first only
    ("de", "1. Oktober 2025", "2. Oktober 2025"),
    ("ru", f"1 октября 2025{NNBSP}г.", f"2 октября 2025{NNBSP}г."),  # the month's genitive
    ("uk", f"1 жовтня 2025{NNBSP}р.", f"2 жовтня 2025{NNBSP}р."),
    ("ko", "2025년 10월 1일", "2025년 10월 2일"),  # year, month, day
])
def test_dates_in_full(code, first, second):
    language = load_language(code)
    assert language.date(dt.date(2025, 10, 1)) == first
    assert language.date(dt.date(2025, 10, 2)) == second


@pytest.mark.parametrize(("code", "thousand", "half", "decimal"), [
    ("en", "1,000", "2.5", "10,038.8"),
    ("fr", f"1{NNBSP}000", "2,5", f"10{NNBSP}038,8"),
    ("de", "1.000", "2,5", "10.038,8"),
    ("ru", f"1{NBSP}000", "2,5", f"10{NBSP}038,8"),
    ("uk", f"1{NBSP}000", "2,5", f"10{NBSP}038,8"),
    ("ko", "1,000", "2.5", "10,038.8"),
])
def test_numbers_follow_the_language(code, thousand, half, decimal):
    language = load_language(code)
    assert language.number(1000) == thousand
    assert language.number(2.5) == half
    assert language.number(10038.8, decimals=1) == decimal


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "RUSI; Reuters; Yonhap"),
    ("de", "RUSI; Reuters; Yonhap"),
    ("fr", f"RUSI{NNBSP}; Reuters{NNBSP}; Yonhap"),  # a fine no-break space before ";"
])
def test_series_are_spaced_as_the_language_writes_them(code, expected):
    assert load_language(code).series(["RUSI", "Reuters", "Yonhap"]) == expected


@pytest.mark.parametrize(("code", "day", "expected"), [
    ("en", dt.date(2023, 10, 5), "Oct 2023"),
    ("fr", dt.date(2023, 10, 5), "oct. 2023"),
    ("de", dt.date(2023, 10, 5), "Okt. 2023"),
    ("ko", dt.date(2023, 9, 5), "2023년 9월"),  # the year first, as a Korean reader writes it
    ("ru", dt.date(2023, 5, 5), f"май 2023{NNBSP}г."),  # stand-alone, not the date's "мая"
    ("ru", dt.date(2023, 9, 5), f"сент. 2023{NNBSP}г."),
    ("uk", dt.date(2023, 5, 5), f"трав. 2023{NNBSP}р."),
])
def test_months_follow_the_language(code, day, expected):
    assert load_language(code).month(day) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "1,000–2,000 containers"),
    ("fr", f"1{NNBSP}000–2{NNBSP}000 containers"),
    ("de", "1.000–2.000 containers"),
    ("ru", f"1{NBSP}000–2{NBSP}000 containers"),
    ("ko", "1,000–2,000 containers"),
])
def test_a_range_of_containers_in_the_language(code, expected):
    """Numbers reach quantities through the Language (the unit is the scenario's own word)."""
    from routemap.maps.wording import quantity_claim

    assert quantity_claim(1000, "containers", high=2000, language=load_language(code)) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("fr", "Corée du Nord"), ("de", "Nordkorea"), ("ru", "КНДР"), ("uk", "Північна Корея"),
    ("ko", "북한"),
])
def test_country_names_come_from_cldr(code, expected):
    assert load_language(code).country("KP") == expected
    assert load_language("en").country("ru") == "Russia"
    assert load_language(code).country("XX") is None


def test_messages_and_plurals_by_the_catalog():
    en, fr = load_language("en"), load_language("fr")
    assert en.gettext("Confirmed") == "Confirmed" and fr.gettext("Confirmed") == "Confirmé"
    assert fr.ngettext("{count} transfer", "{count} transfers", 1).format(count=1) == "1 transfert"
    assert fr.ngettext("{count} transfer", "{count} transfers", 12).format(count=12) == "12 transferts"
    assert fr.gettext("no such message") == "no such message"


@pytest.mark.parametrize(("code", "counts", "expected"), [
    ("de", (1, 2, 21), ("1 Transfer", "2 Transfers", "21 Transfers")),
    ("ru", (1, 3, 5, 11, 21, 22, 25), ("1 переброска", "3 переброски", "5 перебросок",
                                       "11 перебросок", "21 переброска", "22 переброски",
                                       "25 перебросок")),
    ("uk", (1, 3, 5, 12, 21), ("1 переміщення", "3 переміщення", "5 переміщень", "12 переміщень",
                               "21 переміщення")),
    ("ko", (1, 5), ("수송 1건", "수송 5건")),
])
def test_plural_forms_by_the_languages_rules(code, counts, expected):
    language = load_language(code)
    written = tuple(language.ngettext("{count} transfer", "{count} transfers", n).format(count=n)
                    for n in counts)
    assert written == expected


@pytest.mark.parametrize(("code", "words"), [
    ("de", ("Bestätigt", "Gemeldet", "Behauptet", "Geschätzt")),
    ("ru", ("Подтверждено", "По сообщениям", "Заявлено", "Оценка")),
    ("uk", ("Підтверджено", "Повідомлено", "Заявлено", "Оцінка")),
    ("ko", ("확인", "보도", "주장", "추정")),
])
def test_the_four_confidence_levels(code, words):
    language = load_language(code)
    assert tuple(language.gettext(w) for w in ("Confirmed", "Reported", "Claimed", "Estimated")) == words


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


LANGUAGES = [c for c in available_languages() if c != DEFAULT_LANGUAGE]


def _plural_rule(path) -> tuple[int, gettext.GNUTranslations]:
    """Return a catalog's declared number of plural forms and its compiled translations."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    rule = dict(catalog.mime_headers)["Plural-Forms"]  # "nplurals=3; plural=(...);"
    declared = int(rule.split("nplurals=")[1].split(";")[0])
    return declared, gettext.GNUTranslations(buffer)


@pytest.mark.parametrize("code", LANGUAGES)
def test_plural_entries_have_the_forms_the_header_declares(code):
    """Each plural entry has as many forms as its catalog's ``Plural-Forms`` header says."""
    problems = []
    for path in catalog_files(code):
        declared, _ = _plural_rule(path)
        with path.open("rb") as handle:
            for message in read_po(handle, locale=code):
                if isinstance(message.id, tuple) and len(message.string) != declared:
                    problems.append(f"{path.name}: {message.id[0]!r} has {len(message.string)} "
                                    f"forms, the header says {declared}")
    assert problems == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_plural_rule_of_every_catalog_agrees_with_cldr(code):
    """The header's rule sorts whole counts as CLDR does: the web map sends a counted message
    by CLDR category (``one``, ``few``, ``many``), and the browser picks by the same rules."""
    cldr = load_language(code).locale.plural_form
    for path in catalog_files(code):
        declared, translations = _plural_rule(path)
        pairs = {(translations.plural(n), cldr(n)) for n in range(300)}
        by_form: dict[int, set[str]] = {}
        for form, category in pairs:
            by_form.setdefault(form, set()).add(category)
        assert all(len(c) == 1 for c in by_form.values()), f"{path.name}: {by_form}"
        assert len(by_form) == declared, f"{path.name}: forms used {sorted(by_form)}"


@pytest.mark.parametrize("code", [c for c in LANGUAGES if c != "fr"])
def test_every_language_has_the_french_messages_in_the_same_catalogs(code):
    """French is the reference: a message removed, moved or added there shows here for the others."""
    def ids(language: str) -> dict[str, set[str]]:
        out = {}
        for path in catalog_files(language):
            with path.open("rb") as handle:
                out[path.name] = {m.id if isinstance(m.id, str) else m.id[0]
                                  for m in read_po(handle, locale=language) if m.id}
        return out

    reference, other = ids("fr"), ids(code)
    assert sorted(other) == sorted(reference)
    assert {name: sorted(reference[name] ^ other[name]) for name in reference
            if reference[name] != other[name]} == {}
