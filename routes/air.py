"""Air legs: great-circle arcs through the stops, densified and split at the antimeridian."""

from __future__ import annotations

from routemap.errors import UnroutableLegError
from routemap.routes.geodesy import densified, geodesic_length_km, to_lonlat_geometry
from routemap.routes.leg import LegRequest, RoutedLeg

__all__ = ["STEP_KM", "route_leg"]

#: Spacing of the points drawn along each arc.
STEP_KM = 25.0


def route_leg(request: LegRequest, network: object = None) -> RoutedLeg:
    """Draw an air leg as great-circle arcs from stop to stop.

    Parameters
    ----------
    request : LegRequest
        Its stops (``from``, each ``via``, ``to``); ``within`` and ``avoid`` do not apply.
    network : object, optional
        Unused; accepted so that every mode router is called the same way.

    Returns
    -------
    RoutedLeg
        ``geometry_kind='great_circle'``, a point every :data:`STEP_KM` at most, split into a
        MultiLineString where it crosses the antimeridian; ``distance_km`` is the geodesic
        length; snap distances are zero and there is no network attribution.

    Raises
    ------
    UnroutableLegError
        If the request has fewer than two stops.
    """
    if len(request.stops) < 2:
        raise UnroutableLegError(f"{request.label}: a leg needs at least two stops")
    coords = densified([(stop.lon, stop.lat) for stop in request.stops], step_km=STEP_KM)
    return RoutedLeg(
        geometry=to_lonlat_geometry(coords),
        distance_km=geodesic_length_km(coords),
        geometry_kind="great_circle",
        snap_km=tuple(0.0 for _ in request.stops),
        network="",
        attribution="",
    )
