"""What a mode router is asked (LegRequest) and what it answers (RoutedLeg)."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

__all__ = ["GEOMETRY_KINDS", "Finding", "LegRequest", "RoutedLeg", "Stop"]

GEOMETRY_KINDS: tuple[str, ...] = ("routed", "reported", "great_circle")


@dataclass(frozen=True)
class Stop:
    """A point the route must pass: the leg's ends and its ``via`` places, in order."""

    place_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class LegRequest:
    """One leg to route.

    Attributes
    ----------
    mode : str
        ``sea``, ``rail``, ``road`` or ``air``.
    stops : tuple of Stop
        ``from``, then each ``via`` in order, then ``to``.
    within : tuple of str or None
        ISO2 codes the route must stay inside (rail/road), after the SCENARIO.md default is
        applied; ``None`` means unconstrained.
    avoid : tuple of str
        Rail/road: ISO2 codes never entered. Sea: passage names never used.
    label : str
        Names the leg in messages, e.g. ``transfer 'najin-dunai' leg 2 (rail)``.
    """

    mode: str
    stops: tuple[Stop, ...]
    within: tuple[str, ...] | None = None
    avoid: tuple[str, ...] = ()
    label: str = "leg"


@dataclass(frozen=True)
class Finding:
    """A QA observation about one routed leg (``routemap check`` prints them).

    ``level`` is ``info``, ``warning`` or ``error``; ``code`` is a stable slug such as
    ``snap_distance``, ``km_over_land``, ``km_inland_waterway``, ``km_outside_within``,
    ``km_in_avoided``, ``countries_crossed``, ``via_missed``, ``speed``, ``detour``.
    """

    level: str
    code: str
    message: str
    value: float | None = None


@dataclass(frozen=True)
class RoutedLeg:
    """A leg turned into geometry.

    Attributes
    ----------
    geometry : shapely LineString or MultiLineString
        Lon/lat (EPSG:4326), densified enough to draw; a MultiLineString when split at the
        antimeridian.
    distance_km : float
        True length along the network (or the geodesic length for great circles and paths).
    geometry_kind : str
        ``routed``, ``reported`` (drawn through a reported ``path``) or ``great_circle``.
    snap_km : tuple of float
        Distance from each stop to where it joined the network, same order as the stops.
    network : str
        Names the network and its version, e.g. ``world_railways (scgraph_data 2.0.0)``.
    attribution : str
        The data licence line that must travel with the geometry.
    findings : tuple of Finding
        QA observations made while routing.
    connectors : tuple of LineString
        Lon/lat stretches of ``geometry`` that are not on the network: the first and last
        stops' straight joins to where they meet it (or the whole line, when every stop meets
        it at one point). Renderers draw them as connectors, never as track.
    off_network_km : float
        Their total great-circle length, km (part of ``distance_km``).
    """

    geometry: BaseGeometry
    distance_km: float
    geometry_kind: str
    snap_km: tuple[float, ...] = ()
    network: str = ""
    attribution: str = ""
    findings: tuple[Finding, ...] = field(default=())
    connectors: tuple[LineString, ...] = field(default=())
    off_network_km: float = 0.0
