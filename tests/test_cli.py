"""The routemap command: exit codes, messages on stderr, nothing written on bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from routemap import cli
from routemap.cli import main

GOOD = """\
version: 1
title: One flight
sources:
  - {id: src, title: A report, publisher: A publisher, url: "https://example.org/r"}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    period: {start: 2024-03-21, end: 2024-03-21}
    legs:
      - {mode: air, from: {lat: 39.22, lon: 125.67}, to: {lat: 43.40, lon: 132.15}}
"""


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the mean Earth radius (an independent check)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_air_only_scenario(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD)
    out = tmp_path / "out"
    code, _, err = _run(capsys, "build", str(scenario), "--out", str(out), "--formats", "geojson,csv")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["legs.csv", "manifest.json", "routes.geojson"]
    data = json.loads((out / "routes.geojson").read_text())
    leg = next(f for f in data["features"] if f["properties"].get("feature_type") == "leg")
    assert leg["properties"]["geometry_kind"] == "great_circle"
    assert leg["properties"]["distance_km"] == pytest.approx(_haversine_km(39.22, 125.67, 43.40, 132.15), rel=0.005)


def test_bad_scenario_exits_2_and_writes_nothing(tmp_path, capsys):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(GOOD.replace("lat: 39.22", "lat: 99.22").replace("publisher: A publisher", "publisher: ''"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("previous good output")
    code, stdout, err = _run(capsys, "build", str(scenario), "--out", str(out))
    assert code == 2
    assert stdout == ""
    assert err.splitlines() == [
        f"error: {scenario}:4: sources[0].publisher: expected text, found an empty string",
        f"error: {scenario}:12: transfers[0].legs[0].from.lat: expected a number in [-90, 90], found 99.22",
    ]
    assert [p.name for p in out.iterdir()] == ["map.html"]
    assert (out / "map.html").read_text() == "previous good output"


@pytest.mark.parametrize("argv, message", [
    (["build", "--formats", "html,jpeg"], "error: --formats: unknown format 'jpeg'"),
    (["build", "--size", "big"], "error: --size 'big' is not WIDTHxHEIGHT, e.g. 1920x1080"),
    (["build", "--size", "10x10"], "error: --size '10x10' is out of range"),
    (["build", "--dpi", "5"], "error: --dpi 5 is out of range (30 to 1200)"),
    (["route", "100,200", "1,1", "--mode", "air"], "error: '100,200': latitude must be in [-90, 90]"),
    (["route", "1,1", "2,2", "--mode", "air", "--within", "RU"], "error: --within applies to rail and road legs"),
    (["route", "1,1", "2,2", "--mode", "sea", "--avoid", "suezz"], "error: 'suezz' is not a known sea passage"),
    (["places", "zzzzqqq"], "error: no place matches 'zzzzqqq'"),
    (["places", "Vladivostk"], "error: no place matches 'Vladivostk' (did you mean 'Vladivostok'"),
])
def test_usage_errors_exit_2(tmp_path, capsys, argv, message):
    if argv[0] == "build":
        argv = [*argv, "--out", str(tmp_path / "o")]
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert err.startswith(message)
    assert not (tmp_path / "o").exists()


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_route_air_writes_geojson(tmp_path, capsys):
    target = tmp_path / "leg.geojson"
    code, out, _ = _run(capsys, "route", "39.22,125.67", "43.40,132.15", "--mode", "air", "--out", str(target))
    assert code == 0
    assert out.startswith("71") and "km air" in out and "(great_circle)" in out
    data = json.loads(target.read_text())
    props = next(f["properties"] for f in data["features"] if f["properties"].get("feature_type") == "leg")
    for key in ("transfer_id", "leg_index", "mode", "from_id", "to_id", "from_name", "to_name",
                "distance_km", "geometry_kind", "confidence", "sources", "period_start",
                "period_end", "cargo", "carrier"):
        assert key in props


@pytest.mark.parametrize("argv", [
    ["-33.92,18.43", "-34.6,-58.4", "--mode", "air"],
    ["--mode", "air", "-33.92,18.43", "-34.6,-58.4"],
    ["-33.92,18.43", "-34.6, -58.4", "--mode", "air"],
])
def test_route_takes_coordinates_with_a_minus_sign(capsys, argv):
    """Cape Town to Buenos Aires: southern latitudes and western longitudes are values, not options."""
    code, out, err = _run(capsys, "route", *argv)
    assert code == 0, err
    assert float(out.split()[0]) == pytest.approx(_haversine_km(-33.92, 18.43, -34.6, -58.4), rel=0.005)
    assert "-33.9200, 18.4300 -> -34.6000, -58.4000" in out


def test_places_finds_rajin_with_its_locode(capsys):
    code, out, _ = _run(capsys, "places", "najin")
    assert code == 0
    first = out.splitlines()[1]
    assert first.startswith("rajin ") and "KPNJN" in first and "KP" in first


def test_internal_error_exits_1_without_traceback(monkeypatch, capsys):
    def boom(args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "_cmd_places", boom)
    code, _, err = _run(capsys, "places", "x")
    assert code == 1
    assert err == "internal error: RuntimeError: kaboom (run with --debug for the traceback)\n"
    code, _, err = _run(capsys, "places", "x", "--debug")
    assert code == 1 and "Traceback" in err


def test_every_command_has_help_with_an_example(capsys):
    for command in ("build", "route", "check", "places"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "examples:" in capsys.readouterr().out


@pytest.mark.network_data
def test_route_rail_vladivostok_tikhoretsk_stays_in_russia(tmp_path, capsys):
    target = tmp_path / "leg.geojson"
    code, out, err = _run(capsys, "route", "Vladivostok", "Tikhoretsk", "--mode", "rail", "--out", str(target))
    assert code == 0, err
    km = float(out.split()[0])
    assert 9000 < km < 10500
    import geopandas as gpd

    from routemap.geo.countries import load_countries

    legs = gpd.read_file(target)
    legs = legs[legs["feature_type"] == "leg"].to_crs(3857)
    russia = load_countries().query("iso2 == 'RU'").to_crs(3857).union_all()
    outside_km = legs.geometry.iloc[0].difference(russia.buffer(2000)).length / 1000
    assert outside_km < 1.0  # Web Mercator inflates lengths, so this bound is generous


@pytest.mark.network_data
@pytest.mark.parametrize("extra, check", [
    (["--via", "Chita", "--within", "RU"], lambda km: 9000 < km < 10500),
    (["--avoid", "CN", "--avoid", "KZ"], lambda km: 9000 < km < 10500),
])
def test_route_rail_constraints_from_the_command_line(capsys, extra, check):
    code, out, err = _run(capsys, "route", "Vladivostok", "Tikhoretsk", "--mode", "rail", *extra)
    assert code == 0, err
    assert check(float(out.split()[0]))


@pytest.mark.network_data
def test_route_sea_rajin_vostochny(capsys):
    code, out, err = _run(capsys, "route", "KPNJN", "RUVYP", "--mode", "sea")
    assert code == 0, err
    assert 230 < float(out.split()[0]) < 270
    assert "warning" not in out


@pytest.mark.network_data
def test_route_prints_each_warning_once(capsys):
    """Dunai is about 41 km from the rail network: one warning, in the result, not a log line too."""
    code, out, err = _run(capsys, "route", "dunai", "khasan", "--mode", "rail")
    assert code == 0, err
    warnings = [line for line in (out + err).splitlines() if "warning" in line]
    assert warnings == [
        "  warning: Dunai (Dunay) naval port joined the rail network 41.1 km away, drawn as a "
        "straight connector, not as track",
        "  warning: 369 km routed for 148 km between the ends: 2.50 times the great circle, more "
        "than the 2.5 expected of rail; check the route for a missing link or add a via"]
    assert "transfer 'route'" not in err


@pytest.mark.network_data
def test_unroutable_leg_exits_2_naming_the_leg(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(GOOD.replace(
        "- {mode: air, from: {lat: 39.22, lon: 125.67}, to: {lat: 43.40, lon: 132.15}}",
        "- {mode: rail, from: Vladivostok, to: Honolulu}"))
    code, _, err = _run(capsys, "check", str(scenario))
    assert code == 2
    assert err.splitlines()[-1].startswith(
        f"error: {scenario}:12: transfers[0].legs[0]: transfer 'flight' leg 1 (rail, ")


@pytest.mark.network_data
def test_check_the_bundled_scenario_has_no_errors(capsys):
    code, out, err = _run(capsys, "check", "--quiet")
    assert code == 0
    assert out.splitlines()[-1].startswith("0 error(s)")
    assert "scenario: (bundled) dprk-russia-2023-2025.yaml" in out
    # The report lists the warnings; --quiet prints nothing else (no log line repeating them).
    assert ("warning: snap_distance: Yegorlykskaya airfield (ammunition storage) joined the rail "
            "network 14.0 km away, drawn as a straight connector, not as track") in out
    assert err == ""


@pytest.mark.network_data
def test_the_tutorial_builds_in_every_format(tmp_path, capsys):
    """docs/examples/tutorial.yaml: a newcomer's first scenario must check clean and build whole."""
    tutorial = Path(__file__).resolve().parents[1] / "docs" / "examples" / "tutorial.yaml"
    code, out, _ = _run(capsys, "check", str(tutorial), "--quiet")
    assert code == 0 and out.splitlines()[-1].startswith("0 error(s)")
    out_dir = tmp_path / "tutorial-out"
    code, _, err = _run(capsys, "build", str(tutorial), "--out", str(out_dir), "--formats", "all", "--quiet")
    assert code == 0, err
    names = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}
    assert {"map.html", "slide.png", "slide.svg", "slide.pdf", "briefing.pptx", "routes.geojson",
            "routes.gpkg", "routes.kml", "routes.kmz", "legs.csv", "manifest.json"} <= names
    # an annotation tied to no transfer gets the callouts slide, fitted to bare coordinates
    assert "slides/callouts.png" in names
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert {o["name"] for o in manifest["outputs"]} == names - {"manifest.json"}
