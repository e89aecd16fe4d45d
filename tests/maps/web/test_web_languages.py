"""The web map's words in German, Korean, Russian and Ukrainian: the French checks of
``test_web_language.py`` on the other catalogs, without a browser (the script writes only
the words of the data document's ``messages``, checked here for every language)."""

from __future__ import annotations

from typing import Any

import pytest

from routemap.geo.countries import load_countries
from routemap.maps.language import DEFAULT_LANGUAGE, available_languages, load_language
from routemap.maps.web.data import build_map_data
from routemap.maps.web.messages import script_messages
from tests.maps.web.test_web_language import _english_words, _scenario_texts

#: Words a language writes exactly as English does: they cannot tell, so they are not looked for.
SAME_AS_ENGLISH = {"de": frozenset({"Transfer", "Transfers", "Depot"})}

OTHER_LANGUAGES = [c for c in available_languages() if c not in (DEFAULT_LANGUAGE, "fr")]


def _strings(value: Any) -> list[str]:
    """Return every string in a nested document of dicts and lists."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _found(code: str, texts: list[str], own: set[str]) -> list[str]:
    same = SAME_AS_ENGLISH.get(code, frozenset())
    return [w for w in _english_words("\n".join(texts), own) if w not in same]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_the_scripts_words_have_no_english_furniture(code):
    messages = script_messages(load_language(code))
    assert messages["locale"] == code
    texts = _strings({k: v for k, v in messages.items() if k != "locale"})
    assert _found(code, texts, set()) == []


def test_the_check_finds_the_english_words():
    texts = _strings({k: v for k, v in script_messages(load_language("en")).items() if k != "locale"})
    assert {"Legend", "Timeline", "Full screen", "All periods", "Transfers"} <= set(
        _english_words("\n".join(texts), set()))


@pytest.fixture(scope="module")
def german_data(shared_routeset):
    """The sample route set's data document, in German."""
    routeset = shared_routeset.in_language("de")
    return routeset, build_map_data(routeset, load_countries(), language=load_language("de"))


def test_german_data_document(german_data):
    routeset, data = german_data
    tool = [*(row[0] for item in (*data["legs"], *data["places"]) for row in item["rows"]),
            *(row[1] for item in (*data["legs"], *data["places"]) for row in item["rows"]),
            *_strings(data["styles"]), *(step["label"] for step in data["timeline"]),
            data["as_of"]]
    assert _found("de", tool, _scenario_texts(routeset)) == []
    leg = data["legs"][0]
    assert [row[0] for row in leg["rows"]][:2] == ["Etappe", "Verkehrsträger"]
    assert leg["rows"][0][1].startswith("1 von 2: ")
    assert dict(data["places"][0]["rows"])["Land"] == "Nordkorea"
    assert data["styles"]["confidences"]["reported"]["label"] == "Gemeldet"
    assert data["timeline"][0]["label"] == "Sept. 2023"
    assert data["as_of"] == "1. Juni 2025"
    names = {label["name"] for label in data["basemap"]["labels"]}
    assert "Russland" in names and "Russia" not in names
