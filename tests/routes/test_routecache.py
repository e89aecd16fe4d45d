"""The route cache and batch routing: legs stored exactly, repeated legs routed once, a second
build routed from the cache, a new network version routed again, unroutable legs found first."""

from __future__ import annotations

import dataclasses

import pytest
import shapely
from shapely.geometry import LineString, MultiLineString

from routemap.errors import UnroutableLegError
from routemap.geo.model import Leg, NetworkAddition, Place, Scenario, Source, Transfer
from routemap.routes.batch import ModeRouter, route_requests
from routemap.routes.builder import build
from routemap.routes.leg import Finding, LegRequest, RoutedLeg, Stop
from routemap.routes.routecache import RouteCache, code_version, request_digest

A = Place("a", "Alpha", "port", "RU", 43.0, 132.0, sources=("s",))
B = Place("b", "Bravo", "depot", "RU", 45.0, 40.0, sources=("s",))
C = Place("c", "Charlie", "city", "RU", 55.0, 37.6, sources=("s",))
FAR = Place("far", "Faraway", "city", "RU", 60.0, 90.0, sources=("s",))


def _scenario(*transfers_legs: tuple[Leg, ...], additions: tuple[NetworkAddition, ...] = ()) -> Scenario:
    """A scenario of one transfer per tuple of legs, every place and source declared."""
    transfers = tuple(Transfer(f"t{i}", f"Transfer {i}", "reported", ("s",), legs)
                      for i, legs in enumerate(transfers_legs))
    places = tuple(dict.fromkeys(p for legs in transfers_legs for leg in legs
                                 for p in (leg.origin, *leg.via, leg.destination)))
    return Scenario(1, "T", (Source("s", "Report", "Publisher", url="https://publisher.org"),),
                    places, transfers, path="t.yaml", network_additions=additions)


class _Counting:
    """A rail router's routing and cheap pass that count their calls; ``Faraway`` fails the pass."""

    def __init__(self) -> None:
        self.routed: list[str] = []
        self.checked: list[str] = []

    def route_leg(self, request: LegRequest, network: object) -> RoutedLeg:
        self.routed.append(request.label)
        coords = [(s.lon, s.lat) for s in request.stops]
        return RoutedLeg(LineString(coords), 1234.5678901234, "routed", (0.1, 0.2), "test net",
                         "Test, ODbL", (Finding("info", "snap_distance", "joined 0.1 km away", 0.1),))

    def check_leg(self, request: LegRequest, network: object) -> None:
        self.checked.append(request.label)
        if any(s.name == "Faraway" for s in request.stops):
            raise UnroutableLegError(f"{request.label}: Faraway is more than 100 km from the network")

    def routers(self, additions: tuple[NetworkAddition, ...] = ()) -> dict[str, ModeRouter]:
        return {"rail": ModeRouter("rail", self.route_leg, lambda: "network", check_leg=self.check_leg,
                                   additions=additions)}


def test_a_stored_leg_reads_back_exactly(tmp_path):
    """Geometry (split at 180), figures, findings and connectors come back bit for bit."""
    leg = RoutedLeg(MultiLineString([[(179.5, 60.1), (180.0, 60.2)], [(-180.0, 60.2), (-179.9, 60.3)]]),
                    0.1 + 0.2, "routed", (0.30000000000000004, 12.0), "net", "Credit",
                    (Finding("warning", "snap_distance", "far: 12.0 km", 12.0), Finding("info", "x", "y")),
                    (LineString([(179.5, 60.1), (179.6, 60.15)]),), 1 / 3)
    cache = RouteCache(tmp_path)
    cache.put("ab" * 32, leg)
    back = cache.get("ab" * 32)
    assert back is not None
    assert shapely.equals_exact(back.geometry, leg.geometry, tolerance=0.0)
    assert back.geometry.geom_type == "MultiLineString"
    assert (back.distance_km, back.snap_km, back.off_network_km) == (leg.distance_km, leg.snap_km, 1 / 3)
    assert back.findings == leg.findings
    assert shapely.equals_exact(back.connectors[0], leg.connectors[0], tolerance=0.0)
    assert (back.network, back.attribution, back.geometry_kind) == ("net", "Credit", "routed")


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"key": "other"}'])
def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path, damage):
    cache = RouteCache(tmp_path)
    key = "cd" * 32
    cache.put(key, RoutedLeg(LineString([(0, 0), (1, 1)]), 157.0, "great_circle"))
    (tmp_path / key[:2] / f"{key}.json").write_bytes(damage)
    assert cache.get(key) is None


def test_repeated_legs_are_routed_once_and_named_each(tmp_path):
    """Two transfers asking the same leg route it once; each gets the route."""
    count = _Counting()
    rs = build(_scenario((Leg("rail", A, B),), (Leg("rail", A, B), Leg("rail", B, C))),
               routers=count.routers(), cache=RouteCache(tmp_path))
    assert len(count.routed) == 2
    assert list(rs.legs["distance_km"]) == [1234.568, 1234.568, 1234.568]
    assert [f.transfer_id for f in rs.findings if f.code == "snap_distance"] == ["t0", "t1", "t1"]


def test_a_second_build_routes_nothing_and_gives_the_same_route_set(tmp_path):
    scenario = _scenario((Leg("rail", A, B), Leg("rail", B, C)), (Leg("rail", C, A),))
    first_count, second_count = _Counting(), _Counting()
    first = build(scenario, routers=first_count.routers(), cache=RouteCache(tmp_path))
    second = build(scenario, routers=second_count.routers(), cache=RouteCache(tmp_path))
    assert len(first_count.routed) == 3 and second_count.routed == [] and second_count.checked == []
    assert first.legs.drop(columns="geometry").equals(second.legs.drop(columns="geometry"))
    assert list(first.legs.geometry.to_wkb()) == list(second.legs.geometry.to_wkb())
    assert first.findings == second.findings


def test_a_new_network_version_routes_again(tmp_path, monkeypatch):
    """Another version of the shipped data, or other network additions: nothing stale is read."""
    scenario = _scenario((Leg("rail", A, B),))
    build(scenario, routers=_Counting().routers(), cache=RouteCache(tmp_path))
    monkeypatch.setattr("routemap.routes.batch.shipped_version", lambda mode: f"{mode}|scgraph_data 99")
    again = _Counting()
    build(scenario, routers=again.routers(), cache=RouteCache(tmp_path))
    assert len(again.routed) == 1
    added = NetworkAddition("spur", "rail", "Spur", ((45.0, 40.0), (45.1, 40.1)), ("s",), line=3)
    plain, with_spur = _Counting().routers()["rail"], _Counting().routers(additions=(added,))["rail"]
    assert with_spur.data_version() != plain.data_version()
    moved = _Counting().routers(additions=(dataclasses.replace(added, line=30),))["rail"]
    assert moved.data_version() == with_spur.data_version()  # where the file has it: no matter


def test_the_key_follows_what_routing_depends_on():
    stops = (Stop("a", "Alpha", 43.0, 132.0), Stop("b", "Bravo", 45.0, 40.0))
    base = request_digest(LegRequest("rail", stops, ("RU",), (), "leg 1"), "v1")
    assert request_digest(LegRequest("rail", stops, ("RU",), (), "another label"), "v1") == base
    for other in (LegRequest("road", stops, ("RU",), (), "leg 1"),
                  LegRequest("rail", stops, None, (), "leg 1"),
                  LegRequest("rail", stops, ("RU",), ("CN",), "leg 1"),
                  LegRequest("rail", stops[::-1], ("RU",), (), "leg 1"),
                  LegRequest("rail", (stops[0], Stop("b", "Bravo", 45.0, 40.000001)), ("RU",), (), "leg 1")):
        assert request_digest(other, "v1") != base
    assert request_digest(LegRequest("rail", stops, ("RU",), (), "leg 1"), "v2") != base


def test_the_environment_turns_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("ROUTEMAP_ROUTE_CACHE", "off")
    assert RouteCache.default() is None
    monkeypatch.delenv("ROUTEMAP_ROUTE_CACHE")
    assert RouteCache.default() == RouteCache(tmp_path / f"routes-v1-{code_version()[:16]}")


def test_a_new_code_version_removes_the_other_versions_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    older = [tmp_path / "routes-v1", tmp_path / "routes-v1-0123456789abcdef", tmp_path / "routes-v2-fedcba9876543210"]
    kept = [tmp_path / "routes-v1-notours", tmp_path / "routes-backup", tmp_path / "gazetteer-v1"]
    for folder in (*older, *kept):
        (folder / "ab").mkdir(parents=True)
        (folder / "ab" / "entry.json").write_text("{}")
    (tmp_path / "routes-v3").write_text("a file, not a cache folder")
    cache = RouteCache.default()
    assert cache is not None and cache.folder.name == f"routes-v1-{code_version()[:16]}"
    assert cache.folder.is_dir()
    assert not any(folder.exists() for folder in older)
    assert all((folder / "ab" / "entry.json").is_file() for folder in kept)
    assert (tmp_path / "routes-v3").is_file()
    # The folder of this version is kept, with its entries, by the next build.
    (cache.folder / "cd").mkdir()
    assert RouteCache.default() == cache and (cache.folder / "cd").is_dir()


def test_unroutable_legs_are_found_before_any_leg_is_routed(tmp_path):
    """Every leg the cheap pass rejects is named, on its own line, and nothing is routed."""
    count = _Counting()
    scenario = _scenario((Leg("rail", A, B),), (Leg("rail", B, FAR, line=7),),
                         (Leg("rail", C, A), Leg("rail", A, FAR, line=12)))
    with pytest.raises(UnroutableLegError) as info:
        build(scenario, routers=count.routers(), cache=RouteCache(tmp_path))
    assert count.routed == []
    assert info.value.messages() == [
        "error: t.yaml:7: transfers[1].legs[0]: transfer 't1' leg 1 (rail, Bravo -> Faraway): "
        "Faraway is more than 100 km from the network",
        "error: t.yaml:12: transfers[2].legs[1]: transfer 't2' leg 2 (rail, Alpha -> Faraway): "
        "Faraway is more than 100 km from the network",
    ]


def test_a_repeated_failing_leg_is_named_as_each_leg(tmp_path):
    count = _Counting()
    requests = [LegRequest("rail", (Stop("b", "Bravo", 45.0, 40.0), Stop("far", "Faraway", 60.0, 90.0)),
                           None, (), label) for label in ("first leg", "second leg")]
    outcome = route_requests(requests, count.routers(), cache=RouteCache(tmp_path))
    assert count.checked == ["first leg"]
    assert outcome.failures == ("first leg: Faraway is more than 100 km from the network",
                                "second leg: Faraway is more than 100 km from the network")
