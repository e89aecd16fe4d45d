"""Rail and road networks: compact node/edge arrays with a country per node, cached on disk."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path

import numpy as np

from routemap.cache import cache_dir, checksum, read_arrays, write_arrays
from routemap.errors import NetworkDataError

__all__ = [
    "CACHE_FORMAT",
    "EARTH_RADIUS_KM",
    "RAIL_ATTRIBUTION",
    "ROAD_ATTRIBUTION",
    "EdgeList",
    "Network",
    "assign_countries",
    "build_network",
    "build_scgraph_network",
    "heal_gaps",
    "load_network",
    "load_rail_network",
    "load_road_network",
    "node_countries",
    "parse_scgraph_source",
    "read_network",
    "read_scgraph_source",
    "to_unit_vectors",
    "undirected_edges",
    "write_network",
]

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
CACHE_FORMAT = 1
RAIL_ATTRIBUTION = "Rail network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"
ROAD_ATTRIBUTION = "Road network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"
HEAL_KM = 2.0
COUNTRY_NEAREST_KM = 5.0
_SOURCES = {
    "world_railways": ("rail", RAIL_ATTRIBUTION),
    "world_highways": ("road", ROAD_ATTRIBUTION),
}
_PUNCTUATION = str.maketrans("{}[]:,", "      ")


@dataclass(frozen=True, eq=False)
class Network:
    """An undirected network with lengths in km, stored as CSR arrays.

    Attributes
    ----------
    name : str
        Short name, e.g. ``world_railways``.
    mode : str
        ``rail`` or ``road``.
    source : str
        Where the data came from and its version, e.g. ``scgraph_data 2.0.0``.
    attribution : str
        The licence line that must travel with anything drawn from it.
    lon, lat : numpy.ndarray
        Node coordinates in degrees (float64, one per node).
    indptr, indices, weights : numpy.ndarray
        Symmetric CSR adjacency: the neighbours of node ``i`` are
        ``indices[indptr[i]:indptr[i + 1]]`` at ``weights[...]`` km (true track or road length).
    node_country : numpy.ndarray
        int16 index into ``countries`` for each node.
    countries : tuple of str
        ISO2 code table; ``countries[0]`` is ``""`` (no country).
    checksum : str
        SHA-256 of the arrays; identifies the network (and any index derived from it).
    """

    name: str
    mode: str
    source: str
    attribution: str
    lon: np.ndarray = field(repr=False)
    lat: np.ndarray = field(repr=False)
    indptr: np.ndarray = field(repr=False)
    indices: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    node_country: np.ndarray = field(repr=False)
    countries: tuple[str, ...] = field(default=("",), repr=False)
    checksum: str = ""

    @property
    def n_nodes(self) -> int:
        """Return the number of nodes."""
        return int(self.lon.shape[0])

    @property
    def n_edges(self) -> int:
        """Return the number of undirected edges."""
        return int(self.indices.shape[0] // 2)

    @property
    def label(self) -> str:
        """Return ``name (source)``, e.g. ``world_railways (scgraph_data 2.0.0)``."""
        return f"{self.name} ({self.source})"

    def country_codes(self) -> np.ndarray:
        """Return the ISO2 code of every node as an array of str (``""`` for none)."""
        return np.asarray(self.countries, dtype=object)[self.node_country].astype(str)

    def country_index(self, codes: tuple[str, ...] | list[str]) -> np.ndarray:
        """Return a boolean array over ``countries`` that is True for the given ISO2 codes."""
        wanted = {c.upper() for c in codes}
        return np.array([c in wanted for c in self.countries], dtype=bool)


@dataclass(frozen=True)
class EdgeList:
    """Undirected edges ``(u, v)`` with ``u < v``, no duplicates, lengths in km."""

    u: np.ndarray
    v: np.ndarray
    km: np.ndarray


def to_unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return points on the unit sphere (n x 3), so chord length x radius ~ distance."""
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    cos_lat = np.cos(lat_r)
    return np.column_stack([cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)])


def _chord_km(xyz_a: np.ndarray, xyz_b: np.ndarray) -> np.ndarray:
    chord = np.linalg.norm(xyz_a - xyz_b, axis=-1)
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))


# --- reading scgraph_data -------------------------------------------------------------------


def read_scgraph_source(name: str) -> tuple[str, str]:
    """Return the text of a ``scgraph_data`` module and the package version, without importing it.

    Parameters
    ----------
    name : str
        Module name, e.g. ``world_railways``.

    Raises
    ------
    NetworkDataError
        If ``scgraph_data`` or the module is not installed.
    """
    spec = util.find_spec("scgraph_data")
    if spec is None or not spec.submodule_search_locations:
        raise NetworkDataError("the world networks are missing: install scgraph_data")
    path = Path(next(iter(spec.submodule_search_locations))) / f"{name}.py"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NetworkDataError(f"cannot read network {name!r} at {path}: {exc}") from exc
    return text, metadata.version("scgraph_data")


def _literal(text: str, name: str) -> str:
    found = re.search(rf"^{name}\s*=", text, flags=re.MULTILINE)
    if found is None:
        raise NetworkDataError(f"no '{name}=' literal found in the scgraph_data module")
    end = text.find("\n", found.end())
    return text[found.end() : end if end > 0 else len(text)]


def parse_scgraph_source(text: str) -> tuple[EdgeList, np.ndarray, np.ndarray]:
    """Parse a scgraph GeoGraph module (``graph=[{j: km}, ...]``, ``nodes=[[lat, lon], ...]``).

    The literals are read as text (no ``import``, no ``ast``): a dict per node, so the row of
    each ``key: value`` pair is the number of ``{`` before it.

    Parameters
    ----------
    text : str
        The module source.

    Returns
    -------
    edges : EdgeList
        Undirected edges without self-loops, the shortest of any parallel pair kept.
    lon, lat : numpy.ndarray
        Node coordinates.

    Raises
    ------
    NetworkDataError
        If the literals do not have the expected shape.
    """
    graph_text, nodes_text = _literal(text, "graph"), _literal(text, "nodes")
    raw = np.frombuffer(graph_text.encode("ascii"), dtype=np.uint8)
    opens = np.flatnonzero(raw == ord("{"))
    rows = np.searchsorted(opens, np.flatnonzero(raw == ord(":"))) - 1
    try:
        pairs = np.array(graph_text.translate(_PUNCTUATION).split(), dtype=float)
        coords = np.array(nodes_text.translate(_PUNCTUATION).split(), dtype=float)
    except ValueError as exc:
        raise NetworkDataError(f"unexpected token in the network literal: {exc}") from exc
    if pairs.size != 2 * rows.size or coords.size != 2 * opens.size:
        raise NetworkDataError(
            f"network literal is malformed: {opens.size} adjacency dicts, "
            f"{coords.size / 2:g} node coordinates, {rows.size} edges"
        )
    cols, km = pairs[0::2].astype(np.int64), pairs[1::2]
    if cols.size and (cols.min() < 0 or cols.max() >= opens.size or not np.isfinite(km).all()):
        raise NetworkDataError("network literal has an edge to an unknown node or a bad length")
    coords = coords.reshape(-1, 2)
    return undirected_edges(rows, cols, km), coords[:, 1].copy(), coords[:, 0].copy()


def undirected_edges(u: np.ndarray, v: np.ndarray, km: np.ndarray) -> EdgeList:
    """Return unique undirected edges ``u < v`` (shortest parallel kept), self-loops dropped."""
    u, v, km = np.asarray(u), np.asarray(v), np.asarray(km, dtype=float)
    keep = u != v
    lo, hi, km = np.minimum(u, v)[keep], np.maximum(u, v)[keep], km[keep]
    order = np.lexsort((km, hi, lo))
    lo, hi, km = lo[order], hi[order], km[order]
    first = np.ones(lo.size, dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return EdgeList(lo[first].astype(np.int64), hi[first].astype(np.int64), km[first])


# --- pure builders ----------------------------------------------------------------------------


def _components(n: int, edges: EdgeList) -> np.ndarray:
    from scipy.sparse import coo_matrix, csgraph  # here: a check of cached routes never loads scipy

    adj = coo_matrix((np.ones(edges.u.size), (edges.u, edges.v)), shape=(n, n))
    return csgraph.connected_components(adj, directed=False)[1]


def heal_gaps(
    lon: np.ndarray, lat: np.ndarray, edges: EdgeList, *, max_gap_km: float = HEAL_KM
) -> EdgeList:
    """Join components lying within ``max_gap_km`` of the main (largest) network.

    Each such component gets one straight connector between its node nearest the main network
    and that main-network node, with its geodesic length. Repeats until nothing more joins, so a
    chain of close pieces joins too.

    Returns
    -------
    EdgeList
        The connectors added (possibly empty); the input is not changed.
    """
    xyz = to_unit_vectors(lon, lat)
    added: list[tuple[int, int, float]] = []
    current = edges
    while True:
        new = _nearest_connectors(xyz, _components(lon.size, current), max_gap_km)
        if not new:
            break
        added.extend(new)
        u, v, km = (np.array(x) for x in zip(*new, strict=False))
        current = EdgeList(
            np.concatenate([current.u, np.minimum(u, v)]),
            np.concatenate([current.v, np.maximum(u, v)]),
            np.concatenate([current.km, km]),
        )
    if not added:
        return EdgeList(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    u, v, km = (np.array(x) for x in zip(*added, strict=False))
    log.info("healed %d gaps up to %.2f km", len(added), km.max())
    return undirected_edges(u.astype(np.int64), v.astype(np.int64), km)


def _nearest_connectors(
    xyz: np.ndarray, labels: np.ndarray, max_gap_km: float
) -> list[tuple[int, int, float]]:
    main = np.bincount(labels).argmax()
    main_nodes = np.flatnonzero(labels == main)
    others = np.flatnonzero(labels != main)
    if others.size == 0:
        return []
    from scipy.spatial import cKDTree

    bound = max_gap_km / EARTH_RADIUS_KM
    dist, idx = cKDTree(xyz[main_nodes]).query(xyz[others], distance_upper_bound=bound)
    hit = np.isfinite(dist)
    others, dist, targets = others[hit], dist[hit], main_nodes[idx[hit]]
    order = np.lexsort((dist, labels[others]))
    first = np.ones(order.size, dtype=bool)
    first[1:] = labels[others[order][1:]] != labels[others[order][:-1]]
    best = order[first]
    km = _chord_km(xyz[others[best]], xyz[targets[best]])
    return [(int(a), int(b), float(k)) for a, b, k in zip(others[best], targets[best], km, strict=False)]


def assign_countries(
    codes: np.ndarray,
    countries_iso2: np.ndarray,
    nearest: np.ndarray,
    nearest_km: np.ndarray,
    *,
    max_km: float = COUNTRY_NEAREST_KM,
) -> np.ndarray:
    """Fill blank country codes with the nearest country when it lies within ``max_km``.

    Parameters
    ----------
    codes : numpy.ndarray
        ISO2 per node from point-in-polygon (``""`` outside every polygon).
    countries_iso2 : numpy.ndarray
        ISO2 per country polygon.
    nearest, nearest_km : numpy.ndarray
        Per node: index of the nearest country polygon and its distance in km (used where
        ``codes`` is blank).

    Returns
    -------
    numpy.ndarray
        A new array of str codes.
    """
    out = np.asarray(codes, dtype=object).copy()
    fill = (out == "") & (nearest >= 0) & (nearest_km <= max_km)
    out[fill] = np.asarray(countries_iso2, dtype=object)[nearest[fill]]
    return out.astype(str)


def build_network(
    lon: np.ndarray,
    lat: np.ndarray,
    edges: EdgeList,
    codes: np.ndarray,
    *,
    name: str,
    mode: str,
    source: str,
    attribution: str,
) -> Network:
    """Build a :class:`Network` from coordinates, undirected edges and a country per node.

    Zero lengths are raised to 1 mm so sparse-graph routines never drop the edge.
    """
    n = int(lon.size)
    km = np.maximum(edges.km, 1e-6)
    rows = np.concatenate([edges.u, edges.v])
    cols = np.concatenate([edges.v, edges.u])
    order = np.lexsort((cols, rows))
    rows, cols, km2 = rows[order], cols[order], np.concatenate([km, km])[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    known, inverse = np.unique(np.asarray(codes).astype(str), return_inverse=True)
    # Sorted by code point as Python sorts str; "" (no country) is always entry 0.
    blank_first = known.size > 0 and known[0] == ""
    table = ("", *known[1:].tolist()) if blank_first else ("", *known.tolist())
    node_country = (inverse.reshape(-1) + (0 if blank_first else 1)).astype(np.int16)
    arrays = {
        "lon": np.ascontiguousarray(lon, dtype=np.float64),
        "lat": np.ascontiguousarray(lat, dtype=np.float64),
        "indptr": indptr,
        "indices": cols.astype(np.int32),
        "weights": km2.astype(np.float64),
        "node_country": node_country,
    }
    return Network(name, mode, source, attribution, countries=table,
                   checksum=checksum(arrays, table), **arrays)


# --- cache files ------------------------------------------------------------------------------


def write_network(network: Network, path: Path) -> None:
    """Write a network to a cache file (atomic, checksummed)."""
    arrays = {key: getattr(network, key) for key in
              ("lon", "lat", "indptr", "indices", "weights", "node_country")}
    meta = {"format": CACHE_FORMAT, "name": network.name, "mode": network.mode,
            "source": network.source, "attribution": network.attribution,
            "countries": list(network.countries), "checksum": network.checksum}
    write_arrays(path, arrays, meta)


def read_network(path: Path) -> Network:
    """Read a network written by :func:`write_network`.

    Raises
    ------
    NetworkDataError
        If the file is unreadable, corrupt or of another format.
    """
    arrays, meta = read_arrays(path)
    if meta.get("format") != CACHE_FORMAT:
        raise NetworkDataError(f"cache {path} has format {meta.get('format')}, not {CACHE_FORMAT}")
    return Network(meta["name"], meta["mode"], meta["source"], meta["attribution"],
                   countries=tuple(meta["countries"]), checksum=meta["checksum"], **arrays)


# --- loaders ------------------------------------------------------------------------------------


def node_countries(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the Natural Earth country of each node, nearest within a few km at coasts."""
    import shapely

    from routemap.geo.countries import country_codes_at, load_countries, nearest_outside

    countries = load_countries()
    codes = country_codes_at(countries, lon, lat)
    blank = np.flatnonzero(codes == "")
    nearest = np.full(lon.size, -1, dtype=np.int64)
    nearest_km = np.full(lon.size, np.inf)
    if blank.size:
        degrees = COUNTRY_NEAREST_KM / 111.0 / np.cos(np.radians(75.0))
        src, dst, ends = nearest_outside(countries.geometry.values,
                                         shapely.points(lon[blank], lat[blank]), max_distance=degrees)
        nearest[blank[src]] = dst
        nearest_km[blank[src]] = _chord_km(to_unit_vectors(lon[blank[src]], lat[blank[src]]),
                                           to_unit_vectors(ends[:, 0], ends[:, 1]))
    return assign_countries(codes, countries["iso2"].to_numpy(), nearest, nearest_km)


def build_scgraph_network(name: str) -> Network:
    """Build a network from the installed ``scgraph_data`` module ``name`` (slow: seconds)."""
    if name not in _SOURCES:
        raise NetworkDataError(f"unknown network {name!r}; known: {sorted(_SOURCES)}")
    text, version = read_scgraph_source(name)
    edges, lon, lat = parse_scgraph_source(text)
    del text
    links = heal_gaps(lon, lat, edges)
    edges = undirected_edges(np.concatenate([edges.u, links.u]),
                             np.concatenate([edges.v, links.v]),
                             np.concatenate([edges.km, links.km]))
    mode, attribution = _SOURCES[name]
    return build_network(lon, lat, edges, node_countries(lon, lat), name=name, mode=mode,
                         source=f"scgraph_data {version}", attribution=attribution)


def load_network(name: str, *, directory: Path | None = None,
                 builder: Callable[[str], Network] | None = None) -> Network:
    """Return a bundled network from the cache, building and caching it on first use.

    A cache file that is truncated, damaged or of another format fails its checksum and is
    rebuilt. Concurrent processes may both build; each writes a complete file under a
    temporary name and renames it, so a reader never sees a partial one. A cache that cannot
    be written (read-only or full disk) costs a rebuild next time, not the run.

    Parameters
    ----------
    name : str
        ``world_railways`` or ``world_highways``.
    directory : Path, optional
        Cache folder; default :func:`routemap.cache.cache_dir`.
    builder : callable, optional
        Builds the network from its name when the cache cannot serve it; default
        :func:`build_scgraph_network` (tests pass a small one).

    Raises
    ------
    NetworkDataError
        If the source data is missing or malformed.
    """
    folder = directory or cache_dir()
    version = metadata.version("scgraph_data") if util.find_spec("scgraph_data") else "missing"
    path = folder / f"{name}-scgraph_data-{version}-v{CACHE_FORMAT}.npz"
    if path.exists():
        try:
            return read_network(path)
        except NetworkDataError as exc:
            log.warning("%s; rebuilding it", exc)
    log.info("building the %s cache at %s (once; takes a few seconds)", name, path)
    network = (builder or build_scgraph_network)(name)
    try:
        write_network(network, path)
    except OSError as exc:
        log.warning("cannot write the network cache %s: %s", path, exc.strerror or exc)
    return network


@functools.lru_cache(maxsize=1)
def load_rail_network() -> Network:
    """Return the world rail network (OpenStreetMap via scgraph_data), cached per process."""
    return load_network("world_railways")


@functools.lru_cache(maxsize=1)
def load_road_network() -> Network:
    """Return the world road network (OpenStreetMap via scgraph_data), cached per process."""
    return load_network("world_highways")
