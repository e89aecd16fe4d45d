"""A slide's footer: its sources line, data credits and projection note, fitted below the map.

The footer band runs from the map's bottom edge to the slide's. Its three items are stacked
from the band's top: the sources, the credits, and the projection note beside the credits where
their block leaves room, else below them; each wrapped at its width as the slide's fonts measure
it, the text shrinking down to a legible least size and then the series cut with "and N more"
naming where the rest are listed. Whatever their length and script, they stay inside the slide
and never overlap one another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.font_manager import FontProperties

from routemap.maps.citations import credit
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.projection import MapFrame
from routemap.maps.slides.fonts import text_setting
from routemap.maps.style import BASEMAP_STYLE

__all__ = [
    "DECK_NOTES",
    "FOOTER_SIZES",
    "FooterLayout",
    "draw_footer",
    "lay_out_footer",
    "projection_note",
]

#: How a cut series ends on a slide: where the other items are listed (singular, plural).
DECK_NOTES = ("; and {count} more (full citations in the deck notes).",
              "; and {count} more (full citations in the deck notes).")
FOOTER_SIZES = (7.6, 7.2, 6.8, 6.4, 6.0)
"""The footer's text sizes, points at the slides' base width, largest first; 6 pt (12.5
pixels on a 1920-pixel slide) is the least it shrinks to, the size a projected slide can
still be read at."""
_NOTE_RATIO = 6.5 / FOOTER_SIZES[0]
"""The projection note's size relative to the other footer lines (6.5 points beside 7.6), never
under the least size."""
_SPACING = 1.3
"""The footer blocks' line spacing: a row of a block is this many em high (matplotlib rows are
the line spacing times the font chain's 'lp' height, 1 em)."""
_NOTE_SPACING = 1.2
"""The projection note's height in em (one line, matplotlib's default spacing)."""
_TOP, _BOTTOM = 0.095, 0.012
"""The band's top and bottom, figure fractions from the slide's bottom."""
_SAFETY = 1.03
"""Widths are measured word by word; a line is given 3% to spare for kerning."""

Measure = Callable[[str, float], float]
"""A text's width in points at a size in points."""


@dataclass(frozen=True)
class FooterLayout:
    """Where a footer's lines go: its size (points), the lines of each item, and their tops.

    ``*_top`` and ``note_y`` are figure fractions from the bottom, where each item's top
    lies; ``cut`` counts the sources and credits left off the slide (named by the "and N
    more" ending).
    """

    size: float
    sources: tuple[str, ...]
    data: tuple[str, ...]
    note: str
    sources_top: float
    data_top: float
    note_y: float
    cut: int = 0
    note_size: float = 0.0
    """The projection note's size, points."""


def _wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Return ``text`` broken at spaces into lines no wider than ``width`` points; a word wider
    than a line on its own is cut between characters."""
    space = measure(" ", size)
    lines: list[str] = []
    line, used = "", 0.0
    for word in text.split(" "):
        w = measure(word, size)
        if line and used + space + w > width:
            lines.append(line)
            line, used = "", 0.0
        while w > width and len(word) > 1:
            cut = max(1, int(len(word) * width / w))
            while cut > 1 and measure(word[:cut], size) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            w = measure(word, size)
        line, used = (f"{line} {word}", used + space + w) if line else (word, w)
    return [*lines, line] if line else lines


def _series_lines(prefix: str, items: Sequence[str], join: Callable[[Sequence[str]], str],
                  tail: Callable[[int], str], *, width: float, size: float, lines: int,
                  measure: Measure) -> tuple[list[str], int]:
    """Return the most items of a series that wrap into ``lines`` lines, ended with ``tail``
    counting those left off (as few as one: a lone item too long is cut inside), and how many
    were left off."""
    def text(k: int) -> list[str]:
        body = prefix + join(items[:k])
        return _wrap(body + ("." if k == len(items) else tail(len(items) - k)), width, size,
                     measure)

    whole = text(len(items))
    if len(whole) <= lines:
        return whole, 0
    low, high = 0, len(items) - 1  # the largest k whose text fits: binary search
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if len(text(mid)) <= lines else (low, mid - 1)
    return text(low)[:lines], len(items) - low


def lay_out_footer(sources: Sequence[str], credits: Sequence[str], note: str, *,
                   width: float, height: float, measure: Measure, scale: float = 1.0,
                   language: Language | None = None,
                   ending: tuple[str, str] = DECK_NOTES) -> FooterLayout:
    """Return how a footer fits a band ``width`` by ``height`` points.

    Parameters
    ----------
    sources : sequence of str
        The short citations, in order.
    credits : sequence of str
        The data credit lines, already in the language.
    note : str
        The projection note.
    width, height : float
        The band, points; its top is :data:`_TOP` of the figure.
    measure : callable
        A text's width in points at a size in points, as the slide's fonts draw it.
    scale : float
        The slide's size relative to the base width (the text sizes are multiplied by it).
    language : Language, optional
        The language of the words and punctuation (None: English).
    ending : tuple of str
        The message (singular, plural, ``{count}``) ending a cut series.

    Returns
    -------
    FooterLayout
        Heights are in figure fractions of ``height / (_TOP - _BOTTOM)`` points each.
    """
    lang = load_language(DEFAULT_LANGUAGE) if language is None else language
    fit = _Fit(list(sources), list(credits), note, width / _SAFETY, measure, lang, ending,
               FOOTER_SIZES[-1] * scale)
    per_point = (_TOP - _BOTTOM) / height
    for size in FOOTER_SIZES:
        stacked = fit.stacked(size * scale, height, per_point, cut=size == FOOTER_SIZES[-1])
        if stacked is not None:
            return stacked
    raise AssertionError("the least size always fits by cutting")  # pragma: no cover


@dataclass
class _Fit:
    """The footer's texts and how to measure them, for trying the layouts in turn."""

    sources: list[str]
    credits: list[str]
    note: str
    width: float
    measure: Measure
    language: Language
    ending: tuple[str, str]
    least: float
    """The least text size, points (the slide's scale applied)."""

    def _tail(self, count: int) -> str:
        return self.language.ngettext(*self.ending, count).format(
            count=self.language.number(count))

    def _sources(self, size: float, lines: int) -> tuple[list[str], int]:
        if not self.sources:
            return [], 0
        return _series_lines(self.language.gettext("Sources: "), self.sources,
                             self.language.series, self._tail, width=self.width, size=size,
                             lines=lines, measure=self.measure)

    def _credits(self, size: float, lines: int) -> tuple[list[str], int]:
        if not self.credits:
            return [], 0
        prefix = self.language.gettext("Data: ")
        body = prefix + " \u00b7 ".join(self.credits)
        if lines >= 99:
            return _wrap(body, self.width, size, self.measure), 0
        return _series_lines(prefix, self.credits, " \u00b7 ".join, self._tail,
                             width=self.width, size=size, lines=lines, measure=self.measure)

    def note_size(self, size: float) -> float:
        """Return the projection note's size beside footer lines of ``size`` points."""
        return max(size * _NOTE_RATIO, self.least)

    def _note_beside(self, lines: Sequence[str], size: float) -> bool:
        """Return whether the note fits right-aligned beside a block of ``lines`` (its widest:
        the block is one box, which the note must not enter)."""
        gap = 2.0 * self.measure(" ", size)
        widest = max((self.measure(t, size) for t in lines), default=0.0)
        return widest + gap + self.measure(self.note, self.note_size(size)) <= self.width

    def stacked(self, size: float, height: float, per_point: float, *,
                cut: bool) -> FooterLayout | None:
        """Return the items stacked from the band's top at ``size``: the sources (at most two
        lines), the credits, the note beside the credits' block or below it; None when they do
        not fit and ``cut`` is False, else the series cut to the room."""
        line = size * _SPACING  # one row of a block, points (matplotlib: linespacing x 1 em)
        note_h = self.note_size(size) * _NOTE_SPACING
        gap = 0.35 * size

        def used(src: list[str], data: list[str]) -> tuple[float, bool]:
            beside = bool(data) and self._note_beside(data, size)
            blocks = (len(src) + len(data)) * line + (gap if src and data else 0.0)
            return blocks + (0.0 if beside else gap + note_h), beside

        src, left_off = self._sources(size, 2)
        data, more = self._credits(size, 99)
        if used(src, data)[0] > height:
            if not cut:
                return None
            src, data, left_off, more = self._cut(size, height, used)
        beside = used(src, data)[1]
        data_top = _TOP - (len(src) * line + (gap if src and data else 0.0)) * per_point
        bottom = data_top - len(data) * line * per_point
        note_y = (bottom + (line + note_h) / 2.0 * per_point if beside
                  else bottom - gap * per_point)
        return FooterLayout(size, tuple(src), tuple(data), self.note, _TOP, data_top, note_y,
                            cut=left_off + more, note_size=self.note_size(size))

    def _cut(self, size: float, height: float, used: Callable) -> tuple[list, list, int, int]:
        """Return the sources and credits cut to fit ``height``: the sources in two lines or
        one, the credits in as many lines as are left (at least one)."""
        best: tuple[list, list, int, int] | None = None
        for src_lines in (2, 1):
            src, left_off = self._sources(size, src_lines)
            for data_lines in range(8, 0, -1):
                data, more = self._credits(size, data_lines)
                best = (src, data, left_off, more)
                if used(src, data)[0] <= height:
                    return best
        assert best is not None
        return best


def projection_note(frame: MapFrame, language: Language) -> str:
    """Return the footer's projection line in ``language`` ('Mercator projection, central
    meridian 40.0°E; WGS 84'); compass letters too (French writes west 'O')."""
    params = dict(p[1:].split("=", 1) for p in frame.proj.split() if "=" in p)
    _ = language.gettext

    def deg(v: str, pos: str, neg: str) -> str:
        x = float(v)
        return _(pos if x >= 0 else neg).format(value=language.number(abs(x), decimals=1))

    if params.get("proj") == "lcc":
        return _("Lambert conformal conic projection, standard parallels {first} and {second}, "
                 "central meridian {meridian}; WGS 84").format(
            first=deg(params["lat_1"], *_NORTH_SOUTH), second=deg(params["lat_2"], *_NORTH_SOUTH),
            meridian=deg(params["lon_0"], *_EAST_WEST))
    return _("Mercator projection, central meridian {meridian}; WGS 84").format(
        meridian=deg(params.get("lon_0", "0"), *_EAST_WEST))


_NORTH_SOUTH = ("{value}\u00b0N", "{value}\u00b0S")
_EAST_WEST = ("{value}\u00b0E", "{value}\u00b0W")


def _measurer(fig: object) -> Measure:
    """Return a measure of text widths in points as ``fig``'s renderer draws them: each text
    measured once, at a reference size, and scaled (outline fonts scale linearly).

    The widths are kept for the process under everything that changes them (the renderer's
    kind and dpi, the fonts installed, the font chain, hinting settings), so the
    slides of a build that share a sources line measure it once: the numbers matplotlib gives
    each time.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_pt = 72.0 / fig.dpi / _REFERENCE_PT  # type: ignore[attr-defined]
    prop = FontProperties(size=_REFERENCE_PT)
    setting = (type(renderer).__qualname__, float(fig.dpi), prop,  # type: ignore[attr-defined]
               *text_setting())
    seen = _WIDTHS.setdefault(setting, {})

    def measure(text: str, size: float) -> float:
        if text not in seen:
            w, _, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
            seen[text] = w * to_pt
        return seen[text] * size

    return measure


_REFERENCE_PT = 10.0
_WIDTHS: dict[tuple[object, ...], dict[str, float]] = {}
"""Widths at the reference size, points per point of size, by measuring setting and text."""


def draw_footer(fig: object, *, left: float, right: float, frame: MapFrame, sources: Sequence[str],
                attributions: Sequence[str], scale: float, language: Language,
                ending: tuple[str, str] = DECK_NOTES) -> FooterLayout:
    """Draw a slide's sources line, data credits and projection note in its footer band.

    Parameters
    ----------
    fig : Figure
        The slide (an Agg canvas attached).
    left, right : float
        The band's ends, figure fractions.
    frame : MapFrame
        The map's frame (its projection is noted).
    sources : sequence of str
        The short citations.
    attributions : sequence of str
        The data credit lines (written in ``language`` here).
    scale : float
        The slide's width relative to the base width.
    language : Language
        The language of the words.
    ending : tuple of str
        How a cut series ends (singular, plural, ``{count}``): where the rest are listed.

    Returns
    -------
    FooterLayout
    """
    w_in, h_in = fig.get_figwidth(), fig.get_figheight()  # type: ignore[attr-defined]
    layout = lay_out_footer(list(sources), [credit(a, language=language) for a in attributions],
                            projection_note(frame, language),
                            width=(right - left) * w_in * 72.0,
                            height=(_TOP - _BOTTOM) * h_in * 72.0, measure=_measurer(fig),
                            scale=scale, language=language, ending=ending)
    text = fig.text  # type: ignore[attr-defined]
    if layout.sources:
        text(left, layout.sources_top, "\n".join(layout.sources), fontsize=layout.size,
             color=BASEMAP_STYLE.text, ha="left", va="top", linespacing=_SPACING,
             gid="footer-sources")
    if layout.data:
        text(left, layout.data_top, "\n".join(layout.data), fontsize=layout.size,
             color=BASEMAP_STYLE.muted_text, ha="left", va="top", linespacing=_SPACING,
             gid="footer-data")
    text(right, layout.note_y, layout.note, fontsize=layout.note_size,
         color=BASEMAP_STYLE.muted_text, ha="right", va="top", gid="footer-projection")
    return layout
