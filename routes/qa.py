"""Leg QA: the findings about a routed leg (snaps, countries, land, speed) and the km they measure."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from routemap.routes.geodesy import GEOD, geodesic_length_km
from routemap.routes.leg import Finding, LegRequest

if TYPE_CHECKING:
    from routemap.geo.model import Period

__all__ = [
    "DETOUR_WARNING_RATIO",
    "LAND_WARNING_KM",
    "MAX_SPEED_KMH",
    "OUTSIDE_WARNING_KM",
    "SNAP_WARNING_KM",
    "country_findings",
    "detour_findings",
    "detour_ratio",
    "inland_findings",
    "km_by_country",
    "km_outside_countries",
    "land_finding",
    "sea_snap_finding",
    "snap_findings",
    "speed_findings",
]

log = logging.getLogger(__name__)

#: ``snap_distance`` above this is a warning (and, on rail and road, a via that was missed).
SNAP_WARNING_KM = 10.0
#: ``km_outside_within``, ``km_in_avoided`` and third countries crossed above this are warnings.
OUTSIDE_WARNING_KM = 0.5
#: ``km_over_land`` above this is a warning.
LAND_WARNING_KM = 0.5
#: Fastest plausible average speed per mode, door to door; faster implied speeds are flagged.
MAX_SPEED_KMH: dict[str, float] = {"sea": 45.0, "rail": 90.0, "road": 90.0, "air": 900.0}
#: A routed leg longer than this many times the great circle between its ends is a warning.
#:
#: The thresholds are issue 14's. Real routes seldom come near them: road distance between
#: city pairs runs about 1.1-1.4 times the straight line depending on the country (Ballou,
#: Rahardja and Sakai, "Selected country circuity factors for road travel distance
#: estimation", Transportation Research A 36, 2002), commutes about 1.2 (Levinson and
#: El-Geneidy, "The minimum circuity frontier and the journey to work", Regional Science and
#: Urban Economics 39, 2009), and rail follows the same terrain. At sea a continent in the way
#: costs more: Rotterdam to Shanghai through Suez is about 19,500 km for a 8,950 km great
#: circle (2.2), hence the higher sea limit. Above these, the router went round something the
#: story does not mention (a missing link, an ``avoid``, a gap in the network), as Pevek to
#: Provideniya did: 26,931 km for a 920 km great circle. Air legs are great circles and
#: reported paths follow their source, so neither is checked.
DETOUR_WARNING_RATIO: dict[str, float] = {"sea": 3.0, "rail": 2.5, "road": 2.5}


# --- rail and road ----------------------------------------------------------------------------


def snap_findings(
    request: LegRequest, snap_km: Sequence[float], *, warn_km: float = SNAP_WARNING_KM
) -> list[Finding]:
    """Say how far each stop joined the network; a far ``via`` was missed.

    The first and last stops' joins are drawn as connectors, and the messages say so: a far
    end is a warning because a long stretch of the line is not on the network, not because it
    is hidden.

    Parameters
    ----------
    request : LegRequest
        The leg; its ``mode`` names the network in the messages.
    snap_km : sequence of float
        Distance from each stop to where it joined the network, same order as the stops.
    warn_km : float
        Snaps farther than this are warnings.

    Returns
    -------
    list of Finding
        One ``snap_distance`` per stop, and a ``via_missed`` after each far ``via``.
    """
    out = []
    last = len(snap_km) - 1
    for i, (stop, km) in enumerate(zip(request.stops, snap_km, strict=False)):
        far = km > warn_km
        drawn = ", drawn as a straight connector, not as track" if i in (0, last) and km > 0 else ""
        if far:
            log.warning("%s: %s is %.1f km from the %s network%s", request.label, stop.name,
                        km, request.mode, drawn, extra={"finding": "snap_distance"})
        message = f"{stop.name} joined the {request.mode} network {km:.1f} km away{drawn}"
        out.append(Finding("warning" if far else "info", "snap_distance", message, round(km, 3)))
        if far and 0 < i < last:
            out.append(Finding("warning", "via_missed",
                               f"via {stop.name} is {km:.1f} km from the route", round(km, 3)))
    return out


def country_findings(
    request: LegRequest, geometry: object, countries: object | None = None, *,
    warn_km: float = OUTSIDE_WARNING_KM,
) -> list[Finding]:
    """Say where a leg ran: km outside ``within``, km in ``avoid``, or the countries crossed.

    Parameters
    ----------
    request : LegRequest
        The leg with its ``within`` and ``avoid``.
    geometry : shapely LineString or MultiLineString
        The routed lon/lat line.
    countries : geopandas.GeoDataFrame, optional
        Country polygons; default Natural Earth 10m.
    warn_km : float
        Km outside ``within``, inside ``avoid`` or in a third country above this are warnings.

    Returns
    -------
    list of Finding
        ``km_outside_within`` and ``km_in_avoided`` for a constrained leg, else one
        ``countries_crossed``.
    """
    if countries is None:
        from routemap.geo.countries import load_countries

        countries = load_countries()
    if request.within is None and not request.avoid:
        return [_crossing_finding(request, geometry, countries, warn_km)]
    out = []
    if request.within is not None:
        km = km_outside_countries(geometry, countries, keep=request.within)
        out.append(Finding("warning" if km > warn_km else "info", "km_outside_within",
                           f"{km:.1f} km outside {', '.join(request.within)}", round(km, 3)))
    if request.avoid:
        km = km_outside_countries(geometry, countries, only=request.avoid)
        out.append(Finding("warning" if km > warn_km else "info", "km_in_avoided",
                           f"{km:.1f} km inside {', '.join(request.avoid)}", round(km, 3)))
    return out


def _crossing_finding(request: LegRequest, geometry: object, countries: object,
                      warn_km: float) -> Finding:
    """Say which countries an unconstrained leg runs through; warn about third countries."""
    from routemap.geo.countries import country_codes_at

    ends = request.stops[0], request.stops[-1]
    end_codes = set(country_codes_at(countries, np.array([e.lon for e in ends]),
                                     np.array([e.lat for e in ends])))
    per_country = km_by_country(geometry, countries)
    listed = ", ".join(f"{code or '??'} {km:,.0f} km" for code, km in per_country.items())
    third = {c: km for c, km in per_country.items() if c not in end_codes and km > warn_km}
    if not third:
        return Finding("info", "countries_crossed", f"runs through {listed or 'no country'}")
    named = ", ".join(f"{code} ({km:,.0f} km)" for code, km in third.items())
    return Finding("warning", "countries_crossed",
                   f"passes through {named}, where neither end lies; add 'within' or 'avoid' to "
                   f"keep it out (runs through {listed})", round(sum(third.values()), 3))


def km_outside_countries(
    geometry: object,
    countries: object,
    *,
    keep: tuple[str, ...] | None = None,
    only: tuple[str, ...] = (),
) -> float:
    """Return the geodesic km of a line lying inside country polygons it should not enter.

    Parameters
    ----------
    geometry : shapely LineString or MultiLineString
        Lon/lat line.
    countries : geopandas.GeoDataFrame
        ``iso2`` and ``geometry`` columns (see :func:`routemap.geo.countries.read_countries`).
    keep : tuple of str, optional
        Count the km inside every country *not* listed (sea does not count).
    only : tuple of str
        Count the km inside these countries.
    """
    wanted = {c.upper() for c in only}
    allowed = None if keep is None else {c.upper() for c in keep}
    per_country = km_by_country(
        geometry, countries,
        include=lambda code: (allowed is not None and code not in allowed) or code in wanted)
    return sum(per_country.values())


def km_by_country(geometry: object, countries: object, *,
                  include: Callable[[str], bool] | None = None) -> dict[str, float]:
    """Return the geodesic km of a line inside each country it enters, longest first.

    Parameters
    ----------
    geometry : shapely LineString or MultiLineString
        Lon/lat line.
    countries : geopandas.GeoDataFrame
        ``iso2`` and ``geometry`` columns (see :func:`routemap.geo.countries.read_countries`).
    include : callable, optional
        Measure only the countries whose ISO2 code it accepts (measuring a large country's
        polygon is the costly part, so skip those not needed).
    """
    import shapely

    polygons = np.asarray(countries.geometry.values)  # the same shapely objects, without pandas in each call
    codes = countries["iso2"].to_numpy()
    out: dict[str, float] = {}
    # Boxes first, then the codes wanted, then the exact test: testing a line against a large
    # country's polygon costs as much as measuring it, so it is done only for those measured.
    near = shapely.STRtree(polygons).query(geometry)
    if include is not None:
        near = near[np.array([include(str(codes[i])) for i in near], dtype=bool)]
    near = near[shapely.intersects(geometry, polygons[near])]
    for i in near.tolist():
        code = str(codes[i])
        km = GEOD.geometry_length(shapely.intersection(geometry, polygons[i])) / 1000.0
        if km > 0:
            out[code] = out.get(code, 0.0) + km
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


# --- sea --------------------------------------------------------------------------------------


def sea_snap_finding(name: str, km: float, *, on_lanes: bool) -> Finding:
    """Say how far a stop joined the sea: open water, or the lanes themselves (rivers).

    Parameters
    ----------
    name : str
        The stop's name.
    km : float
        Distance from the stop to where it joined.
    on_lanes : bool
        True when it joined a lane node rather than open water.
    """
    joined = "the sea lanes" if on_lanes else "open water"
    return Finding(
        level="warning" if km > SNAP_WARNING_KM else "info",
        code="snap_distance",
        message=f"{name}: joins {joined} {km:.1f} km away",
        value=km,
    )


def land_finding(km: float, *, end_zone_km: float) -> Finding:
    """Say how many km of a sea leg cross land beyond ``end_zone_km`` of its stops."""
    return Finding(
        level="warning" if km > LAND_WARNING_KM else "info",
        code="km_over_land",
        message=f"{km:.1f} km over land (Natural Earth 10m) beyond {end_zone_km:g} km of the stops",
        value=km,
    )


def inland_findings(km: float) -> tuple[Finding, ...]:
    """Note the km a sea leg runs on canals or rivers drawn as land (none when there are none)."""
    if km <= 0:
        return ()
    return (
        Finding(
            level="info",
            code="km_inland_waterway",
            message=f"{km:.0f} km on canals or inland waterways that Natural Earth draws as land",
            value=km,
        ),
    )


# --- every mode -------------------------------------------------------------------------------


def speed_findings(mode: str, distance_km: float, period: Period | None) -> list[Finding]:
    """Flag a leg whose period is too short for its distance.

    Parameters
    ----------
    mode : str
        The leg's mode (a key of :data:`MAX_SPEED_KMH`).
    distance_km : float
        The routed length.
    period : Period or None
        The leg's period (its own, else its transfer's); no finding without one.

    Returns
    -------
    list of Finding
        One ``speed`` finding, or none.
    """
    if period is None:
        return []
    hours = ((period.end - period.start).days + 1) * 24.0
    speed = distance_km / hours
    limit = MAX_SPEED_KMH[mode]
    basis = f"{distance_km:,.0f} km in {hours / 24:g} day(s)"
    if speed > limit:
        return [Finding("warning", "speed", f"{basis} implies at least {speed:.0f} km/h, faster "
                        f"than {limit:.0f} km/h plausible for {mode}", speed)]
    if speed < 0.05:
        return [Finding("info", "speed", f"{basis}: an average under 0.1 km/h, so the period "
                        "sets no bound on the speed", speed)]
    return [Finding("info", "speed", f"{basis} implies at least {speed:.1f} km/h on average", speed)]


def detour_ratio(distance_km: float, start: tuple[float, float], end: tuple[float, float]) -> float | None:
    """Return a leg's length over the geodesic length between its two ends (lon, lat).

    Parameters
    ----------
    distance_km : float
        The leg's length as routed or drawn.
    start, end : tuple of float
        The leg's first and last stop, (lon, lat) in degrees.

    Returns
    -------
    float or None
        The ratio, rounded to 3 decimals; None when the two ends coincide.
    """
    direct = geodesic_length_km([start, end])
    return round(distance_km / direct, 3) if direct > 0 else None


def detour_findings(mode: str, geometry_kind: str, distance_km: float,
                    ratio: float | None) -> list[Finding]:
    """Warn about a routed leg far longer than the great circle between its ends.

    Parameters
    ----------
    mode : str
        The leg's mode; modes missing from :data:`DETOUR_WARNING_RATIO` are never flagged.
    geometry_kind : str
        ``routed`` legs are checked; great circles and reported paths are not.
    distance_km : float
        The leg's length.
    ratio : float or None
        Its :func:`detour_ratio` (None when the ends coincide: nothing to compare with).

    Returns
    -------
    list of Finding
        One ``detour`` warning, or none.
    """
    limit = DETOUR_WARNING_RATIO.get(mode)
    if limit is None or ratio is None or geometry_kind != "routed" or ratio <= limit:
        return []
    direct = distance_km / ratio
    return [Finding("warning", "detour",
                    f"{distance_km:,.0f} km routed for {direct:,.0f} km between the ends: "
                    f"{ratio:.2f} times the great circle, more than the {limit:g} expected of "
                    f"{mode}; check the route for a missing link or add a via", ratio)]
