"""Tests for every GIS format at once (GeoJSON, CSV, GeoPackage, KML, KMZ): each renders,
gives the same bytes whatever the hash seed, and leaves the route set as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from geopandas.testing import assert_geodataframe_equal

from routemap.maps.gis.geojson import render_geojson
from routemap.maps.gis.gpkg import render_gpkg
from routemap.maps.gis.kml import render_kml, render_kmz
from routemap.maps.gis.legs_csv import render_csv
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
