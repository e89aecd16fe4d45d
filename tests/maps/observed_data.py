"""A route set with a hand-built observed layer: synthetic positions of a fictitious vessel.

The sample route set's sea leg (Rajin to Dunai, 7 Sep - 1 Oct 2023) is carried by the fictitious
``Sea Star`` (MMSI 273000001), which sails from Rajin, goes dark for 20 h at sea, meets the
fictitious ``Other Star`` (MMSI 273000002) for 2 h and calls at Dunai. The derivations are
written by hand as :func:`routemap.routes.observed.derive` returns them (the contract's
columns), so the products can be tested without the engine; none of it is real AIS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, Point

from routemap.geo.vessels import ObservationSpec, Vessel
from routemap.routes.evidence import legs_with_verdicts, observed_layer
from routemap.routes.routeset import RouteSet

MMSI, OTHER = 273000001, 273000002
SEA_STAR = Vessel(name="Sea Star", mmsi=MMSI)
# (time, lat, lon) of the Sea Star: Rajin, out to sea, dark, then in to Dunai
_PATH = [("2023-09-08 06:00", 42.245, 130.295), ("2023-09-08 12:00", 42.25, 130.80),
         ("2023-09-08 14:00", 42.26, 130.82), ("2023-09-08 20:00", 42.30, 131.00),
         ("2023-09-09 16:00", 42.60, 131.80), ("2023-09-09 20:00", 42.88, 132.338)]


@dataclass(frozen=True)
class HandObservations:
    """The four derivations, as the engine's ``Observations`` holds them."""

    trajectories: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    port_calls: gpd.GeoDataFrame
    encounters: gpd.GeoDataFrame


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def positions() -> pd.DataFrame:
    """The canonical positions frame of both ships (``routemap.geo.ais`` columns)."""
    rows = [(MMSI, 1234567, "SEA STAR", t, lat, lon) for t, lat, lon in _PATH]
    rows += [(OTHER, None, "OTHER STAR", "2023-09-08 12:00", 42.251, 130.801),
             (OTHER, None, "OTHER STAR", "2023-09-08 14:00", 42.261, 130.821)]
    frame = pd.DataFrame(rows, columns=["mmsi", "imo", "name", "time", "lat", "lon"])
    frame["imo"] = frame["imo"].astype("Int64")
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame["sog_kn"] = frame["cog_deg"] = float("nan")
    frame["source"] = "synthetic.csv"
    return frame


def observations() -> HandObservations:
    """The trajectories, the dark gap, two port calls and the meeting at sea."""
    crs = "EPSG:4326"
    line = LineString([(lon, lat) for _, lat, lon in _PATH])
    trajectories = gpd.GeoDataFrame(
        {"mmsi": [MMSI], "imo": pd.array([1234567], dtype="Int64"), "name": ["SEA STAR"],
         "start": [_utc(_PATH[0][0])], "end": [_utc(_PATH[-1][0])], "n_positions": [len(_PATH)],
         "length_km": [190.4]}, geometry=[line], crs=crs)
    gaps = gpd.GeoDataFrame(
        {"mmsi": [MMSI], "start": [_utc("2023-09-08 20:00")], "end": [_utc("2023-09-09 16:00")],
         "duration_h": [20.0], "reachable_km": [518.6], "last_lat": [42.30], "last_lon": [131.00],
         "first_lat": [42.60], "first_lon": [131.80]},
        geometry=[LineString([(131.00, 42.30), (131.80, 42.60)])], crs=crs)
    port_calls = gpd.GeoDataFrame(
        {"mmsi": [MMSI, MMSI], "port_id": ["rajin", "dunai"], "port_name": ["Rajin (Najin) port", "Dunai naval port"],
         "arrival": [_utc("2023-09-07 10:00"), _utc("2023-09-09 20:00")],
         "departure": [_utc("2023-09-08 06:00"), pd.NaT], "duration_h": [20.0, float("nan")]},
        geometry=[Point(130.295, 42.245), Point(132.338, 42.880)], crs=crs)
    encounters = gpd.GeoDataFrame(
        {"mmsi_a": [MMSI], "mmsi_b": [OTHER], "start": [_utc("2023-09-08 12:00")],
         "end": [_utc("2023-09-08 14:00")], "duration_h": [2.0], "min_distance_m": [120.0]},
        geometry=[Point(130.81, 42.255)], crs=crs)
    return HandObservations(trajectories, gaps, port_calls, encounters)


def observed_routeset(routeset: RouteSet) -> RouteSet:
    """The sample route set with the Sea Star as its sea leg's carrier, and its observed layer."""
    scenario = routeset.scenario
    sea = next(t for t in scenario.transfers if t.legs[0].mode == "sea")
    transfer = replace(sea, legs=(replace(sea.legs[0], carrier="Sea Star"), *sea.legs[1:]))
    spec = ObservationSpec(files=("synthetic.csv",), paths=(Path("synthetic.csv"),), vessels=(SEA_STAR,),
                           sources=("wh-2023-10",), synthetic=True)
    scenario = replace(scenario, observations=spec,
                       transfers=tuple(transfer if t.id == sea.id else t for t in scenario.transfers))
    legs = routeset.legs.copy()
    legs.loc[(legs["transfer_id"] == sea.id) & (legs["leg_index"] == 0), "carrier"] = "Sea Star"
    sea_leg = transfer.legs[0]
    line = legs.geometry.iloc[0]
    layer = observed_layer(spec, positions(), observations(),
                           [(sea.id, 0, "Sea Star", line, sea_leg.origin, sea_leg.destination,
                             scenario.leg_period(transfer, sea_leg))], dropped={"duplicate": 2})
    return replace(routeset, scenario=scenario, legs=legs_with_verdicts(legs, layer), observed=layer)


DAY = dt.date(2023, 9, 8)
