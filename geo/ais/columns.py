"""The canonical AIS position table: its columns, their types, and distances on the sphere."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "CANONICAL",
    "EARTH_RADIUS_M",
    "KNOT_M_S",
    "canonical_frame",
    "empty_positions",
    "epoch_ns",
    "haversine_m",
]

EARTH_RADIUS_M = 6_371_008.8
"""The mean Earth radius (IUGG), the sphere every AIS distance is measured on."""
KNOT_M_S = 1852.0 / 3600.0

CANONICAL: dict[str, str] = {
    "mmsi": "int64",
    "imo": "Int64",
    "name": "string",
    "time": "datetime64[ns, UTC]",
    "lat": "float64",
    "lon": "float64",
    "sog_kn": "float64",
    "cog_deg": "float64",
    "source": "string",
}
"""Column name -> dtype of every positions table routemap reads or writes."""


def empty_positions() -> pd.DataFrame:
    """Return an empty positions table with the canonical columns and types."""
    return canonical_frame(pd.DataFrame({name: [] for name in CANONICAL}))


def canonical_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame``'s canonical columns, in order, cast to their canonical types.

    Missing optional columns (``imo``, ``name``, ``sog_kn``, ``cog_deg``, ``source``) are added empty.
    """
    out = {}
    for name, dtype in CANONICAL.items():
        if name in frame.columns:
            column = frame[name]
        else:
            column = pd.Series(pd.NA if dtype in ("Int64", "string") else np.nan, index=frame.index)
        if dtype == "datetime64[ns, UTC]":
            out[name] = pd.to_datetime(column, utc=True).astype(dtype)
        else:
            out[name] = column.astype(dtype)
    return pd.DataFrame(out, index=frame.index)


def epoch_ns(times: pd.Series) -> np.ndarray:
    """Return UTC times as int64 nanoseconds since 1970 (whatever the series' unit)."""
    return np.asarray(times.dt.as_unit("ns").array.asi8, dtype=np.int64)


def haversine_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Return great-circle distances in metres on the mean-radius sphere (haversine formula).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : array_like
        Degrees, broadcast together.

    Returns
    -------
    numpy.ndarray
        Metres.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
