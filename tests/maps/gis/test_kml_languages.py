"""The KML in every output language holds none of the tool's English words: the French check
of ``test_gis_language.py`` run on the other catalogs (a KML renders in well under a second)."""

from __future__ import annotations

import re

import pytest

from routemap.maps.gis.kml import render_kml
from routemap.maps.language import DEFAULT_LANGUAGE, available_languages
from routemap.routes.routeset import RouteSet
from tests.maps.gis.test_gis_language import ENGLISH_FURNITURE, _data_texts, _tool_words

#: Words a language writes exactly as English does: they cannot tell, so they are not looked for.
SAME_AS_ENGLISH = {"de": frozenset({"Transfer", "Depot"})}

OTHER_LANGUAGES = [c for c in available_languages() if c not in (DEFAULT_LANGUAGE, "fr")]


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
def test_a_kml_has_no_english_furniture_word(sample_routeset: RouteSet, code: str) -> None:
    left = _tool_words(render_kml(sample_routeset, language=code), sample_routeset)
    looked_for = [w for w in ENGLISH_FURNITURE if w not in SAME_AS_ENGLISH.get(code, ())]
    assert [w for w in looked_for if re.search(rf"\b{re.escape(w)}\b", left)] == []
    assert not re.search(r"\bMode\b", left)


@pytest.mark.parametrize("code", [c for c in OTHER_LANGUAGES if c in ("ko", "ru", "uk")])
def test_a_kml_in_another_script_has_no_latin_word_of_the_tool(sample_routeset: RouteSet,
                                                               code: str) -> None:
    """Korean, Russian and Ukrainian write no Latin letters of their own: what is left outside
    the data's text is a code (LOCODE), the SI symbol km (Korean writes it in Latin letters,
    "9,800km") or a word of the data (a Latin place name before a Korean
    particle, "Dunai naval port에서", is not cut out as a whole word)."""
    left = _tool_words(render_kml(sample_routeset, language=code), sample_routeset)
    data_words = {w for text in _data_texts(sample_routeset) for w in re.findall(r"\w+", text)}
    latin = set(re.findall(r"[A-Za-z][A-Za-z_]+", left)) - data_words - {"LOCODE", "km"}
    assert latin == set()
    assert "LOCODE" in left  # the check sees Latin words when there are some
