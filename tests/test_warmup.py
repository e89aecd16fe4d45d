"""Filling a cold cache beside the build: which caches, in another process, stopped cleanly."""

from __future__ import annotations

import pytest

from routemap import warmup


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """An empty cache folder, every cache switched on."""
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    for name in ("ROUTEMAP_ROUTE_CACHE", "ROUTEMAP_BASEMAP_CACHE", "ROUTEMAP_SLIDE_CACHE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_an_empty_cache_folder_misses_the_lanes_and_for_a_web_map_the_backdrop(empty_cache):
    assert warmup.cold_caches(("geojson", "csv")) == ("sea lanes",)
    assert warmup.cold_caches(("html", "png")) == ("sea lanes", "world backdrop", warmup.SLIDES)
    assert warmup.cold_caches(("html",), build_caches=False) == ("sea lanes",)


def test_slides_count_as_cold_until_the_slide_cache_holds_one(empty_cache, monkeypatch):
    assert warmup.SLIDES in warmup.cold_caches(("pptx",))
    folder = empty_cache / "slides-v1-0123456789abcdef"
    folder.mkdir()
    assert warmup.SLIDES in warmup.cold_caches(("pptx",))  # an empty folder holds none
    (folder / "entry.npz").write_bytes(b"a slide")
    assert warmup.SLIDES not in warmup.cold_caches(("pptx",))
    assert warmup.SLIDES in warmup.cold_caches(("pptx",), build_caches=False)
    monkeypatch.setenv("ROUTEMAP_SLIDE_CACHE", "off")
    assert warmup.SLIDES in warmup.cold_caches(("pptx",))


def test_one_process_starts_no_warmup(empty_cache):
    assert warmup.start_warmup(("html",), processes=1) is None
    assert list(empty_cache.iterdir()) == []


def test_the_warmup_fills_the_caches_in_another_process(empty_cache):
    started = warmup.start_warmup(("html", "geojson"), processes=2)
    assert started is not None and not started.slide_workers
    process = started.process
    process.join()
    assert process.exitcode == 0
    assert warmup.cold_caches(("html",)) == ()
    assert warmup.start_warmup(("html",), processes=2) is None  # nothing left to warm
    assert not list(empty_cache.rglob("*.tmp"))


def test_a_warmup_stopped_early_leaves_no_half_written_file(empty_cache):
    started = warmup.start_warmup(("html", "png"), processes=2)
    assert started is not None and started.slide_workers
    warmup.stop_warmup(started)
    assert not started.process.is_alive()
    assert not list(empty_cache.rglob("*.tmp"))
    from routemap.maps.slides import workers

    assert workers.take_ahead(2) is None  # the slide workers not taken were stopped
    warmup.stop_warmup(None)  # a build that started none
