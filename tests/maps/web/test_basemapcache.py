"""The web map's basemap kept between builds: the same layers as drawn afresh, a damaged entry
drawn again, nothing read or written when turned off, other code versions' folders removed."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from routemap.geo.countries import load_countries
from routemap.maps.web import basemapcache, html
from routemap.maps.web.basemapcache import BasemapCache, basemap_code_version
from routemap.maps.web.edges import basemap_in_frame
from routemap.maps.web.vector_basemap import WORLD_TOLERANCE, simplify_countries

#: Korea and Japan's neighbours, with the bundled scenario's first legs' ends (Rajin, Vostochny).
BOUNDS = (128.0, 38.0, 134.0, 43.5)
PLACES = [(130.3, 42.25), (133.0, 42.75)]


@pytest.fixture(scope="module")
def few_countries() -> gpd.GeoDataFrame:
    """Five neighbouring countries of the shipped data: a small 'world' that simplifies fast."""
    countries = load_countries()
    return countries[countries["iso2"].isin(["KP", "KR", "CN", "RU", "JP"])].reset_index(drop=True)


@pytest.fixture()
def store(tmp_path, monkeypatch, few_countries) -> BasemapCache:
    """A cache in a fresh cache folder, whose world backdrop is drawn from ``few_countries``."""
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(basemapcache.ENV, raising=False)
    monkeypatch.delenv("ROUTEMAP_ROUTE_CACHE", raising=False)
    monkeypatch.setattr(basemapcache, "load_countries", lambda: few_countries)
    basemapcache._stored_world.cache_clear()
    cache = BasemapCache.default()
    assert cache is not None
    yield cache
    basemapcache._stored_world.cache_clear()


def _text(base: dict) -> str:
    return json.dumps(base, ensure_ascii=False, separators=(",", ":"))


def test_a_frame_from_the_cache_is_the_frame_drawn_afresh(store, few_countries):
    fresh = basemap_in_frame(few_countries, BOUNDS, world=None, focus={"KP"}, close_to=PLACES)
    first = store.in_frame(few_countries, BOUNDS, world=None, focus={"KP"}, close_to=PLACES)
    assert len(list(store.folder.glob("frame-*.npz"))) == 1
    second = store.in_frame(few_countries, BOUNDS, world=None, focus={"KP"}, close_to=PLACES)
    assert _text(first) == _text(second) == _text(fresh)
    assert fresh["land"]  # the frame has land to keep


def test_every_input_of_a_frame_names_another_entry(store, few_countries):
    asked = [{"bounds": BOUNDS, "focus": {"KP"}, "close_to": PLACES},
             {"bounds": (128.0, 38.0, 134.5, 43.5), "focus": {"KP"}, "close_to": PLACES},
             {"bounds": BOUNDS, "focus": {"KP", "RU"}, "close_to": PLACES},
             {"bounds": BOUNDS, "focus": {"KP"}, "close_to": PLACES[:1]}]
    for args in asked:
        store.in_frame(few_countries, args["bounds"], world=None, focus=args["focus"],
                       close_to=args["close_to"])
    assert len(list(store.folder.glob("frame-*.npz"))) == len(asked)


def test_a_damaged_frame_entry_is_drawn_again(store, few_countries):
    fresh = store.in_frame(few_countries, BOUNDS, world=None, focus=(), close_to=PLACES)
    (entry,) = store.folder.glob("frame-*.npz")
    entry.write_bytes(entry.read_bytes()[:200])
    again = store.in_frame(few_countries, BOUNDS, world=None, focus=(), close_to=PLACES)
    assert _text(again) == _text(fresh)
    assert entry.stat().st_size > 200  # written whole again


def test_the_world_backdrop_is_stored_exactly(store, few_countries):
    drawn = simplify_countries(few_countries, WORLD_TOLERANCE)
    assert store.world().geometry.to_wkb().tolist() == drawn.geometry.to_wkb().tolist()
    basemapcache._stored_world.cache_clear()  # a new process: read from the file
    read = store.world()
    assert read["iso2"].tolist() == drawn["iso2"].tolist()
    assert read["name"].tolist() == drawn["name"].tolist()
    assert read.crs == drawn.crs
    assert all(shapely.equals_exact(read.geometry.values, drawn.geometry.values, tolerance=0.0))
    assert read.geometry.to_wkb().tolist() == drawn.geometry.to_wkb().tolist()


@pytest.mark.parametrize("variable", [basemapcache.ENV, "ROUTEMAP_ROUTE_CACHE"])
def test_the_cache_is_off_by_environment(tmp_path, monkeypatch, variable):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(variable, "off")
    assert BasemapCache.default() is None
    assert list(tmp_path.iterdir()) == []


def test_a_map_without_cache_neither_reads_nor_writes_it(tmp_path, monkeypatch, few_countries,
                                                         sample_routeset):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(html, "load_world_backdrop",
                        lambda: simplify_countries(few_countries, WORLD_TOLERANCE))

    def unexpected(*args, **kwargs):
        raise AssertionError("the basemap cache was used")

    monkeypatch.setattr(BasemapCache, "default", unexpected)
    page = html.render_html(sample_routeset, cache=False)
    assert page.startswith(b"<!DOCTYPE html>")
    assert not any(p.name.startswith("webmap-") for p in tmp_path.iterdir())


def test_a_new_code_version_removes_only_the_old_versions_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(basemapcache.ENV, raising=False)
    monkeypatch.delenv("ROUTEMAP_ROUTE_CACHE", raising=False)
    old = tmp_path / "webmap-v1-0123456789abcdef"
    (old / "x").mkdir(parents=True)
    kept = [tmp_path / "webmap-notes", tmp_path / "routes-v1-0123456789abcdef"]
    for folder in kept:
        folder.mkdir()
    cache = BasemapCache.default()
    assert cache is not None
    assert cache.folder.name == f"webmap-v1-{basemap_code_version()[:16]}"
    assert not old.exists()
    assert all(folder.is_dir() for folder in kept)


def test_the_folder_names_the_code_that_draws_the_basemap():
    assert Path(basemapcache.__file__).name in basemapcache._BASEMAP_MODULES["routemap.maps.web"]
