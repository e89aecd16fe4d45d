"""Detail insets: where a map is too crowded to read, and where an enlarged view of it fits."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely

from routemap.maps.slides.labels import Box

__all__ = [
    "bounding_box",
    "clusters",
    "connector_corners",
    "crowded_cluster",
    "free_spot",
    "grown_to_aspect",
]


def clusters(points: np.ndarray, *, link: float) -> list[tuple[int, ...]]:
    """Group points that lie within ``link`` of a neighbour (single linkage).

    Parameters
    ----------
    points : numpy.ndarray
        (n, 2) display coordinates.
    link : float
        The longest gap inside a group.

    Returns
    -------
    list of tuple of int
        Groups of point indices, ascending within a group; largest group first, then by
        first index.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    parent = list(range(len(pts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    gaps = np.hypot(pts[:, None, 0] - pts[None, :, 0], pts[:, None, 1] - pts[None, :, 1])
    for i, j in zip(*np.nonzero(np.triu(gaps <= link, k=1)), strict=True):
        a, b = root(int(i)), root(int(j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(pts)):
        groups.setdefault(root(i), []).append(i)
    return sorted((tuple(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def bounding_box(points: np.ndarray) -> Box:
    """Return the smallest box holding (n, 2) points (n >= 1)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    return Box(float(pts[:, 0].min()), float(pts[:, 1].min()),
               float(pts[:, 0].max()), float(pts[:, 1].max()))


def _gap(box: Box, points: np.ndarray) -> float:
    """Return the distance from a box to the nearest of some points (0 if one is inside)."""
    dx = np.maximum(np.maximum(box.x0 - points[:, 0], points[:, 0] - box.x1), 0.0)
    dy = np.maximum(np.maximum(box.y0 - points[:, 1], points[:, 1] - box.y1), 0.0)
    return float(np.hypot(dx, dy).min())


def crowded_cluster(points: np.ndarray, trouble: np.ndarray, *, link: float, max_side: float,
                    min_size: int = 3, min_trouble: int = 2, grow: bool = True,
                    exclude: frozenset[int] = frozenset()) -> tuple[int, ...] | None:
    """Return the group of points a detail inset should enlarge, or None if none needs it.

    A group (points within ``link`` of each other) qualifies when it has ``min_size`` points
    or more, ``min_trouble`` of them in trouble (a label that found no room, went far from
    its anchor, or a line too short to see), and fits in ``max_side``. The one with the most
    trouble wins; if ``grow``, it then takes in neighbouring groups of two or more points
    lying within 2.5 links, as long as the whole still fits in ``max_side``.

    Parameters
    ----------
    points : numpy.ndarray
        (n, 2) display coordinates of places and badges.
    trouble : numpy.ndarray
        (n,) booleans.
    link : float
        The longest gap inside a group, display units.
    max_side : float
        The largest width or height the group may span, display units.
    min_size, min_trouble : int
        Thresholds for a group to qualify.
    grow : bool
        Take in neighbouring groups.
    exclude : frozenset of int
        Points already enlarged elsewhere; groups holding any are skipped.

    Returns
    -------
    tuple of int or None
        Indices of the points to enlarge, ascending.
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    bad = np.asarray(trouble, dtype=bool)
    groups = [g for g in clusters(pts, link=link) if not exclude.intersection(g)]
    fits = [g for g in groups if len(g) >= min_size and int(bad[list(g)].sum()) >= min_trouble
            and max(bounding_box(pts[list(g)]).width, bounding_box(pts[list(g)]).height)
            <= max_side]
    if not fits:
        return None
    seed = max(fits, key=lambda g: (int(bad[list(g)].sum()), len(g), -g[0]))
    members = set(seed)
    if not grow:
        return seed
    for group in sorted(groups, key=lambda g: (_gap(bounding_box(pts[list(seed)]),
                                                    pts[list(g)]), g[0])):
        if members.intersection(group) or len(group) < 2:
            continue
        if _gap(bounding_box(pts[sorted(members)]), pts[list(group)]) > 2.5 * link:
            continue
        union = bounding_box(pts[sorted(members | set(group))])
        if max(union.width, union.height) <= max_side:
            members |= set(group)
    return tuple(sorted(members))


def grown_to_aspect(box: Box, aspect: float, *, margin: float, minimum: float = 1.0) -> Box:
    """Return a box around ``box``'s centre, ``margin`` of its larger side bigger all round,
    then widened or heightened to ``aspect`` (width over height)."""
    side = max(box.width, box.height, minimum)
    w = max(box.width, minimum) + 2.0 * margin * side
    h = max(box.height, minimum) + 2.0 * margin * side
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (box.x0 + box.x1) / 2.0, (box.y0 + box.y1) / 2.0
    return Box(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)


def _cells(lo: float, hi: float, origin: float, step: float, n: int) -> tuple[int, int]:
    return (min(max(math.floor((lo - origin) / step), 0), n),
            min(max(math.ceil((hi - origin) / step), 0), n))


def free_spot(size: tuple[float, float], *, bounds: Box, points: np.ndarray,
              blocked: Sequence[Box], near: tuple[float, float], step: float) -> Box | None:
    """Return the box of ``size`` inside ``bounds`` nearest ``near`` that covers nothing.

    ``bounds`` is cut into cells ``step`` wide; a candidate box starts on a cell corner and
    must hold no point and touch no blocked box (a cell a point or a box touches counts
    as taken). A summed-area table makes every candidate cost the same.

    Parameters
    ----------
    size : tuple of float
        Width and height, display units.
    bounds : Box
        Where the box must lie.
    points : numpy.ndarray
        (n, 2) points the box must not cover (data: routes, markers).
    blocked : sequence of Box
        Boxes it must not touch (furniture, other insets).
    near : tuple of float
        The point the box's centre should be close to.
    step : float
        Cell size, display units.

    Returns
    -------
    Box or None
        None if no free place exists.
    """
    w, h = size
    nx, ny = int(bounds.width // step), int(bounds.height // step)
    cw, ch = math.ceil(w / step), math.ceil(h / step)
    if cw > nx or ch > ny:
        return None
    taken = np.zeros((nx, ny))
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    ix = np.floor((pts[:, 0] - bounds.x0) / step).astype(int)
    iy = np.floor((pts[:, 1] - bounds.y0) / step).astype(int)
    inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    np.add.at(taken, (ix[inside], iy[inside]), 1.0)
    for box in blocked:
        i0, i1 = _cells(box.x0, box.x1, bounds.x0, step, nx)
        j0, j1 = _cells(box.y0, box.y1, bounds.y0, step, ny)
        taken[i0:i1, j0:j1] += 1.0
    table = np.zeros((nx + 1, ny + 1))
    table[1:, 1:] = taken.cumsum(axis=0).cumsum(axis=1)
    counts = table[cw:, ch:] - table[:-cw, ch:] - table[cw:, :-ch] + table[:-cw, :-ch]
    free = np.argwhere(counts < 0.5)
    if not len(free):
        return None
    x0 = bounds.x0 + free[:, 0] * step
    y0 = bounds.y0 + free[:, 1] * step
    best = int(np.argmin(np.hypot(x0 + w / 2.0 - near[0], y0 + h / 2.0 - near[1])))
    return Box(float(x0[best]), float(y0[best]), float(x0[best]) + w, float(y0[best]) + h)


def _corners(box: Box) -> list[tuple[float, float]]:
    return [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)]


def connector_corners(outline: Sequence[tuple[float, float]], panel: Box
                      ) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Return up to two lines joining matching corners of a frame's outline and its panel.

    ``outline`` holds the frame's four corners as drawn (lower-left, lower-right, upper-left,
    upper-right; it may be turned). A line is kept only if it runs through neither shape;
    of those kept, the two farthest apart.
    """
    quad = shapely.Polygon([outline[0], outline[1], outline[3], outline[2]])
    box = panel.padded(-0.5)
    inner = [quad.buffer(-0.5), shapely.box(box.x0, box.y0, box.x1, box.y1)]
    lines = [(tuple(map(float, a)), b) for a, b in zip(outline, _corners(panel), strict=True)
             if not any(shapely.LineString([a, b]).intersects(shape) for shape in inner)]
    if len(lines) <= 2:
        return lines

    def spread(pair: tuple[int, int]) -> float:
        (a0, b0), (a1, b1) = lines[pair[0]], lines[pair[1]]
        return math.hypot((a0[0] + b0[0] - a1[0] - b1[0]) / 2.0,
                          (a0[1] + b0[1] - a1[1] - b1[1]) / 2.0)

    pairs = [(i, j) for i in range(len(lines)) for j in range(i + 1, len(lines))]
    i, j = max(pairs, key=spread)
    return [lines[i], lines[j]]
