"""The lane graph a sea leg routes on: searoute's lanes less the passages it avoids, indexed."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routemap.geo.sealanes import SeaNetwork
from routemap.routes.geodesy import GEOD

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix
    from scipy.spatial import cKDTree

__all__ = ["Lanes", "lane_graph", "nearest_node", "nearest_nodes", "shortest_lane_nodes"]

Point = tuple[float, float]


#: The lane graphs built per network, by the passages they leave out (few sets in a scenario).
_LANE_GRAPHS: weakref.WeakKeyDictionary[SeaNetwork, dict[frozenset[str], Lanes]] = (
    weakref.WeakKeyDictionary())


@dataclass(frozen=True, eq=False)
class Lanes:
    """The lane graph with one leg's passages removed."""

    weights: csr_matrix
    edge_ids: csr_matrix
    usable: np.ndarray
    tree: cKDTree


def lane_graph(network: SeaNetwork, tags: frozenset[str]) -> Lanes:
    """Return the lane graph without some passages, built once per network and passage set."""
    graphs = _LANE_GRAPHS.setdefault(network, {})
    found = graphs.get(tags)
    if found is None:
        found = graphs[tags] = _build(network, tags)
    return found


def _build(network: SeaNetwork, tags: frozenset[str]) -> Lanes:
    from scipy.sparse import csr_matrix  # scipy loads where a sea leg is routed, not for a check of cached routes
    from scipy.spatial import cKDTree

    lanes = network.lanes
    keep = np.nonzero(~np.isin(lanes.passage, list(tags)))[0]
    u, v = lanes.edges[keep, 0], lanes.edges[keep, 1]
    size = (len(lanes.nodes),) * 2
    # A tiny floor keeps the zero-length links across the antimeridian as stored edges.
    weights = csr_matrix((np.maximum(lanes.weight_km[keep], 1e-9), (u, v)), shape=size)
    ids = csr_matrix((np.concatenate([keep, keep]) + 1, (np.r_[u, v], np.r_[v, u])), shape=size)
    usable = np.zeros(size[0], dtype=bool)
    usable[u] = usable[v] = True
    return Lanes(weights=weights, edge_ids=ids, usable=usable, tree=cKDTree(_xyz(lanes.nodes)))


def _xyz(lonlat: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(np.asarray(lonlat, dtype=float).reshape(-1, 2)).T
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def nearest_node(network: SeaNetwork, lanes: Lanes, point: Point) -> tuple[int, float]:
    """Return the nearest lane node still usable under the leg's restrictions, and its km."""
    (node, km), *_ = nearest_nodes(network, lanes, point, count=1)
    return node, km


def nearest_nodes(
    network: SeaNetwork, lanes: Lanes, point: Point, *, count: int
) -> list[tuple[int, float]]:
    """Return up to ``count`` nearest usable lane nodes with their geodesic km, nearest first."""
    _, found = lanes.tree.query(_xyz(np.array([point]))[0], k=min(8 * count, lanes.tree.n))
    nodes = [int(i) for i in np.atleast_1d(found) if lanes.usable[i]][:count]
    if not nodes:
        nodes = [int(np.argmax(lanes.usable))]
    lon, lat = network.lanes.nodes[nodes].T
    _, _, metres = GEOD.inv(np.full(len(nodes), point[0]), np.full(len(nodes), point[1]), lon, lat)
    return list(zip(nodes, (np.asarray(metres) / 1000.0).tolist(), strict=False))


def shortest_lane_nodes(
    lanes: Lanes, starts: list[tuple[int, float]], stops: list[tuple[int, float]]
) -> list[int] | None:
    """Return lane nodes of the shortest path from any start to any stop (with their costs)."""
    size = lanes.weights.shape[0]
    source, target = size, size + 1
    extra_u = [source] * len(starts) + [node for node, _ in stops]
    extra_v = [node for node, _ in starts] + [target] * len(stops)
    extra_w = [km + 1e-9 for _, km in starts] + [km + 1e-9 for _, km in stops]
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    base = lanes.weights.tocoo()
    graph = csr_matrix(
        (np.r_[base.data, extra_w], (np.r_[base.row, extra_u], np.r_[base.col, extra_v])),
        shape=(size + 2, size + 2),
    )
    dist, pred = dijkstra(graph, directed=False, indices=source, return_predecessors=True)
    if not np.isfinite(dist[target]):
        return None
    nodes = [int(pred[target])]
    while pred[nodes[-1]] != source:
        nodes.append(int(pred[nodes[-1]]))
    return nodes[::-1]
