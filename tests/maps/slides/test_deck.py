"""The briefing deck: opens with python-pptx, expected slides in order, notes with citations."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from routemap.maps.citations import citation
from routemap.maps.options import RenderOptions
from routemap.maps.slides.deck import SOURCES_PER_SLIDE, render_deck


@pytest.fixture(scope="module")
def routeset(shared_routeset):
    """The shared hand-made route set (tests/conftest.py)."""
    return shared_routeset


@pytest.fixture(scope="module")
def deck_bytes(routeset):
    """The deck, rendered once."""
    return render_deck(routeset, RenderOptions(), {})


@pytest.fixture(scope="module")
def deck(deck_bytes):
    """The deck as python-pptx reads it back."""
    return Presentation(io.BytesIO(deck_bytes))


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def test_deck_has_title_overview_transfers_and_sources(deck, routeset):
    slides = list(deck.slides)
    n_transfers = len(routeset.scenario.transfers)
    assert len(slides) == 1 + 1 + n_transfers + 1
    assert slides[0].shapes.title.text == "Sample transfers"
    for slide in slides[1:2 + n_transfers]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert pictures[0].width == deck.slide_width
    assert slides[-1].shapes.title.text == "Sources"


def test_slides_are_sixteen_by_nine_with_full_size_maps(deck):
    assert deck.slide_width * 9 == pytest.approx(deck.slide_height * 16, rel=1e-4)
    picture = next(s for s in deck.slides[1].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert Image.open(io.BytesIO(picture.image.blob)).size == (1920, 1080)


def _picture(slide):
    return next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)


def test_every_slide_has_a_title_with_text(deck, routeset):
    """Screen readers and the outline view take a slide's title from its title placeholder."""
    from routemap.maps.slides.compose import slide_specs

    titles = [slide.shapes.title.text if slide.shapes.title is not None else None
              for slide in deck.slides]
    assert all(titles), titles
    specs = slide_specs(routeset, per_transfer=True)
    assert titles[1:1 + len(specs)] == [spec.title for spec in specs]


def test_a_map_slide_title_is_read_first_and_covers_nothing(deck):
    """The title is first in reading order and lies just above the slide, off the map."""
    for slide in list(deck.slides)[1:-1]:
        shapes = list(slide.shapes)
        title, picture = slide.shapes.title, _picture(slide)
        assert shapes.index(title) == 0 < shapes.index(picture)
        assert (picture.left, picture.top, picture.width, picture.height) == (
            0, 0, deck.slide_width, deck.slide_height)
        assert title.top < 0 and title.top + title.height <= 0  # off the slide, above it
        assert title.left == 0 and title.width == deck.slide_width


def test_title_slide_and_layouts_are_laid_out_for_sixteen_by_nine(deck):
    """The built-in 4:3 template's placeholders are scaled to the 16:9 slide, not left at 4:3."""
    width, height = deck.slide_width, deck.slide_height
    title = deck.slides[0].shapes.title
    subtitle = deck.slides[0].placeholders[1]
    # centred, and as wide a share of the slide as on the template's 4:3 slide (10 in wide)
    for shape, template_width in ((title, 7772400), (subtitle, 6400800)):
        assert shape.left + shape.width / 2 == pytest.approx(width / 2, rel=1e-3)
        assert shape.width / width == pytest.approx(template_width / 9144000, rel=1e-3)
    owners = [deck.slide_master, *deck.slide_layouts]
    for owner in owners:
        for shape in owner.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= width, (owner.name, shape.name)
            assert shape.top >= 0 and shape.top + shape.height <= height, (owner.name, shape.name)
    master_title = next(s for s in deck.slide_master.shapes if s.name.startswith("Title"))
    assert master_title.width / width == pytest.approx(8229600 / 9144000, rel=1e-3)


def test_every_slide_has_notes_with_full_citations(deck, routeset):
    wh = citation(routeset.scenario.source("wh-2023-10"))
    rusi = citation(routeset.scenario.source("rusi-2023-08"))
    slides = list(deck.slides)
    assert wh in _notes(slides[0]) and rusi in _notes(slides[0])
    overview = _notes(slides[1])
    assert wh in overview and rusi in overview
    assert "Rajin \u2192 Dunai \u2192 Tikhoretsk" in overview
    first = _notes(slides[2])
    assert first.startswith("Containers by sea to Dunai, then rail")
    assert wh in first and "1. About 300 containers at the pier" in first
    assert rusi in _notes(slides[3])
    assert wh in _notes(slides[-1]) and "OpenStreetMap contributors, ODbL" in _notes(slides[-1])


def test_sources_slide_lists_every_citation_and_the_data_licences(deck, routeset):
    text = "\n".join(sh.text_frame.text for sh in deck.slides[-1].shapes if sh.has_text_frame)
    for source in routeset.scenario.sources:
        assert citation(source) in text
    assert "Natural Earth" in text and "Confirmed: " in text


def test_long_source_lists_span_several_slides(routeset):
    import dataclasses

    from routemap.geo.model import Source

    extra = tuple(Source(f"s{i}", f"Report {i}", "Publisher") for i in range(SOURCES_PER_SLIDE))
    scenario = dataclasses.replace(routeset.scenario,
                                   sources=routeset.scenario.sources + extra)
    deck = Presentation(io.BytesIO(render_deck(dataclasses.replace(routeset, scenario=scenario),
                                               RenderOptions(size=(960, 540), dpi=72), {})))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert titles[-2:] == ["Sources (1 of 2)", "Sources (2 of 2)"]


def test_same_input_gives_the_same_deck(routeset, deck_bytes):
    assert render_deck(routeset, RenderOptions(), {}) == deck_bytes


def test_deck_reuses_slide_images_without_drawing_again(routeset, deck_bytes, monkeypatch):
    from routemap.maps.slides import deck as deck_module
    from routemap.maps.slides.render import render_slides

    pngs = render_slides(routeset, RenderOptions(formats=("png",)))

    def no_drawing(*args, **kwargs):
        raise AssertionError("the deck drew a slide it was given")

    monkeypatch.setattr(deck_module, "render_slides", no_drawing)
    assert render_deck(routeset, RenderOptions(), pngs) == deck_bytes


def test_deck_refuses_slide_images_of_another_size(routeset):
    from routemap.maps.slides.render import render_slides

    small = render_slides(routeset, RenderOptions(formats=("png",), size=(960, 540), dpi=72))
    with pytest.raises(ValueError, match=r"\(960, 540\) pixels"):
        render_deck(routeset, RenderOptions(), small)


def test_callouts_on_no_transfer_slide_get_a_map_slide_of_their_own(routeset):
    """The sample's one callout moved to a place no transfer touches (a depot far west)."""
    import dataclasses

    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from routemap.maps.slides.compose import slide_specs

    places = routeset.places
    depot = places.iloc[2].copy()
    depot["place_id"], depot["feature_id"], depot["name"] = "toropets", "place:toropets", "Toropets"
    depot["lon"], depot["lat"], depot["geometry"] = 31.6, 56.5, Point(31.6, 56.5)
    more = gpd.GeoDataFrame(pd.concat([places, pd.DataFrame([depot])], ignore_index=True),
                            geometry="geometry", crs=places.crs)
    notes = routeset.annotations.copy()
    notes["transfer_id"], notes["place_id"] = None, "toropets"
    notes["geometry"] = [Point(31.6, 56.5)]
    changed = dataclasses.replace(routeset, places=more, annotations=notes)
    specs = slide_specs(changed)
    assert [s.name for s in specs][-1] == "slides/callouts"
    assert [c.number for c in specs[-1].callouts] == [1]
    assert [p.place_id for p in specs[-1].places] == ["toropets"]
    deck = Presentation(io.BytesIO(render_deck(changed, RenderOptions(size=(960, 540), dpi=72), {})))
    notes_text = [_notes(s) for s in deck.slides]
    assert any(n.startswith("Other reported events") and
               "1. About 300 containers at the pier" in n for n in notes_text)


def test_a_damaged_python_pptx_is_our_error(routeset, monkeypatch):
    from pptx.exc import PackageNotFoundError

    from routemap.errors import RenderError
    from routemap.maps.slides import deck as deck_module

    def missing_template(*args, **kwargs):
        raise PackageNotFoundError("Package not found at '/site-packages/pptx/templates/default.pptx'")

    monkeypatch.setattr(deck_module, "Presentation", missing_template)
    with pytest.raises(RenderError) as caught:
        render_deck(routeset, RenderOptions(), {})
    assert str(caught.value) == (
        "cannot make briefing.pptx: python-pptx cannot open its built-in template; reinstall "
        "python-pptx, or leave pptx out of --formats (from python-pptx: Package not found at "
        "'/site-packages/pptx/templates/default.pptx')")


@pytest.mark.parametrize(("value", "unit", "written"), [
    (1234567.0, "tonnes", "1,234,567 tonnes"), (0.5, "t", "0.5 t"),
])
def test_slides_and_notes_write_a_quantity_as_every_renderer_does(sample_routeset, value, unit, written):
    """The transfer slide's subtitle and its speaker notes, as routemap.maps.wording writes it."""
    import dataclasses

    from routemap.maps.slides.deck import deck_notes
    from routemap.maps.slides.spec import transfer_specs

    legs = sample_routeset.legs.copy()
    sea = legs["transfer_id"] == "najin-dunai-tikhoretsk"
    legs.loc[sea, "quantity_value"], legs.loc[sea, "quantity_unit"] = value, unit
    spec = next(s for s in transfer_specs(dataclasses.replace(sample_routeset, legs=legs))
                if s.focus == {"najin-dunai-tikhoretsk"})
    assert f" \u00b7 {written} \u00b7 " in spec.subtitle
    assert f" \u00b7 {written} \u00b7 " in deck_notes(spec)
