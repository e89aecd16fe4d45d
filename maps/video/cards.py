"""The animation's title card and closing card, with the same sources line as every frame.

Each card is drawn on the film's own canvas (its map axes hidden), so the header, the
sources and licences line and the projection note are the slides' own, in the same places
as on the map frames.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from routemap.maps.language import Language
from routemap.maps.slides.canvas import Canvas, setup_canvas
from routemap.maps.slides.compose import draw_footer, draw_header
from routemap.maps.slides.furniture import wrap_to_width
from routemap.maps.style import BASEMAP_STYLE
from routemap.maps.video.content import VideoContent, period_words

__all__ = ["SOURCES_AT_END", "CardLayout", "closing_card", "draw_sources_line", "points_axes",
           "source_columns", "title_card"]

#: How the sources line ends when it is cut: the closing card lists every source.
SOURCES_AT_END = ("; and {count} more, listed at the end.", "; and {count} more, listed at the end.")
_DPI = 150.0
_LIST_SIZES = (10.0, 9.0, 8.0, 7.5, 7.0, 6.5)


@dataclass(frozen=True)
class CardLayout:
    """A card's size, text scale, the map rectangle its footer is measured by, and the lines a
    long title may take (see :func:`routemap.maps.slides.compose.draw_header`)."""

    size: tuple[int, int]
    scale: float
    map_rect: tuple[float, float, float, float]
    title_lines: int = 1


def points_axes(fig: Figure, rect: tuple[float, float, float, float],
                label: str) -> tuple[Axes, float, float]:
    """Add an axes measured in points from its top-left corner; return it and its size.

    Parameters
    ----------
    fig : Figure
        The figure.
    rect : tuple of float
        Left, bottom, width, height in figure fractions.
    label : str
        The axes' label.

    Returns
    -------
    tuple
        The axes, its width and its height in points.
    """
    ax = fig.add_axes(rect, label=label)
    ax.set_axis_off()
    w_pt, h_pt = rect[2] * fig.get_figwidth() * 72.0, rect[3] * fig.get_figheight() * 72.0
    ax.set_xlim(0, w_pt)
    ax.set_ylim(h_pt, 0)
    return ax, w_pt, h_pt


def draw_sources_line(canvas: Canvas, content: VideoContent) -> None:
    """Draw the slides' footer (sources, data licences, projection) on a film's frame, raised
    as one block when its licences line would run into the projection note (a narrow film
    wraps it longer)."""
    draw_footer(canvas, content.spec, more=SOURCES_AT_END)
    fig = canvas.fig
    texts = {t.get_gid(): t for t in fig.texts}
    data, note = texts.get("footer-data"), texts.get("footer-projection")
    if data is None or note is None:
        return
    renderer = fig.canvas.get_renderer()
    block, high = data.get_window_extent(renderer), note.get_window_extent(renderer)
    last = fig.text(block.x0 / fig.bbox.width, block.y0 / fig.bbox.height,
                    data.get_text().split("\n")[-1], fontsize=data.get_fontsize(),
                    ha="left", va="bottom")
    low = last.get_window_extent(renderer)  # the licences' last line, where the note sits
    last.remove()
    if low.overlaps(high):
        lift = (high.y1 - low.y0 + 3.0 * canvas.px_per_pt * canvas.scale) / fig.bbox.height
        for gid in ("footer-sources", "footer-data"):
            if gid in texts:
                x, y = texts[gid].get_position()
                texts[gid].set_position((x, y + lift))


def _card(content: VideoContent, layout: CardLayout) -> Canvas:
    """Return a blank card with the film's header and footer (the map axes hidden)."""
    canvas = setup_canvas(content.spec, layout.size, _DPI, content.texts, rect=layout.map_rect,
                          scale=layout.scale)
    canvas.ax.set_visible(False)
    draw_sources_line(canvas, content)
    return canvas


def _pixels(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def title_card(content: VideoContent, layout: CardLayout) -> np.ndarray:
    """Return the title card as an (height, width, 4) uint8 RGBA array: the kicker, title
    and subtitle, the timeline's period, the as-of date and how to read the lines.

    Parameters
    ----------
    content : VideoContent
        What the film shows.
    layout : CardLayout
        The film's size.

    Returns
    -------
    numpy.ndarray
    """
    canvas = _card(content, layout)
    fig, s, lang = canvas.fig, layout.scale, canvas.language
    spec = content.spec
    draw_header(canvas, replace(spec, as_of=""), title_lines=layout.title_lines)
    ax, w_pt, _ = points_axes(fig, (0.018, 0.20, 0.964, 0.60), "title-card")
    period = period_words(content)
    lines = [(lang.gettext("Timeline: {period}").format(period=period) if period else "",
              15.0, "bold", BASEMAP_STYLE.text),
             (spec.as_of, 11.0, "normal", BASEMAP_STYLE.muted_text),
             (_reading_note(lang), 11.0, "normal", BASEMAP_STYLE.text)]
    y = 30.0 * s
    for text, size, weight, colour in lines:
        if not text:
            continue
        block = wrap_to_width(text, w_pt * 0.8, size * s)
        ax.text(0, y, block, fontsize=size * s, fontweight=weight, color=colour, ha="left",
                va="top", linespacing=1.3, gid="title-card-line")
        y += (block.count("\n") + 1) * size * s * 1.3 + 14.0 * s
    return _pixels(fig)


def _reading_note(lang: Language) -> str:
    return lang.gettext(
        "Each leg appears as its period begins, drawn in its mode's colour with the "
        "certainty its sources give; it turns grey once its period is over. Numbered "
        "callouts appear at their dates.")


def source_columns(texts: list[str], *, width: float, height: float,
                   scale: float) -> tuple[float, list[list[str]], int]:
    """Return how a list of sources fits a box in columns: the text size, the wrapped
    entries of each column, and how many entries are left out (0 when all fit).

    Parameters
    ----------
    texts : list of str
        The entries, in order.
    width, height : float
        The box, points.
    scale : float
        The film's text scale.

    Returns
    -------
    tuple
    """
    for size in _LIST_SIZES:
        for count in (1, 2, 3, 4):
            columns = _fill(texts, width=width, height=height, size=size * scale, count=count)
            if columns is not None:
                return size, columns, 0
    size = _LIST_SIZES[-1] * scale
    for keep in range(len(texts) - 1, -1, -1):
        columns = _fill(texts[:keep], width=width, height=height - size * 1.6, size=size,
                        count=4)
        if columns is not None:
            return _LIST_SIZES[-1], columns, len(texts) - keep
    return _LIST_SIZES[-1], [], len(texts)


def _fill(texts: list[str], *, width: float, height: float, size: float,
          count: int) -> list[list[str]] | None:
    """Return the entries flowed down ``count`` columns, or None if they do not fit."""
    gap = 2.0 * size
    col_w = (width - gap * (count - 1)) / count
    columns: list[list[str]] = [[]]
    y = 0.0
    for text in texts:
        block = wrap_to_width(text, col_w, size)
        h = (block.count("\n") + 1) * size * 1.25 + 0.35 * size
        if y + h > height:
            if len(columns) == count:
                return None
            columns.append([])
            y = 0.0
        columns[-1].append(block)
        y += h
    return columns


def closing_card(content: VideoContent, layout: CardLayout) -> np.ndarray:
    """Return the closing card as an (height, width, 4) uint8 RGBA array: every source the
    film cites (publisher and date), and the callouts left off the timeline for want of a date.

    Parameters
    ----------
    content : VideoContent
        What the film shows.
    layout : CardLayout
        The film's size.

    Returns
    -------
    numpy.ndarray
    """
    canvas = _card(content, layout)
    fig, s, lang = canvas.fig, layout.scale, canvas.language
    ax, w_pt, h_pt = points_axes(fig, (0.018, 0.135, 0.964, 0.815), "closing-card")
    ax.text(0, 0, lang.gettext("Sources cited"), fontsize=20.0 * s, fontweight="bold",
            color=BASEMAP_STYLE.text, ha="left", va="top", gid="closing-title")
    top = 34.0 * s
    notes = []
    if content.undated:
        notes.append(lang.ngettext(
            "{count} callout has no date and is not on the timeline.",
            "{count} callouts have no date and are not on the timeline.",
            content.undated).format(count=lang.number(content.undated)))
    bottom = h_pt - (18.0 * s if notes else 0.0)
    texts = [canvas.printable(t) for t in content.spec.sources]
    size, columns, left_out = source_columns(texts, width=w_pt, height=bottom - top, scale=s)
    col_w = (w_pt - 2.0 * size * s * (max(len(columns), 1) - 1)) / max(len(columns), 1)
    for i, column in enumerate(columns):
        ax.text(i * (col_w + 2.0 * size * s), top, "\n".join(column), fontsize=size * s,
                color=BASEMAP_STYLE.text, ha="left", va="top", linespacing=1.25,
                gid="closing-sources")
    if left_out:
        notes.insert(0, lang.ngettext("+{count} more source", "+{count} more sources",
                                      left_out).format(count=lang.number(left_out)))
    if notes:
        ax.text(0, h_pt, "  ".join(notes), fontsize=9.0 * s, color=BASEMAP_STYLE.muted_text,
                ha="left", va="bottom", gid="closing-notes")
    return _pixels(fig)
