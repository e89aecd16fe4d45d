"""PNG slides: each glyph image rendered once per process, for every place it is drawn at.

matplotlib (3.11) draws a text into a PNG glyph by glyph: it moves the font to the glyph's
place (in 1/64 pixel), has FreeType load, hint and render the glyph there, and paints the image.
A glyph's image depends on its font, size, resolution, rotation and slant, the hinting and
antialiasing settings and where inside a pixel it starts; moved by whole pixels it is the same
image, moved. The slides of a build share most of their texts (legend, credits, footer, names),
so about two glyphs in three are ones a slide of the same process has rendered already.
:func:`kept_glyphs` keeps each image under those, for the duration of one save, and paints a kept
one at its place, moved by whole pixels: the same pixels, without FreeType.

Before the glyphs, matplotlib shapes the text (libraqm: which glyphs, where) each time it draws
it; about half the texts a slide draws were drawn by an earlier slide of the process. Each
shaping is kept too, under the font, size, resolution, text, hinting, features and language,
and its glyphs are drawn as above.

It replaces matplotlib's private ``RendererAgg._draw_text_glyphs_and_boxes`` and its
``RendererAgg.draw_text`` while the save runs. If a method is not there, or its parameters are
not the ones this module knows, matplotlib's own is left alone (the PNG is the same, only
slower).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from matplotlib.backends import backend_agg

from routemap.maps.slides.standin import StandIn

__all__ = ["kept_glyphs"]

#: The parameters of matplotlib's glyph painting method this module stands in for.
_EXPECTED_PARAMETERS = ("self", "gc", "x", "y", "angle", "glyphs", "boxes")
#: The parameters of matplotlib's text drawing method this module stands in for.
_TEXT_PARAMETERS = ("self", "gc", "x", "y", "s", "prop", "angle", "ismath", "mtext")

#: Images kept at most; past it the store starts again (a slide has about 2,000 glyphs).
_MOST_KEPT = 60_000

def _draw_glyphs(renderer: Any, gc: Any, x: float, y: float, angle: float,
                 glyphs: Iterable[tuple[Any, ...]], boxes: Iterable[tuple[float, ...]]) -> None:
    """Paint glyphs and boxes as matplotlib's method does, each glyph image rendered once.

    The place of a glyph is split into whole pixels and the 1/64 pixel inside one; the image
    is kept under the font object, size, dpi, glyph, transform, that fraction, the hinting
    flags and the antialiasing, with its offset from the whole pixels, and painted there.
    """
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    load_flags = backend_agg.get_hinting_flag()
    antialiased = gc.get_antialiased()
    mode = backend_agg.RenderMode.NORMAL if antialiased else backend_agg.RenderMode.MONO
    height = renderer.height
    last: dict[int, tuple[Any, float, Any, list[int]]] = {}
    for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])
                  @ [[extend, extend * slant], [0, 1]]).round().astype(int)
        # FreeType's y is upwards
        delta = [round(0x40 * (x + dx * cos - dy * sin)),
                 round(0x40 * (height - y + dx * sin + dy * cos))]
        last[id(font)] = (font, size, matrix, delta)
        key = (id(font), size, renderer.dpi, glyph_index, matrix.tobytes(), delta[0] & 0x3F,
               delta[1] & 0x3F, load_flags, antialiased)
        kept = _KEPT.get(key)
        if kept is None:
            font.set_size(size, renderer.dpi)
            font._set_transform(matrix, delta)
            bitmap = font._render_glyph(glyph_index, load_flags, mode)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xff
            if len(_KEPT) >= _MOST_KEPT:
                _KEPT.clear()
            # the font is kept too, so that its id names no other font while it is kept
            kept = _KEPT[key] = (buffer, bitmap.left - (delta[0] >> 6),
                                 bitmap.top - (delta[1] >> 6), font)
        buffer, left, top, _ = kept
        # draw_text_image's y is downwards & the bitmap bottom side
        renderer._renderer.draw_text_image(
            buffer, left + (delta[0] >> 6),
            int(height) - (top + (delta[1] >> 6)) + buffer.shape[0], 0, gc)
    for font, size, matrix, delta in last.values():
        # each font left as matplotlib's method leaves it: at its last glyph's size and place
        font.set_size(size, renderer.dpi)
        font._set_transform(matrix, delta)
    if boxes:
        _STAND_IN.original(renderer, gc, x, y, angle, (), boxes)


#: Glyph images by font, size, dpi, glyph, transform, place inside a pixel and settings.
_KEPT: dict[tuple[object, ...], tuple[Any, int, int, Any]] = {}

_STAND_IN = StandIn(backend_agg.RendererAgg, "_draw_text_glyphs_and_boxes", _draw_glyphs,
                    _EXPECTED_PARAMETERS,
                    requires=lambda: all(hasattr(backend_agg, name)
                                         for name in ("get_hinting_flag", "RenderMode")))


def _draw_text(renderer: Any, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
               ismath: Any = False, mtext: Any = None) -> None:
    """Draw a text as matplotlib's method does, its shaping done once per process.

    The glyphs and their places, in pixels from the text's origin, are kept under the font
    object, size, dpi, text, hinting flags, font features and language (what the shaping
    reads); maths is drawn by matplotlib's own method.
    """
    if ismath:
        _TEXT_STAND_IN.original(renderer, gc, x, y, s, prop, angle, ismath, mtext)
        return
    font = renderer._prepare_font(prop)  # at the size and dpi, as matplotlib's method sets it
    flags = backend_agg.get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    size = prop.get_size_in_points()
    key = (id(font), size, renderer.dpi, s, flags, features, language)
    kept = _SHAPED.get(key)
    if kept is None:
        items = tuple((item.ft_object, item.glyph_index, item.x, item.y)
                      for item in font._layout(s, flags=flags, features=features, language=language))
        if len(_SHAPED) >= _MOST_SHAPED:
            _SHAPED.clear()
        kept = _SHAPED[key] = (items, font)  # the font kept, so that its id names no other
    renderer._draw_text_glyphs_and_boxes(
        gc, x, y, angle, ((face, size, index, 0, 1, dx, dy) for face, index, dx, dy in kept[0]), [])


#: Shapings by font, size, dpi, text, hinting, features and language: glyphs and places.
_SHAPED: dict[tuple[object, ...], tuple[tuple[tuple[Any, int, float, float], ...], Any]] = {}
#: Shapings kept at most; past it the store starts again (a slide draws about 60 texts).
_MOST_SHAPED = 20_000

_TEXT_STAND_IN = StandIn(backend_agg.RendererAgg, "draw_text", _draw_text, _TEXT_PARAMETERS,
                         requires=lambda: hasattr(backend_agg.RendererAgg, "_prepare_font"))


@contextmanager
def kept_glyphs() -> Iterator[bool]:
    """Paint the PNG texts saved inside this block with shapings and glyph images done once.

    Yields
    ------
    bool
        Whether the kept glyph images are in use (False: matplotlib's own method, unchanged);
        the kept shapings are used wherever matplotlib's text method is the one known.
    """
    with _STAND_IN.active() as used, _TEXT_STAND_IN.active():
        yield used
