"""OpenStreetMap interoperability: networks to and from osmnx-style MultiDiGraphs and OSM XML."""

from __future__ import annotations

import hashlib
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np

from routemap.errors import NetworkDataError, library_detail
from routemap.geo.network import (
    RAIL_ATTRIBUTION,
    ROAD_ATTRIBUTION,
    EdgeList,
    Network,
    build_network,
    node_countries,
    undirected_edges,
)

__all__ = [
    "RAIL_VALUES",
    "download_rail_extract",
    "network_from_graph",
    "network_from_osm_xml",
    "to_multidigraph",
]

log = logging.getLogger(__name__)

RAIL_VALUES: frozenset[str] = frozenset({"rail", "light_rail", "narrow_gauge", "construction"})
_OSM_ATTRIBUTION = {
    "rail": RAIL_ATTRIBUTION.replace("(via scgraph_data)", "(user extract)"),
    "road": ROAD_ATTRIBUTION.replace("(via scgraph_data)", "(user extract)"),
}
_RAIL_FILTER = '["railway"~"^(rail|light_rail|narrow_gauge)$"]'
_MODE_WAYS = {"rail": "railways (ways tagged railway=rail, light_rail or narrow_gauge)",
              "road": "roads (ways tagged highway=*)"}


def to_multidigraph(network: Network) -> nx.MultiDiGraph:
    """Return a network as an osmnx-compatible MultiDiGraph.

    Nodes are the network's node indices (used as ``osmid``) with ``x``/``y`` in degrees and
    ``country``; every undirected edge becomes two directed edges with ``length`` in metres.
    The graph attribute ``crs`` is ``EPSG:4326``. The network is not changed.
    """
    graph = nx.MultiDiGraph(crs="EPSG:4326", name=network.name, source=network.source,
                            attribution=network.attribution)
    codes = network.country_codes()
    graph.add_nodes_from(
        (i, {"x": x, "y": y, "osmid": i, "country": c})
        for i, (x, y, c) in enumerate(zip(network.lon.tolist(), network.lat.tolist(), codes, strict=False))
    )
    rows = np.repeat(np.arange(network.n_nodes), np.diff(network.indptr))
    metres = (network.weights * 1000.0).tolist()
    graph.add_edges_from(
        (u, v, 0, {"length": m})
        for u, v, m in zip(rows.tolist(), network.indices.tolist(), metres, strict=False)
    )
    return graph


def _keep_edge(data: dict, mode: str) -> bool:
    if mode == "rail":
        values = data.get("railway")
        values = values if isinstance(values, list) else [values]
        return any(v in RAIL_VALUES for v in values)
    return data.get("highway") is not None


def network_from_graph(
    graph: nx.MultiDiGraph,
    *,
    mode: str = "rail",
    name: str = "osm_extract",
    source: str = "OpenStreetMap extract",
    codes: Iterable[str] | None = None,
) -> Network:
    """Build a :class:`~routemap.geo.network.Network` from an osmnx MultiDiGraph.

    Edges are kept when their ``railway`` tag is a running line (:data:`RAIL_VALUES`, for
    ``mode='rail'``) or when they carry a ``highway`` tag (``mode='road'``); edge ``length`` (m)
    becomes km. Nodes without a kept edge are dropped.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        With node ``x``/``y`` in degrees and edge ``length`` in metres (osmnx conventions).
    mode : str
        ``rail`` or ``road``.
    name, source : str
        Name the network and its origin in outputs.
    codes : iterable of str, optional
        ISO2 country per kept node in sorted node-id order; default from Natural Earth.

    Raises
    ------
    NetworkDataError
        If no edge of the requested mode remains.
    """
    if mode not in _OSM_ATTRIBUTION:
        raise ValueError(f"mode must be 'rail' or 'road', not {mode!r}")
    kept = [(u, v, float(d.get("length", 0.0)) / 1000.0)
            for u, v, d in graph.edges(data=True) if _keep_edge(d, mode)]
    if not kept:
        raise NetworkDataError(f"the OSM graph has no {mode} edges")
    ids = np.array(sorted({n for u, v, _ in kept for n in (u, v)}))
    position = {osmid: i for i, osmid in enumerate(ids.tolist())}
    u = np.array([position[a] for a, _, _ in kept], dtype=np.int64)
    v = np.array([position[b] for _, b, _ in kept], dtype=np.int64)
    edges: EdgeList = undirected_edges(u, v, np.array([k for _, _, k in kept]))
    lon = np.array([graph.nodes[i]["x"] for i in ids.tolist()], dtype=float)
    lat = np.array([graph.nodes[i]["y"] for i in ids.tolist()], dtype=float)
    country = np.array(list(codes), dtype=str) if codes is not None else node_countries(lon, lat)
    return build_network(lon, lat, edges, country, name=name, mode=mode, source=source,
                         attribution=_OSM_ATTRIBUTION[mode])


def network_from_osm_xml(path: str | Path, *, mode: str = "rail") -> Network:
    """Read a user's OpenStreetMap ``.osm`` XML extract as a rail or road network.

    The file is read with ``osmnx.graph_from_xml`` (unsimplified, every component kept, both
    directions) with the ``railway`` way tag retained, then passed to :func:`network_from_graph`.
    The result can replace the bundled network in ``routemap.routes.overland.route_leg(request, network)``.

    Parameters
    ----------
    path : str or Path
        The ``.osm`` file.
    mode : str
        ``rail`` (ways tagged ``railway=rail|light_rail|narrow_gauge``) or ``road``.

    Raises
    ------
    NetworkDataError
        If the file cannot be opened, is not OSM XML, or holds no ways of that mode.
    """
    import osmnx as ox

    path = Path(path)
    saved = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = sorted({*saved, "railway", "usage", "gauge"})
    try:
        graph = ox.graph_from_xml(path, simplify=False, retain_all=True, bidirectional=True)
    except (OSError, ET.ParseError, ValueError) as exc:
        raise _unreadable_extract(path, mode, exc) from exc
    finally:
        ox.settings.useful_tags_way = saved
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return network_from_graph(graph, mode=mode, name=path.stem,
                              source=f"OpenStreetMap extract {path.name} sha256:{digest}")


def _unreadable_extract(path: Path, mode: str, exc: BaseException) -> NetworkDataError:
    """Return routemap's message for an OSM extract that osmnx could not read."""
    if isinstance(exc, OSError):
        return NetworkDataError(
            f"cannot open the OpenStreetMap extract '{path}'; check its name and that it may be "
            f"read" + library_detail("the file system", exc))
    if isinstance(exc, ET.ParseError):
        line, column = exc.position
        return NetworkDataError(
            f"'{path}' is not OpenStreetMap XML (it stops being valid XML at line {line}, column "
            f"{column + 1}); export the area again as an .osm file, e.g. from JOSM or Overpass"
            + library_detail("the XML parser", exc))
    return NetworkDataError(
        f"cannot build a {mode} network from the OpenStreetMap extract '{path}': it holds no "
        f"nodes and ways that osmnx can use; export the area again with its "
        f"{_MODE_WAYS.get(mode, mode + ' ways')}"
        + library_detail("osmnx", exc))


def download_rail_extract(place: str, *, custom_filter: str = _RAIL_FILTER) -> Network:
    """Download the railways of a named place from the Overpass API (needs the internet).

    Parameters
    ----------
    place : str
        A place name osmnx can geocode, e.g. ``"Primorsky Krai, Russia"``.
    custom_filter : str
        Overpass way filter; default running lines only.

    Returns
    -------
    Network
        The downloaded rail network (not cached; save it with :func:`routemap.geo.network.write_network`).

    Raises
    ------
    NetworkDataError
        If the place cannot be geocoded or its railways cannot be fetched.
    """
    import osmnx as ox

    saved = ox.settings.useful_tags_way
    ox.settings.useful_tags_way = sorted({*saved, "railway", "usage", "gauge"})
    try:
        log.info("downloading railways of %s from Overpass", place)
        graph = ox.graph_from_place(place, custom_filter=custom_filter, simplify=False,
                                    retain_all=True)
    except (OSError, ValueError) as exc:  # requests' errors are OSErrors, osmnx's ValueErrors
        raise NetworkDataError(
            f"cannot download the railways of '{place}' from OpenStreetMap; check the place name "
            f"(as Nominatim knows it) and the internet connection, or save an extract of the area "
            f"and read it with network_from_osm_xml" + library_detail("osmnx", exc)) from exc
    finally:
        ox.settings.useful_tags_way = saved
    return network_from_graph(graph, mode="rail", name="osm_download",
                              source=f"OpenStreetMap Overpass download: {place}")
