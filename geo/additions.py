"""Track a scenario adds to a network: each added line joined to the track it meets."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routemap.geo.model import NetworkAddition
from routemap.geo.network import (
    EARTH_RADIUS_KM,
    EdgeList,
    Network,
    build_network,
    load_rail_network,
    load_road_network,
    node_countries,
    to_unit_vectors,
    undirected_edges,
)

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = [
    "END_JOIN_KM",
    "JUNCTION_KM",
    "STATION_JOIN_KM",
    "AdditionNetworks",
    "TrackPoint",
    "augment",
    "bundled_network",
    "join_problem",
    "length_km",
    "nearest_track",
    "network_edges",
]

END_JOIN_KM = 25.0
"""An added line must start or end this close to the network; an end this close joins it."""
JUNCTION_KM = 5.0
"""An end this close to existing track is the junction: it is placed on the track."""
STATION_JOIN_KM = 2.0
"""A point inside an added line this close to existing track is a station on it: placed on it."""
_CANDIDATE_NODES = 64
_SAME_POINT = 1e-9

CountryLookup = Callable[[np.ndarray, np.ndarray], np.ndarray]
AdditionNetworks = Callable[[str], Network]
"""``networks(mode)``: the network that added track of that mode joins."""


@dataclass(frozen=True)
class TrackPoint:
    """The nearest point on a network's track to a place.

    ``u`` and ``v`` are the edge's nodes, ``fraction`` how far along it from ``u`` (0 to 1),
    ``lon``/``lat`` the point itself and ``km`` its distance from the place.
    """

    u: int
    v: int
    fraction: float
    lon: float
    lat: float
    km: float


def length_km(points: Iterable[tuple[float, float]]) -> float:
    """Return the great-circle length of a line given as ``(lat, lon)`` points, in km."""
    coords = np.array(list(points), dtype=float).reshape(-1, 2)
    if len(coords) < 2:
        return 0.0
    return float(_arc_km(coords[:-1, 1], coords[:-1, 0], coords[1:, 1], coords[1:, 0]).sum())


def _arc_km(lon_a: np.ndarray, lat_a: np.ndarray, lon_b: np.ndarray, lat_b: np.ndarray) -> np.ndarray:
    chord = np.linalg.norm(to_unit_vectors(lon_a, lat_a) - to_unit_vectors(lon_b, lat_b), axis=-1)
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


@functools.lru_cache(maxsize=4)
def _node_tree(network: Network) -> cKDTree:
    from scipy.spatial import cKDTree  # scipy loads only where an addition is snapped (not for check)

    return cKDTree(to_unit_vectors(network.lon, network.lat), balanced_tree=False)


def nearest_track(network: Network, lon: float, lat: float) -> TrackPoint | None:
    """Return the nearest point on the network's edges to a place, or None for an empty network.

    The edges searched are those of the place's nearest nodes; each is treated as straight
    between its two nodes (as routes draw it) in a plane tangent at the place.

    Parameters
    ----------
    network : Network
        The network.
    lon, lat : float
        The place in degrees.

    Returns
    -------
    TrackPoint or None
    """
    if network.n_nodes == 0:
        return None
    k = min(_CANDIDATE_NODES, network.n_nodes)
    _, found = _node_tree(network).query(to_unit_vectors(np.array([lon]), np.array([lat]))[0], k=k)
    nodes = np.atleast_1d(found)
    starts = [np.full(network.indptr[n + 1] - network.indptr[n], n) for n in nodes]
    u = np.concatenate(starts) if starts else np.zeros(0, np.int64)
    v = np.concatenate([network.indices[network.indptr[n]:network.indptr[n + 1]] for n in nodes])
    if u.size == 0:
        best = int(nodes[0])
        km = float(_arc_km(np.array([lon]), np.array([lat]), network.lon[[best]], network.lat[[best]])[0])
        return TrackPoint(best, best, 0.0, float(network.lon[best]), float(network.lat[best]), km)
    return _project(network, u.astype(np.int64), v.astype(np.int64), lon, lat)


def _project(network: Network, u: np.ndarray, v: np.ndarray, lon: float, lat: float) -> TrackPoint:
    """Return the nearest point to (lon, lat) on the segments u-v (local tangent plane, km)."""
    scale = np.cos(np.radians(lat))

    def plane(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        dx = (x - lon + 180.0) % 360.0 - 180.0
        return np.column_stack([dx * scale, y - lat])

    a, b = plane(network.lon[u], network.lat[u]), plane(network.lon[v], network.lat[v])
    ab = b - a
    length2 = (ab ** 2).sum(axis=1)
    t = np.clip(np.divide(-(a * ab).sum(axis=1), length2, out=np.zeros_like(length2),
                          where=length2 > 0), 0.0, 1.0)
    best = int(np.argmin(((a + t[:, None] * ab) ** 2).sum(axis=1)))
    fraction = float(t[best])
    p_lon = float(network.lon[u[best]] + fraction * ((network.lon[v[best]] - network.lon[u[best]] + 180.0)
                                                       % 360.0 - 180.0))
    p_lat = float(network.lat[u[best]] + fraction * (network.lat[v[best]] - network.lat[u[best]]))
    p_lon = (p_lon + 180.0) % 360.0 - 180.0
    km = float(_arc_km(np.array([lon]), np.array([lat]), np.array([p_lon]), np.array([p_lat]))[0])
    return TrackPoint(int(u[best]), int(v[best]), fraction, p_lon, p_lat, km)


def bundled_network(mode: str) -> Network:
    """Return the bundled network of a mode (``rail`` or ``road``), loaded once per process."""
    return load_rail_network() if mode == "rail" else load_road_network()


def join_problem(addition: NetworkAddition, networks: AdditionNetworks | None = None) -> str | None:
    """Return why an added line does not join its network, or None when one end is close enough.

    Parameters
    ----------
    addition : NetworkAddition
        The line.
    networks : callable, optional
        ``networks(mode) -> Network`` (default :func:`bundled_network`).

    Returns
    -------
    str or None
        ``the line does not join the rail network: its start (Dunai) is 41.1 km from the
        nearest track and its end (...) 30.5 km; one end must lie within 25 km of it``.
    """
    network = (networks or bundled_network)(addition.mode)
    distances = []
    for index in (0, -1):
        lat, lon = addition.points[index]
        meet = nearest_track(network, lon, lat)
        km = meet.km if meet is not None else float("inf")
        if km <= END_JOIN_KM:
            return None
        distances.append(km)
    start, end = (_end_name(addition, i) for i in (0, -1))
    return (f"the line does not join the {addition.mode} network: its start ({start}) is "
            f"{distances[0]:.1f} km from the nearest track and its end ({end}) {distances[1]:.1f} km; "
            f"one end must lie within {END_JOIN_KM:g} km of it")


def _end_name(addition: NetworkAddition, index: int) -> str:
    if addition.stations:
        return addition.stations[index].name
    lat, lon = addition.points[index]
    return f"{lat:g}, {lon:g}"


def network_edges(network: Network) -> EdgeList:
    """Return a network's undirected edges (``u < v``) with their lengths in km."""
    rows = np.repeat(np.arange(network.n_nodes, dtype=np.int64), np.diff(network.indptr))
    cols = network.indices.astype(np.int64)
    keep = rows < cols
    return EdgeList(rows[keep], cols[keep], network.weights[keep].astype(float))


def augment(network: Network, additions: Iterable[NetworkAddition], *,
            countries: CountryLookup = node_countries) -> Network:
    """Return a new network: the given one with the scenario's added lines joined to it.

    Each addition becomes a chain of nodes at its points, edges of great-circle length between
    them. A point that lies on existing track is placed there, at the nearest point of the
    nearest edge (the edge split, its length shared in proportion): an end within
    :data:`JUNCTION_KM` (the junction the line leaves from), an inner point within
    :data:`STATION_JOIN_KM` (a station on a line the network has). An end farther away but
    within :data:`END_JOIN_KM` keeps its position and joins the track by a straight edge of its
    distance. A route through a junction so never runs out to the cited position and back.
    Additions are joined in order, so a later one may join an earlier one. The input network is
    not changed; the result has its own checksum (its own routing index).

    Parameters
    ----------
    network : Network
        The base network (its mode should match the additions').
    additions : iterable of NetworkAddition
        The lines to add, in scenario order.
    countries : callable, optional
        ``countries(lon, lat) -> ISO2 codes`` for new nodes (default: Natural Earth).

    Returns
    -------
    Network
        The augmented network (the base network itself when there is nothing to add); its
        ``source`` names the additions.
    """
    chosen = tuple(additions)
    if not chosen:
        return network
    source = f"{network.source} + scenario additions: {', '.join(a.id for a in chosen)}"
    current = network
    for addition in chosen:
        current = _add_one(current, addition, countries, source=source)
    return current


def _add_one(network: Network, addition: NetworkAddition, countries: CountryLookup, *,
             source: str) -> Network:
    """Return the network with one added line joined to it (see :func:`augment`), from ``source``."""
    new_lon: list[float] = []
    new_lat: list[float] = []

    def fresh(lon: float, lat: float) -> int:
        new_lon.append(lon)
        new_lat.append(lat)
        return network.n_nodes + len(new_lon) - 1

    splits: dict[tuple[int, int], list[tuple[float, int]]] = {}
    nodes: list[int] = []
    joins: list[tuple[int, int, float]] = []
    last = len(addition.points) - 1
    for i, (lat, lon) in enumerate(addition.points):
        end = i in (0, last)
        meet = nearest_track(network, lon, lat)
        km = meet.km if meet is not None else float("inf")
        if meet is not None and km <= (JUNCTION_KM if end else STATION_JOIN_KM):
            nodes.append(_meeting_node(meet, splits, fresh))
        elif meet is not None and end and km <= END_JOIN_KM:
            nodes.append(fresh(lon, lat))
            joins.append((nodes[-1], _meeting_node(meet, splits, fresh), km))
        else:
            nodes.append(fresh(lon, lat))
    all_lon, all_lat = np.concatenate([network.lon, new_lon]), np.concatenate([network.lat, new_lat])
    a, b = np.array(nodes[:-1], dtype=np.int64), np.array(nodes[1:], dtype=np.int64)
    line_km = _arc_km(all_lon[a], all_lat[a], all_lon[b], all_lat[b])
    edges = _split_edges(network_edges(network), splits)
    join_u, join_v, join_km = (np.array(x) for x in zip(*joins, strict=True)) if joins else (
        np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    joined = undirected_edges(np.concatenate([edges.u, a, join_u]).astype(np.int64),
                              np.concatenate([edges.v, b, join_v]).astype(np.int64),
                              np.concatenate([edges.km, line_km, join_km]))
    codes = np.concatenate([network.country_codes(), countries(np.array(new_lon), np.array(new_lat))])
    return build_network(all_lon, all_lat, joined, codes, name=network.name, mode=network.mode,
                         source=source, attribution=network.attribution)


def _meeting_node(meet: TrackPoint, splits: dict[tuple[int, int], list[tuple[float, int]]],
                  fresh: Callable[[float, float], int]) -> int:
    """Return the node where a line meets the track: an edge end, or a new node splitting it."""
    if meet.fraction <= _SAME_POINT or meet.u == meet.v:
        return meet.u
    if meet.fraction >= 1.0 - _SAME_POINT:
        return meet.v
    key, fraction = ((meet.u, meet.v), meet.fraction) if meet.u < meet.v else (
        (meet.v, meet.u), 1.0 - meet.fraction)
    for known, node in splits.get(key, []):
        if abs(known - fraction) <= _SAME_POINT:
            return node
    node = fresh(meet.lon, meet.lat)
    splits.setdefault(key, []).append((fraction, node))
    return node


def _split_edges(edges: EdgeList, splits: dict[tuple[int, int], list[tuple[float, int]]]) -> EdgeList:
    """Return the edges with each split edge replaced by its pieces, lengths in proportion."""
    if not splits:
        return edges
    width = int(max(edges.v.max(initial=0), max(k[1] for k in splits))) + 1
    drop = np.isin(edges.u * width + edges.v, [u * width + v for u, v in splits])
    u, v, km = [edges.u[~drop]], [edges.v[~drop]], [edges.km[~drop]]
    for (a, b), cuts in splits.items():
        total = float(edges.km[(edges.u == a) & (edges.v == b)][0])
        stops = [(0.0, a), *sorted(cuts), (1.0, b)]
        for (fa, na), (fb, nb) in itertools.pairwise(stops):
            u.append(np.array([na]))
            v.append(np.array([nb]))
            km.append(np.array([total * (fb - fa)]))
    return EdgeList(np.concatenate(u).astype(np.int64), np.concatenate(v).astype(np.int64),
                    np.concatenate(km))
