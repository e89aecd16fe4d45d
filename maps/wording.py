"""How numbers, quantities, distances, dates, periods and confidences are written in words.

Every renderer (web map, slides and deck, KML balloons, the legs CSV) and the command line
write these through this module, so that one quantity reads the same everywhere:
``1,234,567 tonnes``, ``0.5 t``, ``7 Sep – 1 Oct 2023``, ``Reported: one credible source``.

English only, and independent of the machine's locale (no ``strftime``). Every function takes
plain values and keyword-only options, so that a ``locale`` option can be added later without
changing a caller; the forms follow CLDR's English patterns (``medium`` and ``long`` dates,
date intervals) so that a locale-aware implementation can take their place.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Literal

from routemap.geo.model import Quantity
from routemap.maps.style import CONFIDENCE_STYLES, CONNECTOR_STYLE, PATH_STYLES

__all__ = [
    "ASSUMED",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "DateForm",
    "as_of",
    "assumed_ends",
    "confidence",
    "day",
    "distance",
    "leg_chain",
    "number",
    "off_network",
    "path_confidence",
    "period",
    "place_name",
    "quantity",
    "quantity_claim",
    "quantity_claims",
    "quantity_summary",
    "uncertainty",
]

MONTH_NAMES: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December")
"""English month names, for ``long`` dates."""

MONTH_ABBREVIATIONS: tuple[str, ...] = tuple(name[:3] for name in MONTH_NAMES)
"""English month abbreviations (``Jan`` ... ``Dec``), for ``medium`` dates."""

DateForm = Literal["medium", "long"]
"""A date's form, named as in CLDR: ``medium`` is ``7 Sep 2023``, ``long`` ``7 September 2023``."""

_NAUTICAL_MILE_KM = 1.852
_DASH = "\u2013"
_ARROW = " \u2192 "
ASSUMED = "(assumed)"
"""What follows a place that is the analyst's inference, not a source's, in a chain or title."""


# --- numbers --------------------------------------------------------------------------------


def _finite(value: object) -> float | int | None:
    """Return a finite real number as a Python int or float; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    number_ = float(value)
    return number_ if math.isfinite(number_) else None


def _decimal(value: float | int, decimals: int | None) -> Decimal:
    """Return the value as a Decimal with the digits it has (or rounded), no trailing zeros."""
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if decimals is not None:
        exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))
    else:
        exact = exact.normalize()
    return Decimal(0) if exact.is_zero() else exact  # never "-0"


def number(value: object, *, decimals: int | None = None, grouping: bool = True) -> str | None:
    """Write a number with thousands separators, never in scientific notation.

    Parameters
    ----------
    value : object
        An int or float (numpy scalars too). Anything else, NaN and infinities are missing.
    decimals : int, optional
        Round to at most this many decimals. By default the number keeps the decimals it
        has (the shortest text that reads back as the same float). Trailing zeros are always
        dropped: a whole number has no decimal point.
    grouping : bool
        Separate thousands with ``,`` (default); False for data files that tools parse.

    Returns
    -------
    str or None
        ``1,234,567``, ``0.5``, ``-12.25``; None when the value is missing.

    Examples
    --------
    >>> number(1234567.0)
    '1,234,567'
    >>> number(0.5)
    '0.5'
    >>> number(1234.56, decimals=1, grouping=False)
    '1234.6'
    """
    finite = _finite(value)
    if finite is None:
        return None
    return format(_decimal(finite, decimals), ",f" if grouping else "f")


def quantity(value: object, unit: object = None) -> str | None:
    """Write a quantity: the number as :func:`number` writes it, then the unit as given.

    Parameters
    ----------
    value : object
        The amount (an int or float; anything else is missing).
    unit : object, optional
        The unit exactly as the scenario gives it (``tonnes``, ``t``, ``containers``);
        missing or empty for a bare number.

    Returns
    -------
    str or None
        ``1,234,567 tonnes``, ``0.5 t``; None when the value is missing.
    """
    text = number(value)
    if text is None:
        return None
    return f"{text} {unit}" if _present(unit) else text


def quantity_claim(value: object, unit: object = None, *, qualifier: object = None,
                   high: object = None, basis: object = None, window_start: object = None,
                   window_end: object = None) -> str | None:
    """Write a quantity as a source claims it: qualifier, number or range, unit, then scope.

    Parameters
    ----------
    value : object
        The number (the lower end of a range), exact: ``9000000`` reads ``9,000,000``.
    unit : object, optional
        The unit as the scenario gives it.
    qualifier : object, optional
        ``about``, ``at least``, ``more than`` or ``up to``, written before the number.
    high : object, optional
        The upper end of a range; a range reads ``10,000–20,000``.
    basis : object, optional
        What is counted (``one voyage``); written in brackets after the unit.
    window_start, window_end : object, optional
        The period the count covers, written as :func:`period` writes it, in the brackets.

    Returns
    -------
    str or None
        ``more than 1,000 containers``, ``10,000–20,000 containers``,
        ``about 2,000 containers (one voyage, 7–20 Sep 2023)``; None when the value is missing.
    """
    text = number(value)
    if text is None:
        return None
    top = number(high)
    if top is not None and top != text:
        text = f"{text}{_DASH}{top}"
    if _present(qualifier):
        text = f"{qualifier} {text}"
    if _present(unit):
        text = f"{text} {unit}"
    scope = [str(b) for b in (basis, period(window_start, window_end)) if _present(b)]
    return f"{text} ({', '.join(scope)})" if scope else text


def _claim(claim: Quantity, *, unit: bool = True, scope: bool = True) -> str | None:
    window = claim.window if scope else None
    return quantity_claim(claim.value, claim.unit if unit else None, qualifier=claim.qualifier,
                          high=claim.max, basis=claim.basis if scope else None,
                          window_start=window.start if window else None,
                          window_end=window.end if window else None)


def quantity_claims(claims: Sequence[Quantity], *, publishers: Mapping[str, str] | None = None,
                    short: bool = False) -> str | None:
    """Write a transfer's quantity: one claim, or every claim when sources disagree.

    Disagreeing figures are never reduced to one: the text gives the span they cover, says
    that sources disagree, and lists each figure with the source it is from, in file order.

    Parameters
    ----------
    claims : sequence of Quantity
        A transfer's ``quantity_claims``.
    publishers : mapping of str to str, optional
        Source id to the name to write after ``per`` (the publisher); an unknown id is
        written as given.
    short : bool
        The form for a title or subtitle: no basis or window, and disagreeing figures as
        their span only (``10,000–20,000 containers, sources disagree``), or, in different
        units, each figure without its source.

    Returns
    -------
    str or None
        ``more than 1,000 containers``, or ``10,000–20,000 containers, sources disagree:
        10,000 (whole flow) per RUSI; 20,000 (whole flow) per Reuters``; None for no claim.
    """
    if not claims:
        return None
    if len({(c.value, c.max, c.unit) for c in claims}) == 1:
        return _claim(claims[0], scope=not short)
    names = publishers or {}
    units = {c.unit for c in claims}
    if short and len(units) > 1:
        return "sources disagree: " + "; ".join(str(_claim(c, scope=False)) for c in claims)
    if short:
        low = min(c.value for c in claims)
        top = max(c.max if c.max is not None else c.value for c in claims)
        return f"{quantity_claim(low, next(iter(units)), high=top)}, sources disagree"
    each = "; ".join(f"{_claim(c, unit=len(units) > 1)} per {names.get(c.source, c.source)}"
                     if c.source else str(_claim(c, unit=len(units) > 1)) for c in claims)
    if len(units) > 1:
        return f"sources disagree: {each}"
    low = min(c.value for c in claims)
    top = max(c.max if c.max is not None else c.value for c in claims)
    return f"{quantity_claim(low, next(iter(units)), high=top)}, sources disagree: {each}"


def quantity_summary(props: Mapping[str, object]) -> str | None:
    """Write the short form of a record's quantity claim, for a title or subtitle.

    Parameters
    ----------
    props : mapping
        A leg or transfer record (or frame row) with the ``quantity_*`` and
        ``quantities_disagree`` properties of ``routemap.routes.schema``; missing ones are absent.

    Returns
    -------
    str or None
        ``more than 1,000 containers``, ``10,000–20,000 containers``, ``10,000–20,000
        containers, sources disagree`` (or ``sources disagree on the quantity`` when their units
        differ); None when there is no quantity. Basis and window are left to the full form
        (``quantity_text``).
    """
    text = quantity_claim(props.get("quantity_value"), props.get("quantity_unit"),
                          qualifier=None if _flag(props.get("quantities_disagree"))
                          else props.get("quantity_qualifier"), high=props.get("quantity_max"))
    if not _flag(props.get("quantities_disagree")):
        return text
    return f"{text}, sources disagree" if text else "sources disagree on the quantity"


def distance(km: object, *, decimals: int | None = 0, nautical: bool = False) -> str | None:
    """Write a distance in kilometres, optionally with nautical miles.

    Parameters
    ----------
    km : object
        The distance in kilometres (an int or float; anything else is missing).
    decimals : int or None
        Round to at most this many decimals (default whole kilometres); None keeps the
        decimals the value has, as :func:`number` does.
    nautical : bool
        Add the distance in nautical miles, whole, in brackets.

    Returns
    -------
    str or None
        ``1,234 km``, or ``1,234 km (666 nmi)``; None when the distance is missing.
    """
    finite = _finite(km)
    if finite is None:
        return None
    text = f"{number(finite, decimals=decimals)} km"
    return f"{text} ({number(finite / _NAUTICAL_MILE_KM, decimals=0)} nmi)" if nautical else text


def off_network(km: object) -> str | None:
    """Write how much of a leg's line is off the network, with what that stretch is.

    Parameters
    ----------
    km : object
        The leg's ``off_network_km``.

    Returns
    -------
    str or None
        ``41.1 km: straight join, not track`` (``routemap.maps.style.CONNECTOR_STYLE``'s
        meaning); None when missing or zero.
    """
    finite = _finite(km)
    if finite is None or finite <= 0:
        return None
    return f"{distance(finite, decimals=1)}: {CONNECTOR_STYLE.meaning}"


def uncertainty(km: object) -> str | None:
    """Write how far a place may be from where it is drawn: ``± 10 km``.

    Parameters
    ----------
    km : object
        The radius in kilometres, with the decimals it has.

    Returns
    -------
    str or None
        ``± 10 km``, ``± 2.5 km``; None when the radius is missing or zero.
    """
    text = distance(km, decimals=None) if km else None
    return f"\u00b1 {text}" if text else None


# --- dates ----------------------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    """Return a date from a date, datetime or ISO text (first 10 characters); else None."""
    if isinstance(value, dt.datetime):  # pandas.Timestamp too
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        return dt.date.fromisoformat(value.strip()[:10])
    return None


def _written(day_: dt.date, form: DateForm, *, year: bool = True) -> str:
    """Return ``7 Sep 2023`` (or ``7 September 2023``; without the year if told)."""
    month = (MONTH_NAMES if form == "long" else MONTH_ABBREVIATIONS)[day_.month - 1]
    return f"{day_.day} {month} {day_.year}" if year else f"{day_.day} {month}"


def day(value: object, *, form: DateForm = "medium") -> str | None:
    """Write a date as day, month and year.

    Parameters
    ----------
    value : object
        A ``datetime.date``, a ``datetime`` (pandas Timestamps too) or ISO text
        (``2023-09-07``, a time after the date is ignored); anything else is missing.
    form : {"medium", "long"}
        ``medium`` abbreviates the month (``7 Sep 2023``); ``long`` writes it out
        (``7 September 2023``).

    Returns
    -------
    str or None
        The date in words; None when missing.

    Raises
    ------
    ValueError
        If text is not an ISO date.
    """
    found = _date(value)
    return _written(found, form) if found else None


def period(start: object, end: object, *, form: DateForm = "medium") -> str | None:
    """Write a period as a date interval, saying each month and year only once where shared.

    Parameters
    ----------
    start, end : object
        The first and last day, each as :func:`day` takes it; either may be missing.
    form : {"medium", "long"}
        The form of the dates, as in :func:`day`.

    Returns
    -------
    str or None
        ``7 Sep 2023`` (one day), ``7–21 Sep 2023`` (one month), ``7 Sep – 1 Oct 2023``
        (one year), ``7 Sep 2023 – 1 Oct 2024``; ``from 7 Sep 2023`` or ``until 1 Oct 2023``
        when one end is missing; None when both are.

    Raises
    ------
    ValueError
        If text is not an ISO date.
    """
    first, last = _date(start), _date(end)
    if first is None:
        return f"until {_written(last, form)}" if last else None
    if last is None:
        return f"from {_written(first, form)}"
    if first == last:
        return _written(first, form)
    if first.year != last.year:
        return f"{_written(first, form)} {_DASH} {_written(last, form)}"
    if first.month != last.month:
        return f"{_written(first, form, year=False)} {_DASH} {_written(last, form)}"
    return f"{first.day}{_DASH}{_written(last, form)}"


def as_of(value: object) -> str | None:
    """Write the date a scenario's picture holds for: ``As of 1 October 2025``.

    Parameters
    ----------
    value : object
        The date, as :func:`day` takes it.

    Returns
    -------
    str or None
        The sentence with a ``long`` date; None when the date is missing.
    """
    found = day(value, form="long")
    return f"As of {found}" if found else None


# --- confidence -----------------------------------------------------------------------------


def confidence(key: object, *, explain: bool = False) -> str | None:
    """Write a confidence level by its label, optionally with what it means.

    Parameters
    ----------
    key : object
        A confidence key of ``routemap.maps.style.CONFIDENCE_STYLES`` (``reported``, ...).
        An unknown key is written as given.
    explain : bool
        Add the meaning after a colon.

    Returns
    -------
    str or None
        ``Reported``, or ``Reported: one credible source``; None when the key is missing.
    """
    return _styled(CONFIDENCE_STYLES, key, explain=explain)


def path_confidence(key: object, *, explain: bool = False) -> str | None:
    """Write the certainty of a leg's drawn line, optionally with what it means.

    Parameters
    ----------
    key : object
        A key of ``routemap.maps.style.PATH_STYLES`` (``reported``, ``estimated``); an
        unknown key is written as given.
    explain : bool
        Add the meaning after a colon.

    Returns
    -------
    str or None
        ``Line estimated``, or ``Line estimated: modelled along the network or a great circle,
        not given by a source``; None when the key is missing.
    """
    return _styled(PATH_STYLES, key, explain=explain)


def _styled(table: Mapping[str, Any], key: object, *, explain: bool) -> str | None:
    """Write a style table entry's label (and meaning); an unknown key as given, None if missing."""
    if not _present(key):
        return None
    style = table.get(key) if isinstance(key, str) else None
    if style is None:
        return str(key)
    return f"{style.label}: {style.meaning}" if explain else style.label


def _flag(value: object) -> bool:
    """Return True only for a true boolean cell (missing, NaN and text are False)."""
    try:
        return _present(value) and not isinstance(value, str) and bool(value)
    except (TypeError, ValueError):
        return False


def place_name(name: object, assumed: object = False) -> str:
    """Write a place's name, marked when it is the analyst's inference: ``Dunai (assumed)``."""
    return f"{name} {ASSUMED}" if _flag(assumed) else str(name)


def assumed_ends(origin_assumed: object, destination_assumed: object) -> str | None:
    """Write which ends of a leg are the analyst's inference, not a source's.

    Returns
    -------
    str or None
        ``Origin assumed``, ``Destination assumed`` or ``Origin and destination assumed``,
        followed by ``(the analyst's inference, not a source's)``; None when neither is.
    """
    ends = [e for e, flag in (("origin", origin_assumed), ("destination", destination_assumed))
            if _flag(flag)]
    if not ends:
        return None
    return f"{' and '.join(ends).capitalize()} assumed (the analyst's inference, not a source's)"


def leg_chain(legs: Iterable[tuple[object, object, object, object]], *,
              arrow: str = _ARROW) -> str:
    """Write a transfer's places in order, marking every end that is assumed.

    A place where one leg ends and the next begins is written once, and is assumed when
    either leg says so: ``Rajin → Vostochny (assumed) → Yegorlykskaya``.

    Parameters
    ----------
    legs : iterable of (from_name, to_name, origin_assumed, destination_assumed)
        The legs in order, with the names to write (already shortened, if wanted) and the
        ``origin_assumed`` and ``destination_assumed`` flags of the records (missing is False).
    arrow : str
        What joins two places.

    Returns
    -------
    str
        The chain; empty for no legs.
    """
    names: list[str] = []
    assumed: list[bool] = []
    for origin, destination, origin_assumed, destination_assumed in legs:
        if not names or names[-1] != str(origin):
            names.append(str(origin))
            assumed.append(False)
        assumed[-1] = assumed[-1] or _flag(origin_assumed)
        if names[-1] == str(destination):
            assumed[-1] = assumed[-1] or _flag(destination_assumed)
            continue
        names.append(str(destination))
        assumed.append(_flag(destination_assumed))
    return arrow.join(f"{n} {ASSUMED}" if a else n for n, a in zip(names, assumed, strict=True))


def _present(value: object) -> bool:
    """Return True unless the value is None, empty text or a float NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return not (isinstance(value, str) and not value.strip())
