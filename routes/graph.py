"""Shortest paths on a rail or road network, between nodes or points on edges, within or avoiding countries."""

from __future__ import annotations

import hashlib
import itertools
import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routemap.errors import UnroutableLegError
from routemap.geo.network import Network
from routemap.routes.junctions import RoutingIndex, load_index
from routemap.routes.snapping import EdgeSnap, Snap, snap, snap_to_edge

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = [
    "EdgeSnap",
    "Path",
    "Snap",
    "allowed_nodes",
    "path_between",
    "shortest_path",
    "snap",
    "snap_to_edge",
]


#: How many constrained junction graphs, and search trees on them, each index keeps: legs under
#: the same ``within``/``avoid`` share a graph, and legs from the same junctions their tree.
_MASKED_KEPT = 8
_TREES_KEPT = 4

#: The node mask of each set of constraints, per network (a scenario has few such sets).
_ALLOWED: weakref.WeakKeyDictionary[Network, dict[tuple, np.ndarray]] = weakref.WeakKeyDictionary()
#: Per routing index: the masked graphs by constraint, and the search trees by (constraint,
#: start junctions). Dropped with the index.
_MASKED: weakref.WeakKeyDictionary[RoutingIndex, dict[bytes, tuple]] = weakref.WeakKeyDictionary()
_TREES: weakref.WeakKeyDictionary[RoutingIndex, dict[tuple, tuple]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Path:
    """A shortest path between two network nodes: the nodes in order and the length in km."""

    nodes: np.ndarray
    km: float


# --- queries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """Where a network node joins the junction graph: a junction and the nodes/km to reach it."""

    junction: int
    km: float
    nodes: np.ndarray


def _entries(index: RoutingIndex, node: int) -> list[_Entry]:
    j = int(index.node_junction[node])
    if j >= 0:
        return [_Entry(j, 0.0, np.array([node]))]
    e, pos, off = int(index.node_edge[node]), int(index.node_pos[node]), index.node_offset[node]
    lo, hi = int(index.chain_ptr[e]), int(index.chain_ptr[e + 1])
    u, v = int(index.edge_u[e]), int(index.edge_v[e])
    to_u = np.append(index.chain_nodes[lo:pos + 1][::-1], index.junction_node[u])
    to_v = np.append(index.chain_nodes[pos:hi], index.junction_node[v])
    return [_Entry(u, float(off), to_u), _Entry(v, float(index.edge_km[e] - off), to_v)]


def allowed_nodes(
    network: Network, *, within: tuple[str, ...] | None = None, avoid: tuple[str, ...] = ()
) -> np.ndarray | None:
    """Return a mask of the nodes a route may use (``None`` when unconstrained).

    The mask is built once per network and constraints, and read-only.

    Parameters
    ----------
    network : Network
        The network.
    within : tuple of str, optional
        ISO2 codes the route must stay inside; nodes of no country are excluded too.
    avoid : tuple of str
        ISO2 codes never entered.
    """
    if within is None and not avoid:
        return None
    memo = _ALLOWED.setdefault(network, {})
    found = memo.get((within, avoid))
    if found is None:
        ok = np.ones(len(network.countries), dtype=bool)
        if within is not None:
            ok &= network.country_index(within)
        if avoid:
            ok &= ~network.country_index(avoid)
        found = ok[network.node_country]
        found.flags.writeable = False  # shared by every leg under the same constraints
        memo[(within, avoid)] = found
    return found


def shortest_path(
    network: Network, source: int, target: int, *, allowed: np.ndarray | None = None
) -> Path:
    """Return the shortest path between two network nodes, optionally on allowed nodes only.

    Parameters
    ----------
    network : Network
        The network (its routing index is loaded or built on first use).
    source, target : int
        Network node ids.
    allowed : numpy.ndarray, optional
        Boolean mask over network nodes (see :func:`allowed_nodes`); both ends must be allowed.

    Returns
    -------
    Path
        Node ids from ``source`` to ``target`` and the network length in km.

    Raises
    ------
    UnroutableLegError
        If no path exists (on the allowed nodes).
    """
    if source == target:
        return Path(np.array([source]), 0.0)
    if allowed is not None and not (allowed[source] and allowed[target]):
        raise UnroutableLegError("an end of the leg lies in a country it may not use")
    return _search(network, [(source, 0.0)], [(target, 0.0)], allowed)


def _search(
    network: Network, starts: list[tuple[int, float]], finishes: list[tuple[int, float]],
    allowed: np.ndarray | None,
) -> Path:
    """Return the shortest path from any start to any finish, each with km already run.

    The path's ``km`` includes the start's and the finish's km; its nodes run from the start
    node chosen to the finish node chosen.
    """
    index = load_index(network)
    src = [_Entry(e.junction, e.km + km, e.nodes) for n, km in starts for e in _entries(index, n)]
    dst = [_Entry(e.junction, e.km + km, e.nodes) for n, km in finishes for e in _entries(index, n)]
    ok = allowed if allowed is not None else np.ones(network.n_nodes, dtype=bool)
    found = _masked_search(index, src, dst, ok[index.junction_node])
    for (x, kx), (y, ky) in itertools.product(starts, finishes):
        direct = Path(np.array([x]), 0.0) if x == y else _same_edge(index, x, y)
        if direct is not None and (found is None or kx + direct.km + ky <= found.km):
            found = Path(direct.nodes, kx + direct.km + ky)
    if found is None:
        raise UnroutableLegError("no path on the network connects the two ends")
    return found


def _same_edge(index: RoutingIndex, source: int, target: int) -> Path | None:
    """Return the path along one chain when both nodes lie on the same chain."""
    e = int(index.node_edge[source])
    if e < 0 or e != int(index.node_edge[target]):
        return None
    a, b = int(index.node_pos[source]), int(index.node_pos[target])
    step = 1 if b >= a else -1
    nodes = index.chain_nodes[a:b + step if b + step >= 0 else None:step]
    return Path(nodes.copy(), float(abs(index.node_offset[target] - index.node_offset[source])))


def _pred_walk(pred: np.ndarray, node: int, source: int) -> list[int]:
    """Return the junctions from a search's start to ``node`` by following predecessors, up to
    the virtual ``source`` (left out)."""
    out = [node]
    while pred[node] >= 0 and pred[node] != source:
        node = int(pred[node])
        out.append(node)
    return out[::-1]


def _assemble(
    index: RoutingIndex, a: _Entry, b: _Entry, edges: np.ndarray, forward: np.ndarray
) -> Path:
    """Join the source lead-in, the expanded junction edges and the target lead-out."""
    # Both ends may reach the same junction: the path then passes it without a junction edge.
    middle = (_expand(index, edges, forward) if edges.size
              else np.array([index.junction_node[a.junction]], dtype=np.int64))
    nodes = np.concatenate([a.nodes[:-1], middle, b.nodes[::-1][1:]])
    return Path(nodes, float(a.km + index.edge_km[edges].sum() + b.km))


def _expand(index: RoutingIndex, edges: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """Return the network nodes along junction edges walked in the given directions."""
    if edges.size == 0:
        return np.zeros(0, dtype=np.int64)
    ptr = index.chain_ptr
    lens = ptr[edges + 1] - ptr[edges]
    counts = lens + 1
    slot = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    fwd, base, length = (np.repeat(x, counts) for x in (forward, ptr[edges], lens))
    inner = np.where(fwd, base + slot - 1, base + length - slot)
    start = np.where(forward, index.edge_u[edges], index.edge_v[edges])
    end = index.edge_v[edges[-1]] if forward[-1] else index.edge_u[edges[-1]]
    pool = index.chain_nodes if index.chain_nodes.size else np.zeros(1, dtype=np.int32)
    nodes = np.where(slot == 0, index.junction_node[np.repeat(start, counts)],
                     pool[np.clip(inner, 0, pool.size - 1)])
    return np.append(nodes, index.junction_node[end]).astype(np.int64)


def _remember(store: dict, key: object, make: object, kept: int) -> tuple:
    """Return ``store[key]``, made by ``make()`` and kept (oldest dropped past ``kept``) if new."""
    found = store.get(key)
    if found is None:
        found = make()  # type: ignore[operator]
        if len(store) >= kept:
            store.pop(next(iter(store)))
        store[key] = found
    return found


def _mask_key(ok: np.ndarray) -> bytes:
    """Return a short digest naming a junction mask."""
    return hashlib.blake2b(np.packbits(ok).tobytes(), digest_size=16).digest()


def _masked_graph(index: RoutingIndex, ok: np.ndarray, mask: bytes) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Return the junction graph on allowed junctions, built once per mask (see :func:`_build_masked`);
    ``mask`` is ``ok``'s key (:func:`_mask_key`), worked out once per search by the caller."""
    return _remember(_MASKED.setdefault(index, {}), mask,
                     lambda: _build_masked(index, ok), _MASKED_KEPT)


def _build_masked(index: RoutingIndex, ok: np.ndarray) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Return the junction graph on allowed junctions (shortest parallel edge kept)."""
    keep = ok[index.edge_u] & ok[index.edge_v] & (index.edge_u != index.edge_v)
    e = np.flatnonzero(keep)
    u, v = index.edge_u[e].astype(np.int64), index.edge_v[e].astype(np.int64)
    rows, cols, ids = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([e, e])
    order = np.lexsort((index.edge_km[ids], cols, rows))
    rows, cols, ids = rows[order], cols[order], ids[order]
    first = np.ones(rows.size, dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, ids = rows[first], cols[first], ids[first]
    n = index.n_junctions
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    from scipy.sparse import csr_matrix

    graph = csr_matrix((index.edge_km[ids], cols.astype(np.int32), indptr), shape=(n, n))
    key = rows * n + cols
    return graph, key, ids


def _tree_from(index: RoutingIndex, graph: csr_matrix, mask: bytes,
               src: list[_Entry]) -> tuple[np.ndarray, np.ndarray]:
    """Return the distances and predecessors of one search from all the start entries at once.

    The junction graph gains a virtual source, joined to each start junction by an edge of the
    km already run to it (the shortest, where two entries share a junction): one Dijkstra
    search instead of one per start. Its predecessors name the source as ``n_junctions``. Kept
    for the next legs from the same entries (a scenario's legs from one place share it), under
    ``mask``, the key of the junction mask ``graph`` is drawn on.
    """
    reach: dict[int, float] = {}
    for e in src:
        reach[e.junction] = min(e.km, reach.get(e.junction, math.inf))
    starts = sorted(reach)

    def search() -> tuple[np.ndarray, np.ndarray]:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        n = index.n_junctions
        indptr = np.append(graph.indptr, graph.indptr[-1] + len(starts))
        indices = np.append(graph.indices, np.array(starts, dtype=graph.indices.dtype))
        weights = np.append(graph.data, [reach[j] for j in starts])
        joined = csr_matrix((weights, indices, indptr), shape=(n + 1, n + 1))
        dist, pred = dijkstra(joined, directed=True, indices=n, return_predecessors=True)
        return dist[:n], pred[:n]

    key = (mask, tuple((j, reach[j]) for j in starts))
    return _remember(_TREES.setdefault(index, {}), key, search, _TREES_KEPT)


def _masked_search(
    index: RoutingIndex, src: list[_Entry], dst: list[_Entry], ok: np.ndarray
) -> Path | None:
    src = [e for e in src if ok[e.junction]]
    dst = [e for e in dst if ok[e.junction]]
    if not src or not dst:
        return None
    mask = _mask_key(ok)
    graph, key, ids = _masked_graph(index, ok, mask)
    dist, pred = _tree_from(index, graph, mask, src)
    finish = dist[np.array([e.junction for e in dst])] + np.array([e.km for e in dst])
    best = int(np.argmin(finish))
    if not np.isfinite(finish[best]):
        return None
    b = dst[best]
    junctions = np.array(_pred_walk(pred, b.junction, index.n_junctions), dtype=np.int64)
    a = min((e for e in src if e.junction == junctions[0]), key=lambda e: e.km)
    n = index.n_junctions
    pos = np.searchsorted(key, junctions[:-1] * n + junctions[1:])
    edges = ids[pos].astype(np.int64)
    return _assemble(index, a, b, edges, index.edge_u[edges] == junctions[:-1])


# --- between points on edges ------------------------------------------------------------------


def path_between(
    network: Network, start: EdgeSnap, end: EdgeSnap, *, allowed: np.ndarray | None = None
) -> Path:
    """Return the shortest network path between two points on edges.

    The path leaves ``start`` along its edge towards whichever node makes the whole path
    shorter, and reaches ``end`` the same way, so it never runs past either point and comes
    back. Two points on one edge are joined along it.

    Parameters
    ----------
    network : Network
        The network.
    start, end : EdgeSnap
        Points on edges (see :func:`snap_to_edge`).
    allowed : numpy.ndarray, optional
        Boolean mask over network nodes (see :func:`allowed_nodes`).

    Returns
    -------
    Path
        The network nodes passed, in order (none when both points lie on one edge and the
        way between them runs along it), and the km from ``start`` to ``end``, partial
        edges included.

    Raises
    ------
    UnroutableLegError
        If no path connects them (on the allowed nodes).
    """
    starts = [x for x in start.exits() if allowed is None or allowed[x[0]]]
    finishes = [y for y in end.exits() if allowed is None or allowed[y[0]]]
    if not starts or not finishes:
        raise UnroutableLegError("an end of the leg lies in a country it may not use")
    along = _along_one_edge(start, end)
    try:
        found = _search(network, starts, finishes, allowed)
    except UnroutableLegError:
        if along is None:
            raise
        return along
    return along if along is not None and along.km <= found.km else found


def _along_one_edge(start: EdgeSnap, end: EdgeSnap) -> Path | None:
    """Return the way between two points on the same edge, along it (no node passed)."""
    if (start.u, start.v) != (end.u, end.v):
        return None
    return Path(np.zeros(0, dtype=np.int64), abs(start.km_u - end.km_u))
