"""routes: legs become routed geometry with distances, sources and QA findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.lazy import lazy_exports

if TYPE_CHECKING:
    from routes.builder import build, default_routers, leg_request
    from routes.leg import Finding, LegRequest, RoutedLeg, Stop
    from routes.routeset import LegFinding, RouteSet

__all__ = [
    "Finding",
    "LegFinding",
    "LegRequest",
    "RouteSet",
    "RoutedLeg",
    "Stop",
    "build",
    "default_routers",
    "leg_request",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["build", "default_routers", "leg_request"], "routes.builder"),
    **dict.fromkeys(["Finding", "LegRequest", "RoutedLeg", "Stop"], "routes.leg"),
    **dict.fromkeys(["LegFinding", "RouteSet"], "routes.routeset"),
})
