"""The ports observed tracks are held against: the gazetteer's ports, indexed for nearest-port queries.

Distances are great-circle distances on the mean-radius sphere (``routemap.geo.ais.haversine_m``);
the index is a k-d tree over unit vectors, whose chord lengths order the same way.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from routemap.geo.ais import haversine_m
from routemap.geo.ais.columns import EARTH_RADIUS_M
from routemap.geo.gazetteer import Gazetteer, load_gazetteer
from routemap.geo.model import Place

__all__ = ["PortIndex", "gazetteer_ports", "port_frame", "unit_vectors"]


def gazetteer_ports(gazetteer: Gazetteer | None = None) -> list[Place]:
    """Return every place of kind ``port`` in a gazetteer's layers (the built-in one by default).

    The first place with a given id wins, in layer order (scenario, curated, UN/LOCODE). The
    cities layer (GeoNames) holds no ports and is not read.
    """
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    seen: dict[str, Place] = {}
    for layer in gazetteer.layers:
        if layer.name == "geonames":
            continue
        for place in layer.places:
            if place.kind == "port":
                seen.setdefault(place.id, place)
    return list(seen.values())


def port_frame(places: Iterable[Place] | None = None) -> gpd.GeoDataFrame:
    """Return ports as a GeoDataFrame: ``port_id``, ``port_name``, Point (EPSG:4326).

    Parameters
    ----------
    places : iterable of Place, optional
        The ports; the built-in gazetteer's (``gazetteer_ports``) by default.
    """
    chosen = list(places) if places is not None else gazetteer_ports()
    return gpd.GeoDataFrame(
        {"port_id": pd.array([p.id for p in chosen], dtype="string"),
         "port_name": pd.array([p.name for p in chosen], dtype="string")},
        geometry=gpd.points_from_xy([p.lon for p in chosen], [p.lat for p in chosen]), crs=4326)


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Return points on the unit sphere, shape (n, 3), for latitudes and longitudes in degrees."""
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))


class PortIndex:
    """Nearest-port queries over a port frame.

    Parameters
    ----------
    ports : geopandas.GeoDataFrame
        ``port_id``, ``port_name`` (or ``id``, ``name``) and Point geometries in degrees.
    """

    def __init__(self, ports: gpd.GeoDataFrame) -> None:
        ids = ports["port_id"] if "port_id" in ports.columns else ports["id"]
        names = ports["port_name"] if "port_name" in ports.columns else ports["name"]
        self.ids = np.asarray(ids.astype(str), dtype=object)
        self.names = np.asarray(names.astype(str), dtype=object)
        self.lat = np.asarray(ports.geometry.y, dtype=float)
        self.lon = np.asarray(ports.geometry.x, dtype=float)
        self._tree = cKDTree(unit_vectors(self.lat, self.lon)) if len(ports) else None

    def __len__(self) -> int:
        return len(self.ids)

    def within(self, lat: np.ndarray, lon: np.ndarray, km: float) -> np.ndarray:
        """Return, for each point, the index of its nearest port if within ``km`` (great circle), else -1."""
        out = np.full(len(lat), -1, dtype=np.int64)
        if self._tree is None or not len(lat):
            return out
        chord = 2 * np.sin(min(km * 1000.0 / EARTH_RADIUS_M, np.pi) / 2)
        _, index = self._tree.query(unit_vectors(lat, lon), k=1, distance_upper_bound=chord * 1.0001)
        found = index < len(self.ids)
        exact = haversine_m(lat[found], lon[found], self.lat[index[found]], self.lon[index[found]]) <= km * 1000.0
        hits = np.flatnonzero(found)[exact]
        out[hits] = index[hits]
        return out
