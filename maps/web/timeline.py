"""Timeline steps: the calendar months (or quarters, or years) a scenario's periods cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from routemap.maps import wording
from routemap.maps.language import Language

__all__ = ["TimelineStep", "overlaps", "timeline_steps"]


@dataclass(frozen=True)
class TimelineStep:
    """One stop of the timeline slider: an inclusive date range and its label."""

    label: str
    start: dt.date
    end: dt.date


def timeline_steps(
    periods: Iterable[tuple[dt.date | None, dt.date | None]], *, max_steps: int = 48,
    language: Language | None = None,
) -> tuple[TimelineStep, ...]:
    """Return the steps that cover every dated period, in order.

    Months when the span fits in ``max_steps`` months, else quarters, else years.

    Parameters
    ----------
    periods : iterable of (date or None, date or None)
        Start and end of each period; a missing end means the start day only, and periods
        with no start are undated and ignored.
    max_steps : int
        The most months (then quarters) the slider may have before it coarsens.
    language : Language, optional
        The language of the step labels ("Oct 2023", "oct. 2023", "T4 2023"); default English.

    Returns
    -------
    tuple of TimelineStep
        Empty when nothing is dated.
    """
    dated = [(start, end or start) for start, end in periods if start is not None]
    if not dated:
        return ()
    first = min(start for start, _ in dated)
    last = max(end for _, end in dated)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= max_steps else 3 if months <= 3 * max_steps else 12
    return tuple(_steps(first, last, step, language))


def _steps(first: dt.date, last: dt.date, step: int,
           language: Language | None) -> Iterable[TimelineStep]:
    month0 = (first.month - 1) // step * step  # 0-based month that starts the first step
    year = first.year
    while dt.date(year, month0 + 1, 1) <= last:
        start = dt.date(year, month0 + 1, 1)
        next_year, next_month0 = divmod(month0 + step, 12)
        end = dt.date(year + next_year, next_month0 + 1, 1) - dt.timedelta(days=1)
        yield TimelineStep(_label(start, step, language), start, end)
        year, month0 = year + next_year, next_month0


def _label(start: dt.date, step: int, language: Language | None) -> str:
    if step == 1:
        return wording.month(start, language=language) or ""
    if step == 3:
        quarter = (start.month - 1) // 3 + 1
        text = language.gettext("Q{quarter} {year}") if language else "Q{quarter} {year}"
        return text.format(quarter=quarter, year=start.year)
    return str(start.year)


def overlaps(step: TimelineStep, start: dt.date | None, end: dt.date | None) -> bool:
    """Return True if a period is shown at a step (undated periods are always shown)."""
    if start is None:
        return True
    return start <= step.end and (end or start) >= step.start
