"""Fixtures for the geo package: a small in-memory gazetteer."""

from __future__ import annotations

import pytest

from routemap.geo.gazetteer import Gazetteer, Layer
from routemap.geo.model import Place, Source


def _place(pid, name, kind, cc, lat, lon, **kw) -> Place:
    return Place(pid, name, kind, cc, lat, lon, **kw)


@pytest.fixture(scope="session")
def small_gazetteer() -> Gazetteer:
    """Curated Rajin/Tikhoretsk/Khabarovsk, two UN/LOCODE ports, and cities with namesakes."""
    builtin = (
        _place("rajin", "Rajin (Najin) port", "port", "KP", 42.245, 130.295,
               aliases=("Rajin", "Najin", "Rason port"), locode="KPNJN", sources=("wh",), origin="builtin"),
        _place("tikhoretsk-depot", "Tikhoretsk ammunition depot", "depot", "RU", 45.85, 40.13,
               aliases=("Tikhoretsk",), uncertainty_km=10, sources=("wh",), origin="builtin"),
        _place("khabarovsk", "Khabarovsk", "rail_junction", "RU", 48.48, 135.07, sources=("wh",),
               origin="builtin"),
    )
    ports = (
        _place("port-kpnjn", "Najin", "port", "KP", 42.2333, 130.3, locode="KPNJN", origin="unlocode"),
        _place("port-ruvyp", "Vostochny", "port", "RU", 42.7333, 133.05, locode="RUVYP", origin="unlocode"),
        _place("port-xxa", "Twin Harbour", "port", "US", 40.0, -70.0, locode="USTWA", origin="unlocode"),
        _place("port-xxb", "Twin Harbour", "port", "CA", 45.0, -60.0, locode="CATWB", origin="unlocode"),
    )
    cities = (
        _place("geonames-1", "Moscow", "city", "RU", 55.75, 37.62, aliases=("Moskva", "Москва"),
               population=10_381_222, origin="geonames"),
        _place("geonames-2", "Moscow", "city", "US", 46.73, -117.0, aliases=("Moskva",),
               population=25_060, origin="geonames"),
        _place("geonames-3", "Springfield", "city", "US", 37.2, -93.3, population=169_176, origin="geonames"),
        _place("geonames-4", "Springfield", "city", "US", 39.8, -89.64, population=116_565, origin="geonames"),
        _place("geonames-5", "Tikhoretsk", "city", "RU", 45.853, 40.119, population=64_387, origin="geonames"),
        _place("geonames-6", "Zürich", "city", "CH", 47.37, 8.55, population=341_730, origin="geonames"),
    )
    return Gazetteer([Layer("builtin", builtin), Layer("unlocode", ports),
                      Layer("geonames", cities, ranked=True)],
                     {"wh": Source("wh", "Briefing", "The White House")})
