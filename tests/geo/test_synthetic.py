"""The synthetic scenario generator: deterministic, valid, real places, fictitious sources."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
from collections import Counter

import pytest

from routemap.cli import main
from routemap.geo.scenario import parse_scenario
from routemap.geo.synthetic import (
    AIRPORT_SOURCE,
    ROAD_REACH_KM,
    SEAS,
    synthetic_scenario,
    write_synthetic_scenario,
)


@pytest.fixture(scope="module")
def hundred():
    """A generated scenario of 100 transfers, loaded (no routing)."""
    return parse_scenario(synthetic_scenario(100, seed=7).encode(), "synthetic-100.yaml")


def test_same_bytes_in_another_process_and_hash_seed() -> None:
    """The text depends on (n, seed) only, not on the process or its string hash seed."""
    here = hashlib.sha256(synthetic_scenario(40, seed=3).encode()).hexdigest()
    code = ("import hashlib; from routemap.geo.synthetic import synthetic_scenario as s; "
            "print(hashlib.sha256(s(40, seed=3).encode()).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           check=True).stdout.strip()
    assert there == here


def test_seeds_and_sizes_differ() -> None:
    assert synthetic_scenario(10, seed=0) != synthetic_scenario(10, seed=1)
    assert synthetic_scenario(10, seed=0) != synthetic_scenario(11, seed=0)


def test_refuses_no_transfers() -> None:
    with pytest.raises(ValueError, match="at least one transfer"):
        synthetic_scenario(0)


def test_ten_transfers_pass_check(tmp_path, capsys) -> None:
    """`routemap check` routes every leg of a generated file and finds no error."""
    path = write_synthetic_scenario(tmp_path / "ten.yaml", 10, seed=0)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\n0 error(s)" in out
    assert "t00010 leg 1:" in out


def test_shape_of_a_hundred(hundred) -> None:
    """N transfers of one to three legs, every mode, dates within two years."""
    scenario = hundred
    assert len(scenario.transfers) == 100
    pairs = [(t, leg) for t in scenario.transfers for leg in t.legs]
    legs = [leg for _, leg in pairs]
    assert set(Counter(len(t.legs) for t in scenario.transfers)) == {1, 2, 3}
    assert {leg.mode for leg in legs} == {"sea", "rail", "road", "air"}
    starts = [t.period.start for t in scenario.transfers if t.period]
    assert (max(starts) - min(starts)).days > 365
    assert {t.confidence for t in scenario.transfers} == {"confirmed", "reported", "claimed",
                                                         "estimated"}
    assert {scenario.leg_path_confidence(t, leg) for t, leg in pairs} == {"reported", "estimated"}
    assert {len(t.quantity_claims) for t in scenario.transfers} == {0, 1, 2}


def test_sources_say_they_are_fictitious(hundred) -> None:
    """Every source a transfer cites is marked fictitious; only the airports' is real."""
    assert AIRPORT_SOURCE in {s.id for s in hundred.sources}
    cited = {sid for t in hundred.transfers for sid in t.sources}
    assert cited
    for source in hundred.sources:
        if source.id in cited:
            assert source.title.startswith("Synthetic source ")
            assert "not a real publication" in str(source.publisher)


def test_legs_a_real_corridor_could_serve(hundred) -> None:
    """Sea legs join ports of one sea; road legs stay within a day's reach."""
    sea_of = {code: sea for sea, codes in SEAS.items() for code in codes}
    for leg in (leg for t in hundred.transfers for leg in t.legs):
        if leg.mode == "sea":
            assert sea_of[leg.origin.locode] == sea_of[leg.destination.locode]
        if leg.mode == "road":
            assert 20 < _km(leg.origin, leg.destination) <= ROAD_REACH_KM
        if leg.mode == "air":
            assert {leg.origin.kind, leg.destination.kind} == {"airfield"}


def _km(a, b) -> float:
    """Great-circle km between two places (a sphere of 6,371 km)."""
    p1, p2, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(min(1.0, c))
