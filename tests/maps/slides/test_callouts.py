"""No callout dropped silently: every annotation is keyed on at least one slide image, and a
panel that is cut says "+N more" and where."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import matplotlib
import pandas as pd
import pytest

from routemap.maps.language import load_language
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import (
    ComposedSlide,
    compose_slide,
    compose_slides,
    panel_capacity,
    slide_specs,
    slide_texts,
)
from routemap.maps.slides.deck import deck_notes
from routemap.maps.slides.fonts import printable
from routemap.maps.slides.spec import CALLOUTS_TITLE, transfer_specs


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _drawn(slide: ComposedSlide) -> tuple[set[int], str, list[str]]:
    """Return the numbers keyed in a slide's panel, the keyed texts run together, and the
    "+N more" lines, all read from the figure's artists."""
    (panel,) = [ax for ax in slide.figure.axes if ax.get_label() == "panel"]
    numbers = {int(p.get_gid().split(":")[1]) for p in panel.patches
               if (p.get_gid() or "").startswith("callout-key:")}
    texts = " ".join(_flat(t.get_text()) for t in panel.texts if t.get_gid() == "callout-text")
    more = [_flat(t.get_text()) for t in panel.texts if t.get_gid() == "callout-more"]
    return numbers, texts, more


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _check_every_annotation_drawn(notes: list[str], slides: dict[str, ComposedSlide]) -> None:
    """Fail unless each annotation's number and text are in the panel of some map slide, and
    every cut panel ends with the right "+N more"."""
    keyed: dict[int, str] = {}
    for name, slide in slides.items():
        numbers, texts, more = _drawn(slide)
        own = {c.number for c in slide.spec.callouts if c.kind == "annotation"}
        assert numbers >= own, f"{name}: callouts {sorted(own - numbers)} not keyed"
        for c in slide.spec.callouts:
            if c.kind == "annotation":
                keyed[c.number] = texts
        if slide.spec.more:
            assert len(more) == 1 and more[0].startswith(f"+{slide.spec.more} more"), name
        else:
            assert not more, f"{name}: says {more} but keys all its callouts"
    for number, text in enumerate(notes, start=1):
        assert number in keyed, f"annotation {number} is drawn on no slide: {text[:60]}"
        head = _bare(printable([text]).get(text, text))[:30]
        assert head in _bare(keyed[number]), f"annotation {number}'s text is not on its slide"


@pytest.fixture(scope="module")
def crowded(shared_routeset):
    """The sample with 16 long notes at Najin, all on the first transfer: more than a panel
    holds."""
    ann = shared_routeset.annotations
    rows = []
    for k in range(16):
        row = ann.iloc[0].copy()
        row["annotation_id"] = f"note-{k + 1}"
        row["text"] = (f"Note {k + 1}: ships at the Najin pier, counted on imagery from several "
                       "providers; the count differs by source and is kept as reported.")
        row["transfer_id"] = shared_routeset.scenario.transfers[0].id
        rows.append(row)
    many = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=ann.crs)
    return dataclasses.replace(shared_routeset, annotations=many.reset_index(drop=True))


def test_many_callouts_at_one_place_are_continued_not_dropped(crowded):
    slides = compose_slides(crowded, size=(1280, 720), dpi=100)
    first = slides[f"slides/{crowded.scenario.transfers[0].id}"]
    assert 0 < len(first.spec.callouts) < 16
    assert first.spec.more == 16 - len(first.spec.callouts)
    assert CALLOUTS_TITLE in first.spec.more_where
    assert any(name.startswith("slides/callouts") for name in slides)
    _check_every_annotation_drawn(list(crowded.annotations["text"]), slides)
    assert f"+{first.spec.more} more callouts {first.spec.more_where}" in deck_notes(first.spec)


def test_the_continuation_depends_on_the_slide_shape(crowded):
    """Text sizes follow the slide's width: a taller slide of the same width has a taller
    panel, so fewer callouts are continued."""
    wide = slide_specs(crowded, size=(1920, 1080), dpi=150)
    tall = slide_specs(crowded, size=(1920, 1600), dpi=150)
    assert wide[1].more > tall[1].more
    assert len(wide[1].callouts) + wide[1].more == len(tall[1].callouts) + tall[1].more == 16


@pytest.mark.parametrize("size", [(1280, 720), (1280, 1100)])
def test_the_reckoned_capacity_is_what_the_drawn_panel_keys(crowded, size):
    """panel_capacity reckons the panel without drawing it: a slide drawn with every one of the
    16 callouts keys exactly as many as it said, at two panel heights."""
    spec = transfer_specs(crowded, language=load_language("en"))[0]
    assert len(spec.callouts) == 16
    texts = slide_texts([spec])
    fits = panel_capacity(spec, size=size, dpi=100, texts=texts)
    with matplotlib.rc_context(slide_rc()):
        drawn = compose_slide(spec, size=size, dpi=100, texts=texts)
    assert 0 < fits < 16
    assert _drawn(drawn)[0] == set(range(1, fits + 1))


def test_every_sample_annotation_is_drawn(shared_routeset, composed):
    _check_every_annotation_drawn(list(shared_routeset.annotations["text"]), composed)


@pytest.mark.network_data
def test_every_bundled_annotation_is_drawn_on_a_slide(bundled_slides):
    """The first transfer keys what fits and says "+N more"; the rest (the Tikhoretsk strike,
    the counter-claim...) are on the callouts slides."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    scenario = load_scenario(bundled_scenario_path())
    _check_every_annotation_drawn([a.text for a in scenario.annotations], bundled_slides)
    first = bundled_slides["slides/rajin-dunai-tikhoretsk"]
    assert first.spec.more > 0
