"""Tests for maps/export.py: RFC 7946 GeoJSON, the legs CSV and the shared geometry cleaning."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from routemap.maps.gis import export
from routemap.maps.gis.export import export_geometry, plain_value, render_csv, render_geojson, text_value
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
            assert all(abs(b - a) <= 180 for a, b in zip(lons[:-1], lons[1:]))


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
    assert -180 <= minx and maxx <= 180


def test_geojson_is_deterministic(sample_routeset: RouteSet) -> None:
    assert render_geojson(sample_routeset) == render_geojson(sample_routeset)


def test_geojson_keeps_hostile_strings_as_json_data(sample_routeset: RouteSet) -> None:
    doc = _geojson(sample_routeset)
    citations = [c for f in doc["features"] for c in f["properties"]["citations"]]
    assert any("<script>alert(1)</script>" in c for c in citations)


@pytest.mark.parametrize("name", ["geojson", "csv", "gpkg", "kml", "kmz"])
def test_every_format_renders_from_maps_export(sample_routeset: RouteSet, name: str) -> None:
    data = getattr(export, f"render_{name}")(sample_routeset)
    assert isinstance(data, bytes) and data


def test_every_format_is_identical_across_hash_seeds() -> None:
    tests = Path(__file__).resolve().parents[2]
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import _sample_routeset; from maps import export; rs = _sample_routeset();"
        "print(*(hashlib.sha256(getattr(export, 'render_' + n)(rs)).hexdigest()"
        " for n in ('geojson', 'csv', 'gpkg', 'kml', 'kmz')))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script, str(tests)], check=True, text=True,
                       capture_output=True, cwd=tests.parent,
                       env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        for seed in ("0", "7", "4242")
    }
    assert len(outputs) == 1


def test_renderers_do_not_mutate_the_routeset(sample_routeset: RouteSet) -> None:
    before = {n: getattr(sample_routeset, n).copy(deep=True)
              for n in ("legs", "places", "annotations")}
    for name in ("geojson", "csv", "gpkg", "kml", "kmz"):
        getattr(export, f"render_{name}")(sample_routeset)
    for name, frame in before.items():
        assert_geodataframe_equal(getattr(sample_routeset, name), frame)
    assert sample_routeset.legs["sources"][0] == ["wh-2023-10"]


# --- shared helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (float("nan"), None), (float("inf"), None), ([], []), (("a", "b"), ["a", "b"]),
    ("x", "x"), (3, 3), (2.5, 2.5), (True, True),
])
def test_plain_value(value, expected) -> None:
    assert plain_value(value) == expected


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("sources", ["a", "b"], '["a","b"]'), ("sources", None, "[]"), ("via_ids", [], "[]"),
    ("note", "x", "x"), ("note", None, None),
])
def test_text_value(name, value, expected) -> None:
    assert text_value(name, value) == expected


def test_export_geometry_orients_polygons_counterclockwise() -> None:
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    assert export_geometry(clockwise).exterior.is_ccw


def test_export_geometry_rounds_points() -> None:
    point = export_geometry(Point(1.23456789, -0.0000001))
    assert (point.x, point.y) == (1.234568, 0.0)


def test_export_geometry_rejects_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        export_geometry(LineString())


# --- CSV ------------------------------------------------------------------------------------


def test_csv_has_one_row_per_leg_with_wkt(sample_routeset: RouteSet) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(sample_routeset).decode("utf-8"))))
    assert len(rows) == 3
    assert list(rows[0]) == [*LEG_COLUMNS, "geometry"]
    assert json.loads(rows[0]["sources"]) == ["wh-2023-10"]
    assert rows[0]["note"] == ""
    geom = shapely.from_wkt(rows[1]["geometry"])
    assert geom.geom_type == "LineString" and len(geom.coords) == 4
    assert rows[1]["attribution"].startswith("Rail network")


def test_csv_uses_crlf_and_utf8(sample_routeset: RouteSet) -> None:
    data = render_csv(sample_routeset)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 4  # header and three legs, RFC 4180 line ends
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "\u201c".encode() in data


def test_csv_is_deterministic(sample_routeset: RouteSet) -> None:
    assert render_csv(sample_routeset) == render_csv(sample_routeset)


def _csv_rows(routeset: RouteSet) -> list[dict[str, str]]:
    text = render_csv(routeset).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(("column", "cell", "written"), [
    ("note", "\t=2+2", "'\t=2+2"),  # the tab is kept, and the cell stays text
    ("note", "=2+2", "'=2+2"),
    ("note", "+1", "'+1"),
    ("note", "-1", "'-1"),  # a minus sign in a text column is text
    ("note", " =1", "' =1"),  # a spreadsheet may trim the space first
    ("note", "\u00a0\n@x", "'\u00a0\n@x"),
    ("note", "@SUM(1)", "'@SUM(1)"),
    ("note", "\r=1", "'\r=1"),
    ("note", "'=1", "''=1"),  # so that removing one leading ' always restores the text
    ("carrier", "-Angara", "'-Angara"),
    ("note", "a = b - c", "a = b - c"),
    ("note", "2+2", "2+2"),
    ("note", "", ""),
    ("quantity_value", -300.0, "-300.0"),  # numbers stay numbers, negative ones too
    ("distance_km", -0.5, "-0.5"),
])
def test_csv_text_never_starts_a_formula_and_loses_nothing(
    sample_routeset: RouteSet, column: str, cell, written: str
) -> None:
    legs = sample_routeset.legs.copy()
    legs[column] = cell
    rows = _csv_rows(dataclasses.replace(sample_routeset, legs=legs))
    assert [row[column] for row in rows] == [written] * 3


def test_csv_guard_is_undone_by_removing_one_quote(sample_routeset: RouteSet) -> None:
    cells = ["\t=2+2", "'=1", "plain"]
    legs = sample_routeset.legs.copy()
    legs["note"] = cells
    rows = _csv_rows(dataclasses.replace(sample_routeset, legs=legs))
    assert [row["note"].removeprefix("'") for row in rows] == cells
    assert b",'\t=2+2," in render_csv(dataclasses.replace(sample_routeset, legs=legs))


def test_csv_reads_back_with_gdal(sample_routeset: RouteSet, tmp_path) -> None:
    path = tmp_path / "legs.csv"
    path.write_bytes(render_csv(sample_routeset))
    frame = pyogrio.read_dataframe(path, GEOM_POSSIBLE_NAMES="geometry", KEEP_GEOM_COLUMNS="NO")
    assert len(frame) == 3
    assert set(LEG_COLUMNS) <= set(frame.columns)
    assert list(frame.geometry.geom_type) == ["LineString", "LineString", "MultiLineString"]
