"""The observed-tracks example end to end: `routemap check` on docs/examples/observed.yaml and its
synthetic AIS (read by routemap.geo.ais, derived by routemap.routes.observed), and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from routemap.cli import main

EXAMPLE = Path(__file__).parents[1] / "docs" / "examples" / "observed.yaml"


@pytest.fixture(scope="module")
def report() -> list[str]:
    """The QA report's lines for the example (routes two sea legs on the bundled lanes)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", str(EXAMPLE), "--quiet"])
    assert code == 0
    return out.getvalue().splitlines()


def test_the_verdicts_are_printed_one_line_per_leg(report):
    lines = [line.strip() for line in report if line.strip().startswith("observed:")]
    assert lines == [
        "observed: star-voyage leg 1: Synthetic Star: partly: at Gdansk (2 Mar 2025, 00:00 UTC); "
        "at Aarhus (3 Mar 2025, 23:00 UTC); 288 positions in the period; transponder off 9.2 h, "
        "from 3 Mar 2025, 03:50 UTC to 3 Mar 2025, 13:00 UTC, up to 204 km reachable",
        "observed: moon-voyage leg 1: Synthetic Moon: contradicts: 394 km from Aarhus at nearest "
        "(2 Mar 2025, 14:30 UTC); 405 km from Gothenburg at nearest (2 Mar 2025, 14:30 UTC); 43 of 43 positions "
        "in the period lie more than 100 km from the leg's line (nearest 361 km, farthest 430 km)",
    ]


def test_the_planted_events_are_found(report):
    summary = report[report.index("observed (AIS):") + 1:][:2]
    assert [s.strip() for s in summary] == [
        "475 positions of 2 vessel(s) from 1 file(s) (synthetic)",
        "3 track(s), 1 dark gap(s), 2 port call(s), 1 encounter(s)"]


def test_a_missing_ais_file_is_one_located_error(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8").replace("files: [ais/synthetic-ais.csv]", "files: [ais/none.csv]")
    path = tmp_path / "observed.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    line = next(n for n, text in enumerate(text.splitlines(), 1) if "ais/none.csv" in text)
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"error: {path}:{line}: observations.files[0]: the AIS file 'ais/none.csv' does not exist "
        "(paths are relative to the scenario's folder)")
