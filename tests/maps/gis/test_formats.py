"""Tests for every GIS format at once (GeoJSON, CSV, GeoPackage, KML, KMZ): each renders,
gives the same bytes whatever the hash seed, and leaves the route set as it was."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal

from routemap.geo.model import Corridor, Quantity
from routemap.maps.gis.geojson import render_geojson
from routemap.maps.gis.gpkg import render_gpkg
from routemap.maps.gis.kml import render_kml, render_kmz
from routemap.maps.gis.legs_csv import render_csv
from routemap.routes.builder import quantity_columns
from routemap.routes.routeset import RouteSet

RENDERERS = {"geojson": render_geojson, "csv": render_csv, "gpkg": render_gpkg,
             "kml": render_kml, "kmz": render_kmz}


@pytest.mark.parametrize("name", ["geojson", "csv", "gpkg", "kml", "kmz"])
def test_every_format_renders(sample_routeset: RouteSet, name: str) -> None:
    data = RENDERERS[name](sample_routeset)
    assert isinstance(data, bytes) and data


def test_every_format_is_identical_across_hash_seeds() -> None:
    tests = Path(__file__).resolve().parents[2]
    script = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import _sample_routeset; rs = _sample_routeset();"
        "from routemap.maps.gis.geojson import render_geojson;"
        "from routemap.maps.gis.legs_csv import render_csv;"
        "from routemap.maps.gis.gpkg import render_gpkg;"
        "from routemap.maps.gis.kml import render_kml, render_kmz;"
        "print(*(hashlib.sha256(render(rs)).hexdigest()"
        " for render in (render_geojson, render_csv, render_gpkg, render_kml, render_kmz)))"
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
        RENDERERS[name](sample_routeset)
    for name, frame in before.items():
        assert_geodataframe_equal(getattr(sample_routeset, name), frame)
    assert sample_routeset.legs["sources"][0] == ["wh-2023-10"]


@pytest.fixture()
def claims_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with its rail leg's end assumed, on a corridor a source names, and the
    first transfer's count given by two sources that disagree."""
    scenario = sample_routeset.scenario
    first = scenario.transfers[0]
    rail = dataclasses.replace(first.legs[1], assumed=("to",),
                               corridor=Corridor("Trans-Siberian Railway", ("rusi-2023-08",)))
    first = dataclasses.replace(first, legs=(first.legs[0], rail), quantity=None, quantities=(
        Quantity(10000, "containers", source="wh-2023-10"),
        Quantity(20000, "containers", "up to", source="rusi-2023-08")))
    scenario = dataclasses.replace(scenario, transfers=(first, *scenario.transfers[1:]))
    legs = sample_routeset.legs.copy()
    claims = quantity_columns(first.quantity_claims)
    for name, value in claims.items():
        legs[name] = [value, value, None if name != "quantities_disagree" else False]
    legs["destination_assumed"] = [False, True, False]
    legs["corridor"] = [None, "Trans-Siberian Railway", None]
    legs["path_confidence"] = ["estimated", "reported", "estimated"]
    return dataclasses.replace(sample_routeset, scenario=scenario, legs=legs)


DISAGREE = ("10,000\u201320,000 containers, sources disagree: 10,000 per The White House; "
            "up to 20,000 per RUSI")


def test_geojson_carries_both_certainties_and_the_claim(claims_routeset: RouteSet) -> None:
    features = json.loads(render_geojson(claims_routeset))["features"]
    rail = next(f["properties"] for f in features if f["id"] == "leg:najin-dunai-tikhoretsk:1")
    assert (rail["confidence"], rail["path_confidence"], rail["corridor"]) == (
        "confirmed", "reported", "Trans-Siberian Railway")
    assert rail["origin_assumed"] is False and rail["destination_assumed"] is True
    assert rail["quantities_disagree"] is True and rail["quantity_text"] == DISAGREE
    assert (rail["quantity_value"], rail["quantity_max"]) == (10000, 20000)


def test_csv_writes_flags_as_true_false_and_the_claim_text(claims_routeset: RouteSet) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(claims_routeset).decode("utf-8"))))
    assert [r["destination_assumed"] for r in rows] == ["false", "true", "false"]
    assert [r["path_confidence"] for r in rows] == ["estimated", "reported", "estimated"]
    assert rows[0]["quantity_text"] == DISAGREE and rows[2]["quantity_text"] == ""


def test_gpkg_declares_flags_as_booleans_and_max_as_real(claims_routeset: RouteSet, tmp_path: Path) -> None:
    path = tmp_path / "r.gpkg"
    path.write_bytes(render_gpkg(claims_routeset))
    info = pyogrio.read_info(path, layer="legs")
    types = dict(zip(info["fields"], info["ogr_subtypes"], strict=True))
    assert types["origin_assumed"] == types["quantities_disagree"] == "OFSTBoolean"
    kinds = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert kinds["quantity_max"] == "OFTReal" and kinds["quantity_window_start"] == "OFTDate"
    frame = pyogrio.read_dataframe(path, layer="legs")
    assert list(frame["destination_assumed"]) == [False, True, False]
    assert frame["quantity_text"].iloc[0] == DISAGREE
    transfers = pyogrio.read_dataframe(path, layer="transfers")
    assert list(transfers["quantities_disagree"]) == [True, False]


def test_kml_balloons_show_both_certainties_and_the_faithful_quantity(claims_routeset: RouteSet) -> None:
    text = render_kml(claims_routeset).decode("utf-8")
    balloon = html.unescape(html.unescape(text))  # balloon HTML, XML-escaped in the KML
    assert "Leg 2 (rail): Dunai naval port to Tikhoretsk ammunition depot (assumed)" in balloon
    assert "Line reported: the path or corridor is given by a cited source" in balloon
    assert "Line estimated: modelled along the network" in balloon
    assert "Destination assumed (the analyst's inference, not a source's)" in balloon
    assert DISAGREE in balloon
