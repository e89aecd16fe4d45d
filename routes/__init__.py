"""routes: legs become routed geometry with distances, sources and QA findings."""

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
