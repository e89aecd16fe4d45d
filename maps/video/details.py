"""The films' detail insets: the overview slide's enlarged views of crowded parts of the map,
their static layers drawn once, the legs and badges drawn into them as they move.

The films place every label under one rule (:data:`MAX_LEADER_PT`): a label moved off its
symbol hangs on a leader at most that long and stays nearer its own symbol than any other.
A label that cannot is left off (its place is still marked; a leg's end is named in a
detail when it lies in one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from routemap.maps.slides.canvas import Canvas, route_samples
from routemap.maps.slides.details import (
    DetailInset,
    draw_detail,
    draw_detail_outline,
    plan_details,
)
from routemap.maps.slides.labelling import draw_labels, symbol_points
from routemap.maps.slides.labels import Box, Placement
from routemap.maps.slides.layers import project_parts
from routemap.maps.slides.spec import SlideSpec

__all__ = ["MAX_LEADER_PT", "FilmDetail", "FilmLabels", "draw_labels_and_details"]

#: The longest leader in a film, points at scale 1 (a 1920-pixel frame). At 60 points a
#: leader spans under a twentieth of the wide map's width (1,250 points): the eye follows it
#: at a glance, and the rings of label positions around a symbol reach it within five steps
#: (11 points each, past the marker and its gap), so a label still finds room in a crowded
#: part, while the leaders of a metre-long hop across the Far East (120 points and more, the
#: films' earlier faults) are out.
MAX_LEADER_PT = 60.0


@dataclass
class FilmDetail:
    """A detail inset drawn in a film.

    Attributes
    ----------
    inset : DetailInset
        The planned and drawn detail (its labels, title, scale bar).
    canvas : Canvas
        The detail's own axes and projection.
    parts : dict of str to list of ndarray
        The projected parts of the legs that cross it, by feature id.
    region : Bbox
        The panel and its heading band, display units: what the main map's lines must not
        cover (restored from a clean copy after they are drawn).
    """

    inset: DetailInset
    canvas: Canvas
    parts: dict[str, list[np.ndarray]]
    region: Bbox

    @property
    def ax(self) -> Axes:
        """Return the detail's axes."""
        return self.canvas.ax


@dataclass(frozen=True)
class FilmLabels:
    """Where a film's labels went, for checks: the main map's and each detail's.

    Attributes
    ----------
    placed : tuple of Placement
        The main map's labels.
    dropped : tuple of str
        Keys of the main map's labels left off.
    symbols : dict of str to (float, float)
        The main map's place markers in view, display units, by key.
    details : tuple of FilmDetail
        The details drawn.
    """

    placed: tuple[Placement, ...]
    dropped: tuple[str, ...]
    symbols: dict[str, tuple[float, float]]
    details: tuple[FilmDetail, ...]


def _data_points(canvas: Canvas, routes: list, marks: list) -> np.ndarray:
    """Return display points a detail panel must not hide: the legs and place markers."""
    pts = route_samples(canvas, routes, step_px=6.0)
    xy = [canvas.to_display(np.array([x]), np.array([y]))[0] for _, x, y in marks]
    return np.vstack([pts, np.array(xy).reshape(-1, 2)])


def _crossing(parts: list[np.ndarray], canvas: Canvas) -> bool:
    """Return True if some part's extent meets the canvas's frame."""
    f = canvas.frame
    for p in parts:
        ok = np.isfinite(p).all(axis=1)
        if not ok.any():
            continue
        q = p[ok]
        if (q[:, 0].min() <= f.xmax and q[:, 0].max() >= f.xmin
                and q[:, 1].min() <= f.ymax and q[:, 1].max() >= f.ymin):
            return True
    return False


def _film_detail(canvas: Canvas, spec: SlideSpec, inset: DetailInset, number: int) -> FilmDetail:
    """Draw a detail's static layers (no legs) and return what the frames need of it."""
    inset = draw_detail(canvas, spec, inset, number, frozenset(), routes=False,
                        max_leader_pt=MAX_LEADER_PT)
    ax = next(a for a in canvas.fig.axes if a.get_label() == f"detail:{number}")
    p, fig = inset.panel, canvas.fig
    upp = inset.frame.width / (p.width / fig.dpi * 72.0)
    dc = Canvas(fig, ax, inset.frame, canvas.scale, upp, canvas.texts, label_size=8.5,
                language=canvas.language)
    parts = {}
    for route in spec.routes:
        drawn = project_parts(route, inset.frame)
        if _crossing(drawn, dc):
            parts[route.feature_id] = drawn
    tab = inset.tab or inset.panel
    pad = 2.0
    region = Bbox.from_extents(min(p.x0, tab.x0) - pad, p.y0 - pad, max(p.x1, tab.x1) + pad,
                               max(p.y1, tab.y1) + pad)
    return FilmDetail(inset, dc, parts, region)


def draw_labels_and_details(canvas: Canvas, spec: SlideSpec, layers: list,
                            blocked: list[Box], *, details: bool = True) -> FilmLabels:
    """Plan and draw a film's detail insets (as the overview slide's), then the main map's
    labels under the leader rule, those a detail shows left to it.

    Parameters
    ----------
    canvas : Canvas
        The film's main map, its basemap, places and rail drawn.
    spec : SlideSpec
        What the film shows (every leg).
    layers : list
        As :func:`routemap.maps.slides.canvas.draw_map` returns them: the basemap,
        (route, projected parts, is focus), (place mark, x, y), attributions.
    blocked : list of Box
        Boxes no panel or label may take (the date counter's corner).
    details : bool
        Draw detail insets where the map has room for them.

    Returns
    -------
    FilmLabels
    """
    _, routes, marks, _ = layers
    planned = (plan_details(canvas, spec, layers, _data_points(canvas, routes, marks), blocked)
               if details else [])
    blocked = list(blocked)
    for inset in planned:
        draw_detail_outline(canvas, inset)
        blocked += [inset.panel.padded(4.0), (inset.tab or inset.panel).padded(4.0),
                    inset.outline.padded(2.0)]
    skip = frozenset(k for d in planned for k in d.keys)
    placed, dropped = draw_labels(canvas, spec, layers, blocked, skip,
                                  max_leader_pt=MAX_LEADER_PT)
    drawn = tuple(_film_detail(canvas, spec, d, n) for n, d in enumerate(planned, 1))
    return FilmLabels(tuple(placed), tuple(k for k in dropped if not k.startswith("country:")),
                      symbol_points(canvas, marks), drawn)
