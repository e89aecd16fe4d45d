"""Map furniture for slides: scale bar, north arrow, inset locator, legend panel, header, footer."""

from __future__ import annotations

import functools
import math
import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, Rectangle

from routemap.maps import wording
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.projection import MapFrame, km_per_unit, north_angle
from routemap.maps.slides.layers import SLIDE_WIDTH_PT, Z
from routemap.maps.slides.observed import observed_legend_rows
from routemap.maps.style import (
    ANNOTATION_COLOR,
    BASEMAP_STYLE,
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_LEGEND,
    PATH_STYLES,
    PLACE_STYLES,
    WidthLegend,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CalloutListFit",
    "LegendContent",
    "NorthArrow",
    "ScaleBar",
    "draw_badge",
    "draw_callout_list",
    "draw_haloed_text",
    "draw_legend",
    "draw_north_arrow",
    "draw_scale_bar",
    "fit_callout_list",
    "nice_length",
    "scale_bar_for",
    "wrap_to_width",
]


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar: its ground length, its length in projected metres and where it is true."""

    length_km: float
    length_units: float
    true_at: tuple[float, float]


@dataclass(frozen=True)
class NorthArrow:
    """A north arrow: where it stands (projected metres) and its angle from map-up, degrees."""

    x: float
    y: float
    angle: float


def nice_length(km: float) -> float:
    """Return the largest 1, 2, 2.5 or 5 times a power of ten that is at most ``km``."""
    exp = math.floor(math.log10(km))
    for step in (5.0, 2.5, 2.0, 1.0):
        if step * 10**exp <= km:
            return step * 10**exp
    return 10.0 ** (exp - 1) * 5.0


def scale_bar_for(frame: MapFrame, *, fraction: float = 0.18) -> ScaleBar:
    """Return a round-length scale bar about ``fraction`` of the map wide, true at its centre."""
    cx, cy = frame.center
    kpu = km_per_unit(frame, cx, cy)
    length = nice_length(frame.width * fraction * kpu)
    lon, lat = frame.inverse(np.array([cx]), np.array([cy]))
    return ScaleBar(length, length / kpu, (float(lon[0]), float(lat[0])))


def draw_scale_bar(ax: Axes, bar: ScaleBar, *, x: float, y: float, upp: float,
                   scale: float, note: str = "Scale true at map centre",
                   language: Language | None = None) -> tuple[float, float, float, float]:
    """Draw a two-tone scale bar with its left end at (x, y); return its data bounds.

    ``upp`` is projected metres per point, to size the bar's thickness and text; ``note``
    is the small line under the bar (an English message, written in ``language``); the
    numbers are written in ``language`` (None: English).
    """
    h = 4.0 * scale * upp
    half = bar.length_units / 2.0
    for i, face in enumerate((BASEMAP_STYLE.text, "white")):
        ax.add_artist(Rectangle((x + i * half, y), half, h, facecolor=face,
                               edgecolor=BASEMAP_STYLE.text, linewidth=0.7 * scale,
                               zorder=Z["furniture"], gid="scalebar"))
    size = 8.0 * scale
    ticks = [(0.0, "0"), (0.5, wording.number(bar.length_km / 2, decimals=1, language=language)),
             (1.0, wording.distance(bar.length_km, decimals=1, language=language))]
    if bar.length_units / upp < 60.0 * scale:  # too short for three numbers side by side
        ticks.pop(1)
    for frac, text in ticks:
        ax.text(x + frac * bar.length_units, y + h + 2.5 * scale * upp, text, fontsize=size,
                ha="center", va="bottom", color=BASEMAP_STYLE.text, zorder=Z["furniture"],
                gid="scalebar-text")
    if note:
        ax.text(x, y - 3.0 * scale * upp, _words(language).gettext(note), fontsize=6.5 * scale,
                ha="left", va="top", color=BASEMAP_STYLE.muted_text, zorder=Z["furniture"],
                gid="scalebar-note")
    return (x - 8 * scale * upp, y - 13 * scale * upp,
            x + bar.length_units + 14 * scale * upp, y + h + 16 * scale * upp)


def draw_north_arrow(ax: Axes, frame: MapFrame, *, x: float, y: float, upp: float,
                     scale: float) -> NorthArrow:
    """Draw a north arrow at (x, y) pointing to true north there; return where and how."""
    angle = north_angle(frame, x, y)
    length = 26.0 * scale * upp
    rot = np.radians(angle)
    c, s = math.cos(rot), math.sin(rot)

    def turn(px: float, py: float) -> tuple[float, float]:
        return x + px * c - py * s, y + px * s + py * c

    tip = turn(0, length / 2)
    left, right = turn(-length * 0.22, -length / 2), turn(length * 0.22, -length / 2)
    notch = turn(0, -length * 0.28)
    ax.add_artist(Polygon([tip, left, notch], closed=True, facecolor="white",
                         edgecolor=BASEMAP_STYLE.text, linewidth=0.8 * scale,
                         zorder=Z["furniture"], gid="north-arrow"))
    ax.add_artist(Polygon([tip, notch, right], closed=True, facecolor=BASEMAP_STYLE.text,
                         edgecolor=BASEMAP_STYLE.text, linewidth=0.8 * scale,
                         zorder=Z["furniture"], gid="north-arrow"))
    label = turn(0, length / 2 + 8.0 * scale * upp)
    ax.text(*label, "N", fontsize=10 * scale, fontweight="bold", ha="center", va="center",
            rotation=angle, rotation_mode="anchor", color=BASEMAP_STYLE.text,
            zorder=Z["furniture"], gid="north-arrow-text")
    return NorthArrow(x, y, angle)


@functools.lru_cache(maxsize=4096)
def wrap_to_width(text: str, width_pt: float, fontsize: float) -> str:
    """Wrap text at spaces to a width in points, estimating DejaVu Sans at 0.56 em per
    character and a wide character (Hangul, CJK: East Asian width W or F) at 1 em.

    A word wider than the line on its own is cut between characters.
    """
    if not any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text):
        return "\n".join(textwrap.wrap(text, max(int(width_pt / (fontsize * _NARROW_EM)), 8))) or text
    room = max(width_pt / fontsize, 8 * _NARROW_EM)
    lines: list[str] = []
    line, used = "", 0.0
    for word in _BREAKABLE.split(text.strip()):  # a no-break space keeps its words together
        size = _ems(word)
        gap = _NARROW_EM if line else 0.0
        if line and used + gap + size > room:
            lines.append(line)
            line, used, gap = "", 0.0, 0.0
        while size > room:  # a word longer than a line: as much as fits, then the rest
            cut, width = 0, 0.0
            while cut < len(word) and width + _ems(word[cut]) <= room - used - gap:
                width += _ems(word[cut])
                cut += 1
            cut = max(cut, 1)
            lines.append(line + (" " if gap else "") + word[:cut])
            word, size, line, used, gap = word[cut:], _ems(word[cut:]), "", 0.0, 0.0
        line += (" " if gap else "") + word
        used += gap + size
    if line:
        lines.append(line)
    return "\n".join(lines) or text


_BREAKABLE = re.compile(r"[ \t\n\r\f\v]+")
"""Where a line of wide characters may break: at ASCII white space, as textwrap breaks (never at a
no-break space, U+00A0 or U+202F)."""

_NARROW_EM = 0.56
"""DejaVu Sans' mean advance per character, in em (Latin and Cyrillic)."""


def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else _NARROW_EM for ch in text)


def draw_badge(ax: Axes, x: float, y: float, number: int, *, radius: float,
               fontsize: float, zorder: float, gid: str, kind: str = "annotation") -> None:
    """Draw a numbered badge centred at (x, y): dark disc for callouts, white for transfers."""
    dark = kind == "annotation"
    ax.add_artist(Circle((x, y), radius, facecolor=ANNOTATION_COLOR if dark else "white",
                         edgecolor="white" if dark else ANNOTATION_COLOR,
                         linewidth=fontsize * (0.12 if dark else 0.16), zorder=zorder, gid=gid))
    ax.text(x, y, str(number), fontsize=fontsize, fontweight="bold",
            color="white" if dark else ANNOTATION_COLOR, ha="center", va="center_baseline",
            zorder=zorder + 0.1, gid=f"{gid}-text")


@dataclass(frozen=True)
class LegendContent:
    """Which entries the legend lists (only what the slide shows)."""

    modes: tuple[str, ...]
    confidences: tuple[str, ...]
    kinds: tuple[str, ...]
    widths: WidthLegend
    muted: bool
    paths: tuple[str, ...] = ()
    """Path certainties (PATH_STYLES keys) of the lines shown; the band section is listed
    only when one of them is drawn over a band."""
    connectors: bool = False
    """Whether a leg shown has a stretch off the network (drawn in CONNECTOR_STYLE): only
    then is the connector row listed."""
    language: str = DEFAULT_LANGUAGE
    """The code of the language the legend is written in."""
    observed: tuple[str, ...] = ()
    """The observed (AIS) kinds the slide draws (``track``, ``gap``, ``port_call``, ``encounter``)."""
    verdicts: tuple[str, ...] = ()
    """The verdicts on the slide's legs and their evidence, in words, listed under the observed kinds."""


def _words(language: Language | None) -> Language:
    """Return the language to write in (English for None)."""
    return load_language(DEFAULT_LANGUAGE) if language is None else language


class _Column:
    """A top-down writer in a panel axes whose units are points (y grows downward)."""

    def __init__(self, ax: Axes | None, width: float, scale: float) -> None:
        self.ax, self.width, self.scale, self.y = ax, width, scale, 0.0

    def header(self, text: str) -> None:
        # Bold capitals run about 1.3 times as wide as the body text wrap_to_width estimates.
        size = 7.5 * self.scale
        text = wrap_to_width(text.upper(), self.width, size * 1.3)
        self.y += 3.0 * self.scale
        if self.ax is not None:  # None: only measuring
            self.ax.text(0, self.y, text, fontsize=size, fontweight="bold", linespacing=1.1,
                         color=BASEMAP_STYLE.muted_text, ha="left", va="top",
                         gid="legend-header")
        self.y += 12.5 * self.scale + text.count("\n") * size * 1.1 * 1.2

    def rows(self, entries: Sequence[tuple[object, str]], *, columns: int = 1) -> None:
        line_h = 9.0 * 1.22 * self.scale
        col_w = self.width / columns
        for start in range(0, len(entries), columns):
            chunk = entries[start:start + columns]
            lines = max(label.count("\n") + 1 for _, label in chunk)
            row_h = max(14.0 * self.scale, lines * line_h + 3.0 * self.scale)
            for col, (swatch, label) in enumerate(chunk if self.ax is not None else ()):
                x = col * col_w
                self._swatch(swatch, x, self.y + 14.0 * self.scale / 2)
                self.ax.text(x + 30 * self.scale, self.y + 1.5 * self.scale, label,
                             fontsize=8.5 * self.scale, color=BASEMAP_STYLE.text, ha="left",
                             va="top", linespacing=1.12, gid="legend-entry")
            self.y += row_h
        self.y += 2.0 * self.scale

    def _swatch(self, swatch: object, x: float, y: float) -> None:
        kind, style = swatch  # type: ignore[misc]
        s = self.scale
        if kind == "band":
            band, line = style  # type: ignore[misc]
            for st in (band, line):
                self.ax.add_line(Line2D([x + 1 * s, x + 24 * s], [y, y], solid_capstyle="butt",
                                        **st))
        elif kind == "connector":
            x0, x1, half = x + 1 * s, x + 24 * s, style["tick"] / 2.0  # type: ignore[index]
            line = {k: v for k, v in style.items() if k != "tick"}  # type: ignore[attr-defined]
            self.ax.add_line(Line2D([x0, x1], [y, y], solid_capstyle="butt", **line))
            for end in (x0, x1):
                self.ax.add_line(Line2D([end, end], [y - half, y + half], solid_capstyle="butt",
                                        **line))
        elif kind == "line":
            self.ax.add_line(Line2D([x + 1 * s, x + 24 * s], [y, y], solid_capstyle="butt",
                                    dash_capstyle="butt", **style))
        else:
            self.ax.add_line(Line2D([x + 12 * s], [y], linestyle="none", **style))


_WIDTH_TITLE = "Line width: quantity moved"
_WRAPPED = {_WIDTH_TITLE, "Places"}
"""Two-column sections whose labels (scenario units) may be long enough to need wrapping."""


def _legend_entries(content: LegendContent, scale: float) -> list[tuple[str, list, int]]:
    lang = load_language(content.language)
    _ = lang.gettext
    modes = [(("line", {"color": MODE_STYLES[m].color,
                        "linewidth": MODE_STYLES[m].base_width * SLIDE_WIDTH_PT * scale}),
              _(MODE_STYLES[m].label))
             for m in content.modes]
    if content.muted:
        modes.append((("line", {"color": "#A7A39A", "linewidth": 1.1 * scale}),
                      _("Other transfers")))
    confs = []
    for c in content.confidences:
        st = CONFIDENCE_STYLES[c]
        style = {"color": "#3A3F44", "linewidth": 2.4 * st.width_factor * scale,
                 "linestyle": (0, st.dash) if st.dash else "solid"}
        confs.append((("line", style), wording.confidence(c, language=lang) or c))
    kinds = [(("marker", {"marker": PLACE_STYLES[k].marker,
                          "markersize": PLACE_STYLES[k].size * scale,
                          "markerfacecolor": PLACE_STYLES[k].fill,
                          "markeredgecolor": PLACE_STYLES[k].edge,
                          "markeredgewidth": 1.2 * scale}), _(PLACE_STYLES[k].label))
             for k in content.kinds]
    samples, others = (_width_rows(rows, scale) for rows in (content.widths.samples,
                                                              content.widths.others))
    width_title = content.widths.title or _(_WIDTH_TITLE)
    sections = [(_("Route (arrow shows direction)"), modes, 2),
                (_(PATH_LEGEND["confidence"]), confs, 2),
                (_(PATH_LEGEND["path"]), _path_rows(content.paths, scale, lang), 2),
                (_(CONNECTOR_STYLE.label), _connector_rows(content.connectors, scale, lang), 1),
                (_("Places"), kinds, 2),
                (_("Observed (AIS)"), observed_legend_rows(content.observed, scale, lang, content.verdicts), 1),
                (width_title, samples, 2),
                ("" if samples else width_title, others, 1)]
    return [s for s in sections if s[1]]


def _path_rows(paths: Sequence[str], scale: float, lang: Language) -> list[tuple[tuple, str]]:
    """Return the band section's rows (reported: a plain line; estimated: a line over its
    band), or none when no line shown is modelled."""
    if not any(PATH_STYLES[p].band for p in paths):
        return []
    line = {"color": "#3A3F44", "linewidth": 2.4 * scale}
    rows = []
    for p in PATH_STYLES:
        st = PATH_STYLES[p]
        band = {"color": "#3A3F44", "linewidth": 2.4 * st.band_factor * scale,
                "alpha": st.band_opacity}
        rows.append((("band", (band, line)) if st.band else ("line", line), lang.gettext(st.label)))
    return rows


def _connector_rows(shown: bool, scale: float, lang: Language) -> list[tuple[tuple, str]]:
    """Return the connector row (a hairline ticked at both ends, as drawn on the map), or none
    when no leg shown leaves the network."""
    if not shown:
        return []
    st = CONNECTOR_STYLE
    style = {"color": "#3A3F44", "linewidth": st.width * SLIDE_WIDTH_PT * scale,
             "tick": st.tick * SLIDE_WIDTH_PT * scale}
    meaning = lang.gettext(st.meaning)
    return [(("connector", style), meaning[:1].upper() + meaning[1:])]


def _width_rows(rows: Sequence[tuple[float, str]], scale: float) -> list[tuple[tuple, str]]:
    return [(("line", {"color": "#6D7278", "linewidth": w * SLIDE_WIDTH_PT * scale}), text)
            for w, text in rows]


def draw_legend(ax: Axes | None, content: LegendContent, *, width: float, scale: float) -> float:
    """Draw the legend top-down in a panel axes measured in points; return its height (with
    ``ax`` None, only the height: the layout is reckoned in points, never from drawn text)."""
    col = _Column(ax, width, scale)
    wrapped = {load_language(content.language).gettext(t) for t in _WRAPPED} | {content.widths.title}
    for title, entries, columns in _legend_entries(content, scale):
        if title:
            col.header(title)
        col.rows([(sw, wrap_to_width(lbl, width / columns - 32 * scale, 9.0 * scale))
                  if columns == 1 or title in wrapped else (sw, lbl)
                  for sw, lbl in entries], columns=columns)
    return col.y


@dataclass(frozen=True)
class CalloutListFit:
    """How a callout list fits its room: text size, wrapped texts and how many are shown."""

    size: float
    blocks: tuple[str, ...]
    heights: tuple[float, ...]
    shown: int
    more_height: float


_LIST_SIZES = (8.5, 8.0, 7.5, 7.0, 6.5)


_BADGE_RADIUS = 7.0
"""A keyed badge's radius, points (at scale 1)."""

_BADGE_ROW = 2 * _BADGE_RADIUS + 1.5
"""The lowest row of a badge key, points: the badge and a gap to the next."""


def _badge_centre(size: float) -> float:
    """Return how far below a key row's top its badge's centre lies, points (scale 1): level
    with the middle of the first line of text, or lower when the text is smaller than the badge."""
    return max(size * 0.62, _BADGE_RADIUS)


def fit_callout_list(texts: Sequence[str], *, top: float, bottom: float, width: float,
                     scale: float, more: int = 0, more_where: str = "",
                     language: Language | None = None, more_text: str = "") -> CalloutListFit:
    """Return how keyed callouts fit between ``top`` and ``bottom`` (points).

    The text size shrinks (down to 6.5 points) until every text fits, with a "+N more" line
    when ``more`` callouts are continued elsewhere (or ``more_text``, a line of its own);
    past that, the list is cut where the room ends, keeping room for that line.
    """
    start = top + 20.0 * scale
    for size in _LIST_SIZES:
        blocks = [wrap_to_width(text, width - 22 * scale, size * scale) for text in texts]
        # the first line is centred on its badge, and a row is never lower than the badge,
        # however small the text: badges never touch
        drop = _badge_centre(size) - size * 0.62
        heights = [max((b.count("\n") + 1) * size * 1.2 + 2.5 + drop, _BADGE_ROW) * scale
                   for b in blocks]
        line = (wrap_to_width(more_text, width, size * scale) if more_text else
                _more_text(more + len(texts), more_where, width, size * scale, language)
                ).count("\n")
        line = (line + 1) * size * scale * 1.2 + 4.0 * scale
        if start + sum(heights) + (line if more or more_text else 0.0) <= bottom:
            return CalloutListFit(size, tuple(blocks), tuple(heights), len(texts), line)
    room = bottom - start - line
    ends = np.cumsum(heights)
    shown = int(np.count_nonzero(ends <= room))
    return CalloutListFit(size, tuple(blocks), tuple(heights), shown, line)


def _more_text(count: int, where: str, width: float, fontsize: float,
               language: Language | None = None) -> str:
    """Return the wrapped "+N more <where>" line ending a cut callout list, in ``language``
    (``where`` is already written in it)."""
    lang = _words(language)
    text = lang.ngettext("+{count} more {where}", "+{count} more {where}", count)
    return wrap_to_width(text.format(count=lang.number(count), where=where).strip(), width,
                         fontsize)


def draw_callout_list(ax: Axes, title: str, items: Sequence[tuple[int, str, str]], *,
                      top: float, bottom: float, width: float, scale: float, more: int = 0,
                      more_where: str = "", language: Language | None = None,
                      more_text: str = "") -> tuple[int, float]:
    """Key numbered badges between ``top`` and ``bottom`` (points).

    ``items`` holds (number, text, badge kind); ``more`` counts callouts continued
    ``more_where`` (e.g. "on the slide 'Other reported events'"). What does not fit is never
    dropped silently: the list ends with "+N more" naming where they are, in ``language``
    (None: English), or with ``more_text`` when given (a line counting what the key leaves
    out in words of its own; the "+N more" line still ends a list cut shorter than that).

    Returns
    -------
    tuple
        How many items are keyed, and the list's bottom edge (points from the panel's top).
    """
    if not items and not more and not more_text:
        return 0, top
    ax.text(0, top + 4.0 * scale, title.upper(), fontsize=8.0 * scale, fontweight="bold",
            color=BASEMAP_STYLE.muted_text, ha="left", va="top", gid="legend-header")
    fit = fit_callout_list([t for _, t, _ in items], top=top, bottom=bottom, width=width,
                           scale=scale, more=more, more_where=more_where, language=language,
                           more_text=more_text)
    size, y = fit.size, top + 20.0 * scale
    for (number, _, kind), block, height in zip(items[:fit.shown], fit.blocks, fit.heights,
                                                strict=False):
        centre = _badge_centre(size)
        draw_badge(ax, 8 * scale, y + centre * scale, number, radius=_BADGE_RADIUS * scale,
                   fontsize=7.0 * scale, zorder=5, gid=f"callout-key:{number}", kind=kind)
        ax.text(22 * scale, y + (centre - size * 0.62) * scale, block, fontsize=size * scale,
                color=BASEMAP_STYLE.text,
                ha="left", va="top", linespacing=1.15, gid="callout-text")
        y += height
    rest = more + len(items) - fit.shown
    if rest or more_text:
        text = (wrap_to_width(more_text, width, size * scale) if more_text and not rest - more
                else _more_text(rest, more_where, width, size * scale, language))
        ax.text(0, y + 2.0 * scale, text,
                fontsize=size * scale, fontweight="bold", color=BASEMAP_STYLE.accent,
                ha="left", va="top", linespacing=1.15, gid="callout-more")
        y += fit.more_height
    return fit.shown, y


def draw_haloed_text(ax: Axes, x: float, y: float, text: str, *, scale: float, gid: str,
                     zorder: float, width: float = 2.6, **style) -> None:
    """Draw map text over a white halo, keeping the text itself real text in SVG and PDF.

    The halo is a white copy stroked as outlines underneath (matplotlib turns text with path
    effects into paths), so the label on top stays selectable and searchable.
    """
    from matplotlib import patheffects  # with the renderers: loaded when a slide is drawn

    halo = ax.text(x, y, text, zorder=zorder - 0.01, gid=f"{gid}-halo",
                   **{**style, "color": "white"})
    halo.set_path_effects([patheffects.Stroke(linewidth=width * scale, foreground="white",
                                              alpha=0.9)])
    ax.text(x, y, text, zorder=zorder, gid=gid, **style)
