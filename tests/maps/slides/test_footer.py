"""Furniture that fits: footer, header and key stay on the slide and never overlap, at any size."""

from __future__ import annotations

import itertools
import re

import matplotlib
import pytest
from matplotlib.transforms import Bbox

from routemap.maps.language import load_language
from routemap.maps.slides.aggregate import overview
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import (
    _key_callouts,
    _panel_axes,
    draw_footer,
    draw_header,
    setup_canvas,
)
from routemap.maps.slides.footer import lay_out_footer
from routemap.maps.slides.furniture import draw_legend
from routemap.maps.slides.plan import _fitted, legend_content, slide_texts

from .scale_routeset import many_transfers


def _chars(text: str, size: float) -> float:
    """A stand-in measure: every character 0.55 em wide."""
    return len(text) * size * 0.55


def _lines_fit(lines: tuple[str, ...], width: float, size: float) -> bool:
    return all(_chars(t, size) <= width for t in lines)


@pytest.mark.parametrize(("sources", "credits", "size", "data_cut"), [
    (["RUSI (3 Oct 2023)", "The White House (13 Oct 2023)"], ["Rail network: OSM"], 7.6, False),
    ([f"Publisher {i} (1 Jan 2024)" for i in range(30)],
     [f"Layer {i}: a long credit line, (c) its contributors, CC BY-SA 4.0" for i in range(5)],
     6.0, False),
    ([f"Publisher with a long name {i} (1 Jan 2024)" for i in range(300)],
     [f"Layer {i}: a long credit line, (c) its contributors, CC BY-SA 4.0" for i in range(40)],
     6.0, True),
])
def test_the_footer_wraps_shrinks_then_counts_what_it_leaves_off(sources, credits, size, data_cut):
    width, height = 1180.0, 43.0
    note = "Mercator projection, central meridian 40.0°E; WGS 84"
    layout = lay_out_footer(sources, credits, note, width=width, height=height, measure=_chars)
    assert layout.size == size
    assert _lines_fit(layout.sources + layout.data, width, layout.size)
    assert len(layout.sources) <= 2
    # what is left off is counted, in the line it is left off
    counted = [int(n) for n in re.findall(r"and (\d+) more \(full citations in the deck notes\)\.",
                                          " ".join(layout.sources + layout.data))]
    assert sum(counted) == layout.cut
    assert len(counted) == (layout.cut > 0) + data_cut
    shown = " ".join(layout.sources + layout.data)
    assert sum(s in shown for s in sources) + sum(c in shown for c in credits) + layout.cut \
        == len(sources) + len(credits)
    # every item's lines lie inside the band, one below the other; the note beside the
    # credits only where their block leaves room for it
    per_point = (0.095 - 0.012) / height
    line = layout.size * 1.3 * per_point
    note_h = layout.note_size * 1.2 * per_point
    bottom = layout.data_top - len(layout.data) * line
    assert layout.data_top <= layout.sources_top - len(layout.sources) * line + 1e-9
    assert bottom >= 0.012 - 1e-9 and layout.note_y - note_h >= 0.012 - 1e-9
    beside = max(_chars(t, layout.size) for t in layout.data) + _chars(note, layout.note_size)
    if layout.note_y > bottom:
        assert beside < width and layout.note_y - note_h >= bottom - 1e-9


def test_the_french_footer_cuts_with_french_plurals():
    fr = load_language("fr")
    layout = lay_out_footer([f"Éditeur {i} (1 janv. 2024)" for i in range(300)], ["Réseau : OSM"],
                            "Projection de Mercator", width=1180.0, height=43.0, measure=_chars,
                            language=fr)
    text = " ".join(layout.sources)
    assert "\u202f; et " in text and "autres" in text and text.endswith(").")


def _boxes(fig, renderer) -> list[tuple[str, Bbox]]:
    out = []
    for artist in fig.texts:
        out.append((artist.get_gid() or artist.get_text()[:20], artist.get_window_extent(renderer)))
    for ax in fig.axes:
        if ax.get_label() == "panel":
            out += [(t.get_gid() or t.get_text()[:20], t.get_window_extent(renderer))
                    for t in ax.texts if t.get_text().strip()]
    return out


def _laid_out(routeset, language: str):
    """Draw a slide's furniture (header, panel with legend and key, footer) without its map."""
    lang = load_language(language)
    with matplotlib.rc_context(slide_rc()):
        spec = _fitted(overview(routeset, language=lang), size=(1920, 1080), dpi=150,
                       where=lang.gettext("transfers, each on its own slide"))
        canvas = setup_canvas(spec, (1920, 1080), 150, slide_texts([spec]))
        draw_header(canvas, spec)
        pax, w_pt, h_pt = _panel_axes(canvas.fig, canvas.scale)
        used = draw_legend(pax, legend_content(spec), width=w_pt, scale=canvas.scale)
        _key_callouts(pax, spec, canvas.texts, top=used + 2, bottom=h_pt - 6, width=w_pt,
                      scale=canvas.scale)
        draw_footer(canvas, spec)
        renderer = canvas.fig.canvas.get_renderer()
        return spec, canvas, _boxes(canvas.fig, renderer)


@pytest.mark.parametrize(("n", "language", "long_texts"), [
    (10, "en", False), (100, "ru", False), (100, "ko", True), (40, "fr", True)])
def test_every_furniture_item_stays_on_the_slide_and_apart(n, language, long_texts):
    routeset = many_transfers(n, long_texts=long_texts)
    spec, canvas, boxes = _laid_out(routeset, language)
    fig = canvas.fig.bbox
    map_box = canvas.ax.get_window_extent()
    for name, box in boxes:
        assert fig.x0 - 0.5 <= box.x0 and box.x1 <= fig.x1 + 0.5, name
        assert fig.y0 - 0.5 <= box.y0 and box.y1 <= fig.y1 + 0.5, name
        if name.startswith("footer"):
            assert box.y1 <= map_box.y0, name
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    names = [name for name, _ in boxes]
    assert {"footer-sources", "footer-data", "footer-projection", "title"} <= set(names)
    # a key that cannot list everything says how much it leaves out
    keyed = sum(name == "callout-text" for name in names)
    if keyed < (n if n <= 30 else 20) or spec.more_text:
        assert "callout-more" in names



def test_footer_widths_are_measured_once_across_slides(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slides of one build share their measured widths (a new dpi or font size setting is
    measured afresh), and the widths are the renderer's own."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure

    from routemap.maps.slides import footer

    monkeypatch.setattr(footer, "_WIDTHS", {})
    calls: list[str] = []
    own = RendererAgg.get_text_width_height_descent

    def counted(self, s, prop, ismath):  # type: ignore[no-untyped-def]
        calls.append(s)
        return own(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)

    def figure(dpi: float) -> Figure:
        fig = Figure(figsize=(4, 2), dpi=dpi)
        FigureCanvasAgg(fig)
        return fig

    text = "Reuters; Maxar Technologies; Ministry of Defence"
    first = footer._measurer(figure(100))(text, 7.6)
    assert footer._measurer(figure(100))(text, 7.6) == first
    assert calls == [text]
    assert footer._measurer(figure(200))(text, 7.6) == pytest.approx(first, rel=0.05)
    assert calls == [text, text]
    other = "none" if matplotlib.rcParams["text.hinting"] != "none" else "auto"
    with matplotlib.rc_context({"text.hinting": other}):
        footer._measurer(figure(100))(text, 7.6)
    assert len(calls) == 3
