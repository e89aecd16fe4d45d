"""The slides' locator globe: land around the map's centre on a disc, the map's outline red.

What the globe shows of the world (its land, clipped to the disc and simplified to the
inset's pixels, and its graticule) depends only on the map's centre, the radius shown and the
inset's width in pixels, so it is made once per process for each of those: the slides of a
build drawn in several languages, or several slides around one place, share it. The map's
outline, which each frame has its own, is drawn afresh.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.patches import Circle, PathPatch, Polygon
from pyproj import Geod

from routemap.geo.countries import load_countries
from routemap.maps.projection import MapFrame
from routemap.maps.slides.layers import lines_path, polygon_path
from routemap.maps.style import BASEMAP_STYLE

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_inset"]

_GEOD = Geod(ellps="WGS84")


@functools.lru_cache(maxsize=1)
def _world_parts() -> tuple[np.ndarray, np.ndarray]:
    """Return simplified world land polygons and their centroids (to cull the far side)."""
    countries = load_countries()
    parts = shapely.get_parts(shapely.simplify(countries.geometry.values, 0.08))
    parts = parts[~shapely.is_empty(parts) & (shapely.area(parts) > 0.02)]
    return parts, shapely.get_coordinates(shapely.centroid(parts))


def _angular_km(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    _, _, dist = _GEOD.inv(np.full(len(lon), lon0), np.full(len(lon), lat0), lon, lat)
    return np.asarray(dist) / 1000.0


def draw_inset(ax: Axes, frame: MapFrame, *, scale: float, radius_km: float) -> None:
    """Draw a locator globe: land within ``radius_km`` of the map centre, the map's outline red.

    The globe is an azimuthal equal-area projection centred on the map, clipped to a disc.
    """
    cx, cy = frame.center
    lon0, lat0 = (float(v[0]) for v in frame.inverse(np.array([cx]), np.array([cy])))
    inset, r_proj, land, graticule = _globe(lon0, lat0, radius_km, float(ax.bbox.width))
    ax.set_xlim(-r_proj * 1.02, r_proj * 1.02)
    ax.set_ylim(-r_proj * 1.02, r_proj * 1.02)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.add_artist(Circle((0, 0), r_proj, facecolor=BASEMAP_STYLE.sea,
                        edgecolor=BASEMAP_STYLE.muted_text, linewidth=0.8 * scale, zorder=0))
    if land is not None:
        ax.add_artist(PathPatch(polygon_path(land), facecolor="#CFCBC2", edgecolor="none",
                                zorder=1))
    ax.add_artist(PathPatch(lines_path(graticule), fill=False, edgecolor="white",
                           linewidth=0.5 * scale, alpha=0.9, zorder=2))
    _draw_frame_outline(ax, frame, inset, r_proj, scale)


@functools.lru_cache(maxsize=64)
def _globe(lon0: float, lat0: float, radius_km: float, width_px: float
           ) -> tuple[MapFrame, float, shapely.MultiPolygon | None, tuple[np.ndarray, ...]]:
    """Return the globe's projection, its disc's radius (projected metres), its land (None
    where the disc shows none) and its graticule's pieces, for a centre, a radius shown and an
    inset width in pixels. Shared between calls: nothing returned is changed by a caller."""
    inset = MapFrame(f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m",
                     -1, -1, 1, 1)
    r_proj = 2 * 6371_000.0 * math.sin(min(radius_km / 6371.0, math.pi / 2) / 2)
    parts, cents = _world_parts()
    near = _angular_km(lon0, lat0, cents[:, 0], cents[:, 1]) < radius_km + 3000.0
    world = _project_geoms(parts[near], inset)
    disc = shapely.Point(0, 0).buffer(r_proj, 128)
    clipped = shapely.intersection(shapely.make_valid(world), disc)
    clipped = shapely.simplify(clipped, 2.0 * r_proj / max(width_px, 1.0))
    polys = [g for g in shapely.get_parts(clipped) if g.geom_type == "Polygon"]
    land = shapely.multipolygons(polys) if polys else None
    return inset, r_proj, land, _graticule(inset, disc)


def _project_geoms(geoms: np.ndarray, frame: MapFrame) -> np.ndarray:
    def forward(coords: np.ndarray) -> np.ndarray:
        x, y = frame.forward(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    out = shapely.transform(geoms, forward)
    finite = np.isfinite(shapely.bounds(out)).all(axis=1)
    return out[finite]


def _graticule(inset: MapFrame, disc: shapely.Polygon) -> tuple[np.ndarray, ...]:
    """Return the pieces of the 30-degree graticule inside the disc, projected."""
    lines = []
    for lon in range(-180, 180, 30):
        lat = np.linspace(-80, 80, 161)
        lines.append(np.column_stack(inset.forward(np.full_like(lat, lon), lat)))
    for lat in range(-60, 90, 30):
        lon = np.linspace(-180, 180, 361)
        lines.append(np.column_stack(inset.forward(lon, np.full_like(lon, lat))))
    geoms = shapely.intersection(
        np.array([shapely.LineString(ln[np.isfinite(ln).all(axis=1)]) for ln in lines]), disc)
    parts = [np.asarray(g.coords) for g in shapely.get_parts(geoms) if not g.is_empty]
    for part in parts:
        part.flags.writeable = False
    return tuple(parts)


def _draw_frame_outline(ax: Axes, frame: MapFrame, inset: MapFrame, r_proj: float,
                        scale: float) -> None:
    t = np.linspace(0, 1, 40)
    xs = np.concatenate([frame.xmin + frame.width * t, np.full(40, frame.xmax),
                         frame.xmax - frame.width * t, np.full(40, frame.xmin)])
    ys = np.concatenate([np.full(40, frame.ymin), frame.ymin + frame.height * t,
                         np.full(40, frame.ymax), frame.ymax - frame.height * t])
    lon, lat = frame.inverse(xs, ys)
    ix, iy = inset.forward(lon, lat)
    accent = BASEMAP_STYLE.accent
    if max(np.ptp(ix), np.ptp(iy)) < r_proj * 0.06:
        ax.add_artist(Circle((float(np.mean(ix)), float(np.mean(iy))), r_proj * 0.05,
                            facecolor="none", edgecolor=accent, linewidth=1.6 * scale, zorder=3))
        return
    ax.add_artist(Polygon(np.column_stack([ix, iy]), closed=True, facecolor=accent,
                         alpha=0.12, edgecolor="none", zorder=3))
    ax.add_artist(Polygon(np.column_stack([ix, iy]), closed=True, facecolor="none",
                         edgecolor=accent, linewidth=1.4 * scale, zorder=3, gid="inset-frame"))
