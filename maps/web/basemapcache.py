"""The web map's offline basemap kept between builds: the world backdrop, and each frame's layers.

Simplifying Natural Earth's 10m countries as a coverage is most of what ``map.html`` costs to
render, and none of it depends on the legs: the coarse world backdrop depends on the shipped
countries alone, and the detailed layers on the data's frame (bounds, focus countries, places).
Both are kept in ``<cache folder>/webmap-v1-<code>/`` as checksummed ``.npz`` files
(:func:`routemap.cache.write_arrays`, written atomically):

- ``world-<key>.npz``: the backdrop (``load_world_backdrop``), its geometry as WKB, exact;
- ``frame-<key>.npz``: what ``basemap_in_frame`` returns for one frame, as JSON (floats as
  ``repr`` writes them, so the page's bytes are the same as when drawn afresh).

A key is the SHA-256 of everything the content depends on: the Natural Earth file's hash; the
versions of shapely, GEOS, numpy, geopandas, pandas and pyogrio; routemap's version and a hash of
the code that draws the basemap (the folder's name carries it too, and when a new code version
first creates its folder the other versions' folders are removed); and, for a frame, its bounds,
focus countries and places. A missing, damaged or mismatched file is a miss, drawn afresh and
written again. ``--no-cache`` (``RenderOptions(cache=False)``, ``render_html(..., cache=False)``)
``ROUTEMAP_BASEMAP_CACHE=off`` or ``ROUTEMAP_ROUTE_CACHE=off`` neither reads nor writes it.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from routemap.about import version
from routemap.cache import (
    cache_switched_on,
    hash_modules,
    library_versions,
    read_arrays,
    versioned_folder,
    write_arrays,
)
from routemap.errors import NetworkDataError
from routemap.geo.countries import load_countries, natural_earth_path
from routemap.maps.web.edges import basemap_in_frame
from routemap.maps.web.vector_basemap import WORLD_TOLERANCE, simplify_countries

__all__ = ["ENV", "FORMAT", "BasemapCache", "basemap_cache_enabled", "basemap_code_version"]

log = logging.getLogger(__name__)

#: The layout of a stored entry; bump when it changes.
FORMAT = 1
#: ``ROUTEMAP_BASEMAP_CACHE=off`` (or ``0``, ``no``, ``false``) turns the cache off.
ENV = "ROUTEMAP_BASEMAP_CACHE"

#: The modules whose code decides the basemap's content.
_BASEMAP_MODULES = {
    "routemap.maps.web": ("vector_basemap.py", "edges.py", "basemapcache.py"),
    "routemap.maps": ("basemap.py",),
    "routemap.geo": ("countries.py",),
}
#: The libraries whose versions may change the simplified shapes or the numbers written.
_LIBRARIES = ("shapely", "numpy", "geopandas", "pandas", "pyogrio")


def basemap_cache_enabled() -> bool:
    """Tell whether the environment leaves the basemap cache on: neither ``ROUTEMAP_BASEMAP_CACHE``
    nor ``ROUTEMAP_ROUTE_CACHE`` (which, as ``--no-cache``, turns every build cache off) is off."""
    return cache_switched_on(ENV)


@functools.lru_cache(maxsize=1)
def basemap_code_version() -> str:
    """Return a hash of routemap's version, the basemap code, its libraries and GEOS."""
    digest = hashlib.sha256(f"{version()}|{FORMAT}|GEOS {shapely.geos_version_string}".encode())
    for name, installed in library_versions(_LIBRARIES):
        digest.update(f"|{name} {installed or 'missing'}".encode())
    hash_modules(digest, _BASEMAP_MODULES)
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _data_version() -> str:
    """Return the SHA-256 of the shipped Natural Earth file the basemap is drawn from."""
    return hashlib.sha256(natural_earth_path().read_bytes()).hexdigest()


def _key(**parts: Any) -> str:
    asked = {**parts, "data": _data_version(), "code": basemap_code_version()}
    return hashlib.sha256(json.dumps(asked, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class BasemapCache:
    """A folder of drawn basemaps (see the module's docstring).

    Attributes
    ----------
    folder : Path
        Where the entries live (default: ``webmap-v1-<code>`` in :func:`routemap.cache.cache_dir`).
    """

    folder: Path

    @classmethod
    def default(cls) -> BasemapCache | None:
        """Return the cache in routemap's cache folder, or None when turned off or unusable."""
        if not basemap_cache_enabled():
            return None
        folder = versioned_folder("webmap", FORMAT, basemap_code_version())
        return None if folder is None else cls(folder)

    def world(self) -> gpd.GeoDataFrame:
        """Return the world backdrop (``load_world_backdrop``'s frame), stored or drawn and stored."""
        return _stored_world(self.folder, _key(entry="world", tolerance=repr(WORLD_TOLERANCE)))

    def in_frame(self, countries: gpd.GeoDataFrame, bounds: tuple[float, float, float, float], *,
                 world: gpd.GeoDataFrame | None, focus: Collection[str],
                 close_to: Sequence[tuple[float, float]]) -> dict[str, Any]:
        """Return ``basemap_in_frame`` of these arguments, stored or drawn and stored.

        ``countries`` and ``world`` must be the shipped countries and the world backdrop (the
        key names the data they come from, not their contents).
        """
        key = _key(entry="frame", bounds=[repr(float(v)) for v in bounds], world=world is not None,
                   focus=sorted(focus), close_to=[[repr(float(x)), repr(float(y))] for x, y in close_to])
        path = self.folder / f"frame-{key[:32]}.npz"
        stored = _read(path, key)
        if stored is not None:
            return json.loads(stored["json"].tobytes().decode("utf-8"))
        base = basemap_in_frame(countries, bounds, world=world, focus=focus, close_to=close_to)
        text = json.dumps(base, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        _write(path, key, {"json": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}, {})
        return base


@functools.lru_cache(maxsize=2)
def _stored_world(folder: Path, key: str) -> gpd.GeoDataFrame:
    """Return the world backdrop from ``folder`` (read once per process), or draw and store it."""
    path = folder / f"world-{key[:32]}.npz"
    stored = _read(path, key)
    if stored is not None:
        arrays, meta = stored, stored["__meta__"]
        blobs = arrays["wkb"].tobytes()
        bounds = arrays["offsets"]
        geoms = shapely.from_wkb([blobs[a:b] for a, b in itertools.pairwise(bounds)])
        return gpd.GeoDataFrame({"iso2": meta["iso2"], "name": meta["name"]}, geometry=geoms,
                                crs=meta["crs"])
    world = simplify_countries(load_countries(), WORLD_TOLERANCE)
    blobs = [shapely.to_wkb(g) for g in world.geometry.values]
    offsets = np.cumsum([0, *map(len, blobs)], dtype=np.int64)
    _write(path, key, {"wkb": np.frombuffer(b"".join(blobs), dtype=np.uint8), "offsets": offsets},
           {"iso2": world["iso2"].astype(str).tolist(), "name": world["name"].astype(str).tolist(),
            "crs": world.crs.to_string()})
    return world


def _read(path: Path, key: str) -> dict[str, Any] | None:
    """Return an entry's arrays (its meta under ``__meta__``), or None if missing or unfit."""
    if not path.is_file():
        return None
    try:
        arrays, meta = read_arrays(path)
    except NetworkDataError as exc:
        log.warning("the basemap cache entry %s is damaged, drawn afresh: %s", path.name, exc)
        return None
    if meta.get("key") != key:
        return None
    return {**arrays, "__meta__": meta}


def _write(path: Path, key: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Store an entry; a folder that cannot take it is skipped (the map is drawn all the same)."""
    try:
        write_arrays(path, arrays, {**meta, "key": key, "format": FORMAT})
    except OSError as exc:
        log.debug("cannot write the basemap cache entry %s: %s", path, exc)
