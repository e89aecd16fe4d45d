"""Routed legs kept between builds: keyed by the leg, the data it was routed on and the code.

A routed leg is stored as one small JSON file (geometry as WKB, every figure as written by
``repr``, so nothing is rounded) under ``<cache folder>/routes-v1-<code>/``. Its name is the SHA-256
of everything the result depends on: the leg's mode, stops (ids, names, coordinates), ``within``
and ``avoid``; the version of the data its mode routes on (package versions and file hashes of
the shipped networks, the checksum of a user's network, the scenario's network additions, the
Natural Earth file the QA reads); and routemap's version with a hash of the routing code. A
change to any of them names another file, so a stale entry is never read. The folder's name
also carries the code's hash (``routes-v1-<16 hex digits>``): when a new code version first
creates its folder, the folders of other code versions (and of the older ``routes-v1``) are
removed, so entries no build can read again do not pile up. Files are written
under a temporary name and renamed, so concurrent builds never read half a file.
Set ``ROUTEMAP_ROUTE_CACHE=off`` (or pass ``--no-cache``) to route everything afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from routemap.about import version
from routemap.cache import atomic_file, cache_switched_on, hash_modules, versioned_folder
from routemap.routes.leg import Finding, LegRequest, RoutedLeg

__all__ = ["FORMAT", "RouteCache", "cache_enabled", "code_version", "request_digest", "shipped_version"]

log = logging.getLogger(__name__)

#: The layout of a stored leg; bump when it changes.
FORMAT = 1
#: ``ROUTEMAP_ROUTE_CACHE=off`` (or ``0``, ``no``, ``false``) turns the cache off.
ENV = "ROUTEMAP_ROUTE_CACHE"

#: The modules whose code decides a routed leg (routemap.routes, and the geo modules that
#: build the networks and shapes it routes on).
_ROUTING_MODULES = {
    "routemap.routes": ("leg.py", "junctions.py", "snapping.py", "graph.py", "overland.py", "sea.py",
                        "lanegraph.py", "watergrid.py", "air.py", "qa.py", "geodesy.py"),
    "routemap.geo": ("network.py", "sealanes.py", "landtiles.py", "waterways.py", "countries.py",
                     "additions.py"),
}




def cache_enabled() -> bool:
    """Tell whether the environment leaves the route cache on (``ROUTEMAP_ROUTE_CACHE``)."""
    return cache_switched_on(ENV)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Return routemap's version and a hash of the routing code's source files."""
    digest = hashlib.sha256(version().encode())
    hash_modules(digest, _ROUTING_MODULES)
    return digest.hexdigest()


@functools.lru_cache(maxsize=4)
def shipped_version(mode: str) -> str:
    """Return the version of the shipped data a mode routes on, without loading it.

    Parameters
    ----------
    mode : str
        ``sea``, ``rail``, ``road`` or ``air``.

    Returns
    -------
    str
        Package versions and file hashes: scgraph_data's for rail and road, searoute's and the
        waterways file's for sea; the Natural Earth file (the QA's countries and land) for all.
    """
    from routemap.geo.countries import natural_earth_path

    parts = [mode, _file_digest(natural_earth_path())]
    if mode in ("rail", "road"):
        parts.append(f"scgraph_data {_package_version('scgraph_data')}")
    elif mode == "sea":
        from routemap.geo.waterways import waterways_path

        parts += [f"searoute {_package_version('searoute')}", _file_digest(waterways_path())]
    return "|".join(parts)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def request_digest(request: LegRequest, data_version: str) -> str:
    """Return the name of a leg's entry: what it asks and what it is routed on (hex SHA-256).

    The leg's ``label`` is left out: it names the leg in messages but does not change its route.
    """
    asked = {
        "mode": request.mode,
        "stops": [[s.place_id, s.name, repr(s.lat), repr(s.lon)] for s in request.stops],
        "within": list(request.within) if request.within is not None else None,
        "avoid": list(request.avoid),
        "data": data_version,
        "code": code_version(),
        "format": FORMAT,
    }
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class RouteCache:
    """A folder of routed legs (see the module's docstring).

    Attributes
    ----------
    folder : Path
        Where the entries live (default: ``routes-v1-<code>`` in :func:`routemap.cache.cache_dir`).
    """

    folder: Path

    @classmethod
    def default(cls) -> RouteCache | None:
        """Return the cache in routemap's cache folder, or None when it is turned off or unusable."""
        if not cache_enabled():
            return None
        folder = versioned_folder("routes", FORMAT, code_version())
        return None if folder is None else cls(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> RoutedLeg | None:
        """Return the leg stored under ``key``, or None (missing, unreadable or not its key)."""
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("key") != key:
                return None
            return _from_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("route cache entry %s unreadable: %s", key, exc)
            return None

    def put(self, key: str, leg: RoutedLeg) -> None:
        """Store a routed leg under ``key``, atomically; a cache that cannot be written is skipped."""
        path = self._path(key)
        text = json.dumps({"key": key, **_to_json(leg)}, ensure_ascii=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(path) as handle:
                handle.write(text.encode("utf-8"))
        except OSError as exc:
            log.debug("cannot write the route cache entry %s: %s", path, exc)


def _to_json(leg: RoutedLeg) -> dict[str, Any]:
    import shapely

    return {
        "geometry": shapely.to_wkb(leg.geometry, hex=True),
        "distance_km": leg.distance_km,
        "geometry_kind": leg.geometry_kind,
        "snap_km": list(leg.snap_km),
        "network": leg.network,
        "attribution": leg.attribution,
        "findings": [[f.level, f.code, f.message, f.value] for f in leg.findings],
        "connectors": [shapely.to_wkb(c, hex=True) for c in leg.connectors],
        "off_network_km": leg.off_network_km,
    }


def _from_json(data: dict[str, Any]) -> RoutedLeg:
    import shapely

    return RoutedLeg(
        geometry=shapely.from_wkb(data["geometry"]),
        distance_km=float(data["distance_km"]),
        geometry_kind=str(data["geometry_kind"]),
        snap_km=tuple(float(km) for km in data["snap_km"]),
        network=str(data["network"]),
        attribution=str(data["attribution"]),
        findings=tuple(Finding(str(level), str(code), str(message), value)
                       for level, code, message, value in data["findings"]),
        connectors=tuple(shapely.from_wkb(c) for c in data["connectors"]),
        off_network_km=float(data["off_network_km"]),
    )
