"""PDF slides: each text measured and shaped once per process, not once per slide.

matplotlib (3.11) makes a new renderer for every PDF it saves, and its text metrics are kept
per renderer, so every slide measures its texts afresh (FreeType lays each out to give its
width, height and descent), then shapes each one again to write it (libraqm: which glyphs,
where). The slides of a build share about half their texts (legend, credits, footer, names).
:func:`kept_pdf_text` keeps both, for the process, under the font object the text is set in
(the font file or fallback chain resolved for its properties), its size and the text:

- a text's width, height and descent, standing in for
  ``RendererPDFPSBase.get_text_width_height_descent`` (maths and the 14 core fonts are left
  to matplotlib);
- its shaping, standing in for ``_text_helpers.layout``: the same items in the same order.
  matplotlib's function also loads each item's glyph into the font as it hands the item out;
  the PDF renderer's ``draw_text`` reads only the items, so for it no glyph is loaded.

The size a font is set to is not readable from the font object, and other code (text drawn
as paths) sets the same font object to other sizes, so a shaping is kept and reused only while
the PDF renderer's ``draw_text`` runs, which sets the font to the text's size just before it
shapes it: ``draw_text`` is stood in for by a wrapper that notes the text and its size. A
function not there, or whose parameters are not the ones this module knows, is left alone, and
the work is then done afresh (the PDF is the same, only slower).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import matplotlib
from matplotlib import _text_helpers
from matplotlib.backends import _backend_pdf_ps, backend_pdf
from matplotlib.ft2font import LoadFlags

from routemap.maps.slides.standin import StandIn

__all__ = ["kept_pdf_text"]

#: Entries kept at most in each store; past it the store starts again.
_MOST_KEPT = 20_000

_Base = _backend_pdf_ps.RendererPDFPSBase


def _draw_text(renderer: Any, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
               ismath: Any = False, mtext: Any = None) -> None:
    """Draw a text as matplotlib's method does, noting it and its size while it runs."""
    outer = getattr(_DRAWING, "text", None)
    _DRAWING.text = (s, prop.get_size_in_points())
    try:
        _DRAW.original(renderer, gc, x, y, s, prop, angle, ismath, mtext)
    finally:
        _DRAWING.text = outer


def _metrics(renderer: Any, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
    """Return a text's width, height and descent in points, as matplotlib's method does."""
    if ismath or matplotlib.rcParams[renderer._use_afm_rc_name]:
        return _METRICS.original(renderer, s, prop, ismath)
    font = renderer._get_font_ttf(prop)
    key = (id(font), prop.get_size_in_points(), s)
    kept = _MEASURED.get(key)
    if kept is None:
        if len(_MEASURED) >= _MOST_KEPT:
            _MEASURED.clear()
        kept = _MEASURED[key] = (_METRICS.original(renderer, s, prop, ismath), font)
    return kept[0]


def _layout(string: str, font: Any, *, features: Any = None,
            language: Any = None) -> Iterator[Any]:
    """Yield a text's layout items as matplotlib's function does, the shaping done once for
    the texts the PDF renderer draws, their glyphs not loaded into the font (any other
    shaping is matplotlib's own)."""
    drawing = getattr(_DRAWING, "text", None)
    if drawing is None or drawing[0] != string:
        yield from _LAYOUT.original(string, font, features=features, language=language)
        return
    key = (id(font), drawing[1], string, features, language)
    kept = _SHAPED.get(key)
    if kept is None:
        items = tuple(font._layout(string, LoadFlags.NO_HINTING, features=features,
                                   language=language))
        if len(_SHAPED) >= _MOST_KEPT:
            _SHAPED.clear()
        kept = _SHAPED[key] = (items, font)  # the font kept, so that its id names no other
    yield from kept[0]


#: The text the PDF renderer is drawing in this thread, and its size in points.
_DRAWING = threading.local()
#: (font id, size, text) -> ((width, height, descent), the font).
_MEASURED: dict[tuple[Any, ...], tuple[tuple[float, float, float], Any]] = {}
#: (font id, size, text, features, language) -> (layout items, the font).
_SHAPED: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}

_DRAW = StandIn(backend_pdf.RendererPdf, "draw_text", _draw_text,
                ("self", "gc", "x", "y", "s", "prop", "angle", "ismath", "mtext"))
_METRICS = StandIn(_Base, "get_text_width_height_descent", _metrics, ("self", "s", "prop", "ismath"),
                   requires=lambda: hasattr(backend_pdf.RendererPdf, "_use_afm_rc_name")
                   and hasattr(_Base, "_get_font_ttf"))
_LAYOUT = StandIn(_text_helpers, "layout", _layout, ("string", "font", "features", "language"))


@contextmanager
def kept_pdf_text() -> Iterator[bool]:
    """Measure and shape the texts of the PDFs saved inside this block once per process.

    Yields
    ------
    bool
        Whether the kept measures and shapings are in use (False: matplotlib's own, unchanged).
    """
    with ExitStack() as stack:
        measured = stack.enter_context(_METRICS.active())
        shaped = stack.enter_context(_DRAW.active()) and stack.enter_context(_LAYOUT.active())
        yield measured or shaped
