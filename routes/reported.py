"""Reported geometry: a leg drawn exactly through the points a source gives, never routed."""

from __future__ import annotations

from collections.abc import Sequence

from routemap.routes.geodesy import densified, geodesic_length_km, to_lonlat_geometry
from routemap.routes.leg import LegRequest, RoutedLeg

__all__ = ["route_reported"]


def route_reported(request: LegRequest, path: Sequence[tuple[float, float]]) -> RoutedLeg:
    """Draw a leg through its reported ``path`` (lat, lon pairs), joined to its ends.

    The line runs from the leg's first stop through every path point to its last stop; an end
    that coincides with the first or last path point is not repeated. Segments are densified
    along geodesics so that long hops curve as they should on any projection.

    Parameters
    ----------
    request : LegRequest
        The leg (only its first and last stops are used).
    path : sequence of (lat, lon)
        The reported points, in order.

    Returns
    -------
    RoutedLeg
        ``geometry_kind='reported'``, ``distance_km`` measured on the ellipsoid.
    """
    first, last = request.stops[0], request.stops[-1]
    points = [(lon, lat) for lat, lon in path]
    if _far((first.lon, first.lat), points[0]):
        points.insert(0, (first.lon, first.lat))
    if _far((last.lon, last.lat), points[-1]):
        points.append((last.lon, last.lat))
    line = densified(points, step_km=25.0)
    return RoutedLeg(
        geometry=to_lonlat_geometry(line),
        distance_km=geodesic_length_km(line),
        geometry_kind="reported",
        snap_km=tuple(0.0 for _ in request.stops),
        network="reported path",
    )


def _far(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > 1e-6 or abs(a[1] - b[1]) > 1e-6
