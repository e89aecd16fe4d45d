"""Tests for routemap.maps.gis.geojson: RFC 7946 GeoJSON of a route set."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re

import pyogrio
import pytest
from shapely.geometry import LineString, MultiLineString

from routemap.maps.gis.geojson import render_geojson
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import ANNOTATION_COLUMNS, LEG_COLUMNS, PLACE_COLUMNS

NUMBER = re.compile(r"-?\d+(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def _with_leg_geometries(routeset: RouteSet, geoms: list) -> RouteSet:
    """Return a copy of a route set with its leg geometries replaced."""
    legs = routeset.legs.copy()
    legs = legs.set_geometry(geoms, crs="EPSG:4326")
    return dataclasses.replace(routeset, legs=legs)


@pytest.fixture()
def antimeridian_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with legs that cross the antimeridian: unwrapped, wrapped, split."""
    return _with_leg_geometries(sample_routeset, [
        LineString([(170.0, 50.0), (185.0, 52.0), (190.0, 55.0)]),  # unwrapped, east past 180
        LineString([(178.0, 60.0), (-179.0, 61.0), (-175.0, 62.0)]),  # wraps the world
        MultiLineString([[(170.0, 10.0), (180.0, 11.0)], [(-180.0, 11.0), (-170.0, 12.0)]]),
    ])


def _geojson(routeset: RouteSet) -> dict:
    return json.loads(render_geojson(routeset))


def _positions(coords) -> list[list[float]]:
    """Flatten any GeoJSON coordinates array into a list of positions."""
    if coords and isinstance(coords[0], (int, float)):
        return [coords]
    return [p for c in coords for p in _positions(c)]


# --- GeoJSON: RFC 7946 ----------------------------------------------------------------------


def test_geojson_is_a_feature_collection_without_crs(sample_routeset: RouteSet) -> None:
    doc = _geojson(sample_routeset)
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert all("crs" not in f and "crs" not in f["geometry"] for f in doc["features"])
    assert doc["attribution"] == list(sample_routeset.attributions)
    assert doc["name"] == "Sample transfers"


def test_geojson_one_feature_per_leg_place_annotation(sample_routeset: RouteSet) -> None:
    features = _geojson(sample_routeset)["features"]
    kinds = [f["properties"]["feature_type"] for f in features]
    assert kinds == ["leg"] * 3 + ["place"] * 3 + ["annotation"]
    ids = [f["id"] for f in features]
    assert ids == [f["properties"]["feature_id"] for f in features]
    assert len(set(ids)) == len(ids)
    assert features[-1]["geometry"]["type"] == "Point"
    assert features[-1]["properties"]["kind"] == "annotation"


@pytest.mark.parametrize(("feature_type", "columns"), [
    ("leg", LEG_COLUMNS), ("place", PLACE_COLUMNS), ("annotation", ANNOTATION_COLUMNS),
])
def test_geojson_properties_follow_the_contract(
    sample_routeset: RouteSet, feature_type: str, columns: tuple[str, ...]
) -> None:
    for feature in _geojson(sample_routeset)["features"]:
        if feature["properties"]["feature_type"] == feature_type:
            assert list(feature["properties"]) == list(columns)
            assert isinstance(feature["properties"]["citations"], list)
            assert all(isinstance(c, str) for c in feature["properties"]["citations"])
            assert isinstance(feature["properties"]["attribution"], str)


def test_geojson_missing_values_are_null_whether_none_or_nan(
    sample_routeset: RouteSet,
) -> None:
    legs = sample_routeset.legs.copy()
    legs["note"] = [None, float("nan"), "x"]
    doc = _geojson(dataclasses.replace(sample_routeset, legs=legs))
    assert [f["properties"]["note"] for f in doc["features"][:3]] == [None, None, "x"]
    assert "NaN" not in render_geojson(dataclasses.replace(sample_routeset, legs=legs)).decode()


def test_geojson_coordinates_have_at_most_six_decimals(sample_routeset: RouteSet) -> None:
    precise = _with_leg_geometries(sample_routeset, [
        LineString([(130.29512345678912, 42.24598765432101), (132.33800000000001, 42.88)]),
        *list(sample_routeset.legs.geometry[1:]),
    ])
    doc = _geojson(precise)
    for feature in doc["features"]:
        text = json.dumps(feature["geometry"]["coordinates"])
        for match in NUMBER.finditer(text):
            assert match.group(1) is None or len(match.group(1)) <= 6, match.group(0)
    first = doc["features"][0]["geometry"]["coordinates"][0]
    assert first == pytest.approx([130.295123, 42.245988], abs=1e-9)


def test_geojson_splits_lines_at_the_antimeridian(antimeridian_routeset: RouteSet) -> None:
    features = _geojson(antimeridian_routeset)["features"][:3]
    for feature in features:
        geometry = feature["geometry"]
        assert geometry["type"] == "MultiLineString"
        assert len(geometry["coordinates"]) == 2
        assert all(-180 <= lon <= 180 for lon, _ in _positions(geometry["coordinates"]))
        west_end, east_start = geometry["coordinates"][0][-1], geometry["coordinates"][1][0]
        assert {west_end[0], east_start[0]} == {180, -180}
        assert west_end[1] == pytest.approx(east_start[1])
        for line in geometry["coordinates"]:
            lons = [p[0] for p in line]
            assert all(abs(b - a) <= 180 for a, b in itertools.pairwise(lons))


def test_geojson_crossing_latitude_is_interpolated(antimeridian_routeset: RouteSet) -> None:
    first = _geojson(antimeridian_routeset)["features"][0]["geometry"]["coordinates"]
    assert first[0][-1] == pytest.approx([180.0, 51.333333], abs=1e-6)


def test_geojson_reads_back_with_gdal(sample_routeset: RouteSet, tmp_path) -> None:
    path = tmp_path / "routes.geojson"
    path.write_bytes(render_geojson(sample_routeset))
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == 7
    assert frame.crs.to_epsg() == 4326
    assert set(LEG_COLUMNS) | set(PLACE_COLUMNS) | set(ANNOTATION_COLUMNS) <= set(frame.columns)
    assert list(frame.geometry.geom_type) == (
        ["LineString", "LineString", "MultiLineString"] + ["Point"] * 4
    )


def test_geojson_antimeridian_reads_back_within_bounds(
    antimeridian_routeset: RouteSet, tmp_path
) -> None:
    path = tmp_path / "routes.geojson"
    path.write_bytes(render_geojson(antimeridian_routeset))
    minx, _, maxx, _ = pyogrio.read_dataframe(path).total_bounds
    assert minx >= -180 and maxx <= 180


def test_geojson_is_deterministic(sample_routeset: RouteSet) -> None:
    assert render_geojson(sample_routeset) == render_geojson(sample_routeset)


def test_geojson_keeps_hostile_strings_as_json_data(sample_routeset: RouteSet) -> None:
    doc = _geojson(sample_routeset)
    citations = [c for f in doc["features"] for c in f["properties"]["citations"]]
    assert any("<script>alert(1)</script>" in c for c in citations)
