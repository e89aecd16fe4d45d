"""Slides and the briefing deck in the reader's language: no English furniture in French."""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
import pytest
from pptx import Presentation

from routemap.maps.citations import citation
from routemap.maps.language import load_language
from routemap.maps.options import RenderOptions
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import compose_slide, slide_specs, slide_texts
from routemap.maps.slides.deck import render_deck

#: Words of the slides' own furniture that must never show in English on a French slide
#: (scenario texts, place names and source titles stay as the scenario gives them). Words
#: French writes the same way ("Air", "Port", "Rail") are left out: they cannot tell.
ENGLISH_FURNITURE = (
    "Confidence", "Confirmed", "Reported", "Estimated", "Claimed", "As of", "Callouts",
    "Carrier", "Period", "Leg 1", "Mode", "Sources for this briefing", "Other transfers",
    "Rail station", "Sea", "Depot", "Airfield", "Border crossing", "Places",
    "Route (arrow", "Line pattern", "Band under", "Line reported", "Line estimated",
    "Scale true", "Detail enlarged", "True at detail", "projection", "central meridian",
    "Data:", "Sources:", "TRANSFER", "transfers", "more", "Full citations", "How to read",
    "Map:", "Off the network", "straight join", "each on its own slide", "next slide",
)


def _english_words(texts: list[str]) -> list[tuple[str, str]]:
    """Return (word, text) for every furniture word found whole in the texts."""
    found = []
    for text in texts:
        for word in ENGLISH_FURNITURE:
            if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text):
                found.append((word, text))
    return found


@pytest.fixture(scope="module")
def french_specs(shared_routeset):
    """The sample route set's slide specs, written in French."""
    return slide_specs(shared_routeset, size=(1280, 720), dpi=100, language="fr")


def _furniture_texts(spec, figure) -> list[str]:
    """Return every text drawn on a slide, less the scenario's own (title, subtitle, place
    names and callouts, which a scenario gives in its language)."""
    own = {spec.title, spec.subtitle, *(p.name for p in spec.places),
           *(c.text for c in spec.callouts), *spec.sources, *spec.attributions}
    drawn = [t.get_text() for t in figure.findobj(matplotlib.text.Text) if t.get_text()]
    return [t for t in drawn if t not in own and t.replace("\n", " ") not in own]


@pytest.mark.parametrize("which", [0, 1])
def test_french_overview_and_transfer_slide_have_no_english_furniture(french_specs, which):
    spec = french_specs[which]
    with matplotlib.rc_context(slide_rc()):
        slide = compose_slide(spec, size=(1280, 720), dpi=100, texts=slide_texts(french_specs))
    texts = _furniture_texts(spec, slide.figure)
    assert _english_words(texts) == []
    joined = "\n".join(texts)
    assert "Fiabilité" in joined or "Confirmé" in joined or "Signalé" in joined
    assert "Sources\u00a0:" in joined and "Données\u00a0:" in joined
    assert "méridien central" in joined


def test_french_kickers_and_subtitles(french_specs, shared_routeset):
    n = len(shared_routeset.scenario.transfers)
    assert french_specs[0].kicker == f"{n} transferts"
    assert french_specs[1].kicker == f"Transfert 1 sur {n}"
    assert french_specs[0].as_of.startswith("Au ")
    assert all(s.language == "fr" for s in french_specs)
    assert _english_words([s.kicker for s in french_specs]) == []


def test_english_slides_keep_their_words(shared_routeset):
    specs = slide_specs(shared_routeset, size=(1280, 720), dpi=100)
    n = len(shared_routeset.scenario.transfers)
    assert specs[0].kicker == f"{n} transfers"
    assert specs[1].kicker == f"Transfer 1 of {n}"
    assert specs[1].callout_title == "Callouts"


@pytest.fixture(scope="module")
def french_deck(shared_routeset):
    """The sample deck in French, read back with python-pptx."""
    options = RenderOptions(size=(1280, 720), dpi=100, language="fr")
    return Presentation(io.BytesIO(render_deck(shared_routeset, options, {})))


def test_french_deck_has_no_english_furniture(french_deck, shared_routeset):
    scenario = shared_routeset.scenario
    own = {scenario.title, scenario.subtitle or "", *(citation(s) for s in scenario.sources),
           *(citation(s, language=load_language("fr")) for s in scenario.sources)}
    texts = []
    for slide in french_deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts += [p.text for p in shape.text_frame.paragraphs]
        texts += slide.notes_slide.notes_text_frame.text.split("\n")
    texts = [t for t in texts if t and t not in own and t.lstrip("- ") not in own
             and not t.startswith("Données\u00a0:")]
    assert _english_words(texts) == []
    joined = "\n".join(texts)
    assert "Sources de ce" in joined or "Sources\u00a0:" in joined
    assert "Comment lire la fiabilité\u00a0:" in joined
    assert french_deck.core_properties.language == "fr"


@pytest.mark.parametrize(("code", "iso2", "name", "expected"), [
    ("en", "KP", "North Korea", "North Korea"),
    ("en", "RU", "Russia", "Russia"),
    ("fr", "KP", "North Korea", "Corée du Nord"),
    ("fr", "RU", "Russia", "Russie"),
    ("fr", "-99", "Northern Cyprus", "Northern Cyprus"),  # no ISO code: Natural Earth's name
    ("fr", "", "Somaliland", "Somaliland"),
])
def test_country_labels_in_the_maps_language(code, iso2, name, expected):
    from routemap.maps.language import load_language
    from routemap.maps.slides.labelling import country_label

    assert country_label(iso2, name, load_language(code)) == expected


def test_the_projection_note_writes_french_compass_points():
    from routemap.maps.language import load_language
    from routemap.maps.projection import fit_frame
    from routemap.maps.slides.compose import _projection_note

    frame = fit_frame(np.array([-80.0, -70.0]), np.array([40.0, 45.0]), aspect=16 / 9)
    note = _projection_note(frame, load_language("fr"))
    assert "° O" in note and "méridien central" in note
    assert "°W" in _projection_note(frame, load_language("en"))
