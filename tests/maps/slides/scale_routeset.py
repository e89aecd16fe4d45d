"""Route sets of many transfers for the slide tests, made without routing.

Real places (coordinates of the curated gazetteer's ports, depots and junctions), seeded
transfers of one to three legs in every mode along a few dozen corridors of very different
traffic (a Zipf-like draw, so some corridors carry most transfers), each leg a straight line.
Drawing and layout depend on how many lines and texts a slide holds, not on the lines' shapes,
so these stand in for routed scenarios of 10 to 1,000 transfers in tests that must stay fast.
"""

from __future__ import annotations

import datetime as dt
import random

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point

from routemap.geo.model import Leg, Period, Place, Quantity, Scenario, Source, Transfer
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import ANNOTATION_FRAME_COLUMNS, LEG_FRAME_COLUMNS, PLACE_FRAME_COLUMNS

_PLACES = (
    ("rajin", "Rajin (Najin) port", "port", "KP", 42.245, 130.295),
    ("chongjin", "Chongjin port", "port", "KP", 41.78, 129.79),
    ("nampo", "Nampo port", "port", "KP", 38.73, 125.40),
    ("sunan", "Pyongyang Sunan airport", "airfield", "KP", 39.22, 125.67),
    ("tumangang", "Tumangang station", "rail_junction", "KP", 42.42, 130.60),
    ("khasan", "Khasan border station", "border_crossing", "RU", 42.43, 130.64),
    ("vostochny", "Vostochny port (Vrangel, Nakhodka)", "port", "RU", 42.76, 133.05),
    ("dunai", "Dunai naval port", "port", "RU", 42.88, 132.338),
    ("vladivostok", "Vladivostok commercial port", "port", "RU", 43.11, 131.88),
    ("knevichi", "Vladivostok Knevichi airfield", "airfield", "RU", 43.40, 132.15),
    ("khabarovsk", "Khabarovsk junction", "rail_junction", "RU", 48.48, 135.08),
    ("novosibirsk", "Novosibirsk junction", "rail_junction", "RU", 55.03, 82.92),
    ("yekaterinburg", "Yekaterinburg junction", "rail_junction", "RU", 56.84, 60.60),
    ("tikhoretsk", "Tikhoretsk ammunition depot", "depot", "RU", 45.85, 40.13),
    ("kotluban", "Kotluban ammunition depot", "depot", "RU", 49.02, 44.05),
    ("mozdok", "Mozdok airfield", "airfield", "RU", 43.75, 44.65),
    ("rostov", "Rostov-on-Don", "city", "RU", 47.23, 39.72),
    ("bryansk", "Bryansk", "city", "RU", 53.24, 34.36),
    ("novorossiysk", "Novorossiysk port", "port", "RU", 44.72, 37.78),
    ("ust-luga", "Ust-Luga port", "port", "RU", 59.68, 28.40),
)
_CHAINS = (
    (("sea", "rajin", "vostochny"), ("rail", "vostochny", "tikhoretsk")),
    (("sea", "rajin", "dunai"), ("rail", "dunai", "tikhoretsk")),
    (("rail", "tumangang", "khasan"), ("rail", "khasan", "kotluban")),
    (("sea", "chongjin", "vostochny"),),
    (("air", "sunan", "knevichi"), ("air", "knevichi", "mozdok")),
    (("sea", "nampo", "vladivostok"), ("rail", "vladivostok", "novosibirsk"),
     ("road", "novosibirsk", "yekaterinburg")),
    (("sea", "vostochny", "rajin"),),
    (("rail", "khabarovsk", "yekaterinburg"), ("road", "yekaterinburg", "bryansk")),
    (("road", "rostov", "tikhoretsk"),),
    (("sea", "novorossiysk", "ust-luga"),),
    (("air", "sunan", "mozdok"),),
    (("rail", "vladivostok", "khabarovsk"), ("rail", "khabarovsk", "kotluban"),
     ("road", "kotluban", "rostov")),
    (("sea", "vladivostok", "nampo"),),
    (("road", "bryansk", "rostov"),),
    (("rail", "novosibirsk", "tikhoretsk"),),
)
_CONFIDENCES = ("confirmed", "reported", "reported", "claimed", "estimated")
ROAD = "Road network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"
RAIL = "Rail network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"
CITIES = "Cities: GeoNames (geonames.org), CC BY 4.0"
NE = "Made with Natural Earth (public domain), naturalearthdata.com"


def many_transfers(n: int, *, seed: int = 0, long_texts: bool = False) -> RouteSet:
    """Return a route set of ``n`` seeded transfers along straight legs between real places.

    Parameters
    ----------
    n : int
        How many transfers.
    seed : int
        The draw's seed; the same (n, seed) gives the same route set.
    long_texts : bool
        Give the scenario a very long title and subtitle, long publisher names and many
        data credits (for furniture that must still fit).

    Returns
    -------
    RouteSet
    """
    rng = random.Random(seed)
    places = {p[0]: Place(*p, confidence="reported", origin="builtin") for p in _PLACES}
    sources = tuple(_source(i, long_texts) for i in range(max(3, n // 3)))
    weights = [1.0 / (k + 1) ** 1.1 for k in range(len(_CHAINS))]
    transfers = []
    start = dt.date(2023, 1, 1)
    for i in range(n):
        chain = rng.choices(_CHAINS, weights)[0]
        day = start + dt.timedelta(days=rng.randrange(0, 730))
        period = Period(day, day + dt.timedelta(days=rng.randrange(1, 30)))
        legs = tuple(Leg(mode, places[a], places[b], line=10 + i) for mode, a, b in chain)
        quantity = Quantity(rng.randrange(20, 400), "containers") if rng.random() < 0.4 else None
        label = f"Synthetic transfer {i + 1}: {places[chain[0][1]].name} to {places[chain[-1][2]].name}"
        transfers.append(Transfer(f"t{i + 1:04d}", label, rng.choice(_CONFIDENCES),
                                  (sources[rng.randrange(len(sources))].id,), legs,
                                  cargo="munitions (synthetic)", quantity=quantity, period=period))
    title = ("Synthetic transfers between North Korea and Russia, drawn to test the slides "
             "at scale, with a very long title that no slide can print on one line at its "
             "largest size" if long_texts else "Synthetic transfers")
    scenario = Scenario(1, title, sources, tuple(places.values()), tuple(transfers),
                        subtitle=("A generated scenario; every source is fictitious and marked "
                                  "synthetic; " * (4 if long_texts else 1)).strip(),
                        as_of=dt.date(2025, 1, 1), path="synthetic.yaml", sha256="0" * 64)
    credits = (RAIL, ROAD, CITIES, NE) + (tuple(_long_credit(k) for k in range(6))
                                          if long_texts else ())
    return RouteSet(scenario, _legs(scenario), _places(scenario), _no_annotations(), (), credits)


def _source(i: int, long_texts: bool) -> Source:
    publisher = (f"Synthetic Publishing House of Very Long Names, Research Desk {i + 1} "
                 f"(fictitious)" if long_texts else f"Synthetic source {i + 1}")
    return Source(f"synthetic-{i + 1}", f"Synthetic report {i + 1}", publisher,
                  dt.date(2023, 1, 1) + dt.timedelta(days=7 * i), None, None)


def _long_credit(k: int) -> str:
    return (f"Extra layer {k + 1}: a data provider with a long name and a long licence "
            f"statement, (c) its contributors, CC BY-SA 4.0 (synthetic)")


def _legs(scenario: Scenario) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for t in scenario.transfers:
        for i, leg in enumerate(t.legs):
            period = scenario.leg_period(t, leg)
            a, b = leg.origin, leg.destination
            rows.append({
                "feature_id": f"leg:{t.id}:{i}", "feature_type": "leg", "transfer_id": t.id,
                "transfer_label": t.label, "leg_index": i, "mode": leg.mode,
                "from_id": a.id, "to_id": b.id, "from_name": a.name, "to_name": b.name,
                "via_ids": [], "distance_km": float(np.hypot(a.lon - b.lon, a.lat - b.lat) * 90),
                "detour_ratio": 1.0, "off_network_km": 0.0, "connectors": [],
                "geometry_kind": "great_circle" if leg.mode == "air" else "routed",
                "confidence": scenario.leg_confidence(t, leg),
                "sources": list(scenario.leg_sources(t, leg)),
                "period_start": period.start.isoformat() if period else None,
                "period_end": period.end.isoformat() if period else None,
                "cargo": t.cargo, **_quantity(t.quantity),
                "origin_assumed": False, "destination_assumed": False,
                "path_confidence": scenario.leg_path_confidence(t, leg), "corridor": None,
                "carrier": None, "note": None, "network": "",
                "attribution": {"rail": RAIL, "road": ROAD}.get(leg.mode, ""),
            })
            geoms.append(LineString([(a.lon, a.lat), ((a.lon + b.lon) / 2, (a.lat + b.lat) / 2 + 0.3),
                                     (b.lon, b.lat)]))
    return gpd.GeoDataFrame(rows, columns=list(LEG_FRAME_COLUMNS), geometry=geoms, crs="EPSG:4326")


def _quantity(quantity: Quantity | None) -> dict[str, object]:
    """Return a single agreed quantity as the frame's quantity columns."""
    return {"quantity_value": None if quantity is None else float(quantity.value),
            "quantity_unit": None if quantity is None else quantity.unit,
            "quantity_qualifier": None, "quantity_max": None, "quantity_basis": None,
            "quantity_window_start": None, "quantity_window_end": None,
            "quantity_text": None, "quantities_disagree": False}


def _places(scenario: Scenario) -> gpd.GeoDataFrame:
    rows = [{"feature_id": f"place:{p.id}", "feature_type": "place", "place_id": p.id,
             "name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
             "uncertainty_km": None, "confidence": p.confidence, "sources": [], "note": None,
             "origin": p.origin, "locode": None, "attribution": ""} for p in scenario.places]
    return gpd.GeoDataFrame(rows, columns=list(PLACE_FRAME_COLUMNS),
                            geometry=[Point(p.lon, p.lat) for p in scenario.places], crs="EPSG:4326")


def _no_annotations() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame([], columns=list(ANNOTATION_FRAME_COLUMNS), geometry=[], crs="EPSG:4326")
