"""Slide specs in German and Russian: the words of a slide's header, its key or callout list
title and a transfer slide's subtitle, without drawing (composing a slide takes ~15 s; the French
test in ``test_slides_language.py`` draws an overview and a transfer slide and reads every text)."""

from __future__ import annotations

import re

import pytest

from routemap.maps.slides.compose import slide_specs
from tests.maps.slides.test_slides_language import ENGLISH_FURNITURE

NNBSP = "\u202f"
THIN = "\u2009"

#: Words German writes exactly as English does: they cannot tell, so they are not looked for.
SAME_AS_ENGLISH = {"de": frozenset({"Depot", "TRANSFER", "transfers"})}

#: code -> (overview kicker, key title, first transfer slide: kicker, subtitle, callout title),
#: for the two transfers of the sample scenario, as of 1 June 2025.
EXPECTED = {
    "de": ("2 Transfers", "Transfers (je eine Folie)", "Transfer 1 von 2",
           f"artillery ammunition · 300 containers · 7. Sept.{THIN}–{THIN}1. Okt. 2023 · "
           "Verlässlichkeit: Bestätigt", "Anmerkungen", "Stand: 1. Juni 2025"),
    "ru": ("2 переброски", "Переброски (по слайду на каждую)", "Переброска 1 из 2",
           f"artillery ammunition · 300 containers · 7 сент. — 1 окт. 2023{NNBSP}г. · "
           "Достоверность: Подтверждено", "Выноски", f"По состоянию на 1 июня 2025{NNBSP}г."),
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def specs(request, shared_routeset):
    """The sample route set's slide specs in German, then in Russian."""
    return request.param, slide_specs(shared_routeset, size=(1280, 720), dpi=100,
                                      language=request.param)


def test_headers_and_subtitles_in_the_language(specs):
    code, (overview, first, *_) = specs
    kicker, key, first_kicker, subtitle, callouts, as_of = EXPECTED[code]
    assert (overview.kicker, overview.callout_title, overview.as_of) == (kicker, key, as_of)
    assert (first.kicker, first.subtitle, first.callout_title) == (first_kicker, subtitle, callouts)
    assert first.language == code


def test_no_english_furniture_in_the_specs(specs):
    code, written = specs
    same = SAME_AS_ENGLISH.get(code, frozenset())
    texts = [t for s in written for t in (s.kicker, s.as_of, s.callout_title, s.more_where)]
    texts += [s.subtitle.rsplit(" · ", 1)[-1] for s in written[1:]]  # "Confidence: ..." ends it
    found = [(w, t) for t in texts for w in ENGLISH_FURNITURE if w not in same
             and re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", t)]
    assert found == []
