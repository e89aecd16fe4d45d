"""PNG slides' texts shaped and glyph images rendered once: the same pixels, matplotlib restored."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends import backend_agg
from matplotlib.figure import Figure

from routemap.maps.slides import glyphs
from routemap.maps.slides.glyphs import kept_glyphs


def _figure(shift: float = 0.0) -> Figure:
    """Texts at fractional places, rotated, slanted, bold, unantialiased, in two scripts, and
    maths (glyphs and a fraction bar), repeated a pixel and a fraction of one apart."""
    figure = Figure(figsize=(3.1, 1.7), dpi=97)
    for i, dx in enumerate((0.0, 1 / 310, 0.37 / 310, 5.5 / 310)):
        figure.text(0.03 + dx + shift, 0.82 - 0.19 * i, "Rajin → Пхеньян, 2024", fontsize=7 + i / 3)
    figure.text(0.55, 0.2, "Tumangang", rotation=33.3, fontsize=8, fontweight="bold")
    figure.text(0.7, 0.6, "Vostochny", fontsize=9, fontstyle="italic", antialiased=False)
    figure.text(0.5, 0.05, r"$\frac{12}{7}\,\mathrm{km}$", fontsize=9)
    return figure


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=figure.dpi)
    return out.getvalue()


def test_kept_glyph_images_paint_the_same_pixels():
    """Saved with kept shapings and images, first and again (every text and glyph then kept),
    the PNG's bytes are matplotlib's own; the second save shapes no text and renders no glyph
    afresh; matplotlib's methods are back."""
    original = backend_agg.RendererAgg._draw_text_glyphs_and_boxes
    original_text = backend_agg.RendererAgg.draw_text
    with matplotlib.rc_context({"text.hinting": "force_autohint"}):
        expected = [_png(_figure()), _png(_figure(0.21 / 310))]
        glyphs._KEPT.clear()
        glyphs._SHAPED.clear()
        with kept_glyphs() as kept:
            assert kept
            first = [_png(_figure()), _png(_figure(0.21 / 310))]
            rendered, shaped = len(glyphs._KEPT), len(glyphs._SHAPED)
            again = [_png(_figure()), _png(_figure(0.21 / 310))]
            assert len(glyphs._KEPT) == rendered > 0
            assert len(glyphs._SHAPED) == shaped == 6  # 4 sizes of one text, 2 others (maths: none)
    assert first == expected
    assert again == expected
    assert backend_agg.RendererAgg._draw_text_glyphs_and_boxes is original
    assert backend_agg.RendererAgg.draw_text is original_text


def test_a_glyph_moved_by_whole_pixels_is_rendered_once():
    """The same text a whole number of pixels apart reuses its glyph images."""
    figure = Figure(figsize=(2, 1), dpi=100)
    figure.text(0.1, 0.5, "abc", fontsize=10)
    figure.text(0.1 + 7 / 200, 0.5 + 3 / 100, "abc", fontsize=10)
    glyphs._KEPT.clear()
    with kept_glyphs():
        _png(figure)
    assert len(glyphs._KEPT) == 3
