"""The on-disk cache every layer shares: its folder, and checksummed arrays written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np
import platformdirs

from routemap.errors import NetworkDataError

__all__ = ["atomic_file", "cache_dir", "checksum", "read_arrays", "write_arrays"]


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
