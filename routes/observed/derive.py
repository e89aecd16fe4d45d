"""The single-process derivation: cleaned AIS positions to trajectories, gaps, port calls, encounters."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from routemap.routes.observed.encounters import close_pairs, marks, meetings
from routemap.routes.observed.ports import PortIndex
from routemap.routes.observed.rules import Rules
from routemap.routes.observed.vessels import Fixes, gaps, port_calls, trajectories

__all__ = ["Observations", "derive", "derive_rules", "sort_observations"]


@dataclass(frozen=True)
class Observations:
    """What AIS positions show, as four GeoDataFrames in EPSG:4326 (columns in ``docs/observe.md``).

    Attributes
    ----------
    trajectories : geopandas.GeoDataFrame
        One row per trajectory, a LineString.
    gaps : geopandas.GeoDataFrame
        One row per dark gap away from ports, the straight LineString from the last to the first position.
    port_calls : geopandas.GeoDataFrame
        One row per port call, the port's Point.
    encounters : geopandas.GeoDataFrame
        One row per pair of vessels and meeting, the Point midway at the closest approach.
    """

    trajectories: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    port_calls: gpd.GeoDataFrame
    encounters: gpd.GeoDataFrame


def derive(positions: pd.DataFrame, ports: gpd.GeoDataFrame, *, gap_hours: float = 6.0, away_km: float = 10.0,
           encounter_m: float = 500.0, encounter_hours: float = 1.0) -> Observations:
    """Derive trajectories, dark gaps, port calls and encounters from cleaned positions.

    Parameters
    ----------
    positions : pandas.DataFrame
        ``AisPositions.positions`` (canonical columns, sorted by ``mmsi`` then ``time``).
    ports : geopandas.GeoDataFrame
        ``port_id``, ``port_name``, Point (``port_frame``).
    gap_hours, away_km, encounter_m, encounter_hours : float
        The thresholds (``Rules``); the others keep their defaults (use ``derive_rules`` to set them).

    Returns
    -------
    Observations
        Rows sorted by vessel, then time.
    """
    rules = Rules(gap_hours=gap_hours, away_km=away_km, encounter_m=encounter_m, encounter_hours=encounter_hours)
    return derive_rules(positions, PortIndex(ports), rules)


def derive_rules(positions: pd.DataFrame, ports: PortIndex, rules: Rules) -> Observations:
    """Derive the four results under any ``Rules`` (``derive`` with every threshold open)."""
    fixes = Fixes.of(positions, ports, rules)
    pairs = close_pairs(marks(fixes, rules), rules)
    return sort_observations(Observations(trajectories(fixes, rules), gaps(fixes, rules),
                                          port_calls(fixes, ports, rules), meetings(pairs, rules)))


def sort_observations(found: Observations) -> Observations:
    """Return the four tables in their canonical row order (vessel, then time)."""
    def by(frame: gpd.GeoDataFrame, keys: list[str]) -> gpd.GeoDataFrame:
        return frame.sort_values(keys, kind="stable").reset_index(drop=True)

    return Observations(by(found.trajectories, ["mmsi", "start"]), by(found.gaps, ["mmsi", "start"]),
                        by(found.port_calls, ["mmsi", "arrival"]),
                        by(found.encounters, ["mmsi_a", "mmsi_b", "start"]))
