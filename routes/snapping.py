"""Where a point joins a rail or road network: its nearest node, or its nearest point on an edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from routemap.errors import UnroutableLegError
from routemap.geo.network import EARTH_RADIUS_KM, Network, to_unit_vectors

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = ["EdgeSnap", "Snap", "snap", "snap_to_edge"]

_TREES: dict[str, cKDTree] = {}
_SEGMENTS: dict[str, _Segments] = {}
#: Upper ends of the segment size classes (km from a segment's middle to its ends); one
#: k-d tree per class keeps a query near short segments from scanning around the long ones.
_CLASS_RADII_KM = (1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, np.inf)
#: A point this close to an edge's end (as a fraction of the edge, 1 mm on a 1,000 km edge)
#: joins at the node itself.
_AT_NODE = 1e-9


# --- nearest nodes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snap:
    """Where a point joins the network: the node and the great-circle distance to it in km."""

    node: int
    km: float


def _tree(network: Network) -> cKDTree:
    tree = _TREES.get(network.checksum)
    if tree is None:
        from scipy.spatial import cKDTree  # scipy loads where a leg is snapped, not for a check of cached routes

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

    Parameters
    ----------
    network : Network
        The network (its spatial index is built on first use).
    lon, lat : float
        The point in degrees.
    eligible : numpy.ndarray, optional
        Boolean mask over network nodes (see :func:`allowed_nodes`).

    Returns
    -------
    Snap
        The node and the great-circle distance to it in km.

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


# --- nearest points on edges --------------------------------------------------------------------


@dataclass(frozen=True)
class EdgeSnap:
    """Where a point joins the network: a point on the edge between nodes ``u`` and ``v``.

    Attributes
    ----------
    u, v : int
        The edge's nodes (``u < v``).
    km_u, km_v : float
        Network km from the point along the edge to ``u`` and to ``v`` (they add up to the
        edge's length; one is 0 when the point is a node).
    lon, lat : float
        The point, on the great-circle arc between the two nodes.
    km : float
        Great-circle km from the point that was snapped to this one.
    """

    u: int
    v: int
    km_u: float
    km_v: float
    lon: float
    lat: float
    km: float

    @property
    def node(self) -> int:
        """Return the edge's node nearer along the edge (``u`` on a tie)."""
        return self.u if self.km_u <= self.km_v else self.v

    def exits(self) -> list[tuple[int, float]]:
        """Return each node the point leaves by and the network km to it."""
        return [(self.u, self.km_u), (self.v, self.km_v)]


@dataclass(frozen=True, eq=False)
class _Segments:
    """A network's edges as great-circle arcs, indexed for nearest-point queries."""

    u: np.ndarray
    v: np.ndarray
    km: np.ndarray
    xyz: np.ndarray
    classes: tuple[tuple[float, np.ndarray, cKDTree], ...]

    def arcs(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the unit vectors of the two ends of the given segments."""
        return self.xyz[self.u[ids]], self.xyz[self.v[ids]]


def _segments(network: Network) -> _Segments:
    """Return the segment index of a network (built once per network and kept in memory)."""
    found = _SEGMENTS.get(network.checksum)
    if found is not None:
        return found
    from scipy.spatial import cKDTree

    rows = np.repeat(np.arange(network.n_nodes, dtype=np.int64), np.diff(network.indptr))
    keep = rows < network.indices
    u, v = rows[keep], network.indices[keep].astype(np.int64)
    xyz = to_unit_vectors(network.lon, network.lat)
    a, b = xyz[u], xyz[v]
    middle = a + b
    middle /= np.maximum(np.linalg.norm(middle, axis=1), 1e-300)[:, None]
    radius = _angle(a, middle) * EARTH_RADIUS_KM
    del a, b
    classes, lower = [], 0.0
    for upper in _CLASS_RADII_KM:
        ids = np.flatnonzero((radius >= lower) & (radius < upper))
        if ids.size:
            top = float(radius[ids].max())
            classes.append((top, ids, cKDTree(middle[ids], balanced_tree=False)))
        lower = upper
    found = _SEGMENTS[network.checksum] = _Segments(u, v, network.weights[keep].astype(float),
                                                     xyz, tuple(classes))
    return found


def _cross(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the cross products of rows of 3-vectors (np.cross costs more on small arrays)."""
    return np.column_stack([x[:, 1] * y[:, 2] - x[:, 2] * y[:, 1],
                            x[:, 2] * y[:, 0] - x[:, 0] * y[:, 2],
                            x[:, 0] * y[:, 1] - x[:, 1] * y[:, 0]])


def _angle(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the angle in radians between unit vectors, row by row (exact near 0 and pi)."""
    return np.arctan2(np.linalg.norm(_cross(x, y), axis=-1), np.einsum("ij,ij->i", x, y))


def _nearest_on_arcs(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return, for each arc from ``a`` to ``b``, the angle from ``p`` to its nearest point,
    that point's fraction of the way from ``a``, and the point (unit vectors)."""
    n = _cross(a, b)
    size = np.linalg.norm(n, axis=1)
    real = size > 1e-15
    nh = n / np.where(real, size, 1.0)[:, None]
    s = nh @ p
    q = p[None, :] - s[:, None] * nh
    q_size = np.linalg.norm(q, axis=1)
    qh = q / np.where(q_size > 0, q_size, 1.0)[:, None]
    inside = (real & (q_size > 1e-15) & (np.einsum("ij,ij->i", _cross(a, qh), nh) >= 0)
              & (np.einsum("ij,ij->i", _cross(qh, b), nh) >= 0))
    pa, pb = _angle(np.broadcast_to(p, a.shape), a), _angle(np.broadcast_to(p, b.shape), b)
    near_a = pa <= pb
    span = _angle(a, b)
    t_inside = _angle(a, qh) / np.where(span > 0, span, 1.0)
    angle = np.where(inside, np.arcsin(np.clip(np.abs(s), 0.0, 1.0)), np.minimum(pa, pb))
    t = np.where(inside, np.clip(t_inside, 0.0, 1.0), np.where(near_a, 0.0, 1.0))
    point = np.where(inside[:, None], qh, np.where(near_a[:, None], a, b))
    return angle, t, point


def _candidates(segs: _Segments, p: np.ndarray, bound_km: float) -> np.ndarray:
    """Return the segments that may lie within ``bound_km`` of ``p`` (sorted ids)."""
    found = []
    for radius, ids, tree in segs.classes:
        reach = min((bound_km + radius) / EARTH_RADIUS_KM, np.pi)
        hits = tree.query_ball_point(p, 2.0 * np.sin(reach / 2.0) * (1 + 1e-9) + 1e-12)
        found.append(ids[np.asarray(hits, dtype=np.int64)])
    return np.sort(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def snap_to_edge(
    network: Network, lon: float, lat: float, *, eligible: np.ndarray | None = None
) -> EdgeSnap:
    """Return the nearest point to ``(lon, lat)`` on any network edge (the edge is split there).

    Only edges whose two nodes are ``eligible`` count. Ties go to the lowest edge id, so the
    answer does not depend on the query's history.

    Parameters
    ----------
    network : Network
        The network (its segment index is built on first use, once per network).
    lon, lat : float
        The point in degrees.
    eligible : numpy.ndarray, optional
        Boolean mask over network nodes (see :func:`allowed_nodes`).

    Returns
    -------
    EdgeSnap
        The edge, where on it the point joins, and the great-circle km to there.

    Raises
    ------
    UnroutableLegError
        If no edge may be used.
    """
    segs = _segments(network)
    p = to_unit_vectors(np.array([lon]), np.array([lat]))[0]
    try:
        bound = snap(network, lon, lat, eligible=eligible).km + 1e-9
        ids = _candidates(segs, p, bound)
    except UnroutableLegError:  # no eligible node: no eligible edge either
        ids = np.zeros(0, dtype=np.int64)
    if eligible is not None:
        ids = ids[eligible[segs.u[ids]] & eligible[segs.v[ids]]]
    if ids.size == 0:  # the nearest eligible node has no eligible edge: search them all
        ids = np.flatnonzero(eligible[segs.u] & eligible[segs.v] if eligible is not None
                             else np.ones(segs.u.size, dtype=bool))
        if ids.size == 0:
            raise UnroutableLegError("no network edge may be used")
    angle, t, point = _nearest_on_arcs(p, *segs.arcs(ids))
    best = int(np.argmin(angle))
    return _edge_snap(network, segs, int(ids[best]), float(t[best]), point[best],
                      float(angle[best]) * EARTH_RADIUS_KM)


def _edge_snap(network: Network, segs: _Segments, e: int, t: float, point: np.ndarray,
               km: float) -> EdgeSnap:
    u, v = int(segs.u[e]), int(segs.v[e])
    if t < _AT_NODE or t > 1.0 - _AT_NODE:  # at a node: its own coordinates, not a near copy
        t = 0.0 if t < 0.5 else 1.0
        node = u if t == 0.0 else v
        lon, lat = float(network.lon[node]), float(network.lat[node])
    else:
        lon = float(np.degrees(np.arctan2(point[1], point[0])))
        lat = float(np.degrees(np.arctan2(point[2], np.hypot(point[0], point[1]))))
    length = float(segs.km[e])
    return EdgeSnap(u, v, t * length, (1.0 - t) * length, lon, lat, km)
