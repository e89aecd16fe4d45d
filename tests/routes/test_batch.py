"""Batch routing: the same routes as routing leg by leg, each distinct leg once, the cache, failures first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routemap.geo.scenario import bundled_scenario_path, load_scenario
from routemap.routes.builder import build
from tests.routes.baseline import leg_records, request_key

DATA = Path(__file__).parent / "data"

#: What routing decides for a leg (the bundled scenario's texts and sources may change).
_ROUTED = ("geometry_sha256", "vertices", "distance_km", "detour_ratio", "off_network_km",
           "geometry_kind", "network", "attribution", "connectors", "findings", "mode",
           "path_confidence")


def _recorded(name: str) -> list[dict]:
    """Records of a route set built leg by leg at commit ea69c46 (tests/routes/baseline.py)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _where(record: dict) -> tuple:
    """Name a leg by its transfer, its place there and what it asks the router."""
    return record["transfer_id"], record["leg_index"], request_key(record)


@pytest.fixture(scope="module")
def synthetic_records() -> list[dict]:
    """The stored 30-transfer synthetic scenario, routed in batch without the route cache."""
    return leg_records(build(load_scenario(DATA / "synthetic-30.yaml"), cache=False))


def test_synthetic_scenario_routes_as_leg_by_leg(synthetic_records):
    """Every leg of a generated scenario: geometry, figures, findings and texts as recorded."""
    recorded = _recorded("routed-synthetic-30.json")
    assert len(synthetic_records) == len(recorded)
    for now, before in zip(synthetic_records, recorded, strict=True):
        assert now == before, (now["transfer_id"], now["leg_index"])


def test_bundled_scenario_routes_as_leg_by_leg():
    """The bundled scenario's legs that are still asked as they were route as recorded."""
    recorded = {_where(r): r for r in _recorded("routed-bundled.json")}
    now = leg_records(build(load_scenario(bundled_scenario_path()), cache=False))
    compared = 0
    for record in now:
        before = recorded.get(_where(record))
        if before is None:
            continue
        assert {k: record[k] for k in _ROUTED} == {k: before[k] for k in _ROUTED}, request_key(record)
        compared += 1
    assert compared >= 0.8 * len(recorded)
