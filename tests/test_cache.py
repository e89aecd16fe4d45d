"""Tests of the shared disk cache: its folder, checksummed arrays, atomic writes.

``DAMAGE`` lists the ways a cache file gets damaged; the geo tests heal the network and land
caches from the same list.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from routemap import cache
from routemap.errors import NetworkDataError

ARRAYS = {"weights": np.array([7.2, 13.0, 7.2]), "indices": np.array([1, 0, 2, 1], dtype=np.int32)}
META = {"format": 1, "checksum": cache.checksum(ARRAYS, ("tiny",))}


def _flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0xFF
    return bytes(out)


def _rewrite_with_old_checksum(path: Path) -> None:
    """A well-formed file whose arrays changed after the checksum was taken."""
    with np.load(path) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["weights"] = arrays["weights"] * 2
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def _rewrite_with_format(path: Path, version: int) -> None:
    arrays, meta = cache.read_arrays(path)
    cache.write_arrays(path, arrays, {**meta, "format": version})


DAMAGE = {
    "empty": lambda p: p.write_bytes(b""),
    "truncated to half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "last byte cut": lambda p: p.write_bytes(p.read_bytes()[:-1]),
    "byte flipped in the middle": lambda p: p.write_bytes(_flip(p.read_bytes(), p.stat().st_size // 2)),
    "first byte flipped": lambda p: p.write_bytes(_flip(p.read_bytes(), 0)),
    "byte flipped near the end": lambda p: p.write_bytes(_flip(p.read_bytes(), p.stat().st_size - 400)),
    "garbage": lambda p: p.write_bytes(os.urandom(4096)),
    "arrays changed after the checksum": _rewrite_with_old_checksum,
    "another cache format": lambda p: _rewrite_with_format(p, 99),
}


def test_cache_dir_honours_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path / "c"))
    assert cache.cache_dir() == tmp_path / "c"
    assert (tmp_path / "c").is_dir()


def test_cache_folder_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path / "file"))
    with pytest.raises(NetworkDataError, match=r"cannot use the cache folder .*ROUTEMAP_CACHE_DIR"):
        cache.cache_dir()


def test_checksum_mismatch_is_named(tmp_path):
    path = tmp_path / "a.npz"
    cache.write_arrays(path, ARRAYS, META)
    _rewrite_with_old_checksum(path)
    with pytest.raises(NetworkDataError, match="fails its checksum"):
        cache.read_arrays(path)


def test_npz_members_are_stored_uncompressed(tmp_path):
    """The checksum covers the array bytes; zip CRCs catch damage before that, too."""
    cache.write_arrays(tmp_path / "n.npz", ARRAYS, META)
    with zipfile.ZipFile(tmp_path / "n.npz") as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
        meta = json.loads(np.load(tmp_path / "n.npz")["__meta__"].tobytes())
    assert meta["sha256"] and meta["checksum"] == META["checksum"]


# --- two processes at once --------------------------------------------------------------------------


def _write_repeatedly(folder: str, times: int) -> None:
    path = Path(folder) / "shared.npz"
    for _ in range(times):
        cache.write_arrays(path, ARRAYS, META)


def _read_repeatedly(folder: str, times: int, results) -> None:
    path = Path(folder) / "shared.npz"
    while not path.exists():
        time.sleep(0.001)
    sums = {cache.read_arrays(path)[1]["checksum"] for _ in range(times)}
    results.put(sorted(sums))


def run_processes(processes) -> None:
    """Start processes, wait for them, and check that every one exited cleanly."""
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * len(processes)


def test_a_reader_never_sees_a_partial_file_while_another_process_writes(tmp_path):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    run_processes([context.Process(target=_write_repeatedly, args=(str(tmp_path), 40)),
                   context.Process(target=_read_repeatedly, args=(str(tmp_path), 80, results))])
    assert results.get(timeout=10) == [META["checksum"]]
