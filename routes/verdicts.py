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

The evidence says it in numbers, as data (:class:`Evidence`): the distances to the ends (km) and
when the track came nearest, the positions counted in the period and against the leg's line, each
dark stretch's bounds (UTC), length and how far the ship could have gone meanwhile. It is written in
words by ``routemap.maps.evidence``, in each output's language. The verdicts are pure functions of
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
    "DarkStretch",
    "EndCheck",
    "Evidence",
    "LegVerdict",
    "LineCheck",
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
class EndCheck:
    """How near a vessel's track came to one end of a leg.

    Attributes
    ----------
    place : Place
        The leg's end (its names by language write it).
    distance_km : float
        The track's closest distance to it (haversine, mean radius).
    time : pandas.Timestamp
        When the track was closest (UTC).
    near : bool
        Whether that is within the ``away_km`` threshold.
    """

    place: Place
    distance_km: float
    time: pd.Timestamp
    near: bool


@dataclass(frozen=True)
class LineCheck:
    """Where a track's positions lie against a leg's line.

    Attributes
    ----------
    threshold_km : float
        ``off_route_km``: a position farther than this from the line is off it.
    off : int
        Positions in the period farther than the threshold.
    nearest_km, farthest_km : float
        The nearest and farthest position's distance to the line.
    """

    threshold_km: float
    off: int
    nearest_km: float
    farthest_km: float


@dataclass(frozen=True)
class DarkStretch:
    """A dark gap (transponder off) named in a verdict's evidence.

    Attributes
    ----------
    start, end : pandas.Timestamp
        The last position before the silence and the first after it (UTC).
    duration_h : float
    reachable_km : float or None
        How far the ship could have gone meanwhile (:mod:`routemap.routes.observed`).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    duration_h: float
    reachable_km: float | None


@dataclass(frozen=True)
class Evidence:
    """The numbers behind a verdict, as data; ``routemap.maps.evidence`` writes them in words.

    Attributes
    ----------
    period : tuple of datetime.date, or None
        The leg's period (first and last day); None when the leg has none (nothing was held).
    positions : int
        The vessel's positions in the period.
    ends : tuple of EndCheck
        The origin's check, then the destination's; empty without positions.
    line : LineCheck or None
        The positions against the leg's line, when neither end settles the verdict alone (the
        track reaches neither end) or the verdict is ``contradicts``.
    gaps : tuple of DarkStretch
        The dark gaps overlapping the period, in time order.
    """

    period: tuple[dt.date, dt.date] | None
    positions: int = 0
    ends: tuple[EndCheck, ...] = ()
    line: LineCheck | None = None
    gaps: tuple[DarkStretch, ...] = ()


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
    evidence : Evidence
        The numbers behind it.
    """

    transfer_id: str
    leg_index: int
    vessel: str
    verdict: str
    evidence: Evidence

    @property
    def gap_starts(self) -> tuple[pd.Timestamp, ...]:
        """The start of each dark gap named in the evidence (to tie the verdict to the gaps drawn)."""
        return tuple(g.start for g in self.evidence.gaps)


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
        (the vessel of interest as written). An encounter is filed under each vessel of interest
        in it (twice when both are), that vessel's MMSI in ``vessel_mmsi``.
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

    @property
    def meetings(self) -> int:
        """How many meetings at sea there are (an encounter filed under two vessels counts once)."""
        if self.encounters.empty:
            return 0
        return len(self.encounters.drop_duplicates(["mmsi_a", "mmsi_b", "start"]))

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


def _nearest(track: pd.DataFrame, place: Place, away_km: float) -> EndCheck:
    """Return how near the track came to a place, and when."""
    d = distances_km(track["lat"].to_numpy(float), track["lon"].to_numpy(float), place.lat, place.lon)
    i = int(np.argmin(d))
    return EndCheck(place, float(d[i]), track["time"].iloc[i], bool(d[i] <= away_km))


def _stretches(gaps: pd.DataFrame) -> tuple[DarkStretch, ...]:
    return tuple(DarkStretch(g.start, g.end, float(g.duration_h),
                             float(g.reachable_km) if pd.notna(g.reachable_km) else None)
                 for g in gaps.itertuples(index=False))


def leg_verdict(track: pd.DataFrame, gaps: pd.DataFrame, *, line: BaseGeometry, origin: Place,
                destination: Place, period: Period | None,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> tuple[str, Evidence]:
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
        ``(verdict, evidence)``; the verdict is one of :data:`VERDICTS`.
    """
    if period is None:
        return "no_data", Evidence(None)
    start, end = utc_window(period)
    track = track.loc[(track["time"] >= start) & (track["time"] < end)].sort_values("time", kind="stable")
    dark = _stretches(gaps.loc[(gaps["start"] < end) & (gaps["end"] > start)].sort_values("start", kind="stable"))
    days = (period.start, period.end)
    if track.empty:
        return "no_data", Evidence(days, gaps=dark)
    ends = (_nearest(track, origin, thresholds.away_km), _nearest(track, destination, thresholds.away_km))
    near = sum(e.near for e in ends)
    if near == 2 and not dark:
        return "supports", Evidence(days, len(track), ends)
    if near:
        return "partly", Evidence(days, len(track), ends, gaps=dark)
    off = _to_line_km(track["lat"].to_numpy(float), track["lon"].to_numpy(float), line)
    check = LineCheck(thresholds.off_route_km, int((off > thresholds.off_route_km).sum()), float(off.min()),
                      float(off.max()))
    verdict = "contradicts" if check.off * 2 > len(track) else "partly"
    return verdict, Evidence(days, len(track), ends, check, dark)


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
        verdict, evidence = leg_verdict(track, own_gaps, line=line, origin=origin, destination=destination,
                                        period=period, thresholds=thresholds)
        found.append(LegVerdict(transfer_id, index, vessel.label, verdict, evidence))
    return tuple(found)
