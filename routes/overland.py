"""Rail and road legs: stops snapped to the network, routed through their vias, checked."""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass

import numpy as np
from shapely.geometry import LineString

from routemap.errors import UnroutableLegError
from routemap.geo.network import EARTH_RADIUS_KM, Network, to_unit_vectors
from routemap.routes import qa
from routemap.routes.geodesy import densified, geodesic_length_km, to_lonlat_geometry
from routemap.routes.graph import EdgeSnap, Path, allowed_nodes, path_between, snap_to_edge
from routemap.routes.junctions import load_index
from routemap.routes.leg import LegRequest, RoutedLeg, Stop

__all__ = ["ON_NETWORK_KM", "LegOptions", "check_leg", "route_leg"]

#: A stop nearer the network than this (km) is on it: no connector is drawn or counted.
ON_NETWORK_KM = 0.001


@dataclass(frozen=True)
class LegOptions:
    """How rail and road legs are snapped, drawn and checked (km)."""

    snap_warn_km: float = qa.SNAP_WARNING_KM
    outside_warn_km: float = qa.OUTSIDE_WARNING_KM
    draw_step_km: float = 25.0


#: Per network, the stops' snaps by their coordinates, constraints and threshold: the cheap
#: pass (:func:`check_leg`) snaps a leg's stops and routing takes them from here.
_SNAPS: weakref.WeakKeyDictionary[Network, dict[tuple, list[EdgeSnap]]] = weakref.WeakKeyDictionary()
_SNAPS_KEPT = 4096
#: Per network, each stop's nearest edge by its coordinates and the leg's constraints.
_POINT_SNAPS: weakref.WeakKeyDictionary[Network, dict[tuple, EdgeSnap]] = weakref.WeakKeyDictionary()


def _snap_stops(
    network: Network, request: LegRequest, allowed: np.ndarray | None, options: LegOptions
) -> list[EdgeSnap]:
    """Return :func:`_snap_stops_now`'s snaps, computed once per network, stops and constraints."""
    memo = _SNAPS.setdefault(network, {})
    key = (tuple((s.lon, s.lat) for s in request.stops), request.within, request.avoid,
           options.snap_warn_km)
    found = memo.get(key)
    if found is None:
        found = _snap_stops_now(network, request, allowed, options)
        if len(memo) >= _SNAPS_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = found
    return list(found)


def check_leg(request: LegRequest, network: Network, *, options: LegOptions = LegOptions()) -> None:
    """Find cheaply whether a rail or road leg cannot be routed: its stops cannot join the network.

    The stops are snapped as :func:`route_leg` snaps them (and kept for it): a stop in a country
    the leg may not use, or stops on parts of the network that do not connect, fail here with
    the message routing would give. A leg that passes may still find no path under its
    constraints.

    Parameters
    ----------
    request : LegRequest
        The leg.
    network : Network
        The network it is routed on.
    options : LegOptions
        Snap thresholds, as routing uses them.

    Raises
    ------
    UnroutableLegError
        If the leg cannot be routed; the message starts with ``request.label``.
    """
    if len(request.stops) < 2:
        raise UnroutableLegError(f"{request.label}: a leg needs at least two stops")
    allowed = allowed_nodes(network, within=request.within, avoid=request.avoid)
    try:
        _snap_stops(network, request, allowed, options)
    except UnroutableLegError as exc:
        raise UnroutableLegError(f"{request.label}: {_explain(request)}: {exc}") from exc


def _snap_point(network: Network, stop: Stop, rules: tuple, allowed: np.ndarray | None) -> EdgeSnap:
    """Return a stop's nearest edge under a leg's rules (``(within, avoid)``, which make
    ``allowed``), found once per network, place and rules: many legs share their stops."""
    memo = _POINT_SNAPS.setdefault(network, {})
    key = (stop.lon, stop.lat, *rules)
    found = memo.get(key)
    if found is None:
        found = snap_to_edge(network, stop.lon, stop.lat, eligible=allowed)
        if len(memo) >= _SNAPS_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = found
    return found


def _snap_stops_now(
    network: Network, request: LegRequest, allowed: np.ndarray | None, options: LegOptions
) -> list[EdgeSnap]:
    """Snap every stop to its nearest point on an edge, all on one connected component (the
    one nearest them in total).

    Raises
    ------
    UnroutableLegError
        If a stop's nearest allowed edge is much farther than its nearest edge: the stop lies
        in a country the leg may not use.
    """
    rules = (request.within, request.avoid)
    snaps = [_snap_point(network, s, rules, allowed) for s in request.stops]
    if allowed is not None:
        for s, found in zip(request.stops, snaps, strict=False):
            free = _snap_point(network, s, (None, ()), None)
            if found.km > free.km + options.snap_warn_km:
                raise UnroutableLegError(
                    f"{s.name} lies in a country the leg may not use (nearest allowed "
                    f"{request.mode} line {found.km:.0f} km away, nearest line {free.km:.0f} km)"
                )
    component = load_index(network).node_component()
    labels = {int(component[s.u]) for s in snaps}
    if len(labels) == 1:
        return snaps
    choices = []
    for label in sorted(labels):
        eligible = component == label if allowed is None else allowed & (component == label)
        option = [snap_to_edge(network, s.lon, s.lat, eligible=eligible) for s in request.stops]
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
    mode (the noun in messages and findings). Each stop joins the network at its nearest point
    on an edge (the edge is split there), and the route leaves that point towards whichever end
    of the edge is shorter overall, so it never runs past a stop and comes back. The straight
    stretch from the first or last stop to the network is a connector: part of the geometry
    and of ``distance_km``, listed in ``connectors`` and ``off_network_km``.

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
        Routed geometry, network length plus the two end connectors, the connectors, the
        snaps and findings.

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
        paths = [path_between(network, a, b, allowed=allowed) for a, b in itertools.pairwise(snaps)]
    except UnroutableLegError as exc:
        raise UnroutableLegError(f"{request.label}: {_explain(request)}: {exc}") from exc
    items = _items(snaps, paths)
    saved, touches = _trim_vias(network, items, request, snaps, options.snap_warn_km)
    joins = _joins(request, [_item_lonlat(network, snaps, t) for t in touches])
    network_km = sum(p.km for p in paths) - saved
    lon, lat = _items_lonlat(network, snaps, items)
    if len(_drop_repeats(lon, lat)) > 1:  # else the joins are one point once drawn
        geometry = _geometry(request, lon, lat, joins, options)
        connectors = _connectors(request, snaps, joins, options)
        off_network = joins[0] + joins[-1]
    else:  # every stop joins the network at one point: nothing of the line is on it
        geometry, connectors = _straight(request, options)
        network_km = 0.0
        off_network = geodesic_length_km([(s.lon, s.lat) for s in request.stops])
    findings = qa.snap_findings(request, joins, warn_km=options.snap_warn_km)
    findings += qa.country_findings(request, geometry, countries, warn_km=options.outside_warn_km)
    return RoutedLeg(geometry=geometry, distance_km=float(network_km + off_network),
                     geometry_kind="routed", snap_km=tuple(round(km, 3) for km in joins),
                     network=network.label, attribution=network.attribution,
                     findings=tuple(findings), off_network_km=float(off_network),
                     connectors=connectors)


def _straight(request: LegRequest, options: LegOptions) -> tuple[object, tuple[LineString, ...]]:
    """Return a leg drawn straight through its stops, and that line as its connectors.

    For stops that all join the network at the same point: running out to it and back
    would draw a fold, and no part of the way is known to be on the network.
    """
    geometry = to_lonlat_geometry(densified([(s.lon, s.lat) for s in request.stops],
                                            step_km=options.draw_step_km))
    return geometry, tuple(getattr(geometry, "geoms", [geometry]))


# --- the route as a sequence of stop points and nodes ----------------------------------------

#: One step of a route: a network node ``n >= 0``, or where stop ``i`` joins the network,
#: written ``~i`` (``-1 - i``, so never a node); plain ints keep a long route's list cheap.
Item = int


def _snap_item(i: int) -> Item:
    """Return the item of stop ``i``'s point on the network."""
    return ~i


def _items(snaps: list[EdgeSnap], paths: list[Path]) -> list[Item]:
    """Return the route as items: each stop's point on the network and the nodes between."""
    items: list[Item] = []
    for i, path in enumerate(paths):
        items.append(_snap_item(i))
        items.extend(path.nodes.tolist())
    items.append(_snap_item(len(snaps) - 1))
    return items


def _item_lonlat(network: Network, snaps: list[EdgeSnap], item: Item) -> tuple[float, float]:
    if item >= 0:
        return float(network.lon[item]), float(network.lat[item])
    return snaps[~item].lon, snaps[~item].lat


def _trim_vias(
    network: Network, items: list[Item], request: LegRequest, snaps: list[EdgeSnap],
    warn_km: float,
) -> tuple[float, list[Item]]:
    """Cut the spurs the route runs into only to touch a via and come back out.

    A via whose nearest edge is a siding or a branch beside the line would make the route run
    to its point and straight back. The spur is cut back, step by step, as long as the via
    stays within ``warn_km`` of where the route now passes it (the distance at which a via
    counts as missed); a via at the end of a longer spur is still visited.

    Returns
    -------
    tuple
        The network km cut (``items`` is shortened in place), and the item where the route
        passes each stop.
    """
    touches: list[Item] = [_snap_item(i) for i in range(len(snaps))]
    saved = 0.0
    for i in range(1, len(snaps) - 1):
        stop = (request.stops[i].lon, request.stops[i].lat)
        km, k = _trim_tip(network, items, items.index(_snap_item(i)), stop, snaps, warn_km)
        while 0 < k < len(items) - 1 and items[k] >= 0 and items[k - 1] == items[k + 1]:
            if _km(stop, _item_lonlat(network, snaps, items[k - 1])) > warn_km:
                break
            km += 2.0 * _edge_km(network, items[k - 1], items[k])
            del items[k:k + 2]
            k -= 1
        saved += km
        touches[i] = items[k]
    return saved, touches


def _trim_tip(
    network: Network, items: list[Item], k: int, stop: tuple[float, float],
    snaps: list[EdgeSnap], warn_km: float,
) -> tuple[float, int]:
    """Cut a via's point off when the route reaches it along its edge and leaves the same way.

    Returns the km cut and the index of the item where the route now passes the via.
    """
    s = snaps[~items[k]]
    here = s.km_u
    before, after = _position(items[k - 1], s, snaps), _position(items[k + 1], s, snaps)
    if before is None or after is None:
        return 0.0, k
    if before < here and after < here:
        tip = max(before, after)
    elif before > here and after > here:
        tip = min(before, after)
    else:
        return 0.0, k
    kept = k - 1 if tip == before else k + 1
    if _km(stop, _item_lonlat(network, snaps, items[kept])) > warn_km:
        return 0.0, k
    del items[k]
    k = k - 1 if kept < k else k
    if k > 0 and items[k - 1] == items[k]:  # in and out through the same node: keep it once
        del items[k]
        k -= 1
    elif k + 1 < len(items) and items[k] == items[k + 1]:
        del items[k + 1]
    return 2.0 * abs(here - tip), k


def _position(item: Item, s: EdgeSnap, snaps: list[EdgeSnap]) -> float | None:
    """Return the km along ``s``'s edge (from its ``u``) of an item on that edge, else None."""
    if item >= 0:
        return 0.0 if item == s.u else s.km_u + s.km_v if item == s.v else None
    other = snaps[~item]
    return other.km_u if (other.u, other.v) == (s.u, s.v) else None


def _edge_km(network: Network, a: int, b: int) -> float:
    """Return the length of the network edge between nodes ``a`` and ``b``."""
    lo, hi = int(network.indptr[a]), int(network.indptr[a + 1])
    return float(network.weights[lo:hi][network.indices[lo:hi] == b].min())


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geodesic_length_km([a, b])


def _joins(request: LegRequest, touches: list[tuple[float, float]]) -> list[float]:
    """Return the geodesic km from each stop to where the route passes it (0 when on it)."""
    out = []
    for stop, at in zip(request.stops, touches, strict=False):
        km = geodesic_length_km([(stop.lon, stop.lat), at])
        out.append(km if km >= ON_NETWORK_KM else 0.0)
    return out


def _connectors(
    request: LegRequest, snaps: list[EdgeSnap], joins: list[float], options: LegOptions
) -> tuple[LineString, ...]:
    """Return the straight joins from the first stop to the network and from the network to
    the last stop, as drawn in the leg's geometry (none for a stop on the network)."""
    ends = ((request.stops[0], snaps[0], joins[0], True),
            (request.stops[-1], snaps[-1], joins[-1], False))
    out: list[LineString] = []
    for stop, s, km, outward in ends:
        if km <= 0.0:
            continue
        line = [(stop.lon, stop.lat), (s.lon, s.lat)]
        drawn = densified(line if outward else line[::-1], step_km=options.draw_step_km)
        geometry = to_lonlat_geometry(drawn)
        out.extend(getattr(geometry, "geoms", [geometry]))
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


def _geometry(request: LegRequest, lon: np.ndarray, lat: np.ndarray, joins: list[float],
              options: LegOptions) -> object:
    """Return the drawn line: the first stop's connector, the route's items on the network
    (snap points and nodes, at ``lon``/``lat``), and the last stop's connector."""
    first, last = request.stops[0], request.stops[-1]
    inner = slice(0 if joins[0] > 0.0 else 1, len(lon) if joins[-1] > 0.0 else -1)
    coords = _drop_repeats(np.r_[first.lon, lon[inner], last.lon],
                           np.r_[first.lat, lat[inner], last.lat])
    xyz = to_unit_vectors(coords[:, 0], coords[:, 1])
    longest = np.linalg.norm(np.diff(xyz, axis=0), axis=1).max(initial=0.0) * EARTH_RADIUS_KM
    if longest > options.draw_step_km:
        coords = densified(coords, step_km=options.draw_step_km)
    if len(coords) < 2:
        coords = np.repeat(coords[:1], 2, axis=0)
    return to_lonlat_geometry(coords)


def _items_lonlat(network: Network, snaps: list[EdgeSnap], items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """Return the lon and lat of many items at once (as :func:`_item_lonlat` gives each)."""
    k = np.array(items, dtype=np.int64)
    node = k >= 0
    ends = np.array([(s.lon, s.lat) for s in snaps], dtype=float).reshape(-1, 2)
    at_node, at_snap = np.where(node, k, 0), np.where(node, 0, ~k)
    lon = np.where(node, network.lon[at_node], ends[at_snap, 0] if len(ends) else 0.0)
    lat = np.where(node, network.lat[at_node], ends[at_snap, 1] if len(ends) else 0.0)
    return lon.astype(float), lat.astype(float)


def _drop_repeats(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Drop each point within 1e-9 degrees (0.1 mm) of the one before: a stop on a node."""
    keep = np.ones(lon.size, dtype=bool)
    keep[1:] = (np.abs(np.diff(lon)) > 1e-9) | (np.abs(np.diff(lat)) > 1e-9)
    return np.column_stack([lon[keep], lat[keep]])
