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
    """Records of a route set built leg by leg at commit ea69c46 (tests/routes/baseline.py).

    Nine rail legs (four bundled, five generated) hold a newer geometry: when the routing index
    dropped its contraction hierarchy, their Dijkstra search took the other of two parallel
    tracks (at most 90 m apart, the same km to the figure's precision); every figure and finding
    stayed as recorded.
    """
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


def test_unroutable_legs_of_a_scenario_are_reported_before_routing(tmp_path):
    """A sea leg from a landlocked city and a rail leg into a country it may not use are both
    reported, one line each with their file lines, and no leg of the scenario is routed."""
    from routemap.errors import UnroutableLegError
    from routemap.geo.network import load_rail_network
    from routemap.geo.sealanes import load_sea_network
    from routemap.routes import overland, sea
    from routemap.routes.batch import ModeRouter

    text = (DATA / "synthetic-30.yaml").read_text(encoding="utf-8")
    bad = """  - id: bad-legs
    label: "Two legs no network can carry"
    confidence: claimed
    sources: [syn-0001]
    legs:
      - {mode: sea, from: "Ulaanbaatar", to: "RUVYP"}
      - {mode: rail, from: "RUVYP", to: "khabarovsk", via: ["Harbin"], within: [RU]}
"""
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("transfers:\n", "transfers:\n" + bad, 1), encoding="utf-8")
    routed: list[str] = []

    def counted(route_leg):
        return lambda request, network: routed.append(request.label) or route_leg(request, network)

    routers = {"sea": ModeRouter("sea", counted(sea.route_leg), load_sea_network, check_leg=sea.check_leg),
               "rail": ModeRouter("rail", counted(overland.route_leg), load_rail_network,
                                  check_leg=overland.check_leg)}
    routers.update({m: ModeRouter(m, counted(lambda r, n: pytest.fail("routed")), None) for m in ("road", "air")})
    with pytest.raises(UnroutableLegError) as info:
        build(load_scenario(path), routers=routers, cache=False)
    lines = info.value.messages()
    assert routed == []
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {path}:") and "transfers[0].legs[0]: transfer 'bad-legs' leg 1 (sea" in lines[0]
    assert "Ulan Bator" in lines[0] and "more than 100 km from the sea" in lines[0]
    assert "transfers[0].legs[1]: transfer 'bad-legs' leg 2 (rail" in lines[1]
    assert "Harbin lies in a country the leg may not use" in lines[1]
