"""Synthetic scenarios: seeded, valid scenario files of N transfers between real places.

For benches and scale tests. Every place is real (the built-in gazetteer's curated places,
UN/LOCODE ports and cities, and a few airports given with their published coordinates); every
source of a transfer is fictitious and says so in its title and publisher (the one real source
cited is the airports' coordinates), so a generated file can never be
mistaken for reporting. Legs are chosen so that a real corridor could serve them: sea legs between
ports on connected seas (the Caspian apart), rail legs along the Russian trunk lines and across the
Tumen river bridge, road legs within a day's drive, air legs between airports. The text is
deterministic for ``(n_transfers, seed)``, byte for byte.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from routemap.geo.gazetteer import load_gazetteer

__all__ = ["AIRPORTS", "SEAS", "synthetic_scenario", "write_synthetic_scenario"]

#: Ports by connected sea, as UN/LOCODEs of searoute's port list. A sea leg joins two ports of
#: one group; the Caspian is a group of its own (enclosed but for the Volga-Don canal).
SEAS: dict[str, tuple[str, ...]] = {
    "east-asia": ("KPNJN", "KPCHO", "KPHGM", "KPNAM", "RUVYP", "RUVVO", "RUNJK", "KRPUS",
                  "KRINC", "CNDLC", "CNSHA", "JPNGO", "JPTYO"),
    "black-sea-mediterranean": ("RUNVS", "RUTUA", "UAODS", "TRIST", "BGVAR", "ROCND", "GEPTI",
                                "RUTAG", "SYLTK", "SYTTS", "EGPSD", "TRMER"),
    "baltic": ("RULED", "RUULU", "RUKGD", "FIHEL", "DEHAM", "PLGDN", "EETLL"),
    "caspian": ("RUMCX", "IRBAZ", "AZBAK", "RUASF", "KZAAU", "TMKRW"),
}

#: The Russian ports of each sea where cargo goes on by rail.
RAIL_PORTS: dict[str, tuple[str, ...]] = {
    "east-asia": ("RUVYP", "RUVVO", "RUNJK"),
    "black-sea-mediterranean": ("RUNVS", "RUTUA"),
    "baltic": ("RULED", "RUULU"),
    "caspian": ("RUMCX", "RUASF"),
}

#: Rail junctions of the curated gazetteer in order along the trunk line, east to west: a rail
#: leg joins two of them, through one in between when they are far apart.
TRUNK: tuple[str, ...] = (
    "khasan", "baranovsky", "ussuriysk", "khabarovsk", "belogorsk", "chita", "ulan-ude",
    "irkutsk", "krasnoyarsk", "novosibirsk", "omsk", "tyumen", "yekaterinburg", "chelyabinsk",
    "ufa", "samara", "syzran", "saratov", "volgograd", "salsk", "tikhoretsk", "armavir",
    "mineralnye-vody", "prokhladny",
)

#: The trunk's eastern part (Khasan to Novosibirsk): where the Pacific ports' trains go; the
#: ports of the western seas send theirs to the rest.
_TRUNK_EAST = 10

#: Where a trunk or port leg ends by road: depots and arsenals of the curated gazetteer, the
#: river port of Rostov-on-Don and cities of western Russia by their GeoNames ids (Krasnodar,
#: Voronezh, Kursk, Belgorod, Bryansk, Smolensk, Velikiye Luki, Tver, Moscow, Pskov). Ids, not
#: names: resolving a name builds the gazetteer's index of every city's spellings, seconds that
#: would weigh on the generator and on every `check` of a generated file.
ROAD_ENDS: tuple[str, ...] = (
    "tikhoretsk-depot", "mozdok-depot", "yegorlykskaya-depot", "toropets-arsenal",
    "oktyabrsky-arsenal", "karachev-arsenal", "soldatskoye-depot", "kotluban-arsenal", "RURND",
    "geonames-542420", "geonames-472045", "geonames-538560", "geonames-578072",
    "geonames-571476", "geonames-491687", "geonames-476077", "geonames-480060",
    "geonames-524901", "geonames-504341",
)

#: The longest road leg drawn, in km along the great circle.
ROAD_REACH_KM = 450.0

#: The rail start in the DPRK and its border station: Rajin - Tumangang - Khasan.
DPRK_RAIL: tuple[str, str] = ("rajin", "tumangang")


@dataclass(frozen=True)
class Airport:
    """An airport the file defines in its ``places`` (the gazetteer has two)."""

    id: str
    name: str
    country: str
    lat: float
    lon: float


#: Airports at their aerodrome reference points as OurAirports' open data gives them (to about
#: 100 m; the file says ``uncertainty_km: 2``), cited by the one real source of a generated file;
#: with the curated ``pyongyang-sunan`` and ``vladivostok-knevichi``.
AIRPORTS: tuple[Airport, ...] = (
    Airport("airport-svo", "Moscow Sheremetyevo airport", "RU", 55.9726, 37.4146),
    Airport("airport-led", "Saint Petersburg Pulkovo airport", "RU", 59.8003, 30.2625),
    Airport("airport-ovb", "Novosibirsk Tolmachevo airport", "RU", 55.0126, 82.6507),
    Airport("airport-khv", "Khabarovsk Novy airport", "RU", 48.5280, 135.1880),
    Airport("airport-ika", "Tehran Imam Khomeini airport", "IR", 35.4161, 51.1522),
    Airport("airport-pek", "Beijing Capital airport", "CN", 40.0801, 116.5846),
    Airport("airport-msq", "Minsk National airport", "BY", 53.8825, 28.0307),
)
AIRPORT_SOURCE = "ourairports"
_AIRFIELDS: tuple[str, ...] = ("pyongyang-sunan", "vladivostok-knevichi", *(
    a.id for a in AIRPORTS))

_CONFIDENCES = ("confirmed", "reported", "claimed", "estimated")
_CONFIDENCE_WEIGHTS = (3, 4, 2, 1)
_FIRST_DAY = date(2023, 1, 1)
_DAYS = 730  # two years of dates
_CARGO: dict[str, tuple[str, str, str]] = {
    # mode of the first leg: (cargo, unit, basis)
    "sea": ("containers of munitions", "containers", "one voyage"),
    "rail": ("artillery shells", "railcars", "one train"),
    "road": ("vehicles and spare parts", "trucks", "one convoy"),
    "air": ("air-defence components", "tonnes", "one flight"),
}


@dataclass
class _Leg:
    mode: str
    start: str
    end: str
    via: tuple[str, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, float, float]]:
    """Return every ref the generator uses, with its display name and coordinates."""
    gazetteer = load_gazetteer()
    refs = [p for ports in SEAS.values() for p in ports] + list(TRUNK) + list(ROAD_ENDS)
    refs += list(DPRK_RAIL) + list(_AIRFIELDS[:2])
    names: dict[str, tuple[str, float, float]] = {}
    for ref in refs:
        place = gazetteer.resolve(ref).place
        names[ref] = (place.name, place.lat, place.lon)
    for airport in AIRPORTS:
        names[airport.id] = (airport.name, airport.lat, airport.lon)
    return names


def _km(a: str, b: str) -> float:
    """Return the great-circle distance between two refs, in km."""
    _, lat1, lon1 = _names()[a]
    _, lat2, lon2 = _names()[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


@functools.lru_cache(maxsize=1)
def _road_pairs() -> dict[str, tuple[str, ...]]:
    """Return, for each trunk junction and road end, the road ends within reach."""
    starts = list(TRUNK) + list(ROAD_ENDS) + [p for ports in RAIL_PORTS.values() for p in ports]
    pairs = {}
    for start in starts:
        near = tuple(end for end in ROAD_ENDS
                     if end != start and 20.0 < _km(start, end) <= ROAD_REACH_KM)
        if near:
            pairs[start] = near
    return pairs


def _rail_leg(rng: random.Random, start: str) -> _Leg:
    """Return a rail leg along the trunk line from ``start`` (a junction or a port)."""
    if start in TRUNK:
        i = TRUNK.index(start)
        j = rng.choice([k for k in range(len(TRUNK)) if k != i])
    else:
        i = -1
        east = start in RAIL_PORTS["east-asia"]
        j = rng.randrange(0, _TRUNK_EAST) if east else rng.randrange(_TRUNK_EAST, len(TRUNK))
    end = TRUNK[j]
    via: tuple[str, ...] = ()
    lo, hi = sorted((i, j))
    if hi - lo >= 4 and lo >= 0 and rng.random() < 0.5:
        via = (TRUNK[rng.randrange(lo + 1, hi)],)
    return _Leg("rail", start, end, via)


def _road_leg(rng: random.Random, start: str) -> _Leg | None:
    """Return a road leg from ``start`` to a road end within reach, if there is one."""
    near = _road_pairs().get(start)
    return _Leg("road", start, rng.choice(near)) if near else None


def _chain(rng: random.Random) -> list[_Leg]:
    """Return one transfer's legs (one to three), chained end to start."""
    kind = rng.choices(("sea", "sea-rail", "dprk-rail", "rail", "road", "air"),
                       weights=(3, 4, 3, 3, 2, 2))[0]
    legs: list[_Leg] = []
    if kind in ("sea", "sea-rail"):
        sea = rng.choice(sorted(SEAS))
        port = rng.choice(RAIL_PORTS[sea]) if kind == "sea-rail" else None
        end = port or rng.choice(SEAS[sea])
        start = rng.choice([p for p in SEAS[sea] if p != end])
        legs.append(_Leg("sea", start, end))
        if port is not None:
            legs.append(_rail_leg(rng, port))
    elif kind == "dprk-rail":
        legs.append(_Leg("rail", DPRK_RAIL[0], "khasan", (DPRK_RAIL[1],)))
        if rng.random() < 0.6:
            legs.append(_rail_leg(rng, "khasan"))
    elif kind == "rail":
        legs.append(_rail_leg(rng, rng.choice(TRUNK)))
    elif kind == "road":
        start = rng.choice(sorted(_road_pairs()))
        legs.append(_Leg("road", start, rng.choice(_road_pairs()[start])))
    else:
        start = rng.choice(_AIRFIELDS)
        legs.append(_Leg("air", start, rng.choice([a for a in _AIRFIELDS if a != start])))
    if len(legs) < 3 and legs[-1].mode == "rail" and rng.random() < 0.6:
        road = _road_leg(rng, legs[-1].end)
        if road is not None:
            legs.append(road)
    return legs


#: Per mode: how much longer than the great circle a route may run, and a slow day's distance
#: (km) - together, the fewest days a period gives a leg, so that no period implies a speed the
#: checks would call implausible.
_PACE: dict[str, tuple[float, float]] = {
    "sea": (4.5, 450.0), "rail": (2.6, 800.0), "road": (2.0, 500.0), "air": (1.2, 5000.0)}


def _period(rng: random.Random, legs: Sequence[_Leg]) -> tuple[date, date]:
    """Return a period long enough for ``legs`` at a plausible pace, within the two years."""
    days = 0.0
    for leg in legs:
        stops = [leg.start, *leg.via, leg.end]
        km = sum(_km(a, b) for a, b in itertools.pairwise(stops))
        detour, per_day = _PACE[leg.mode]
        days += km * detour / per_day
    length = math.ceil(days) + rng.randrange(1, 45)
    start = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS - length))
    return start, start + timedelta(days=length)


def _quantity(rng: random.Random, mode: str, sources: Sequence[str],
              window: tuple[date, date]) -> str | None:
    """Return a transfer's quantity as YAML flow text, or None (about a quarter have none)."""
    roll = rng.random()
    if roll < 0.25:
        return None
    _, unit, basis = _CARGO[mode]
    value = rng.choice((5, 12, 40, 150, 300, 1000, 2500))
    if roll < 0.35 and len(sources) >= 2:
        claims = [f"{{value: {value}, unit: {unit}, basis: {basis}, source: {sources[0]}}}",
                  f"{{value: {value * 2}, unit: {unit}, basis: {basis}, source: {sources[1]}}}"]
        return "[" + ", ".join(claims) + "]"
    parts = [f"value: {value}", f"unit: {unit}"]
    if roll < 0.5:
        parts.append(f"qualifier: {rng.choice(('about', 'at least', 'more than', 'up to'))}")
    elif roll < 0.6:
        parts.append(f"max: {value * 3}")
    parts.append(f"basis: {basis}")
    if roll > 0.85:
        parts.append(f"window: {{start: {window[0]}, end: {window[1]}}}")
    return "{" + ", ".join(parts) + "}"


def _q(text: str) -> str:
    """Return ``text`` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _leg_lines(rng: random.Random, leg: _Leg, sources: Sequence[str], n_sources: int,
               index: int, *, assumed: bool) -> list[str]:
    """Return the YAML lines of one leg."""
    parts = [f"mode: {leg.mode}", f"from: {_q(leg.start)}", f"to: {_q(leg.end)}"]
    if leg.via:
        parts.append("via: [" + ", ".join(_q(v) for v in leg.via) + "]")
    roll = rng.random()
    if leg.mode == "rail" and roll < 0.2:
        parts.append(f"corridor: {{name: Trans-Siberian Railway, sources: [{sources[0]}]}}")
    elif roll < 0.35:
        parts.append("path_confidence: estimated")
    if rng.random() < 0.15:
        parts.append(f"confidence: {rng.choices(_CONFIDENCES, _CONFIDENCE_WEIGHTS)[0]}")
    if rng.random() < 0.2:
        parts.append(f"sources: [syn-{rng.randrange(n_sources) + 1:04d}]")
    if leg.mode == "sea" and rng.random() < 0.3:
        parts.append(f"carrier: {_q(f'Synthetic carrier {rng.randrange(1, 200)}')}")
    if index == 0 and assumed:
        parts.append("assumed: [from]")
    return ["      - {" + ", ".join(parts) + "}"]


def _transfer_lines(rng: random.Random, number: int, n_sources: int) -> list[str]:
    """Return the YAML lines of transfer ``number``."""
    legs = _chain(rng)
    names = _names()
    first, last = names[legs[0].start][0], names[legs[-1].end][0]
    modes = " then ".join(dict.fromkeys(leg.mode for leg in legs))
    cargo = _CARGO[legs[0].mode][0]
    k = rng.choice((1, 1, 2, 2, 3))
    cited = {(number - 1) % n_sources} | {rng.randrange(n_sources) for _ in range(k - 1)}
    sources = [f"syn-{i + 1:04d}" for i in sorted(cited)]
    start, end = _period(rng, legs)
    assumed = rng.random() < 0.1
    label = f"{cargo.capitalize()} by {modes}, {first} to {last}"
    lines = [
        f"  - id: t{number:05d}",
        f"    label: {_q(label + (' (origin assumed)' if assumed else ''))}",
        f"    cargo: {_q(cargo)}",
    ]
    quantity = _quantity(rng, legs[0].mode, sources, (start, end))
    if quantity is not None:
        lines.append(f"    quantity: {quantity}")
    if rng.random() < 0.9:
        lines.append(f"    period: {{start: {start}, end: {end}}}")
    lines.append(f"    confidence: {rng.choices(_CONFIDENCES, _CONFIDENCE_WEIGHTS)[0]}")
    lines.append("    sources: [" + ", ".join(sources) + "]")
    lines.append("    legs:")
    for i, leg in enumerate(legs):
        lines += _leg_lines(rng, leg, sources, n_sources, i, assumed=assumed)
    return lines


def _source_lines(n_sources: int, rng: random.Random) -> list[str]:
    """Return the YAML lines of the fictitious sources."""
    lines = ["sources:",
             f"  - id: {AIRPORT_SOURCE}",
             "    title: \"Airports (airports.csv, open data)\"",
             "    publisher: OurAirports",
             "    url: https://ourairports.com/data/"]
    for i in range(1, n_sources + 1):
        day = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS + 90))
        lines += [f"  - id: syn-{i:04d}",
                  f"    title: \"Synthetic source {i} (fictitious, for testing)\"",
                  "    publisher: \"Synthetic test data (not a real publication)\"",
                  f"    date: {day}"]
    return lines


def _place_lines() -> list[str]:
    """Return the YAML lines of the airports the file defines."""
    lines = ["places:"]
    for a in AIRPORTS:
        lines.append(f"  - {{id: {a.id}, name: {_q(a.name)}, kind: airfield, country: {a.country}, "
                     f"lat: {a.lat}, lon: {a.lon}, uncertainty_km: 2, sources: [{AIRPORT_SOURCE}]}}")
    return lines


def synthetic_scenario(n_transfers: int, seed: int = 0) -> str:
    """Return the YAML text of a valid scenario of ``n_transfers`` generated transfers.

    Parameters
    ----------
    n_transfers : int
        How many transfers (at least 1); each has one to three legs.
    seed : int
        The random seed; the text is the same, byte for byte, for the same ``(n_transfers, seed)``.

    Returns
    -------
    str
        The scenario, in the format of ``docs/SCENARIO.md``; every source in it is fictitious and
        titled "Synthetic source N (fictitious, for testing)".

    Raises
    ------
    ValueError
        If ``n_transfers`` is below 1.
    """
    if n_transfers < 1:
        raise ValueError(f"a scenario needs at least one transfer, asked for {n_transfers}")
    rng = random.Random(f"routemap-synthetic/{n_transfers}/{seed}")
    n_sources = min(n_transfers, max(3, n_transfers // 4))  # each cited at least once
    lines = [
        "# A synthetic scenario generated by routemap.geo.synthetic: real places, made-up",
        "# transfers and fictitious sources. Not reporting; for benches and tests only.",
        "version: 1",
        "language: en",
        f"title: \"Synthetic scenario: {n_transfers:,} transfers (seed {seed})\"",
        "subtitle: \"Generated test data between real places; every transfer's source is fictitious\"",
        "as_of: 2025-03-01",
    ]
    lines += _source_lines(n_sources, rng)
    lines += _place_lines()
    lines.append("transfers:")
    for number in range(1, n_transfers + 1):
        lines += _transfer_lines(rng, number, n_sources)
    return "\n".join(lines) + "\n"


def write_synthetic_scenario(path: str | Path, n_transfers: int, seed: int = 0) -> Path:
    """Write :func:`synthetic_scenario` to ``path`` (UTF-8) and return the path.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder must exist.
    n_transfers : int
        How many transfers.
    seed : int
        The random seed.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(path)
    target.write_text(synthetic_scenario(n_transfers, seed), encoding="utf-8")
    return target
