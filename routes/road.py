"""Road legs: routed along the world road network or a user's OpenStreetMap extract."""

from __future__ import annotations

from routemap.geo.network import Network, load_road_network
from routemap.routes import graph
from routemap.routes.leg import LegRequest, RoutedLeg

__all__ = ["ROAD_OPTIONS", "route_leg"]

ROAD_OPTIONS = graph.LegOptions(mode="road", snap_warn_km=10.0)


def route_leg(request: LegRequest, network: Network | None = None) -> RoutedLeg:
    """Route a road leg, honouring its ``via``, ``within`` and ``avoid``.

    Parameters
    ----------
    request : LegRequest
        The leg (``within`` already carries the scenario default).
    network : Network, optional
        The road network; default the bundled world network (:func:`routemap.geo.network.load_road_network`).

    Returns
    -------
    RoutedLeg
        Geometry along the road, its length, snap distances and QA findings.

    Raises
    ------
    UnroutableLegError
        If the road network cannot connect the stops under the constraints.
    """
    return graph.route_leg(request, network or load_road_network(), options=ROAD_OPTIONS)
