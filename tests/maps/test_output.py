"""The output folder: format lists, atomic writes that never lose a previous output, the manifest."""

from __future__ import annotations

import json
import os

import pytest

from geo.errors import OutputError
from maps import output
from maps.output import (
    DEFAULT_FORMATS,
    FORMATS,
    RenderOptions,
    build_manifest,
    check_out_dir,
    parse_formats,
    write,
    write_files,
)


@pytest.mark.parametrize("text, expected", [
    ("html", ("html",)),
    ("png, html", ("html", "png")),
    ("GEOJSON,csv", ("geojson", "csv")),
    ("all", FORMATS),
])
def test_parse_formats(text, expected):
    assert parse_formats(text) == expected


@pytest.mark.parametrize("text, message", [
    ("html,jpeg", "unknown format 'jpeg'; choose from html, png"),
    ("", "unknown format (none given)"),
])
def test_parse_formats_rejects(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_formats(text)


def test_default_formats_are_all_but_kmz():
    assert "kmz" not in DEFAULT_FORMATS and set(DEFAULT_FORMATS) | {"kmz"} == set(FORMATS)


def test_write_files_replaces_and_leaves_no_temporaries(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"old")
    write_files({"a.txt": b"new", "sub/b.txt": b"bee"}, tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"new"
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"bee"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.txt", "sub"]


def test_failed_write_keeps_previous_outputs(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    real_stage = output._stage
    calls = []

    def failing_stage(target, data):
        calls.append(target.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(target, data)

    monkeypatch.setattr(output, "_stage", failing_stage)
    with pytest.raises(OutputError, match="No space left on device"):
        write_files({"a.txt": b"new a", "b.txt": b"new b"}, tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"old a"
    assert (tmp_path / "b.txt").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_out_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_out_dir(target)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere, so a read-only folder cannot be tested")
def test_read_only_out_dir_is_refused(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            check_out_dir(target)
    finally:
        target.chmod(0o755)


def test_manifest_lists_hashes_sources_and_licences(sample_routeset):
    files = {"routes.geojson": b"{}", "legs.csv": b"a,b\n"}
    doc = json.loads(build_manifest(sample_routeset, files, scenario_label="sample.yaml"))
    assert doc["tool"]["name"] == "routemap"
    assert doc["scenario"] == {"path": "sample.yaml", "sha256": "0" * 64, "title": "Sample transfers",
                               "as_of": "2025-06-01"}
    assert [o["name"] for o in doc["outputs"]] == ["routes.geojson", "legs.csv"]
    assert doc["outputs"][0]["sha256"] == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert [s["id"] for s in doc["sources"]] == ["wh-2023-10", "rusi-2023-08"]
    assert any("OpenStreetMap contributors, ODbL" in a for a in doc["attributions"])
    assert "searoute" in doc["data_packages"]


def test_manifest_is_deterministic(sample_routeset):
    files = {"x": b"1"}
    assert build_manifest(sample_routeset, files, scenario_label="s") == build_manifest(
        sample_routeset, files, scenario_label="s")


def test_write_gis_formats_with_manifest(sample_routeset, tmp_path):
    written = write(sample_routeset, tmp_path / "out", options=RenderOptions(formats=("geojson", "csv")),
                    scenario_label="sample.yaml")
    assert [p.name for p in written] == ["legs.csv", "routes.geojson", "manifest.json"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {o["name"] for o in manifest["outputs"]} == {"legs.csv", "routes.geojson"}
    geojson = json.loads((tmp_path / "out" / "routes.geojson").read_text())
    assert geojson["type"] == "FeatureCollection"
