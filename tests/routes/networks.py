"""Small synthetic networks and country polygons shared by the routing tests."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from routemap.geo.network import build_network, undirected_edges
from routemap.routes.leg import Stop


def six_node_network():
    """A 6-node rail line at 50N in two made-up countries, AA and BB.

    ::

        0 --72-- 1 --72-- 2(BB) --72-- 3 --72-- 5
                  \\                   /
                   100 -- 4 -- 150 --

    The short way 0-1-2-3-5 (288 km) crosses BB at node 2; the detour 1-4-3 stays in AA
    (0-1-4-3-5 is 394 km). Node 4 is a chain-interior node (degree 2).
    """
    lon = np.array([30.0, 31.0, 32.0, 33.0, 31.5, 34.0])
    lat = np.array([50.0, 50.0, 50.0, 50.0, 51.0, 50.0])
    u = np.array([0, 1, 2, 1, 4, 3])
    v = np.array([1, 2, 3, 4, 3, 5])
    km = np.array([72.0, 72.0, 72.0, 100.0, 150.0, 72.0])
    codes = np.array(["AA", "AA", "BB", "AA", "AA", "AA"])
    return build_network(lon, lat, undirected_edges(u, v, km), codes, name="six",
                         mode="rail", source="test 1", attribution="test data")


def two_countries():
    """Country polygons matching :func:`six_node_network`: BB is a small box around node 2."""
    bb = box(31.7, 49.5, 32.3, 50.3)
    aa = box(29.0, 49.0, 35.0, 52.0).difference(bb)
    return gpd.GeoDataFrame({"iso2": ["AA", "BB"], "name": ["Aa", "Bb"]},
                            geometry=[aa, bb], crs="EPSG:4326")


def stop(node: int, network, name: str | None = None, dlat: float = 0.0) -> Stop:
    """A stop at a network node, or ``dlat`` degrees north of it."""
    return Stop(name or f"n{node}", name or f"n{node}", float(network.lat[node]) + dlat,
                float(network.lon[node]))


def marnet_lanes(*edges: tuple[tuple[float, float], tuple[float, float], str]) -> tuple[dict, dict]:
    """Return lane dicts shaped like searoute's marnet (nodes, adjacency; both directions) from
    (u, v, passage) triples, with ``passage`` "" for an open lane."""
    nodes: dict = {}
    adjacency: dict = {}
    for u, v, passage in edges:
        for a, b in ((u, v), (v, u)):
            nodes[a] = {}
            adjacency.setdefault(a, {})[b] = {"passage": passage} if passage else {}
    return nodes, adjacency
