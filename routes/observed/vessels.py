"""What one vessel's own positions show: its trajectories, its dark gaps and its port calls.

Every function here reads whole vessels (all positions of an MMSI, sorted by time), so the same
code runs on a full table (``derive``) and on a partition of vessels (the Dask path), and gives the
same rows. The rules are in ``rules``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from routemap.geo.ais import haversine_m
from routemap.geo.ais.clean import implied_speed_kn
from routemap.geo.ais.columns import epoch_ns
from routemap.routes.observed.ports import PortIndex
from routemap.routes.observed.rules import SPEED_BASE_MIN, Rules

__all__ = ["GAP_COLUMNS", "PORT_CALL_COLUMNS", "TRAJECTORY_COLUMNS", "Fixes", "gaps", "port_calls", "trajectories"]

TRAJECTORY_COLUMNS = {"mmsi": "int64", "imo": "Int64", "name": "string", "start": "datetime64[ns, UTC]",
                      "end": "datetime64[ns, UTC]", "n_positions": "int64", "length_km": "float64"}
GAP_COLUMNS = {"mmsi": "int64", "start": "datetime64[ns, UTC]", "end": "datetime64[ns, UTC]",
               "duration_h": "float64", "reachable_km": "float64", "last_lat": "float64", "last_lon": "float64",
               "first_lat": "float64", "first_lon": "float64"}
PORT_CALL_COLUMNS = {"mmsi": "int64", "port_id": "string", "port_name": "string", "arrival": "datetime64[ns, UTC]",
                     "departure": "datetime64[ns, UTC]", "duration_h": "float64"}
_HOUR_NS = 3_600e9


@dataclass(frozen=True)
class Fixes:
    """A positions table as arrays, with each fix's port and the links between consecutive fixes.

    Attributes
    ----------
    frame : pandas.DataFrame
        The positions (canonical columns, sorted by ``mmsi`` then ``time``).
    mmsi, ns, lat, lon, sog : numpy.ndarray
        Per fix; ``ns`` is UTC nanoseconds.
    port : numpy.ndarray
        Index of the port the fix is at (``PortIndex``), -1 away from ports.
    same : numpy.ndarray
        Per link i -> i+1 (length n-1): whether both fixes are of one vessel.
    dt_ns, dist_m : numpy.ndarray
        Per link: time between the fixes and their distance.
    """

    frame: pd.DataFrame
    mmsi: np.ndarray
    ns: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    sog: np.ndarray
    port: np.ndarray
    same: np.ndarray
    dt_ns: np.ndarray
    dist_m: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, ports: PortIndex, rules: Rules) -> Fixes:
        """Return the arrays of a positions table sorted by vessel and time."""
        mmsi = frame["mmsi"].to_numpy(dtype=np.int64)
        ns = epoch_ns(frame["time"])
        lat, lon = frame["lat"].to_numpy(dtype=float), frame["lon"].to_numpy(dtype=float)
        return cls(frame, mmsi, ns, lat, lon, frame["sog_kn"].to_numpy(dtype=float),
                   ports.within(lat, lon, rules.away_km), mmsi[1:] == mmsi[:-1], np.diff(ns),
                   haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]))

    def __len__(self) -> int:
        return len(self.mmsi)


def _times(ns: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(ns, unit="ns", utc=True)).astype("datetime64[ns, UTC]")


def _typed(columns: dict[str, object], dtypes: dict[str, str], geometry: np.ndarray) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({name: pd.Series(columns[name]).astype(dtype).reset_index(drop=True)
                          for name, dtype in dtypes.items()})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=4326), crs=4326)


def trajectories(fixes: Fixes, rules: Rules) -> gpd.GeoDataFrame:
    """Return one row per trajectory (a vessel's positions split at silences over ``gap_hours``)."""
    n = len(fixes)
    start = np.ones(n, dtype=bool)
    start[1:] = ~fixes.same | (fixes.dt_ns > rules.gap_hours * _HOUR_NS)
    piece = np.cumsum(start) - 1
    count = np.bincount(piece, minlength=piece[-1] + 1 if n else 0)
    first = np.flatnonzero(start)
    last = np.r_[first[1:] - 1, n - 1] if n else first
    length = np.bincount(piece[1:][~start[1:]], weights=fixes.dist_m[~start[1:]], minlength=len(first))
    repeat = np.where(count[piece] == 1, 2, 1)
    take = np.repeat(np.arange(n), repeat)
    lines = shapely.linestrings(fixes.lon[take], fixes.lat[take], indices=piece[take]) if n else np.array([])
    imo, name = _identity(fixes.frame)
    vessel = fixes.mmsi[first]
    columns = {"mmsi": vessel, "imo": imo.reindex(vessel).to_numpy(), "name": name.reindex(vessel).to_numpy(),
               "start": _times(fixes.ns[first]), "end": _times(fixes.ns[last]), "n_positions": count,
               "length_km": length / 1000.0}
    return _typed(columns, TRAJECTORY_COLUMNS, lines)


def _identity(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return each vessel's IMO number and name: its most reported value (ties: the smallest)."""
    out = []
    for column, dtype in (("imo", "Int64"), ("name", "string")):
        values = frame[["mmsi", column]].dropna()
        counts = values.groupby(["mmsi", column]).size().rename("n").reset_index()
        counts = counts.sort_values(["mmsi", "n", column], ascending=[True, False, True], kind="stable")
        best = counts.drop_duplicates("mmsi").set_index("mmsi")[column].astype(dtype)
        out.append(best)
    return out[0], out[1]


def _top_speed(fixes: Fixes, rules: Rules) -> pd.Series:
    """Return each vessel's highest credible observed speed, knots (the rule in ``rules``)."""
    sog = np.where(np.isfinite(fixes.sog) & (fixes.sog <= rules.max_speed_kn), fixes.sog, np.nan)
    implied = implied_speed_kn(fixes.lat, fixes.lon, fixes.ns / 1e9) if len(fixes) > 1 else np.array([])
    usable = fixes.same & (fixes.dt_ns >= SPEED_BASE_MIN * 60e9)
    implied = np.where(usable, np.minimum(implied, rules.max_speed_kn), np.nan)
    speeds = pd.DataFrame({"mmsi": np.r_[fixes.mmsi, fixes.mmsi[1:]], "kn": np.r_[sog, implied]})
    return speeds.groupby("mmsi")["kn"].max()


def gaps(fixes: Fixes, rules: Rules) -> gpd.GeoDataFrame:
    """Return one row per dark gap (silence over ``gap_hours`` with both ends away from ports)."""
    links = np.flatnonzero(fixes.same & (fixes.dt_ns > rules.gap_hours * _HOUR_NS)
                           & (fixes.port[:-1] < 0) & (fixes.port[1:] < 0)) if len(fixes) > 1 else np.array([], int)
    after = links + 1
    hours = fixes.dt_ns[links] / _HOUR_NS
    top = _top_speed(fixes, rules).reindex(fixes.mmsi[links]).to_numpy(dtype=float)
    reachable = np.fmax(hours * top * 1.852, fixes.dist_m[links] / 1000.0)
    lines = shapely.linestrings(np.column_stack((fixes.lon[links], fixes.lon[after])).reshape(-1),
                                np.column_stack((fixes.lat[links], fixes.lat[after])).reshape(-1),
                                indices=np.repeat(np.arange(len(links)), 2)) if len(links) else np.array([])
    columns = {"mmsi": fixes.mmsi[links], "start": _times(fixes.ns[links]), "end": _times(fixes.ns[after]),
               "duration_h": hours, "reachable_km": reachable, "last_lat": fixes.lat[links],
               "last_lon": fixes.lon[links], "first_lat": fixes.lat[after], "first_lon": fixes.lon[after]}
    return _typed(columns, GAP_COLUMNS, lines)


def port_calls(fixes: Fixes, ports: PortIndex, rules: Rules) -> gpd.GeoDataFrame:
    """Return one row per port call (a stop of at least ``call_hours`` within ``away_km`` of a port)."""
    n = len(fixes)
    at = fixes.port >= 0
    begins = at.copy()
    if n > 1:
        begins[1:] &= ~fixes.same | (fixes.port[1:] != fixes.port[:-1])
    run = np.cumsum(begins) - 1
    speed = fixes.sog.copy()
    if n > 1:
        implied = np.where(fixes.same, implied_speed_kn(fixes.lat, fixes.lon, fixes.ns / 1e9), np.nan)
        speed[1:] = np.where(np.isfinite(speed[1:]), speed[1:], implied)
        speed[0] = speed[0] if np.isfinite(speed[0]) else np.nan
    table = pd.DataFrame({"run": run[at], "ns": fixes.ns[at], "speed": speed[at], "port": fixes.port[at],
                          "mmsi": fixes.mmsi[at]})
    runs = table.groupby("run", sort=True).agg(mmsi=("mmsi", "first"), port=("port", "first"),
                                              arrival=("ns", "min"), departure=("ns", "max"),
                                              slowest=("speed", "min"))
    hours = (runs["departure"] - runs["arrival"]).to_numpy() / _HOUR_NS
    keep = (hours >= rules.call_hours) & (runs["slowest"].to_numpy() <= rules.stop_kn)
    runs, hours = runs[keep], hours[keep]
    port = runs["port"].to_numpy(dtype=np.int64)
    columns = {"mmsi": runs["mmsi"].to_numpy(), "port_id": ports.ids[port], "port_name": ports.names[port],
               "arrival": _times(runs["arrival"].to_numpy()), "departure": _times(runs["departure"].to_numpy()),
               "duration_h": hours}
    return _typed(columns, PORT_CALL_COLUMNS, shapely.points(ports.lon[port], ports.lat[port]))
