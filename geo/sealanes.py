"""The sea network: searoute's lanes joined across 180 degrees, rivers, canals, passages, land."""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from routemap.cache import cache_dir, read_arrays, write_arrays
from routemap.errors import NetworkDataError, UnroutableLegError, library_detail
from routemap.geo.countries import NATURAL_EARTH_ATTRIBUTION, load_land
from routemap.geo.landtiles import LandTiles
from routemap.geo.waterways import Waterway, WaterwayData, load_waterways
from routemap.lazy import package_folder

__all__ = [
    "CANAL_PASSAGES",
    "DEFAULT_AVOID",
    "MARNET_ATTRIBUTION",
    "NORTHERN_SEA_ROUTE",
    "PASSAGES",
    "LandTiles",
    "LaneData",
    "SeaNetwork",
    "add_waterways",
    "build_sea_network",
    "in_northern_sea_route",
    "join_antimeridian",
    "load_sea_network",
    "passage_tags",
    "read_marnet",
    "tag_northern_sea_route",
    "waterway_tag",
]

logger = logging.getLogger(__name__)

#: Passage names accepted in a sea leg's ``avoid``, mapped to searoute's edge tags.
PASSAGES: Mapping[str, tuple[str, ...]] = {
    "bab-el-mandeb": ("babalmandab",),
    "bering": ("bering",),
    "bosporus": ("bosporus",),
    "cape-horn": ("chili",),
    "cape-of-good-hope": ("south_africa",),
    "dardanelles": ("dardanelles",),
    "gibraltar": ("gibraltar",),
    "hormuz": ("ormuz",),
    "malacca": ("malacca",),
    "northern-sea-route": ("northern_sea_route",),  # routemap's tag, not searoute's
    "northwest": ("northwest",),
    "panama": ("panama",),
    "suez": ("suez",),
    "sunda": ("sunda",),
    "volga-don": ("volga_don",),  # a canal of data/waterways.yaml
}

#: searoute tags of passages that are canals: their lanes may cross Natural Earth land.
CANAL_PASSAGES: frozenset[str] = frozenset({"suez", "panama"})

#: Passages always avoided, as searoute does by default (Arctic lanes, ice-bound much of the year).
DEFAULT_AVOID: tuple[str, ...] = ("northwest",)

MARNET_ATTRIBUTION = (
    "Sea lanes: Eurostat SeaRoute marnet (EUPL), via searoute-py (Gent Halili, Apache-2.0)"
)

#: The tag routemap gives the Russian Arctic's lanes (see :func:`tag_northern_sea_route`).
NORTHERN_SEA_ROUTE = "northern_sea_route"

#: Lanes of the Russian Arctic, tagged ``northern_sea_route`` by routemap: both ends east of this
#: longitude (or west of the Bering Strait, below) and north of this latitude.
_NSR_WEST_LON, _NSR_SOUTH_LAT = 60.0, 65.5
#: The Bering Strait's western shore (Cape Dezhnev, 169.65 W) plus a margin: lanes west of it
#: belong to the Russian side.
_NSR_EAST_LON = -169.0
#: A marnet lane crossing land with both ends this near (degrees) a waterway's course is replaced.
_REPLACED_NEAR_DEG = 0.3
#: A river mouth joins this many nearest lane nodes, if within this many km of the nearest.
_MOUTH_LINKS, _MOUTH_SLACK_KM = 4, 150.0
#: ...and if the straight link crosses no more land than this (a coastline's width).
_MOUTH_LAND_KM = 2.0
#: Nodes closer than this (degrees) once longitudes are wrapped are one node.
_SAME_NODE_DEG = 1e-6
#: The layout of the cached lane file; bump when it changes.
_LANES_FORMAT = 1

_MARNET_MODULE = "searoute.data.marnet_dict"
_NO_PASSAGE = ""
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True, eq=False)
class LaneData:
    """The lane graph as plain arrays: nodes, undirected edges, their lengths and passage tags.

    Attributes
    ----------
    nodes : numpy.ndarray
        ``(n, 2)`` lon/lat of each node; as marnet stores them, longitudes may leave
        [-180, 180] near the antimeridian (:func:`join_antimeridian` wraps them).
    edges : numpy.ndarray
        ``(m, 2)`` node indices, each undirected edge once.
    weight_km : numpy.ndarray
        ``(m,)`` geodesic edge lengths in km (zero for marnet's links joining -180 and 180,
        which :func:`join_antimeridian` drops).
    passage : numpy.ndarray
        ``(m,)`` searoute passage tag per edge, ``""`` where none.
    """

    nodes: np.ndarray
    edges: np.ndarray
    weight_km: np.ndarray
    passage: np.ndarray


@dataclass(frozen=True, eq=False)
class SeaNetwork:
    """Everything sea routing needs: the lane graph, land and its raster tiles.

    Attributes
    ----------
    lanes : LaneData
        The maritime lane graph.
    land : shapely geometry
        Land (prepared), against which routes are checked.
    tiles : LandTiles
        Land rasterised in cached tiles, for water-grid routing.
    name : str
        Names the network and its versions, for ``RoutedLeg.network``.
    attribution : str
        The licence lines that must travel with routed geometry.
    inland_tags : frozenset of str
        Edge tags of rivers and canals from the waterways file: their km are inland waterway.
    waterway_attribution : str
        The licence line that travels with legs using those rivers and canals.
    """

    lanes: LaneData
    land: BaseGeometry
    tiles: LandTiles
    name: str = ""
    attribution: str = ""
    inland_tags: frozenset[str] = frozenset()
    waterway_attribution: str = ""


def passage_tags(names: Iterable[str]) -> frozenset[str]:
    """Return the searoute edge tags for passage names, plus the passages always avoided.

    Parameters
    ----------
    names : iterable of str
        Names from a leg's ``avoid`` (``suez``, ``bab-el-mandeb``...), any case.

    Returns
    -------
    frozenset of str
        searoute tags (``babalmandab``...).

    Raises
    ------
    UnroutableLegError
        Naming every unknown passage and listing the valid names.
    """
    wanted = [str(name).strip().lower() for name in names]
    unknown = sorted({name for name in wanted if name not in PASSAGES})
    if unknown:
        raise UnroutableLegError(
            f"unknown sea passage(s) {', '.join(map(repr, unknown))} in avoid; "
            f"valid passages: {', '.join(sorted(PASSAGES))}"
        )
    chosen = [*DEFAULT_AVOID, *wanted]
    return frozenset(tag for name in chosen for tag in PASSAGES[name])


def read_marnet() -> tuple[dict, dict]:
    """Read searoute's marnet node and adjacency dicts from the installed package.

    Returns
    -------
    tuple of dict
        ``(nodes, adjacency)``: nodes keyed by ``(lon, lat)``, adjacency
        ``{u: {v: {"weight": km, "passage": tag}}}``, both directions present.

    Raises
    ------
    NetworkDataError
        If searoute is not installed or its data module has changed shape.
    """
    try:
        module = _marnet_module()
        return dict(module.node_list), dict(module.edge_list)
    except (ImportError, OSError, AttributeError, TypeError, ValueError) as exc:
        raise _searoute_broken(f"its lane network ({_MARNET_MODULE}) is missing or has changed",
                               exc) from exc


def _marnet_module() -> ModuleType:
    """Run searoute's marnet data module from its file, without importing searoute.

    Importing the package runs its ``__init__``, which loads networkx (about a second) that
    nothing here uses; the data module is plain literals, compiled once by Python as usual.

    Raises
    ------
    ImportError
        If searoute is not installed.
    OSError
        If its data module cannot be read.
    """
    package, *inside = _MARNET_MODULE.split(".")
    path = package_folder(package).joinpath(*inside).with_suffix(".py")
    module_spec = importlib.util.spec_from_file_location("_routemap_" + _MARNET_MODULE.replace(".", "_"), path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def _searoute_version() -> str:
    """Return the installed searoute's version, for the network's name and attribution.

    Raises
    ------
    NetworkDataError
        If searoute has no installed package metadata.
    """
    try:
        return metadata.version("searoute")
    except metadata.PackageNotFoundError as exc:
        raise _searoute_broken("its package metadata is missing", exc) from exc


def _searoute_broken(what: str, exc: BaseException) -> NetworkDataError:
    return NetworkDataError(
        f"cannot read the sea lanes shipped with searoute: {what}; reinstall searoute, at the "
        f"version routemap was tested with" + library_detail("searoute", exc))


def build_lane_data(nodes: Mapping, adjacency: Mapping) -> LaneData:
    """Turn marnet dicts into :class:`LaneData`, keeping each undirected edge once.

    Edge lengths are measured here on the WGS 84 ellipsoid rather than read from the
    (rounded) ``weight`` attributes.
    """
    keys = list(nodes)
    for u, targets in adjacency.items():
        keys.extend((u, *targets))
    index = {key: i for i, key in enumerate(dict.fromkeys(keys))}
    passages: dict[tuple[int, int], str] = {}
    for u, targets in adjacency.items():
        for v, attrs in targets.items():
            a, b = sorted((index[u], index[v]))
            if a != b and (a, b) not in passages:
                passages[(a, b)] = str(attrs.get("passage") or _NO_PASSAGE)
    coords = np.array(list(index), dtype=float).reshape(-1, 2)
    edges = np.array(list(passages), dtype=np.int64).reshape(-1, 2)
    start, end = coords[edges[:, 0]], coords[edges[:, 1]]
    _, _, metres = _GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    return LaneData(
        nodes=coords,
        edges=edges,
        weight_km=np.asarray(metres, dtype=float) / 1000.0,
        passage=np.array(list(passages.values()), dtype=object),
    )


def join_antimeridian(lanes: LaneData) -> LaneData:
    """Return lanes whose nodes lie in [-180, 180), one node where marnet has two.

    marnet draws lanes that cross 180 degrees with nodes past it (e.g. 190.85 E for 169.15 W in
    the Bering Strait) and joins the two sides only at some latitudes; wrapping every longitude
    and merging nodes that then coincide joins the sides wherever a lane reaches them. Edges
    that collapse to a point are dropped, and an edge kept twice keeps its passage tag.

    Parameters
    ----------
    lanes : LaneData
        As :func:`build_lane_data` returns.

    Returns
    -------
    LaneData
        A new lane graph; edge lengths are geodesic, so edges across 180 degrees are measured
        the short way.
    """
    wrapped = lanes.nodes.copy()
    wrapped[:, 0] = ((wrapped[:, 0] + 180.0) % 360.0) - 180.0
    keys = np.round(wrapped / _SAME_NODE_DEG).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    nodes = wrapped[first]
    ends = np.sort(inverse.reshape(-1)[lanes.edges], axis=1)
    tagged = lanes.passage != _NO_PASSAGE
    order = np.lexsort((~tagged, ends[:, 1], ends[:, 0]))  # tagged copies first
    edges, passage = ends[order], lanes.passage[order]
    keep = edges[:, 0] != edges[:, 1]
    keep &= np.r_[True, (np.diff(edges, axis=0) != 0).any(axis=1)]
    edges, passage = edges[keep], passage[keep]
    return LaneData(nodes=nodes, edges=edges, weight_km=_edge_km(nodes, edges), passage=passage)


def tag_northern_sea_route(lanes: LaneData) -> LaneData:
    """Return lanes with the Russian Arctic tagged ``northern_sea_route``, so it can be avoided.

    searoute tags the Chukchi Sea approaches to the Bering Strait ``northwest`` like the Canadian
    Northwest Passage (avoided by default) while leaving the rest of the Russian Arctic open, so
    Pevek could reach the Pacific only round Europe. Here every lane with both ends north of
    65.5 N, east of 60 E (the Kara Sea) and west of the Bering Strait (169 W) is the Northern Sea
    Route, a passage of its own; ``northwest`` keeps the lanes east of the strait.

    Parameters
    ----------
    lanes : LaneData
        With longitudes in [-180, 180) (see :func:`join_antimeridian`).

    Returns
    -------
    LaneData
        A new lane graph with the same nodes and edges.
    """
    inside = in_northern_sea_route(lanes.nodes[:, 0], lanes.nodes[:, 1])[lanes.edges].all(axis=1)
    retag = inside & np.isin(lanes.passage, [_NO_PASSAGE, "northwest"])
    passage = lanes.passage.copy()
    passage[retag] = NORTHERN_SEA_ROUTE
    return LaneData(nodes=lanes.nodes, edges=lanes.edges, weight_km=lanes.weight_km,
                    passage=passage)


def waterway_tag(waterway: Waterway) -> str:
    """Return the edge tag of a waterway: its passage's searoute-style tag, or ``river:<id>``."""
    if waterway.passage is not None:
        return waterway.passage.replace("-", "_")
    return f"river:{waterway.id}"


def add_waterways(lanes: LaneData, waterways: tuple[Waterway, ...], land: BaseGeometry) -> LaneData:
    """Return lanes with river and canal courses added and joined to them.

    Each course becomes a chain of edges tagged :func:`waterway_tag`; a river's last position
    (a canal's both ends) joins the nearest lane nodes; positions shared by two courses (a
    canal's ends on its rivers) become one node. marnet lanes that cross land with both ends
    near a course (marnet's own straight lines up the Don and the Volga) are replaced by it.

    Parameters
    ----------
    lanes : LaneData
        With longitudes in [-180, 180) (see :func:`join_antimeridian`).
    waterways : tuple of Waterway
        From :func:`routemap.geo.waterways.read_waterways`.
    land : shapely geometry
        Land, to tell which marnet lanes cross it.

    Returns
    -------
    LaneData
        A new lane graph.
    """
    if not waterways:
        return lanes
    parts = shapely.get_parts(land)
    index = shapely.STRtree(parts)
    kept = _drop_replaced(lanes, waterways, index)
    nodes, edges, tags = [kept.nodes], [kept.edges], [kept.passage]
    joined = np.unique(kept.edges)
    offset = len(kept.nodes)
    for waterway in waterways:
        course = np.asarray(waterway.course, dtype=float)
        ids = offset + np.arange(len(course))
        chain = np.column_stack([ids[:-1], ids[1:]])
        nodes.append(course)
        edges.append(chain)
        tags.append(np.full(len(chain), waterway_tag(waterway), dtype=object))
        for end in (-1, 0) if waterway.kind == "canal" else (-1,):
            mouths = _mouth_links(kept.nodes, joined, course[end], index)
            edges.append(np.column_stack([np.full(len(mouths), ids[end]), mouths]))
            tags.append(np.full(len(mouths), _NO_PASSAGE, dtype=object))
        offset += len(course)
    merged = np.concatenate(nodes)
    all_edges = np.concatenate(edges).astype(np.int64)
    return join_antimeridian(LaneData(nodes=merged, edges=all_edges,
                                      weight_km=_edge_km(merged, all_edges),
                                      passage=np.concatenate(tags)))


def _mouth_links(
    nodes: np.ndarray, among: np.ndarray, point: np.ndarray, land: shapely.STRtree
) -> np.ndarray:
    """Return the nodes of ``among`` a river mouth at ``point`` joins.

    The nearest few (:data:`_MOUTH_LINKS`) within :data:`_MOUTH_SLACK_KM` of the nearest, so
    that a mouth where lanes are sparse (the Danube's) is not tied to one node out at sea;
    links that would cross land are left out (a canal's end inland joins only its rivers).
    """
    if not len(among):
        return np.zeros(0, dtype=np.int64)
    rough = np.hypot((nodes[among, 0] - point[0]) * np.cos(np.radians(point[1])),
                     nodes[among, 1] - point[1])
    among = among[np.argsort(rough)[:8 * _MOUTH_LINKS]]  # a shortlist, measured below
    lon, lat = nodes[among, 0], nodes[among, 1]
    _, _, metres = _GEOD.inv(np.full(len(among), point[0]), np.full(len(among), point[1]), lon, lat)
    km = np.asarray(metres, dtype=float) / 1000.0
    order = np.argsort(km)[:_MOUTH_LINKS]
    chosen = among[order[km[order] <= km[order[0]] + _MOUTH_SLACK_KM]]
    links = shapely.linestrings([[tuple(point), tuple(nodes[i])] for i in chosen])
    over = [_land_km(link, land) for link in links]
    return chosen[np.asarray(over) <= _MOUTH_LAND_KM]


def _land_km(line: shapely.LineString, land: shapely.STRtree) -> float:
    """Return the geodesic km of a lon/lat line over the land polygons of a spatial index."""
    hits = land.query(line, predicate="intersects")
    if not len(hits):
        return 0.0
    inside = shapely.intersection(line, land.geometries.take(hits))
    return float(sum(_GEOD.geometry_length(piece) for piece in inside)) / 1000.0


def _drop_replaced(lanes: LaneData, waterways: tuple[Waterway, ...], land: shapely.STRtree) -> LaneData:
    """Return lanes without the marnet edges a waterway's course replaces."""
    points = shapely.points(lanes.nodes)
    drop: list[np.ndarray] = []
    for waterway in waterways:
        course = shapely.linestrings(waterway.course)
        near = shapely.dwithin(course, points, _REPLACED_NEAR_DEG)
        candidates = np.nonzero(near[lanes.edges].all(axis=1))[0]
        lines = shapely.linestrings(np.stack([lanes.nodes[lanes.edges[candidates, 0]],
                                              lanes.nodes[lanes.edges[candidates, 1]]], axis=1))
        crossing = np.unique(land.query(lines, predicate="intersects")[0])
        drop.append(candidates[crossing])
    keep = np.setdiff1d(np.arange(len(lanes.edges)), np.concatenate(drop))
    return LaneData(nodes=lanes.nodes, edges=lanes.edges[keep], weight_km=lanes.weight_km[keep],
                    passage=lanes.passage[keep])


def in_northern_sea_route(lon: np.ndarray | float, lat: np.ndarray | float) -> np.ndarray:
    """Tell which points lie in the Northern Sea Route's waters as routemap draws them.

    North of 65.5 N, from 60 E (the Kara Sea) east to the Bering Strait (169 W).

    Parameters
    ----------
    lon, lat : array_like
        Longitudes (any turn) and latitudes in degrees.

    Returns
    -------
    numpy.ndarray
        Booleans, broadcast from the inputs.
    """
    lon = ((np.asarray(lon, dtype=float) + 180.0) % 360.0) - 180.0
    lat = np.asarray(lat, dtype=float)
    return (lat >= _NSR_SOUTH_LAT) & ((lon >= _NSR_WEST_LON) | (lon <= _NSR_EAST_LON))


def _edge_km(nodes: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Return the WGS 84 geodesic length in km of each edge."""
    start, end = nodes[edges[:, 0]], nodes[edges[:, 1]]
    _, _, metres = _GEOD.inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])
    return np.asarray(metres, dtype=float).reshape(-1) / 1000.0


def build_sea_network(
    nodes: Mapping,
    adjacency: Mapping,
    land: BaseGeometry,
    *,
    waterways: WaterwayData | None = None,
    name: str = "searoute marnet + Natural Earth 10m water grid",
    attribution: str = f"{MARNET_ATTRIBUTION}; land: {NATURAL_EARTH_ATTRIBUTION}",
) -> SeaNetwork:
    """Build a :class:`SeaNetwork` from lane dicts (as :func:`read_marnet` returns) and land.

    Parameters
    ----------
    nodes, adjacency : mapping
        Lane nodes keyed by ``(lon, lat)`` and the adjacency of lanes between them.
    land : shapely geometry
        Land polygons in lon/lat; prepared here if it is not already.
    waterways : WaterwayData, optional
        Rivers and canals joined to the lanes (see :func:`add_waterways`).
    name, attribution : str
        Copied to every routed leg.

    Returns
    -------
    SeaNetwork
    """
    shapely.prepare(land)
    lanes = tag_northern_sea_route(join_antimeridian(build_lane_data(nodes, adjacency)))
    courses = () if waterways is None else waterways.waterways
    lanes = add_waterways(lanes, courses, land)
    return SeaNetwork(
        lanes=lanes, land=land, tiles=LandTiles(land), name=name, attribution=attribution,
        inland_tags=frozenset(waterway_tag(w) for w in courses),
        waterway_attribution="" if waterways is None else waterways.attribution,
    )


@functools.lru_cache(maxsize=1)
def load_sea_network() -> SeaNetwork:
    """Return the shipped sea network: searoute's marnet and Natural Earth 10m land (cached).

    The lane graph with the waterways joined to it is kept in the cache folder, keyed by
    searoute's version, the waterways file, the Natural Earth file and this module's code, so a
    later process reads it instead of building it again.
    """
    version = _searoute_version()
    land, waterways = load_land(), load_waterways()
    name = f"searoute marnet (searoute {version}) + Natural Earth 10m water grid"
    attribution = (f"{MARNET_ATTRIBUTION.replace('searoute-py', f'searoute-py {version}')}; "
                   f"land: {NATURAL_EARTH_ATTRIBUTION}")
    path = _lanes_cache_path(version)
    lanes = _read_lanes(path)
    if lanes is None:
        nodes, adjacency = read_marnet()
        network = build_sea_network(nodes, adjacency, land, waterways=waterways, name=name,
                                    attribution=attribution)
        _write_lanes(path, network.lanes)
    else:
        shapely.prepare(land)
        courses = waterways.waterways
        network = SeaNetwork(lanes=lanes, land=land, tiles=LandTiles(land), name=name,
                             attribution=attribution,
                             inland_tags=frozenset(waterway_tag(w) for w in courses),
                             waterway_attribution=waterways.attribution)
    logger.debug("sea network: %d lane nodes, %d edges", len(network.lanes.nodes),
                 len(network.lanes.edges))
    return network


def _lanes_cache_path(version: str) -> Path:
    """Return the lane cache's file: its name hashes everything the lanes are built from."""
    from routemap.geo.countries import natural_earth_path
    from routemap.geo.waterways import waterways_path

    digest = hashlib.sha256(f"searoute {version}".encode())
    for source in (natural_earth_path(), waterways_path(), Path(__file__),
                   Path(__file__).with_name("waterways.py")):
        digest.update(Path(source).read_bytes())
    return cache_dir() / f"sealanes-{digest.hexdigest()[:16]}-v{_LANES_FORMAT}.npz"


def _read_lanes(path: Path) -> LaneData | None:
    """Return the cached lanes, or None when missing or damaged (then rebuilt)."""
    if not path.exists():
        return None
    try:
        arrays, _ = read_arrays(path)
        return LaneData(nodes=arrays["nodes"], edges=arrays["edges"],
                        weight_km=arrays["weight_km"], passage=arrays["passage"].astype(object))
    except (NetworkDataError, KeyError) as exc:
        logger.warning("%s; rebuilding the sea lanes", exc)
        return None


def _write_lanes(path: Path, lanes: LaneData) -> None:
    """Cache the lanes; a cache that cannot be written costs a rebuild next time, not the run."""
    arrays = {"nodes": lanes.nodes, "edges": lanes.edges, "weight_km": lanes.weight_km,
              "passage": np.asarray(lanes.passage).astype(str)}
    try:
        write_arrays(path, arrays, {"format": _LANES_FORMAT})
    except OSError as exc:
        logger.warning("cannot write the sea lane cache %s: %s", path, exc.strerror or exc)
