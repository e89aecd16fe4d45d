"""The observed layer of a route set: a scenario's AIS files read, derived and held against its sea legs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from routemap.geo.gazetteer import Gazetteer, load_gazetteer
from routemap.geo.vessels import ObservationSpec, Vessel
from routemap.routes.verdicts import ObservedLayer, leg_verdicts, vessel_positions

if TYPE_CHECKING:
    from routemap.geo.model import Scenario
    from routemap.routes.routeset import RouteSet

__all__ = ["legs_with_verdicts", "observe", "observed_layer"]

log = logging.getLogger(__name__)

Reader = Callable[[Sequence[Any]], Any]
Deriver = Callable[..., Any]


def _gazetteer_ports(scenario: Scenario, gazetteer: Gazetteer | None) -> gpd.GeoDataFrame:
    """The ports tracks are held against: the scenario's own ports, then the gazetteer's."""
    from routemap.routes.observed.ports import gazetteer_ports, port_frame

    return port_frame(gazetteer_ports((gazetteer or load_gazetteer()).with_places(scenario.places)))


def observed_layer(spec: ObservationSpec, positions: pd.DataFrame, observations: Any,
                   legs: Sequence[tuple], *, dropped: dict[str, int] | None = None) -> ObservedLayer:
    """Keep what concerns the vessels of interest and hold the legs against their tracks.

    Parameters
    ----------
    spec : ObservationSpec
    positions : pandas.DataFrame
        Every cleaned position read (canonical columns of :mod:`routemap.geo.ais`).
    observations : Observations
        :func:`routemap.routes.observed.derive` of those positions.
    legs : sequence of tuple
        The sea legs, as :func:`routemap.routes.verdicts.leg_verdicts` takes them.
    dropped : dict, optional
        The reader's dropped positions by reason.

    Returns
    -------
    ObservedLayer
    """
    owner = _owners(positions, spec.vessels)
    label = owner.get
    trajectories = _tagged(observations.trajectories, observations.trajectories["mmsi"].map(label))
    gaps = _tagged(observations.gaps, observations.gaps["mmsi"].map(label))
    calls = _tagged(observations.port_calls, observations.port_calls["mmsi"].map(label))
    meets = _filed_under_each(observations.encounters, owner)
    meets = _tagged(meets, meets["vessel_mmsi"].map(label))
    verdicts = leg_verdicts(legs, positions, observations.gaps, spec.vessels, thresholds=spec.thresholds)
    return ObservedLayer(spec=spec, trajectories=trajectories, gaps=gaps, port_calls=calls, encounters=meets,
                         verdicts=verdicts, positions=int(positions["mmsi"].isin(owner).sum()),
                         dropped=tuple(sorted((dropped or {}).items())))


def _owners(positions: pd.DataFrame, vessels: Sequence[Vessel]) -> dict[int, str]:
    """Return the vessel of interest (as written) of each MMSI that reported as one."""
    owner: dict[int, str] = {}
    for vessel in vessels:
        for mmsi in vessel_positions(positions, vessel)["mmsi"].unique():
            owner.setdefault(int(mmsi), vessel.label)
    return owner


def _filed_under_each(encounters: gpd.GeoDataFrame, owner: dict[int, str]) -> gpd.GeoDataFrame:
    """Return each meeting once per vessel of interest in it, with that vessel's MMSI in ``vessel_mmsi``
    (a meeting of two vessels of interest is filed under both), in the meetings' order."""
    filed = []
    for side in ("mmsi_a", "mmsi_b"):
        mine = encounters.loc[encounters[side].isin(owner)].copy()
        mine["vessel_mmsi"] = mine[side]
        filed.append(mine)
    both = pd.concat(filed).sort_index(kind="stable")
    return gpd.GeoDataFrame(both, geometry=encounters.geometry.name, crs=encounters.crs)


def _tagged(frame: gpd.GeoDataFrame, vessel: pd.Series) -> gpd.GeoDataFrame:
    """Return the rows that belong to a vessel of interest, with its name in ``vessel``."""
    kept = frame.loc[vessel.notna().to_numpy()].copy()
    kept.insert(0, "vessel", vessel[vessel.notna()].astype(str).to_numpy())
    return kept.reset_index(drop=True)


def observe(routeset: RouteSet, *, read: Reader | None = None, derive: Deriver | None = None,
            gazetteer: Gazetteer | None = None) -> RouteSet:
    """Return the route set with its observed layer, when its scenario has ``observations``.

    Parameters
    ----------
    routeset : RouteSet
    read : callable, optional
        ``read(paths) -> AisPositions`` (default :func:`routemap.geo.ais.read_ais`).
    derive : callable, optional
        ``derive(positions, ports, **thresholds) -> Observations`` (default
        :func:`routemap.routes.observed.derive`).
    gazetteer : Gazetteer, optional
        Whose ports count as ports (default: the built-in one, with the scenario's own ports).

    Returns
    -------
    RouteSet
        The same route set when the scenario has no observations.
    """
    scenario = routeset.scenario
    spec = scenario.observations
    if spec is None:
        return routeset
    if read is None:
        from routemap.geo.ais import read_ais as read
    if derive is None:
        from routemap.routes.observed import derive
    read_result = read(spec.paths)
    t = spec.thresholds
    observations = derive(read_result.positions, _gazetteer_ports(scenario, gazetteer), gap_hours=t.gap_hours,
                          away_km=t.away_km, encounter_m=t.encounter_m, encounter_hours=t.encounter_hours)
    layer = observed_layer(spec, read_result.positions, observations, _sea_legs(routeset),
                           dropped=dict(read_result.dropped))
    log.info("observations: %d positions of %d vessel(s), %d gap(s), %d port call(s), %d encounter(s)",
             layer.positions, len(spec.vessels), len(layer.gaps), len(layer.port_calls), layer.meetings)
    return replace(routeset, observed=layer, legs=legs_with_verdicts(routeset.legs, layer))


def legs_with_verdicts(legs: gpd.GeoDataFrame, layer: ObservedLayer) -> gpd.GeoDataFrame:
    """Return the legs frame with each leg's ``observed_verdict``, if any (its evidence is data of the
    layer's verdicts, written in each output's language by ``routemap.maps.evidence``)."""
    found = [layer.verdict_for(t, int(i)) for t, i in zip(legs["transfer_id"], legs["leg_index"], strict=True)]
    copy = legs.copy()
    copy["observed_verdict"] = pd.Series([v.verdict if v else None for v in found], index=copy.index, dtype=object)
    return copy


def _sea_legs(routeset: RouteSet) -> list[tuple]:
    """The sea legs with a carrier, as ``leg_verdicts`` takes them, in the legs frame's order."""
    scenario = routeset.scenario
    transfers = {t.id: t for t in scenario.transfers}
    found = []
    for row in routeset.legs.itertuples(index=False):
        transfer = transfers[row.transfer_id]
        leg = transfer.legs[int(row.leg_index)]
        if leg.mode == "sea" and leg.carrier:
            found.append((row.transfer_id, int(row.leg_index), leg.carrier, row.geometry, leg.origin,
                          leg.destination, scenario.leg_period(transfer, leg)))
    return found
