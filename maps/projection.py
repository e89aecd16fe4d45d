"""Map frames: a conformal projection fitted to an extent, and the geodesy that makes it honest."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from pyproj import Geod, Transformer

__all__ = [
    "MapFrame",
    "fit_frame",
    "fit_projection",
    "frame_around",
    "km_per_unit",
    "lonlat_bounds",
    "north_angle",
]

_GEOD = Geod(ellps="WGS84")
_WGS84 = "EPSG:4326"


@dataclass(frozen=True)
class MapFrame:
    """A projected, rectangular view: a PROJ string and its extent in projected metres.

    Attributes
    ----------
    proj : str
        The PROJ definition of the map's projection (metres, WGS 84).
    xmin, ymin, xmax, ymax : float
        The visible extent, in projected metres.
    """

    proj: str
    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def width(self) -> float:
        """Return the width of the extent in projected metres."""
        return self.xmax - self.xmin

    @property
    def height(self) -> float:
        """Return the height of the extent in projected metres."""
        return self.ymax - self.ymin

    @property
    def center(self) -> tuple[float, float]:
        """Return the centre of the extent in projected metres."""
        return (self.xmin + self.xmax) / 2.0, (self.ymin + self.ymax) / 2.0

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat degrees to map metres."""
        x, y = _transformer(_WGS84, self.proj).transform(np.asarray(lon), np.asarray(lat))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def inverse(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Unproject map metres to lon/lat degrees."""
        lon, lat = _transformer(self.proj, _WGS84).transform(np.asarray(x), np.asarray(y))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def with_extent(self, xmin: float, ymin: float, xmax: float, ymax: float) -> MapFrame:
        """Return the same projection with another extent."""
        return MapFrame(self.proj, xmin, ymin, xmax, ymax)


@functools.lru_cache(maxsize=32)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _central_lon(lon: np.ndarray) -> float:
    """Return the circular mean of longitudes, so extents across 180 degrees stay whole."""
    rad = np.radians(lon)
    return float(np.degrees(np.arctan2(np.sin(rad).mean(), np.cos(rad).mean())))


def fit_projection(lon: np.ndarray, lat: np.ndarray) -> str:
    """Return a conformal projection fitted to points: Lambert conformal conic, else Mercator.

    The cone's standard parallels sit at one sixth and five sixths of the latitude range
    (Kavraisky's rule), so scale error is spread evenly over the map. Extents that reach the
    equator get a Mercator projection centred on them, where a cone degenerates.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Degrees; longitudes may be split at the antimeridian.

    Returns
    -------
    str
        A PROJ definition in metres on WGS 84.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    lon_0 = _central_lon(lon)
    south, north = float(lat.min()), float(lat.max())
    if south <= 5.0 <= north or -5.0 <= south <= 5.0 or -5.0 <= north <= 5.0:
        return f"+proj=merc +lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs"
    span = max(north - south, 2.0)
    mid = (south + north) / 2.0
    lat_1, lat_2 = mid - span / 3.0, mid + span / 3.0
    if lat_1 * lat_2 <= 0.0:
        lat_1, lat_2 = (mid, mid + span / 3.0) if mid > 0 else (mid - span / 3.0, mid)
    return (
        f"+proj=lcc +lat_1={lat_1:.4f} +lat_2={lat_2:.4f} +lat_0={mid:.4f} "
        f"+lon_0={lon_0:.4f} +datum=WGS84 +units=m +no_defs"
    )


def frame_around(
    proj: str, x: np.ndarray, y: np.ndarray, *, aspect: float, margin: float = 0.08,
    min_span_m: float = 150_000.0,
) -> MapFrame:
    """Return the smallest extent of a given aspect holding projected points, with a margin.

    Parameters
    ----------
    proj : str
        The PROJ definition the points are in.
    x, y : numpy.ndarray
        Projected points that must be visible.
    aspect : float
        Width over height of the extent.
    margin : float
        Fraction of the span added on every side.
    min_span_m : float
        The extent is never narrower or lower than this.

    Returns
    -------
    MapFrame
    """
    cx = (float(np.min(x)) + float(np.max(x))) / 2.0
    cy = (float(np.min(y)) + float(np.max(y))) / 2.0
    w = max(float(np.ptp(x)) * (1.0 + 2.0 * margin), min_span_m)
    h = max(float(np.ptp(y)) * (1.0 + 2.0 * margin), min_span_m)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return MapFrame(proj, cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)


def fit_frame(
    lon: np.ndarray, lat: np.ndarray, *, aspect: float, margin: float = 0.08,
    min_span_m: float = 150_000.0,
) -> MapFrame:
    """Return a frame with a projection fitted to lon/lat points and an extent holding them.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Degrees; every point must be visible.
    aspect : float
        Width over height of the map.
    margin : float
        Fraction of the span added on every side.
    min_span_m : float
        The extent is never narrower or lower than this.

    Returns
    -------
    MapFrame
    """
    proj = fit_projection(lon, lat)
    probe = MapFrame(proj, 0.0, 0.0, 1.0, 1.0)
    x, y = probe.forward(lon, lat)
    return frame_around(proj, x, y, aspect=aspect, margin=margin, min_span_m=min_span_m)


def km_per_unit(frame: MapFrame, x: float, y: float, *, probe_km: float = 10.0) -> float:
    """Return ground kilometres per projected metre at a map point (conformal: any direction).

    The ratio comes from a geodesic of ``probe_km`` laid east from the point, so a scale bar
    drawn with it is true at that point.
    """
    lon, lat = frame.inverse(np.array([x]), np.array([y]))
    lon2, lat2, _ = _GEOD.fwd(lon[0], lat[0], 90.0, probe_km * 1000.0)
    x2, y2 = frame.forward(np.array([lon2]), np.array([lat2]))
    return probe_km / math.hypot(float(x2[0]) - x, float(y2[0]) - y)


def north_angle(frame: MapFrame, x: float, y: float) -> float:
    """Return the direction of true north at a map point, in degrees anticlockwise from map up."""
    lon, lat = frame.inverse(np.array([x]), np.array([y]))
    lon2, lat2, _ = _GEOD.fwd(lon[0], lat[0], 0.0, 1000.0)
    x2, y2 = frame.forward(np.array([lon2]), np.array([lat2]))
    return math.degrees(math.atan2(-(float(x2[0]) - x), float(y2[0]) - y))


def lonlat_bounds(frame: MapFrame, *, pad: float = 0.05, samples: int = 64) -> tuple[
    float, float, float, float
]:
    """Return (west, south, east, north) degrees covering the frame, padded by a fraction.

    The west/east bounds are unwrapped around the projection's central meridian, so they may
    leave [-180, 180] where the frame crosses the antimeridian.
    """
    px, py = frame.width * pad, frame.height * pad
    t = np.linspace(0.0, 1.0, samples)
    x0, x1, y0, y1 = frame.xmin - px, frame.xmax + px, frame.ymin - py, frame.ymax + py
    xs = np.concatenate([x0 + (x1 - x0) * t, np.full(samples, x1), x1 - (x1 - x0) * t,
                         np.full(samples, x0)])
    ys = np.concatenate([np.full(samples, y0), y0 + (y1 - y0) * t, np.full(samples, y1),
                         y1 - (y1 - y0) * t])
    lon, lat = frame.inverse(xs, ys)
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon_0 = _proj_lon0(frame.proj)
    rel = (lon[ok] - lon_0 + 180.0) % 360.0 - 180.0
    south, north = float(lat[ok].min()), float(lat[ok].max())
    if _contains_pole(frame, +1):
        return -180.0, south, 180.0, 90.0
    if _contains_pole(frame, -1):
        return -180.0, -90.0, 180.0, north
    return lon_0 + float(rel.min()), south, lon_0 + float(rel.max()), north


def _proj_lon0(proj: str) -> float:
    for part in proj.split():
        if part.startswith("+lon_0="):
            return float(part.split("=", 1)[1])
    return 0.0


def _contains_pole(frame: MapFrame, sign: int) -> bool:
    x, y = frame.forward(np.array([0.0]), np.array([89.999 * sign]))
    if not (np.isfinite(x[0]) and np.isfinite(y[0])):
        return False
    return frame.xmin <= x[0] <= frame.xmax and frame.ymin <= y[0] <= frame.ymax
