"""Detail insets on a slide: which crowded parts of the map get an enlarged view, where, and drawing it."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace

import numpy as np
from babel.lists import format_list
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from routemap.geo.countries import country_codes_at, load_countries
from routemap.maps.dates import is_english
from routemap.maps.language import Language
from routemap.maps.projection import MapFrame, fit_frame
from routemap.maps.slides.canvas import Canvas, draw_map, fit_axes, fit_words, in_view, measure
from routemap.maps.slides.furniture import ScaleBar, draw_scale_bar, scale_bar_for
from routemap.maps.slides.insets import bounding_box, connector_corners, crowded_cluster, free_spot
from routemap.maps.slides.labelling import (
    country_label,
    draw_labels,
    label_requests,
    place_on_canvas,
    symbol_points,
)
from routemap.maps.slides.labels import Box, Placement
from routemap.maps.slides.layers import Z, project_parts
from routemap.maps.slides.spec import SlideSpec
from routemap.maps.style import BASEMAP_STYLE

__all__ = ["DetailInset", "draw_detail", "draw_detail_outline", "plan_details"]

log = logging.getLogger(__name__)

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


def _map_items(canvas: Canvas, spec: SlideSpec, marks: list) -> list[_Item]:
    """Return the places and badges inside the map's view, in a stable order."""
    out = []
    for mark, x, y in marks:
        if in_view(canvas, x, y):
            (px, py), = canvas.to_display(np.array([x]), np.array([y]))
            out.append(_Item(f"place:{mark.place_id}", float(px), float(py), mark.lon, mark.lat))
    for c in spec.callouts:
        x, y = canvas.frame.forward(np.array([c.lon]), np.array([c.lat]))
        if in_view(canvas, float(x[0]), float(y[0])):
            (px, py), = canvas.to_display(x, y)
            out.append(_Item(f"{c.kind}:{c.number}", float(px), float(py), c.lon, c.lat))
    return out


def _troubled_keys(canvas: Canvas, spec: SlideSpec, layers: list,
                   blocked: list[Box]) -> set[str]:
    """Return keys whose labels find no room or land far away on a trial placement, and
    the ends of focus legs too short to see on a map that also holds long ones."""
    _, routes, marks, _ = layers
    requests, obstacles, _ = label_requests(canvas, spec, marks)
    placed, dropped = place_on_canvas(canvas, requests, [*obstacles, *blocked], routes,
                                      symbol_points(canvas, marks))
    far = 24.0 * canvas.px_per_pt * canvas.scale
    bad = set(dropped)
    for p in placed:
        bx, by = p.box.nearest_point(*p.anchor)
        if p.leader and math.hypot(bx - p.anchor[0], by - p.anchor[1]) > far:
            bad.add(p.key)
    return bad | _short_leg_keys(canvas, routes, marks)


def _short_leg_keys(canvas: Canvas, routes: list, marks: list) -> set[str]:
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


def plan_details(canvas: Canvas, spec: SlideSpec, layers: list, points: np.ndarray,
                  blocked: list[Box]) -> list[DetailInset]:
    """Find crowded clusters and room for an enlarged view of each (at most two).

    Parameters
    ----------
    canvas : Canvas
        The main map.
    spec : SlideSpec
        What the map shows.
    layers : list
        The layers :func:`routemap.maps.slides.canvas.draw_map` drew.
    points : numpy.ndarray
        (n, 2) display points a panel must not hide (focus routes, place markers).
    blocked : list of Box
        Boxes a panel must keep off (the furniture, the locator inset).

    Returns
    -------
    list of DetailInset
        Planned, not drawn: without scale bar or labels yet.
    """
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


def _fit_detail(canvas: Canvas, members: list[_Item], items: list[_Item], data: np.ndarray,
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
    title = _detail_title(members, canvas.language)
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


def _tab_style(canvas: Canvas, heading: str, width: float) -> dict:
    """Return the heading's font: 7.5 points, smaller down to 6 if the panel is narrow."""
    pad = 7.0 * canvas.scale * canvas.px_per_pt
    for size in (7.5, 7.0, 6.5, 6.0):
        style = {"fontsize": size * canvas.scale, "fontweight": "bold"}
        if measure(canvas, heading.upper(), **style)[0] + pad <= width:
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
    return frozenset(i.key for i, ok in zip(items, inside, strict=True) if ok)


_OUTLINE_SIDE = 24  # points per side of a detail's outline, less one


def _outline_on_map(canvas: Canvas, frame: MapFrame) -> np.ndarray:
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


def _detail_title(members: list[_Item], language: Language) -> str:
    """Return 'Russia and North Korea', the countries of the places shown, most first."""
    lon = np.array([m.lon for m in members])
    lat = np.array([m.lat for m in members])
    countries = load_countries()
    names = dict(zip(countries["iso2"], countries["name"], strict=True))
    codes = [c for c in country_codes_at(countries, lon, lat) if c]
    ranked = sorted(dict.fromkeys(codes), key=lambda c: (-codes.count(c), c))[:3]
    words = [country_label(c, names.get(c, c), language) for c in ranked]
    if not words:
        return language.gettext("Detail")
    if not is_english(language):
        return format_list(words, locale=language.locale)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def draw_detail_outline(canvas: Canvas, detail: DetailInset) -> None:
    """Draw, on the main map, the outline the detail enlarges and lines to the detail panel.

    Parameters
    ----------
    canvas : Canvas
        The main map.
    detail : DetailInset
        A detail from :func:`plan_details`.
    """
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


def _detail_canvas(canvas: Canvas, detail: DetailInset, number: int) -> Canvas:
    """Add the detail's axes over the map, in the detail frame's projected metres."""
    fig, p, frame = canvas.fig, detail.panel, detail.frame
    fw, fh = fig.bbox.width, fig.bbox.height
    ax = fig.add_axes((p.x0 / fw, p.y0 / fh, p.width / fw, p.height / fh),
                      label=f"detail:{number}")
    fit_axes(ax, frame, edgecolor=_DETAIL_EDGE, linewidth=1.1 * canvas.scale)
    upp = frame.width / (p.width / fig.dpi * 72.0)
    # smaller names; as on the map, the ends of legs are named first, then the badges (a
    # badge lost here would leave its transfer unkeyed), then the other places
    return Canvas(fig, ax, frame, canvas.scale, upp, canvas.texts, label_size=8.5,
                  language=canvas.language)


def _draw_detail_band(canvas: Canvas, dc: Canvas, detail: DetailInset) -> ScaleBar:
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
    draw_scale_bar(dc.ax, bar, x=bx, y=by, upp=dc.upp, scale=s, note="", language=canvas.language)
    canvas.ax.text(*canvas.to_data(band.x1 - pad, band.y0 + pad * 0.7),
                   canvas.language.gettext("True at detail centre"),
                   fontsize=6.0 * s, color=BASEMAP_STYLE.muted_text, ha="right", va="bottom",
                   zorder=Z["furniture"], gid="scalebar-note")
    for artist in dc.ax.patches:
        if artist.get_gid() == "scalebar":
            artist.set_clip_on(False)  # the band lies just above the detail's axes
    room = right - bar_px - band.x0 - 3 * pad - 8.0 * s * ppp  # the "0" sticks out left
    style = _tab_style(canvas, detail.title, room)
    title = fit_words(canvas, detail.title.upper(), room, style["fontsize"], bold=True)
    canvas.ax.text(*canvas.to_data(band.x0 + pad, band.y1 - pad * 0.8), title,
                   color=BASEMAP_STYLE.text, ha="left", va="top", zorder=Z["furniture"],
                   gid="detail-title", **style)
    note = canvas.language.gettext("Detail enlarged {zoom}\u00d7").format(
        zoom=canvas.language.number(detail.zoom, decimals=1))
    canvas.ax.text(*canvas.to_data(band.x0 + pad, band.y0 + pad * 0.7),
                   fit_words(canvas, note, room, 6.0 * s), fontsize=6.0 * s,
                   color=BASEMAP_STYLE.muted_text, ha="left", va="bottom",
                   zorder=Z["furniture"], gid="detail-note")
    return bar


def draw_detail(canvas: Canvas, spec: SlideSpec, detail: DetailInset, number: int,
                 focus_iso: frozenset[str], *, routes: bool = True,
                 max_leader_pt: float | None = None) -> DetailInset:
    """Draw a detail panel with the map's own layers, title, scale bar and labels.

    Parameters
    ----------
    canvas : Canvas
        The main map.
    spec : SlideSpec
        What the main map shows; the detail shows its places and callouts in ``detail.keys``.
    detail : DetailInset
        A detail from :func:`plan_details`.
    number : int
        The detail's number on the slide, from 1 (its axes are labelled ``detail:<number>``).
    focus_iso : frozenset of str
        ISO codes of the countries drawn as the focus.
    routes : bool
        Draw the routes too (False: the caller draws them, as the films do frame by frame;
        the labels still keep off them).
    max_leader_pt : float, optional
        The longest leader of a label (see :func:`.labelling.draw_labels`).

    Returns
    -------
    DetailInset
        The detail with its scale bar, its labels and those that found no room.
    """
    dc = _detail_canvas(canvas, detail, number)
    keys = detail.keys
    dspec = replace(spec, places=tuple(p for p in spec.places if f"place:{p.place_id}" in keys),
                    callouts=tuple(c for c in spec.callouts if f"{c.kind}:{c.number}" in keys))
    layers = draw_map(dc, dspec if routes else replace(dspec, routes=()), focus_iso)
    if not routes:
        layers[1] = [(r, project_parts(r, dc.frame), dspec.is_focus(r)) for r in dspec.routes]
    bar = _draw_detail_band(canvas, dc, detail)
    placed, dropped = draw_labels(dc, replace(dspec, name=f"{spec.name} detail"), layers,
                                   [], country_size=9.5, max_leader_pt=max_leader_pt)
    return replace(detail, scale_bar=bar, labels=tuple(placed), dropped=tuple(dropped))
