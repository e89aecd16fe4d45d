"""Rail and road legs: stops snapped to the network, routed through their vias, checked."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString

from routemap.errors import UnroutableLegError
from routemap.geo.network import EARTH_RADIUS_KM, Network, to_unit_vectors
from routemap.routes import qa
from routemap.routes.geodesy import densify, to_lonlat_geometry
from routemap.routes.graph import Path, Snap, allowed_nodes, shortest_path, snap
from routemap.routes.hierarchy import load_index
from routemap.routes.leg import LegRequest, RoutedLeg

__all__ = ["LegOptions", "route_leg"]


@dataclass(frozen=True)
class LegOptions:
    """How rail and road legs are snapped, drawn and checked (km)."""

    snap_warn_km: float = qa.SNAP_WARNING_KM
    outside_warn_km: float = qa.OUTSIDE_WARNING_KM
    draw_step_km: float = 25.0


def _snap_stops(
    network: Network, request: LegRequest, allowed: np.ndarray | None, options: LegOptions
) -> list[Snap]:
    """Snap every stop, all onto one connected component (the one nearest them in total).

    Raises
    ------
    UnroutableLegError
        If a stop's nearest allowed node is much farther than its nearest node: the stop lies
        in a country the leg may not use.
    """
    snaps = [snap(network, s.lon, s.lat, eligible=allowed) for s in request.stops]
    if allowed is not None:
        for s, found in zip(request.stops, snaps, strict=False):
            free = snap(network, s.lon, s.lat)
            if found.km > free.km + options.snap_warn_km:
                raise UnroutableLegError(
                    f"{s.name} lies in a country the leg may not use (nearest allowed "
                    f"{request.mode} node {found.km:.0f} km away, nearest node {free.km:.0f} km)"
                )
    component = load_index(network).node_component()
    labels = {int(component[s.node]) for s in snaps}
    if len(labels) == 1:
        return snaps
    choices = []
    for label in sorted(labels):
        eligible = component == label if allowed is None else allowed & (component == label)
        option = [snap(network, s.lon, s.lat, eligible=eligible) for s in request.stops]
        if all(o.km <= s.km + options.snap_warn_km for o, s in zip(option, snaps, strict=False)):
            choices.append((sum(o.km for o in option), option))
    if not choices:
        raise UnroutableLegError("the stops lie on parts of the network that do not connect")
    return min(choices, key=lambda c: c[0])[1]


def route_leg(
    request: LegRequest,
    network: Network,
    *,
    options: LegOptions = LegOptions(),
    countries: object | None = None,
) -> RoutedLeg:
    """Route a rail or road leg on a network, honouring ``within``, ``avoid`` and ``via``.

    One router serves both modes: the network brings its name and attribution, the request its
    mode (the noun in messages and findings).

    Parameters
    ----------
    request : LegRequest
        The leg; ``stops`` are from, via..., to; ``within`` already has the scenario default.
    network : Network
        The network to route on: the bundled world rail or road network
        (:func:`routemap.geo.network.load_rail_network`, ``load_road_network``) or a user's
        extract (:func:`routemap.routes.osm.network_from_osm_xml`).
    options : LegOptions
        Snap, QA and drawing thresholds.
    countries : geopandas.GeoDataFrame, optional
        Country polygons for the ``km_outside_within`` check; default Natural Earth 10m
        (read only when the leg has ``within`` or ``avoid``).

    Returns
    -------
    RoutedLeg
        Routed geometry, network length plus the two end connectors, snaps and findings.

    Raises
    ------
    UnroutableLegError
        If the network (under the constraints) cannot connect the stops; the message starts
        with ``request.label``.
    """
    if len(request.stops) < 2:
        raise UnroutableLegError(f"{request.label}: a leg needs at least two stops")
    allowed = allowed_nodes(network, within=request.within, avoid=request.avoid)
    try:
        snaps = _snap_stops(network, request, allowed, options)
        paths = [shortest_path(network, a.node, b.node, allowed=allowed)
                 for a, b in itertools.pairwise(snaps)]
    except UnroutableLegError as exc:
        raise UnroutableLegError(f"{request.label}: {_explain(request)}: {exc}") from exc
    geometry = _geometry(network, request, snaps, paths, options)
    connectors = _connectors(network, request, snaps)
    km = sum(p.km for p in paths) + snaps[0].km + snaps[-1].km
    findings = qa.snap_findings(request, [s.km for s in snaps], warn_km=options.snap_warn_km)
    findings += qa.country_findings(request, geometry, countries, warn_km=options.outside_warn_km)
    return RoutedLeg(geometry=geometry, distance_km=float(km), geometry_kind="routed",
                     snap_km=tuple(round(s.km, 3) for s in snaps), network=network.label,
                     attribution=network.attribution, findings=tuple(findings),
                     connectors=connectors, off_network_km=float(snaps[0].km + snaps[-1].km))


def _connectors(network: Network, request: LegRequest, snaps: list[Snap]) -> tuple[LineString, ...]:
    """Return the straight joins from the first and last stop to where they meet the network
    (none for a stop on the network)."""
    out = []
    for stop, s, outward in ((request.stops[0], snaps[0], True), (request.stops[-1], snaps[-1], False)):
        if s.km <= 0.0:
            continue
        ends = [(stop.lon, stop.lat), (float(network.lon[s.node]), float(network.lat[s.node]))]
        out.append(LineString(ends if outward else ends[::-1]))
    return tuple(out)


def _explain(request: LegRequest) -> str:
    rules = []
    if request.within is not None:
        rules.append(f"within {', '.join(request.within)}")
    if request.avoid:
        rules.append(f"avoiding {', '.join(request.avoid)}")
    names = " -> ".join(s.name for s in request.stops)
    suffix = f" ({'; '.join(rules)})" if rules else ""
    return f"the {request.mode} network cannot connect {names}{suffix}"


def _geometry(
    network: Network, request: LegRequest, snaps: list[Snap], paths: list[Path],
    options: LegOptions,
) -> object:
    nodes = np.concatenate([paths[0].nodes, *(p.nodes[1:] for p in paths[1:])])
    first, last = request.stops[0], request.stops[-1]
    lon = np.concatenate([[first.lon], network.lon[nodes], [last.lon]])
    lat = np.concatenate([[first.lat], network.lat[nodes], [last.lat]])
    coords = _drop_repeats(lon, lat)
    xyz = to_unit_vectors(coords[:, 0], coords[:, 1])
    longest = np.linalg.norm(np.diff(xyz, axis=0), axis=1).max(initial=0.0) * EARTH_RADIUS_KM
    points = [tuple(c) for c in coords.tolist()]
    if longest > options.draw_step_km:
        points = densify(points, step_km=options.draw_step_km)
    if len(points) < 2:
        points = [points[0], points[0]]
    return to_lonlat_geometry(points)


def _drop_repeats(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    keep = np.ones(lon.size, dtype=bool)
    keep[1:] = (np.diff(lon) != 0) | (np.diff(lat) != 0)
    return np.column_stack([lon[keep], lat[keep]])
