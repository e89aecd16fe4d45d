"""Coincidence: when two places are one point as the exports write it, and legs that collapse to one.

A leg is a line from one place to another. When every point it would be drawn through (its ends,
and its vias or its reported path) is the same place, there is no line: no length, no direction,
no geometry an export can write. Such a leg is refused where it is read (``routemap check``,
``build`` and ``route`` alike), never found later by a renderer.

Two places are the same place when they are the same gazetteer entry, or when their coordinates
are equal once rounded to the :data:`EXPORT_DECIMALS` decimals every export keeps (longitude
-180 is 180; at a pole every longitude is one point).
"""

from __future__ import annotations

from collections.abc import Sequence

from routemap.geo.model import Leg, Place

__all__ = ["EXPORT_DECIMALS", "collapsed_leg", "same_place", "same_point"]

#: Decimals of a degree the exports keep (``routemap.maps.records.COORD_DECIMALS``; a test
#: keeps the two equal): 1e-6 degrees, about 0.1 m.
EXPORT_DECIMALS = 6


def _key(lat: float, lon: float) -> tuple[float, float]:
    """Return a point as the exports write it, with the antimeridian and the poles folded."""
    lat_r = round(float(lat), EXPORT_DECIMALS) + 0.0
    lon_r = round(float(lon), EXPORT_DECIMALS) + 0.0
    if abs(lat_r) >= 90.0:
        return (lat_r, 0.0)
    if lon_r == -180.0:
        lon_r = 180.0
    return (lat_r, lon_r)


def same_point(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return True if two (lat, lon) points are one point at the exports' precision.

    Parameters
    ----------
    a, b : tuple of float
        WGS 84 (lat, lon) degrees.

    Returns
    -------
    bool
        Whether both round to the same :data:`EXPORT_DECIMALS`-decimal point.
    """
    return _key(*a) == _key(*b)


def same_place(a: Place, b: Place) -> bool:
    """Return True if two places are one: the same id, or the same point (:func:`same_point`)."""
    return a.id == b.id or same_point((a.lat, a.lon), (b.lat, b.lon))


def _points(leg: Leg) -> list[tuple[float, float]]:
    """Return the (lat, lon) points a leg is drawn through: its ends and its path or its vias."""
    middle: Sequence[tuple[float, float]]
    if leg.path:
        middle = leg.path
    else:
        middle = [(p.lat, p.lon) for p in leg.via]
    ends = [(p.lat, p.lon) for p in (leg.origin, leg.destination) if p is not None]
    return [*ends[:1], *middle, *ends[1:]]


def collapsed_leg(leg: Leg, *, via_key: str = "'via'") -> str | None:
    """Return why a leg draws no line (every point of it one place), or None if it draws one.

    Parameters
    ----------
    leg : Leg
        A leg whose ends are resolved.
    via_key : str, keyword-only
        How the advice names the vias (``--via`` on the command line).

    Returns
    -------
    str or None
        The problem, in the words of a scenario error (without its location), e.g. ``the leg
        (air, Vostochny port -> Vostochny port) starts and ends at the same place, so there is
        no line to draw; ...``.
    """
    origin, destination = leg.origin, leg.destination
    if origin is None or destination is None or not same_place(origin, destination):
        return None
    points = _points(leg)
    if not all(same_point(points[0], p) for p in points):
        return None  # a round trip: out through a via or a path point, and back
    named = f"leg ({leg.mode}, {origin.name} -> {destination.name})"
    where = ("at the same place" if origin.id == destination.id else
             f"at the same point (equal to {EXPORT_DECIMALS} decimals of a degree, the precision "
             "of the exports)")
    extra = ""
    if leg.path:
        extra = " and every point of its path is there too"
    elif leg.via:
        extra = " and every via is there too"
    return (f"the {named} starts and ends {where}{extra}, so there is no line to draw; give the "
            f"two places it moved between, or the places it passed through in {via_key} (a stay "
            "at one place is an annotation)")
