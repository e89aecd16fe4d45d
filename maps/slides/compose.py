"""Composing a slide: figure, header, the map and its furniture, legend panel, callouts, footer."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from pyproj import Geod

from routemap.geo.countries import country_codes_at, load_countries
from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.projection import MapFrame
from routemap.maps.slides import footer
from routemap.maps.slides.canvas import (
    MAP_RECT,
    PANEL_RECT,
    Canvas,
    draw_map,
    fit_text,
    measure,
    route_samples,
    setup_canvas,
    slide_rc,
    two_lines,
)
from routemap.maps.slides.details import DetailInset, draw_detail, draw_detail_outline, plan_details
from routemap.maps.slides.footer import DECK_NOTES
from routemap.maps.slides.furniture import (
    NorthArrow,
    ScaleBar,
    draw_callout_list,
    draw_legend,
    draw_north_arrow,
    draw_scale_bar,
    scale_bar_for,
)
from routemap.maps.slides.globe import draw_inset
from routemap.maps.slides.labelling import draw_labels
from routemap.maps.slides.labels import Box, Placement
from routemap.maps.slides.layers import Z
from routemap.maps.slides.observed import draw_observed
from routemap.maps.slides.plan import callout_text, legend_content, panel_capacity, slide_specs, slide_texts
from routemap.maps.slides.spec import SlideSpec
from routemap.maps.style import BASEMAP_STYLE
from routemap.routes.routeset import RouteSet

__all__ = ["ComposedSlide", "compose_slide", "compose_slides", "draw_footer", "draw_header",
           "panel_capacity", "slide_specs", "slide_texts"]

log = logging.getLogger(__name__)
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class ComposedSlide:
    """A drawn slide and the facts tests and decks check it by."""

    spec: SlideSpec
    figure: Figure
    frame: MapFrame
    scale_bar: ScaleBar
    north_arrow: NorthArrow
    labels: tuple[Placement, ...]
    dropped: tuple[str, ...]
    details: tuple[DetailInset, ...] = ()


def draw_header(canvas: Canvas, spec: SlideSpec, *, title_lines: int = 1) -> float:
    """Draw a slide's kicker, title, subtitle and as-of date above its map; return the
    header's bottom (a figure fraction).

    With ``title_lines=2`` (a narrow frame, as the square film's), a title too long for one
    line at the smallest title size is broken into two balanced lines, and the subtitle moves
    down under them, rather than the title losing its end to an ellipsis; a subtitle too long
    for one line at its smallest size takes two lines too, so that a caveat at its end
    ("... are estimated") is printed whole. The caller leaves the map below the bottom
    returned (:class:`routemap.maps.video.frames.Stage` lowers the square film's map when the
    header needs it).
    """
    fig, s = canvas.fig, canvas.scale
    left = MAP_RECT[0]
    right = PANEL_RECT[0] + PANEL_RECT[2]
    fig.text(left, 0.962, spec.kicker.upper(), fontsize=9.0 * s, fontweight="bold",
             color=BASEMAP_STYLE.accent, ha="left", va="top", gid="kicker")
    if spec.as_of:
        fig.text(right, 0.962, spec.as_of, fontsize=10.5 * s, color=BASEMAP_STYLE.text,
                 ha="right", va="top", gid="as-of")
    width_px = (right - left) * fig.bbox.width
    text = canvas.printable(spec.title)
    title = fig.text(left, 0.935, text, fontweight="bold",
                     color=BASEMAP_STYLE.text, ha="left", va="top", gid="title")
    sizes = (23.0, 21.0, 19.0, 17.0, 15.5)
    sub_y = 0.885
    renderer = fig.canvas.get_renderer()
    title.set_fontsize(sizes[-1] * s)
    to_figure = fig.transFigure.inverted()
    if title_lines > 1 and title.get_window_extent(renderer).width > width_px and " " in text:
        title.set_text(two_lines(text))
        title.set_linespacing(1.1)
        fit_text(canvas, title, width_px, sizes[-1:])  # two lines at the smallest size fit above the map
        sub_y = to_figure.transform(title.get_window_extent(renderer))[0, 1] - 0.006
    else:
        fit_text(canvas, title, width_px, sizes)
    header = title
    if spec.subtitle:
        text = canvas.printable(spec.subtitle)
        header = fig.text(left, sub_y, text, color=BASEMAP_STYLE.muted_text,
                          ha="left", va="top", gid="subtitle")
        sub_sizes = (12.5, 11.5, 10.5, 9.5)
        if title_lines > 1:
            header.set_fontsize(sub_sizes[-1] * s)
            if header.get_window_extent(renderer).width > width_px and " " in text:
                header.set_text(two_lines(text))
                header.set_linespacing(1.15)
                sub_sizes = sub_sizes[-1:]
        fit_text(canvas, header, width_px, sub_sizes, keep_tail=True)
    return float(to_figure.transform(header.get_window_extent(renderer))[0, 1])


def draw_footer(canvas: Canvas, spec: SlideSpec, *,
                more: tuple[str, str] = DECK_NOTES) -> None:
    """Draw a slide's sources line, its data licences and its projection, below its map,
    fitted to the band (:func:`routemap.maps.slides.footer.draw_footer`).

    ``more`` is the message (singular and plural, ``{count}``) ending a line cut short: where
    the other sources are listed (the deck notes, for a slide).
    """
    footer.draw_footer(canvas.fig, left=MAP_RECT[0], right=PANEL_RECT[0] + PANEL_RECT[2],
                       frame=canvas.frame, sources=spec.sources,
                       attributions=spec.attributions, scale=canvas.scale,
                       language=canvas.language, ending=more)


_projection_note = footer.projection_note


def _focus_countries(spec: SlideSpec) -> frozenset[str]:
    if not spec.places:
        return frozenset()
    lon = np.array([p.lon for p in spec.places])
    lat = np.array([p.lat for p in spec.places])
    return frozenset(c for c in country_codes_at(load_countries(), lon, lat) if c)


def _furniture_size(canvas: Canvas, bar: ScaleBar) -> tuple[float, float]:
    """Return the display size of the scale bar and north arrow box."""
    pt = canvas.px_per_pt * canvas.scale
    bar_px = bar.length_units / canvas.frame.width * canvas.ax.bbox.width
    note_px, _ = measure(canvas, canvas.language.gettext("Scale true at map centre"),
                         fontsize=6.5 * canvas.scale)
    # the bar starts 48 pt in; its last number sticks out about 22 pt, the note runs on
    return max(76.0 * pt + bar_px, 56.0 * pt + note_px), 55.0 * pt


def _draw_furniture(canvas: Canvas, bar: ScaleBar, corner: Box) -> NorthArrow:
    """Draw the scale bar and north arrow on a white plate filling ``corner`` (display)."""
    s, upp = canvas.scale, canvas.upp
    xmin, ymin = canvas.to_data(corner.x0, corner.y0)
    xmax, ymax = canvas.to_data(corner.x1, corner.y1)
    x0, y0 = xmin + 14 * s * upp, ymin + 15 * s * upp
    draw_scale_bar(canvas.ax, bar, x=x0 + 34 * s * upp, y=y0, upp=upp, scale=s,
                   language=canvas.language)
    north = draw_north_arrow(canvas.ax, canvas.frame, x=x0 + 4 * s * upp,
                             y=y0 + 12 * s * upp, upp=upp, scale=s)
    canvas.ax.add_artist(FancyBboxPatch(
        (xmin, ymin), xmax - xmin, ymax - ymin,
        boxstyle=f"round,pad=0,rounding_size={4 * s * upp}", facecolor="white",
        edgecolor="#B9BCBF", linewidth=0.6 * s, alpha=0.88, zorder=Z["furniture"] - 0.5))
    return north


def _corners(canvas: Canvas, width: float, height: float) -> dict[str, Box]:
    """Return boxes of a size tucked into each corner of the map, in display units."""
    bb, pad = canvas.ax.bbox, 8.0 * canvas.px_per_pt * canvas.scale
    left, right = bb.x0 + pad, bb.x1 - pad - width
    bottom, top = bb.y0 + pad, bb.y1 - pad - height
    return {"bottom-left": Box(left, bottom, left + width, bottom + height),
            "bottom-right": Box(right, bottom, right + width, bottom + height),
            "top-left": Box(left, top, left + width, top + height),
            "top-right": Box(right, top, right + width, top + height)}


def _count_in(points: np.ndarray, box: Box) -> int:
    return int(np.count_nonzero((points[:, 0] > box.x0) & (points[:, 0] < box.x1)
                                & (points[:, 1] > box.y0) & (points[:, 1] < box.y1)))


def _context_points(canvas: Canvas, layers: list) -> np.ndarray:
    """Return display points along the other transfers' routes (grey context)."""
    return route_samples(canvas, [r for r in layers[1] if not r[2]], step_px=6.0)


def _data_points(canvas: Canvas, layers: list) -> np.ndarray:
    """Return display points the furniture must not hide: focus routes and place markers."""
    _, routes, marks, _ = layers
    pts = route_samples(canvas, [r for r in routes if r[2]], step_px=6.0)
    xy = [canvas.to_display(np.array([x]), np.array([y]))[0] for _, x, y in marks]
    return np.vstack([pts, np.array(xy).reshape(-1, 2)])


def _place_furniture(canvas: Canvas, points: np.ndarray) -> tuple[ScaleBar, NorthArrow, Box]:
    """Put the scale bar and north arrow in the first corner that hides no data (else the
    one hiding least)."""
    bar = scale_bar_for(canvas.frame, fraction=0.16)
    corners = _corners(canvas, *_furniture_size(canvas, bar))
    grow = 10.0 * canvas.scale
    name = min(corners, key=lambda k: (_count_in(points, corners[k].padded(grow)),
                                       list(corners).index(k)))
    return bar, _draw_furniture(canvas, bar, corners[name]), corners[name]


def _panel_axes(fig: Figure, scale: float) -> tuple[Axes, float, float]:
    """Add the side panel's axes, in points from its top-left corner; return it and its size."""
    pax = fig.add_axes(PANEL_RECT, label="panel")
    pax.set_axis_off()
    w_pt = PANEL_RECT[2] * fig.get_figwidth() * 72.0
    h_pt = PANEL_RECT[3] * fig.get_figheight() * 72.0
    pax.set_xlim(0, w_pt)
    pax.set_ylim(h_pt, 0)
    return pax, w_pt, h_pt


def _key_callouts(pax: Axes, spec: SlideSpec, texts: dict[str, str], *, top: float,
                  bottom: float, width: float, scale: float) -> tuple[int, float]:
    """Draw the panel's callout key, ending "+N more" where it is cut; see draw_callout_list."""
    items = [(c.number, callout_text(texts, c), c.kind) for c in spec.callouts]
    return draw_callout_list(pax, spec.callout_title, items, top=top, bottom=bottom,
                             width=width, scale=scale, more=spec.more,
                             more_where=spec.more_where, language=load_language(spec.language),
                             more_text=spec.more_text)


def _draw_panel(canvas: Canvas, spec: SlideSpec, inset_in_map: bool) -> int:
    """Draw legend, callout key and (if not in the map, and there is room below the key) the
    locator inset; return how many callouts are keyed."""
    fig, s = canvas.fig, canvas.scale
    pax, w_pt, h_pt = _panel_axes(fig, s)
    used = draw_legend(pax, legend_content(spec), width=w_pt, scale=s)
    shown, end = _key_callouts(pax, spec, canvas.texts, top=used + 2 * s,
                               bottom=h_pt - 6 * s, width=w_pt, scale=s)
    if shown < len(spec.callouts):
        log.warning("%s: callouts %s did not fit the panel; it says '+%d more'", spec.name,
                    ", ".join(str(c.number) for c in spec.callouts[shown:]),
                    len(spec.callouts) - shown + spec.more)
    room = h_pt - end - 8 * s
    side = min(w_pt, 0.34 * h_pt, room) if not inset_in_map and room >= 90 * s else 0.0
    if side:
        inset_w = side / (fig.get_figwidth() * 72.0)
        rect = (PANEL_RECT[0] + (PANEL_RECT[2] - inset_w) / 2, PANEL_RECT[1], inset_w,
                side / (fig.get_figheight() * 72.0))
        _add_inset(canvas, rect)
    elif not inset_in_map:
        log.info("%s: no room for the inset locator", spec.name)
    return shown


def _add_inset(canvas: Canvas, rect: tuple[float, float, float, float]) -> None:
    iax = canvas.fig.add_axes(rect, label="inset")
    radius = max(2500.0, min(9000.0, 2.2 * _half_diagonal_km(canvas.frame)))
    draw_inset(iax, canvas.frame, scale=canvas.scale, radius_km=radius)


def _inset_corner(canvas: Canvas, points: np.ndarray, taken: Box, context: np.ndarray
                  ) -> tuple[tuple[float, ...], Box] | None:
    """Return a map corner (figure rect, display box) free of data and furniture, if any.

    A corner that hides no other transfer's route (``context``, display points along the grey
    legs) either is taken first; failing one, a corner that hides only such context.
    """
    side = 0.30 * canvas.ax.bbox.height
    fig_w, fig_h = canvas.fig.bbox.width, canvas.fig.bbox.height
    corners = _corners(canvas, side, side)
    order = ("top-right", "top-left", "bottom-right", "bottom-left")
    for hidden in (np.vstack([points, context]), points):
        for name in order:
            box = corners[name]
            if box.overlaps(taken) or _count_in(hidden, box.padded(14.0 * canvas.scale)):
                continue
            return (box.x0 / fig_w, box.y0 / fig_h, side / fig_w, side / fig_h), box
    return None


def _half_diagonal_km(frame: MapFrame) -> float:
    lon, lat = frame.inverse(np.array([frame.xmin, frame.xmax]),
                             np.array([frame.ymin, frame.ymax]))
    _, _, d = _GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    return float(d) / 2000.0


def compose_slide(spec: SlideSpec, *, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                  texts: dict[str, str] | None = None, figure: Figure | None = None) -> ComposedSlide:
    """Draw one slide into a matplotlib Figure (Agg canvas, nothing global touched).

    Parameters
    ----------
    spec : SlideSpec
        What the slide shows.
    size : tuple of int
        Width and height in pixels of the PNG.
    dpi : float
        Dots per inch; text sizes follow the slide's width so the look is the same at any dpi.
    texts : dict, optional
        Label text replacements from :func:`routemap.maps.slides.fonts.printable`.
    figure : Figure, optional
        A blank figure of this size and dpi to draw on
        (:func:`routemap.maps.slides.canvas.blank_figure`); a new one by default.

    Returns
    -------
    ComposedSlide
    """
    canvas = setup_canvas(spec, size, dpi, texts or {}, figure=figure)
    draw_header(canvas, spec)
    focus_iso = _focus_countries(spec)
    layers = draw_map(canvas, spec, focus_iso)
    draw_observed(canvas, spec)
    points = _data_points(canvas, layers)
    bar, north, furniture_box = _place_furniture(canvas, points)
    corner = _inset_corner(canvas, points, furniture_box, _context_points(canvas, layers))
    obstacles = [furniture_box] + ([corner[1].padded(4.0)] if corner else [])
    keyed = _draw_panel(canvas, spec, inset_in_map=corner is not None)
    shown = replace(spec, callouts=spec.callouts[:keyed])
    details = plan_details(canvas, shown, layers, points, obstacles)
    for detail in details:
        draw_detail_outline(canvas, detail)
        obstacles += [detail.panel.padded(4.0), detail.tab.padded(4.0),
                      detail.outline.padded(2.0)]
    skip = frozenset(k for d in details for k in d.keys)
    placed, dropped = draw_labels(canvas, shown, layers, obstacles, skip)
    details = [draw_detail(canvas, shown, d, n, focus_iso) for n, d in enumerate(details, 1)]
    if corner:
        _add_inset(canvas, corner[0])
    spec = replace(spec, attributions=spec.attributions + tuple(a for a in layers[3]
                                                               if a not in spec.attributions))
    draw_footer(canvas, spec)
    return ComposedSlide(spec, canvas.fig, canvas.frame, bar, north, tuple(placed),
                         tuple(dropped), tuple(details))


def compose_slides(routeset: RouteSet, *, size: tuple[int, int] = (1920, 1080),
                   dpi: float = 150, per_transfer: bool = True,
                   language: str = DEFAULT_LANGUAGE) -> dict[str, ComposedSlide]:
    """Draw the overview and (optionally) one slide per transfer.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    size : tuple of int
        Width and height in pixels.
    dpi : float
        Dots per inch.
    per_transfer : bool
        Also the transfer slides and the callouts slide.
    language : str
        The code of the language the slides are written in (see :func:`slide_specs`).

    Returns
    -------
    dict of str to ComposedSlide
        Keyed by output stem (``slide``, ``slides/<transfer-id>``...), in deck order.
    """
    specs = slide_specs(routeset, per_transfer=per_transfer, size=size, dpi=dpi,
                        language=language)
    texts = slide_texts(specs)
    with matplotlib.rc_context(slide_rc()):
        return {s.name: compose_slide(s, size=size, dpi=dpi, texts=texts) for s in specs}
