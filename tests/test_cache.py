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


@pytest.mark.parametrize(("value", "on"), [("", True), ("on", True), ("OFF", False), (" no ", False),
                                           ("0", False), ("false", False), ("1", True)])
def test_a_cache_is_switched_off_by_its_own_variable_or_by_the_one_for_all(monkeypatch, value, on):
    monkeypatch.delenv(cache.ALL_CACHES_ENV, raising=False)
    monkeypatch.setenv("ROUTEMAP_TEST_CACHE", value)
    assert cache.cache_switched_on("ROUTEMAP_TEST_CACHE") is on
    monkeypatch.setenv("ROUTEMAP_TEST_CACHE", "on")
    monkeypatch.setenv(cache.ALL_CACHES_ENV, value)
    assert cache.cache_switched_on("ROUTEMAP_TEST_CACHE") is on


def test_a_new_code_version_folder_removes_only_its_own_kinds_other_versions(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    kept = ["slides-v1-" + "a" * 16, "routes-v1-notours", "routes.txt", "network-rail-v3.npz"]
    removed = ["routes-v1", "routes-v1-" + "b" * 16, "routes-v2-" + "c" * 16]
    for name in [kept[0], kept[1], *removed]:
        (tmp_path / name).mkdir()
    for name in kept[2:]:
        (tmp_path / name).write_text("x")
    folder = cache.versioned_folder("routes", 2, "d" * 64)
    assert folder == tmp_path / ("routes-v2-" + "d" * 16) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, folder.name])
    (folder / "entry").write_text("kept")
    assert cache.versioned_folder("routes", 2, "d" * 64) == folder and (folder / "entry").exists()


def test_an_unusable_cache_folder_means_no_cache(tmp_path, monkeypatch, caplog):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path / "file"))
    assert cache.versioned_folder("slides", 1, "e" * 64) is None
    assert "the slides cache is off" in caplog.text


def test_library_versions_name_a_missing_library_with_an_empty_version():
    found = dict(cache.library_versions(["numpy", "no-such-distribution-routemap"]))
    assert found["numpy"] == np.__version__ and found["no-such-distribution-routemap"] == ""
