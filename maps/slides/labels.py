"""Label placement: boxes around anchors that never collide, with leader lines when moved."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

__all__ = ["Box", "LabelRequest", "Placement", "box_distances", "boxes_overlap", "place_labels"]

# Positions tried next to an anchor, best first (Imhof: upper right is the most legible).
_NEAR_ANGLES = (45.0, 0.0, -45.0, 135.0, 180.0, -135.0, 90.0, -90.0)
_FAR_ANGLES = tuple(float(a) for a in range(0, 360, 30))


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in display units (y up)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Return the box width."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Return the box height."""
        return self.y1 - self.y0

    def overlaps(self, other: Box) -> bool:
        """Return True if the two boxes share any area."""
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)

    def padded(self, pad: float) -> Box:
        """Return the box grown by ``pad`` on every side."""
        return Box(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    def contains(self, other: Box) -> bool:
        """Return True if ``other`` lies wholly inside this box."""
        return (self.x0 <= other.x0 and other.x1 <= self.x1
                and self.y0 <= other.y0 and other.y1 <= self.y1)

    def nearest_point(self, x: float, y: float) -> tuple[float, float]:
        """Return the point of the box closest to (x, y)."""
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)


@dataclass(frozen=True)
class LabelRequest:
    """A label to place: its anchor, its measured size and how much it matters.

    Attributes
    ----------
    key : str
        Identifies the label in the result.
    x, y : float
        The anchor (the marker's centre), display units.
    width, height : float
        The label's measured size, display units.
    clearance : float
        Radius around the anchor the label must keep clear of (the marker).
    priority : float
        Higher is placed first, so it gets the best position.
    centred : bool
        An area label (a country name): tried centred on the anchor and nudged a little,
        never moved away with a leader.
    reach : float
        Multiplies how far from its anchor the label may go (badges that must not be lost).
    members : tuple of str
        The symbols the label names or belongs to (``place:<id>``), besides its own key:
        the other places of a stack, a badge's place.
    alternatives : tuple of (width, height)
        Sizes of shorter forms of the label (a stack's first name, a long name on two
        lines), tried in turn, each before any label of lower priority, if the label
        itself finds no room.
    names : tuple of tuple of str
        For the label itself, then each alternative, the keys of the places its text names
        (a shorter form of a stack may name fewer); empty means the label names its key and
        members, every alternative its key alone.
    """

    key: str
    x: float
    y: float
    width: float
    height: float
    clearance: float = 0.0
    priority: float = 0.0
    centred: bool = False
    reach: float = 1.0
    members: tuple[str, ...] = ()
    alternatives: tuple[tuple[float, float], ...] = ()
    names: tuple[tuple[str, ...], ...] = ()

    def named(self, variant: int) -> tuple[str, ...]:
        """Return the keys of the places the label's ``variant`` form names (0: itself)."""
        if variant < len(self.names):
            return self.names[variant]
        return (self.key, *self.members) if variant == 0 else (self.key,)

    @property
    def owns(self) -> frozenset[str]:
        """Return the keys of the symbols this label belongs to."""
        return frozenset((self.key, *self.members))


@dataclass(frozen=True)
class Placement:
    """Where a label went; ``leader`` is True when it sits away from its anchor (and a line
    joins the two); ``members`` as in :class:`LabelRequest`; ``variant`` is 0 for the label
    itself, k for its k-th alternative form; ``named`` holds the keys of the places the
    placed form's text names."""

    key: str
    box: Box
    anchor: tuple[float, float]
    leader: bool
    members: tuple[str, ...] = ()
    variant: int = 0
    named: tuple[str, ...] = ()

    def leader_line(self, clearance: float) -> tuple[tuple[float, float], tuple[float, float]]:
        """Return the leader's ends: from the marker's rim to the box's nearest point."""
        ax, ay = self.anchor
        bx, by = self.box.nearest_point(ax, ay)
        dist = math.hypot(bx - ax, by - ay) or 1.0
        return (ax + (bx - ax) * clearance / dist, ay + (by - ay) * clearance / dist), (bx, by)

    def leader_length(self) -> float:
        """Return the distance from the anchor to the box's nearest point (0 inside it)."""
        bx, by = self.box.nearest_point(*self.anchor)
        return math.hypot(bx - self.anchor[0], by - self.anchor[1])


def boxes_overlap(boxes: Sequence[Box]) -> list[tuple[int, int]]:
    """Return every pair of indices of boxes that share area (for tests and checks)."""
    return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
            if boxes[i].overlaps(boxes[j])]


def _candidate(req: LabelRequest, distance: float, angle: float) -> Box:
    """Return the box whose corner or edge nearest the anchor clears a square of ``distance``."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    reach = distance / max(abs(c), abs(s))
    px, py = req.x + reach * c, req.y + reach * s
    fx, fy = max(-1.0, min(1.0, 1.6 * c)), max(-1.0, min(1.0, 1.6 * s))
    cx, cy = px + fx * req.width / 2.0, py + fy * req.height / 2.0
    return Box(cx - req.width / 2.0, cy - req.height / 2.0,
               cx + req.width / 2.0, cy + req.height / 2.0)


class _Occupancy:
    """The boxes taken so far and the points a label should rather not cover."""

    def __init__(self, obstacles: Sequence[Box], avoid: np.ndarray,
                 symbols: Mapping[str, tuple[float, float]]) -> None:
        self.boxes = np.array([[b.x0, b.y0, b.x1, b.y1] for b in obstacles]).reshape(-1, 4)
        self.avoid = np.asarray(avoid, dtype=float).reshape(-1, 2)
        self.hard_points = np.empty((0, 2))
        self.symbol_keys = list(symbols)
        self.symbols = np.array([symbols[k] for k in self.symbol_keys],
                                dtype=float).reshape(-1, 2)

    def nearest_is_own(self, req: LabelRequest, box: Box) -> bool:
        """Return True if no other symbol is nearer the box than the label's own ones."""
        if len(self.symbols) == 0:
            return True
        d = box_distances(box, self.symbols)
        own = np.array([k in req.owns for k in self.symbol_keys])
        mine = min(float(d[own].min()) if own.any() else math.inf,
                   box_distances(box, np.array([[req.x, req.y]]))[0])
        return not (d[~own] < mine - 0.5).any()

    def free(self, box: Box, pad: float) -> bool:
        b = self.boxes
        hit = ((box.x0 - pad < b[:, 2]) & (b[:, 0] < box.x1 + pad)
               & (box.y0 - pad < b[:, 3]) & (b[:, 1] < box.y1 + pad))
        return not hit.any() and _count_inside(self.hard_points, box) == 0

    def cost(self, box: Box) -> int:
        return _count_inside(self.avoid, box)

    def take(self, box: Box) -> None:
        self.boxes = np.vstack([self.boxes, [[box.x0, box.y0, box.x1, box.y1]]])

    def line_free(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        t = np.linspace(0.0, 1.0, 12)[:, None]
        pts = np.asarray(a) + (np.asarray(b) - np.asarray(a)) * t
        bx = self.boxes
        inside = ((pts[:, None, 0] > bx[None, :, 0]) & (pts[:, None, 0] < bx[None, :, 2])
                  & (pts[:, None, 1] > bx[None, :, 1]) & (pts[:, None, 1] < bx[None, :, 3]))
        return not inside[1:-1].any()

    def take_line(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        t = np.linspace(0.0, 1.0, 12)[1:-1, None]
        pts = np.asarray(a) + (np.asarray(b) - np.asarray(a)) * t
        self.hard_points = np.vstack([self.hard_points, pts])


def box_distances(box: Box, points: np.ndarray) -> np.ndarray:
    """Return the distance from a box to each of (n, 2) points (0 inside it)."""
    dx = np.maximum(np.maximum(box.x0 - points[:, 0], points[:, 0] - box.x1), 0.0)
    dy = np.maximum(np.maximum(box.y0 - points[:, 1], points[:, 1] - box.y1), 0.0)
    return np.hypot(dx, dy)


def _count_inside(points: np.ndarray, box: Box) -> int:
    if len(points) == 0:
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(np.count_nonzero((x > box.x0) & (x < box.x1) & (y > box.y0) & (y < box.y1)))


def _rings(req: LabelRequest, gap: float, step: float, max_distance: float):
    """Yield (ring number, distance, angles) from the nearest ring outwards."""
    yield 0, req.clearance + gap, _NEAR_ANGLES
    ring, distance = 1, req.clearance + gap + step
    while distance <= max_distance:
        yield ring, distance, _FAR_ANGLES
        ring, distance = ring + 1, distance + step


def _place_centred(req: LabelRequest, occ: _Occupancy, bounds: Box, pad: float
                   ) -> Placement | None:
    w, h = req.width, req.height
    for dx, dy in ((0, 0), (0, h), (0, -h), (w / 3, 0), (-w / 3, 0), (0, 2 * h), (0, -2 * h)):
        cx, cy = req.x + dx, req.y + dy
        box = Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
        if bounds.contains(box) and occ.free(box, pad):
            return Placement(req.key, box, (req.x, req.y), False, req.members)
    return None


def _place_one(req: LabelRequest, occ: _Occupancy, bounds: Box, *, gap: float, step: float,
               max_distance: float, pad: float, max_leader: float | None = None
               ) -> Placement | None:
    if req.centred:
        return _place_centred(req, occ, bounds, pad)
    best: tuple[float, Box, int] | None = None
    for ring, distance, angles in _rings(req, gap, step, max_distance):
        if best is not None and best[0] <= ring:
            break
        for order, angle in enumerate(angles):
            box = _candidate(req, distance, angle)
            if not bounds.contains(box) or not occ.free(box, pad):
                continue
            # without a leader, a label must be read as its own symbol's, not a neighbour's
            if not ring and not occ.nearest_is_own(req, box):
                continue
            placement = Placement(req.key, box, (req.x, req.y), ring > 0)
            if ring and not occ.line_free(*placement.leader_line(req.clearance)):
                continue
            if ring and max_leader is not None and not (
                    placement.leader_length() <= max_leader and occ.nearest_is_own(req, box)):
                continue  # a short leader, and the label still nearer its own symbol
            score = ring + 0.2 * min(occ.cost(box), 25) + 0.001 * order
            if best is None or score < best[0]:
                best = (score, box, ring)
    if best is None:
        return None
    return Placement(req.key, best[1], (req.x, req.y), best[2] > 0, req.members)


def place_labels(
    requests: Sequence[LabelRequest],
    *,
    obstacles: Sequence[Box],
    bounds: Box,
    avoid: np.ndarray | None = None,
    gap: float = 3.0,
    step: float = 14.0,
    max_distance: float = 160.0,
    pad: float = 1.5,
    symbols: Mapping[str, tuple[float, float]] | None = None,
    max_leader: float | None = None,
) -> tuple[list[Placement], list[str]]:
    """Place labels greedily, most important first, so that no two boxes overlap.

    Each label tries eight positions around its anchor, then rings further out (drawn with a
    leader line), up to ``max_distance``; where none has room, its shorter forms
    (``alternatives``) are tried in turn at that distance, then at twice it. A label without
    a leader is nearer its own symbol
    than any other (given ``symbols``). A position must lie inside ``bounds``, clear every
    obstacle, placed label and leader line; among those allowed it prefers near, then
    covering few ``avoid`` points (e.g. samples of route lines), then the classic order.

    Parameters
    ----------
    requests : sequence of LabelRequest
        Labels with measured sizes, in display units.
    obstacles : sequence of Box
        Boxes no label may touch: markers, the legend, the scale bar...
    bounds : Box
        Labels must lie inside it.
    avoid : numpy.ndarray, optional
        (n, 2) points a label should rather not cover.
    gap, step, max_distance, pad : float
        Distance from marker to label, ring spacing, farthest ring, and padding between boxes.
    symbols : mapping of str to (x, y), optional
        The map's symbols by key (``place:<id>``). A label next to its anchor (no leader)
        must be no farther from its own symbols (its key and ``members``) than from any
        other; else it moves out and gets a leader.
    max_leader : float, optional
        If given, a label with a leader is placed only where the leader (anchor to the box's
        nearest point) is at most this long and the box is nearer its own symbols than any
        other (given ``symbols``): a label that finds no such place is dropped.

    Returns
    -------
    tuple
        The placements in placing order, and the keys of labels that found no room.
    """
    occ = _Occupancy(obstacles, np.empty((0, 2)) if avoid is None else avoid, symbols or {})
    placed: list[Placement] = []
    dropped: list[str] = []
    for req in sorted(requests, key=lambda r: (-r.priority, r.key)):
        result = _place_one(req, occ, bounds, gap=gap, step=step,
                            max_distance=max_distance * req.reach, pad=pad,
                            max_leader=max_leader)
        # a shorter form near its symbol before any form far from it: every shorter form is
        # tried at the label's own reach, then, still finding no room, at twice the distance
        reaches = dict.fromkeys((req.reach, max(req.reach, 2.0)))
        tries = [(variant, w, h, reach) for reach in reaches
                 for variant, (w, h) in enumerate(req.alternatives, start=1)]
        for variant, w, h, reach in tries:
            if result is not None:
                break
            alt = replace(req, width=w, height=h, reach=reach)
            result = _place_one(alt, occ, bounds, gap=gap, step=step,
                                max_distance=max_distance * alt.reach, pad=pad,
                                max_leader=max_leader)
            result = None if result is None else replace(result, variant=variant)
        if result is None:
            dropped.append(req.key)
            continue
        result = replace(result, named=req.named(result.variant))
        occ.take(result.box)
        if result.leader:
            occ.take_line(*result.leader_line(req.clearance))
        placed.append(result)
    return placed, dropped
