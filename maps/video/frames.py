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

from routemap.maps import wording
from routemap.maps.basemap import load_basemap, load_rail_context
from routemap.maps.language import load_language
from routemap.maps.slides.canvas import MAP_RECT, PANEL_RECT, Canvas, setup_canvas, two_lines
from routemap.maps.slides.compose import draw_header
from routemap.maps.slides.furniture import (
    LegendContent,
    draw_badge,
    draw_callout_list,
    draw_legend,
    wrap_to_width,
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
from routemap.maps.style import BASEMAP_STYLE, CONFIDENCE_STYLES, MODE_STYLES
from routemap.maps.video.cards import CardLayout, draw_sources_line, points_axes
from routemap.maps.video.content import VideoContent
from routemap.maps.video.details import draw_labels_and_details
from routemap.maps.video.growth import grown_parts
from routemap.maps.video.marks import (
    BADGE_RADIUS_PT,
    BADGE_SPOTS,
    KEY_SPOTS,
    MEET_PT,
    badge_spot,
    draw_key_list,
    draw_key_tag,
    key_letter,
    symbol_points,
)
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
    title_lines : int
        The lines a title too long for one may take (the square film's narrow header: 2).
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
    title_lines: int = 1
    full_legend: bool = True
    details: bool = True

    @property
    def card(self) -> CardLayout:
        """Return what the title and closing cards need of the layout."""
        return CardLayout(self.size, self.scale, self.map_rect, self.title_lines)

    def scaled(self, size: tuple[int, int]) -> Layout:
        """Return the layout at another size (the same proportions; tests draw small)."""
        return replace(self, size=size, scale=self.scale * size[0] / self.size[0])


LAYOUTS: dict[str, Layout] = {
    "wide": Layout("wide", (1920, 1080), 1.0, MAP_RECT, PANEL_RECT, PANEL_RECT),
    "square": Layout("square", (1080, 1080), 0.82, (0.018, 0.425, 0.964, 0.425),
                     (0.018, 0.128, 0.40, 0.285), (0.45, 0.128, 0.532, 0.285),
                     title_lines=2, full_legend=False),
}
_DPI = 150.0
#: The least space between a film's header and its map, a figure fraction (as the wide film has).
_HEADER_GAP = 0.008
#: A leg whose drawing spans less than this, points at scale 1, is hidden under its places'
#: marker: it is shown by a ring around them in its mode's colour.
_SHORT_PT = 8.0


def _map_rect(content: VideoContent, layout: Layout) -> tuple[float, float, float, float]:
    """Return the film's map rectangle: the layout's, its top lowered under a header that
    needs more room (the square film's title and subtitle, each on two lines when one is too
    short for it), so no header line is cut; the map's bottom and the panels stay put."""
    x, y, w, h = layout.map_rect
    if layout.title_lines == 1:
        return layout.map_rect
    probe = setup_canvas(content.spec, layout.size, _DPI, content.texts, rect=layout.map_rect,
                         scale=layout.scale)
    top = draw_header(probe, replace(content.spec, as_of=""), title_lines=layout.title_lines) - _HEADER_GAP
    return layout.map_rect if top >= y + h else (x, y, w, top - y)


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
        self.canvas = setup_canvas(spec, layout.size, _DPI, content.texts, rect=_map_rect(content, layout),
                                   scale=layout.scale)
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
        self._panel: tuple[tuple, object] | None = None  # the side panel's list and pixels
        # set at each event (_set_stage): the lines alone (the whole figure, each detail),
        # the badges and keys laid over the names, and the side panel as drawn
        self._lines: object = self._background
        self._lines_in: list[object] = list(self._clean)
        self._top: tuple[np.ndarray, np.ndarray, np.ndarray] = (
            np.zeros(0, dtype=np.intp), np.zeros((0, 3), dtype=np.float32),
            np.zeros((0, 1), dtype=np.float32))
        self._panel_now: object = None

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
        #: the places a name on the map or in a detail gives
        self.named = frozenset(k for p in (*self.labels.placed,
                                           *(q for d in self.details for q in d.inset.labels))
                               for k in (p.named or (p.key,)))
        #: the keys drawn at the last event: (places, letter, 0 or detail number, box)
        self.key_tags: list[tuple[tuple[str, ...], str, int, Box]] = []
        self._short = self._short_legs()
        lost = [k for k in spec.endpoints if f"place:{k}" not in self.named]
        if lost:
            log.info("%s film: leg ends with no room for their names (under the leader rule), "
                     "lettered while their legs are shown: %s", self.layout.name, ", ".join(lost))
        draw_header(c, replace(spec, as_of=""), title_lines=self.layout.title_lines)
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
        # clip_on=False: a long legend (French) puts this last row at the panel's edge
        pax.add_line(Line2D([0, 26 * s], [y, y], color=MUTED_ROUTE, alpha=CONTEXT_ALPHA,
                            linewidth=max(CONTEXT_WIDTH_PT, 1.1) * s, solid_capstyle="round",
                            clip_on=False))
        pax.text(32 * s, y, lang.gettext("Period over"), fontsize=9.0 * s,
                 color=BASEMAP_STYLE.text, ha="left", va="center", gid="legend-period-over")
        if any(self._short):
            # a row of its own on the wide film; beside 'Period over' in the square one's
            # second column, on two lines (its legend has no room below)
            words = lang.gettext("Leg too short to see at this scale")
            x = 0.0 if full else w_pt / 2.0
            if full:  # wrapped to the panel's width (French runs past a line)
                y += 18.0 * s
                words = wrap_to_width(words, w_pt - 32 * s, 9.0 * s)
                y += 5.0 * s * words.count("\n")
            else:
                words = two_lines(words)
            pax.add_patch(Circle((x + 13 * s, y), 5.5 * s, facecolor="none",
                                 edgecolor=BASEMAP_STYLE.text, linewidth=1.4 * s, clip_on=False))
            pax.text(x + 32 * s, y, words, fontsize=9.0 * s, color=BASEMAP_STYLE.text,
                     ha="left", va="center", linespacing=1.0, gid="legend-short-leg")
            y += 5.0 * s * words.count("\n") if full else 0.0
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
        keyed = self.keyed(frame)
        key = (frame.drawn, frame.context, frame.callouts, keyed)
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
                                         self._draw_new(lambda: self._draw_badges(frame.callouts,
                                                                                  keyed))))
        self._lay(self._top)
        if self._panel is not None and self._panel[0] == (frame.callouts, keyed):
            canvas.restore_region(self._panel[1])  # the same list as at the last event
        else:
            self._draw_new(lambda: self._draw_list(frame.callouts, keyed))
            self._panel = ((frame.callouts, keyed), canvas.copy_from_bbox(self.callout_ax.bbox))
        self._stage = canvas.copy_from_bbox(self.fig.bbox)
        self._panel_now = self._panel[1]
        self._stage_key = key

    def keyed(self, frame: Frame) -> tuple[tuple[str, ...], ...]:
        """Return the places a frame keys with a letter: the ends of the legs it shows in
        colour (drawn or growing) that no name on the map or in a detail gives, in the
        order of the places; places whose markers meet share a letter."""
        shown = {*frame.drawn, *(fid for fid, _ in frame.growing)}
        ends = {p for fid in shown for p in self.content.ends.get(fid, ())}
        wanted = [p.place_id for p in self.content.spec.places
                  if p.place_id in ends and f"place:{p.place_id}" not in self.named]
        groups: list[list[str]] = []
        for pid in wanted:
            home = next((g for g in groups if self._meet(g[0], pid)), None)
            if home is None:
                groups.append([pid])
            else:
                home.append(pid)
        return tuple(tuple(g) for g in groups)

    def _meet(self, a: str, b: str) -> bool:
        """Return True if two places' markers overlap where they are drawn (the main map,
        or a detail enlarging both)."""
        (n, c), = self._where(a)[:1]
        if self._where(b)[0][0] != n:
            return False
        places = {p.place_id: p for p in self.content.spec.places}
        x, y = c.frame.forward(np.array([places[a].lon, places[b].lon]),
                               np.array([places[a].lat, places[b].lat]))
        (ax_, ay), (bx, by) = c.to_display(x, y)
        return math.hypot(ax_ - bx, ay - by) < MEET_PT * c.px_per_pt * self.layout.scale

    def _where(self, place_id: str) -> list[tuple[int, Canvas]]:
        """Return where a place's badge goes: the first detail enlarging it (the main map
        is crowded there), else the main map (0)."""
        return [(n, d.canvas) for n, d in enumerate(self.details, 1)
                if f"place:{place_id}" in d.inset.keys] or [(0, self.canvas)]

    def _draw_badges(self, numbers: tuple[int, ...], keyed: tuple[tuple[str, ...], ...]) -> None:
        """Draw the numbered badges of the callouts on screen beside their places, then the
        lettered keys of the places ``keyed``, each in the first spot around its place
        that covers no name and no other badge (:func:`badge_spot`)."""
        s = self.layout.scale
        taken: dict[int, tuple[list[Box], list[Box]]] = {}
        places = {p.place_id: p for p in self.content.spec.places}
        # the keys first: a name with no room is wanted more than a badge in its best spot
        marks = [(group, places[group[0]].lon, places[group[0]].lat, key_letter(i))
                 for i, group in enumerate(keyed)]
        marks += [((self.callouts[n].place_id,), self.callouts[n].lon, self.callouts[n].lat, str(n))
                  for n in numbers]
        self.key_tags = []
        for group, lon, lat, mark in marks:
            n, c = self._where(group[0])[0]
            if n not in taken:  # the names and the place markers there
                labels = self.labels.placed if n == 0 else self.details[n - 1].inset.labels
                taken[n] = ([p.box for p in labels], [])
            x, y = c.frame.forward(np.array([lon]), np.array([lat]))
            (px, py), = c.to_display(x, y)
            symbols = self._symbols(c)
            keyed_mark = not mark.isdigit()
            if keyed_mark:  # the group's markers, and those they meet, are one dot: its own
                own = np.vstack([[px, py], symbol_points(c, [places[p] for p in group[1:]])])
                gap = np.hypot(symbols[:, None, 0] - own[None, :, 0],
                               symbols[:, None, 1] - own[None, :, 1]).min(axis=1)
                symbols = symbols[gap >= MEET_PT * c.px_per_pt * s]
            spot = badge_spot(c, (float(px), float(py)), *taken[n], symbols, s,
                              KEY_SPOTS if keyed_mark else BADGE_SPOTS)
            taken[n][1].append(spot)
            bx, by = c.to_data((spot.x0 + spot.x1) / 2, (spot.y0 + spot.y1) / 2)
            if not keyed_mark:
                draw_badge(c.ax, bx, by, int(mark), radius=BADGE_RADIUS_PT * s * c.upp,
                           fontsize=7.5 * s, zorder=Z["labels"] + 0.5, gid=f"callout:{mark}")
                continue
            cx, cy = (spot.x0 + spot.x1) / 2, (spot.y0 + spot.y1) / 2
            if math.hypot(cx - px, cy - py) > 14.0 * c.px_per_pt * s:  # a leader to its place
                lx, ly = c.to_data(px + 0.35 * (cx - px), py + 0.35 * (cy - py))
                c.ax.add_line(Line2D([lx, bx], [ly, by], color=BASEMAP_STYLE.text,
                                     linewidth=0.8 * s, zorder=Z["labels"] + 0.4,
                                     gid=f"place-key-leader:{group[0]}"))
            draw_key_tag(c.ax, bx, by, mark, fontsize=7.5 * s, zorder=Z["labels"] + 0.5,
                         gid=f"place-key:{group[0]}")
            self.key_tags.append((group, mark, n, spot))

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

    def _symbols(self, c: Canvas) -> np.ndarray:
        """Return the display points (n, 2) of the place markers inside a map or detail."""
        return symbol_points(c, self.content.spec.places)

    def _draw_list(self, numbers: tuple[int, ...], keyed: tuple[tuple[str, ...], ...]) -> None:
        """Key, in the side panel, the places lettered on the map by their names, then the
        callouts on screen, each with its short text and date."""
        c, s = self.canvas, self.layout.scale
        names = {p.place_id: p.name for p in self.content.spec.places}
        w_pt, h_pt = self.callout_size
        top = draw_key_list(self.callout_ax, self.lang.gettext("Places lettered on the map"),
                            [(key_letter(i), " / ".join(c.printable(names[p]) for p in group))
                             for i, group in enumerate(keyed)],
                            top=self.callout_top, width=w_pt, scale=s)
        items = []
        for number in numbers:
            co = self.callouts[number]
            text = c.printable(co.text)
            items.append((number, wording.dated_text(text, co.period), "annotation"))
        draw_callout_list(self.callout_ax, self.lang.gettext("On the timeline"), items,
                          top=top, bottom=h_pt - 4.0 * s, width=w_pt, scale=s,
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

