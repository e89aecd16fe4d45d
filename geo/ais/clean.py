"""Cleaning AIS positions: invalid positions, duplicates and impossible jumps, each counted.

The rules, in the order they apply:

1. ``invalid_position``: latitude outside [-90, 90] or missing (AIS sends 91 for "not
   available"), longitude outside [-180, 180] or missing (181), or exactly 0, 0 (a receiver with no fix).
2. ``duplicate``: a second position of the same MMSI at the same time (to the nanosecond). The first
   one read is kept (files in the order given, rows in file order).
3. ``impossible_speed``: a position the vessel could not have reached. The implied speed between two
   fixes is their great-circle distance, less ``NOISE_M`` for position noise, over the time between
   them. A fix is an outlier when the implied speed from the fix before it and to the fix after it
   both exceed ``max_speed_kn`` while the speed from the fix before to the fix after does not (a
   spike); a vessel's first fix when the speed to the next exceeds the limit while the next two agree;
   its last fix likewise. Outliers are dropped and the rule applied again, up to ``PASSES`` times;
   a jump that no single fix explains (two ships sharing an MMSI) is left as it is.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from routemap.geo.ais.columns import KNOT_M_S, epoch_ns, haversine_m

__all__ = ["MAX_SPEED_KN", "NOISE_M", "PASSES", "clean_tracks", "drop_invalid", "implied_speed_kn"]

MAX_SPEED_KN = 50.0
NOISE_M = 100.0
PASSES = 3


def drop_invalid(frame: pd.DataFrame) -> tuple[pd.DataFrame, Counter[str]]:
    """Drop positions that cannot be on the Earth (rule 1); return the rest and the count."""
    lat, lon = frame["lat"].to_numpy(), frame["lon"].to_numpy()
    with np.errstate(invalid="ignore"):
        ok = (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0) & ~((lat == 0.0) & (lon == 0.0))
    dropped = Counter({"invalid_position": int((~ok).sum())}) if not ok.all() else Counter()
    return (frame if ok.all() else frame.loc[ok].reset_index(drop=True)), dropped


def clean_tracks(frame: pd.DataFrame, *, max_speed_kn: float = MAX_SPEED_KN) -> tuple[pd.DataFrame, Counter[str]]:
    """Sort positions by vessel and time, drop duplicates and impossible jumps (rules 2 and 3).

    Parameters
    ----------
    frame : pandas.DataFrame
        Canonical positions with valid coordinates, in the order they were read.
    max_speed_kn : float
        The highest credible speed over ground, knots.

    Returns
    -------
    tuple
        Positions sorted by ``mmsi`` then ``time`` with a fresh index, and counts by reason.
    """
    order = np.lexsort((epoch_ns(frame["time"]), frame["mmsi"].to_numpy()))
    data = frame.iloc[order].reset_index(drop=True)
    mmsi = data["mmsi"].to_numpy()
    ns = epoch_ns(data["time"])
    dup = np.zeros(len(data), dtype=bool)
    dup[1:] = (mmsi[1:] == mmsi[:-1]) & (ns[1:] == ns[:-1])
    dropped: Counter[str] = Counter()
    if dup.any():
        dropped["duplicate"] = int(dup.sum())
        data = data.loc[~dup].reset_index(drop=True)
    for _ in range(PASSES):
        spikes = _spikes(data, max_speed_kn)
        if not spikes.any():
            break
        dropped["impossible_speed"] += int(spikes.sum())
        data = data.loc[~spikes].reset_index(drop=True)
    return data, dropped


def implied_speed_kn(lat: np.ndarray, lon: np.ndarray, seconds: np.ndarray, step: int = 1) -> np.ndarray:
    """Return the implied speed (knots) from each fix to the fix ``step`` rows later (NOISE_M allowed).

    The result has ``len(lat) - step`` values; a zero time difference gives infinity.
    """
    dist = haversine_m(lat[:-step], lon[:-step], lat[step:], lon[step:])
    dt = seconds[step:] - seconds[:-step]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(dt > 0, np.maximum(dist - NOISE_M, 0.0) / dt / KNOT_M_S, np.inf)


def _spikes(data: pd.DataFrame, limit: float) -> np.ndarray:
    n = len(data)
    out = np.zeros(n, dtype=bool)
    if n < 3:
        return out
    mmsi = data["mmsi"].to_numpy()
    lat, lon = data["lat"].to_numpy(), data["lon"].to_numpy()
    sec = epoch_ns(data["time"]) / 1e9
    same1 = mmsi[1:] == mmsi[:-1]
    same2 = mmsi[2:] == mmsi[:-2]
    fast1 = (implied_speed_kn(lat, lon, sec, 1) > limit) & same1  # i -> i+1, length n-1
    slow2 = (implied_speed_kn(lat, lon, sec, 2) <= limit) & same2  # i -> i+2, length n-2
    # interior fix i (1..n-2): fast from i-1, fast to i+1, and i-1 -> i+1 credible
    out[1:-1] = fast1[:-1] & fast1[1:] & slow2
    # first fix of a vessel: fast to next, next -> next-next credible (and not fast)
    first = np.ones(n, dtype=bool)
    first[1:] = ~same1
    head = np.zeros(n, dtype=bool)
    head[:-2] = first[:-2] & fast1[:-1] & ~fast1[1:] & same1[1:]
    # last fix: fast from previous, previous two credible
    last = np.ones(n, dtype=bool)
    last[:-1] = ~same1
    tail = np.zeros(n, dtype=bool)
    tail[2:] = last[2:] & fast1[1:] & ~fast1[:-1] & same1[:-1]
    return out | head | tail
