"""How numbers, quantities, distances, dates, periods and confidences are written in words.

Every renderer (web map, slides and deck, KML balloons, the legs CSV) and the command line
write these through this module, so that one quantity reads the same everywhere:
``1,234,567 tonnes``, ``0.5 t``, ``7 Sep – 1 Oct 2023``, ``Reported: one credible source``.

Every function takes the keyword ``language`` (a :class:`routemap.maps.language.Language`;
None is English) and writes its words through that language's catalog, its numbers with its
separators and its dates, months and periods with its CLDR patterns (Babel). English keeps the
forms every output had before languages (``7 Sep 2023``, ``7 Sep – 1 Oct 2023``: CLDR's ``en``
month names in hand-set day-month-year order). Nothing reads the machine's locale (no
``strftime``), so one scenario gives the same bytes everywhere.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from babel.numbers import format_decimal

from routemap.geo.model import Quantity
from routemap.maps.dates import (
    DateForm,
    as_of,
    day,
    in_language,
    is_english,
    month,
    period,
)
from routemap.maps.language import Language
from routemap.maps.style import CONFIDENCE_STYLES, CONNECTOR_STYLE, PATH_STYLES

__all__ = [
    "ASSUMED",
    "DateForm",
    "as_of",
    "assumed_ends",
    "confidence",
    "dated_text",
    "day",
    "distance",
    "leg_chain",
    "month",
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

_NAUTICAL_MILE_KM = 1.852
_DASH = "\u2013"
_ARROW = " \u2192 "
ASSUMED = "(assumed)"
"""What follows a place that is the analyst's inference, not a source's, in a chain or title
(the English message id; :func:`place_name` and :func:`leg_chain` write it in a language)."""


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


def number(value: object, *, decimals: int | None = None, grouping: bool = True,
           language: Language | None = None) -> str | None:
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
        Separate thousands (default); False for data files that tools parse.
    language : Language, optional
        Whose separators to use (default English: ``1,234.5``; French ``1 234,5`` with a
        narrow no-break space, German ``1.234,5``).

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
    exact = _decimal(finite, decimals)
    if is_english(language):
        return format(exact, ",f" if grouping else "f")
    assert language is not None
    places = max(0, -int(exact.as_tuple().exponent))
    if grouping:
        return language.number(int(exact) if places == 0 else float(exact), decimals=places)
    pattern = "0" + ("." + "0" * places if places else "")
    return format_decimal(exact, format=pattern, locale=language.locale)


def quantity(value: object, unit: object = None, *, language: Language | None = None) -> str | None:
    """Write a quantity: the number as :func:`number` writes it, then the unit as given.

    Parameters
    ----------
    value : object
        The amount (an int or float; anything else is missing).
    unit : object, optional
        The unit exactly as the scenario gives it (``tonnes``, ``t``, ``containers``);
        missing or empty for a bare number.
    language : Language, optional
        The language of the number (the unit is written as the scenario gives it).

    Returns
    -------
    str or None
        ``1,234,567 tonnes``, ``0.5 t``; None when the value is missing.
    """
    text = number(value, language=language)
    if text is None:
        return None
    return f"{text} {unit}" if _present(unit) else text


def quantity_claim(value: object, unit: object = None, *, qualifier: object = None,
                   high: object = None, basis: object = None, window_start: object = None,
                   window_end: object = None, language: Language | None = None) -> str | None:
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
    language : Language, optional
        The language of the qualifier, numbers and dates (unit and basis are the scenario's).

    Returns
    -------
    str or None
        ``more than 1,000 containers``, ``10,000–20,000 containers``,
        ``about 2,000 containers (one voyage, 7–20 Sep 2023)``; None when the value is missing.
    """
    text = number(value, language=language)
    if text is None:
        return None
    top = number(high, language=language)
    if top is not None and top != text:
        text = f"{text}{_DASH}{top}"
    if _present(unit):
        text = f"{text} {unit}"
    if _present(qualifier):
        text = _qualified(qualifier, text, in_language(language))
    written = period(window_start, window_end, language=language)
    scope = [str(b) for b in (basis, written) if _present(b)]
    return f"{text} ({', '.join(scope)})" if scope else text


def _qualified(qualifier: object, text: str, language: Language) -> str:
    """Write a number and unit after the scenario's qualifier (an unknown one as given)."""
    qualifiers: dict[str, Callable[[], str]] = {
        "about": lambda: language.gettext("about {quantity}"),
        "at least": lambda: language.gettext("at least {quantity}"),
        "more than": lambda: language.gettext("more than {quantity}"),
        "up to": lambda: language.gettext("up to {quantity}"),
    }
    message = qualifiers.get(str(qualifier))
    return message().format(quantity=text) if message else f"{qualifier} {text}"


def _claim(claim: Quantity, *, unit: bool = True, scope: bool = True,
           language: Language | None = None) -> str | None:
    window = claim.window if scope else None
    return quantity_claim(claim.value, claim.unit if unit else None, qualifier=claim.qualifier,
                          high=claim.max, basis=claim.basis if scope else None,
                          window_start=window.start if window else None,
                          window_end=window.end if window else None, language=language)


def quantity_claims(claims: Sequence[Quantity], *, publishers: Mapping[str, str] | None = None,
                    short: bool = False, language: Language | None = None) -> str | None:
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
    language : Language, optional
        The language of the words, numbers and dates.

    Returns
    -------
    str or None
        ``more than 1,000 containers``, or ``10,000–20,000 containers, sources disagree:
        10,000 (whole flow) per RUSI; 20,000 (whole flow) per Reuters``; None for no claim.
    """
    if not claims:
        return None
    if len({(c.value, c.max, c.unit) for c in claims}) == 1:
        return _claim(claims[0], scope=not short, language=language)
    words = in_language(language)
    names = publishers or {}
    units = {c.unit for c in claims}
    if short and len(units) > 1:
        each = words.series(str(_claim(c, scope=False, language=language)) for c in claims)
        return words.gettext("sources disagree: {claims}").format(claims=each)
    low = min(c.value for c in claims)
    top = max(c.max if c.max is not None else c.value for c in claims)
    span = quantity_claim(low, next(iter(units)), high=top, language=language)
    if short:
        return words.gettext("{quantity}, sources disagree").format(quantity=span)
    each = words.series(_per_source(c, names, unit=len(units) > 1, language=language) for c in claims)
    if len(units) > 1:
        return words.gettext("sources disagree: {claims}").format(claims=each)
    return words.gettext("{quantity}, sources disagree: {claims}").format(quantity=span, claims=each)


def _per_source(claim: Quantity, publishers: Mapping[str, str], *, unit: bool,
                language: Language | None) -> str:
    """Write one claim with the source it is from: ``10,000 (whole flow) per RUSI``."""
    text = str(_claim(claim, unit=unit, language=language))
    if not claim.source:
        return text
    source = publishers.get(claim.source, claim.source)
    return in_language(language).gettext("{claim} per {source}").format(claim=text, source=source)


def quantity_summary(props: Mapping[str, object], *, language: Language | None = None) -> str | None:
    """Write the short form of a record's quantity claim, for a title or subtitle.

    Parameters
    ----------
    props : mapping
        A leg or transfer record (or frame row) with the ``quantity_*`` and
        ``quantities_disagree`` properties of ``routemap.routes.schema``; missing ones are absent.
    language : Language, optional
        The language of the words and numbers.

    Returns
    -------
    str or None
        ``more than 1,000 containers``, ``10,000–20,000 containers``, ``10,000–20,000
        containers, sources disagree`` (or ``sources disagree on the quantity`` when their units
        differ); None when there is no quantity. Basis and window are left to the full form
        (``quantity_text``).
    """
    disagree = _flag(props.get("quantities_disagree"))
    text = quantity_claim(props.get("quantity_value"), props.get("quantity_unit"),
                          qualifier=None if disagree else props.get("quantity_qualifier"),
                          high=props.get("quantity_max"), language=language)
    if not disagree:
        return text
    words = in_language(language)
    if text:
        return words.gettext("{quantity}, sources disagree").format(quantity=text)
    return words.gettext("sources disagree on the quantity")


def distance(km: object, *, decimals: int | None = 0, nautical: bool = False,
             language: Language | None = None) -> str | None:
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
    language : Language, optional
        The language of the numbers and unit symbols.

    Returns
    -------
    str or None
        ``1,234 km``, or ``1,234 km (666 nmi)``; None when the distance is missing.
    """
    finite = _finite(km)
    if finite is None:
        return None
    words = in_language(language)
    text = words.gettext("{distance} km").format(distance=number(finite, decimals=decimals,
                                                                 language=language))
    if not nautical:
        return text
    miles = finite / _NAUTICAL_MILE_KM
    count = int(_decimal(miles, 0))
    written = words.ngettext("{distance} nmi", "{distance} nmi", count).format(
        distance=number(miles, decimals=0, language=language))
    return f"{text} ({written})"


def off_network(km: object, *, language: Language | None = None) -> str | None:
    """Write how much of a leg's line is off the network, with what that stretch is.

    Parameters
    ----------
    km : object
        The leg's ``off_network_km``.
    language : Language, optional
        The language of the distance and the meaning.

    Returns
    -------
    str or None
        ``41.1 km: straight join, not track`` (``routemap.maps.style.CONNECTOR_STYLE``'s
        meaning); None when missing or zero.
    """
    finite = _finite(km)
    if finite is None or finite <= 0:
        return None
    words = in_language(language)
    return words.gettext("{label}: {meaning}").format(
        label=distance(finite, decimals=1, language=language),
        meaning=words.gettext(CONNECTOR_STYLE.meaning))


def uncertainty(km: object, *, language: Language | None = None) -> str | None:
    """Write how far a place may be from where it is drawn: ``± 10 km``.

    Parameters
    ----------
    km : object
        The radius in kilometres, with the decimals it has.
    language : Language, optional
        The language of the distance.

    Returns
    -------
    str or None
        ``± 10 km``, ``± 2.5 km``; None when the radius is missing or zero.
    """
    text = distance(km, decimals=None, language=language) if km else None
    return f"\u00b1 {text}" if text else None


def _dashless(text: str) -> str:
    """Return text with dashes as hyphens and every space (no-break, thin) as none, so that
    two ways of typing one date compare equal."""
    return re.sub(r"[\s\u00a0\u2009\u202f]+", "", re.sub(r"[\u2010-\u2015\u2212]", "-", text))


def dated_text(text: str, when: str | None) -> str:
    """Return a note's text with its period in brackets after it: ``... (8–9 Oct 2024)``.

    The period is left off when the text already states it word for word, dashes and spaces
    aside (``struck on 8-9 Oct 2024`` or ``CSIS (28 Feb 2024): ...``), so that a key, a deck
    note or a film's list never says one date twice. A text that states the date in other
    words (``on the night of 20-21 Sep``) keeps the bracket: only the same written date
    counts.

    Parameters
    ----------
    text : str
        The note as it is printed.
    when : str or None
        Its period as :func:`period` writes it in the output's language; None or empty for
        an undated note.
    """
    if not when or _dashless(when) in _dashless(text):
        return text
    return f"{text} ({when})"


# --- confidence -----------------------------------------------------------------------------


def confidence(key: object, *, explain: bool = False, language: Language | None = None) -> str | None:
    """Write a confidence level by its label, optionally with what it means.

    Parameters
    ----------
    key : object
        A confidence key of ``routemap.maps.style.CONFIDENCE_STYLES`` (``reported``, ...).
        An unknown key is written as given.
    explain : bool
        Add the meaning after a colon.
    language : Language, optional
        The language (default English): ``Signalé : une source crédible``.

    Returns
    -------
    str or None
        ``Reported``, or ``Reported: one credible source``; None when the key is missing.
    """
    return _styled(CONFIDENCE_STYLES, key, explain=explain, language=language)


def path_confidence(key: object, *, explain: bool = False,
                    language: Language | None = None) -> str | None:
    """Write the certainty of a leg's drawn line, optionally with what it means.

    Parameters
    ----------
    key : object
        A key of ``routemap.maps.style.PATH_STYLES`` (``reported``, ``estimated``); an
        unknown key is written as given.
    explain : bool
        Add the meaning after a colon.
    language : Language, optional
        The language (default English).

    Returns
    -------
    str or None
        ``Line estimated``, or ``Line estimated: modelled along the network or a great circle,
        not given by a source``; None when the key is missing.
    """
    return _styled(PATH_STYLES, key, explain=explain, language=language)


def _styled(table: Mapping[str, Any], key: object, *, explain: bool,
            language: Language | None) -> str | None:
    """Write a style table entry's label (and meaning) in a language; an unknown key as given,
    None if missing. The table's English texts are the message ids."""
    if not _present(key):
        return None
    style = table.get(key) if isinstance(key, str) else None
    if style is None:
        return str(key)
    words = in_language(language)
    label = words.gettext(style.label)
    if not explain:
        return label
    return words.gettext("{label}: {meaning}").format(label=label, meaning=words.gettext(style.meaning))


def _flag(value: object) -> bool:
    """Return True only for a true boolean cell (missing, NaN and text are False)."""
    try:
        return _present(value) and not isinstance(value, str) and bool(value)
    except (TypeError, ValueError):
        return False


def _assumed(name: object, language: Language | None) -> str:
    """Return a name followed by the assumed mark, in a language."""
    return f"{name} {in_language(language).gettext(ASSUMED)}"


def place_name(name: object, assumed: object = False, *, language: Language | None = None) -> str:
    """Write a place's name, marked when it is the analyst's inference: ``Dunai (assumed)``.

    Parameters
    ----------
    name : object
        The name, already in the output's language.
    assumed : object
        The record's assumed flag (missing is False).
    language : Language, optional
        The language of the mark (default English).

    Returns
    -------
    str
        The name, marked if assumed.
    """
    return _assumed(name, language) if _flag(assumed) else str(name)


def assumed_ends(origin_assumed: object, destination_assumed: object, *,
                 language: Language | None = None) -> str | None:
    """Write which ends of a leg are the analyst's inference, not a source's.

    Parameters
    ----------
    origin_assumed, destination_assumed : object
        The leg record's flags (missing is False).
    language : Language, optional
        The language (default English).

    Returns
    -------
    str or None
        ``Origin assumed``, ``Destination assumed`` or ``Origin and destination assumed``,
        followed by ``(the analyst's inference, not a source's)``; None when neither is.
    """
    words = in_language(language)
    origin, destination = _flag(origin_assumed), _flag(destination_assumed)
    if origin and destination:
        return words.gettext("Origin and destination assumed (the analyst's inference, not a source's)")
    if origin:
        return words.gettext("Origin assumed (the analyst's inference, not a source's)")
    if destination:
        return words.gettext("Destination assumed (the analyst's inference, not a source's)")
    return None


def leg_chain(legs: Iterable[tuple[object, object, object, object]], *,
              arrow: str = _ARROW, language: Language | None = None) -> str:
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
    language : Language, optional
        The language of the assumed mark (default English).

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
    return arrow.join(_assumed(n, language) if a else n for n, a in zip(names, assumed, strict=True))


def _present(value: object) -> bool:
    """Return True unless the value is None, empty text or a float NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    return not (isinstance(value, str) and not value.strip())
