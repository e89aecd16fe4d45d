"""How dates, months and periods are written, in an output's language.

English keeps the forms every output had before languages: ``7 Sep 2023``, ``7 September
2023``, ``7–21 Sep 2023``, ``7 Sep – 1 Oct 2023`` (CLDR's ``en`` month names, set by hand in
day-month-year order and with a spaced en dash). Every other language follows its CLDR
patterns through Babel: the ``yMMMd`` skeleton (``7 sept. 2023``), its long date
(``1er octobre 2025``) and its interval formats (``5–31 oct. 2023``). Nothing reads the
machine's locale. ``routemap.maps.wording`` re-exports these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton

from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language

__all__ = [
    "DateForm",
    "as_of",
    "day",
    "in_language",
    "is_english",
    "month",
    "period",
]

DateForm = Literal["medium", "long"]
"""A date's form, named as in CLDR: ``medium`` is ``7 Sep 2023``, ``long`` ``7 September 2023``."""

_DASH = "\u2013"

_ENGLISH_MONTHS = Locale.parse("en")
"""CLDR's ``en`` month names ("Sep"; ``en_GB`` abbreviates "Sept"), in English dates."""


def in_language(language: Language | None) -> Language:
    """Return the language to write in: English when none is given (``language=None``)."""
    return language if language is not None else load_language(DEFAULT_LANGUAGE)


def is_english(language: Language | None) -> bool:
    """Return True when the text is written in English (the hand-set forms)."""
    return language is None or language.code == DEFAULT_LANGUAGE


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
    """Return an English date: ``7 Sep 2023`` (or ``7 September 2023``; without the year if told)."""
    pattern = ("d MMMM" if form == "long" else "d MMM") + (" y" if year else "")
    return format_date(day_, format=pattern, locale=_ENGLISH_MONTHS)


# French writes the first of a month as an ordinal ("1er oct."); CLDR does not (see Language.date).
_FRENCH_FIRST = re.compile(r"(?<![\d.])1(?=[ \u00a0\u2009\u202f\u2013-])")


def _localized(text: str, language: Language) -> str:
    """Apply what CLDR leaves out: French ``1er`` for the first day of a month."""
    return _FRENCH_FIRST.sub("1er", text) if language.locale.language == "fr" else text


def _in_language(day_: dt.date, form: DateForm, language: Language) -> str:
    """Return a date in a language other than English: CLDR's ``yMMMd`` or its long date."""
    if form == "long":
        return language.date(day_)
    return _localized(format_skeleton("yMMMd", day_, locale=language.locale), language)


def _one_date(day_: dt.date, form: DateForm, language: Language | None) -> str:
    """Return one date in the language's form."""
    if is_english(language):
        return _written(day_, form)
    assert language is not None
    return _in_language(day_, form, language)


def day(value: object, *, form: DateForm = "medium", language: Language | None = None) -> str | None:
    """Write a date as day, month and year.

    Parameters
    ----------
    value : object
        A ``datetime.date``, a ``datetime`` (pandas Timestamps too) or ISO text
        (``2023-09-07``, a time after the date is ignored); anything else is missing.
    form : {"medium", "long"}
        ``medium`` abbreviates the month (``7 Sep 2023``, ``7 sept. 2023``); ``long`` writes
        it out (``7 September 2023``, ``1er octobre 2025``).
    language : Language, optional
        The language (default English).

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
    return _one_date(found, form, language) if found else None


def month(value: object, *, language: Language | None = None) -> str | None:
    """Write a date's month and year, short: ``Sep 2023``, ``sept. 2023``, ``Sept. 2023``.

    Parameters
    ----------
    value : object
        A date, as :func:`day` takes it.
    language : Language, optional
        The language (default English).

    Returns
    -------
    str or None
        The month and year; None when missing.
    """
    found = _date(value)
    return in_language(language).month(found) if found else None


def period(start: object, end: object, *, form: DateForm = "medium",
           language: Language | None = None) -> str | None:
    """Write a period as a date interval, saying each month and year only once where shared.

    Parameters
    ----------
    start, end : object
        The first and last day, each as :func:`day` takes it; either may be missing.
    form : {"medium", "long"}
        The form of the dates, as in :func:`day`.
    language : Language, optional
        The language (default English); other languages follow CLDR's interval formats
        (``5–31 oct. 2023``, ``7 sept. – 1er oct. 2023``).

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
    words = in_language(language)
    if first is None:
        if last is None:
            return None
        return words.gettext("until {date}").format(date=_one_date(last, form, language))
    if last is None:
        return words.gettext("from {date}").format(date=_one_date(first, form, language))
    if first == last:
        return _one_date(first, form, language)
    if not is_english(language):
        skeleton = "yMMMMd" if form == "long" else "yMMMd"
        return _localized(format_interval(first, last, skeleton, locale=words.locale), words)
    return _english_interval(first, last, form)


def _english_interval(first: dt.date, last: dt.date, form: DateForm) -> str:
    """Return two different English dates as an interval (the hand-set English form)."""
    if first.year != last.year:
        return f"{_written(first, form)} {_DASH} {_written(last, form)}"
    if first.month != last.month:
        return f"{_written(first, form, year=False)} {_DASH} {_written(last, form)}"
    return f"{first.day}{_DASH}{_written(last, form)}"


def as_of(value: object, *, language: Language | None = None) -> str | None:
    """Write the date a scenario's picture holds for: ``As of 1 October 2025``.

    Parameters
    ----------
    value : object
        The date, as :func:`day` takes it.
    language : Language, optional
        The language (default English): ``Au 1er octobre 2025``.

    Returns
    -------
    str or None
        The sentence with a ``long`` date; None when the date is missing.
    """
    found = day(value, form="long", language=language)
    return in_language(language).gettext("As of {date}").format(date=found) if found else None
