"""The routing index: chains of degree-2 nodes folded into junction edges, cached on disk."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from routemap.cache import cache_dir, read_arrays, write_arrays
from routemap.errors import NetworkDataError
from routemap.geo.network import Network

__all__ = ["INDEX_FORMAT", "RoutingIndex", "build_index", "load_index"]

log = logging.getLogger(__name__)

#: 3: the contraction hierarchy's arrays are gone (format 2 had them).
INDEX_FORMAT = 3
_DISK_CACHE_MIN_NODES = 20_000
_INDEXES: dict[str, RoutingIndex] = {}


@dataclass(frozen=True, eq=False)
class RoutingIndex:
    """A network prepared for fast queries; derived from a :class:`~routemap.geo.network.Network` only.

    Nodes of degree 2 whose neighbours share their country are folded into *chains*; the other
    nodes are *junctions*. Junction edges (one per chain) carry the chain length. Every query is
    a Dijkstra search on the junction graph (see :mod:`routemap.routes.graph`): on the world rail
    network, 88,000 junctions and 142,000 junction edges against 275,000 nodes.

    A contraction hierarchy answered unconstrained queries here until December 2026: 0.6 ms a
    query against about 11 ms for a search from one junction, but its build took 10-12 s for
    each network variant (every scenario with its own ``network_additions`` is one) and
    routing a generated 1,000-transfer scenario took as long with it as without it, since legs
    from one place share their search tree.

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

    @property
    def n_junctions(self) -> int:
        """Return the number of junctions."""
        return int(self.junction_node.size)

    def node_component(self) -> np.ndarray:
        """Return the component label of every network node (built once)."""
        cached = self.__dict__.get("_node_component")
        if cached is None:
            junction = np.where(self.node_junction >= 0, self.node_junction,
                                self.edge_u[np.maximum(self.node_edge, 0)])
            cached = self.component[junction]
            object.__setattr__(self, "_node_component", cached)
        return cached


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


def build_index(network: Network) -> RoutingIndex:
    """Prepare a network for routing: fold its chains into junction edges.

    Pure and deterministic; about 1 s on the world rail network (see :func:`load_index`).

    Parameters
    ----------
    network : Network
        The network.
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
    log.info("routing index: %d junctions, %d junction edges", n, eu.size)
    return RoutingIndex(node_junction=node_junction, junction_node=junction_node,
                        edge_u=eu.astype(np.int32), edge_v=ev.astype(np.int32), edge_km=ekm,
                        component=component, **arrays)


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
    :func:`routemap.cache.cache_dir` under the network's checksum, written atomically. Writing
    one removes that network's indexes of other formats (the format-2 files, 19 MB each, held
    a contraction hierarchy); the indexes of its other variants (a scenario's added track)
    stay.
    """
    index = _INDEXES.get(network.checksum)
    if index is not None:
        return index
    if network.n_nodes < _DISK_CACHE_MIN_NODES:
        index = build_index(network)
    else:
        index = _cached_index(network)
    _INDEXES[network.checksum] = index
    return index


def _cached_index(network: Network) -> RoutingIndex:
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
    index = build_index(network)
    arrays = {f.name: getattr(index, f.name) for f in fields(index)}
    write_arrays(path, arrays, {"format": INDEX_FORMAT, "network": network.checksum})
    _remove_other_formats(path.parent, network.name)
    return index


def _remove_other_formats(folder: Path, name: str) -> None:
    """Remove the cached indexes of network ``name`` written in another index format."""
    for old in folder.glob(f"index-{name}-*-v*.npz"):
        if old.name.rsplit("-v", 1)[-1] != f"{INDEX_FORMAT}.npz":
            try:
                old.unlink()
            except OSError as exc:  # another process removed it, or the folder is read-only
                log.debug("could not remove the old routing index %s: %s", old, exc)
