"""Fonts per script: Hangul and Cyrillic draw as glyphs (never boxes) on slides, and the PDF
embeds the fonts it uses."""

from __future__ import annotations

import re

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font

from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.fonts import font_advice, font_chain, missing_glyphs
from routemap.maps.slides.render import figure_bytes


def _family_drawing(char: str) -> str | None:
    """Return the first family of the slides' chain with a glyph for ``char`` (the one
    matplotlib's per-glyph fallback draws it with), or None."""
    for family in font_chain():
        path = findfont(FontProperties(family=family), fallback_to_default=False)
        if get_font(path).get_char_index(ord(char)):
            return family
    return None


def _pixels(text: str) -> np.ndarray:
    """Return the grey pixels of ``text`` drawn alone at 40 pt with the slides' fonts."""
    with matplotlib.rc_context(slide_rc()):
        fig = Figure(figsize=(1.2, 1.0), dpi=72)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.1, 0.2, text, fontsize=40)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., 0].copy()


@pytest.fixture(scope="module")
def hangul_family() -> str:
    """The family that draws Hangul; the test needs a Korean font (Debian: fonts-noto-cjk,
    which .ci/run installs)."""
    family = _family_drawing("평")
    if family is None:
        pytest.skip("no Korean font installed: " + font_advice("평"))
    return family


def test_hangul_is_drawn_with_a_korean_font(hangul_family):
    assert re.search(r"CJK|KR|Nanum|Korean", hangul_family)
    assert missing_glyphs("평양 Хасан", list(font_chain())) == ""


@pytest.mark.parametrize(("first", "second"), [("평", "양"), ("Х", "Я")])
def test_two_letters_of_a_script_draw_differently_so_neither_is_a_box(first, second,
                                                                     hangul_family):
    a, b = _pixels(first), _pixels(second)
    assert (a < 128).sum() > 40 and (b < 128).sum() > 40  # something is drawn
    assert np.count_nonzero(a != b) > 40  # two boxes would be the same picture


def test_cyrillic_is_drawn_with_the_first_font():
    assert _family_drawing("Х") == font_chain()[0]


def test_the_pdf_embeds_the_fonts_of_korean_and_cyrillic_labels(hangul_family):
    with matplotlib.rc_context(slide_rc()):
        fig = Figure(figsize=(3, 1))
        FigureCanvasAgg(fig)
        fig.text(0.1, 0.5, "평양 · Хасан")
    pdf = figure_bytes(fig, "pdf")
    names = re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/]+)", pdf)
    assert pdf.count(b"/FontFile2") >= 2  # TrueType embedded (pdf.fonttype 42), one per font
    korean = hangul_family.replace(" ", "").encode()
    assert any(n.lower().startswith(korean[:12].lower()) for n in names), names
    assert any(n.startswith(b"DejaVuSans") for n in names), names


@pytest.mark.parametrize(("chars", "package"), [("평", "fonts-noto-cjk"), ("Я", "fonts-dejavu-core")])
def test_a_missing_font_names_the_package_that_provides_it(chars, package):
    assert f"sudo apt install {package}'" in font_advice(chars)
