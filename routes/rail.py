"""Rail legs: routed along the world rail network or a user's OpenStreetMap extract."""

from __future__ import annotations

from routemap.geo.network import Network, load_rail_network
from routemap.routes import graph
from routemap.routes.leg import LegRequest, RoutedLeg

__all__ = ["RAIL_OPTIONS", "route_leg"]

RAIL_OPTIONS = graph.LegOptions(mode="rail", snap_warn_km=10.0)


def route_leg(request: LegRequest, network: Network | None = None) -> RoutedLeg:
    """Route a rail leg, honouring its ``via``, ``within`` and ``avoid``.

    Parameters
    ----------
    request : LegRequest
        The leg (``within`` already carries the scenario default).
    network : Network, optional
        The rail network; default the bundled world network (:func:`routemap.geo.network.load_rail_network`).

    Returns
    -------
    RoutedLeg
        Geometry along the track, its length, snap distances and QA findings.

    Raises
    ------
    UnroutableLegError
        If the rail network cannot connect the stops under the constraints.
    """
    return graph.route_leg(request, network or load_rail_network(), options=RAIL_OPTIONS)
