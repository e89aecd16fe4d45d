"""Filling a cold cache beside the build: which caches, in another process, stopped cleanly."""

from __future__ import annotations

import pytest

from routemap import warmup


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """An empty cache folder, every cache switched on."""
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    for name in ("ROUTEMAP_ROUTE_CACHE", "ROUTEMAP_BASEMAP_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_an_empty_cache_folder_misses_the_lanes_and_for_a_web_map_the_backdrop(empty_cache):
    assert warmup.cold_caches(("geojson", "png")) == ("sea lanes",)
    assert warmup.cold_caches(("html", "png")) == ("sea lanes", "world backdrop")
    assert warmup.cold_caches(("html",), build_caches=False) == ("sea lanes",)


def test_one_process_starts_no_warmup(empty_cache):
    assert warmup.start_warmup(("html",), processes=1) is None
    assert list(empty_cache.iterdir()) == []


def test_the_warmup_fills_the_caches_in_another_process(empty_cache):
    process = warmup.start_warmup(("html", "geojson"), processes=2)
    assert process is not None
    process.join()
    assert process.exitcode == 0
    assert warmup.cold_caches(("html",)) == ()
    assert warmup.start_warmup(("html",), processes=2) is None  # nothing left to warm
    assert not list(empty_cache.rglob("*.tmp"))


def test_a_warmup_stopped_early_leaves_no_half_written_file(empty_cache):
    process = warmup.start_warmup(("html",), processes=2)
    assert process is not None
    warmup.stop_warmup(process)
    assert not process.is_alive()
    assert not list(empty_cache.rglob("*.tmp"))
    warmup.stop_warmup(None)  # a build that started none
