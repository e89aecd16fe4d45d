"""The routing index: chains folded into junction edges, a contraction hierarchy, cached on disk."""

from __future__ import annotations

import heapq
import logging
import math
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import numpy as np

from routemap.cache import cache_dir, read_arrays, write_arrays
from routemap.errors import NetworkDataError
from routemap.geo.network import Network

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["INDEX_FORMAT", "RoutingIndex", "build_index", "load_index"]

log = logging.getLogger(__name__)

INDEX_FORMAT = 2
_DISK_CACHE_MIN_NODES = 20_000
_WITNESS_SETTLE_LIMIT = 60
# Road networks have few degree-2 nodes to fold (475,000 junctions for the world) and legs are
# few, so they skip the hierarchy: a cold build stays under a minute instead of several.
_NO_HIERARCHY_MODES = frozenset({"road"})
_INDEXES: dict[str, RoutingIndex] = {}


@dataclass(frozen=True, eq=False)
class RoutingIndex:
    """A network prepared for fast queries; derived from a :class:`~routemap.geo.network.Network` only.

    Nodes of degree 2 whose neighbours share their country are folded into *chains*; the other
    nodes are *junctions*. Junction edges (one per chain) carry the chain length. A contraction
    hierarchy over the junction graph answers unconstrained queries; masked searches on the
    junction graph answer constrained ones.

    Attributes
    ----------
    node_junction : numpy.ndarray
        Junction id of each network node, or -1 for chain-interior nodes.
    node_edge, node_pos, node_offset : numpy.ndarray
        For chain-interior nodes: the junction edge, the position in ``chain_nodes`` and the
        km from the edge's ``u`` end (-1, -1, 0 for junctions).
    junction_node : numpy.ndarray
        Network node of each junction.
    edge_u, edge_v, edge_km : numpy.ndarray
        Junction edges (junction ids) and their lengths in km.
    chain_ptr, chain_nodes : numpy.ndarray
        Interior nodes of edge ``e``, from ``u`` to ``v``: ``chain_nodes[chain_ptr[e]:chain_ptr[e+1]]``.
    component : numpy.ndarray
        Connected-component label of each junction.
    up_indptr, up_indices, up_km : numpy.ndarray
        The upward graph of the hierarchy (CSR over junctions, edges to higher rank only).
    pair_key, pair_mid, pair_edge : numpy.ndarray
        Every hierarchy edge by sorted key ``lo * n + hi``: its middle junction (shortcuts) or
        -1, and the junction edge it stands for (original edges) or -1.
    pair_low, pair_high : numpy.ndarray
        For shortcuts, the positions in ``pair_key`` of the halves ``(lo, mid)`` and
        ``(mid, hi)``; -1 for original edges.
    """

    node_junction: np.ndarray = field(repr=False)
    node_edge: np.ndarray = field(repr=False)
    node_pos: np.ndarray = field(repr=False)
    node_offset: np.ndarray = field(repr=False)
    junction_node: np.ndarray = field(repr=False)
    edge_u: np.ndarray = field(repr=False)
    edge_v: np.ndarray = field(repr=False)
    edge_km: np.ndarray = field(repr=False)
    chain_ptr: np.ndarray = field(repr=False)
    chain_nodes: np.ndarray = field(repr=False)
    component: np.ndarray = field(repr=False)
    up_indptr: np.ndarray = field(repr=False)
    up_indices: np.ndarray = field(repr=False)
    up_km: np.ndarray = field(repr=False)
    pair_key: np.ndarray = field(repr=False)
    pair_mid: np.ndarray = field(repr=False)
    pair_edge: np.ndarray = field(repr=False)
    pair_low: np.ndarray = field(repr=False)
    pair_high: np.ndarray = field(repr=False)

    @property
    def n_junctions(self) -> int:
        """Return the number of junctions."""
        return int(self.junction_node.size)

    @property
    def has_hierarchy(self) -> bool:
        """Return True when the contraction hierarchy was built."""
        return bool(self.pair_key.size) or not self.edge_u.size

    def up_graph(self) -> csr_matrix:
        """Return the upward hierarchy graph as a scipy CSR matrix (built once)."""
        cached = self.__dict__.get("_up_graph")
        if cached is None:
            from scipy.sparse import csr_matrix  # scipy loads where a leg is searched, not for a check

            n = self.n_junctions
            cached = csr_matrix((self.up_km, self.up_indices, self.up_indptr), shape=(n, n))
            object.__setattr__(self, "_up_graph", cached)
        return cached

    def pair_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the low and high junction of every hierarchy edge (built once)."""
        cached = self.__dict__.get("_pair_ends")
        if cached is None:
            n = max(self.n_junctions, 1)
            cached = ((self.pair_key // n).astype(np.int64), (self.pair_key % n).astype(np.int64))
            object.__setattr__(self, "_pair_ends", cached)
        return cached

    def halves(self) -> np.ndarray:
        """Return the walk-code table used to unpack shortcuts (built once, see ``graph._unpack``).

        Row ``2 * p + d`` (pair ``p`` walked low-to-high for ``d = 0``) holds the walk codes of
        its two halves in walking order, or ``(2 * p + d, -1)`` for an original edge.
        """
        cached = self.__dict__.get("_halves")
        if cached is None:
            cached = _halves_table(self)
            object.__setattr__(self, "_halves", cached)
        return cached

    def node_component(self) -> np.ndarray:
        """Return the component label of every network node (built once)."""
        cached = self.__dict__.get("_node_component")
        if cached is None:
            junction = np.where(self.node_junction >= 0, self.node_junction,
                                self.edge_u[np.maximum(self.node_edge, 0)])
            cached = self.component[junction]
            object.__setattr__(self, "_node_component", cached)
        return cached


def _halves_table(index: RoutingIndex) -> np.ndarray:
    lows, highs = index.pair_ends()
    mid = index.pair_mid.astype(np.int64)
    size = mid.size
    table = np.empty((2 * size, 2), dtype=np.int64)
    codes = np.arange(2 * size, dtype=np.int64)
    table[:, 0], table[:, 1] = codes, -1
    short = np.flatnonzero(mid >= 0)
    m, lo, hi = mid[short], lows[short], highs[short]
    low_half, high_half = index.pair_low[short].astype(np.int64), index.pair_high[short]
    # walked low -> high: (lo -> m) then (m -> hi); walked high -> low: (hi -> m) then (m -> lo)
    table[2 * short, 0] = 2 * low_half + (lo > m)
    table[2 * short, 1] = 2 * high_half + (m > hi)
    table[2 * short + 1, 0] = 2 * high_half + (hi > m)
    table[2 * short + 1, 1] = 2 * low_half + (m > lo)
    return table


# --- building the index -----------------------------------------------------------------------


def _junction_mask(network: Network) -> np.ndarray:
    deg = np.diff(network.indptr)
    is_junction = deg != 2
    two = np.flatnonzero(deg == 2)
    first = network.indices[network.indptr[two]]
    second = network.indices[network.indptr[two] + 1]
    country = network.node_country
    changes = (country[first] != country[two]) | (country[second] != country[two])
    is_junction[two[changes]] = True
    return is_junction


def _walk_chains(network: Network, is_junction: np.ndarray) -> tuple[list, ...]:
    """Follow every chain from its junctions.

    Returns lists, one item per chain: ``u``, ``v``, km, interior nodes, their km from ``u``.
    """
    indptr, indices = network.indptr.tolist(), network.indices.tolist()
    weights, junction = network.weights.tolist(), is_junction.tolist()
    seen = bytearray(len(junction))
    us, vs, kms, chains, offsets = [], [], [], [], []
    pending = [i for i, j in enumerate(junction) if j]
    while pending:
        for start in pending:
            for pos in range(indptr[start], indptr[start + 1]):
                prev, node, km, chain, offs = start, indices[pos], weights[pos], [], []
                while not junction[node]:
                    seen[node] = 1
                    chain.append(node)
                    offs.append(km)
                    a = indptr[node]
                    step = a if indices[a] != prev else a + 1
                    prev, node, km = node, indices[step], km + weights[step]
                first = chain[0] if chain else node
                last = chain[-1] if chain else start
                if (start, first) < (node, last):
                    us.append(start), vs.append(node), kms.append(km)
                    chains.append(chain), offsets.append(offs)
        # Rings without any junction: promote one node of each and walk again.
        loose = [i for i, j in enumerate(junction) if not j and not seen[i]]
        pending = loose[:1]
        for i in pending:
            junction[i] = True
            is_junction[i] = True
    return us, vs, kms, chains, offsets


def _contract(n: int, eu: np.ndarray, ev: np.ndarray, ekm: np.ndarray) -> tuple:
    """Build a contraction hierarchy; return upward edges (from, to, km, mid, edge)."""
    adj: list[dict[int, float]] = [{} for _ in range(n)]
    pair_edge: dict[tuple[int, int], int] = {}
    for e, (u, v, w) in enumerate(zip(eu.tolist(), ev.tolist(), ekm.tolist(), strict=False)):
        if u != v and w < adj[u].get(v, np.inf):
            adj[u][v] = adj[v][u] = w
            pair_edge[(min(u, v), max(u, v))] = e
    mid: dict[tuple[int, int], int] = {}
    deleted = [0] * n
    heap = [(len(a) * (len(a) - 1) // 2 - len(a), v) for v, a in enumerate(adj)]
    heapq.heapify(heap)
    up: list[tuple[int, int, float, int, int]] = []
    while heap:
        _, v = heapq.heappop(heap)
        if adj[v] is None:
            continue
        shortcuts = _needed_shortcuts(adj, v)
        priority = len(shortcuts) - len(adj[v]) + deleted[v]
        if heap and priority > heap[0][0]:
            heapq.heappush(heap, (priority, v))
            continue
        for u, x, w in shortcuts:
            if w < adj[u].get(x, np.inf):
                adj[u][x] = adj[x][u] = w
                mid[(min(u, x), max(u, x))] = v
        for u, w in adj[v].items():
            key = (min(u, v), max(u, v))
            m = mid.get(key, -1)
            up.append((v, u, w, m, pair_edge[key] if m < 0 else -1))
            del adj[u][v]
            deleted[u] += 1
        adj[v] = None  # type: ignore[call-overload]
    return up


def _needed_shortcuts(adj: list, v: int) -> list[tuple[int, int, float]]:
    """Return the shortcuts contracting ``v`` needs (pairs with no witness path).

    A search from ``u`` first settles ``u`` itself and so reaches each target at most as far
    as the edge ``u`` already has to it: when those edges are all as short as the way through
    ``v``, no search could ask for a shortcut and none is run.
    """
    neighbours = list(adj[v].items())
    out = []
    inf = math.inf
    for i, (u, wu) in enumerate(neighbours[:-1]):
        targets = {x: wu + wx for x, wx in neighbours[i + 1:]}
        direct = adj[u].get
        if all(direct(x, inf) <= w for x, w in targets.items()):
            continue
        dist = _witness_search(adj, u, v, targets)
        out.extend((u, x, w) for x, w in targets.items() if dist.get(x, inf) > w)
    return out


def _witness_search(adj: list, source: int, skip: int, targets: dict[int, float]) -> dict:
    """Return the distances a bounded Dijkstra from ``source`` (never through ``skip``) settles.

    The inner loop is written for CPython's sake (bound methods in locals; ``skip`` is never
    entered because it starts at minus infinity, which no path improves on): building the
    world rail hierarchy runs it 200,000 times.
    """
    limit = max(targets.values())
    inf = math.inf
    dist = {source: 0.0, skip: -inf}
    heap = [(0.0, source)]
    remaining = set(targets)
    settled = 0
    pop, push, known = heapq.heappop, heapq.heappush, dist.get
    while heap and remaining and settled < _WITNESS_SETTLE_LIMIT:
        d, x = pop(heap)
        if d > dist[x]:
            continue
        if d > limit:
            break
        remaining.discard(x)
        settled += 1
        for y, w in adj[x].items():
            nd = d + w
            if nd < known(y, inf):
                dist[y] = nd
                push(heap, (nd, y))
    return dist


def _upward_arrays(n: int, up: list) -> dict[str, np.ndarray]:
    src, dst, km, mid, edge = (np.array(c) for c in zip(*up, strict=False)) if up else (np.zeros(0),) * 5
    src, dst = src.astype(np.int64), dst.astype(np.int64)
    order = np.lexsort((dst, src))
    indptr = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    key = np.minimum(src, dst) * n + np.maximum(src, dst)
    by_key = np.argsort(key)
    key, mid = key[by_key], mid[by_key].astype(np.int64)
    lo, hi = key // max(n, 1), key % max(n, 1)
    short = mid >= 0
    low = np.full(key.size, -1, dtype=np.int64)
    high = np.full(key.size, -1, dtype=np.int64)
    low[short] = np.searchsorted(key, np.minimum(lo, mid)[short] * n + np.maximum(lo, mid)[short])
    high[short] = np.searchsorted(key, np.minimum(hi, mid)[short] * n + np.maximum(hi, mid)[short])
    return {
        "up_indptr": indptr,
        "up_indices": dst[order].astype(np.int32),
        "up_km": km[order].astype(np.float64),
        "pair_key": key.astype(np.int64),
        "pair_mid": mid.astype(np.int32),
        "pair_edge": edge[by_key].astype(np.int32),
        "pair_low": low.astype(np.int32),
        "pair_high": high.astype(np.int32),
    }


def build_index(network: Network, *, hierarchy: bool = True) -> RoutingIndex:
    """Prepare a network for routing: fold chains, build the contraction hierarchy.

    Pure and deterministic; takes seconds on the world rail network (see :func:`load_index`).

    Parameters
    ----------
    network : Network
        The network.
    hierarchy : bool
        Build the contraction hierarchy (fast unconstrained queries). Without it every query
        is a Dijkstra search on the junction graph (tens of ms on a world network).
    """
    is_junction = _junction_mask(network)
    us, vs, kms, chains, offsets = _walk_chains(network, is_junction)
    junction_node = np.flatnonzero(is_junction).astype(np.int32)
    node_junction = np.full(network.n_nodes, -1, dtype=np.int32)
    node_junction[junction_node] = np.arange(junction_node.size, dtype=np.int32)
    eu = node_junction[np.array(us, dtype=np.int64)]
    ev = node_junction[np.array(vs, dtype=np.int64)]
    ekm = np.array(kms, dtype=np.float64)
    arrays = _chain_arrays(network.n_nodes, chains, offsets)
    n = junction_node.size
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    adjacency = csr_matrix((np.ones(eu.size), (eu, ev)), shape=(n, n))
    component = connected_components(adjacency, directed=False)[1].astype(np.int32)
    up = _upward_arrays(n, _contract(n, eu, ev, ekm) if hierarchy else [])
    log.info("routing index: %d junctions, %d chains, %d hierarchy edges",
             n, eu.size, up["up_indices"].size)
    return RoutingIndex(node_junction=node_junction, junction_node=junction_node,
                        edge_u=eu.astype(np.int32), edge_v=ev.astype(np.int32), edge_km=ekm,
                        component=component, **arrays, **up)


def _chain_arrays(n_nodes: int, chains: list, offsets: list) -> dict[str, np.ndarray]:
    lengths = np.array([len(c) for c in chains], dtype=np.int64)
    chain_ptr = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=chain_ptr[1:])
    chain_nodes = np.array([x for c in chains for x in c], dtype=np.int32)
    node_edge = np.full(n_nodes, -1, dtype=np.int32)
    node_pos = np.full(n_nodes, -1, dtype=np.int32)
    node_offset = np.zeros(n_nodes)
    node_edge[chain_nodes] = np.repeat(np.arange(lengths.size, dtype=np.int32), lengths)
    node_pos[chain_nodes] = np.arange(chain_nodes.size, dtype=np.int32)
    node_offset[chain_nodes] = np.array([x for c in offsets for x in c], dtype=np.float64)
    return {"node_edge": node_edge, "node_pos": node_pos, "node_offset": node_offset,
            "chain_ptr": chain_ptr, "chain_nodes": chain_nodes}


# --- caching the index ------------------------------------------------------------------------


def load_index(network: Network) -> RoutingIndex:
    """Return the routing index of a network: from memory, the disk cache, or built.

    Indexes of large networks (the bundled world networks) are cached in
    :func:`routemap.cache.cache_dir` under the network's checksum, written atomically. Large
    road networks get no contraction hierarchy (see :func:`build_index`).
    """
    index = _INDEXES.get(network.checksum)
    if index is not None:
        return index
    if network.n_nodes < _DISK_CACHE_MIN_NODES:
        index = build_index(network)
    else:
        index = _cached_index(network, hierarchy=network.mode not in _NO_HIERARCHY_MODES)
    _INDEXES[network.checksum] = index
    return index


def _cached_index(network: Network, *, hierarchy: bool) -> RoutingIndex:
    path = cache_dir() / f"index-{network.name}-{network.checksum[:16]}-v{INDEX_FORMAT}.npz"
    if path.exists():
        try:
            arrays, meta = read_arrays(path)
            if meta.get("format") == INDEX_FORMAT and meta.get("network") == network.checksum:
                return RoutingIndex(**arrays)
            log.warning("routing index %s belongs to another network; rebuilding it", path)
        except (NetworkDataError, TypeError) as exc:
            log.warning("%s; rebuilding it", exc)
    log.info("building the routing index for %s (once)", network.label)
    index = build_index(network, hierarchy=hierarchy)
    arrays = {f.name: getattr(index, f.name) for f in fields(index)}
    write_arrays(path, arrays, {"format": INDEX_FORMAT, "network": network.checksum})
    return index
