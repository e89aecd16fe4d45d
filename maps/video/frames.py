"""Drawing the animation's map frames: the static layers once, then only what moves.

A :class:`Stage` draws the slides' cartography (basemap, places, labels, header, legend,
sources line) once into a background image. What changes at an event (the legs drawn whole
or as context, the callouts on screen) is drawn over it once per event and kept; what changes
every frame (a leg growing along its path, the date counter) is drawn over that and read out.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from routemap.maps.basemap import load_basemap, load_rail_context
from routemap.maps.language import load_language
from routemap.maps.slides.canvas import MAP_RECT, PANEL_RECT, Canvas, setup_canvas
from routemap.maps.slides.compose import draw_header
from routemap.maps.slides.furniture import (
    LegendContent,
    draw_badge,
    draw_callout_list,
    draw_legend,
)
from routemap.maps.slides.labels import Box
from routemap.maps.slides.layers import (
    CONTEXT_ALPHA,
    CONTEXT_WIDTH_PT,
    MUTED_ROUTE,
    Z,
    draw_basemap,
    draw_places,
    draw_routes,
    project_parts,
)
from routemap.maps.slides.spec import RouteLine
from routemap.maps.style import BASEMAP_STYLE, CONFIDENCE_STYLES, MODE_STYLES
from routemap.maps.video.cards import CardLayout, draw_sources_line, points_axes
from routemap.maps.video.content import VideoContent
from routemap.maps.video.details import draw_labels_and_details
from routemap.maps.video.pacing import Frame

__all__ = ["LAYOUTS", "Layout", "Stage", "grown_parts"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Layout:
    """Where a film's map, legend and callouts sit (figure fractions), and its size.

    Attributes
    ----------
    name : str
        ``wide`` (1920x1080) or ``square`` (1080x1080).
    size : tuple of int
        Width and height in pixels.
    scale : float
        Text and line sizes relative to a 1920-pixel slide.
    map_rect, legend_rect, callout_rect : tuple of float
        Left, bottom, width, height. When the callouts share the legend's rectangle they are
        listed below it.
    full_legend : bool
        List the line widths too (the square film keeps the lines' key only; neither lists
        the place symbols, so the callouts have room).
    details : bool
        Draw the overview slide's detail insets where the map has room for them.
    """

    name: str
    size: tuple[int, int]
    scale: float
    map_rect: tuple[float, float, float, float]
    legend_rect: tuple[float, float, float, float]
    callout_rect: tuple[float, float, float, float]
    full_legend: bool = True
    details: bool = True

    @property
    def card(self) -> CardLayout:
        """Return what the title and closing cards need of the layout."""
        return CardLayout(self.size, self.scale, self.map_rect)

    def scaled(self, size: tuple[int, int]) -> Layout:
        """Return the layout at another size (the same proportions; tests draw small)."""
        return replace(self, size=size, scale=self.scale * size[0] / self.size[0])


LAYOUTS: dict[str, Layout] = {
    "wide": Layout("wide", (1920, 1080), 1.0, MAP_RECT, PANEL_RECT, PANEL_RECT),
    "square": Layout("square", (1080, 1080), 0.82, (0.018, 0.425, 0.964, 0.425),
                     (0.018, 0.128, 0.40, 0.285), (0.45, 0.128, 0.532, 0.285),
                     full_legend=False),
}
_DPI = 150.0
#: A leg whose drawing spans less than this, points at scale 1, is hidden under its places'
#: marker: it is shown by a ring around them in its mode's colour.
_SHORT_PT = 8.0
#: Where a callout's badge may go, points from its place at scale 1, in order of preference
#: (touching the marker's upper right first, then around it, then a ring further out).
_BADGE_SPOTS: tuple[tuple[float, float], ...] = (
    (8.0, 8.0), (-8.0, 8.0), (8.0, -8.0), (-8.0, -8.0), (11.0, 0.0), (-11.0, 0.0),
    (0.0, 11.0), (0.0, -11.0), (16.0, 16.0), (-16.0, 16.0), (16.0, -16.0), (-16.0, -16.0),
    (22.0, 0.0), (-22.0, 0.0), (0.0, 22.0), (0.0, -22.0))


def _two_lines(text: str) -> str:
    """Return a text broken into two lines at the space nearest its middle."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1:]


def _shared_area(a: Box, b: Box) -> float:
    """Return the area two boxes share."""
    return (max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
            * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0)))


def grown_parts(route: RouteLine, drawn: list[np.ndarray],
                share: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return the first ``share`` of a leg's length, in its order of travel, as (track parts,
    connectors): a connector off the network where the leg starts comes first.

    Parameters
    ----------
    route : RouteLine
        The leg.
    drawn : list of ndarray
        Its projected parts, as :func:`routemap.maps.slides.layers.project_parts` gives them.
    share : float
        From 0 (nothing) to 1 (all of it).

    Returns
    -------
    tuple of (list of ndarray, list of ndarray)
    """
    cut = len(drawn) - len(route.connectors)
    track, joins = list(drawn[:cut]), list(drawn[cut:])
    if not track:
        pieces = [(j, True) for j in joins]
    else:
        head, tail = track[0][0], track[-1][-1]
        before, after = [], []
        for j in joins:
            near_head = min(np.hypot(*(j[0] - head)), np.hypot(*(j[-1] - head)))
            near_tail = min(np.hypot(*(j[0] - tail)), np.hypot(*(j[-1] - tail)))
            if near_head <= near_tail:
                ends_at_head = np.hypot(*(j[-1] - head)) <= np.hypot(*(j[0] - head))
                before.append(j if ends_at_head else j[::-1])
            else:
                starts_at_tail = np.hypot(*(j[0] - tail)) <= np.hypot(*(j[-1] - tail))
                after.append(j if starts_at_tail else j[::-1])
        pieces = [(j, True) for j in before] + [(p, False) for p in track] + [
            (j, True) for j in after]
    lengths = [float(np.hypot(*np.diff(p, axis=0).T).sum()) if len(p) > 1 else 0.0
               for p, _ in pieces]
    left = max(0.0, min(1.0, share)) * sum(lengths)
    kept_track, kept_joins = [], []
    for (piece, is_join), length in zip(pieces, lengths, strict=True):
        if left <= 0.0:
            break
        part = piece if length <= left else _head(piece, left)
        left -= length
        (kept_joins if is_join else kept_track).append(part)
    return kept_track, kept_joins


def _head(xy: np.ndarray, length: float) -> np.ndarray:
    """Return the first ``length`` of a polyline."""
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    i = int(np.searchsorted(cum, length, side="right"))
    i = max(1, min(i, len(xy) - 1))
    seg = cum[i] - cum[i - 1]
    t = (length - cum[i - 1]) / seg if seg else 0.0
    end = xy[i - 1] + t * (xy[i] - xy[i - 1])
    return np.vstack([xy[:i], end])


class Stage:
    """One film's figure: the static layers drawn once, and each frame drawn over them.

    Parameters
    ----------
    content : VideoContent
        What the film shows.
    layout : Layout
        Its size and arrangement.
    """

    def __init__(self, content: VideoContent, layout: Layout) -> None:
        self.content, self.layout = content, layout
        self.lang = load_language(content.language)
        spec = content.spec
        self.canvas = setup_canvas(spec, layout.size, _DPI, content.texts, rect=layout.map_rect, scale=layout.scale)
        c = self.canvas
        self.routes = {r.feature_id: r for r in spec.routes}
        self.parts = {r.feature_id: project_parts(r, c.frame) for r in spec.routes}
        self.callouts = {co.number: co for co in content.callouts}
        self._draw_static()
        top = [a for ax in (c.ax, *(d.ax for d in self.details)) for a in ax.get_children()
               if a.get_visible() and (a.get_zorder() >= Z["places"]
                                       or a.get_gid() == "detail-outline")]
        self._overlay = self._draw_overlay(top)
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        # each detail panel without lines, laid back over the main map's lines
        self._clean = [self.fig.canvas.copy_from_bbox(d.region) for d in self.details]
        self._stage_key: tuple | None = None
        self._stage = self._background
        self._date: tuple[object, object] | None = None
        self._panel: tuple[tuple[int, ...], object] | None = None

    @property
    def fig(self) -> Figure:
        """Return the film's figure."""
        return self.canvas.fig

    # -- the static layers ------------------------------------------------------------------
    def _draw_static(self) -> None:
        c, spec = self.canvas, self.content.spec
        px_m = c.frame.width / c.ax.bbox.width
        basemap = load_basemap(c.frame, tolerance_m=px_m / 2.0)
        rail = load_rail_context(c.frame, tolerance_m=px_m)
        focus = frozenset()
        draw_basemap(c.ax, basemap, focus=focus, scale=c.scale, rail=rail)
        marks = []
        for mark in spec.places:
            x, y = c.frame.forward(np.array([mark.lon]), np.array([mark.lat]))
            marks.append((mark, float(x[0]), float(y[0])))
        draw_places(c.ax, marks, scale=c.scale)
        self.date_box, self._date_xy = self._date_corner()
        routes = [(r, self.parts[r.feature_id], True) for r in spec.routes]
        extra = () if rail is None else (rail.attribution,)
        self.labels = draw_labels_and_details(c, spec, [basemap, routes, marks, extra],
                                              [self.date_box.padded(4.0)],
                                              details=self.layout.details)
        self.details = self.labels.details
        self._short = self._short_legs()
        lost = [k for k in self.labels.dropped if k.removeprefix("place:") in spec.endpoints]
        if lost:
            log.info("%s film: leg ends named nowhere on the map (no room under the leader "
                     "rule): %s", self.layout.name, ", ".join(lost))
        draw_header(c, replace(spec, as_of=""))
        draw_sources_line(c, self.content)
        self._draw_legend()

    def _date_corner(self) -> tuple[Box, tuple[float, float, str, str]]:
        """Return the map corner the date counter takes (the one hiding fewest route points,
        a place counting as 40) and where its text is anchored (axes fractions and alignment)."""
        c = self.canvas
        bb = c.ax.bbox
        w, h = 0.34 * bb.width, 44.0 * c.px_per_pt * c.scale
        pad = 8.0 * c.px_per_pt * c.scale
        corners = {
            "top-left": (Box(bb.x0, bb.y1 - h - pad, bb.x0 + w + pad, bb.y1), (0.012, 0.985, "left", "top")),
            "top-right": (Box(bb.x1 - w - pad, bb.y1 - h - pad, bb.x1, bb.y1), (0.988, 0.985, "right", "top")),
            "bottom-left": (Box(bb.x0, bb.y0, bb.x0 + w + pad, bb.y0 + h + pad), (0.012, 0.015, "left", "bottom")),
            "bottom-right": (Box(bb.x1 - w - pad, bb.y0, bb.x1, bb.y0 + h + pad), (0.988, 0.015, "right", "bottom")),
        }
        pts = [c.to_display(p[:, 0], p[:, 1]) for parts in self.parts.values() for p in parts]
        places = self.content.spec.places  # a place's symbol under the plate is hidden too
        for place in places:
            x, y = c.frame.forward(np.array([place.lon] * 40), np.array([place.lat] * 40))
            pts.append(c.to_display(x, y))
        xy = np.vstack(pts) if pts else np.zeros((0, 2))

        def hidden(box: Box) -> int:
            return int(np.count_nonzero((xy[:, 0] > box.x0) & (xy[:, 0] < box.x1)
                                        & (xy[:, 1] > box.y0) & (xy[:, 1] < box.y1)))

        name = min(corners, key=lambda k: (hidden(corners[k][0]), list(corners).index(k)))
        return corners[name]

    def _draw_legend(self) -> None:
        """Draw the lines' key: modes, certainties, path bands, connectors (and widths on the
        wide film), then the muted line of a period that is over."""
        spec, s, lang = self.content.spec, self.layout.scale, self.lang
        full = self.layout.full_legend
        content = LegendContent(
            modes=tuple(m for m in MODE_STYLES if any(r.mode == m for r in spec.routes)),
            confidences=tuple(c for c in CONFIDENCE_STYLES
                              if any(r.confidence == c for r in spec.routes)),
            kinds=(),
            widths=spec.widths if full else type(spec.widths)(),
            muted=False, paths=tuple(dict.fromkeys(r.path_confidence for r in spec.routes)),
            connectors=any(r.connectors for r in spec.routes), language=lang.code)
        pax, w_pt, h_pt = points_axes(self.fig, self.layout.legend_rect, "legend")
        used = draw_legend(pax, content, width=w_pt, scale=s)
        y = used + 8.0 * s
        pax.add_line(Line2D([0, 26 * s], [y, y], color=MUTED_ROUTE, alpha=CONTEXT_ALPHA,
                            linewidth=max(CONTEXT_WIDTH_PT, 1.1) * s, solid_capstyle="round"))
        pax.text(32 * s, y, lang.gettext("Period over"), fontsize=9.0 * s,
                 color=BASEMAP_STYLE.text, ha="left", va="center", gid="legend-period-over")
        if any(self._short):
            # a row of its own on the wide film; beside 'Period over' in the square one's
            # second column, on two lines (its legend has no room below)
            words = lang.gettext("Leg too short to see at this scale")
            x = 0.0 if full else w_pt / 2.0
            if full:
                y += 18.0 * s
            else:
                words = _two_lines(words)
            pax.add_patch(Circle((x + 13 * s, y), 5.5 * s, facecolor="none",
                                 edgecolor=BASEMAP_STYLE.text, linewidth=1.4 * s))
            pax.text(x + 32 * s, y, words, fontsize=9.0 * s, color=BASEMAP_STYLE.text,
                     ha="left", va="center", linespacing=1.0, gid="legend-short-leg")
        shared = self.layout.callout_rect == self.layout.legend_rect
        if shared:
            self.callout_ax, self.callout_top = pax, y + 14.0 * s
        else:
            self.callout_ax, _, _ = points_axes(self.fig, self.layout.callout_rect, "callouts")
            self.callout_top = 0.0
        self.callout_size = (w_pt, h_pt)

    def _draw_overlay(self, top: list[Artist]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw the figure without the place markers and names, and those alone into an
        overlay laid over the lines at each event and over a growing leg (drawing them again
        each time is slow)."""
        for artist in top:
            artist.set_visible(False)
        canvas = self.fig.canvas
        canvas.draw()
        for artist in top:
            artist.set_visible(True)
        return self._layer(lambda: [a.axes.draw_artist(a) for a in top])

    def _layer(self, draw: Callable[[], object]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return what ``draw`` draws on a clear figure as a sparse layer (where, colour times
        cover, share kept of what is under), leaving the figure's pixels as they were."""
        canvas = self.fig.canvas
        kept = canvas.copy_from_bbox(self.fig.bbox)
        canvas.get_renderer().clear()
        draw()
        layer = np.asarray(canvas.buffer_rgba()).reshape(-1, 4).copy()
        canvas.restore_region(kept)
        where = np.flatnonzero(layer[:, 3])
        share = (layer[where, 3:4] / 255.0).astype(np.float32)
        return where, layer[where, :3] * share, 1.0 - share

    def _lay(self, layer: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """Lay a sparse layer over what is drawn."""
        where, colour, keep = layer
        pixels = np.asarray(self.fig.canvas.buffer_rgba()).reshape(-1, 4)
        under = pixels[where, :3]
        pixels[where, :3] = np.rint(colour + under * keep).astype(np.uint8)

    # -- what changes at events -------------------------------------------------------------
    def _draw_new(self, draw: Callable[[], object]) -> None:
        """Run ``draw`` (which adds artists), draw what it added in order, then remove it."""
        axes = [self.canvas.ax, self.callout_ax, *(d.ax for d in self.details)]
        before = {id(a) for ax in axes for a in ax.get_children()}
        draw()
        new: list[Artist] = [a for ax in axes for a in ax.get_children() if id(a) not in before]
        for artist in sorted(new, key=lambda a: a.get_zorder()):
            artist.axes.draw_artist(artist)
        for artist in new:
            artist.remove()

    def _legs(self, ids: tuple[str, ...], *, focus: bool) -> list:
        return [(self.routes[f], self.parts[f], focus) for f in ids]

    def _set_stage(self, frame: Frame) -> None:
        """Draw the legs whole or as context and the callouts on screen, over the background."""
        key = (frame.drawn, frame.context, frame.callouts)
        if key == self._stage_key:
            return
        c, canvas = self.canvas, self.fig.canvas
        canvas.restore_region(self._background)
        legs = self._legs(frame.context, focus=False) + self._legs(frame.drawn, focus=True)
        self._draw_new(lambda: draw_routes(c.ax, legs, scale=c.scale, units_per_point=c.upp))
        for detail, clean in zip(self.details, self._clean, strict=True):
            canvas.restore_region(clean)  # the main map's lines stop at the panel
            inside = [(r, detail.parts[r.feature_id], f) for r, _, f in legs
                      if r.feature_id in detail.parts]
            self._draw_new(lambda d=detail, legs=inside: draw_routes(
                d.ax, legs, scale=c.scale, units_per_point=d.canvas.upp))
        # the lines alone, kept for a growing leg drawn over them and under the names
        self._lines = canvas.copy_from_bbox(self.fig.bbox)
        self._lines_in = [canvas.copy_from_bbox(d.region) for d in self.details]
        self._lay(self._overlay)  # place markers and names stay above the lines
        rings = [(f, False) for f in frame.context] + [(f, True) for f in frame.drawn]
        self._top = self._layer(lambda: (self._draw_new(lambda: self._draw_rings(rings)),
                                         self._draw_new(lambda: self._draw_badges(frame.callouts))))
        self._lay(self._top)
        if self._panel is not None and self._panel[0] == frame.callouts:
            canvas.restore_region(self._panel[1])  # the same list as at the last event
        else:
            self._draw_new(lambda: self._draw_list(frame.callouts))
            self._panel = (frame.callouts, canvas.copy_from_bbox(self.callout_ax.bbox))
        self._stage = canvas.copy_from_bbox(self.fig.bbox)
        self._panel_now = self._panel[1]
        self._stage_key = key

    def _draw_badges(self, numbers: tuple[int, ...]) -> None:
        """Draw the numbered badges of the callouts on screen beside their places, each in
        the first spot around its place that covers no name and no other badge."""
        s = self.layout.scale
        taken: dict[int, tuple[list[Box], list[Box]]] = {}
        for number in numbers:
            co = self.callouts[number]
            # a place a detail enlarges has its badge there (the main map is crowded there)
            where = [(n, d.canvas) for n, d in enumerate(self.details, 1)
                     if f"place:{co.place_id}" in d.inset.keys] or [(0, self.canvas)]
            n, c = where[0]
            if n not in taken:  # the names and the place markers there
                labels = self.labels.placed if n == 0 else self.details[n - 1].inset.labels
                taken[n] = ([p.box for p in labels], [])
            x, y = c.frame.forward(np.array([co.lon]), np.array([co.lat]))
            (px, py), = c.to_display(x, y)
            spot = self._badge_spot(c, (float(px), float(py)), *taken[n])
            taken[n][1].append(spot)
            bx, by = c.to_data((spot.x0 + spot.x1) / 2, (spot.y0 + spot.y1) / 2)
            draw_badge(c.ax, bx, by, number, radius=7.5 * s * c.upp,
                       fontsize=7.5 * s, zorder=Z["labels"] + 0.5, gid=f"callout:{number}")

    def _badge_spot(self, c: Canvas, at: tuple[float, float], names: list[Box],
                    badges: list[Box]) -> Box:
        """Return where a badge goes around its place ``at``: among the spots inside the map
        nearer its place than any other marker, the first that covers no name, badge or
        marker; else one covering a marker; else the one hiding least of the names (never
        another badge, never nearer another place); else at its upper right, in a row."""
        s = self.layout.scale
        ppt, bb = c.px_per_pt * s, c.ax.bbox
        r, mark = 7.5 * ppt, 4.5 * ppt
        points = np.array(self._symbols(c)).reshape(-1, 2)
        others = points[np.hypot(points[:, 0] - at[0], points[:, 1] - at[1]) > 1.0]
        markers = [Box(mx - mark, my - mark, mx + mark, my + mark) for mx, my in others]
        spots = []
        for dx, dy in _BADGE_SPOTS:
            cx, cy = at[0] + dx * ppt, at[1] + dy * ppt
            box = Box(cx - r, cy - r, cx + r, cy + r)
            own = math.hypot(cx - at[0], cy - at[1])
            if not (bb.x0 <= box.x0 and box.x1 <= bb.x1 and bb.y0 <= box.y0 and box.y1 <= bb.y1):
                continue
            if len(others) and (np.hypot(others[:, 0] - cx, others[:, 1] - cy) < own).any():
                continue  # read as a neighbour's badge
            spots.append(box)
        for blocked in ([*names, *badges, *markers], [*names, *badges]):
            free = next((b for b in spots if not any(b.overlaps(t) for t in blocked)), None)
            if free is not None:
                return free
        apart = [b for b in spots if not any(b.overlaps(t) for t in badges)]
        if apart:  # the one hiding least of the names
            return min(apart, key=lambda b: sum(_shared_area(b, t) for t in names))
        for k in range(len(badges) + 1):  # in a row to the right of the badges there
            cx, cy = at[0] + (8.0 + 16.0 * k) * ppt, at[1] + 8.0 * ppt
            box = Box(cx - r, cy - r, cx + r, cy + r)
            if not any(box.overlaps(t) for t in badges):
                break
        return box

    def _canvases(self) -> list[Canvas]:
        """Return the main map's canvas, then each detail's."""
        return [self.canvas, *(d.canvas for d in self.details)]

    def _short_legs(self) -> list[dict[str, tuple[float, float]]]:
        """Return, for the main map and each detail, the legs drawn there shorter than
        :data:`_SHORT_PT` (a hop across a border river, hidden under its places' marker), by
        feature id -> their middle in data units. The main map leaves out the legs a detail
        draws."""
        out: list[dict[str, tuple[float, float]]] = []
        every = [self.parts, *(d.parts for d in self.details)]
        for c, parts in zip(self._canvases(), every, strict=True):
            short = {}
            for fid, drawn in parts.items():
                if not drawn:
                    continue
                xy = np.vstack(drawn)
                d = c.to_display(xy[:, 0], xy[:, 1])
                if float(np.ptp(d, axis=0).max()) < _SHORT_PT * c.px_per_pt * c.scale:
                    short[fid] = (float(xy[:, 0].mean()), float(xy[:, 1].mean()))
            out.append(short)
        shown = {fid for d in self.details for fid in d.parts}
        out[0] = {fid: at for fid, at in out[0].items() if fid not in shown}
        return out

    def _draw_rings(self, legs: list[tuple[str, bool]]) -> None:
        """Ring the place of each short leg among ``legs`` (feature id, in colour), in its
        mode's colour, or muted when its period is over."""
        s = self.layout.scale
        for c, short in zip(self._canvases(), self._short, strict=True):
            for fid, focus in legs:
                if fid not in short:
                    continue
                route = self.routes[fid]
                colour = MODE_STYLES[route.mode].color if focus else MUTED_ROUTE
                c.ax.add_patch(Circle(short[fid], 11.0 * s * c.upp, facecolor="none",
                                      edgecolor=colour, alpha=1.0 if focus else CONTEXT_ALPHA,
                                      linewidth=(2.0 if focus else 1.2) * s,
                                      zorder=Z["labels"] + 0.2, gid=f"short-leg:{fid}"))

    def _symbols(self, c: Canvas) -> list[tuple[float, float]]:
        """Return the display points of the place markers inside a map or detail canvas."""
        places = self.content.spec.places
        x, y = c.frame.forward(np.array([p.lon for p in places]), np.array([p.lat for p in places]))
        bb = c.ax.bbox
        return [(float(px), float(py)) for px, py in c.to_display(x, y)
                if bb.x0 <= px <= bb.x1 and bb.y0 <= py <= bb.y1]

    def _draw_list(self, numbers: tuple[int, ...]) -> None:
        """Key the callouts on screen in the side panel, each with its short text and date."""
        c, s = self.canvas, self.layout.scale
        items = []
        for number in numbers:
            co = self.callouts[number]
            text = c.printable(co.text)
            items.append((number, f"{text} ({co.period})" if co.period else text, "annotation"))
        w_pt, h_pt = self.callout_size
        draw_callout_list(self.callout_ax, self.lang.gettext("On the timeline"), items,
                          top=self.callout_top, bottom=h_pt - 4.0 * s, width=w_pt, scale=s,
                          language=self.lang)

    # -- every frame ------------------------------------------------------------------------
    def render(self, frame: Frame) -> np.ndarray:
        """Return a map frame as an (height, width, 4) uint8 RGBA array (a view of the
        figure's buffer, valid until the next frame is drawn).

        Parameters
        ----------
        frame : Frame
            A frame of the ``map`` phase.

        Returns
        -------
        numpy.ndarray
        """
        self._set_stage(frame)
        canvas, c = self.fig.canvas, self.canvas
        grow = self._grown(frame, self.parts)
        inside = [self._grown(frame, d.parts) for d in self.details]
        if grow or any(inside):
            # static lines, the growing legs, then the names and badges over them
            canvas.restore_region(self._lines)
            if grow:
                self._draw_new(lambda: draw_routes(c.ax, grow, scale=c.scale,
                                                   units_per_point=c.upp, arrows=False))
            for detail, lines, legs in zip(self.details, self._lines_in, inside, strict=True):
                canvas.restore_region(lines)  # the main map's lines stop at the panel
                if legs:
                    self._draw_new(lambda d=detail, legs=legs: draw_routes(
                        d.ax, legs, scale=c.scale, units_per_point=d.canvas.upp, arrows=False))
            self._lay(self._overlay)
            self._lay(self._top)
            canvas.restore_region(self._panel_now)
        else:
            canvas.restore_region(self._stage)
        growing = [(fid, True) for fid, share in frame.growing if share > 0.0]
        if growing and any(fid in short for short in self._short for fid, _ in growing):
            self._draw_new(lambda: self._draw_rings(growing))
        self._draw_date(frame)
        return np.asarray(self.fig.canvas.buffer_rgba())

    def _grown(self, frame: Frame, parts: dict[str, list[np.ndarray]]) -> list:
        """Return the growing legs' drawn share, as draw_routes takes them, of those in
        ``parts`` (the main map's or a detail's projected parts)."""
        grow = []
        for fid, share in frame.growing:
            if fid not in parts:
                continue
            track, joins = grown_parts(self.routes[fid], parts[fid], share)
            if track or joins:
                # draw_routes tells a leg's connectors by their count, last in its parts
                grow.append((replace(self.routes[fid], connectors=tuple(joins)),
                             track + joins, True))
        return grow

    def _draw_date(self, frame: Frame) -> None:
        """Draw the date counter (kept from the frame before when the day is the same)."""
        if frame.day is None:
            return
        canvas = self.fig.canvas
        key = (frame.counter, self._stage_key)  # the plate is opaque: a growing leg is under it
        if self._date is not None and self._date[0] == key:
            canvas.restore_region(self._date[1])
            return
        c, s = self.canvas, self.layout.scale
        fx, fy, ha, va = self._date_xy
        words = self.lang.date(frame.day) if frame.stopped else self.lang.month(frame.day)
        text = c.ax.text(fx, fy, words, transform=c.ax.transAxes,
                         fontsize=17.0 * s, fontweight="bold", color=BASEMAP_STYLE.text,
                         ha=ha, va=va, zorder=Z["furniture"], gid="date-counter",
                         bbox={"boxstyle": f"round,pad={0.35}", "facecolor": "white",
                               "edgecolor": "#B9BCBF", "linewidth": 0.6 * s})
        c.ax.draw_artist(text)
        box = text.get_bbox_patch().get_window_extent().padded(1.0)
        text.remove()
        self._date = (key, canvas.copy_from_bbox(box))

