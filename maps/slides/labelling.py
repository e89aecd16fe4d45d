"""A slide's labels: what it asks the placement algorithm (places, stacks, badges, countries), and drawing them."""

from __future__ import annotations

import logging
import math

import numpy as np
from matplotlib.lines import Line2D

from routemap.maps.basemap import Basemap, country_label_points
from routemap.maps.dates import is_english
from routemap.maps.language import Language
from routemap.maps.slides.canvas import Canvas, in_view, measure, route_samples, wrap
from routemap.maps.slides.corridor_badges import corridor_placements, taken_boxes
from routemap.maps.slides.furniture import draw_badge, draw_haloed_text
from routemap.maps.slides.labels import Box, LabelRequest, Placement, place_labels
from routemap.maps.slides.layers import Z, marker_radius_points
from routemap.maps.slides.spec import SlideSpec, key_name, short_name
from routemap.maps.style import BASEMAP_STYLE

__all__ = ["COUNTRY_SHORT", "draw_labels", "label_requests", "place_on_canvas", "symbol_points"]

log = logging.getLogger(__name__)

# Country names as a map label says them.
COUNTRY_SHORT = {"CN": "China", "KP": "North Korea", "KR": "South Korea", "US": "United States",
                 "GB": "United Kingdom", "CZ": "Czechia", "CD": "DR Congo"}


def country_label(iso2: str, name: str, language: Language) -> str:
    """Return a country's name as a map label says it, in ``language``.

    English keeps the short forms of :data:`COUNTRY_SHORT` and Natural Earth's names; other
    languages take CLDR's name for the ISO code ('Corée du Nord', '북한'), falling back to
    Natural Earth's English name when the code is missing or unknown to CLDR.

    Parameters
    ----------
    iso2 : str
        The ISO 3166-1 alpha-2 code ('' or '-99' when Natural Earth gives none).
    name : str
        Natural Earth's name of the country.
    language : Language
        The map's language.

    Returns
    -------
    str
    """
    if is_english(language):
        return COUNTRY_SHORT.get(iso2, name)
    return (language.country(iso2) if len(iso2) == 2 and iso2.isalpha() else None) or name


def _label_style(canvas: Canvas, kind: str) -> dict:
    s = canvas.scale
    if kind == "country":
        return {"fontsize": 10.5 * s, "color": BASEMAP_STYLE.country_label,
                "fontweight": "normal", "linespacing": 1.0}
    return {"fontsize": canvas.label_size * s, "color": BASEMAP_STYLE.text,
            "fontweight": "normal"}


def label_requests(canvas: Canvas, spec: SlideSpec, marks: list,
                   skip: frozenset[str] = frozenset()) -> tuple[list, list, dict]:
    """Return a map's label requests, its marker obstacles and each label's text and style.

    Parameters
    ----------
    canvas : Canvas
        The main map or a detail panel.
    spec : SlideSpec
        Its callouts get a badge each.
    marks : list
        (place mark, x, y) of the places drawn, as :func:`routemap.maps.slides.canvas.draw_map`
        returns them.
    skip : frozenset of str
        Keys (``place:<id>``, ``transfer:<n>``...) that get no label.

    Returns
    -------
    tuple
        The :class:`LabelRequest` list, the marker boxes no label may cover, and key ->
        (text, style) where style is a text style dict or a badge's kind.
    """
    ppp = canvas.px_per_pt
    requests, obstacles, styles = [], [], {}
    for group in _stacks(canvas, marks):
        # markers on one another make one obstacle, and the label keeps clear of all of them
        marker = _stack_box(group)
        obstacles.append(marker)
        named = [g for g in group if f"place:{g[3].place_id}" not in skip]
        if not named:
            continue
        # the ends of what the slide features come first in a stack, so every shorter form
        # still names one; the others keep their order
        named.sort(key=lambda g: g[3].place_id not in spec.endpoints)
        px, py, r, first = named[0]
        clearance = r if len(group) == 1 else max(
            math.hypot(cx - px, cy - py) for cx in (marker.x0, marker.x1)
            for cy in (marker.y0, marker.y1))
        text = "\n".join(canvas.printable(g[3].name) for g in named)
        style = {**_label_style(canvas, "place"), "linespacing": 1.05}
        w, h = measure(canvas, text, **style)
        # shorter forms, tried in turn where the full name finds no room: a stack's ends by
        # their first words ('Khasan / Tumangang'), its first name, on two lines, without its
        # bracketed detail, then that name's first word alone
        keys = [f"place:{g[3].place_id}" for g in named]
        ends = [k for k, g in zip(keys, named, strict=True) if g[3].place_id in spec.endpoints]
        first_name = _first_name(text)
        forms_named = {text: tuple(keys)}
        if len(ends) > 1:
            joined = " / ".join(key_name(canvas.printable(g[3].name), canvas.language)
                                for g in named[:len(ends)])
            forms_named.setdefault(joined, tuple(ends))
        for form in (first_name, _two_lines(first_name), short_name(first_name),
                     _two_lines(short_name(first_name)), key_name(first_name, canvas.language)):
            forms_named.setdefault(form, (keys[0],))
        forms = tuple(forms_named)
        key = f"place:{first.place_id}"
        # a stack is the hardest label to fit: it goes first
        members = tuple(f"place:{g[3].place_id}" for g in group if g[3] is not first)
        names = tuple(forms_named.values())
        # the ends of what the slide features are always named: they go before the others
        end = any(g[3].place_id in spec.endpoints for g in named)
        requests.append(LabelRequest(
            key, px, py, w, h, clearance=clearance,
            priority=max(g[3].priority for g in named) + 10.0 * (len(named) > 1) + 30.0 * end, members=members,
            alternatives=tuple(measure(canvas, f, **style) for f in forms[1:]), names=names))
        styles[key] = (text, style, forms)
    radius = {m.place_id: marker_radius_points(m.kind, canvas.scale) * ppp for m, _, _ in marks}
    for c in spec.callouts:
        x, y = canvas.frame.forward(np.array([c.lon]), np.array([c.lat]))
        if not in_view(canvas, float(x[0]), float(y[0])):
            continue
        (px, py), = canvas.to_display(x, y)
        d = 15.0 * canvas.scale * ppp
        key = f"{c.kind}:{c.number}"
        if key in skip:
            continue
        requests.append(LabelRequest(key, px, py, d, d, clearance=radius.get(c.place_id, 2.0),
                                     priority=canvas.badge_priority - c.number / 100.0,
                                     reach=2.5,
                                     members=(f"place:{c.place_id}",) if c.place_id else ()))
        styles[key] = (str(c.number), c.kind)
    return requests, obstacles, styles


def _stack_box(group: list[tuple[float, float, float, object]]) -> Box:
    """Return the box around a group of markers (centre x, y and radius each)."""
    return Box(min(x - r for x, _, r, _ in group), min(y - r for _, y, r, _ in group),
               max(x + r for x, _, r, _ in group), max(y + r for _, y, r, _ in group))


def _stacks(canvas: Canvas, marks: list) -> list[list[tuple[float, float, float, object]]]:
    """Group the markers in view that sit on one another (within 3 points), most important
    first; each group gets one label naming them all, one name a line."""
    near = 3.0 * canvas.scale * canvas.px_per_pt
    groups: list[list[tuple[float, float, float, object]]] = []
    ordered = sorted(marks, key=lambda m: (-m[0].priority, m[0].place_id))
    for mark, x, y in ordered:
        if not in_view(canvas, x, y):
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


def _country_requests(canvas: Canvas, basemap: Basemap, styles: dict,
                      largest: float = 15.0) -> list[LabelRequest]:
    out = []
    shorts = {c.name: country_label(c.iso2, c.name, canvas.language) for c in basemap.countries}
    for name, x, y, share in country_label_points(basemap, canvas.frame):
        text = wrap(shorts.get(name, name).upper(), 14)
        style = dict(_label_style(canvas, "country"))
        style["fontsize"] = canvas.scale * min(8.5 + 14.0 * math.sqrt(share), largest)
        (px, py), = canvas.to_display(np.array([x]), np.array([y]))
        w, h = measure(canvas, text, **style)
        key = f"country:{name}"
        out.append(LabelRequest(key, px, py, w, h, priority=-100.0 + share, centred=True))
        styles[key] = (text, style)
    return out


def symbol_points(canvas: Canvas, marks: list) -> dict[str, tuple[float, float]]:
    """Return the display point of each place marker in view, by label key (``place:<id>``)."""
    out = {}
    for mark, x, y in marks:
        if in_view(canvas, x, y):
            (px, py), = canvas.to_display(np.array([x]), np.array([y]))
            out[f"place:{mark.place_id}"] = (float(px), float(py))
    return out


def place_on_canvas(canvas: Canvas, requests: list[LabelRequest], obstacles: list[Box],
                    routes: list, symbols: dict[str, tuple[float, float]] | None = None,
                    *, max_leader_pt: float | None = None) -> tuple[list[Placement], list[str]]:
    """Place labels inside the canvas's axes, clear of obstacles, shunning focus routes.

    Parameters
    ----------
    canvas : Canvas
        The main map or a detail panel.
    requests : list of LabelRequest
        What to place.
    obstacles : list of Box
        Boxes no label may touch.
    routes : list
        (route, projected parts, is focus) for each route; labels shun the focus ones.
    symbols : dict, optional
        The place markers' display points (:func:`symbol_points`): a label with no leader
        stays nearer its own than any other.
    max_leader_pt : float, optional
        The longest leader, points at the canvas's scale 1 (:func:`place_labels`'
        ``max_leader``): a label with a leader also stays nearer its own symbol.

    Returns
    -------
    tuple
        As :func:`place_labels`: the placements, and the keys that found no room.
    """
    bb = canvas.ax.bbox
    pt = canvas.px_per_pt * canvas.scale
    return place_labels(
        requests, obstacles=obstacles, bounds=Box(bb.x0 + 4, bb.y0 + 4, bb.x1 - 4, bb.y1 - 4),
        avoid=route_samples(canvas, [r for r in routes if r[2]]),
        gap=2.5 * pt, step=11.0 * pt, max_distance=70.0 * pt, symbols=symbols,
        max_leader=None if max_leader_pt is None else max_leader_pt * pt)


def draw_labels(canvas: Canvas, spec: SlideSpec, layers: list, blocked: list[Box],
                skip: frozenset[str] = frozenset(), *, country_size: float = 15.0,
                max_leader_pt: float | None = None) -> tuple[list[Placement], list[str]]:
    """Place and draw a map's place names, callout badges and country names.

    Parameters
    ----------
    canvas : Canvas
        The main map or a detail panel.
    spec : SlideSpec
        What the map shows.
    layers : list
        The layers :func:`routemap.maps.slides.canvas.draw_map` drew.
    blocked : list of Box
        Boxes no label may touch (furniture, the inset, detail panels).
    skip : frozenset of str
        Keys that get no label here (a detail panel shows them).
    country_size : float
        The largest country name, points.
    max_leader_pt : float, optional
        As :func:`place_on_canvas` (the films bound their leaders; the slides do not).

    Returns
    -------
    tuple
        The placements drawn, and the keys of labels that found no room.
    """
    basemap, routes, marks, _ = layers
    requests, obstacles, styles = label_requests(canvas, spec, marks, skip)
    clearance = {r.key: r.clearance for r in requests}
    # a bundled overview's corridor badges: by their own rule (on or near their own line)
    badges, lost = corridor_placements(canvas, spec, [*obstacles, *blocked], skip)
    requests = [r for r in requests if not r.key.startswith("corridor:")]
    requests += _country_requests(canvas, basemap, styles, country_size)
    clearance |= {r.key: r.clearance for r in requests}
    symbols = symbol_points(canvas, marks)
    placed, dropped = place_on_canvas(canvas, requests, [*obstacles, *blocked,
                                                         *taken_boxes(badges)],
                                      routes, symbols, max_leader_pt=max_leader_pt)
    placed, dropped = [*badges, *placed], [*lost, *dropped]
    for p in placed:
        _draw_label(canvas, p, styles[p.key], clearance[p.key])
    lost = [k for k in dropped if not k.startswith("country:")]
    if lost:
        log.info("%s: no room for %d labels: %s", spec.name, len(lost), ", ".join(lost))
    return placed, dropped


def _first_name(text: str) -> str:
    """Return a stack's first name only."""
    return text.split("\n")[0]


def _two_lines(text: str) -> str:
    """Return a one-line name broken into two lines at the space nearest its middle."""
    if "\n" in text or " " not in text:
        return text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(2 * i - len(text)))
    return text[:cut] + "\n" + text[cut + 1:]


def _draw_label(canvas: Canvas, p: Placement, styled: tuple, clearance: float) -> None:
    text, style = styled[0], styled[1]
    if len(styled) > 2:
        text = styled[2][p.variant]  # the shorter form that found room
    cx, cy = canvas.to_data((p.box.x0 + p.box.x1) / 2, (p.box.y0 + p.box.y1) / 2)
    s = canvas.scale
    if p.leader:
        (ax_, ay_), (bx, by) = p.leader_line(clearance)
        a, b = canvas.to_data(ax_, ay_), canvas.to_data(bx, by)
        canvas.ax.add_line(Line2D([a[0], b[0]], [a[1], b[1]], color="#4A4F55",
                                  linewidth=0.7 * s, zorder=Z["leaders"], gid="leader"))
    if isinstance(style, str):  # a badge: its kind (annotation, transfer, corridor)
        radius = (p.box.x1 - p.box.x0) / 2 / canvas.px_per_pt * canvas.upp * 0.92
        draw_badge(canvas.ax, cx, cy, int(text), radius=radius, fontsize=7.5 * s,
                   zorder=Z["labels"], gid=p.key, kind=style)
        return
    draw_haloed_text(canvas.ax, cx, cy, text, scale=s, gid=f"label:{p.key}",
                     zorder=Z["labels"], ha="center", va="center", **style)
