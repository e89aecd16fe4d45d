"""Map layers drawn on a matplotlib Axes in projected metres: basemap, routes, places."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from shapely.geometry.base import BaseGeometry

from routemap.geo.model import CONFIDENCES
from routemap.maps.basemap import Basemap, RailContext
from routemap.maps.projection import MapFrame
from routemap.maps.slides.spec import PlaceMark, RouteLine
from routemap.maps.style import (
    BASEMAP_STYLE,
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_STYLES,
    PLACE_STYLES,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CONTEXT_ALPHA",
    "CONTEXT_WIDTH_PT",
    "FOCUS_MIN_PT",
    "HALO_PT",
    "MUTED_ROUTE",
    "SLIDE_WIDTH_PT",
    "Z",
    "arrow_points",
    "band_width_points",
    "connector_width_points",
    "draw_basemap",
    "draw_places",
    "draw_routes",
    "focus_width_points",
    "lines_path",
    "marker_radius_points",
    "place_zorder",
    "polygon_path",
    "project_parts",
]

# routemap.geo.model lists confidences surest first; the surest is drawn last.
_CONFIDENCE_RANK = {c: -i for i, c in enumerate(CONFIDENCES)}

# Drawing order, bottom to top.
# A modelled leg's band lies under every line: under the grey context routes too, so a band
# never veils another transfer's line.
Z = {"land": 1, "borders": 2, "coast": 3, "rail": 4, "country_names": 5, "bands": 5.5,
     "context_routes": 6, "halos": 6.5, "routes": 7, "connectors": 7.5, "arrows": 8, "places": 9,
     "leaders": 10, "labels": 11, "furniture": 12}
MUTED_ROUTE = "#A7A39A"
# Other transfers recede: thin, grey and half transparent under the featured one.
CONTEXT_WIDTH_PT = 0.8
CONTEXT_ALPHA = 0.55
# The white casing of a featured leg is this much wider than the leg, points.
HALO_PT = 3.2
# The thinnest featured leg, points.
FOCUS_MIN_PT = 1.7
# The style table's widths are screen pixels at 96 dpi; on a slide one unit is this many points.
SLIDE_WIDTH_PT = 0.72


def polygon_path(geom: BaseGeometry) -> Path:
    """Return one compound matplotlib Path for a (multi)polygon, holes wound the other way."""
    geom = shapely.orient_polygons(geom)
    verts, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        xy = np.asarray(ring.coords)[:, :2]
        if len(xy) < 4:
            continue
        ring_codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
        ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
        verts.append(xy)
        codes.append(ring_codes)
    if not verts:
        return Path(np.zeros((0, 2)))
    return Path(np.concatenate(verts), np.concatenate(codes))


def lines_path(lines: Iterable[np.ndarray]) -> Path:
    """Return one matplotlib Path holding several polylines (those of fewer than two points
    left out)."""
    verts = [np.asarray(xy)[:, :2] for xy in lines if len(xy) >= 2]
    if not verts:
        return Path(np.zeros((0, 2)))
    sizes = np.fromiter(map(len, verts), dtype=np.intp, count=len(verts))
    codes = np.full(int(sizes.sum()), Path.LINETO, dtype=np.uint8)
    codes[np.cumsum(sizes) - sizes] = Path.MOVETO  # each line's first point
    return Path(np.concatenate(verts), codes)


def _geom_lines(geom: BaseGeometry) -> list[np.ndarray]:
    return [np.asarray(g.coords) for g in shapely.get_parts(geom) if not g.is_empty]


def draw_basemap(ax: Axes, basemap: Basemap, *, focus: frozenset[str], scale: float,
                 rail: RailContext | None = None) -> None:
    """Draw sea (the axes background), land, borders, coast and faint rail context.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes in the basemap's projected metres.
    basemap : Basemap
        The layers to draw.
    focus : frozenset of str
        ISO2 codes of countries drawn in the lighter focus tint.
    scale : float
        Multiplier for line widths (slide size relative to 1920 px at 150 dpi).
    rail : RailContext, optional
        Rail lines to draw faintly.
    """
    st = BASEMAP_STYLE
    ax.set_facecolor(st.sea)
    for tint in (st.land, st.focus_land):
        shapes = [c.geometry for c in basemap.countries if (c.iso2 in focus) == (tint != st.land)]
        if shapes:
            ax.add_artist(PathPatch(polygon_path(shapely.multipolygons(_polys(shapes))),
                                   facecolor=tint, edgecolor="none", zorder=Z["land"]))
    ax.add_artist(PathPatch(lines_path(_geom_lines(basemap.borders)), fill=False,
                           edgecolor=st.border, linewidth=st.border_width * scale,
                           linestyle=(0, (4, 1.5, 1, 1.5)), zorder=Z["borders"],
                           capstyle="butt", joinstyle="round"))
    ax.add_artist(PathPatch(lines_path(_geom_lines(basemap.coast)), fill=False,
                           edgecolor=st.coast, linewidth=st.coast_width * scale,
                           zorder=Z["coast"], joinstyle="round"))
    if rail is not None and rail.lines:
        ax.add_artist(PathPatch(lines_path(rail.lines), fill=False, edgecolor=st.rail,
                               linewidth=st.rail_width * scale, alpha=0.4, zorder=Z["rail"],
                               capstyle="round"))


def _polys(shapes: Sequence[BaseGeometry]) -> list[BaseGeometry]:
    parts = shapely.get_parts(np.asarray(shapes, dtype=object))
    return [p for p in parts if p.geom_type == "Polygon" and not p.is_empty]


def project_parts(route: RouteLine, frame: MapFrame) -> list[np.ndarray]:
    """Return a route's drawn parts in the frame's projected metres: its track parts, then its
    connectors (the last ``len(route.connectors)``; :func:`draw_routes` tells them apart)."""
    out = []
    for part in route.drawn:
        x, y = frame.forward(part[:, 0], part[:, 1])
        out.append(np.column_stack([x, y]))
    return out


def draw_routes(ax: Axes, routes: Sequence[tuple[RouteLine, list[np.ndarray], bool]], *,
                scale: float, units_per_point: float, arrows: bool = True) -> None:
    """Draw legs: context legs muted and thin underneath, focus legs in their style on top.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The map axes.
    routes : sequence of (RouteLine, projected parts, is_focus)
        Legs to draw; the parts as :func:`project_parts` gives them: the track, drawn in the
        leg's style, then the connectors, drawn in the connector style (no band, no arrow).
    scale : float
        Multiplier for widths.
    units_per_point : float
        Projected metres per typographic point on this slide (sizes the arrowheads).
    arrows : bool
        Draw the arrowheads along featured legs (the animation leaves them off a leg that
        is still growing).
    """
    # Where routes share a track, the surer one is drawn last, on top.
    order = sorted(routes, key=lambda r: (r[2], _CONFIDENCE_RANK[r[0].confidence],
                                          -r[0].width, r[0].feature_id))
    seen: set[tuple[int, int]] = set()
    for route, drawn, focus in order:
        parts, joins = _split_drawn(route, drawn)
        _draw_connectors(ax, route, joins, scale, units_per_point, focus=focus)
        _draw_band(ax, route, parts, scale, focus=focus)
        if focus:
            _draw_focus_route(ax, route, parts, scale)
            for x, y, angle in arrow_points(parts if arrows else [],
                                            spacing=260.0 * units_per_point * scale):
                key = (round(x / (20 * units_per_point)), round(y / (20 * units_per_point)))
                if key not in seen:
                    seen.add(key)
                    _draw_arrow(ax, route, x, y, angle, scale)
        else:
            ax.add_artist(PathPatch(lines_path(parts), fill=False, edgecolor=MUTED_ROUTE,
                                   linewidth=CONTEXT_WIDTH_PT * scale, alpha=CONTEXT_ALPHA,
                                   zorder=Z["context_routes"], capstyle="round",
                                   gid=f"context:{route.feature_id}"))


def _split_drawn(route: RouteLine,
                 drawn: Sequence[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return a leg's projected parts as (track, connectors): :func:`project_parts` puts the
    connectors last."""
    cut = len(drawn) - len(route.connectors)
    return list(drawn[:cut]), list(drawn[cut:])


def connector_width_points(scale: float) -> float:
    """Return the stroke width, points, of a connector (CONNECTOR_STYLE's hairline)."""
    return CONNECTOR_STYLE.width * SLIDE_WIDTH_PT * scale


def _draw_connectors(ax: Axes, route: RouteLine, joins: list[np.ndarray], scale: float,
                     units_per_point: float, *, focus: bool) -> None:
    """Draw a leg's stretches off the network in the connector style: a solid hairline in
    the mode's colour (the receded grey for another transfer) over a white casing, with a
    tick across each end; never the leg's track style, band or arrows."""
    if not joins:
        return
    st = CONNECTOR_STYLE
    width = connector_width_points(scale)
    color = MODE_STYLES[route.mode].color if focus else MUTED_ROUTE
    alpha = st.opacity if focus else CONTEXT_ALPHA
    zorder = Z["connectors"] if focus else Z["context_routes"]
    ticks = lines_path(_end_ticks(joins, st.tick * SLIDE_WIDTH_PT * scale * units_per_point))
    if focus:
        ax.add_artist(PathPatch(lines_path(joins), fill=False, edgecolor="white",
                                linewidth=width + st.casing * scale, alpha=0.95,
                                zorder=zorder - 0.01, capstyle="butt",
                                gid=f"connector-halo:{route.feature_id}"))
    for path, gid in ((lines_path(joins), "connector"), (ticks, "connector-ticks")):
        ax.add_artist(PathPatch(path, fill=False, edgecolor=color, linewidth=width, alpha=alpha,
                                zorder=zorder, capstyle="butt", joinstyle="round",
                                gid=f"{gid}:{route.feature_id}"))


def _end_ticks(joins: Sequence[np.ndarray], length: float) -> list[np.ndarray]:
    """Return a tick ``length`` long across each end of each connector (projected units)."""
    out = []
    for xy in joins:
        if len(xy) < 2:
            continue
        for end, toward in ((xy[0], xy[1]), (xy[-1], xy[-2])):
            dx, dy = toward[0] - end[0], toward[1] - end[1]
            norm = math.hypot(dx, dy)
            if norm == 0:
                continue
            nx, ny = -dy / norm * length / 2.0, dx / norm * length / 2.0
            out.append(np.array([[end[0] - nx, end[1] - ny], [end[0] + nx, end[1] + ny]]))
    return out


def band_width_points(route: RouteLine, scale: float, *, focus: bool) -> float:
    """Return the width, points, of the band under a leg whose path is modelled (0 when the
    path is reported): PATH_STYLES' band factor times the width the leg is drawn at."""
    factor = PATH_STYLES[route.path_confidence].band_factor
    line = focus_width_points(route, scale) if focus else CONTEXT_WIDTH_PT * scale
    return factor * line


def _draw_band(ax: Axes, route: RouteLine, parts: list[np.ndarray], scale: float, *,
               focus: bool) -> None:
    """Draw the wide translucent band under a leg whose path is modelled, not reported, in
    the mode's colour (the receded grey for another transfer); nothing for a reported path."""
    style = PATH_STYLES[route.path_confidence]
    if not style.band:
        return
    color = MODE_STYLES[route.mode].color if focus else MUTED_ROUTE
    ax.add_artist(PathPatch(lines_path(parts), fill=False, edgecolor=color,
                            linewidth=band_width_points(route, scale, focus=focus),
                            alpha=style.band_opacity, zorder=Z["bands"], capstyle="round",
                            joinstyle="round", gid=f"band:{route.feature_id}"))


def focus_width_points(route: RouteLine, scale: float) -> float:
    """Return the stroke width, points, of a leg drawn in full colour (never under
    FOCUS_MIN_PT, so a dotted estimate still reads as a line on its own slide)."""
    width = route.width * CONFIDENCE_STYLES[route.confidence].width_factor * SLIDE_WIDTH_PT
    return max(width, FOCUS_MIN_PT) * scale


def _draw_focus_route(ax: Axes, route: RouteLine, parts: list[np.ndarray], scale: float) -> None:
    """Draw a leg in its mode's colour and confidence's dashes over a solid white casing.

    The casing is its own solid line (a path effect would be dashed like the line), so a
    dotted leg stays legible over the grey of another transfer on the same track.
    """
    mode, conf = MODE_STYLES[route.mode], CONFIDENCE_STYLES[route.confidence]
    width = focus_width_points(route, scale)
    path = lines_path(parts)
    ax.add_artist(PathPatch(path, fill=False, edgecolor="white", linewidth=width + HALO_PT * scale,
                            alpha=0.95, zorder=Z["halos"], capstyle="round", joinstyle="round",
                            gid=f"halo:{route.feature_id}"))
    dashes = (0, conf.dash) if conf.dash else "solid"
    ax.add_artist(PathPatch(path, fill=False, edgecolor=mode.color, linewidth=width,
                            linestyle=dashes, alpha=conf.opacity, zorder=Z["routes"],
                            capstyle="butt", joinstyle="round", gid=f"leg:{route.feature_id}"))


def arrow_points(parts: Sequence[np.ndarray], *, spacing: float) -> list[tuple[float, float, float]]:
    """Return (x, y, heading in degrees) for arrowheads along a line, evenly spaced.

    One arrow sits in the middle of a short line; longer lines get one per ``spacing`` units,
    centred. Headings are anticlockwise from the +x axis, in the line's direction of travel.
    """
    out = []
    for xy in parts:
        seg = np.hypot(*np.diff(xy, axis=0).T)
        total = float(seg.sum())
        if total <= 0:
            continue
        n = max(1, int(total // spacing))
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        for k in range(n):
            at = total * (k + 0.5) / n
            i = int(np.clip(np.searchsorted(cum, at) - 1, 0, len(seg) - 1))
            t = (at - cum[i]) / seg[i] if seg[i] else 0.0
            (x0, y0), (x1, y1) = xy[i], xy[i + 1]
            out.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0),
                        math.degrees(math.atan2(y1 - y0, x1 - x0))))
    return out


def _draw_arrow(ax: Axes, route: RouteLine, x: float, y: float, heading: float,
                scale: float) -> None:
    color = MODE_STYLES[route.mode].color
    size = (5.5 + 1.5 * route.width * SLIDE_WIDTH_PT) * scale
    ax.add_line(Line2D([x], [y], marker=(3, 0, heading - 90.0), markersize=size,
                       markerfacecolor=color, markeredgecolor="white",
                       markeredgewidth=0.8 * scale, linestyle="none", zorder=Z["arrows"],
                       gid=f"arrow:{route.feature_id}"))


def draw_places(ax: Axes, places: Sequence[tuple[PlaceMark, float, float]], *,
                scale: float) -> None:
    """Draw place markers by kind from the style table (``places``: mark, x, y)."""
    for mark, x, y in places:
        st = PLACE_STYLES[mark.kind]
        ax.add_line(Line2D([x], [y], marker=st.marker, markersize=st.size * scale,
                           markerfacecolor=st.fill, markeredgecolor=st.edge,
                           markeredgewidth=1.2 * scale, linestyle="none",
                           zorder=place_zorder(mark.kind), gid=f"place:{mark.place_id}"))


def place_zorder(kind: str) -> float:
    """Return the drawing order of a place marker: depots and ports above junction dots."""
    return Z["places"] + 0.01 * PLACE_STYLES.get(kind, PLACE_STYLES["other"]).rank


def marker_radius_points(kind: str, scale: float) -> float:
    """Return the half-size of a place marker in points, edge included."""
    return (PLACE_STYLES[kind].size / 2.0 + 0.6) * scale
