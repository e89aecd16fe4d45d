"""Shared fixtures: no network for the whole run, a small hand-made scenario and route set."""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path

import geopandas as gpd
import matplotlib
import pytest
from shapely.geometry import LineString, MultiLineString, Point

from routemap.geo.model import Annotation, Leg, Period, Place, Quantity, Scenario, Source, Transfer
from routemap.routes.builder import quantity_columns
from routemap.routes.routeset import LegFinding, RouteSet
from routemap.routes.schema import ANNOTATION_FRAME_COLUMNS, LEG_FRAME_COLUMNS, PLACE_FRAME_COLUMNS

matplotlib.use("Agg")

OSM = "Rail network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"
NE = "Made with Natural Earth (public domain), naturalearthdata.com"


class _NetworkBlockedError(RuntimeError):
    pass


_LOOPBACK = ("127.0.0.1", "::1", "localhost", "", None)


def _refuse_unless_loopback(host, what: str) -> None:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host not in _LOOPBACK:
        raise _NetworkBlockedError(f"network access attempted in a test: {what} {host!r}")


@pytest.fixture(autouse=True, scope="session")
def _slides_drawn_afresh():
    """Every test draws its slides (a test that changes how a slide is drawn must not be handed
    an earlier test's slide from the slide cache); tests/maps/slides/test_slidecache.py turns it on."""
    before = os.environ.get("ROUTEMAP_SLIDE_CACHE")
    os.environ["ROUTEMAP_SLIDE_CACHE"] = "off"
    yield
    if before is None:
        os.environ.pop("ROUTEMAP_SLIDE_CACHE", None)
    else:
        os.environ["ROUTEMAP_SLIDE_CACHE"] = before


@pytest.fixture(autouse=True, scope="session")
def _block_network():
    """Fail any attempt to reach the internet during the tests: TCP connects, UDP sends and
    name lookups (DNS) alike. Loopback and AF_UNIX stay allowed."""
    real = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "sendto")}
    real_module = {name: getattr(socket, name) for name in
                   ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex")}

    def guard_method(name):
        def guarded(self, *args):
            address = args[-1]
            if self.family in (socket.AF_INET, socket.AF_INET6):
                _refuse_unless_loopback(address[0] if isinstance(address, tuple) else address, name)
            return real[name](self, *args)
        return guarded

    def guard_function(name):
        def guarded(host, *args, **kwargs):
            _refuse_unless_loopback(host[0] if isinstance(host, tuple) else host, name)
            return real_module[name](host, *args, **kwargs)
        return guarded

    for name in real:
        setattr(socket.socket, name, guard_method(name))
    for name in real_module:
        setattr(socket, name, guard_function(name))
    yield
    for name, func in real.items():
        setattr(socket.socket, name, func)
    for name, func in real_module.items():
        setattr(socket, name, func)


def _sample_scenario() -> Scenario:
    """Three places, two transfers (sea then rail; an estimated air leg), one annotation."""
    sources = (
        Source("wh-2023-10", "Press briefing with imagery of container transfers",
               "The White House", dt.date(2023, 10, 13), "https://www.whitehouse.gov/briefing",
               "images of 7-8 Sep 2023"),
        Source("rusi-2023-08", "Arms shipments <script>alert(1)</script> by sea", "RUSI",
               dt.date(2023, 10, 3), "https://rusi.org/explore-our-research"),
    )
    rajin = Place("rajin", "Rajin (Najin) port", "port", "KP", 42.245, 130.295,
                  aliases=("Najin",), uncertainty_km=1.0, confidence="confirmed",
                  sources=("wh-2023-10",), locode="KPNJN", origin="builtin")
    dunai = Place("dunai", "Dunai naval port", "port", "RU", 42.880, 132.338,
                  confidence="confirmed", sources=("wh-2023-10",))
    tikh = Place("tikhoretsk", "Tikhoretsk ammunition depot", "depot", "RU", 45.85, 40.13,
                 uncertainty_km=10.0, confidence="reported", sources=("rusi-2023-08",),
                 note="town centre stand-in")
    legs = (
        Leg("sea", rajin, dunai, carrier="Angara", line=30),
        Leg("rail", dunai, tikh, within=("RU",), line=31),
    )
    t1 = Transfer("najin-dunai-tikhoretsk", "Containers by sea to Dunai, then rail",
                  "confirmed", ("wh-2023-10",), legs, cargo="artillery ammunition",
                  quantity=Quantity(300, "containers"),
                  period=Period(dt.date(2023, 9, 7), dt.date(2023, 10, 1)))
    t2 = Transfer("air-estimate", "Air-defence systems (route not reported)", "estimated",
                  ("rusi-2023-08",), (Leg("air", dunai, rajin, line=40),),
                  period=Period(dt.date(2024, 11, 1), dt.date(2024, 12, 31)))
    ann = Annotation("containers", "About 300 containers at the pier", rajin, "confirmed",
                     ("wh-2023-10",), Period(dt.date(2023, 9, 7), dt.date(2023, 9, 8)),
                     "najin-dunai-tikhoretsk")
    return Scenario(1, "Sample transfers", sources, (rajin, dunai, tikh), (t1, t2),
                    subtitle="A test scenario", as_of=dt.date(2025, 6, 1),
                    annotations=(ann,), path="sample.yaml", sha256="0" * 64)


def _sample_routeset() -> RouteSet:
    scenario = _sample_scenario()
    geoms = [
        LineString([(130.295, 42.245), (131.2, 42.3), (132.338, 42.880)]),
        # starts with a 0.8 km connector: Dunai's straight join to the rail network
        LineString([(132.338, 42.880), (132.3295, 42.8833), (104.28, 52.29), (60.6, 56.84),
                    (40.13, 45.85)]),
        MultiLineString([[(132.338, 42.880), (130.295, 42.245)]]),
    ]
    rows = []
    for t in scenario.transfers:
        for i, leg in enumerate(t.legs):
            period = scenario.leg_period(t, leg)
            srcs = list(scenario.leg_sources(t, leg))
            rows.append({
                "feature_id": f"leg:{t.id}:{i}", "feature_type": "leg", "transfer_id": t.id,
                "transfer_label": t.label, "leg_index": i, "mode": leg.mode,
                "from_id": leg.origin.id, "to_id": leg.destination.id,
                "from_name": leg.origin.name, "to_name": leg.destination.name, "via_ids": [],
                "distance_km": [190.0, 9800.0, 182.0][len(rows)],
                "detour_ratio": [1.01, 1.53, 1.0][len(rows)],
                "off_network_km": [0.0, 0.8, 0.0][len(rows)],
                "connectors": [[], [[[132.338, 42.880], [132.3295, 42.8833]]], []][len(rows)],
                "geometry_kind": "great_circle" if leg.mode == "air" else "routed",
                "confidence": scenario.leg_confidence(t, leg), "sources": srcs,
                "period_start": period.start.isoformat() if period else None,
                "period_end": period.end.isoformat() if period else None,
                "cargo": t.cargo, **quantity_columns(t.quantity_claims),
                "origin_assumed": leg.origin_assumed, "destination_assumed": leg.destination_assumed,
                "path_confidence": scenario.leg_path_confidence(t, leg),
                "corridor": leg.corridor.name if leg.corridor else None,
                "carrier": leg.carrier, "note": leg.note, "network": "",
                "attribution": OSM if leg.mode == "rail" else "",
            })
    legs = gpd.GeoDataFrame(rows, columns=list(LEG_FRAME_COLUMNS), geometry=geoms, crs="EPSG:4326")
    prow = [{
        "feature_id": f"place:{p.id}", "feature_type": "place", "place_id": p.id,
        "name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
        "uncertainty_km": p.uncertainty_km, "confidence": p.confidence,
        "sources": list(p.sources),
        "note": p.note, "origin": p.origin, "locode": p.locode, "attribution": "",
    } for p in scenario.places]
    places = gpd.GeoDataFrame(prow, columns=list(PLACE_FRAME_COLUMNS),
                              geometry=[Point(p.lon, p.lat) for p in scenario.places],
                              crs="EPSG:4326")
    a = scenario.annotations[0]
    arow = [{
        "feature_id": f"annotation:{a.id}", "feature_type": "annotation", "kind": "annotation",
        "annotation_id": a.id, "text": a.text, "place_id": a.at.id, "transfer_id": a.transfer,
        "transfer_label": next(t.label for t in scenario.transfers if t.id == a.transfer),
        "confidence": a.confidence, "sources": list(a.sources),
        "period_start": "2023-09-07",
        "period_end": "2023-09-08", "attribution": "",
    }]
    ann = gpd.GeoDataFrame(arow, columns=list(ANNOTATION_FRAME_COLUMNS),
                           geometry=[Point(a.at.lon, a.at.lat)], crs="EPSG:4326")
    findings = (LegFinding("najin-dunai-tikhoretsk", 1, "info", "snap_distance",
                           "Dunai snapped 0.8 km to the rail network", 0.8),)
    return RouteSet(scenario, legs, places, ann, findings, (OSM, NE))


ONE_FLIGHT = """\
version: 1
title: One flight
sources:
  - {id: src, title: A report, publisher: A publisher}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: {lat: 39.22, lon: 125.67}, to: {lat: 43.40, lon: 132.15}}
"""


@pytest.fixture()
def one_flight_file(tmp_path) -> Path:
    """A scenario file with one air leg between inline coordinates: needs no network data."""
    path = tmp_path / "flight.yaml"
    path.write_text(ONE_FLIGHT)
    return path


@pytest.fixture()
def sample_scenario() -> Scenario:
    """A small validated scenario built in memory (no file, no gazetteer)."""
    return _sample_scenario()


@pytest.fixture(scope="session")
def shared_routeset() -> RouteSet:
    """The sample route set built once per session, for tests that only read it (renderers)."""
    return _sample_routeset()


@pytest.fixture()
def sample_routeset() -> RouteSet:
    """A hand-made RouteSet for writer tests: 3 legs (sea, rail, air split as Multi), 3 places, 1 annotation."""
    return _sample_routeset()
