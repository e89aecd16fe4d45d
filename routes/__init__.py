"""routemap.routes: legs become routed geometry with distances, sources and QA findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from routemap.lazy import lazy_exports

if TYPE_CHECKING:
    from routemap.routes.builder import build, default_routers, leg_request
    from routemap.routes.leg import Finding, LegRequest, RoutedLeg, Stop
    from routemap.routes.routeset import LegFinding, RouteSet

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
    **dict.fromkeys(["build", "default_routers", "leg_request"], "routemap.routes.builder"),
    **dict.fromkeys(["Finding", "LegRequest", "RoutedLeg", "Stop"], "routemap.routes.leg"),
    **dict.fromkeys(["LegFinding", "RouteSet"], "routemap.routes.routeset"),
})
