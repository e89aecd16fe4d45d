"""The routing engine shared by rail and road: junction graph, contraction hierarchy, shortest paths."""

from __future__ import annotations

import heapq
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from routemap.errors import NetworkDataError, UnroutableLegError
from routemap.geo.network import (
    EARTH_RADIUS_KM,
    Network,
    cache_dir,
    read_arrays,
    to_unit_vectors,
    write_arrays,
)
from routemap.routes.geodesy import GEOD, densify, to_lonlat_geometry
from routemap.routes.leg import Finding, LegRequest, RoutedLeg

__all__ = [
    "INDEX_FORMAT",
    "RoutingIndex",
    "Path",
    "build_index",
    "load_index",
    "shortest_path",
    "allowed_nodes",
    "LegOptions",
    "Snap",
    "snap",
    "route_leg",
    "km_outside_countries",
]

log = logging.getLogger(__name__)

INDEX_FORMAT = 2
_DISK_CACHE_MIN_NODES = 20_000
_WITNESS_SETTLE_LIMIT = 60
# Road networks have few degree-2 nodes to fold (475,000 junctions for the world) and legs are
# few, so they skip the hierarchy: a cold build stays under a minute instead of several.
_NO_HIERARCHY_MODES = frozenset({"road"})
_INDEXES: dict[str, RoutingIndex] = {}
_TREES: dict[str, cKDTree] = {}


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
        """Return the walk-code table used to unpack shortcuts (built once, see ``_unpack``).

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


@dataclass(frozen=True)
class Path:
    """A shortest path between two network nodes: the nodes in order and the length in km."""

    nodes: np.ndarray
    km: float


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
    for e, (u, v, w) in enumerate(zip(eu.tolist(), ev.tolist(), ekm.tolist())):
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
    """Return the shortcuts contracting ``v`` needs (pairs with no witness path)."""
    neighbours = list(adj[v].items())
    out = []
    for i, (u, wu) in enumerate(neighbours[:-1]):
        targets = {x: wu + wx for x, wx in neighbours[i + 1:]}
        dist = _witness_search(adj, u, v, targets)
        out.extend((u, x, w) for x, w in targets.items() if dist.get(x, np.inf) > w)
    return out


def _witness_search(adj: list, source: int, skip: int, targets: dict[int, float]) -> dict:
    limit = max(targets.values())
    dist = {source: 0.0}
    heap = [(0.0, source)]
    remaining = set(targets)
    settled = 0
    while heap and remaining and settled < _WITNESS_SETTLE_LIMIT:
        d, x = heapq.heappop(heap)
        if d > dist[x]:
            continue
        if d > limit:
            break
        remaining.discard(x)
        settled += 1
        for y, w in adj[x].items():
            nd = d + w
            if y != skip and nd < dist.get(y, np.inf):
                dist[y] = nd
                heapq.heappush(heap, (nd, y))
    return dist


def _upward_arrays(n: int, up: list) -> dict[str, np.ndarray]:
    src, dst, km, mid, edge = (np.array(c) for c in zip(*up)) if up else (np.zeros(0),) * 5
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
    :func:`routemap.geo.network.cache_dir` under the network's checksum, written atomically. Large
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
    ok = np.ones(len(network.countries), dtype=bool)
    if within is not None:
        ok &= network.country_index(within)
    if avoid:
        ok &= ~network.country_index(avoid)
    return ok[network.node_country]


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
    index = load_index(network)
    if source == target:
        return Path(np.array([source]), 0.0)
    if allowed is not None and not (allowed[source] and allowed[target]):
        raise UnroutableLegError("an end of the leg lies in a country it may not use")
    src, dst = _entries(index, source), _entries(index, target)
    found = _hierarchy_search(index, src, dst) if index.has_hierarchy else None
    if not index.has_hierarchy or (
        allowed is not None and found is not None and not allowed[found.nodes].all()
    ):
        ok = allowed if allowed is not None else np.ones(network.n_nodes, dtype=bool)
        found = _masked_search(index, src, dst, ok[index.junction_node])
    direct = _same_edge(index, source, target)
    if direct is not None and (found is None or direct.km <= found.km):
        return direct
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


def _best_meeting(rows: dict[int, int], dist: np.ndarray, ends: list[_Entry], at: np.ndarray) -> tuple:
    """Return the best distance from a set of entries to each junction in ``at``, and the entry."""
    stack = np.stack([dist[rows[e.junction], at] + e.km for e in ends])
    which = stack.argmin(axis=0)
    return stack[which, np.arange(at.size)], which


def _hierarchy_search(index: RoutingIndex, src: list[_Entry], dst: list[_Entry]) -> Path | None:
    starts = sorted({e.junction for e in src} | {e.junction for e in dst})
    rows = {j: i for i, j in enumerate(starts)}
    dist, pred = dijkstra(index.up_graph(), directed=True, indices=starts,
                          return_predecessors=True)
    reached = np.isfinite(dist)
    from_src = reached[[rows[e.junction] for e in src]].any(axis=0)
    from_dst = reached[[rows[e.junction] for e in dst]].any(axis=0)
    common = np.flatnonzero(from_src & from_dst)
    if common.size == 0:
        return None
    ds, which_s = _best_meeting(rows, dist, src, common)
    dt, which_t = _best_meeting(rows, dist, dst, common)
    best = int((ds + dt).argmin())
    meet = int(common[best])
    a, b = src[which_s[best]], dst[which_t[best]]
    up = _pred_walk(pred[rows[a.junction]], meet)
    down = _pred_walk(pred[rows[b.junction]], meet)[::-1]
    junctions = np.array(up + down[1:], dtype=np.int64)
    edges, forward = _unpack(index, junctions)
    return _assemble(index, a, b, edges, forward)


def _pred_walk(pred: np.ndarray, node: int) -> list[int]:
    """Return the junctions from a search's source to ``node`` by following predecessors."""
    out = [node]
    while pred[node] >= 0:
        node = int(pred[node])
        out.append(node)
    return out[::-1]


def _lookup(keys: np.ndarray, a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    wanted = np.minimum(a, b) * n + np.maximum(a, b)
    pos = np.searchsorted(keys, wanted)
    if np.any(pos >= keys.size) or np.any(keys[np.minimum(pos, keys.size - 1)] != wanted):
        raise NetworkDataError("routing index is inconsistent: a path edge is missing")
    return pos


def _unpack(index: RoutingIndex, junctions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Expand hierarchy shortcuts on a junction path; return junction edges and directions.

    Each path step is a *walk code* ``2 * pair + (1 if walked high-to-low else 0)``. One table
    lookup per round turns every shortcut into its two halves (original edges stay), until
    nothing changes.
    """
    if junctions.size < 2:
        return np.zeros(0, np.int64), np.zeros(0, bool)
    a, b = junctions[:-1], junctions[1:]
    codes = 2 * _lookup(index.pair_key, a, b, index.n_junctions) + (a > b)
    halves = index.halves()
    while True:
        pieces = halves[codes]
        expanded = pieces[pieces >= 0]
        if expanded.size == codes.size:
            break
        codes = expanded
    pos, backwards = codes >> 1, (codes & 1).astype(bool)
    lows, highs = index.pair_ends()
    edges = index.pair_edge[pos].astype(np.int64)
    return edges, index.edge_u[edges] == np.where(backwards, highs[pos], lows[pos])


def _assemble(
    index: RoutingIndex, a: _Entry, b: _Entry, edges: np.ndarray, forward: np.ndarray
) -> Path:
    """Join the source lead-in, the expanded junction edges and the target lead-out."""
    middle = _expand(index, edges, forward)
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


def _masked_graph(index: RoutingIndex, ok: np.ndarray) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
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
    graph = csr_matrix((index.edge_km[ids], cols.astype(np.int32), indptr), shape=(n, n))
    key = rows * n + cols
    return graph, key, ids


def _masked_search(
    index: RoutingIndex, src: list[_Entry], dst: list[_Entry], ok: np.ndarray
) -> Path | None:
    src = [e for e in src if ok[e.junction]]
    dst = [e for e in dst if ok[e.junction]]
    if not src or not dst:
        return None
    graph, key, ids = _masked_graph(index, ok)
    starts = sorted({e.junction for e in src})
    rows = {j: i for i, j in enumerate(starts)}
    dist, pred = dijkstra(graph, directed=True, indices=starts, return_predecessors=True)
    ends = np.array([e.junction for e in dst])
    ds, which = _best_meeting(rows, dist, src, ends)
    finish = ds + np.array([e.km for e in dst])
    best = int(np.argmin(finish))
    if not np.isfinite(finish[best]):
        return None
    b = dst[best]
    a = src[which[best]]
    junctions = np.array(_pred_walk(pred[rows[a.junction]], b.junction), dtype=np.int64)
    n = index.n_junctions
    pos = np.searchsorted(key, junctions[:-1] * n + junctions[1:])
    edges = ids[pos].astype(np.int64)
    return _assemble(index, a, b, edges, index.edge_u[edges] == junctions[:-1])


# --- legs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegOptions:
    """How a mode routes legs: the noun used in messages and the QA thresholds (km)."""

    mode: str = "rail"
    snap_warn_km: float = 10.0
    outside_warn_km: float = 0.5
    draw_step_km: float = 25.0


@dataclass(frozen=True)
class Snap:
    """Where a point joins the network: the node and the great-circle distance to it in km."""

    node: int
    km: float


def _tree(network: Network) -> cKDTree:
    tree = _TREES.get(network.checksum)
    if tree is None:
        tree = _TREES[network.checksum] = cKDTree(
            to_unit_vectors(network.lon, network.lat), balanced_tree=False
        )
    return tree


def _km(network: Network, node: int, lon: float, lat: float) -> float:
    a = to_unit_vectors(np.array([network.lon[node]]), np.array([network.lat[node]]))
    b = to_unit_vectors(np.array([lon]), np.array([lat]))
    chord = float(np.linalg.norm(a - b))
    return 2.0 * EARTH_RADIUS_KM * float(np.arcsin(min(chord / 2.0, 1.0)))


def snap(network: Network, lon: float, lat: float, *, eligible: np.ndarray | None = None) -> Snap:
    """Return the nearest network node to a point, among ``eligible`` nodes if given.

    Raises
    ------
    UnroutableLegError
        If no node is eligible.
    """
    point = to_unit_vectors(np.array([lon]), np.array([lat]))[0]
    tree = _tree(network)
    for k in (1, 16, 256):
        k = min(k, network.n_nodes)
        _, idx = tree.query(point, k=k)
        idx = np.atleast_1d(idx)
        hits = idx if eligible is None else idx[eligible[idx]]
        if hits.size:
            return Snap(int(hits[0]), _km(network, int(hits[0]), lon, lat))
    candidates = np.flatnonzero(eligible)
    if candidates.size == 0:
        raise UnroutableLegError("no network node may be used")
    xyz = to_unit_vectors(network.lon[candidates], network.lat[candidates])
    best = int(candidates[np.linalg.norm(xyz - point, axis=1).argmin()])
    return Snap(best, _km(network, best, lon, lat))


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
        for s, found in zip(request.stops, snaps):
            free = snap(network, s.lon, s.lat)
            if found.km > free.km + options.snap_warn_km:
                raise UnroutableLegError(
                    f"{s.name} lies in a country the leg may not use (nearest allowed "
                    f"{options.mode} node {found.km:.0f} km away, nearest node {free.km:.0f} km)"
                )
    component = load_index(network).node_component()
    labels = {int(component[s.node]) for s in snaps}
    if len(labels) == 1:
        return snaps
    choices = []
    for label in sorted(labels):
        eligible = component == label if allowed is None else allowed & (component == label)
        option = [snap(network, s.lon, s.lat, eligible=eligible) for s in request.stops]
        if all(o.km <= s.km + options.snap_warn_km for o, s in zip(option, snaps)):
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

    Parameters
    ----------
    request : LegRequest
        The leg; ``stops`` are from, via..., to; ``within`` already has the scenario default.
    network : Network
        The network to route on.
    options : LegOptions
        Mode noun and QA thresholds.
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
                 for a, b in zip(snaps[:-1], snaps[1:])]
    except UnroutableLegError as exc:
        raise UnroutableLegError(f"{request.label}: {_explain(request, options)}: {exc}") from exc
    geometry = _geometry(network, request, snaps, paths, options)
    km = sum(p.km for p in paths) + snaps[0].km + snaps[-1].km
    findings = _snap_findings(request, snaps, options)
    findings += _country_findings(request, geometry, countries, options)
    return RoutedLeg(geometry=geometry, distance_km=float(km), geometry_kind="routed",
                     snap_km=tuple(round(s.km, 3) for s in snaps), network=network.label,
                     attribution=network.attribution, findings=tuple(findings))


def _explain(request: LegRequest, options: LegOptions) -> str:
    rules = []
    if request.within is not None:
        rules.append(f"within {', '.join(request.within)}")
    if request.avoid:
        rules.append(f"avoiding {', '.join(request.avoid)}")
    names = " -> ".join(s.name for s in request.stops)
    suffix = f" ({'; '.join(rules)})" if rules else ""
    return f"the {options.mode} network cannot connect {names}{suffix}"


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


def _snap_findings(request: LegRequest, snaps: list[Snap], options: LegOptions) -> list[Finding]:
    out = []
    last = len(snaps) - 1
    for i, (stop, s) in enumerate(zip(request.stops, snaps)):
        far = s.km > options.snap_warn_km
        if far:
            log.warning("%s: %s is %.1f km from the %s network", request.label, stop.name,
                        s.km, options.mode, extra={"finding": "snap_distance"})
        out.append(Finding("warning" if far else "info", "snap_distance",
                           f"{stop.name} joined the {options.mode} network {s.km:.1f} km away",
                           round(s.km, 3)))
        if far and 0 < i < last:
            out.append(Finding("warning", "via_missed",
                               f"via {stop.name} is {s.km:.1f} km from the route", round(s.km, 3)))
    return out


def _country_findings(
    request: LegRequest, geometry: object, countries: object | None, options: LegOptions
) -> list[Finding]:
    if countries is None:
        from routemap.geo.countries import load_countries

        countries = load_countries()
    if request.within is None and not request.avoid:
        return [_crossing_finding(request, geometry, countries, options)]
    out = []
    if request.within is not None:
        km = km_outside_countries(geometry, countries, keep=request.within)
        out.append(Finding("warning" if km > options.outside_warn_km else "info",
                           "km_outside_within",
                           f"{km:.1f} km outside {', '.join(request.within)}", round(km, 3)))
    if request.avoid:
        km = km_outside_countries(geometry, countries, only=request.avoid)
        out.append(Finding("warning" if km > options.outside_warn_km else "info",
                           "km_in_avoided",
                           f"{km:.1f} km inside {', '.join(request.avoid)}", round(km, 3)))
    return out


def _crossing_finding(request: LegRequest, geometry: object, countries: object,
                      options: LegOptions) -> Finding:
    """Say which countries an unconstrained leg runs through; warn about third countries."""
    from routemap.geo.countries import country_codes_at

    ends = request.stops[0], request.stops[-1]
    end_codes = set(country_codes_at(countries, np.array([e.lon for e in ends]),
                                     np.array([e.lat for e in ends])))
    per_country = km_by_country(geometry, countries)
    listed = ", ".join(f"{code or '??'} {km:,.0f} km" for code, km in per_country.items())
    third = {c: km for c, km in per_country.items() if c not in end_codes and km > options.outside_warn_km}
    if not third:
        return Finding("info", "countries_crossed", f"runs through {listed or 'no country'}")
    named = ", ".join(f"{code} ({km:,.0f} km)" for code, km in third.items())
    return Finding("warning", "countries_crossed",
                   f"passes through {named}, where neither end lies; add 'within' or 'avoid' to "
                   f"keep it out (runs through {listed})", round(sum(third.values()), 3))


def km_outside_countries(
    geometry: object,
    countries: object,
    *,
    keep: tuple[str, ...] | None = None,
    only: tuple[str, ...] = (),
) -> float:
    """Return the geodesic km of a line lying inside country polygons it should not enter.

    Parameters
    ----------
    geometry : shapely LineString or MultiLineString
        Lon/lat line.
    countries : geopandas.GeoDataFrame
        ``iso2`` and ``geometry`` columns (see :func:`routemap.geo.countries.read_countries`).
    keep : tuple of str, optional
        Count the km inside every country *not* listed (sea does not count).
    only : tuple of str
        Count the km inside these countries.
    """
    wanted = {c.upper() for c in only}
    allowed = None if keep is None else {c.upper() for c in keep}
    per_country = km_by_country(
        geometry, countries,
        include=lambda code: (allowed is not None and code not in allowed) or code in wanted)
    return sum(per_country.values())


def km_by_country(geometry: object, countries: object, *,
                  include: Callable[[str], bool] | None = None) -> dict[str, float]:
    """Return the geodesic km of a line inside each country it enters, longest first.

    Parameters
    ----------
    geometry : shapely LineString or MultiLineString
        Lon/lat line.
    countries : geopandas.GeoDataFrame
        ``iso2`` and ``geometry`` columns (see :func:`routemap.geo.countries.read_countries`).
    include : callable, optional
        Measure only the countries whose ISO2 code it accepts (measuring a large country's
        polygon is the costly part, so skip those not needed).
    """
    import shapely

    polygons = countries.geometry.values
    codes = countries["iso2"].to_numpy()
    out: dict[str, float] = {}
    for i in shapely.STRtree(polygons).query(geometry, predicate="intersects"):
        code = str(codes[i])
        if include is not None and not include(code):
            continue
        km = GEOD.geometry_length(shapely.intersection(geometry, polygons[i])) / 1000.0
        if km > 0:
            out[code] = out.get(code, 0.0) + km
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))
