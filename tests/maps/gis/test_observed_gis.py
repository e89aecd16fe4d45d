"""The observed layer in the GIS files: GeoJSON features, GeoPackage layers, observations.csv."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace

import pyogrio
import pytest

from routemap.maps.gis.geojson import render_geojson
from routemap.maps.gis.gpkg import render_gpkg
from routemap.maps.gis.observations_csv import OBSERVATION_CSV_COLUMNS, render_observations_csv
from routemap.maps.observed import observed_records
from routemap.maps.options import RenderOptions
from routemap.maps.output import render_outputs
from tests.maps.observed_data import MMSI, OTHER, observed_routeset


@pytest.fixture(scope="module")
def observed(request):
    """The sample route set with the fictitious Sea Star's synthetic observed layer."""
    from tests.conftest import _sample_routeset

    return observed_routeset(_sample_routeset())


def test_records_carry_the_contract_properties(observed):
    groups = observed_records(observed)
    assert list(groups) == ["observed_tracks", "gaps", "port_calls", "encounters"]
    assert [len(g) for g in groups.values()] == [1, 1, 2, 1]
    track = groups["observed_tracks"][0].properties
    assert track["geometry_kind"] == "observed"
    assert track["verdicts"] == ["najin-dunai-tikhoretsk, leg 1: the track supports part of the leg"]
    assert (track["start_time"], track["end_time"]) == ("2023-09-08T06:00:00Z", "2023-09-09T20:00:00Z")
    gap = groups["gaps"][0].properties
    assert gap["label"] == "Transponder off 20 h"
    assert gap["synthetic"] is True
    meet = groups["encounters"][0].properties
    assert (meet["mmsi"], meet["mmsi_other"], meet["min_distance_m"]) == (MMSI, OTHER, 120.0)


def test_no_observations_no_records(sample_routeset):
    assert observed_records(sample_routeset) == {}
    assert render_observations_csv(sample_routeset) is None


def test_geojson_has_the_observed_features_after_the_others(observed, sample_routeset):
    features = json.loads(render_geojson(observed))["features"]
    kinds = [f["properties"]["feature_type"] for f in features]
    assert kinds[-5:] == ["observed_track", "gap", "port_call", "port_call", "encounter"]
    assert features[-4]["geometry"] == {"type": "LineString", "coordinates": [[131.0, 42.3], [131.8, 42.6]]}
    plain = json.loads(render_geojson(sample_routeset))["features"]
    assert "observed_track" not in {f["properties"]["feature_type"] for f in plain}


def test_gpkg_has_own_layers_with_utc_times(observed, tmp_path):
    path = tmp_path / "o.gpkg"
    path.write_bytes(render_gpkg(observed))
    layers = dict(pyogrio.list_layers(path))
    assert {name: layers[name] for name in ("observed_tracks", "gaps", "port_calls", "encounters")} == {
        "observed_tracks": "MultiLineString", "gaps": "MultiLineString", "port_calls": "Point",
        "encounters": "Point"}
    with sqlite3.connect(path) as db:
        assert db.execute("select arrival_time, departure_time from port_calls order by fid").fetchall() == [
            ("2023-09-07T10:00:00Z", "2023-09-08T06:00:00Z"), ("2023-09-09T20:00:00Z", None)]
        assert db.execute("select label, duration_h, synthetic from gaps").fetchall() == [
            ("Transponder off 20 h", 20.0, 1)]
    assert render_gpkg(observed) == render_gpkg(observed)


def test_observations_csv_rows_and_columns(observed):
    rows = list(csv.DictReader(io.StringIO(render_observations_csv(observed).decode("utf-8"))))
    assert [r["feature_type"] for r in rows] == ["observed_track", "gap", "port_call", "port_call", "encounter"]
    assert list(rows[0]) == [*OBSERVATION_CSV_COLUMNS, "geometry"]
    assert rows[1]["geometry"] == "LINESTRING (131 42.3, 131.8 42.6)"
    assert rows[2]["arrival_time"] == "2023-09-07T10:00:00Z"
    assert rows[4]["mmsi_other"] == str(OTHER)


def test_a_build_writes_observations_csv_only_with_observations(observed, sample_routeset):
    options = RenderOptions(formats=("csv",))
    assert set(render_outputs(observed, options)) == {"legs.csv", "observations.csv"}
    assert set(render_outputs(sample_routeset, options)) == {"legs.csv"}


def test_french_gap_label(observed):
    from routemap.maps.language import load_language

    gap = observed_records(observed, language=load_language("fr"))["gaps"][0]
    assert gap.properties["label"] == "Transpondeur coupé 20 h"


def test_kml_has_an_observed_folder_in_time(observed, sample_routeset):
    import xml.etree.ElementTree as ET

    from routemap.maps.gis.kml import render_kml

    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.fromstring(render_kml(observed))
    folder = next(f for f in root.iterfind("k:Document/k:Folder", ns)
                  if f.findtext("k:name", namespaces=ns).startswith("Observed track (AIS)"))
    assert folder.findtext("k:name", namespaces=ns) == ("Observed track (AIS) (synthetic positions, not real "
                                                        "AIS data)")
    names = [f.findtext("k:name", namespaces=ns) for f in folder.iterfind("k:Folder", ns)]
    assert names == ["Observed track (AIS)", "Transponder off", "Port call (AIS)", "Meeting at sea (AIS)"]
    gap = folder.find("k:Folder[2]/k:Placemark", ns)
    assert gap.findtext("k:name", namespaces=ns) == "Sea Star: Transponder off 20 h"
    assert (gap.findtext("k:TimeSpan/k:begin", namespaces=ns), gap.findtext("k:TimeSpan/k:end", namespaces=ns)) == (
        "2023-09-08T20:00:00Z", "2023-09-09T16:00:00Z")
    dunai = folder.findall("k:Folder[3]/k:Placemark", ns)[1]
    assert dunai.findtext("k:TimeStamp/k:when", namespaces=ns) == "2023-09-09T20:00:00Z"
    assert b"Observed track (AIS)" not in render_kml(sample_routeset)


def test_legs_carry_their_verdict_only_with_observations(observed, sample_routeset):
    legs = [f["properties"] for f in json.loads(render_geojson(observed))["features"]
            if f["properties"]["feature_type"] == "leg"]
    assert [(p["observed_verdict"], (p["observed_evidence"] or "")[:18]) for p in legs] == [
        ("partly", "at Rajin (Najin) p"), (None, ""), (None, "")]
    from routemap.maps.gis.legs_csv import render_csv
    from routemap.routes.schema import LEG_COLUMNS

    header = render_csv(observed).decode("utf-8").split("\r\n")[0].split(",")
    assert header[-3:] == ["observed_verdict", "observed_evidence", "geometry"]
    assert render_csv(sample_routeset).decode("utf-8").split("\r\n")[0].split(",") == [*LEG_COLUMNS, "geometry"]
    plain = [f["properties"] for f in json.loads(render_geojson(sample_routeset))["features"]]
    assert all("observed_verdict" not in p for p in plain)


def test_a_meeting_of_two_vessels_of_interest_is_filed_under_both(observed):
    """The Other Star made a vessel of interest too: the one meeting is a record under each vessel,
    each with its own MMSI first, and it still counts as one meeting."""
    from routemap.geo.vessels import Vessel
    from routemap.routes.evidence import observed_layer
    from tests.maps.observed_data import SEA_STAR, observations, positions

    spec = replace(observed.observed.spec, vessels=(SEA_STAR, Vessel(name="Other Star", mmsi=OTHER)))
    layer = observed_layer(spec, positions(), observations(), [])
    assert layer.meetings == 1 and observed.observed.meetings == 1
    meets = observed_records(replace(observed, observed=layer))["encounters"]
    assert [(r.feature_id, r.properties["vessel"], r.properties["mmsi_other"]) for r in meets] == [
        (f"encounter:{OTHER}:{MMSI}:20230908T120000Z", "Other Star", MMSI),
        (f"encounter:{MMSI}:{OTHER}:20230908T120000Z", "Sea Star", OTHER)]
