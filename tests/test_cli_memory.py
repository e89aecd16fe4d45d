"""Running out of memory is one line naming what needed it, exit 2, and nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from routemap.cli import main
from routemap.maps import output


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    """An output folder holding a previous build's file, which a failed build must leave as it was."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "routes.geojson").write_text("previous good file")
    return out


def _no_memory(*args: object, **kwargs: object) -> dict[str, bytes]:
    raise MemoryError


def _run(capsys, *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


@pytest.mark.parametrize("formats, failing, expected", [
    ("geojson,gpkg,csv", "gpkg", "write routes.gpkg for 1 transfer (1 leg); try --formats without gpkg, or "
                                 "fewer transfers"),
    ("geojson,pptx", "pptx", "write briefing.pptx for 1 transfer (1 leg); try --formats without pptx, or "
                             "fewer transfers"),
    ("png,pdf,geojson", "slides", "write slides for 1 transfer (1 leg); try --formats without png and pdf, "
                                  "or fewer transfers"),
    ("geojson,kml", "kml", "write routes.kml for 1 transfer (1 leg); try --formats without kml, or fewer "
                           "transfers"),
])
def test_an_output_that_runs_out_of_memory_is_named_and_nothing_is_written(
        formats, failing, expected, one_flight_file, out_dir, capsys, monkeypatch):
    before = _snapshot(out_dir)
    monkeypatch.setitem(output.RENDERERS, "slides", lambda *args: {})  # the deck's images: not needed here
    monkeypatch.setitem(output.RENDERERS, failing, _no_memory)
    code, stdout, err = _run(capsys, "build", str(one_flight_file), "--out", str(out_dir),
                             "--formats", formats, "--quiet")
    assert (code, stdout, err) == (2, "", [f"error: not enough memory to {expected}"])
    assert _snapshot(out_dir) == before  # routes.geojson, rendered before, was not written either


def test_a_build_in_several_languages_names_the_languages_output(one_flight_file, out_dir, capsys, monkeypatch):
    def french_fails(routeset, options, earlier, progress):
        if options.language == "fr":
            raise MemoryError
        return {"routes.kml": b"<kml/>"}

    monkeypatch.setitem(output.RENDERERS, "kml", french_fails)
    before = _snapshot(out_dir)
    code, _, err = _run(capsys, "build", str(one_flight_file), "--out", str(out_dir), "--formats", "kml",
                        "--lang", "en,fr", "--quiet")
    assert (code, err) == (2, ["error: not enough memory to write fr/routes.kml for 1 transfer (1 leg); try "
                               "--formats without kml, or fewer transfers"])
    assert _snapshot(out_dir) == before


def test_routing_that_runs_out_of_memory_says_how_much_it_routed(one_flight_file, capsys, monkeypatch):
    monkeypatch.setattr("routemap.routes.builder.build", _no_memory)
    code, stdout, err = _run(capsys, "check", str(one_flight_file), "--quiet")
    assert (code, stdout, err) == (2, "", ["error: not enough memory to route 1 transfer (1 leg); try fewer "
                                           "transfers"])


def test_reading_a_scenario_that_runs_out_of_memory_names_the_file(one_flight_file, out_dir, capsys, monkeypatch):
    monkeypatch.setattr("routemap.geo.scenario.load_scenario", _no_memory)
    code, _, err = _run(capsys, "build", str(one_flight_file), "--out", str(out_dir))
    assert (code, err) == (2, [f"error: not enough memory to read {one_flight_file}; close other programs, "
                               "or split the scenario into smaller files"])


def test_memory_running_out_anywhere_else_is_still_one_line_not_an_internal_error(
        one_flight_file, capsys, monkeypatch):
    monkeypatch.setattr("routemap.report.qa_report", _no_memory)
    code, stdout, err = _run(capsys, "check", str(one_flight_file), "--quiet")
    assert (code, stdout, err) == (2, "", ["error: not enough memory to run routemap check; close other "
                                           "programs, or try a smaller scenario"])
