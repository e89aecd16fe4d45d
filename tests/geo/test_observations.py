"""The scenario's ``observations`` section: read, checked, every problem located exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from routemap.errors import ScenarioError
from routemap.geo.scenario import load_scenario
from routemap.geo.vessels import DEFAULT_THRESHOLDS, Thresholds, Vessel, fold_name, imo_check_digit_ok

BASE = """\
version: 1
title: Tanker voyages
sources:
  - {id: wh, title: Briefing, publisher: The White House}
  - {id: ais-export, title: AIS positions, publisher: Example data provider}
transfers:
  - id: najin-vostochny
    label: Fuel by sea
    confidence: reported
    sources: [wh]
    legs:
      - {mode: sea, from: KPNJN, to: RUVYP, carrier: Sea Star}
"""
SECTION = """\
observations:
  files: [ais/positions.csv]
  vessels:
    - {name: Sea Star, imo: 1234567, mmsi: 273456789}
  sources: [ais-export]
"""


def _write(folder: Path, text: str) -> Path:
    """A scenario file in ``folder`` with one empty AIS file beside it, in ``ais/``."""
    (folder / "ais").mkdir(exist_ok=True)
    (folder / "ais" / "positions.csv").write_text("", encoding="utf-8")
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _messages(folder: Path, text: str, gazetteer) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(folder, text), gazetteer=gazetteer)
    return [m.replace(str(folder / "s.yaml"), "s.yaml") for m in info.value.messages()]


def test_a_scenario_without_observations_reads_as_before(tmp_path, small_gazetteer):
    scenario = load_scenario(_write(tmp_path, BASE), gazetteer=small_gazetteer)
    assert scenario.observations is None


def test_the_section_is_read(tmp_path, small_gazetteer):
    text = BASE + SECTION + "  thresholds: {gap_hours: 12, encounter_m: 250}\n  synthetic: true\n"
    spec = load_scenario(_write(tmp_path, text), gazetteer=small_gazetteer).observations
    assert spec is not None
    assert spec.files == ("ais/positions.csv",)
    assert spec.paths == ((tmp_path / "ais" / "positions.csv").resolve(),)
    assert spec.vessels == (Vessel(name="Sea Star", imo=1234567, mmsi=273456789),)
    assert spec.sources == ("ais-export",)
    assert spec.thresholds == Thresholds(gap_hours=12.0, encounter_m=250.0)
    assert spec.thresholds.away_km == DEFAULT_THRESHOLDS.away_km
    assert spec.synthetic is True
    assert spec.line == 14


def test_observation_sources_count_as_defined_sources(tmp_path, small_gazetteer):
    scenario = load_scenario(_write(tmp_path, BASE + SECTION), gazetteer=small_gazetteer)
    assert "ais-export" in {s.id for s in scenario.sources}


BROKEN = [
    ("files: [ais/positions.csv]", "files: [ais/missing.csv]",
     ["error: s.yaml:14: observations.files[0]: the AIS file 'ais/missing.csv' does not exist (paths are relative to the scenario's folder)"]),
    ("files: [ais/positions.csv]", "files: [ais]",
     ["error: s.yaml:14: observations.files[0]: the AIS file 'ais' is a folder, not a file (paths are relative to the scenario's folder)"]),
    ("files: [ais/positions.csv]", "files: []",
     ["error: s.yaml:14: observations.files: expected at least 1 item(s), found 0"]),
    ("  files: [ais/positions.csv]\n", "",
     ["error: s.yaml:14: observations.files: missing required key"]),
    ("imo: 1234567", "imo: 1234568",
     ["error: s.yaml:16: observations.vessels[0].imo: IMO 1234568 fails the IMO check digit (a typo?)"]),
    ("imo: 1234567", "imo: 123456",
     ["error: s.yaml:16: observations.vessels[0].imo: expected an IMO number (seven digits, e.g. 9179842), found '123456'"]),
    ("mmsi: 273456789", "mmsi: 27345678",
     ["error: s.yaml:16: observations.vessels[0].mmsi: expected an MMSI (nine digits, e.g. 273456789), found '27345678'"]),
    ("{name: Sea Star, imo: 1234567, mmsi: 273456789}", "{}",
     ["error: s.yaml:16: observations.vessels[0]: a vessel needs at least one of 'imo', 'mmsi', 'name'"]),
    ("{name: Sea Star, imo: 1234567, mmsi: 273456789}", "{name: Sea Star, flag: KP}",
     ["error: s.yaml:16: observations.vessels[0].flag: unknown key 'flag'"]),
    ("sources: [ais-export]", "sources: [ais-exprot]",
     ["error: s.yaml:17: observations.sources[0]: unknown source id 'ais-exprot' (did you mean 'ais-export'?)"]),
    ("sources: [ais-export]", "sources: [ais-export]\n  thresholds: {gap_hours: 0}",
     ["error: s.yaml:18: observations.thresholds.gap_hours: expected a number in [0.1, 8760], found 0"]),
    ("sources: [ais-export]", "sources: [ais-export]\n  thresholds: {gap_hour: 3}",
     ["error: s.yaml:18: observations.thresholds.gap_hour: unknown key 'gap_hour' (did you mean 'gap_hours'?)"]),
    ("sources: [ais-export]", "sources: [ais-export]\n  synthetic: maybe",
     ["error: s.yaml:18: observations.synthetic: expected true or false, found 'maybe'"]),
    ("observations:\n", "observation:\n",
     ["error: s.yaml:14: observation: unknown key 'observation' (did you mean 'observations'?)"]),
]


@pytest.mark.parametrize("old, new, expected", BROKEN, ids=[f"{i:02d}" for i in range(len(BROKEN))])
def test_broken_sections_give_exact_messages(tmp_path, small_gazetteer, old, new, expected):
    text = BASE + SECTION
    assert old in text, "the test case no longer matches the valid section"
    assert _messages(tmp_path, text.replace(old, new, 1), small_gazetteer) == expected


def test_synthetic_observations_accept_an_imo_number_no_real_ship_can_have(tmp_path, small_gazetteer):
    """``synthetic: true`` accepts an IMO number that fails the check digit (the synthetic generator's
    kind, routemap.routes.observed.synthetic.synthetic_imo); real observations refuse it."""
    text = (BASE + SECTION).replace("imo: 1234567", "imo: 1000010") + "  synthetic: true\n"
    scenario = load_scenario(_write(tmp_path, text), gazetteer=small_gazetteer)
    assert scenario.observations is not None and scenario.observations.vessels[0].imo == 1000010
    assert _messages(tmp_path, text.replace("  synthetic: true\n", ""), small_gazetteer) == [
        "error: s.yaml:16: observations.vessels[0].imo: IMO 1000010 fails the IMO check digit (a typo?)"]


@pytest.mark.parametrize("number, valid", [(9179842, True), (9179843, False), (9074729, True), (1234567, True),
                                           (1234568, False)])
def test_imo_check_digit(number, valid):
    assert imo_check_digit_ok(number) is valid


@pytest.mark.parametrize("carrier, matched", [
    ("Sea Star", True), ("SEA  STAR", True), ("sea-star", True), ("Séa Star", True), ("Sea Stars", False),
    ("IMO 1234567", True), ("1234567", True), ("IMO 1234568", False), ("273456789", True),
    ("MMSI 273456789", True), ("", False), (None, False),
])
def test_a_carrier_names_a_vessel_by_name_imo_or_mmsi(carrier, matched):
    assert Vessel(name="Sea Star", imo=1234567, mmsi=273456789).matches(carrier) is matched


def test_fold_name():
    assert fold_name("  LADY  R ") == fold_name("Lady-R") == "lady r"
