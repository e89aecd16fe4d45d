"""Tests for maps/gpkg.py: layers read back by GDAL, same property names, byte-identical builds."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio
import pyogrio.raw
import pytest
from geopandas.testing import assert_geodataframe_equal

from routemap.maps.gis.gpkg import ATTRIBUTION_COLUMNS, GPKG_LAYERS, SOURCE_COLUMNS, is_date_column, render_gpkg
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import ANNOTATION_COLUMNS, LEG_COLUMNS, PLACE_COLUMNS, TRANSFER_COLUMNS

TESTS = Path(__file__).resolve().parents[2]


@pytest.fixture()
def gpkg_path(sample_routeset: RouteSet, tmp_path: Path) -> Path:
    """The sample route set written as routes.gpkg."""
    path = tmp_path / "routes.gpkg"
    path.write_bytes(render_gpkg(sample_routeset))
    return path


def test_gpkg_layers_and_geometry_types(gpkg_path: Path) -> None:
    layers = dict(pyogrio.list_layers(gpkg_path))
    assert layers == {
        "places": "Point", "legs": "MultiLineString", "transfers": "MultiLineString",
        "annotations": "Point", "sources": None, "attributions": None, "metadata": None,
    }


@pytest.mark.parametrize(("layer", "columns", "count"), [
    ("places", PLACE_COLUMNS, 3),
    ("legs", LEG_COLUMNS, 3),
    ("transfers", TRANSFER_COLUMNS, 2),
    ("annotations", ANNOTATION_COLUMNS, 1),
    ("sources", SOURCE_COLUMNS, 2),
    ("attributions", ATTRIBUTION_COLUMNS, 2),
])
def test_gpkg_layer_fields_and_counts(
    gpkg_path: Path, layer: str, columns: tuple[str, ...], count: int
) -> None:
    info = pyogrio.read_info(gpkg_path, layer=layer)
    assert list(info["fields"]) == list(columns)
    assert info["features"] == count
    if info["geometry_type"] is not None:
        assert pyogrio.read_dataframe(gpkg_path, layer=layer).crs.to_epsg() == 4326


def test_gpkg_field_types_do_not_depend_on_data(gpkg_path: Path) -> None:
    info = pyogrio.read_info(gpkg_path, layer="legs")
    types = dict(zip(info["fields"], info["ogr_types"], strict=False))
    assert types["leg_index"] == "OFTInteger64"
    assert types["distance_km"] == types["quantity_value"] == "OFTReal"
    assert types["note"] == types["sources"] == "OFTString"


@pytest.mark.parametrize(("name", "expected"), [
    ("period_start", True), ("period_end", True), ("date", True), ("window_start", True),
    ("as_of_date", True), ("update", False), ("dates", False), ("legend", False), ("note", False),
])
def test_date_columns_are_known_by_name(name: str, expected: bool) -> None:
    assert is_date_column(name) is expected


def _declared_types(path: Path, layer: str) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return {row[1]: row[2] for row in con.execute(f'PRAGMA table_info("{layer}")')}


@pytest.mark.parametrize("layer", GPKG_LAYERS)
def test_gpkg_date_columns_are_declared_dates(gpkg_path: Path, layer: str) -> None:
    """QGIS's temporal controller takes DATE fields as they are: every date column is one."""
    declared = _declared_types(gpkg_path, layer)
    info = pyogrio.read_info(gpkg_path, layer=layer)
    ogr_types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    for name in info["fields"]:
        expected = ("DATE", "OFTDate") if is_date_column(name) else (declared[name], ogr_types[name])
        assert (declared[name], ogr_types[name]) == expected, name
        if not is_date_column(name):
            assert declared[name] != "DATE" and ogr_types[name] != "OFTDate", name


def test_gpkg_dates_keep_their_values_and_nulls(gpkg_path: Path) -> None:
    with sqlite3.connect(gpkg_path) as con:
        legs = con.execute("SELECT period_start, period_end FROM legs ORDER BY fid").fetchall()
        sources = con.execute("SELECT source_id, date FROM sources ORDER BY fid").fetchall()
        kinds = {row[0] for row in con.execute("SELECT typeof(period_start) FROM legs")}
    assert legs == [("2023-09-07", "2023-10-01"), ("2023-09-07", "2023-10-01"), ("2024-11-01", "2024-12-31")]
    assert sources == [("wh-2023-10", "2023-10-13"), ("rusi-2023-08", "2023-10-03")]
    assert kinds == {"text"}  # GeoPackage stores DATE as ISO 8601 text
    annotations = pyogrio.read_dataframe(gpkg_path, layer="annotations")
    assert str(annotations["period_start"].dtype).startswith("datetime64")


def test_gpkg_missing_dates_are_null(sample_routeset: RouteSet, tmp_path: Path) -> None:
    legs = sample_routeset.legs.copy()
    legs["period_start"] = None
    legs["period_end"] = None
    path = tmp_path / "routes.gpkg"
    path.write_bytes(render_gpkg(dataclasses.replace(sample_routeset, legs=legs)))
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT DISTINCT period_start, period_end FROM legs").fetchall() == [(None, None)]
    assert _declared_types(path, "legs")["period_start"] == "DATE"


def test_gpkg_lists_are_json_text(gpkg_path: Path) -> None:
    legs = pyogrio.read_dataframe(gpkg_path, layer="legs")
    assert json.loads(legs["sources"][0]) == ["wh-2023-10"]
    assert json.loads(legs["via_ids"][0]) == []
    assert "<script>" in json.loads(legs["citations"][2])[0]  # data, not markup, in GPKG


def test_gpkg_transfers_dissolve_their_legs(gpkg_path: Path) -> None:
    transfers = pyogrio.read_dataframe(gpkg_path, layer="transfers")
    first = transfers.iloc[0]
    assert first["feature_id"] == "transfer:najin-dunai-tikhoretsk"
    assert json.loads(first["modes"]) == ["sea", "rail"]
    assert first["leg_count"] == 2
    assert first["distance_km"] == pytest.approx(9990.0)
    assert (first["period_start"], first["period_end"]) == (pd.Timestamp("2023-09-07"), pd.Timestamp("2023-10-01"))
    assert len(first.geometry.geoms) == 2
    assert first["attribution"].startswith("Rail network")


def test_gpkg_carries_attributions_and_sources(
    gpkg_path: Path, sample_routeset: RouteSet
) -> None:
    table = pyogrio.read_dataframe(gpkg_path, layer="attributions", read_geometry=False)
    assert list(table["attribution"]) == list(sample_routeset.attributions)
    sources = pyogrio.read_dataframe(gpkg_path, layer="sources", read_geometry=False)
    assert list(sources["source_id"]) == ["wh-2023-10", "rusi-2023-08"]
    assert sources["citation"][0].startswith("The White House")
    meta = pyogrio.read_info(gpkg_path, layer="legs")["layer_metadata"]
    assert "OpenStreetMap" in meta["DESCRIPTION"]


def test_gpkg_timestamps_come_from_as_of(gpkg_path: Path) -> None:
    with sqlite3.connect(gpkg_path) as con:
        stamps = {row[0] for row in con.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2025-06-01T00:00:00.000Z"}


def test_gpkg_is_byte_identical_across_builds(sample_routeset: RouteSet) -> None:
    assert render_gpkg(sample_routeset) == render_gpkg(sample_routeset)


def test_gpkg_is_byte_identical_across_hash_seeds(sample_routeset: RouteSet) -> None:
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import _sample_routeset; from routemap.maps.gis.gpkg import render_gpkg;"
        "print(hashlib.sha256(render_gpkg(_sample_routeset())).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(TESTS)], check=True, capture_output=True,
            cwd=TESTS.parent,
            text=True, env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout.strip()
        for seed in ("0", "1", "12345")
    }
    assert len(digests) == 1


def test_gpkg_without_annotations_keeps_the_layer(sample_routeset: RouteSet, tmp_path) -> None:
    empty = sample_routeset.annotations.iloc[0:0]
    path = tmp_path / "routes.gpkg"
    path.write_bytes(render_gpkg(dataclasses.replace(sample_routeset, annotations=empty)))
    info = pyogrio.read_info(path, layer="annotations")
    assert info["features"] == 0 and info["geometry_type"] == "Point"


def test_gpkg_does_not_mutate_the_routeset(sample_routeset: RouteSet) -> None:
    before = sample_routeset.legs.copy(deep=True)
    render_gpkg(sample_routeset)
    assert_geodataframe_equal(sample_routeset.legs, before)


GPKG_ADVICE = ("cannot make routes.gpkg: writing it in the temporary folder '{tmp}' failed; check "
               "that the folder is writable and has free space (TMPDIR chooses another), or leave "
               "gpkg out of --formats")


def _raise(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc
    return fail


@pytest.mark.parametrize(("target", "exc", "detail"), [
    ("pyogrio.raw.write",
     pyogrio.errors.DataSourceError("sqlite3_open(/t/x.gpkg) failed: unable to open database file"),
     " (from GDAL: sqlite3_open(/t/x.gpkg) failed: unable to open database file)"),
    ("pyogrio.raw.write", pyogrio.errors.FieldError("Error adding field 'note' to layer"),
     " (from GDAL: Error adding field 'note' to layer)"),
    ("pyogrio.raw.write", pyogrio.errors.DataLayerError(""), " (from GDAL: DataLayerError)"),
    ("routemap.maps.gis.gpkg._compact", sqlite3.OperationalError("database or disk is full"),
     " (from SQLite: database or disk is full)"),
    ("tempfile.TemporaryDirectory",
     FileNotFoundError(2, "No usable temporary directory found in ['/tmp']"),
     " (from the file system: [Errno 2] No usable temporary directory found in ['/tmp'])"),
])
def test_gpkg_library_failures_say_what_to_do(
    sample_routeset: RouteSet, monkeypatch, target: str, exc: BaseException, detail: str
) -> None:
    import tempfile

    from routemap.errors import RenderError

    monkeypatch.setattr(target, _raise(exc))
    with pytest.raises(RenderError) as caught:
        render_gpkg(sample_routeset)
    assert str(caught.value) == GPKG_ADVICE.format(tmp=tempfile.gettempdir()) + detail
    assert caught.value.__cause__ is exc


def test_gpkg_failure_leaves_no_scratch_file(
    sample_routeset: RouteSet, tmp_path: Path, monkeypatch
) -> None:
    from routemap.maps.gis.gpkg import gpkg_layers, write_gpkg

    real = pyogrio.raw.write
    calls = []

    def second_layer_fails(*args, **kwargs):
        calls.append(kwargs["layer"])
        if len(calls) == 2:
            raise pyogrio.errors.DataLayerError("disk I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio.raw, "write", second_layer_fails)
    with pytest.raises(pyogrio.errors.DataLayerError):
        write_gpkg(tmp_path / "routes.gpkg", gpkg_layers(sample_routeset), title="T")
    assert list(tmp_path.iterdir()) == []


def test_build_shows_a_gdal_failure_as_one_line_and_exit_2(tmp_path, one_flight_file, monkeypatch,
                                                           capsys) -> None:
    import tempfile

    from routemap.cli import main

    scenario, out = one_flight_file, tmp_path / "out"
    failure = pyogrio.errors.DataSourceError("sqlite3_open(x) failed: disk I/O error")
    monkeypatch.setattr(pyogrio.raw, "write", _raise(failure))
    assert main(["build", str(scenario), "--out", str(out), "--formats", "geojson,gpkg",
                 "--quiet"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: " + GPKG_ADVICE.format(tmp=tempfile.gettempdir())
        + " (from GDAL: sqlite3_open(x) failed: disk I/O error)"]
    assert not out.exists() or list(out.iterdir()) == []
