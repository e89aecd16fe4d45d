"""Meetings at sea: vessels' positions at common time marks, the pairs close at a mark, and their runs.

The rule is in ``rules``. Pairs are found with a k-d tree over unit vectors, one group of points
per time mark (and, on the Dask path, per space cell): a fourth coordinate, the group's number
times 4, keeps groups apart, since two unit vectors are never more than 2 apart.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from routemap.geo.ais import haversine_m
from routemap.geo.ais.columns import EARTH_RADIUS_M
from routemap.routes.observed.ports import unit_vectors
from routemap.routes.observed.rules import Rules
from routemap.routes.observed.vessels import Fixes

__all__ = ["ENCOUNTER_COLUMNS", "PAIR_COLUMNS", "close_pairs", "marks", "meetings"]

ENCOUNTER_COLUMNS = {"mmsi_a": "int64", "mmsi_b": "int64", "start": "datetime64[ns, UTC]",
                     "end": "datetime64[ns, UTC]", "duration_h": "float64", "min_distance_m": "float64"}
PAIR_COLUMNS = ("mmsi_a", "mmsi_b", "mark", "distance_m", "lat_a", "lon_a", "lat_b", "lon_b")
_HOUR_NS = 3_600e9


def _wrap(lon: np.ndarray) -> np.ndarray:
    return (lon + 180.0) % 360.0 - 180.0


def marks(fixes: Fixes, rules: Rules) -> pd.DataFrame:
    """Return each vessel's interpolated position at the time marks: ``mmsi, mark, lat, lon``.

    A mark ``g`` (a multiple of ``step_min`` since 1970, nanoseconds) falls between fixes i and i+1
    when ``t_i <= g <= t_(i+1)`` (once, when it is the time of a fix); only links of one vessel, at
    most ``interpolate_hours`` long, with both fixes away from ports, give positions. Longitude is
    interpolated the short way round.
    """
    if len(fixes) < 2:
        return pd.DataFrame({"mmsi": np.array([], np.int64), "mark": np.array([], np.int64),
                             "lat": np.array([]), "lon": np.array([])})
    step = rules.step_ns
    ok = (fixes.same & (fixes.dt_ns > 0) & (fixes.dt_ns <= rules.interpolate_hours * _HOUR_NS)
          & (fixes.port[:-1] < 0) & (fixes.port[1:] < 0))
    link = np.flatnonzero(ok)
    t0, t1 = fixes.ns[link], fixes.ns[link + 1]
    first = -((-t0) // step)
    count = np.maximum(t1 // step - first + 1, 0)
    idx = np.repeat(np.arange(len(link)), count)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count)
    mark = (first[idx] + offset) * step
    i = link[idx]
    again = np.zeros(len(mark), dtype=bool)  # a mark on a fix ends one link and starts the next
    again[1:] = (mark[1:] == mark[:-1]) & (fixes.mmsi[i[1:]] == fixes.mmsi[i[:-1]])
    mark, i = mark[~again], i[~again]
    frac = (mark - fixes.ns[i]) / (fixes.ns[i + 1] - fixes.ns[i])
    lat = fixes.lat[i] + frac * (fixes.lat[i + 1] - fixes.lat[i])
    dlon = _wrap(fixes.lon[i + 1] - fixes.lon[i])
    return pd.DataFrame({"mmsi": fixes.mmsi[i], "mark": mark, "lat": lat, "lon": _wrap(fixes.lon[i] + frac * dlon)})


def close_pairs(points: pd.DataFrame, rules: Rules, *, group: np.ndarray | None = None,
                home: np.ndarray | None = None) -> pd.DataFrame:
    """Return the pairs of vessels within ``encounter_m`` at the same mark (and group).

    Parameters
    ----------
    points : pandas.DataFrame
        ``mmsi, mark, lat, lon`` (``marks``).
    rules : Rules
    group : numpy.ndarray, optional
        Per point, a group (space cell) pairs must share besides the mark; one group by default.
    home : numpy.ndarray, optional
        Per point, whether it is in its own cell (not a copy in a neighbouring one); a pair is kept
        only where the point of the lower MMSI is at home, so each pair is found once.

    Returns
    -------
    pandas.DataFrame
        ``PAIR_COLUMNS``, ``mmsi_a < mmsi_b``, unordered.
    """
    mark = points["mark"].to_numpy(dtype=np.int64)
    keys = np.column_stack((mark, group if group is not None else np.zeros(len(mark), np.int64)))
    _, code = np.unique(keys, axis=0, return_inverse=True) if len(mark) else (None, np.array([], np.int64))
    lat, lon = points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float)
    coords = np.column_stack((unit_vectors(lat, lon), code.reshape(-1) * 4.0))
    radius = 2 * np.sin(rules.encounter_m / EARTH_RADIUS_M / 2) * 1.001
    pairs = cKDTree(coords).query_pairs(radius, output_type="ndarray") if len(coords) > 1 else np.zeros((0, 2), int)
    mmsi = points["mmsi"].to_numpy(dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    swap = mmsi[i] > mmsi[j]
    a, b = np.where(swap, j, i), np.where(swap, i, j)
    keep = mmsi[a] != mmsi[b]
    if home is not None:
        keep &= home[a]
    a, b = a[keep], b[keep]
    distance = haversine_m(lat[a], lon[a], lat[b], lon[b])
    near = distance <= rules.encounter_m
    a, b = a[near], b[near]
    return pd.DataFrame({"mmsi_a": mmsi[a], "mmsi_b": mmsi[b], "mark": mark[a], "distance_m": distance[near],
                         "lat_a": lat[a], "lon_a": lon[a], "lat_b": lat[b], "lon_b": lon[b]})


def meetings(pairs: pd.DataFrame, rules: Rules) -> gpd.GeoDataFrame:
    """Return one row per meeting: runs of consecutive marks a pair is close, ``encounter_hours`` or longer.

    The point is the midpoint of the two vessels at their closest approach (the first such mark).
    """
    data = pairs.sort_values(["mmsi_a", "mmsi_b", "mark"], kind="stable").reset_index(drop=True)
    a, b, mark = (data[c].to_numpy(dtype=np.int64) for c in ("mmsi_a", "mmsi_b", "mark"))
    begins = np.ones(len(data), dtype=bool)
    begins[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (np.diff(mark) != rules.step_ns)
    data["run"] = np.cumsum(begins) - 1
    closest = data.sort_values(["run", "distance_m", "mark"], kind="stable").drop_duplicates("run")
    spans = data.groupby("run").agg(start=("mark", "min"), end=("mark", "max"))
    closest = closest.set_index("run").loc[spans.index]
    hours = (spans["end"] - spans["start"]).to_numpy() / _HOUR_NS
    keep = hours >= rules.encounter_hours - 1e-9
    closest, spans, hours = closest[keep], spans[keep], hours[keep]
    lat = (closest["lat_a"].to_numpy() + closest["lat_b"].to_numpy()) / 2
    lon_a = closest["lon_a"].to_numpy()
    lon = _wrap(lon_a + _wrap(closest["lon_b"].to_numpy() - lon_a) / 2)
    frame = pd.DataFrame({
        "mmsi_a": closest["mmsi_a"].to_numpy(), "mmsi_b": closest["mmsi_b"].to_numpy(),
        "start": pd.to_datetime(spans["start"].to_numpy(), unit="ns", utc=True),
        "end": pd.to_datetime(spans["end"].to_numpy(), unit="ns", utc=True),
        "duration_h": hours, "min_distance_m": closest["distance_m"].to_numpy()})
    frame = frame.astype(ENCOUNTER_COLUMNS).sort_values(["mmsi_a", "mmsi_b", "start"], kind="stable")
    points = shapely.points(lon, lat)[frame.index.to_numpy()] if len(frame) else np.array([])
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=gpd.GeoSeries(points, crs=4326), crs=4326)
