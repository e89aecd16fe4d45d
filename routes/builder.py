"""Building a RouteSet: each transfer's legs routed on their mode's network, with QA findings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from routemap.errors import UnroutableLegError
from routemap.geo.countries import credit_natural_earth
from routemap.geo.gazetteer import GEONAMES_ATTRIBUTION, SEAROUTE_ATTRIBUTION
from routemap.geo.model import Leg, NetworkAddition, Place, Quantity, Scenario, Transfer
from routemap.geo.network import load_rail_network, load_road_network
from routemap.geo.sealanes import load_sea_network
from routemap.routes import air, overland, qa, sea
from routemap.routes.batch import ModeRouter, Progress, route_requests
from routemap.routes.evidence import observe
from routemap.routes.leg import LegRequest, RoutedLeg, Stop
from routemap.routes.reported import route_reported
from routemap.routes.routecache import RouteCache
from routemap.routes.routeset import LegFinding, RouteSet
from routemap.routes.schema import ANNOTATION_FRAME_COLUMNS, LEG_FRAME_COLUMNS, PLACE_FRAME_COLUMNS

__all__ = ["Router", "build", "default_routers", "leg_request", "quantity_columns"]

log = logging.getLogger(__name__)

Router = Callable[[LegRequest], RoutedLeg]

# Each mode's router, the loader of its bundled network (None: the mode needs no network) and
# its cheap pass (None: nothing to check before routing).
_MODES: dict[str, tuple[Callable[[LegRequest, Any], RoutedLeg], Callable[[], Any] | None,
                        Callable[[LegRequest, Any], None] | None]] = {
    "sea": (sea.route_leg, load_sea_network, sea.check_leg),
    "rail": (overland.route_leg, load_rail_network, overland.check_leg),
    "road": (overland.route_leg, load_road_network, overland.check_leg),
    "air": (air.route_leg, None, None),
}
_ORIGIN_ATTRIBUTION = {"unlocode": SEAROUTE_ATTRIBUTION, "geonames": GEONAMES_ATTRIBUTION}


def default_routers(overrides: Mapping[str, Any] | None = None, *,
                    additions: tuple[NetworkAddition, ...] = ()) -> dict[str, Router]:
    """Return a router per mode, each loading its network on first use.

    Parameters
    ----------
    overrides : mapping, optional
        A network per mode to use instead of the bundled one (e.g. ``{"rail": network}``
        from a user's OSM extract).
    additions : tuple of NetworkAddition, optional
        A scenario's ``network_additions``: each rail or road network gets those of its mode
        joined to it (:func:`routemap.geo.additions.augment`) before its first leg.

    Returns
    -------
    dict
        ``mode -> ModeRouter``: callable as ``router(LegRequest) -> RoutedLeg``, with the cheap
        pass and the data version that batch routing and the route cache use.
    """
    overrides = dict(overrides or {})
    return {mode: ModeRouter(mode, *_MODES[mode][:2], check_leg=_MODES[mode][2],
                             network=overrides.get(mode), additions=tuple(a for a in additions if a.mode == mode))
            for mode in ("sea", "rail", "road", "air")}


def leg_request(transfer: Transfer, leg: Leg, index: int) -> LegRequest:
    """Turn a scenario leg into a routing request, applying the ``within`` default.

    A rail or road leg whose ends lie in the same country stays in that country unless the
    leg says otherwise (SCENARIO.md); other legs are unconstrained.
    """
    within = leg.within
    if within is None and leg.mode in ("rail", "road"):
        same = leg.origin.country and leg.origin.country == leg.destination.country
        within = (leg.origin.country,) if same else None
    stops = tuple(_stop(p) for p in (leg.origin, *leg.via, leg.destination))
    label = f"transfer '{transfer.id}' leg {index + 1} ({leg.mode}, {leg.origin.name} -> {leg.destination.name})"
    return LegRequest(leg.mode, stops, within, tuple(leg.avoid), label)


def _stop(place: Place) -> Stop:
    return Stop(place.id, place.name, place.lat, place.lon)


def build(scenario: Scenario, *, routers: Mapping[str, Router] | None = None,
          progress: Progress | None = None, cache: RouteCache | bool | None = True) -> RouteSet:
    """Route every leg of a scenario.

    Legs are routed together (:func:`routemap.routes.batch.route_requests`): each distinct leg
    once, from the route cache when it holds it, the legs that cannot be routed found by a
    cheap pass before the long work starts.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.
    routers : mapping, optional
        A router per mode (default: :func:`default_routers`).
    progress : callable, optional
        Called as ``progress(done, total, label)`` before each leg routed.
    cache : RouteCache, bool or None
        Where routed legs are kept between builds: True (default) for routemap's cache folder
        unless ``ROUTEMAP_ROUTE_CACHE=off``, False or None for none.

    Returns
    -------
    RouteSet

    Raises
    ------
    UnroutableLegError
        If legs cannot be routed: one line per leg, naming the file, line, transfer and leg.
    """
    routers = dict(routers) if routers is not None else default_routers(
        additions=scenario.network_additions)
    store = RouteCache.default() if cache is True else (cache or None)
    jobs = [(t, i, leg) for t in scenario.transfers for i, leg in enumerate(t.legs)]
    requests = [leg_request(t, leg, i) for t, i, leg in jobs]
    routable = [n for n, (_, _, leg) in enumerate(jobs) if not leg.path]
    outcome = route_requests([requests[n] for n in routable], routers, cache=store, progress=progress)
    routed: list[RoutedLeg | None] = [
        route_reported(requests[n], leg.path) if leg.path else None for n, (_, _, leg) in enumerate(jobs)]
    failures: list[str] = []
    for n, result, failure in zip(routable, outcome.routed, outcome.failures, strict=True):
        routed[n] = result
        if failure is not None:
            transfer, i, leg = jobs[n]
            failures.append(_located(scenario, transfer, leg, i, failure))
    if failures:
        raise UnroutableLegError("\n".join(failures))
    log.debug("%d legs routed, %d from the route cache", outcome.routed_now, outcome.from_cache)
    done = [r for r in routed if r is not None]
    findings = _findings(scenario, jobs, done)
    return observe(RouteSet(
        scenario=scenario,
        legs=_legs_frame(scenario, jobs, done),
        places=_places_frame(scenario),
        annotations=_annotations_frame(scenario),
        findings=findings,
        attributions=_attributions(scenario, done),
    ))


def _located(scenario: Scenario, transfer: Transfer, leg: Leg, index: int, message: str) -> str:
    """Prefix a routing failure with the scenario file, the leg's line and its key path."""
    where = scenario.path or "<scenario>"
    if leg.line is not None:
        where = f"{where}:{leg.line}"
    t_index = scenario.transfers.index(transfer)
    return f"{where}: transfers[{t_index}].legs[{index}]: {message}"


def _legs_frame(scenario: Scenario, jobs: list, routed: list[RoutedLeg]) -> gpd.GeoDataFrame:
    rows = []
    for (transfer, i, leg), result in zip(jobs, routed, strict=False):
        period = scenario.leg_period(transfer, leg)
        sources = scenario.leg_sources(transfer, leg)
        rows.append({
            "feature_id": f"leg:{transfer.id}:{i}", "feature_type": "leg",
            "transfer_id": transfer.id, "transfer_label": transfer.label, "leg_index": i,
            "mode": leg.mode, "from_id": leg.origin.id, "to_id": leg.destination.id,
            "from_name": leg.origin.name, "to_name": leg.destination.name,
            "origin_assumed": leg.origin_assumed, "destination_assumed": leg.destination_assumed,
            "via_ids": [p.id for p in leg.via], "distance_km": round(result.distance_km, 3),
            "detour_ratio": _detour_ratio(leg, result.distance_km),
            "off_network_km": round(result.off_network_km, 3),
            "geometry_kind": result.geometry_kind,
            "path_confidence": scenario.leg_path_confidence(transfer, leg),
            "corridor": leg.corridor.name if leg.corridor else None,
            "confidence": scenario.leg_confidence(transfer, leg), "sources": list(sources),
            "period_start": period.start.isoformat() if period else None,
            "period_end": period.end.isoformat() if period else None,
            "cargo": transfer.cargo, **quantity_columns(transfer.quantity_claims),
            "carrier": leg.carrier, "note": leg.note, "network": result.network,
            "attribution": result.attribution,
            "connectors": [[list(xy) for xy in c.coords] for c in result.connectors],
        })
    return gpd.GeoDataFrame(rows, columns=list(LEG_FRAME_COLUMNS),
                            geometry=[r.geometry for r in routed], crs="EPSG:4326")


def _detour_ratio(leg: Leg, distance_km: float) -> float | None:
    """Return a leg's length over the great-circle length between its two ends (3 decimals),
    or None when the ends coincide."""
    return qa.detour_ratio(distance_km, (leg.origin.lon, leg.origin.lat),
                           (leg.destination.lon, leg.destination.lat))


def quantity_columns(claims: tuple[Quantity, ...]) -> dict[str, Any]:
    """Return a quantity claim as the frame's ``quantity_*`` columns (``quantity_text`` aside).

    One claim gives its own values. Claims that disagree give the span they cover when they
    share a unit (``quantity_value`` the lowest value, ``quantity_max`` the highest end), the
    qualifier, basis and window only where every claim has the same one, and
    ``quantities_disagree`` True when their figures differ; in different units, no value and no unit. No claim: all
    missing, ``quantities_disagree`` False.

    Parameters
    ----------
    claims : tuple of Quantity
        A transfer's ``quantity_claims``.

    Returns
    -------
    dict
        ``quantity_value`` ... ``quantities_disagree`` (dates as ISO text).
    """
    units = {q.unit for q in claims}
    one_unit = len(units) == 1

    def shared(values: list[Any]) -> Any:
        return values[0] if values and all(v == values[0] for v in values) else None

    window = shared([q.window for q in claims])
    high = max((q.max if q.max is not None else q.value for q in claims), default=None)
    low = min((q.value for q in claims), default=None)
    return {
        "quantity_value": low if one_unit else None,
        "quantity_unit": next(iter(units)) if one_unit else None,
        "quantity_qualifier": shared([q.qualifier for q in claims]),
        "quantity_max": high if one_unit and (len(claims) > 1 or claims[0].max is not None) else None,
        "quantity_basis": shared([q.basis for q in claims]),
        "quantity_window_start": window.start.isoformat() if window else None,
        "quantity_window_end": window.end.isoformat() if window else None,
        "quantities_disagree": len({(q.value, q.max, q.unit) for q in claims}) > 1,
    }


def _places_frame(scenario: Scenario) -> gpd.GeoDataFrame:
    rows = [{
        "feature_id": f"place:{p.id}", "feature_type": "place", "place_id": p.id,
        "name": p.name, "kind": p.kind, "country": p.country, "lat": p.lat, "lon": p.lon,
        "uncertainty_km": p.uncertainty_km, "confidence": p.confidence,
        "sources": list(p.sources),
        "note": p.note, "origin": p.origin, "locode": p.locode,
        "attribution": _ORIGIN_ATTRIBUTION.get(p.origin, ""),
    } for p in scenario.places]
    return gpd.GeoDataFrame(rows, columns=list(PLACE_FRAME_COLUMNS),
                            geometry=[Point(p.lon, p.lat) for p in scenario.places], crs="EPSG:4326")


def _annotations_frame(scenario: Scenario) -> gpd.GeoDataFrame:
    labels = {t.id: t.label for t in scenario.transfers}
    rows = [{
        "feature_id": f"annotation:{a.id}", "feature_type": "annotation", "kind": "annotation",
        "annotation_id": a.id, "text": a.text, "place_id": a.at.id, "transfer_id": a.transfer,
        "transfer_label": labels.get(a.transfer) if a.transfer else None,
        "confidence": a.confidence, "sources": list(a.sources),
        "period_start": a.period.start.isoformat() if a.period else None,
        "period_end": a.period.end.isoformat() if a.period else None,
        "attribution": "",
    } for a in scenario.annotations]
    return gpd.GeoDataFrame(rows, columns=list(ANNOTATION_FRAME_COLUMNS),
                            geometry=[Point(a.at.lon, a.at.lat) for a in scenario.annotations],
                            crs="EPSG:4326")


def _findings(scenario: Scenario, jobs: list, routed: list[RoutedLeg]) -> tuple[LegFinding, ...]:
    out: list[LegFinding] = []
    for (transfer, i, leg), result in zip(jobs, routed, strict=False):
        speed = qa.speed_findings(leg.mode, result.distance_km, scenario.leg_period(transfer, leg))
        detour = qa.detour_findings(leg.mode, result.geometry_kind, result.distance_km,
                                    _detour_ratio(leg, result.distance_km))
        for f in (*result.findings, *speed, *detour):
            out.append(LegFinding(transfer.id, i, f.level, f.code, f.message, f.value))
    return tuple(out)


def _attributions(scenario: Scenario, routed: list[RoutedLeg]) -> tuple[str, ...]:
    lines = [r.attribution for r in routed if r.attribution]
    lines += [_ORIGIN_ATTRIBUTION[p.origin] for p in scenario.places if p.origin in _ORIGIN_ATTRIBUTION]
    return credit_natural_earth(lines)
