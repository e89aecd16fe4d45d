"""Verdicts: what a vessel's own positions (AIS) say about a reported sea leg it is named on.

A sea leg whose ``carrier`` names a vessel of the scenario's ``observations`` is held against
that vessel's positions within the leg's period (whole UTC days, both ends included), with the
thresholds of :class:`routemap.geo.vessels.Thresholds`:

``supports``
    the track passes near both ends (a position within ``away_km`` of each), and no dark gap
    overlaps the period;
``partly``
    the track supports part of the leg: near one end only, or near both with a dark gap in
    the period (the dark stretch is named), or along the line (most positions within
    ``off_route_km`` of it) without reaching either end;
``contradicts``
    the vessel was elsewhere: positions in the period, near neither end, and most of them
    farther than ``off_route_km`` from the leg's line;
``no_data``
    the leg has no period, or the vessel has no position in it (a gap spanning the period is
    named).

The evidence says it in numbers: distances (km, to the ends and to the line), times (UTC), a
gap's length and how far the ship could have gone meanwhile. The verdicts are pure functions of
their inputs: positions and gaps are plain frames (the columns of :mod:`routemap.geo.ais` and
:mod:`routemap.routes.observed`), so a test can feed them directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routemap.geo.vessels import DEFAULT_THRESHOLDS, Thresholds, Vessel, fold_name
from routemap.routes.geodesy import densify_linear

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from routemap.geo.model import Period, Place
    from routemap.geo.vessels import ObservationSpec

__all__ = [
    "VERDICTS",
    "LegVerdict",
    "ObservedLayer",
    "distances_km",
    "leg_verdict",
    "leg_verdicts",
    "utc_window",
    "vessel_positions",
]

VERDICTS: tuple[str, ...] = ("supports", "partly", "contradicts", "no_data")
"""Every verdict, strongest first."""
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), as the haversine of routemap.geo.ais
LINE_STEP_KM = 5.0  # the leg's line is densified to this step, so a distance to it errs by < 2.5 km
_BLOCK = 2048  # positions per block when measuring to the line (memory: block x vertices floats)


@dataclass(frozen=True)
class LegVerdict:
    """What one vessel's positions say about one sea leg.

    Attributes
    ----------
    transfer_id : str
    leg_index : int
        0-based, as in the legs frame.
    vessel : str
        The vessel as written (its name, else ``IMO n``, else ``MMSI n``).
    verdict : str
        One of :data:`VERDICTS`.
    evidence : str
        The numbers behind it, one line.
    gap_starts : tuple of pandas.Timestamp
        The start of each dark gap named in the evidence (to tie the verdict to the gaps drawn).
    """

    transfer_id: str
    leg_index: int
    vessel: str
    verdict: str
    evidence: str
    gap_starts: tuple[pd.Timestamp, ...] = ()

    def __str__(self) -> str:
        return f"{self.transfer_id} leg {self.leg_index + 1}: {self.vessel}: {self.verdict}: {self.evidence}"


@dataclass(frozen=True)
class ObservedLayer:
    """A scenario's observations, read, derived and held against its sea legs.

    Attributes
    ----------
    spec : ObservationSpec
        What the scenario's ``observations`` section says.
    trajectories, gaps, port_calls, encounters : geopandas.GeoDataFrame
        The derivations of :mod:`routemap.routes.observed` for the vessels of interest (an
        encounter is kept when either vessel is one), EPSG:4326, each with a ``vessel`` column
        (the vessel of interest as written; for an encounter, the first of the pair that is
        one, whose MMSI is in ``vessel_mmsi``).
    verdicts : tuple of LegVerdict
        One per sea leg whose carrier names a vessel of interest.
    positions : int
        How many positions of the vessels of interest were read (after cleaning).
    dropped : tuple of (str, int)
        Positions the reader dropped, by reason (``duplicate``, ``impossible_speed``...).
    """

    spec: ObservationSpec
    trajectories: gpd.GeoDataFrame
    gaps: gpd.GeoDataFrame
    port_calls: gpd.GeoDataFrame
    encounters: gpd.GeoDataFrame
    verdicts: tuple[LegVerdict, ...] = ()
    positions: int = 0
    dropped: tuple[tuple[str, int], ...] = ()

    def verdict_for(self, transfer_id: str, leg_index: int) -> LegVerdict | None:
        """Return the verdict on one leg, if its carrier names a vessel of interest."""
        return next((v for v in self.verdicts if (v.transfer_id, v.leg_index) == (transfer_id, leg_index)),
                    None)


def utc_window(period: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return a period as UTC instants: its first day's start, and the end of its last day (excluded)."""
    start = pd.Timestamp(period.start.isoformat(), tz="UTC")
    return start, pd.Timestamp((period.end + dt.timedelta(days=1)).isoformat(), tz="UTC")


def vessel_positions(positions: pd.DataFrame, vessel: Vessel) -> pd.DataFrame:
    """Return the rows of an AIS positions frame that belong to a vessel of interest.

    A row is the vessel's when its ``mmsi`` or ``imo`` is the vessel's; for a vessel given by
    name only, when its ``name`` folds to the vessel's (:func:`routemap.geo.vessels.fold_name`).
    """
    mask = np.zeros(len(positions), dtype=bool)
    if vessel.mmsi is not None:
        mask |= (positions["mmsi"] == vessel.mmsi).to_numpy()
    if vessel.imo is not None and "imo" in positions:
        mask |= (positions["imo"] == vessel.imo).fillna(False).to_numpy(dtype=bool)
    if vessel.mmsi is None and vessel.imo is None and vessel.name and "name" in positions:
        folded = positions["name"].astype("string").fillna("").map(fold_name)
        mask |= (folded == fold_name(vessel.name)).to_numpy()
    return positions.loc[mask]


def distances_km(lats: np.ndarray, lons: np.ndarray, lat: float | np.ndarray, lon: float | np.ndarray
                 ) -> np.ndarray:
    """Return great-circle distances in km (haversine, mean radius), broadcast together."""
    p1, p2 = np.radians(lats), np.radians(lat)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon) - np.asarray(lons))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _line_vertices(line: BaseGeometry) -> np.ndarray:
    """Return the (lon, lat) vertices of a leg's line, densified to :data:`LINE_STEP_KM`."""
    parts = list(getattr(line, "geoms", [line]))
    points = [densify_linear(list(part.coords), step_km=LINE_STEP_KM) for part in parts if not part.is_empty]
    return np.asarray([p for part in points for p in part], dtype=float).reshape(-1, 2)


def _to_line_km(lats: np.ndarray, lons: np.ndarray, line: BaseGeometry) -> np.ndarray:
    """Return each position's distance in km to the nearest point of a leg's line."""
    vertices = _line_vertices(line)
    if len(vertices) == 0:
        return np.full(len(lats), np.inf)
    out = np.empty(len(lats))
    for i in range(0, len(lats), _BLOCK):
        block = slice(i, i + _BLOCK)
        out[block] = distances_km(lats[block, None], lons[block, None], vertices[None, :, 1],
                                  vertices[None, :, 0]).min(axis=1)
    return out


def _time(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _km(value: float) -> str:
    return f"{value:,.1f} km" if value < 100 else f"{value:,.0f} km"


def _nearest(track: pd.DataFrame, place: Place) -> tuple[float, pd.Timestamp]:
    """Return the track's closest distance to a place, and when."""
    d = distances_km(track["lat"].to_numpy(float), track["lon"].to_numpy(float), place.lat, place.lon)
    i = int(np.argmin(d))
    return float(d[i]), track["time"].iloc[i]


def _gap_text(gaps: pd.DataFrame) -> str:
    parts = []
    for gap in gaps.itertuples(index=False):
        reach = f", up to {_km(float(gap.reachable_km))} reachable" if pd.notna(gap.reachable_km) else ""
        hours = float(gap.duration_h)
        parts.append(f"transponder off {hours:,.{0 if hours >= 10 else 1}f} h ({_time(gap.start)} to "
                     f"{_time(gap.end)}){reach}")
    return "; ".join(parts)


def leg_verdict(track: pd.DataFrame, gaps: pd.DataFrame, *, line: BaseGeometry, origin: Place,
                destination: Place, period: Period | None,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[str, str, tuple[pd.Timestamp, ...]]:
    """Hold one sea leg against one vessel's positions and dark gaps.

    Parameters
    ----------
    track : pandas.DataFrame
        The vessel's positions: ``time`` (UTC), ``lat``, ``lon``, any order.
    gaps : pandas.DataFrame
        The vessel's dark gaps: ``start``, ``end`` (UTC), ``duration_h``, ``reachable_km``.
    line : shapely geometry
        The leg's drawn line, lon/lat (a LineString, or a MultiLineString split at 180°).
    origin, destination : Place
        The leg's ends.
    period : Period or None
        The leg's period (its own, else its transfer's).
    thresholds : Thresholds, keyword-only
        ``away_km`` (near an end) and ``off_route_km`` (elsewhere).

    Returns
    -------
    tuple
        ``(verdict, evidence, gap starts named)``; the verdict is one of :data:`VERDICTS`.
    """
    if period is None:
        return "no_data", "the leg has no period to hold the positions against", ()
    start, end = utc_window(period)
    track = track.loc[(track["time"] >= start) & (track["time"] < end)].sort_values("time", kind="stable")
    dark = gaps.loc[(gaps["start"] < end) & (gaps["end"] > start)].sort_values("start", kind="stable")
    named = tuple(dark["start"])
    if track.empty:
        text = f"no position from {period.start} to {period.end}"
        return "no_data", text + (f"; {_gap_text(dark)}" if len(dark) else ""), named
    lats, lons = track["lat"].to_numpy(float), track["lon"].to_numpy(float)
    (d_from, t_from), (d_to, t_to) = _nearest(track, origin), _nearest(track, destination)
    near_from, near_to = d_from <= thresholds.away_km, d_to <= thresholds.away_km
    ends = (f"within {_km(d_from)} of {origin.name} ({_time(t_from)})" if near_from else
            f"{_km(d_from)} from {origin.name} at nearest")
    ends += " and " + (f"within {_km(d_to)} of {destination.name} ({_time(t_to)})" if near_to else
                       f"{_km(d_to)} from {destination.name} at nearest")
    count = f"{len(track):,} position{'s' if len(track) != 1 else ''} in the period"
    if near_from and near_to and dark.empty:
        return "supports", f"{ends}; {count}", ()
    if near_from or near_to:
        return "partly", f"{ends}" + (f"; {_gap_text(dark)}" if len(dark) else f"; {count}"), named
    off = _to_line_km(lats, lons, line)
    far = int((off > thresholds.off_route_km).sum())
    if far * 2 > len(track):
        return "contradicts", (f"{ends}; {far:,} of {count} lie more than {_km(thresholds.off_route_km)} "
                               f"from the leg's line (nearest {_km(float(off.min()))}, farthest "
                               f"{_km(float(off.max()))})"), named
    along = f"{len(track) - far:,} of {count} within {_km(thresholds.off_route_km)} of the line"
    return "partly", f"{ends}; {along}" + (f"; {_gap_text(dark)}" if len(dark) else ""), named


def leg_verdicts(legs: Sequence[tuple[str, int, str | None, BaseGeometry, Place, Place, Period | None]],
                 positions: pd.DataFrame, gaps: pd.DataFrame, vessels: Sequence[Vessel], *,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[LegVerdict, ...]:
    """Hold every sea leg that names a vessel of interest against that vessel's track.

    Parameters
    ----------
    legs : sequence of tuple
        ``(transfer_id, leg_index, carrier, line, origin, destination, period)`` per sea leg,
        in the legs frame's order.
    positions : pandas.DataFrame
        Cleaned AIS positions (``mmsi``, ``imo``, ``name``, ``time``, ``lat``, ``lon``).
    gaps : pandas.DataFrame
        Dark gaps (``mmsi``, ``start``, ``end``, ``duration_h``, ``reachable_km``).
    vessels : sequence of Vessel
        The vessels of interest.
    thresholds : Thresholds, keyword-only

    Returns
    -------
    tuple of LegVerdict
        One per leg whose carrier names a vessel, in the order given.
    """
    found = []
    for transfer_id, index, carrier, line, origin, destination, period in legs:
        vessel = next((v for v in vessels if v.matches(carrier)), None)
        if vessel is None:
            continue
        track = vessel_positions(positions, vessel)
        own_gaps = gaps.loc[gaps["mmsi"].isin(set(track["mmsi"]))]
        verdict, evidence, named = leg_verdict(track, own_gaps, line=line, origin=origin,
                                               destination=destination, period=period,
                                               thresholds=thresholds)
        found.append(LegVerdict(transfer_id, index, vessel.label, verdict, evidence, named))
    return tuple(found)
