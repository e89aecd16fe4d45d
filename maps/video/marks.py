"""What a film marks beside its places: the callouts' numbered badges, and the lettered keys
of the leg ends no name on the map gives (a crowded part of a small film), each placed
where it reads as its own place's and listed, with its name, in the side panel.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from routemap.maps.slides.canvas import Canvas
from routemap.maps.slides.furniture import wrap_to_width
from routemap.maps.slides.labels import Box
from routemap.maps.slides.spec import PlaceMark
from routemap.maps.style import ANNOTATION_COLOR, BASEMAP_STYLE

__all__ = ["BADGE_SPOTS", "KEY_SPOTS", "MEET_PT", "badge_spot", "draw_key_list", "draw_key_tag", "key_letter",
           "symbol_points"]

#: Where a badge may go, points from its place at scale 1, in order of preference
#: (touching the marker's upper right first, then around it, then a ring further out).
BADGE_SPOTS: tuple[tuple[float, float], ...] = (
    (8.0, 8.0), (-8.0, 8.0), (8.0, -8.0), (-8.0, -8.0), (11.0, 0.0), (-11.0, 0.0),
    (0.0, 11.0), (0.0, -11.0), (16.0, 16.0), (-16.0, 16.0), (16.0, -16.0), (-16.0, -16.0),
    (22.0, 0.0), (-22.0, 0.0), (0.0, 22.0), (0.0, -22.0))
#: Where a place's key may go besides: two rings further out, every 22.5 degrees (a key
#: is wanted where names found no room, so it may sit further from its place; it still
#: sits nearer its place than any other).
KEY_SPOTS: tuple[tuple[float, float], ...] = BADGE_SPOTS + tuple(
    (round(r * math.cos(math.radians(a)), 3), round(r * math.sin(math.radians(a)), 3))
    for r in (30.0, 40.0) for a in np.arange(0.0, 360.0, 22.5))
#: Two place markers closer than this, points at scale 1, overlap most of their area: they
#: read as one dot.
MEET_PT = 6.0
#: A badge's or key's radius, points at scale 1.
BADGE_RADIUS_PT = 7.5


def _shared_area(a: Box, b: Box) -> float:
    """Return the area two boxes share."""
    return (max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))
            * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0)))


def symbol_points(c: Canvas, places: Sequence[PlaceMark]) -> np.ndarray:
    """Return the display points (n, 2) of the place markers inside a map or detail canvas."""
    x, y = c.frame.forward(np.array([p.lon for p in places]), np.array([p.lat for p in places]))
    bb = c.ax.bbox
    return np.array([(float(px), float(py)) for px, py in c.to_display(x, y)
                     if bb.x0 <= px <= bb.x1 and bb.y0 <= py <= bb.y1]).reshape(-1, 2)


def badge_spot(c: Canvas, at: tuple[float, float], names: list[Box], badges: list[Box],
               symbols: np.ndarray, scale: float,
               spots: Sequence[tuple[float, float]] = BADGE_SPOTS) -> Box:
    """Return where a badge goes around its place ``at``.

    Among the ``spots`` inside the map and nearer its place than any
    other marker, the first that covers no name, badge or marker; else one covering a
    marker; else the one hiding least of the other badges, then of the names (never
    nearer another place); with no such spot, at its upper right, in a row after the
    badges there.

    Parameters
    ----------
    c : Canvas
        The map or detail the place is drawn in.
    at : tuple of float
        The place's marker, display units.
    names, badges : list of Box
        The names and the badges already there.
    symbols : ndarray
        Every place marker there, display units (as :func:`symbol_points` gives them).
    scale : float
        The film's scale.
    spots : sequence of (float, float)
        Where it may go, points from its place at scale 1, in order of preference.

    Returns
    -------
    Box
    """
    ppt, bb = c.px_per_pt * scale, c.ax.bbox
    r, mark = BADGE_RADIUS_PT * ppt, 4.5 * ppt
    others = symbols[np.hypot(symbols[:, 0] - at[0], symbols[:, 1] - at[1]) > 1.0]
    markers = [Box(mx - mark, my - mark, mx + mark, my + mark) for mx, my in others]
    free_spots = []
    for dx, dy in spots:
        cx, cy = at[0] + dx * ppt, at[1] + dy * ppt
        box = Box(cx - r, cy - r, cx + r, cy + r)
        own = math.hypot(cx - at[0], cy - at[1])
        if not (bb.x0 <= box.x0 and box.x1 <= bb.x1 and bb.y0 <= box.y0 and box.y1 <= bb.y1):
            continue
        if len(others) and (np.hypot(others[:, 0] - cx, others[:, 1] - cy) < own).any():
            continue  # read as a neighbour's badge
        free_spots.append(box)
    for blocked in ([*names, *badges, *markers], [*names, *badges]):
        free = next((b for b in free_spots if not any(b.overlaps(t) for t in blocked)), None)
        if free is not None:
            return free
    if free_spots:  # the one hiding least of the other badges, then of the names
        return min(free_spots, key=lambda b: (sum(_shared_area(b, t) for t in badges),
                                              sum(_shared_area(b, t) for t in names)))
    for k in range(len(badges) + 1):  # in a row to the right of the badges there
        cx, cy = at[0] + (8.0 + 16.0 * k) * ppt, at[1] + 8.0 * ppt
        box = Box(cx - r, cy - r, cx + r, cy + r)
        if not any(box.overlaps(t) for t in badges):
            break
    return box


def key_letter(index: int) -> str:
    """Return the letter keying the ``index``-th place (A, B, ... Z, then AA, AB ...)."""
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else key_letter(index // 26 - 1) + letters[index % 26]


def draw_key_tag(ax: Axes, x: float, y: float, letter: str, *, fontsize: float,
                 zorder: float, gid: str) -> None:
    """Draw a place's key centred at (x, y): a dark letter in a white square with a dark
    edge (a callout's badge is a dark disc with a white number)."""
    ax.text(x, y, letter, fontsize=fontsize, fontweight="bold", color=ANNOTATION_COLOR,
            ha="center", va="center_baseline", zorder=zorder, gid=gid,
            bbox={"boxstyle": "square,pad=0.28", "facecolor": "white",
                  "edgecolor": ANNOTATION_COLOR, "linewidth": 0.09 * fontsize})


def draw_key_list(ax: Axes, title: str, items: Sequence[tuple[str, str]], *, top: float,
                  width: float, scale: float) -> float:
    """List the places keyed on the map, each key with its name, from ``top`` (points
    below the panel's top) down; return the list's bottom edge.

    Parameters
    ----------
    ax : Axes
        The panel's axes, in points from its top-left corner.
    title : str
        The list's heading.
    items : sequence of (str, str)
        Each key's letter and its place's name.
    top : float
        Where the list starts.
    width : float
        The panel's width, points.
    scale : float
        The film's scale.

    Returns
    -------
    float
    """
    if not items:
        return top
    ax.text(0, top + 4.0 * scale, title.upper(), fontsize=8.0 * scale, fontweight="bold",
            color=BASEMAP_STYLE.muted_text, ha="left", va="top", gid="legend-header")
    y = top + 20.0 * scale
    size = 9.0 * scale
    for letter, name in items:
        draw_key_tag(ax, 8 * scale, y + 5.0 * scale, letter, fontsize=7.0 * scale, zorder=5,
                     gid=f"place-key:{letter}")
        text = wrap_to_width(name, width - 22 * scale, size)
        ax.text(22 * scale, y - 1.0 * scale, text, fontsize=size, color=BASEMAP_STYLE.text,
                ha="left", va="top", linespacing=1.15, gid="place-key-name")
        y += (15.0 + 11.5 * text.count("\n")) * scale
    return y + 4.0 * scale
