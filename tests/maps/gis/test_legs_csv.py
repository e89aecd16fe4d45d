"""Tests for routemap.maps.gis.legs_csv: the legs CSV, one row per leg, no cell a formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pyogrio
import pytest
import shapely

from routemap.maps.gis.legs_csv import render_csv
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import LEG_COLUMNS


def test_csv_has_one_row_per_leg_with_wkt(sample_routeset: RouteSet) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(sample_routeset).decode("utf-8"))))
    assert len(rows) == 3
    assert list(rows[0]) == [*LEG_COLUMNS, "geometry"]
    assert json.loads(rows[0]["sources"]) == ["wh-2023-10"]
    assert rows[0]["note"] == ""
    geom = shapely.from_wkt(rows[1]["geometry"])
    assert geom.geom_type == "LineString" and len(geom.coords) == 5
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
