"""Any leg ``routemap check`` accepts, ``routemap build`` writes; one answer for degenerate legs.

Issue 14 case 4: legs whose ends are the same place, or closer than the export precision,
passed ``check`` and then stopped ``build`` and ``route --out`` with an internal error. The
property test draws small scenarios of air legs and reported-path legs (no network data needed)
with ends, vias and path points that are identical, nearly identical or apart, near the
antimeridian and a pole too, and holds the three commands to one answer.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from routemap.cli import main

# Each example runs check and a three-format build: 8 keep the test near 20 s on 2 cores.
SETTINGS = settings(max_examples=8, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: Anchors: the Korean coast, either side of the antimeridian, near the North Pole.
ANCHORS = [(42.745, 133.065), (42.0, 131.0), (65.0, 179.9999996), (65.0, -179.9999996),
           (89.9999, 20.0)]
#: Offsets in degrees: none, below the export precision (1e-6), at it, and well apart.
OFFSETS = [0.0, 1e-7, 4e-7, 6e-7, 1e-6, 3e-6, 1e-4, 0.02, 1.5]
REFS = ["RUVYP", "vostochny", "Nakhodka", "KPNJN"]


@st.composite
def points(draw: st.DrawFn) -> dict[str, float]:
    """Draw an inline point: an anchor moved by a tiny, small or large offset."""
    lat, lon = draw(st.sampled_from(ANCHORS))
    lat = max(-90.0, min(90.0, lat + draw(st.sampled_from(OFFSETS)) * draw(st.sampled_from([-1, 1]))))
    lon = lon + draw(st.sampled_from(OFFSETS)) * draw(st.sampled_from([-1, 1]))
    lon = lon - 360.0 if lon > 180.0 else lon + 360.0 if lon < -180.0 else lon
    return {"lat": round(lat, 9), "lon": round(lon, 9)}


places = st.sampled_from(REFS) | points()


@st.composite
def legs(draw: st.DrawFn, start: object, end: object) -> dict[str, object]:
    """Draw one leg between two given ends: an air leg (maybe with vias) or a reported path."""
    leg: dict[str, object] = {"from": start, "to": end}
    if draw(st.booleans()):
        leg["mode"] = "air"
        vias = draw(st.lists(places, max_size=2))
        if vias:
            leg["via"] = vias
    else:
        leg["mode"] = draw(st.sampled_from(["sea", "rail", "road"]))
        leg["path"] = draw(st.lists(points(), min_size=1, max_size=3))
    return leg


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, object]:
    """Draw a scenario of one or two transfers of one or two chained legs."""
    transfers = []
    for i in range(draw(st.integers(1, 2))):
        stops = draw(st.lists(places, min_size=2, max_size=3))
        chain = [draw(legs(a, b)) for a, b in itertools.pairwise(stops)]
        transfers.append({"id": f"t{i}", "label": f"Transfer {i}", "confidence": "reported",
                          "sources": ["s"], "legs": chain})
    return {"version": 1, "title": "Drawn scenario",
            "sources": [{"id": "s", "title": "A report", "publisher": "A publisher"}],
            "transfers": transfers}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@SETTINGS
@given(scenario=scenarios())
def test_what_check_accepts_build_writes(tmp_path_factory, capsys, scenario):
    folder = tmp_path_factory.mktemp("drawn")
    path = folder / "drawn.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    checked, _, check_err = _run(capsys, "check", "-q", str(path))
    built, _, build_err = _run(capsys, "build", "-q", str(path), "--out", str(out),
                               "--formats", "geojson,csv,html")
    assert "internal error" not in check_err + build_err
    event(f"check exits {checked}")
    if checked == 0:
        assert built == 0, build_err
        assert {p.name for p in out.iterdir()} >= {"map.html", "routes.geojson", "legs.csv",
                                                  "manifest.json"}
        legs_written = [f for f in json.loads((out / "routes.geojson").read_text())["features"]
                        if f["properties"]["feature_type"] == "leg"]
        assert len(legs_written) == sum(len(t["legs"]) for t in scenario["transfers"])
    else:
        assert (checked, built) == (2, 2)
        lines = [line for line in build_err.splitlines() if line.strip()]
        assert lines and all(line.startswith(f"error: {path}:") for line in lines), lines
        assert lines == [line for line in check_err.splitlines() if line.strip()]
        assert not out.exists()


def _write(tmp_path: Path, legs_yaml: str) -> Path:
    path = tmp_path / "legs.yaml"
    path.write_text("version: 1\ntitle: T\nsources:\n  - {id: s, title: A, publisher: P}\n"
                    "transfers:\n  - id: t\n    label: L\n    confidence: reported\n"
                    "    sources: [s]\n    legs:\n" + legs_yaml, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "build"])
def test_the_issues_example_exits_2_naming_the_leg(tmp_path, capsys, command):
    path = _write(tmp_path, "      - {mode: air, from: RUVYP, to: RUVYP}\n")
    extra = ["--out", str(tmp_path / "out"), "--formats", "geojson"] if command == "build" else []
    code, _, err = _run(capsys, command, "-q", str(path), *extra)
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}:11: transfers[0].legs[0]: the leg (air, Vostochny port (Vrangel, "
        "Nakhodka) -> Vostochny port (Vrangel, Nakhodka)) starts and ends at the same place, so "
        "there is no line to draw; give the two places it moved between, or the places it passed "
        "through in 'via' (a stay at one place is an annotation)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv, named", [
    (["RUVYP", "RUVYP", "--mode", "air"], "route RUVYP RUVYP: the leg (air, Vostochny port"),
    (["42.0,131.0", "42.0000001,131.0", "--mode", "air"],
     "route 42.0,131.0 42.0000001,131.0: the leg (air, 42.0000, 131.0000 -> 42.0000, 131.0000)"),
    (["RUVYP", "vostochny", "--mode", "sea", "--via", "RUVYP"],
     "route RUVYP vostochny --via RUVYP: the leg (sea, Vostochny port"),
])
def test_route_refuses_a_leg_at_one_place(tmp_path, capsys, argv, named):
    out = tmp_path / "leg.geojson"
    code, stdout, err = _run(capsys, "route", *argv, "--out", str(out))
    assert code == 2
    assert stdout == ""
    (line,) = err.splitlines()
    assert line.startswith(f"error: {named}")
    assert "so there is no line to draw" in line and "in --via" in line
    assert not out.exists()


def test_route_round_trip_through_a_via_is_written(tmp_path, capsys):
    out = tmp_path / "leg.geojson"
    code, stdout, err = _run(capsys, "route", "-q", "RUVYP", "RUVYP", "--mode", "air",
                             "--via", "Nakhodka", "--out", str(out))
    assert code == 0, err
    assert stdout.startswith("32.1 km air Vostochny port")
    features = json.loads(out.read_text())["features"]
    assert [f["properties"]["detour_ratio"] for f in features if f["properties"]["feature_type"] == "leg"] == [None]
