"""The on-disk cache every layer shares: its folder, and checksummed arrays written atomically."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata, resources
from pathlib import Path
from typing import IO, Any

import numpy as np
import platformdirs

from routemap.errors import NetworkDataError

__all__ = ["ALL_CACHES_ENV", "atomic_file", "cache_dir", "cache_switched_on", "checksum",
           "hash_modules", "library_versions", "read_arrays", "versioned_folder", "write_arrays"]

log = logging.getLogger(__name__)

#: The variable that turns every build cache off (routes, drawn slides, web basemaps), as
#: ``routemap build --no-cache`` does; each cache may have a variable of its own besides.
ALL_CACHES_ENV = "ROUTEMAP_ROUTE_CACHE"
_OFF = frozenset({"off", "0", "no", "false"})


def cache_dir() -> Path:
    """Return the cache directory (``ROUTEMAP_CACHE_DIR`` or the user cache dir), created.

    Raises
    ------
    NetworkDataError
        If the folder cannot be created (e.g. the variable names a file).
    """
    env = os.environ.get("ROUTEMAP_CACHE_DIR")
    path = Path(env) if env else Path(platformdirs.user_cache_dir("routemap"))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NetworkDataError(f"cannot use the cache folder {path} (set ROUTEMAP_CACHE_DIR to another): "
                               f"{exc.strerror or exc}") from exc
    return path


def cache_switched_on(*variables: str) -> bool:
    """Tell whether the environment leaves a build cache on.

    Parameters
    ----------
    *variables : str
        The cache's own switches (e.g. ``ROUTEMAP_SLIDE_CACHE``); :data:`ALL_CACHES_ENV` is
        always read too.

    Returns
    -------
    bool
        False when any of them is ``off``, ``0``, ``no`` or ``false`` (any case, spaces
        around ignored).
    """
    return all(os.environ.get(name, "").strip().lower() not in _OFF
               for name in dict.fromkeys((ALL_CACHES_ENV, *variables)))


def library_versions(names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Return (distribution, installed version) for each name, ``""`` for one not installed:
    the part of a cache key that changes when a library that shapes the content does."""
    found = []
    for name in names:
        try:
            found.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            found.append((name, ""))
    return tuple(found)


def hash_modules(digest: Any, modules: Mapping[str, Iterable[str]]) -> None:
    """Feed a hashlib digest with the name and bytes of each source file of some packages: the
    part of a cache's code version that changes when the code making its entries does.

    Parameters
    ----------
    digest : hashlib hash object
        Updated in place.
    modules : mapping of str to iterable of str
        File names (e.g. ``sea.py``) by importable package (e.g. ``routemap.routes``), fed in
        the mapping's order.
    """
    for package, names in modules.items():
        root = resources.files(package)
        for name in names:
            digest.update(name.encode())
            digest.update(root.joinpath(name).read_bytes())


def versioned_folder(kind: str, fmt: int, code: str, *, root: Path | None = None) -> Path | None:
    """Return a cache's folder for this format and code version, created, the cache's other
    versions removed.

    The folder is ``<kind>-v<fmt>-<first 16 hex digits of code>`` in :func:`cache_dir`. When it
    is created, the folders of the same ``kind`` but another format or code version are
    removed (those named ``<kind>-v<digits>``, with or without ``-<16 hex digits>``; nothing
    else in the cache folder is touched), so a cache holds one code version's entries.

    Parameters
    ----------
    kind : str
        The cache's name (``routes``, ``slides``, ``webmap``).
    fmt : int
        The version of its entries' format.
    code : str
        A hex digest of the code (and libraries) that make its entries.
    root : Path, optional
        The cache folder (default :func:`cache_dir`).

    Returns
    -------
    Path or None
        None, logged, when the cache folder cannot be used: the caller then works uncached.
    """
    if root is None:
        try:
            root = cache_dir()
        except NetworkDataError as exc:
            log.warning("the %s cache is off: %s", kind, exc)
            return None
    folder = root / f"{kind}-v{fmt}-{code[:16]}"
    if folder.is_dir():
        return folder
    try:
        folder.mkdir()
    except FileExistsError:
        return folder if folder.is_dir() else None
    except OSError as exc:
        log.debug("cannot create the cache folder %s: %s", folder, exc)
        return None
    pattern = re.compile(rf"{re.escape(kind)}-v\d+(-[0-9a-f]{{16}})?\Z")
    try:
        others = [p for p in root.iterdir() if p.name != folder.name and pattern.match(p.name) and p.is_dir()]
    except OSError as exc:
        log.debug("cannot list the cache folder %s: %s", root, exc)
        return folder
    for other in others:
        shutil.rmtree(other, ignore_errors=True)
    return folder


def checksum(arrays: Mapping[str, np.ndarray], labels: tuple[str, ...] = ()) -> str:
    """Return the SHA-256 of some labels and of named arrays (names and bytes, by name).

    Parameters
    ----------
    arrays : mapping of str to numpy.ndarray
        The arrays; their order does not matter.
    labels : tuple of str
        Text hashed first (e.g. a table the arrays index into).

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256("|".join(labels).encode())
    for key in sorted(arrays):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    return digest.hexdigest()


def write_arrays(path: Path, arrays: dict[str, np.ndarray], meta: dict) -> None:
    """Write arrays and a JSON ``meta`` dict to an uncompressed ``.npz``, atomically.

    A SHA-256 of every array is stored in the file so :func:`read_arrays` detects corruption.
    The file is written to a temporary name in the same folder, then renamed over ``path``.

    Parameters
    ----------
    path : Path
        The file to write; its folder must exist.
    arrays : dict of str to numpy.ndarray
        The arrays (no object arrays: the file is read without pickle).
    meta : dict
        JSON-serialisable facts about the arrays (format, source, ...).
    """
    meta = {**meta, "sha256": checksum(arrays)}
    payload: dict[str, Any] = {**arrays, "__meta__": np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)}
    with atomic_file(path) as handle:
        np.savez(handle, **payload)


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Open a binary handle whose bytes replace ``path`` whole, or not at all.

    The bytes go to a temporary file in the same folder, renamed over ``path`` when the block
    ends without error; on any error the temporary file is removed and the error raised.

    Parameters
    ----------
    path : Path
        The file to write; its folder must exist.

    Raises
    ------
    OSError
        If the folder cannot take the file.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a shared cache must stay readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_arrays(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    """Read a file written by :func:`write_arrays` and verify its checksum.

    Parameters
    ----------
    path : Path
        The ``.npz`` file.

    Returns
    -------
    arrays : dict of str to numpy.ndarray
        The arrays, by name.
    meta : dict
        The ``meta`` dict written with them, plus its ``sha256``.

    Raises
    ------
    NetworkDataError
        If the file is missing, truncated, unreadable or its checksum does not match.
    """
    try:
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        meta = json.loads(arrays.pop("__meta__").tobytes().decode())
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise NetworkDataError(f"cache {path} is unreadable: {exc}") from exc
    if meta.get("sha256") != checksum(arrays):
        raise NetworkDataError(f"cache {path} fails its checksum")
    return arrays, meta
