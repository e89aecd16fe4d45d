"""The drawing canvas of a slide: its figure and map axes, text measured and fitted, the map layers."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from routemap.maps.basemap import load_basemap, load_rail_context
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.projection import MapFrame, fit_frame
from routemap.maps.slides.fonts import font_chain, text_setting
from routemap.maps.slides.layers import draw_basemap, draw_places, draw_routes, project_parts
from routemap.maps.slides.spec import SlideSpec

if TYPE_CHECKING:  # the figure classes load when a slide is drawn (a build served from the
    # slide cache never loads them: see routemap.maps.slides.render)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = [
    "MAP_RECT",
    "PANEL_RECT",
    "Canvas",
    "blank_figure",
    "draw_map",
    "fit_axes",
    "fit_text",
    "fit_words",
    "in_view",
    "measure",
    "new_figure",
    "route_samples",
    "setup_canvas",
    "slide_rc",
    "two_lines",
    "wrap",
]

log = logging.getLogger(__name__)

_BASE_WIDTH_IN = 12.8  # 1920 px at 150 dpi: the size every other size is drawn relative to
MAP_RECT = (0.018, 0.118, 0.70, 0.735)
PANEL_RECT = (0.734, 0.118, 0.248, 0.735)
_BADGE_PRIORITY = 12.0  # after the places where legs start and end, before the others


@dataclass
class Canvas:
    """What every drawing step of one slide (or one detail panel on it) needs.

    Attributes
    ----------
    fig : Figure
        The slide.
    ax : Axes
        The map axes, in the frame's projected metres.
    frame : MapFrame
        The map's projection and extent.
    scale : float
        The slide's width over the width every size is drawn relative to (12.8 inches).
    upp : float
        Projected units per point on the map axes.
    texts : dict of str to str
        Text replacements from :func:`routemap.maps.slides.fonts.printable`.
    label_size : float
        Place names' size, points.
    badge_priority : float
        The label priority of callout badges.
    language : Language
        The language the slide's furniture is written in (English when not given).
    measured : dict
        Sizes of the texts :func:`measure` measured on this canvas, by text, style, settings
        and where the map axes put a point.
    """

    fig: Figure
    ax: Axes
    frame: MapFrame
    scale: float
    upp: float
    texts: dict[str, str]
    label_size: float = 9.0  # points, place names
    badge_priority: float = _BADGE_PRIORITY
    language: Language = field(default_factory=lambda: load_language(DEFAULT_LANGUAGE))
    measured: dict[tuple[object, ...], tuple[float, float]] = field(
        default_factory=dict, repr=False, compare=False)

    def to_display(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Return (n, 2) display points of projected coordinates."""
        return self.ax.transData.transform(np.column_stack([x, y]))

    def to_data(self, px: float, py: float) -> tuple[float, float]:
        """Return the projected coordinates of a display point."""
        x, y = self.ax.transData.inverted().transform((px, py))
        return float(x), float(y)

    @property
    def px_per_pt(self) -> float:
        """Display pixels per point."""
        return self.fig.dpi / 72.0

    def printable(self, value: str) -> str:
        """Return a text as the slide's fonts can draw it."""
        return self.texts.get(value, value)


def setup_canvas(spec: SlideSpec, size: tuple[int, int], dpi: float, texts: dict[str, str], *,
                 rect: tuple[float, float, float, float] = MAP_RECT,
                 scale: float | None = None, figure: Figure | None = None) -> Canvas:
    """Return a figure with its map axes fitted to what ``spec`` shows.

    Parameters
    ----------
    spec : SlideSpec
        What the slide shows (its extent sets the map's projection).
    size : tuple of int
        Width and height in pixels.
    dpi : float
        Dots per inch.
    texts : dict of str to str
        Text replacements from :func:`routemap.maps.slides.fonts.printable`.
    rect : tuple of float
        The map axes in figure fractions (left, bottom, width, height); the slide's by default.
    scale : float, optional
        The size of text and lines relative to a 1920-pixel slide (default: the figure's
        width over 12.8 inches, as on the slides).
    figure : Figure, optional
        A blank figure of this size and dpi to draw on (:func:`blank_figure`); a new one by
        default.

    Returns
    -------
    Canvas
    """
    fig = new_figure(size, dpi) if figure is None else figure
    scale = size[0] / dpi / _BASE_WIDTH_IN if scale is None else scale
    ax = fig.add_axes(rect, label="map")
    w_px, h_px = size[0] * rect[2], size[1] * rect[3]
    lon, lat = spec.extent[:, 0], spec.extent[:, 1]
    frame = fit_frame(lon, lat, aspect=w_px / h_px, margin=0.09, min_span_m=spec.min_span_m)
    fit_axes(ax, frame, edgecolor="#8C8F93", linewidth=0.8 * scale)
    upp = frame.width / (w_px / dpi * 72.0)
    return Canvas(fig, ax, frame, scale, upp, texts, language=load_language(spec.language))


def new_figure(size: tuple[int, int], dpi: float) -> Figure:
    """Return a new white figure of ``size`` pixels at ``dpi``, with an Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def blank_figure(size: tuple[int, int], dpi: float) -> Figure:
    """Return this process's figure of ``size`` pixels at ``dpi``, emptied: the one the
    previous call returned when its size, dpi and text settings are the same.

    matplotlib keeps the measures of the texts it lays out (sizes of the strings in their
    fonts) with the figure's renderer, so slides drawn one after the other on one figure
    measure the texts they share (legend, scale, credits, footer) once: the same numbers,
    without the work. Whatever the previous slide drew is removed first; the figure returned
    by an earlier call is this one, so a caller must be done with it (saved it) before asking
    again.

    Parameters
    ----------
    size : tuple of int
        Width and height in pixels.
    dpi : float
        Dots per inch.

    Returns
    -------
    Figure
    """
    key = (tuple(size), float(dpi), text_setting())
    fig = _BLANK.get(key)
    if fig is None:
        _BLANK.clear()  # one figure at a time: another size or setting replaces it
        fig = _BLANK[key] = new_figure(size, dpi)
        return fig
    for ax in list(fig.axes):
        fig.delaxes(ax)  # without Axes.clear, which would empty an axes dropped anyway
    fig.clear()
    return fig


_BLANK: dict[tuple[object, ...], Figure] = {}
"""The figure :func:`blank_figure` hands out, by its size, dpi and text settings."""


def fit_axes(ax: Axes, frame: MapFrame, *, edgecolor: str, linewidth: float) -> None:
    """Show a frame's extent on an axes, without ticks, framed by its spines.

    Parameters
    ----------
    ax : Axes
        The axes, in the frame's projected metres.
    frame : MapFrame
        The extent to show.
    edgecolor : str
        The colour of the spines.
    linewidth : float
        Their width, points.
    """
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(edgecolor)
        spine.set_linewidth(linewidth)


def slide_rc(fonts: Sequence[str] | None = None) -> dict[str, object]:
    """Return the matplotlib settings every slide is drawn and saved with.

    Parameters
    ----------
    fonts : sequence of str, optional
        The font fallback chain (default :func:`routemap.maps.slides.fonts.font_chain`); worker
        processes are handed the parent's, so that they do not look the fonts up again.

    Returns
    -------
    dict
        For :func:`matplotlib.rc_context`.
    """
    return {
        "font.family": list(font_chain() if fonts is None else fonts),
        "svg.fonttype": "none",
        "svg.hashsalt": "routemap",
        "pdf.fonttype": 42,
        "path.simplify": True,
    }


def fit_text(canvas: Canvas, artist: Text, max_px: float, sizes: Sequence[float], *,
             keep_tail: bool = False) -> None:
    """Shrink a text artist through ``sizes`` until it fits, then cut it at a word with an
    ellipsis (inside a word only when one word alone is too long).

    With ``keep_tail``, a text of ' · '-separated parts is cut in its first part, so the
    last parts (dates, confidence) stay whole.
    """
    renderer = canvas.fig.canvas.get_renderer()
    for size in sizes:
        artist.set_fontsize(size * canvas.scale)
        if artist.get_window_extent(renderer).width <= max_px:
            return
    head, sep, tail = artist.get_text().partition(" \u00b7 ")
    if not (keep_tail and sep):
        head, sep, tail = artist.get_text(), "", ""
    while len(head) > 8 and artist.get_window_extent(renderer).width > max_px:
        n = int(len(head) * 0.95)
        cut = head[:n]
        if head[n:n + 1].strip() and " " in cut.strip():  # a whole word: "are…", not "are r…"
            cut = cut[: cut.rstrip().rfind(" ")]
        head = cut.rstrip(" ,;.:\u00b7")
        artist.set_text(head + "\u2026" + sep + tail)
    log.info("slide text shortened to fit: %r", artist.get_text())


def fit_words(canvas: Canvas, text: str, width: float, size: float, *, bold: bool = False) -> str:
    """Return text cut at a word (with an ellipsis) so it is no wider than ``width``."""
    words = text.split(" ")
    weight = "bold" if bold else "normal"
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n]) + ("" if n == len(words) else "\u2026")
        if measure(canvas, candidate, fontsize=size, fontweight=weight)[0] <= width:
            return candidate
    return ""


def measure(canvas: Canvas, text: str, **style: object) -> tuple[float, float]:
    """Return the display width and height of a text drawn in ``style`` on the map axes.

    A slide asks for many texts more than once (a label's forms on a trial placement, then
    on the one drawn): each is measured once per canvas, under everything its size depends
    on (the text settings, the dpi, and where the axes put the text's point, whose position
    its extent is reckoned from).
    """
    try:
        key = (text, tuple(sorted(style.items())), canvas.fig.dpi,
               tuple(canvas.ax.transData.transform((0.0, 0.0))), text_setting())
        hash(key)
    except TypeError:  # a style value that cannot be a key: measured each time
        return _measure(canvas, text, style)
    size = canvas.measured.get(key)
    if size is None:
        size = canvas.measured[key] = _measure(canvas, text, style)
    return size


def _measure(canvas: Canvas, text: str, style: dict[str, object]) -> tuple[float, float]:
    artist = canvas.ax.text(0, 0, text, ha="center", va="center", **style)
    ext = artist.get_window_extent(canvas.fig.canvas.get_renderer())
    artist.remove()
    return ext.width, ext.height


def two_lines(text: str) -> str:
    """Return a text broken into two lines at the space nearest its middle (unchanged if it has
    no space)."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1:]


def wrap(text: str, chars: int) -> str:
    """Return a text wrapped at ``chars`` characters a line."""
    return "\n".join(textwrap.wrap(text, chars))


def in_view(canvas: Canvas, x: float, y: float) -> bool:
    """Return whether a projected point lies inside the canvas's frame."""
    f = canvas.frame
    return f.xmin <= x <= f.xmax and f.ymin <= y <= f.ymax


def route_samples(canvas: Canvas, routes: list, step_px: float = 5.0) -> np.ndarray:
    """Return points every ``step_px`` display pixels along the routes (for label avoidance)."""
    pts = [np.zeros((0, 2))]
    for _, parts, _ in routes:
        for xy in parts:
            d = canvas.to_display(xy[:, 0], xy[:, 1])
            cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(d, axis=0).T))])
            at = np.arange(0.0, cum[-1] + step_px, step_px)
            pts.append(np.column_stack([np.interp(at, cum, d[:, 0]), np.interp(at, cum, d[:, 1])]))
    return np.concatenate(pts)


#: How far a muted leg's stroke can reach beyond its line, points (its band included), with room.
_CONTEXT_REACH_PT = 24.0


def _in_view(parts: Sequence[np.ndarray], frame: MapFrame, margin: float) -> bool:
    """Return whether any of a leg's projected parts comes within ``margin`` of the frame.

    A leg whose every vertex lies off one side of the frame (by more than its stroke reaches)
    draws no pixel of it, so leaving it out of a slide changes nothing anyone sees: a
    thousand other transfers in grey cost a transfer slide only those near its own.
    """
    for xy in parts:
        if not len(xy):
            continue
        with np.errstate(invalid="ignore"):
            (x0, y0), (x1, y1) = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
        if (x1 >= frame.xmin - margin and x0 <= frame.xmax + margin
                and y1 >= frame.ymin - margin and y0 <= frame.ymax + margin):
            return True
    return False


def draw_map(canvas: Canvas, spec: SlideSpec, focus_iso: frozenset[str]) -> list:
    """Draw the basemap, the routes and the places of ``spec`` on the canvas's map axes.

    Parameters
    ----------
    canvas : Canvas
        The main map, or a detail panel.
    spec : SlideSpec
        What to draw.
    focus_iso : frozenset of str
        ISO codes of the countries drawn as the focus.

    Returns
    -------
    list
        The layers drawn: the basemap, (route, projected parts, is focus) for each route,
        (place mark, x, y) for each place, and the context layers' attributions.
    """
    frame, s = canvas.frame, canvas.scale
    px_m = frame.width / (canvas.ax.bbox.width)
    basemap = load_basemap(frame, tolerance_m=px_m / 2.0)
    rail = load_rail_context(frame, tolerance_m=px_m)
    draw_basemap(canvas.ax, basemap, focus=focus_iso, scale=s, rail=rail)
    routes = [(r, parts, focus) for r in spec.routes
              for parts, focus in [(project_parts(r, frame), spec.is_focus(r))]
              if focus or _in_view(parts, frame, _CONTEXT_REACH_PT * s * canvas.upp)]
    draw_routes(canvas.ax, routes, scale=s, units_per_point=canvas.upp)
    marks = []
    for mark in spec.places:
        x, y = frame.forward(np.array([mark.lon]), np.array([mark.lat]))
        marks.append((mark, float(x[0]), float(y[0])))
    draw_places(canvas.ax, marks, scale=s)
    extra = () if rail is None else (rail.attribution,)
    return [basemap, routes, marks, extra]
