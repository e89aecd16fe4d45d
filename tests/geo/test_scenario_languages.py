"""Scenario text in several languages: the `language` key, texts as mappings by language,
place `names`, and the localized views of a scenario."""

from __future__ import annotations

import re

import pytest

from routemap.errors import ScenarioError
from routemap.geo.gazetteer import Gazetteer, Layer, curated_path, load_gazetteer, read_curated
from routemap.geo.languages import (
    builtin_notes_missing,
    localize,
    missing_names,
    missing_translations,
    text_keys,
)
from routemap.geo.model import FrozenMap, Place
from routemap.geo.scenario import parse_scenario

MULTI = """\
version: 1
language: en
title: {en: Reported ammunition transfers, fr: Transferts de munitions signalés}
subtitle: DPRK to Russia
sources:
  - id: wh
    title: Press briefing
    publisher: The White House
places:
  - id: dunai
    name: Dunai naval port
    names: {fr: Port militaire de Dounaï, ru: Дунай}
    kind: port
    country: RU
    lat: 42.880
    lon: 132.338
    note: {en: Stand-in for the pier, fr: Position approchée du quai}
transfers:
  - id: by-sea
    label:
      en: Containers by sea to Dunai
      fr: Conteneurs par mer vers Dounaï
    cargo: {en: artillery ammunition, ko: 포탄}
    note: One voyage
    confidence: confirmed
    sources: [wh]
    legs:
      - {mode: sea, from: KPNJN, to: dunai, note: {en: Imagery of the pier, fr: Imagerie du quai}}
      - {mode: rail, from: dunai, to: Tikhoretsk, note: Estimated line}
annotations:
  - id: pier
    text: {en: About 300 containers at the pier, fr: Environ 300 conteneurs au quai}
    at: dunai
    confidence: confirmed
    sources: [wh]
"""


def _load(text: str, gazetteer):
    return parse_scenario(text.encode("utf-8"), "my.yaml", gazetteer=gazetteer)


def _messages(text: str, gazetteer) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        _load(text, gazetteer)
    return info.value.messages()


def test_plain_fields_hold_the_scenarios_language_and_mappings_the_rest(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    assert s.language == "en"
    assert s.title == "Reported ammunition transfers"
    assert s.transfers[0].label == "Containers by sea to Dunai"
    assert s.transfers[0].legs[0].note == "Imagery of the pier"
    assert s.translations["title"] == {"en": "Reported ammunition transfers",
                                       "fr": "Transferts de munitions signalés"}
    assert s.translations["transfers.by-sea.legs.0.note"]["fr"] == "Imagerie du quai"
    assert s.translations["transfers.by-sea.cargo"]["ko"] == "포탄"
    assert s.translations["places.dunai.note"]["fr"] == "Position approchée du quai"
    assert "subtitle" not in s.translations  # a plain string is in the scenario's language
    dunai = next(p for p in s.places if p.id == "dunai")
    assert dunai.names == {"fr": "Port militaire de Dounaï", "ru": "Дунай"}
    assert s.languages == ("en", "fr", "ko", "ru")


def test_a_scenario_built_twice_is_equal_and_hashable(small_gazetteer):
    a, b = _load(MULTI, small_gazetteer), _load(MULTI, small_gazetteer)
    assert a == b
    assert hash(a) == hash(b)


def test_the_scenarios_language_is_the_one_its_plain_strings_are_in(small_gazetteer):
    text = MULTI.replace("language: en", "language: fr").replace(
        "title: {en: Reported ammunition transfers, fr: Transferts de munitions signalés}",
        "title: Transferts de munitions signalés").replace(
        "{en: artillery ammunition, ko: 포탄}", "{fr: obus, en: artillery ammunition}")
    text = text.replace("subtitle: DPRK to Russia", "subtitle: De la Corée du Nord à la Russie")
    s = _load(text, small_gazetteer)
    assert s.language == "fr"
    assert s.title == "Transferts de munitions signalés"
    assert s.transfers[0].label == "Conteneurs par mer vers Dounaï"
    assert s.transfers[0].cargo == "obus"


def test_without_language_the_scenario_is_english(small_gazetteer):
    s = _load(MULTI.replace("language: en\n", ""), small_gazetteer)
    assert s.language == "en"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("language: en", "language: english",
     "error: my.yaml:2: language: 'english' is not a language code (a CLDR language such as en, fr, ko, uk, ru, de)"),
    ("language: en", "language: xx",
     "error: my.yaml:2: language: 'xx' is not a language code (a CLDR language such as en, fr, ko, uk, ru, de)"),
    ("language: en", "language: fr",
     "error: my.yaml:23: transfers[0].cargo: no text in the scenario's language 'fr' (give 'fr:' or set language)"),
    ("    label:\n      en: Containers by sea to Dunai\n",
     "    label:\n      de: Container auf dem Seeweg\n",
     "error: my.yaml:21: transfers[0].label: no text in the scenario's language 'en' (give 'en:' or set language)"),
    ("{en: artillery ammunition, ko: 포탄}", "{en: artillery ammunition, korean: 포탄}",
     "error: my.yaml:23: transfers[0].cargo.korean: 'korean' is not a language code (a CLDR language such as en, fr, ko, uk, ru, de)"),
    ("{en: artillery ammunition, ko: 포탄}", "{en: artillery ammunition, ko: ''}",
     "error: my.yaml:23: transfers[0].cargo.ko: expected text, found an empty string"),
    ("{en: artillery ammunition, ko: 포탄}", "{en: [artillery], ko: 포탄}",
     "error: my.yaml:23: transfers[0].cargo.en: expected text, found a list"),
    ("{en: artillery ammunition, ko: 포탄}", "{}",
     "error: my.yaml:23: transfers[0].cargo: no text in the scenario's language 'en' (give 'en:' or set language)"),
    ("note: {en: Imagery of the pier, fr: Imagerie du quai}", "note: {fr: Imagerie du quai}",
     "error: my.yaml:28: transfers[0].legs[0].note: no text in the scenario's language 'en' (give 'en:' or set language)"),
    ("text: {en: About 300 containers at the pier, fr: Environ 300 conteneurs au quai}",
     "text: {fr: Environ 300 conteneurs au quai}",
     "error: my.yaml:32: annotations[0].text: no text in the scenario's language 'en' (give 'en:' or set language)"),
    ("note: {en: Stand-in for the pier, fr: Position approchée du quai}",
     "note: {fr: Position approchée du quai}",
     "error: my.yaml:17: places[0].note: no text in the scenario's language 'en' (give 'en:' or set language)"),
    ("names: {fr: Port militaire de Dounaï, ru: Дунай}", "names: Дунай",
     "error: my.yaml:12: places[0].names: expected a mapping of language code to name (e.g. "
     "{ko: 라진, ru: Раджин}), found 'Дунай'"),
    ("names: {fr: Port militaire de Dounaï, ru: Дунай}", "names: {fr: Dounaï, Russian: Дунай}",
     "error: my.yaml:12: places[0].names.Russian: 'Russian' is not a language code (a CLDR language such as en, fr, ko, uk, ru, de)"),
    ("names: {fr: Port militaire de Dounaï, ru: Дунай}", "names: {fr: Dounaï, ru: null}",
     "error: my.yaml:12: places[0].names.ru: expected text, found nothing (null)"),
])
def test_language_errors_give_exact_messages(small_gazetteer, old, new, expected):
    assert old in MULTI
    assert _messages(MULTI.replace(old, new), small_gazetteer) == [expected]


def test_localize_writes_every_text_in_the_language_and_falls_back(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    fr = localize(s, "fr")
    assert fr.language == "fr"
    assert fr.title == "Transferts de munitions signalés"
    assert fr.subtitle == "DPRK to Russia"  # no French given: the scenario's language
    transfer = fr.transfers[0]
    assert transfer.label == "Conteneurs par mer vers Dounaï"
    assert transfer.cargo == "artillery ammunition"
    assert transfer.note == "One voyage"
    assert [leg.note for leg in transfer.legs] == ["Imagerie du quai", "Estimated line"]
    assert transfer.legs[0].destination.name == "Port militaire de Dounaï"
    assert transfer.legs[1].origin.name == "Port militaire de Dounaï"
    assert transfer.legs[0].origin.name == s.transfers[0].legs[0].origin.name  # no French name
    assert fr.annotations[0].text == "Environ 300 conteneurs au quai"
    assert fr.annotations[0].at.name == "Port militaire de Dounaï"
    assert next(p for p in fr.places if p.id == "dunai").note == "Position approchée du quai"
    assert s.title == "Reported ammunition transfers"  # the input is left alone


def test_localize_to_the_scenarios_language_is_the_scenario(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    assert localize(s, "en") is s


def test_localize_is_reversible_through_any_language(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    back = localize(localize(localize(s, "fr"), "ru"), "en")
    assert back.title == s.title
    assert [t.label for t in back.transfers] == [t.label for t in s.transfers]
    assert [p.name for p in back.places] == [p.name for p in s.places]
    assert [a.text for a in back.annotations] == [a.text for a in s.annotations]
    ru = localize(localize(s, "fr"), "ru")
    assert next(p for p in ru.places if p.id == "dunai").name == "Дунай"


def test_localize_uses_place_names_of_every_script(small_gazetteer):
    ko = localize(_load(MULTI, small_gazetteer), "ko")
    assert ko.transfers[0].cargo == "포탄"
    assert ko.title == "Reported ammunition transfers"


def test_missing_translations_lists_the_keys_per_language(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    missing = missing_translations(s, ["fr", "ko", "en"])
    assert missing["en"] == []
    assert missing["fr"] == ["subtitle", "transfers.by-sea.cargo", "transfers.by-sea.note",
                             "transfers.by-sea.legs.1.note"]
    assert missing["ko"] == ["title", "subtitle", "places.dunai.note", "transfers.by-sea.label",
                             "transfers.by-sea.note", "transfers.by-sea.legs.0.note",
                             "transfers.by-sea.legs.1.note", "annotations.pier.text"]
    assert list(text_keys(s))[:3] == ["title", "subtitle", "places.dunai.note"]


def test_missing_names_lists_places_that_keep_their_written_name(small_gazetteer):
    s = _load(MULTI, small_gazetteer)
    ids = [p.id for p in s.places]
    names = missing_names(s, ["ru", "ko"])
    assert names["ru"] == [i for i in ids if i != "dunai"]
    assert names["ko"] == ids


# -- place names in other scripts -------------------------------------------------------------

def _gazetteer_with_names() -> Gazetteer:
    """A curated Rajin with Korean and Russian names, and an unrelated city."""
    rajin = Place("rajin", "Rajin (Najin) port", "port", "KP", 42.245, 130.295,
                  aliases=("Rajin", "Najin", "라진"), origin="builtin",
                  names=FrozenMap({"ko": "라진(나진)항", "ru": "Порт Раджин (Наджин)"}))
    other = Place("geonames-1", "Rason", "city", "KP", 42.25, 130.3, population=200_000,
                  origin="geonames")
    return Gazetteer([Layer("builtin", (rajin,)), Layer("geonames", (other,), ranked=True)])


@pytest.mark.parametrize("ref", ["Rajin", "라진", "라진(나진)항", "Порт Раджин (Наджин)", "порт раджин (наджин)"])
def test_a_place_resolves_by_its_names_in_every_script(ref):
    assert _gazetteer_with_names().resolve(ref).place.id == "rajin"


def test_search_finds_a_place_by_a_name_in_another_script():
    assert [p.id for p in _gazetteer_with_names().search("Раджин")] == ["rajin"]


OVERRIDE = """\
version: 1
title: Override
sources:
  - {id: wh, title: Press briefing, publisher: The White House}
places:
  - id: rajin
    name: Rajin pier 3
    names: {fr: Quai n° 3 de Rajin, ru: Причал № 3 порта Раджин}
    kind: port
    country: KP
    lat: 42.246
    lon: 130.296
transfers:
  - id: t
    label: By sea
    confidence: reported
    sources: [wh]
    legs:
      - {mode: sea, from: rajin, to: {lat: 42.88, lon: 132.34}}
"""


def test_a_scenario_place_keeps_the_curated_names_it_does_not_give():
    s = parse_scenario(OVERRIDE.encode(), "o.yaml", gazetteer=_gazetteer_with_names())
    rajin = s.transfers[0].legs[0].origin
    assert rajin.name == "Rajin pier 3"
    assert dict(rajin.names) == {"ko": "라진(나진)항", "ru": "Причал № 3 порта Раджин",
                                 "fr": "Quai n° 3 de Rajin"}


def test_the_bundled_places_have_names_in_their_countrys_script():
    """Korean names for the DPRK's places, Russian for Russia's, Ukrainian for Ukraine's, each
    also answering to its romanised name."""
    gazetteer = load_gazetteer()
    curated = next(layer for layer in gazetteer.layers if layer.name == "builtin").places
    script = {"KP": ("ko", "\uac00", "\ud7a3"), "RU": ("ru", "\u0400", "\u04ff"),
              "UA": ("uk", "\u0400", "\u04ff")}
    for place in curated:
        code, low, high = script[place.country]
        name = place.names.get(code, "")
        assert any(low <= ch <= high for ch in name), (place.id, code, name)
        assert gazetteer.resolve(name).place.id == place.id
        assert gazetteer.resolve(place.name).place.id == place.id
    by_id = {p.id: p for p in curated}
    assert by_id["rajin"].names["ko"] == "라진(나진)항"
    assert by_id["khabarovsk"].names == {"ru": "Хабаровск", "ko": "하바롭스크", "de": "Chabarowsk"}
    assert by_id["kyiv"].names["uk"] == "Київ"
    assert gazetteer.resolve("Раджин").place.id == "rajin"
    assert gazetteer.resolve("Запоріжжя").place.id == "zaporizhzhia"


@pytest.mark.parametrize(("place_id", "code", "name"), [
    ("vostochny", "fr", "Port de Vostotchny (Vrangel, Nakhodka)"),
    ("vostochny", "de", "Hafen Wostotschny (Wrangel, Nachodka)"),
    ("yegorlykskaya-depot", "fr", "Aérodrome d'Iegorlykskaïa (stockage de munitions)"),
    ("krasnoyarsk", "fr", "Krasnoïarsk"),
    ("chelyabinsk", "fr", "Tcheliabinsk"),
    ("dunai", "fr", "Port militaire de Dounaï"),
    ("khasan", "fr", "Gare de Khassan"),
    ("rajin", "fr", "Port de Rajin (Najin)"),
    ("vladivostok-knevichi", "de", "Flughafen Wladiwostok (Knewitschi)"),
    ("friendship-bridge", "ko", "조선-로씨야 우정의 다리 (두만강)"),
])
def test_curated_names_in_french_and_german(place_id, code, name):
    gazetteer = load_gazetteer()
    place = gazetteer.resolve(place_id).place
    assert place.names[code] == name
    assert gazetteer.resolve(name).place.id == place_id


def test_a_french_name_is_given_wherever_french_writes_the_place_otherwise():
    """Every curated place the bundled scenario uses has a French name, unless French writes
    its English name (Omsk, Samara, Pyongyang)."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    same = {"khabarovsk", "belogorsk", "novosibirsk", "omsk", "samara", "syzran", "saratov",
            "volgograd", "salsk", "armavir", "prokhladny", "pyongyang"}
    used = [p for p in load_scenario(bundled_scenario_path()).places if p.origin == "builtin"]
    assert [p.id for p in used if "fr" not in p.names] == [p.id for p in used if p.id in same]
    assert all(p.names.get("fr") != p.name for p in used)


# --- quantity units and bases, corridor names ---------------------------------------------------

COUNTED = MULTI.replace("""    note: One voyage
    confidence: confirmed""", """    note: One voyage
    quantity:
      - {value: 10000, unit: {en: containers, fr: conteneurs}, basis: {en: whole flow, fr: flux total},
         source: wh}
      - {value: 20000, unit: {en: containers, fr: conteneurs}, basis: whole flow, source: wh}
    confidence: confirmed""").replace(
    "      - {mode: rail, from: dunai, to: Tikhoretsk, note: Estimated line}",
    "      - {mode: rail, from: dunai, to: Tikhoretsk, note: Estimated line,\n"
    "         corridor: {name: {en: Trans-Siberian Railway, fr: Transsibérien}, sources: [wh]}}")


def test_units_bases_and_corridor_names_are_texts_by_language(small_gazetteer):
    s = _load(COUNTED, small_gazetteer)
    claims = s.transfers[0].quantity_claims
    assert [(q.unit, q.basis) for q in claims] == [("containers", "whole flow")] * 2
    assert s.transfers[0].legs[1].corridor.name == "Trans-Siberian Railway"
    assert s.translations["transfers.by-sea.quantity.0.unit"] == {"en": "containers", "fr": "conteneurs"}
    assert s.translations["transfers.by-sea.legs.1.corridor.name"]["fr"] == "Transsibérien"
    fr = localize(s, "fr").transfers[0]
    assert [(q.unit, q.basis, q.value) for q in fr.quantity_claims] == [
        ("conteneurs", "flux total", 10000), ("conteneurs", "whole flow", 20000)]
    assert fr.quantity is None and fr.legs[1].corridor.name == "Transsibérien"
    assert fr.legs[1].corridor.sources == ("wh",)
    back = localize(localize(s, "fr"), "en").transfers[0]
    assert back.quantity_claims == s.transfers[0].quantity_claims
    assert back.legs[1].corridor == s.transfers[0].legs[1].corridor


def test_a_single_quantity_keeps_its_place_in_the_model(small_gazetteer):
    text = COUNTED.replace("""      - {value: 20000, unit: {en: containers, fr: conteneurs}, basis: whole flow, source: wh}
""", "")
    fr = localize(_load(text, small_gazetteer), "fr").transfers[0]
    assert fr.quantity is not None and fr.quantity.unit == "conteneurs"
    assert fr.quantities == ()


def test_missing_translations_lists_units_bases_and_corridors(small_gazetteer):
    s = _load(COUNTED, small_gazetteer)
    keys = list(text_keys(s))
    assert [k for k in keys if ".quantity." in k or ".corridor." in k] == [
        "transfers.by-sea.quantity.0.unit", "transfers.by-sea.quantity.0.basis",
        "transfers.by-sea.quantity.1.unit", "transfers.by-sea.quantity.1.basis",
        "transfers.by-sea.legs.1.corridor.name"]
    missing = missing_translations(s, ["fr", "ko"])
    assert [k for k in missing["fr"] if ".quantity." in k or ".corridor." in k] == [
        "transfers.by-sea.quantity.1.basis"]
    assert "transfers.by-sea.legs.1.corridor.name" in missing["ko"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("unit: {en: containers, fr: conteneurs}, basis: {en: whole flow",
     "unit: {fr: conteneurs}, basis: {en: whole flow",
     "error: my.yaml:26: transfers[0].quantity[0].unit: no text in the scenario's language 'en' "
     "(give 'en:' or set language)"),
    ("basis: {en: whole flow, fr: flux total}", "basis: {en: whole flow, french: flux total}",
     "error: my.yaml:26: transfers[0].quantity[0].basis.french: 'french' is not a language code "
     "(a CLDR language such as en, fr, ko, uk, ru, de)"),
    ("name: {en: Trans-Siberian Railway, fr: Transsibérien}",
     "name: {en: Trans-Siberian Railway, fr: ''}",
     "error: my.yaml:34: transfers[0].legs[1].corridor.name.fr: expected text, found an empty string"),
])
def test_unit_basis_and_corridor_errors(small_gazetteer, old, new, expected):
    assert old in COUNTED
    assert _messages(COUNTED.replace(old, new), small_gazetteer) == [expected]


# --- the curated layer's notes in several languages ---------------------------------------------

CURATED = """\
version: 1
sources:
  - {id: wh, title: Briefing, publisher: The White House}
places:
  - id: rajin
    name: Rajin (Najin) port
    names: {fr: Port de Rajin (Najin)}
    kind: port
    country: KP
    lat: 42.245
    lon: 130.295
    sources: [wh]
    note:
      en: Estimated from place knowledge.
      fr: Estimée d'après la connaissance des lieux.
  - {id: khabarovsk, name: Khabarovsk, kind: rail_junction, country: RU, lat: 48.48, lon: 135.07,
     note: City centre.}
"""

USES_CURATED = """\
version: 1
language: LANG
title: TITLE
sources:
  - {id: wh, title: Briefing, publisher: The White House}
transfers:
  - id: t
    label: LABEL
    confidence: reported
    sources: [wh]
    legs:
      - {mode: rail, from: rajin, to: khabarovsk}
"""


@pytest.fixture(scope="module")
def curated_gazetteer(tmp_path_factory) -> Gazetteer:
    """A curated layer of two places: Rajin with an English and French note, Khabarovsk with
    an English one."""
    path = tmp_path_factory.mktemp("curated") / "places.yaml"
    path.write_text(CURATED, encoding="utf-8")
    places, sources, translations = read_curated(path)
    return Gazetteer([Layer("builtin", tuple(places))], sources, translations)


def _uses(language: str, gazetteer: Gazetteer):
    text = USES_CURATED.replace("LANG", language).replace(
        "TITLE", "Transferts" if language == "fr" else "Transfers").replace("LABEL", "Rail")
    return parse_scenario(text.encode(), "my.yaml", gazetteer=gazetteer)


def test_a_curated_note_is_a_text_by_language(curated_gazetteer):
    assert curated_gazetteer.translations == {"places.rajin.note": {
        "en": "Estimated from place knowledge.", "fr": "Estimée d'après la connaissance des lieux."}}
    rajin = curated_gazetteer.resolve("rajin").place
    assert rajin.note == "Estimated from place knowledge."


def test_a_scenario_shows_a_curated_note_in_the_outputs_language(curated_gazetteer):
    s = _uses("en", curated_gazetteer)
    assert next(p for p in s.places if p.id == "rajin").note == "Estimated from place knowledge."
    fr = localize(s, "fr")
    notes = {p.id: p.note for p in fr.places}
    assert notes == {"rajin": "Estimée d'après la connaissance des lieux.", "khabarovsk": "City centre."}
    assert [(p.name, p.note) for p in localize(fr, "en").places] == [(p.name, p.note) for p in s.places]
    assert missing_translations(s, ["fr"])["fr"] == ["title", "transfers.t.label"]  # not the notes
    assert builtin_notes_missing(s, ["fr", "de", "en"]) == {
        "fr": ["khabarovsk"], "de": ["rajin", "khabarovsk"], "en": []}


def test_a_french_scenario_writes_curated_names_and_notes_in_french(curated_gazetteer):
    s = _uses("fr", curated_gazetteer)
    rajin = next(p for p in s.places if p.id == "rajin")
    assert (rajin.name, rajin.note) == ("Port de Rajin (Najin)", "Estimée d'après la connaissance des lieux.")
    assert s.transfers[0].legs[0].origin == rajin
    en = localize(s, "en")
    english = next(p for p in en.places if p.id == "rajin")
    assert (english.name, english.note) == ("Rajin (Najin) port", "Estimated from place knowledge.")


def test_a_curated_note_without_english_is_an_error(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text(CURATED.replace("      en: Estimated from place knowledge.\n", ""), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        read_curated(path)
    assert info.value.messages() == [
        f"error: {path}:14: places[0].note: no text in the scenario's language 'en' "
        "(give 'en:' or set language)"]


def test_every_curated_note_the_bundled_scenario_uses_has_french():
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    bundled = load_scenario(bundled_scenario_path())
    assert builtin_notes_missing(bundled, ["fr"]) == {"fr": []}
    french = localize(bundled, "fr")
    vostochny = next(p for p in french.places if p.id == "vostochny")
    assert vostochny.note.startswith("Coordonnée estimée d'après la connaissance des lieux pour le "
                                     "port de la baie de Vrangel")


def test_a_sources_publisher_and_note_may_be_given_by_language(small_gazetteer):
    text = MULTI.replace("""    publisher: The White House""", """    publisher: {en: NK News (reporting the White House), fr: NK News (d'après la Maison-Blanche)}
    url: https://www.whitehouse.gov/x
    note: {en: Page 2, fr: Page 2 du document}""")
    s = _load(text, small_gazetteer)
    assert (s.sources[0].publisher, s.sources[0].note) == ("NK News (reporting the White House)", "Page 2")
    fr = localize(s, "fr").sources[0]
    assert (fr.publisher, fr.note) == ("NK News (d'après la Maison-Blanche)", "Page 2 du document")
    assert fr.is_copy is s.sources[0].is_copy is False  # decided on the file's own words
    assert "sources.wh.publisher" not in missing_translations(s, ["ko"])["ko"]  # quoted as given


def test_the_bundled_publishers_read_in_french():
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    french = {s.id: s for s in localize(load_scenario(bundled_scenario_path()), "fr").sources}
    assert french["yonhap-wh-2023-10-14"].publisher == "Yonhap News Agency (d'après la Maison-Blanche)"
    assert not [s.id for s in french.values() if "reporting" in s.publisher]


def test_every_bundled_and_curated_source_note_reads_in_french():
    """Each source note of the bundled scenario and of the curated layer gives French, set with
    French spacing (a narrow no-break space before ; : » and after «, and in thousands)."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    bundled = load_scenario(bundled_scenario_path())
    english = {s.id: s.note for s in bundled.sources}
    french = {s.id: s.note for s in localize(bundled, "fr").sources}
    _, curated, texts = read_curated(curated_path())
    french.update({sid: texts[f"sources.{sid}.note"]["fr"] for sid, s in curated.items()
                   if s.note and "fr" in texts.get(f"sources.{sid}.note", {})})
    noted = {s.id for s in bundled.sources if s.note} | {sid for sid, s in curated.items() if s.note}
    assert [sid for sid in sorted(noted) if french.get(sid) in (None, english.get(sid))] == []
    assert [sid for sid in sorted(noted) if re.search(r" [;:»]|« |\d \d{3}\b", french[sid])] == []
    assert english["yonhap-wh-2023-10-14"] == ("White House briefing (John Kirby) of 13 Oct 2023 with "
                                               "imagery of Najin, Dunay and the Tikhoretsk depot.")
    assert french["yonhap-wh-2023-10-14"] == ("Point de presse de la Maison-Blanche (John Kirby) du "
                                              "13 oct. 2023, avec des images de Najin, de Dounaï et du "
                                              "dépôt de Tikhoretsk.")
    assert french["seanews-2022-12-21"] == ("Nakhodka-Vostotchnaïa, la gare qui dessert le port de "
                                            "Vostotchny, a chargé 1\u202f399 EVP le 17 déc. 2022.")
