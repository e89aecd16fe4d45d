"""Where a bundled overview's corridor badges sit: on or beside their own line, never a neighbour's.

A corridor's number is keyed in the panel; on the map it must read as its own line's. The
films' rule for labels (:data:`routemap.maps.video.details.MAX_LEADER_PT`) is applied to every
badge: it is anchored at a point along its own corridor (several points are tried, the middle
first), its leader is at most :data:`MAX_BADGE_LEADER_PT`, and the badge is nearer its own line
than any other keyed corridor's. The aggregated overview keys only corridors whose badge can be
placed so (:func:`routemap.maps.slides.aggregate.aggregated_overview`); the slide places them
again by the same rule, now clear of the furniture too (:func:`corridor_placements`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from routemap.maps.slides.canvas import Canvas, in_view
from routemap.maps.slides.labels import Box, Placement, box_distances
from routemap.maps.slides.layers import marker_radius_points
from routemap.maps.slides.spec import SlideSpec

__all__ = ["ALONG", "BADGE_PT", "MAX_BADGE_LEADER_PT", "BadgeLayout", "corridor_placements",
           "display_lines", "marker_boxes", "taken_boxes"]

MAX_BADGE_LEADER_PT = 60.0
"""The longest leader from a corridor badge to its line, points at scale 1: the films' bound for
every label. Four badges (15 pt) long, it is followed at a glance; on a 1920-pixel slide it is
about 3 % of the map's width, so a badge stays in its corridor's neighbourhood, where the
badge of a corridor a few hundred kilometres long in the crowded Far East still reads as its."""
BADGE_PT = 15.0
"""A badge's diameter, points at scale 1 (as :mod:`routemap.maps.slides.labelling` draws it)."""
ALONG = (0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9)
"""Where along its line (a fraction of its drawn length) a badge's anchor is tried, in turn."""
_ANGLES = tuple(float(a) for a in range(45, 405, 45))
_SAMPLE_PX = 2.0
_PAD_PT = 1.5


def display_lines(canvas: Canvas, parts: Mapping[int, Sequence[np.ndarray]]
                  ) -> dict[int, np.ndarray]:
    """Return each line's drawn parts as display points every 2 pixels, inside the map only.

    Parameters
    ----------
    canvas : Canvas
        The map (its frame and axes).
    parts : mapping of int to sequence of ndarray
        The lon/lat parts of each line, by key.

    Returns
    -------
    dict of int to ndarray
        (n, 2) display points by key (empty where the line is out of view).
    """
    f = canvas.frame
    out = {}
    for key, lines in parts.items():
        pts = [np.zeros((0, 2))]
        for part in lines:
            if len(part) < 2:
                continue
            x, y = f.forward(part[:, 0], part[:, 1])
            d = canvas.to_display(np.asarray(x), np.asarray(y))
            cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(d, axis=0).T))])
            at = np.arange(0.0, cum[-1] + _SAMPLE_PX, _SAMPLE_PX)
            xy = np.column_stack([np.interp(at, cum, d[:, 0]), np.interp(at, cum, d[:, 1])])
            px, py = np.interp(at, cum, np.asarray(x)), np.interp(at, cum, np.asarray(y))
            inside = (px >= f.xmin) & (px <= f.xmax) & (py >= f.ymin) & (py <= f.ymax)
            pts.append(xy[inside])
        out[key] = np.concatenate(pts)
    return out


def marker_boxes(canvas: Canvas, spec: SlideSpec) -> list[Box]:
    """Return the boxes of the slide's place markers in view (no badge may cover one)."""
    out = []
    for p in spec.places:
        x, y = canvas.frame.forward(np.array([p.lon]), np.array([p.lat]))
        if not in_view(canvas, float(x[0]), float(y[0])):
            continue
        (px, py), = canvas.to_display(x, y)
        r = marker_radius_points(p.kind, canvas.scale) * canvas.px_per_pt
        out.append(Box(px - r, py - r, px + r, py + r))
    return out


class BadgeLayout:
    """Corridor badges placed one by one, each by the rule of this module.

    Parameters
    ----------
    canvas : Canvas
        The map.
    obstacles : sequence of Box
        Boxes no badge may touch (markers, furniture).
    """

    def __init__(self, canvas: Canvas, obstacles: Sequence[Box]) -> None:
        pt = canvas.px_per_pt * canvas.scale
        self.size = BADGE_PT * pt
        self.bound = MAX_BADGE_LEADER_PT * pt
        self.pad = _PAD_PT * pt
        self.step = self.size / 2.0
        bb = canvas.ax.bbox
        self.bounds = Box(bb.x0 + 4, bb.y0 + 4, bb.x1 - 4, bb.y1 - 4)
        self.obstacles = list(obstacles)
        self.placed: list[tuple[Placement, np.ndarray]] = []

    def place(self, key: str, line: np.ndarray) -> Placement | None:
        """Place a badge for ``line`` (display points) if the rule allows; return it or None.

        The badge is tried on its line, then ever further from it up to the bound, at each of
        the :data:`ALONG` anchors, nearest first. It must clear the obstacles and the badges
        placed, be nearer its own line than any placed badge's line, and the line must not come
        nearer a placed badge than that badge's own line (so the rule holds for all of them).
        """
        if len(line) == 0 or any(_near(p.box, line, own) for p, own in self.placed):
            return None
        cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(line, axis=0).T))])
        anchors = [(float(np.interp(f * cum[-1], cum, line[:, 0])),
                    float(np.interp(f * cum[-1], cum, line[:, 1]))) for f in ALONG]
        others = [own for _, own in self.placed]
        rings = [0.0, *np.arange(self.size / 2.0, self.bound + self.size / 2.0 + 1e-9,
                                 self.step)]
        for rho in rings:
            for ax_, ay_ in anchors:
                for angle in (_ANGLES if rho else (0.0,)):
                    cx = ax_ + rho * math.cos(math.radians(angle))
                    cy = ay_ + rho * math.sin(math.radians(angle))
                    h = self.size / 2.0
                    box = Box(cx - h, cy - h, cx + h, cy + h)
                    p = Placement(key, box, (ax_, ay_), rho > 0)
                    if self._allowed(p, line, others):
                        self.placed.append((p, line))
                        return p
        return None

    def _allowed(self, p: Placement, line: np.ndarray, others: list[np.ndarray]) -> bool:
        box = p.box
        if not self.bounds.contains(box) or p.leader_length() > self.bound + 1e-6:
            return False
        if any(box.overlaps(o.padded(self.pad)) for o in self.obstacles):
            return False
        if any(box.overlaps(q.box.padded(self.pad)) for q, _ in self.placed):
            return False
        return not any(_near(box, other, line) for other in others)


def _near(box: Box, other: np.ndarray, own: np.ndarray) -> bool:
    """Return True if ``other`` comes as near ``box`` as its own line ``own`` does (within
    half a pixel), so that a reader could take the badge for the other line's."""
    if len(other) == 0:
        return False
    mine = float(box_distances(box, own).min())
    return bool(float(box_distances(box, other).min()) < mine + 0.5)


def corridor_placements(canvas: Canvas, spec: SlideSpec, obstacles: Sequence[Box],
                        skip: frozenset[str] = frozenset()
                        ) -> tuple[list[Placement], list[str]]:
    """Return where the slide's corridor badges go (in key order), and those that found none.

    Parameters
    ----------
    canvas : Canvas
        The map.
    spec : SlideSpec
        An aggregated overview: callout ``corridor`` n keys the route ``corridor:n``.
    obstacles : sequence of Box
        Boxes no badge may touch (markers, furniture, insets).
    skip : frozenset of str
        Keys placed elsewhere (a detail panel shows them).

    Returns
    -------
    tuple
        The placements (key ``corridor:<n>``), and the keys of badges that found no room.
    """
    numbers = [c.number for c in spec.callouts
               if c.kind == "corridor" and f"corridor:{c.number}" not in skip]
    routes = {int(r.feature_id.split(":")[1]): r.parts for r in spec.routes
              if r.feature_id.startswith("corridor:")}
    lines = display_lines(canvas, {n: routes.get(n, ()) for n in numbers})
    layout = BadgeLayout(canvas, obstacles)
    placed, dropped = [], []
    for n in numbers:
        p = layout.place(f"corridor:{n}", lines[n])
        if p is None:
            dropped.append(f"corridor:{n}")
        else:
            placed.append(p)
    return placed, dropped


def taken_boxes(placements: Sequence[Placement], clearance: float = 2.0) -> list[Box]:
    """Return what placed badges take from the other labels: their boxes, and small boxes
    along their leaders (no name may cover a leader)."""
    out = [p.box for p in placements]
    for p in placements:
        if not p.leader:
            continue
        (ax_, ay_), (bx, by) = p.leader_line(clearance)
        for t in np.linspace(0.0, 1.0, 8):
            x, y = ax_ + (bx - ax_) * t, ay_ + (by - ay_) * t
            out.append(Box(x - 0.5, y - 0.5, x + 0.5, y + 0.5))
    return out
