"""Briefing slides: the overview and one slide per transfer, as PNG, SVG and PDF bytes."""

from __future__ import annotations

import io
import logging
import math
import multiprocessing
import re
import textwrap
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Polygon
from pyproj import Geod

from routemap.geo.countries import country_codes_at, load_countries
from routemap.errors import RenderError, library_detail
from routemap.maps.basemap import country_label_points, load_basemap, load_rail_context
from routemap.maps.slides.insets import (
    bounding_box,
    connector_corners,
    crowded_cluster,
    free_spot,
    grown_to_aspect,
)
from routemap.maps.slides.fonts import font_chain, printable
from routemap.maps.slides.furniture import (
    LegendContent,
    NorthArrow,
    ScaleBar,
    draw_badge,
    draw_callout_list,
    draw_inset,
    draw_legend,
    draw_north_arrow,
    draw_scale_bar,
    scale_bar_for,
    draw_haloed_text,
)
from routemap.maps.slides.labels import Box, LabelRequest, Placement, place_labels
from routemap.maps.slides.layers import (
    Z,
    draw_basemap,
    draw_places,
    draw_routes,
    marker_radius_points,
    project_parts,
)
from routemap.maps.projection import MapFrame, fit_frame
from routemap.maps.slides.spec import SlideSpec, callouts_spec, overview_spec, transfer_specs
from routemap.maps.style import BASEMAP_STYLE, CONFIDENCE_STYLES, MODE_STYLES
from routemap.routes.routeset import RouteSet

__all__ = [
    "FORMATS",
    "ComposedSlide",
    "DetailInset",
    "compose_slide",
    "compose_slides",
    "figure_bytes",
    "render_slides",
    "slide_specs",
]

log = logging.getLogger(__name__)
_GEOD = Geod(ellps="WGS84")

FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
_BASE_WIDTH_IN = 12.8  # 1920 px at 150 dpi: the size every other size is drawn relative to
_MAP_RECT = (0.018, 0.118, 0.70, 0.735)
_PANEL_RECT = (0.734, 0.118, 0.248, 0.735)
_MIN_SPAN_M = 120_000.0
_BADGE_PRIORITY = 12.0  # after the places where legs start and end, before the others
_COUNTRY_SHORT = {"CN": "China", "KP": "North Korea", "KR": "South Korea", "US": "United States",
                  "GB": "United Kingdom", "CZ": "Czechia", "CD": "DR Congo"}


@dataclass(frozen=True)
class DetailInset:
    """An enlarged view of a crowded part of the map, drawn in a panel over the map.

    Attributes
    ----------
    frame : MapFrame
        The detail's own fitted projection and extent.
    panel : Box
        Where the detail is drawn, in display units.
    outline : Box
        The box around the frame's outline on the main map (what the detail enlarges).
    keys : frozenset of str
        Label keys (``place:<id>``, ``transfer:<n>``...) shown in the detail, not the map.
    title : str
        The detail's heading.
    zoom : float
        How many times the main map's scale.
    scale_bar : ScaleBar
        The detail's own scale bar, true at its centre.
    labels : tuple of Placement
        Labels placed inside the detail.
    dropped : tuple of str
        Labels of the detail that found no room.
    ring : numpy.ndarray, optional
        The frame's outline on the main map, display units, from its lower-left corner.
    tab : Box, optional
        The heading's tab on top of the panel, display units.
    """

    frame: MapFrame
    panel: Box
    outline: Box
    keys: frozenset[str]
    title: str
    zoom: float
    scale_bar: ScaleBar | None = None
    labels: tuple[Placement, ...] = ()
    dropped: tuple[str, ...] = ()
    ring: np.ndarray | None = None
    tab: Box | None = None


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


@dataclass
class _Canvas:
    """What every drawing step of one slide needs."""

    fig: Figure
    ax: Axes
    frame: MapFrame
    scale: float
    upp: float
    texts: dict[str, str]
    label_size: float = 9.0  # points, place names
    badge_priority: float = _BADGE_PRIORITY

    def to_display(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return self.ax.transData.transform(np.column_stack([x, y]))

    def to_data(self, px: float, py: float) -> tuple[float, float]:
        x, y = self.ax.transData.inverted().transform((px, py))
        return float(x), float(y)

    @property
    def px_per_pt(self) -> float:
        return self.fig.dpi / 72.0


def _text(canvas: _Canvas, value: str) -> str:
    return canvas.texts.get(value, value)


def _setup(spec: SlideSpec, size: tuple[int, int], dpi: float,
           texts: dict[str, str]) -> _Canvas:
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    scale = size[0] / dpi / _BASE_WIDTH_IN
    ax = fig.add_axes(_MAP_RECT, label="map")
    w_px, h_px = size[0] * _MAP_RECT[2], size[1] * _MAP_RECT[3]
    lon, lat = spec.extent[:, 0], spec.extent[:, 1]
    frame = fit_frame(lon, lat, aspect=w_px / h_px, margin=0.09, min_span_m=_MIN_SPAN_M)
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#8C8F93")
        spine.set_linewidth(0.8 * scale)
    upp = frame.width / (w_px / dpi * 72.0)
    return _Canvas(fig, ax, frame, scale, upp, texts)


def _fit_text(canvas: _Canvas, artist, max_px: float, sizes: Sequence[float], *,
              keep_tail: bool = False) -> None:
    """Shrink a text artist through ``sizes`` until it fits, then cut it with an ellipsis.

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
        head = head[: int(len(head) * 0.95)].rstrip(" ,;.")
        artist.set_text(head + "\u2026" + sep + tail)
    log.info("slide text shortened to fit: %r", artist.get_text())


def _draw_header(canvas: _Canvas, spec: SlideSpec) -> None:
    fig, s = canvas.fig, canvas.scale
    left = _MAP_RECT[0]
    right = _PANEL_RECT[0] + _PANEL_RECT[2]
    fig.text(left, 0.962, spec.kicker.upper(), fontsize=9.0 * s, fontweight="bold",
             color=BASEMAP_STYLE.accent, ha="left", va="top", gid="kicker")
    as_of_px = 0.0
    if spec.as_of:
        as_of = fig.text(right, 0.962, spec.as_of, fontsize=10.5 * s, color=BASEMAP_STYLE.text,
                         ha="right", va="top", gid="as-of")
        as_of_px = as_of.get_window_extent(fig.canvas.get_renderer()).width
    width_px = (right - left) * fig.bbox.width
    title = fig.text(left, 0.935, _text(canvas, spec.title), fontweight="bold",
                     color=BASEMAP_STYLE.text, ha="left", va="top", gid="title")
    _fit_text(canvas, title, width_px, (23.0, 21.0, 19.0, 17.0, 15.5))
    if spec.subtitle:
        sub = fig.text(left, 0.885, _text(canvas, spec.subtitle), color=BASEMAP_STYLE.muted_text,
                       ha="left", va="top", gid="subtitle")
        _fit_text(canvas, sub, width_px, (12.5, 11.5, 10.5, 9.5), keep_tail=True)
    del as_of_px


def _fit_footer_line(prefix: str, items: Sequence[str], *, limit: int) -> str:
    text = prefix + "; ".join(items) + "."
    if len(text) <= limit:
        return text
    kept: list[str] = []
    for item in items:
        more = len(items) - len(kept) - 1
        tail = f"; and {more} more (full citations in the deck notes)."
        if len(prefix + "; ".join([*kept, item]) + tail) > limit:
            break
        kept.append(item)
    more = len(items) - len(kept)
    return prefix + "; ".join(kept) + f"; and {more} more (full citations in the deck notes)."


def _draw_footer(canvas: _Canvas, spec: SlideSpec) -> None:
    fig, s = canvas.fig, canvas.scale
    left, right = _MAP_RECT[0], _PANEL_RECT[0] + _PANEL_RECT[2]
    size = 7.6 * s
    chars = int((right - left) * fig.get_figwidth() * 72.0 / (size * 0.55))
    sources = _fit_footer_line("Sources: ", list(spec.sources), limit=2 * chars)
    data = "Data: " + " \u00b7 ".join(spec.attributions)
    fig.text(left, 0.095, _wrap(sources, chars), fontsize=size, color=BASEMAP_STYLE.text,
             ha="left", va="top", linespacing=1.3, gid="footer-sources")
    fig.text(left, 0.044, _wrap(data, chars), fontsize=size, color=BASEMAP_STYLE.muted_text,
             ha="left", va="top", linespacing=1.3, gid="footer-data")
    fig.text(right, 0.012, _projection_note(canvas.frame), fontsize=6.5 * s,
             color=BASEMAP_STYLE.muted_text, ha="right", va="bottom", gid="footer-projection")


def _wrap(text: str, chars: int) -> str:
    return "\n".join(textwrap.wrap(text, chars))


def _projection_note(frame: MapFrame) -> str:
    params = dict(p[1:].split("=", 1) for p in frame.proj.split() if "=" in p)

    def deg(v: str, pos: str, neg: str) -> str:
        x = float(v)
        return f"{abs(x):.1f}\u00b0{pos if x >= 0 else neg}"

    if params.get("proj") == "lcc":
        return (f"Lambert conformal conic projection, standard parallels "
                f"{deg(params['lat_1'], 'N', 'S')} and {deg(params['lat_2'], 'N', 'S')}, "
                f"central meridian {deg(params['lon_0'], 'E', 'W')}; WGS 84")
    return f"Mercator projection, central meridian {deg(params.get('lon_0', '0'), 'E', 'W')}; WGS 84"


def _focus_countries(spec: SlideSpec) -> frozenset[str]:
    if not spec.places:
        return frozenset()
    lon = np.array([p.lon for p in spec.places])
    lat = np.array([p.lat for p in spec.places])
    return frozenset(c for c in country_codes_at(load_countries(), lon, lat) if c)


def _draw_map(canvas: _Canvas, spec: SlideSpec, focus_iso: frozenset[str]) -> list:
    frame, s = canvas.frame, canvas.scale
    px_m = frame.width / (canvas.ax.bbox.width)
    basemap = load_basemap(frame, tolerance_m=px_m / 2.0)
    rail = load_rail_context(frame, tolerance_m=px_m)
    draw_basemap(canvas.ax, basemap, focus=focus_iso, scale=s, rail=rail)
    routes = [(r, project_parts(r, frame), spec.is_focus(r)) for r in spec.routes]
    draw_routes(canvas.ax, routes, scale=s, units_per_point=canvas.upp)
    marks = []
    for mark in spec.places:
        x, y = frame.forward(np.array([mark.lon]), np.array([mark.lat]))
        marks.append((mark, float(x[0]), float(y[0])))
    draw_places(canvas.ax, marks, scale=s)
    extra = () if rail is None else (rail.attribution,)
    return [basemap, routes, marks, extra]


def _furniture_size(canvas: _Canvas, bar: ScaleBar) -> tuple[float, float]:
    """Return the display size of the scale bar and north arrow box."""
    pt = canvas.px_per_pt * canvas.scale
    bar_px = bar.length_units / canvas.frame.width * canvas.ax.bbox.width
    note_px, _ = _measure(canvas, "Scale true at map centre", fontsize=6.5 * canvas.scale)
    # the bar starts 48 pt in; its last number sticks out about 22 pt, the note runs on
    return max(76.0 * pt + bar_px, 56.0 * pt + note_px), 55.0 * pt


def _draw_furniture(canvas: _Canvas, bar: ScaleBar, corner: Box) -> NorthArrow:
    """Draw the scale bar and north arrow on a white plate filling ``corner`` (display)."""
    s, upp = canvas.scale, canvas.upp
    xmin, ymin = canvas.to_data(corner.x0, corner.y0)
    xmax, ymax = canvas.to_data(corner.x1, corner.y1)
    x0, y0 = xmin + 14 * s * upp, ymin + 15 * s * upp
    draw_scale_bar(canvas.ax, bar, x=x0 + 34 * s * upp, y=y0, upp=upp, scale=s)
    north = draw_north_arrow(canvas.ax, canvas.frame, x=x0 + 4 * s * upp,
                             y=y0 + 12 * s * upp, upp=upp, scale=s)
    canvas.ax.add_artist(FancyBboxPatch(
        (xmin, ymin), xmax - xmin, ymax - ymin,
        boxstyle=f"round,pad=0,rounding_size={4 * s * upp}", facecolor="white",
        edgecolor="#B9BCBF", linewidth=0.6 * s, alpha=0.88, zorder=Z["furniture"] - 0.5))
    return north


def _corners(canvas: _Canvas, width: float, height: float) -> dict[str, Box]:
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


def _data_points(canvas: _Canvas, layers: list) -> np.ndarray:
    """Return display points the furniture must not hide: focus routes and place markers."""
    _, routes, marks, _ = layers
    pts = _route_samples(canvas, [r for r in routes if r[2]], step_px=6.0)
    xy = [canvas.to_display(np.array([x]), np.array([y]))[0] for _, x, y in marks]
    return np.vstack([pts, np.array(xy).reshape(-1, 2)])


def _place_furniture(canvas: _Canvas, points: np.ndarray) -> tuple[ScaleBar, NorthArrow, Box]:
    """Put the scale bar and north arrow in the first corner that hides no data (else the
    one hiding least)."""
    bar = scale_bar_for(canvas.frame, fraction=0.16)
    corners = _corners(canvas, *_furniture_size(canvas, bar))
    grow = 10.0 * canvas.scale
    name = min(corners, key=lambda k: (_count_in(points, corners[k].padded(grow)),
                                       list(corners).index(k)))
    return bar, _draw_furniture(canvas, bar, corners[name]), corners[name]


def _route_samples(canvas: _Canvas, routes: list, step_px: float = 5.0) -> np.ndarray:
    """Return points every ``step_px`` display pixels along the routes (for label avoidance)."""
    pts = [np.zeros((0, 2))]
    for _, parts, _ in routes:
        for xy in parts:
            d = canvas.to_display(xy[:, 0], xy[:, 1])
            cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(d, axis=0).T))])
            at = np.arange(0.0, cum[-1] + step_px, step_px)
            pts.append(np.column_stack([np.interp(at, cum, d[:, 0]), np.interp(at, cum, d[:, 1])]))
    return np.concatenate(pts)


def _measure(canvas: _Canvas, text: str, **style) -> tuple[float, float]:
    artist = canvas.ax.text(0, 0, text, ha="center", va="center", **style)
    ext = artist.get_window_extent(canvas.fig.canvas.get_renderer())
    artist.remove()
    return ext.width, ext.height


def _label_style(canvas: _Canvas, kind: str) -> dict:
    s = canvas.scale
    if kind == "country":
        return {"fontsize": 10.5 * s, "color": BASEMAP_STYLE.country_label,
                "fontweight": "normal", "linespacing": 1.0}
    return {"fontsize": canvas.label_size * s, "color": BASEMAP_STYLE.text,
            "fontweight": "normal"}


def _in_view(canvas: _Canvas, x: float, y: float) -> bool:
    f = canvas.frame
    return f.xmin <= x <= f.xmax and f.ymin <= y <= f.ymax


def _label_requests(canvas: _Canvas, spec: SlideSpec, marks: list,
                    skip: frozenset[str] = frozenset()) -> tuple[list, list, dict]:
    """Return label requests, marker obstacles and text styles; ``skip`` keys get no label."""
    ppp = canvas.px_per_pt
    requests, obstacles, styles = [], [], {}
    for group in _stacks(canvas, marks):
        # markers on one another make one obstacle, and the label keeps clear of all of them
        marker = _stack_box(group)
        obstacles.append(marker)
        named = [g for g in group if f"place:{g[3].place_id}" not in skip]
        if not named:
            continue
        px, py, r, first = named[0]
        clearance = r if len(group) == 1 else max(
            math.hypot(cx - px, cy - py) for cx in (marker.x0, marker.x1)
            for cy in (marker.y0, marker.y1))
        text = "\n".join(_text(canvas, g[3].name) for g in named)
        style = {**_label_style(canvas, "place"), "linespacing": 1.05}
        w, h = _measure(canvas, text, **style)
        key = f"place:{first.place_id}"
        # a stack is the hardest label to fit: it goes first
        requests.append(LabelRequest(key, px, py, w, h, clearance=clearance,
                                     priority=first.priority + 10.0 * (len(named) > 1)))
        styles[key] = (text, style)
    radius = {m.place_id: marker_radius_points(m.kind, canvas.scale) * ppp for m, _, _ in marks}
    for c in spec.callouts:
        x, y = canvas.frame.forward(np.array([c.lon]), np.array([c.lat]))
        if not _in_view(canvas, float(x[0]), float(y[0])):
            continue
        (px, py), = canvas.to_display(x, y)
        d = 15.0 * canvas.scale * ppp
        key = f"{c.kind}:{c.number}"
        if key in skip:
            continue
        requests.append(LabelRequest(key, px, py, d, d, clearance=radius.get(c.place_id, 2.0),
                                     priority=canvas.badge_priority - c.number / 100.0,
                                     reach=2.5))
        styles[key] = (str(c.number), c.kind)
    return requests, obstacles, styles


def _stack_box(group: list[tuple[float, float, float, object]]) -> Box:
    """Return the box around a group of markers (centre x, y and radius each)."""
    return Box(min(x - r for x, _, r, _ in group), min(y - r for _, y, r, _ in group),
               max(x + r for x, _, r, _ in group), max(y + r for _, y, r, _ in group))


def _stacks(canvas: _Canvas, marks: list) -> list[list[tuple[float, float, float, object]]]:
    """Group the markers in view that sit on one another (within 3 points), most important
    first; each group gets one label naming them all, one name a line."""
    near = 3.0 * canvas.scale * canvas.px_per_pt
    groups: list[list[tuple[float, float, float, object]]] = []
    ordered = sorted(marks, key=lambda m: (-m[0].priority, m[0].place_id))
    for mark, x, y in ordered:
        if not _in_view(canvas, x, y):
            continue
        (px, py), = canvas.to_display(np.array([x]), np.array([y]))
        r = marker_radius_points(mark.kind, canvas.scale) * canvas.px_per_pt
        entry = (float(px), float(py), r, mark)
        home = next((g for g in groups if math.hypot(g[0][0] - px, g[0][1] - py) <= near), None)
        if home is None:
            groups.append([entry])
        else:
            home.append(entry)
    return groups


def _country_requests(canvas: _Canvas, basemap, styles: dict,
                      largest: float = 15.0) -> list[LabelRequest]:
    out = []
    shorts = {c.name: _COUNTRY_SHORT.get(c.iso2, c.name) for c in basemap.countries}
    for name, x, y, share in country_label_points(basemap, canvas.frame):
        text = _wrap(shorts.get(name, name).upper(), 14)
        style = dict(_label_style(canvas, "country"))
        style["fontsize"] = canvas.scale * min(8.5 + 14.0 * math.sqrt(share), largest)
        (px, py), = canvas.to_display(np.array([x]), np.array([y]))
        w, h = _measure(canvas, text, **style)
        key = f"country:{name}"
        out.append(LabelRequest(key, px, py, w, h, priority=-100.0 + share, centred=True))
        styles[key] = (text, style)
    return out


def _place(canvas: _Canvas, requests: list[LabelRequest], obstacles: list[Box],
           routes: list) -> tuple[list[Placement], list[str]]:
    """Place labels inside the canvas's axes, clear of obstacles, shunning focus routes."""
    bb = canvas.ax.bbox
    pt = canvas.px_per_pt * canvas.scale
    return place_labels(
        requests, obstacles=obstacles, bounds=Box(bb.x0 + 4, bb.y0 + 4, bb.x1 - 4, bb.y1 - 4),
        avoid=_route_samples(canvas, [r for r in routes if r[2]]),
        gap=2.5 * pt, step=11.0 * pt, max_distance=70.0 * pt)


def _draw_labels(canvas: _Canvas, spec: SlideSpec, layers: list, blocked: list[Box],
                 skip: frozenset[str] = frozenset(), *, country_size: float = 15.0
                 ) -> tuple[list[Placement], list[str]]:
    basemap, routes, marks, _ = layers
    requests, obstacles, styles = _label_requests(canvas, spec, marks, skip)
    requests += _country_requests(canvas, basemap, styles, country_size)
    placed, dropped = _place(canvas, requests, [*obstacles, *blocked], routes)
    placed, dropped = _retry_stacks(canvas, requests, styles, placed, dropped,
                                    [*obstacles, *blocked], routes)
    clearance = {r.key: r.clearance for r in requests}
    for p in placed:
        _draw_label(canvas, p, styles[p.key], clearance[p.key])
    lost = [k for k in dropped if not k.startswith("country:")]
    if lost:
        log.info("%s: no room for %d labels: %s", spec.name, len(lost), ", ".join(lost))
    return placed, dropped


def _retry_stacks(canvas: _Canvas, requests: list[LabelRequest], styles: dict,
                  placed: list[Placement], dropped: list[str], obstacles: list[Box],
                  routes: list) -> tuple[list[Placement], list[str]]:
    """Give stacked labels that found no room a second chance with their first name only."""
    retry = []
    for req in requests:
        text, style = styles[req.key]
        if req.key in dropped and isinstance(style, dict) and "\n" in text:
            first = text.split("\n")[0]
            w, h = _measure(canvas, first, **style)
            styles[req.key] = (first, style)
            retry.append(replace(req, width=w, height=h, reach=2.0))
    if not retry:
        return placed, dropped
    more, still = _place(canvas, retry, [*obstacles, *(p.box for p in placed)], routes)
    return placed + more, [k for k in dropped if k not in {p.key for p in more}]


def _draw_label(canvas: _Canvas, p: Placement, styled: tuple, clearance: float) -> None:
    text, style = styled
    cx, cy = canvas.to_data((p.box.x0 + p.box.x1) / 2, (p.box.y0 + p.box.y1) / 2)
    s = canvas.scale
    if p.leader:
        (ax_, ay_), (bx, by) = p.leader_line(clearance)
        a, b = canvas.to_data(ax_, ay_), canvas.to_data(bx, by)
        canvas.ax.add_line(Line2D([a[0], b[0]], [a[1], b[1]], color="#4A4F55",
                                  linewidth=0.7 * s, zorder=Z["leaders"], gid="leader"))
    if style in ("annotation", "transfer"):
        radius = (p.box.x1 - p.box.x0) / 2 / canvas.px_per_pt * canvas.upp * 0.92
        draw_badge(canvas.ax, cx, cy, int(text), radius=radius, fontsize=7.5 * s,
                   zorder=Z["labels"], gid=p.key, kind=style)
        return
    draw_haloed_text(canvas.ax, cx, cy, text, scale=s, gid=f"label:{p.key}",
                     zorder=Z["labels"], ha="center", va="center", **style)


def _legend_content(spec: SlideSpec) -> LegendContent:
    focus = [r for r in spec.routes if spec.is_focus(r)]
    modes = tuple(m for m in MODE_STYLES if any(r.mode == m for r in focus))
    confs = tuple(c for c in CONFIDENCE_STYLES if any(r.confidence == c for r in focus))
    kinds = tuple(dict.fromkeys(p.kind for p in spec.places))
    return LegendContent(modes, confs, kinds, spec.widths, muted=bool(spec.focus))


def _draw_panel(canvas: _Canvas, spec: SlideSpec, inset_in_map: bool) -> int:
    """Draw legend, badge key and (if not in the map) the inset; return how many keys fit."""
    fig, s = canvas.fig, canvas.scale
    pax = fig.add_axes(_PANEL_RECT, label="panel")
    pax.set_axis_off()
    w_pt = _PANEL_RECT[2] * fig.get_figwidth() * 72.0
    h_pt = _PANEL_RECT[3] * fig.get_figheight() * 72.0
    pax.set_xlim(0, w_pt)
    pax.set_ylim(h_pt, 0)
    used = draw_legend(pax, _legend_content(spec), width=w_pt, scale=s)
    items = [(c.number, _callout_text(canvas, c), c.kind) for c in spec.callouts]
    side = 0.0 if inset_in_map else min(w_pt, 0.34 * h_pt)
    if side and h_pt - side - used < 40 * s * (len(items) > 0):
        side = max(h_pt - used - 40 * s, 0.0) if h_pt - used - 40 * s > 90 * s else 0.0
    shown = draw_callout_list(pax, spec.callout_title, items, top=used + 2 * s,
                              bottom=h_pt - side - 6 * s, width=w_pt, scale=s)
    if shown < len(items):
        log.info("%s: callouts %s are in the notes only (no room on the slide)", spec.name,
                 ", ".join(str(n) for n, _, _ in items[shown:]))
    if side:
        inset_w = side / (fig.get_figwidth() * 72.0)
        rect = (_PANEL_RECT[0] + (_PANEL_RECT[2] - inset_w) / 2, _PANEL_RECT[1], inset_w,
                side / (fig.get_figheight() * 72.0))
        _add_inset(canvas, rect)
    elif not inset_in_map:
        log.info("%s: no room for the inset locator", spec.name)
    return shown


def _callout_text(canvas: _Canvas, c) -> str:
    text = _text(canvas, c.text)
    return f"{text} ({c.period})" if c.period and c.kind == "annotation" else text


def _add_inset(canvas: _Canvas, rect: tuple[float, float, float, float]) -> None:
    iax = canvas.fig.add_axes(rect, label="inset")
    radius = max(2500.0, min(9000.0, 2.2 * _half_diagonal_km(canvas.frame)))
    draw_inset(iax, canvas.frame, scale=canvas.scale, radius_km=radius)


def _inset_corner(canvas: _Canvas, points: np.ndarray, taken: Box
                  ) -> tuple[tuple[float, ...], Box] | None:
    """Return a map corner (figure rect, display box) free of data and furniture, if any."""
    side = 0.30 * canvas.ax.bbox.height
    fig_w, fig_h = canvas.fig.bbox.width, canvas.fig.bbox.height
    corners = _corners(canvas, side, side)
    for name in ("top-right", "top-left", "bottom-right", "bottom-left"):
        box = corners[name]
        if box.overlaps(taken) or _count_in(points, box.padded(14.0 * canvas.scale)):
            continue
        return (box.x0 / fig_w, box.y0 / fig_h, side / fig_w, side / fig_h), box
    return None


def _half_diagonal_km(frame: MapFrame) -> float:
    lon, lat = frame.inverse(np.array([frame.xmin, frame.xmax]),
                             np.array([frame.ymin, frame.ymax]))
    _, _, d = _GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    return float(d) / 2000.0


_MAX_DETAILS = 2
_DETAIL_HEIGHTS = (0.50, 0.44, 0.38, 0.32, 0.28, 0.25)  # of the map height, tried in turn
_MIN_ZOOM = 2.5
_MIN_DETAIL_PT = 170.0  # narrowest detail panel, points (its heading band must fit)
_BAND_PT = 31.0  # height of a detail's heading band (title, note, scale bar), points
_GROWN_ZOOM = 4.0  # a cluster takes in its neighbours only if still enlarged this much


@dataclass(frozen=True)
class _Item:
    """A labelled thing on the map (a place or a badge): its key, display and lon/lat point."""

    key: str
    px: float
    py: float
    lon: float
    lat: float


def _map_items(canvas: _Canvas, spec: SlideSpec, marks: list) -> list[_Item]:
    """Return the places and badges inside the map's view, in a stable order."""
    out = []
    for mark, x, y in marks:
        if _in_view(canvas, x, y):
            (px, py), = canvas.to_display(np.array([x]), np.array([y]))
            out.append(_Item(f"place:{mark.place_id}", float(px), float(py), mark.lon, mark.lat))
    for c in spec.callouts:
        x, y = canvas.frame.forward(np.array([c.lon]), np.array([c.lat]))
        if _in_view(canvas, float(x[0]), float(y[0])):
            (px, py), = canvas.to_display(x, y)
            out.append(_Item(f"{c.kind}:{c.number}", float(px), float(py), c.lon, c.lat))
    return out


def _troubled_keys(canvas: _Canvas, spec: SlideSpec, layers: list,
                   blocked: list[Box]) -> set[str]:
    """Return keys whose labels find no room or land far away on a trial placement, and
    the ends of focus legs too short to see on a map that also holds long ones."""
    _, routes, marks, _ = layers
    requests, obstacles, _ = _label_requests(canvas, spec, marks)
    placed, dropped = _place(canvas, requests, [*obstacles, *blocked], routes)
    far = 24.0 * canvas.px_per_pt * canvas.scale
    bad = set(dropped)
    for p in placed:
        bx, by = p.box.nearest_point(*p.anchor)
        if p.leader and math.hypot(bx - p.anchor[0], by - p.anchor[1]) > far:
            bad.add(p.key)
    return bad | _short_leg_keys(canvas, routes, marks)


def _short_leg_keys(canvas: _Canvas, routes: list, marks: list) -> set[str]:
    """Return places at the ends of focus legs under 4% of the map wide, if another focus
    leg spans 40% of it (a port hop next to a cross-continent haul)."""
    width = canvas.ax.bbox.width
    spans = []
    for _, parts, focus in routes:
        if focus and parts:
            d = canvas.to_display(*np.concatenate(parts).T)
            spans.append((float(np.ptp(d[:, 0]) + np.ptp(d[:, 1])), d[0], d[-1]))
    if not spans or max(sp for sp, _, _ in spans) < 0.4 * width:
        return set()
    ends = [e for sp, a, b in spans if sp < 0.04 * width for e in (a, b)]
    near = 6.0 * canvas.px_per_pt * canvas.scale
    keys = set()
    for mark, x, y in marks:
        (px, py), = canvas.to_display(np.array([x]), np.array([y]))
        if any(math.hypot(px - e[0], py - e[1]) <= near for e in ends):
            keys.add(f"place:{mark.place_id}")
    return keys


def _plan_details(canvas: _Canvas, spec: SlideSpec, layers: list, points: np.ndarray,
                  blocked: list[Box]) -> list[DetailInset]:
    """Find crowded clusters and room for an enlarged view of each (at most two)."""
    items = _map_items(canvas, spec, layers[2])
    if len(items) < 3:
        return []
    xy = np.array([[i.px, i.py] for i in items])
    bad = _troubled_keys(canvas, spec, layers, blocked)
    trouble = np.array([i.key in bad for i in items])
    pt = canvas.px_per_pt * canvas.scale
    details: list[DetailInset] = []
    taken, used = list(blocked), frozenset[int]()
    data = np.vstack([points, _label_room(xy, pt)])
    for _ in range(_MAX_DETAILS):
        grown, seed = (crowded_cluster(xy, trouble, link=20.0 * pt, grow=grow, exclude=used,
                                       max_side=0.16 * canvas.ax.bbox.width)
                       for grow in (True, False))
        if grown is None or seed is None:
            break
        used = used | frozenset(grown)
        # neighbours join only if the enlargement stays strong; else the crowded core alone
        detail = (_fit_detail(canvas, [items[m] for m in grown], items, data, taken,
                              min_zoom=_GROWN_ZOOM) if grown != seed else None)
        detail = detail or _fit_detail(canvas, [items[m] for m in seed], items, data, taken,
                                       min_zoom=_MIN_ZOOM)
        if detail is None:
            log.info("%s: no room for a detail of %s", spec.name,
                     ", ".join(items[m].key for m in seed))
            continue
        details.append(detail)
        taken += [detail.panel.padded(6.0 * pt), detail.tab.padded(4.0 * pt),
                  detail.outline.padded(4.0 * pt)]
    return details


def _label_room(xy: np.ndarray, pt: float) -> np.ndarray:
    """Return points around each anchor where its label may go, for panels to keep off."""
    dx, dy = np.meshgrid(np.linspace(-60.0, 60.0, 21) * pt, np.linspace(-12.0, 12.0, 5) * pt)
    offsets = np.column_stack([dx.ravel(), dy.ravel()])
    return (xy[:, None, :] + offsets[None, :, :]).reshape(-1, 2)


def _fit_detail(canvas: _Canvas, members: list[_Item], items: list[_Item], data: np.ndarray,
                taken: list[Box], *, min_zoom: float) -> DetailInset | None:
    """Fit a projection to some items and find the best room for it as a panel.

    Every panel size and shape that fits is scored by its enlargement, less for each
    map-width of distance from what it enlarges; None if nothing fits ``min_zoom``.
    """
    pt = canvas.px_per_pt * canvas.scale
    bb = canvas.ax.bbox
    lon = np.array([m.lon for m in members])
    lat = np.array([m.lat for m in members])
    bounds = Box(bb.x0 + 8 * pt, bb.y0 + 8 * pt, bb.x1 - 8 * pt, bb.y1 - 8 * pt)
    own = bounding_box(np.array([[m.px, m.py] for m in members]))
    own_aspect = min(max((own.width + 40 * pt) / (own.height + 40 * pt), 0.8), 1.5)
    title = _detail_title(members)
    best: tuple[float, DetailInset] | None = None
    for aspect in dict.fromkeys((own_aspect, 1.7, 1.35, 0.85)):
        frame = fit_frame(lon, lat, aspect=aspect, margin=0.2, min_span_m=30_000.0)
        ring = _outline_on_map(canvas, frame)
        outline = bounding_box(ring)
        side = float(np.hypot(*(ring[_OUTLINE_SIDE] - ring[0])))
        for frac in _DETAIL_HEIGHTS:
            w = min(frac * bb.height * aspect, 0.45 * bb.width)
            zoom = w / side
            if zoom < min_zoom or w < _MIN_DETAIL_PT * pt:
                continue
            band = _BAND_PT * pt
            spot = free_spot((w, w / aspect + band), bounds=bounds, points=data,
                             near=_centre(outline), step=6 * pt,
                             blocked=[*taken, outline.padded(10 * pt)])
            if spot is None:
                continue
            panel = Box(spot.x0, spot.y0, spot.x1, spot.y1 - band)
            tab = Box(spot.x0, spot.y1 - band, spot.x1, spot.y1)
            # bigger enlargements first, then roomier panels, then nearer ones
            score = (zoom * (panel.width * panel.height) ** 0.25
                     * (1.0 - 1.5 * _box_gap(panel, outline) / bb.width))
            if best is None or score > best[0] + 1e-9:
                best = (score, DetailInset(frame, panel, outline, _keys_inside(frame, items),
                                           title, zoom, ring=ring, tab=tab))
    return None if best is None else best[1]


def _box_gap(a: Box, b: Box) -> float:
    """Return the distance between two boxes (0 if they touch or overlap)."""
    dx = max(b.x0 - a.x1, a.x0 - b.x1, 0.0)
    dy = max(b.y0 - a.y1, a.y0 - b.y1, 0.0)
    return math.hypot(dx, dy)


def _tab_style(canvas: _Canvas, heading: str, width: float) -> dict:
    """Return the heading's font: 7.5 points, smaller down to 6 if the panel is narrow."""
    pad = 7.0 * canvas.scale * canvas.px_per_pt
    for size in (7.5, 7.0, 6.5, 6.0):
        style = {"fontsize": size * canvas.scale, "fontweight": "bold"}
        if _measure(canvas, heading.upper(), **style)[0] + pad <= width:
            break
    return style


def _centre(box: Box) -> tuple[float, float]:
    return (box.x0 + box.x1) / 2.0, (box.y0 + box.y1) / 2.0


def _keys_inside(frame: MapFrame, items: list[_Item]) -> frozenset[str]:
    """Return the keys of items inside a frame (a hair in from its edge)."""
    x, y = frame.forward(np.array([i.lon for i in items]), np.array([i.lat for i in items]))
    inner = 0.01 * frame.width
    inside = ((x > frame.xmin + inner) & (x < frame.xmax - inner)
              & (y > frame.ymin + inner) & (y < frame.ymax - inner))
    return frozenset(i.key for i, ok in zip(items, inside) if ok)


_OUTLINE_SIDE = 24  # points per side of a detail's outline, less one


def _outline_on_map(canvas: _Canvas, frame: MapFrame) -> np.ndarray:
    """Return a detail frame's edge on the main map, display units, anticlockwise from
    its lower-left corner (a turned, slightly curved quadrilateral where projections differ)."""
    n = _OUTLINE_SIDE
    t = np.linspace(0.0, 1.0, n + 1)[:-1]
    xs = np.concatenate([frame.xmin + frame.width * t, np.full(n, frame.xmax),
                         frame.xmax - frame.width * t, np.full(n, frame.xmin)])
    ys = np.concatenate([np.full(n, frame.ymin), frame.ymin + frame.height * t,
                         np.full(n, frame.ymax), frame.ymax - frame.height * t])
    lon, lat = frame.inverse(xs, ys)
    mx, my = canvas.frame.forward(lon, lat)
    return canvas.to_display(mx, my)


def _detail_title(members: list[_Item]) -> str:
    """Return 'Russia and North Korea', the countries of the places shown, most first."""
    lon = np.array([m.lon for m in members])
    lat = np.array([m.lat for m in members])
    countries = load_countries()
    names = dict(zip(countries["iso2"], countries["name"]))
    codes = [c for c in country_codes_at(countries, lon, lat) if c]
    ranked = sorted(dict.fromkeys(codes), key=lambda c: (-codes.count(c), c))[:3]
    words = [_COUNTRY_SHORT.get(c, names.get(c, c)) for c in ranked]
    if not words:
        return "Detail"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _draw_detail_outline(canvas: _Canvas, detail: DetailInset) -> None:
    """Draw, on the main map, the outline the detail enlarges and lines to the detail panel."""
    s = canvas.scale
    inverse = canvas.ax.transData.inverted()
    ring = inverse.transform(detail.ring)
    canvas.ax.add_artist(Polygon(ring, closed=True, facecolor="none", edgecolor=_DETAIL_EDGE,
                                 linewidth=1.0 * s, zorder=Z["arrows"] + 0.5,
                                 gid="detail-outline"))
    n = _OUTLINE_SIDE
    corners = [detail.ring[i] for i in (0, n, 3 * n, 2 * n)]  # as Box corners: ll, lr, ul, ur
    for a, b in connector_corners(corners, detail.panel):
        (ax_, ay_), (bx, by) = inverse.transform(a), inverse.transform(b)
        canvas.ax.add_line(Line2D([ax_, bx], [ay_, by], color=_DETAIL_EDGE, linewidth=0.6 * s,
                                  alpha=0.8, zorder=Z["rail"] + 0.5, gid="detail-connector"))


_DETAIL_EDGE = "#3A3F44"


def _detail_canvas(canvas: _Canvas, detail: DetailInset, number: int) -> _Canvas:
    """Add the detail's axes over the map, in the detail frame's projected metres."""
    fig, p, frame = canvas.fig, detail.panel, detail.frame
    fw, fh = fig.bbox.width, fig.bbox.height
    ax = fig.add_axes((p.x0 / fw, p.y0 / fh, p.width / fw, p.height / fh),
                      label=f"detail:{number}")
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(_DETAIL_EDGE)
        spine.set_linewidth(1.1 * canvas.scale)
    upp = frame.width / (p.width / fig.dpi * 72.0)
    # smaller names, and place names before transfer badges: the panel is tight
    return _Canvas(fig, ax, frame, canvas.scale, upp, canvas.texts, label_size=8.5,
                   badge_priority=2.5)


def _draw_detail_band(canvas: _Canvas, dc: _Canvas, detail: DetailInset) -> ScaleBar:
    """Draw the heading band on top of a detail: title and enlargement on the left, the
    detail's own scale bar (true at its centre) on the right."""
    band, s, ppp = detail.tab, canvas.scale, canvas.px_per_pt
    (x0, y0), (x1, y1) = canvas.to_data(band.x0, band.y0), canvas.to_data(band.x1, band.y1)
    canvas.ax.add_artist(Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True,
                                 facecolor="white", edgecolor=_DETAIL_EDGE,
                                 linewidth=1.1 * s, zorder=Z["furniture"] - 0.5,
                                 gid="detail-band"))
    width_pt = detail.panel.width / ppp
    bar = scale_bar_for(dc.frame, fraction=min(0.4, max(0.2, 70.0 * s / width_pt)))
    bar_px = bar.length_units / dc.upp * ppp
    pad = 5.0 * s * ppp
    right = band.x1 - pad - 16.0 * s * ppp  # room for the "km" of the last number
    bx, by = dc.to_data(right - bar_px, band.y0 + 12.0 * s * ppp)
    draw_scale_bar(dc.ax, bar, x=bx, y=by, upp=dc.upp, scale=s, note="")
    canvas.ax.text(*canvas.to_data(band.x1 - pad, band.y0 + pad * 0.7), "True at detail centre",
                   fontsize=6.0 * s, color=BASEMAP_STYLE.muted_text, ha="right", va="bottom",
                   zorder=Z["furniture"], gid="scalebar-note")
    for artist in dc.ax.patches:
        if artist.get_gid() == "scalebar":
            artist.set_clip_on(False)  # the band lies just above the detail's axes
    room = right - bar_px - band.x0 - 3 * pad - 8.0 * s * ppp  # the "0" sticks out left
    style = _tab_style(canvas, detail.title, room)
    title = _fit_words(canvas, detail.title.upper(), room, style["fontsize"], bold=True)
    canvas.ax.text(*canvas.to_data(band.x0 + pad, band.y1 - pad * 0.8), title,
                   color=BASEMAP_STYLE.text, ha="left", va="top", zorder=Z["furniture"],
                   gid="detail-title", **style)
    note = f"Detail enlarged {detail.zoom:.1f}\u00d7"
    canvas.ax.text(*canvas.to_data(band.x0 + pad, band.y0 + pad * 0.7),
                   _fit_words(canvas, note, room, 6.0 * s), fontsize=6.0 * s,
                   color=BASEMAP_STYLE.muted_text, ha="left", va="bottom",
                   zorder=Z["furniture"], gid="detail-note")
    return bar


def _fit_words(canvas: _Canvas, text: str, width: float, size: float, *,
               bold: bool = False) -> str:
    """Return text cut at a word (with an ellipsis) so it is no wider than ``width``."""
    words = text.split(" ")
    weight = "bold" if bold else "normal"
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n]) + ("" if n == len(words) else "\u2026")
        if _measure(canvas, candidate, fontsize=size, fontweight=weight)[0] <= width:
            return candidate
    return ""


def _draw_detail(canvas: _Canvas, spec: SlideSpec, detail: DetailInset, number: int,
                 focus_iso: frozenset[str]) -> DetailInset:
    """Draw a detail panel with the map's own layers, title, scale bar and labels."""
    dc = _detail_canvas(canvas, detail, number)
    keys = detail.keys
    dspec = replace(spec, places=tuple(p for p in spec.places if f"place:{p.place_id}" in keys),
                    callouts=tuple(c for c in spec.callouts if f"{c.kind}:{c.number}" in keys))
    layers = _draw_map(dc, dspec, focus_iso)
    bar = _draw_detail_band(canvas, dc, detail)
    placed, dropped = _draw_labels(dc, replace(dspec, name=f"{spec.name} detail"), layers,
                                   [], country_size=9.5)
    return replace(detail, scale_bar=bar, labels=tuple(placed), dropped=tuple(dropped))


def compose_slide(spec: SlideSpec, *, size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                  texts: dict[str, str] | None = None) -> ComposedSlide:
    """Draw one slide into a new matplotlib Figure (Agg canvas, nothing global touched).

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

    Returns
    -------
    ComposedSlide
    """
    canvas = _setup(spec, size, dpi, texts or {})
    _draw_header(canvas, spec)
    focus_iso = _focus_countries(spec)
    layers = _draw_map(canvas, spec, focus_iso)
    points = _data_points(canvas, layers)
    bar, north, furniture_box = _place_furniture(canvas, points)
    corner = _inset_corner(canvas, points, furniture_box)
    obstacles = [furniture_box] + ([corner[1].padded(4.0)] if corner else [])
    keyed = _draw_panel(canvas, spec, inset_in_map=corner is not None)
    shown = replace(spec, callouts=spec.callouts[:keyed])
    details = _plan_details(canvas, shown, layers, points, obstacles)
    for detail in details:
        _draw_detail_outline(canvas, detail)
        obstacles += [detail.panel.padded(4.0), detail.tab.padded(4.0),
                      detail.outline.padded(2.0)]
    skip = frozenset(k for d in details for k in d.keys)
    placed, dropped = _draw_labels(canvas, shown, layers, obstacles, skip)
    details = [_draw_detail(canvas, shown, d, n, focus_iso) for n, d in enumerate(details, 1)]
    if corner:
        _add_inset(canvas, corner[0])
    spec = _with_attributions(
        spec, spec.attributions + tuple(a for a in layers[3] if a not in spec.attributions))
    _draw_footer(canvas, spec)
    return ComposedSlide(spec, canvas.fig, canvas.frame, bar, north, tuple(placed),
                         tuple(dropped), tuple(details))


def _with_attributions(spec: SlideSpec, attributions: tuple[str, ...]) -> SlideSpec:
    return replace(spec, attributions=attributions)


def _all_texts(specs: Iterable[SlideSpec]) -> dict[str, str]:
    values: list[str] = []
    for spec in specs:
        values += [spec.title, spec.subtitle, *(p.name for p in spec.places),
                   *(c.text for c in spec.callouts)]
    return printable(v for v in values if v)


def slide_specs(routeset: RouteSet, *, per_transfer: bool = True) -> list[SlideSpec]:
    """Return what each slide shows, in deck order, without drawing anything.

    The overview comes first, then (if ``per_transfer``) one spec per transfer and, if some
    callouts are on no transfer slide, a map of those (``slides/callouts``). Each spec's
    attributions already name the context layers the map draws (the rail network), so notes
    built from a spec match the slide's footer.
    """
    specs = [overview_spec(routeset)]
    if per_transfer:
        transfers = transfer_specs(routeset)
        others = callouts_spec(routeset, transfers)
        specs += transfers + ([others] if others is not None else [])
    extra = _context_attributions()
    return [_with_attributions(s, s.attributions + tuple(a for a in extra
                                                         if a not in s.attributions))
            for s in specs]


def _context_attributions() -> tuple[str, ...]:
    """Return the licence lines of the context layers every map draws (the rail network)."""
    try:
        from routemap.geo.network import load_rail_network

        return (load_rail_network().attribution,)
    except (ImportError, AttributeError, OSError) as exc:
        log.info("rail context layer skipped: %s", exc)
        return ()


def compose_slides(routeset: RouteSet, *, size: tuple[int, int] = (1920, 1080),
                   dpi: float = 150, per_transfer: bool = True) -> dict[str, ComposedSlide]:
    """Draw the overview and (optionally) one slide per transfer; keys are output stems."""
    specs = slide_specs(routeset, per_transfer=per_transfer)
    texts = _all_texts(specs)
    with matplotlib.rc_context(_rc()):
        return {s.name: compose_slide(s, size=size, dpi=dpi, texts=texts) for s in specs}


def _rc(fonts: Sequence[str] | None = None) -> dict[str, object]:
    """Return the matplotlib settings every slide is drawn and saved with.

    ``fonts`` is the font fallback chain (default :func:`routemap.maps.slides.fonts.font_chain`); worker
    processes are handed the parent's, so that they do not look the fonts up again.
    """
    return {
        "font.family": list(font_chain() if fonts is None else fonts),
        "svg.fonttype": "none",
        "svg.hashsalt": "routemap",
        "pdf.fonttype": 42,
        "path.simplify": True,
    }


def figure_bytes(figure: Figure, fmt: str, *, fonts: Sequence[str] | None = None) -> bytes:
    """Return a figure saved as PNG, SVG or PDF, byte-identical for identical figures.

    ``fonts`` is the font chain to save with (default :func:`routemap.maps.slides.fonts.font_chain`).
    """
    metadata = {"png": {"Software": "routemap"}, "svg": {"Date": None, "Creator": "routemap"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "routemap",
                        "Producer": "routemap"}}[fmt]
    buf = io.BytesIO()
    with matplotlib.rc_context(_rc(fonts)):
        figure.savefig(buf, format=fmt, dpi=figure.dpi, metadata=metadata,
                       facecolor=figure.get_facecolor())
    return _round_svg_paths(buf.getvalue()) if fmt == "svg" else buf.getvalue()


_SVG_PATH_DATA = re.compile(rb' d="([^"]*)"')
_SVG_LONG_NUMBER = re.compile(rb"-?\d+\.\d{3,}")


def _round_svg_paths(svg: bytes) -> bytes:
    """Round path coordinates to 1/100 point (matplotlib writes six digits; none is visible)."""

    def number(m: re.Match) -> bytes:
        text = b"%.2f" % float(m.group(0))
        text = text.rstrip(b"0").rstrip(b".")
        return b"0" if text in (b"-0", b"") else text

    def path(m: re.Match) -> bytes:
        return b' d="' + _SVG_LONG_NUMBER.sub(number, m.group(1)) + b'"'

    return _SVG_PATH_DATA.sub(path, svg)


def render_slides(routeset: RouteSet, *, formats: Sequence[str] = FORMATS,
                  size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                  per_transfer: bool = True, workers: int = 1) -> dict[str, bytes]:
    """Render the briefing slides to bytes, one entry per output file.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    formats : sequence of str
        Any of ``png``, ``svg``, ``pdf``.
    size : tuple of int
        PNG width and height in pixels (vector formats get the same page in inches).
    dpi : float
        Dots per inch of the PNG.
    per_transfer : bool
        Also render ``slides/<transfer-id>.<fmt>`` for every transfer.
    workers : int
        Draw the slides in this many processes (started with ``spawn``, so a calling script
        needs the usual ``if __name__ == "__main__":`` guard). Each slide is drawn on its own,
        so the bytes are the same whatever the number.

    Returns
    -------
    dict of str to bytes
        ``slide.png``, ``slide.svg``, ``slide.pdf``, ``slides/<transfer-id>.png``... (and
        ``slides/callouts.<fmt>`` when some callouts are on no transfer slide) in a stable
        order. Nothing is written to disk.

    Raises
    ------
    ValueError
        If a format is unknown.
    RenderError
        If a font cannot be read, or a worker process dies (killed, or out of memory).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown slide format(s) {unknown}; expected some of {FORMATS}")
    specs = slide_specs(routeset, per_transfer=per_transfer)
    texts = _all_texts(specs)
    jobs = [_SlideJob(spec, size, dpi, texts, tuple(formats), font_chain()) for spec in specs]
    workers = min(workers, len(jobs))
    if workers <= 1:
        results = [_render_job(job) for job in jobs]
    else:
        results = _render_in_workers(jobs, workers)
    return {name: data for result in results for name, data in result.items()}


def _render_in_workers(jobs: list[_SlideJob], workers: int) -> list[dict[str, bytes]]:
    """Draw the slides in ``workers`` spawned processes, in job order."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_render_job, jobs))
    except BrokenProcessPool as exc:
        raise RenderError(
            f"cannot draw the slides: one of the {workers} processes drawing them stopped "
            f"abruptly (killed, or out of memory); draw them in one process "
            f"(ROUTEMAP_WORKERS=1 for routemap build)" + library_detail("concurrent.futures", exc)
        ) from exc


@dataclass(frozen=True)
class _SlideJob:
    """One slide to draw and save: everything a worker process needs, picklable."""

    spec: SlideSpec
    size: tuple[int, int]
    dpi: float
    texts: dict[str, str]
    formats: tuple[str, ...]
    fonts: tuple[str, ...]


def _render_job(job: _SlideJob) -> dict[str, bytes]:
    with matplotlib.rc_context(_rc(job.fonts)):
        slide = compose_slide(job.spec, size=job.size, dpi=job.dpi, texts=job.texts)
    return {f"{job.spec.name}.{fmt}": figure_bytes(slide.figure, fmt, fonts=job.fonts)
            for fmt in job.formats}

