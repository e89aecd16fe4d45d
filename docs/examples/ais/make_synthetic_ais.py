"""Write ``synthetic-ais.csv``: made-up AIS positions for the observed-tracks example (observed.yaml).

NOT REAL AIS DATA. Two fictitious ships (MMSI 100000001 and 100000002: the Maritime
Identification Digit 100 belongs to no country; names ``SYNTHETIC STAR`` and ``SYNTHETIC MOON``)
are placed along routemap's own sea route from Gdansk to Aarhus, with events planted at known
times so the example shows each kind of observation:

- the Synthetic Star waits at Gdansk, sails at 12 knots, stops 3 hours at sea beside the Synthetic
  Moon (about 150 m apart), switches its transponder off for 9 hours, and calls at Aarhus;
- the Synthetic Moon reports only around the meeting.

Run from the repository root (offline; the output is the same every run)::

    python docs/examples/ais/make_synthetic_ais.py
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from routemap.geo.gazetteer import load_gazetteer
from routemap.routes.builder import default_routers
from routemap.routes.leg import LegRequest, Stop

OUT = Path(__file__).with_name("synthetic-ais.csv")
STEP = pd.Timedelta(minutes=10)
SPEED_KMH = 12 * 1.852
START = pd.Timestamp("2025-03-01 00:00", tz="UTC")
DEPART = pd.Timestamp("2025-03-02 06:00", tz="UTC")
MEET_AT_KM, MEET_HOURS = 230.0, 3.0  # the meeting: km after departure, hours stopped
DARK_FROM_KM, DARK_HOURS = 420.0, 9.0  # the dark gap: km after departure, hours without a position
STAY_HOURS = 14.0  # at Aarhus


def route() -> np.ndarray:
    """routemap's sea route from Gdansk to Aarhus, as (lon, lat) points."""
    places = load_gazetteer()
    gdansk, aarhus = (places.resolve(code).place for code in ("PLGDN", "DKAAR"))
    request = LegRequest(mode="sea", stops=(Stop(gdansk.id, gdansk.name, gdansk.lat, gdansk.lon),
                                            Stop(aarhus.id, aarhus.name, aarhus.lat, aarhus.lon)), label="example")
    routed = default_routers()["sea"](request)
    return np.asarray(routed.geometry.coords, dtype=float)


def along(line: np.ndarray) -> tuple[np.ndarray, float]:
    """Cumulative km at each point of a (lon, lat) line (haversine, mean radius)."""
    lon, lat = np.radians(line[:, 0]), np.radians(line[:, 1])
    a = np.sin(np.diff(lat) / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
    km = np.concatenate([[0.0], np.cumsum(2 * 6371.0088 * np.arcsin(np.sqrt(a)))])
    return km, float(km[-1])


def at(line: np.ndarray, km: np.ndarray, distance: float) -> tuple[float, float]:
    """The (lat, lon) ``distance`` km along the line."""
    return float(np.interp(distance, km, line[:, 1])), float(np.interp(distance, km, line[:, 0]))


def star(line: np.ndarray, km: np.ndarray, total: float, rng: np.random.Generator) -> list[tuple]:
    rows = []
    t = START
    while t < DEPART:  # at the quay in Gdansk
        rows.append((t, *at(line, km, 0.0), 0.0))
        t += STEP
    distance, stopped = 0.0, 0.0
    while distance < total:
        hours = STEP / pd.Timedelta(hours=1)
        if distance >= MEET_AT_KM and stopped < MEET_HOURS:
            stopped += hours  # alongside the Synthetic Moon
        else:
            distance = min(total, distance + SPEED_KMH * hours)
        dark = DARK_FROM_KM <= distance < DARK_FROM_KM + SPEED_KMH * DARK_HOURS
        if not dark:
            rows.append((t, *at(line, km, distance), 0.0 if stopped and stopped < MEET_HOURS else 12.0))
        t += STEP
    end = t + pd.Timedelta(hours=STAY_HOURS)
    while t < end:  # at the quay in Aarhus
        rows.append((t, *at(line, km, total), 0.0))
        t += STEP
    return [(r[0], r[1] + rng.normal(0, 0.00009), r[2] + rng.normal(0, 0.00015), r[3]) for r in rows]


def moon(meeting: tuple[pd.Timestamp, float, float], rng: np.random.Generator) -> list[tuple]:
    t0, lat, lon = meeting
    rows = []
    for k in range(-12, 31):  # two hours coming, three alongside, two leaving, every 10 minutes
        t = t0 + k * STEP
        shift = 0.0 if 0 <= k <= 18 else (abs(k if k < 0 else k - 18) * SPEED_KMH / 6) / 111.0
        sign = -1 if k < 0 else 1
        rows.append((t, lat + 0.0013 + sign * shift * 0.3 + rng.normal(0, 0.00009),
                     lon + sign * shift / math.cos(math.radians(lat)) + rng.normal(0, 0.00015),
                     0.0 if 0 <= k <= 18 else 12.0))
    return rows


def main() -> None:
    rng = np.random.default_rng(20250301)
    line = route()
    km, total = along(line)
    star_rows = star(line, km, total, rng)
    first_stop = next(r for r in star_rows if r[0] > DEPART and r[3] == 0.0)
    moon_rows = moon(first_stop[:3], rng)  # alongside where the Star stopped
    frame = pd.DataFrame(
        [(100000001, "SYNTHETIC STAR", *r) for r in star_rows] + [(100000002, "SYNTHETIC MOON", *r) for r in moon_rows],
        columns=["mmsi", "name", "time", "lat", "lon", "sog_kn"])
    frame["time"] = frame["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    frame["lat"], frame["lon"] = frame["lat"].round(5), frame["lon"].round(5)
    frame["source"] = "synthetic: routemap example, not real AIS"
    frame.sort_values(["mmsi", "time"]).to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT} ({len(frame)} synthetic positions, route {total:.0f} km)")  # noqa: T201 (a script)


if __name__ == "__main__":
    main()
