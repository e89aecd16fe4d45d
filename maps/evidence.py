"""How a verdict on a sea leg and its evidence are written, in an output's language.

A verdict (:class:`routemap.routes.verdicts.LegVerdict`) carries its evidence as data: the ends'
distances and times, the positions counted, the line check, the dark stretches. This module is the
one writer of it in words, through the catalogs (``routemap.po``) and CLDR's dates and numbers, for
every output: the legs' ``observed_evidence`` (GeoJSON, GeoPackage, KML, CSV), the web map's
popups and the KML balloons (:func:`verdict_rows`), the slides, and ``routemap check`` (in
English, through the same functions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from routemap.maps import dates, wording
from routemap.maps.language import Language
from routemap.maps.style import N_

if TYPE_CHECKING:
    from routemap.routes.verdicts import DarkStretch, EndCheck, Evidence, LegVerdict

__all__ = ["VERDICT_WORDS", "evidence_text", "instant", "span", "verdict_line", "verdict_rows", "verdict_word"]

VERDICT_WORDS: dict[str, str] = {
    "supports": N_("the track supports the leg"),
    "partly": N_("the track supports part of the leg"),
    "contradicts": N_("the track contradicts the leg: the ship was elsewhere"),
    "no_data": N_("no position in the leg's period"),
}
"""How each verdict (``routemap.routes.verdicts.VERDICTS``) reads."""


def verdict_word(code: str, *, language: Language | None = None) -> str:
    """Return a verdict code (``partly``) in words: ``the track supports part of the leg``.

    Parameters
    ----------
    code : str
        One of ``routemap.routes.verdicts.VERDICTS``.
    language : Language, optional
        The language (default English).

    Returns
    -------
    str
    """
    return dates.in_language(language).gettext(VERDICT_WORDS[code])


def verdict_line(verdict: LegVerdict, *, language: Language | None = None) -> str:
    """Return which leg a verdict is on and what it says: ``star-voyage, leg 1: the track supports…``.

    Parameters
    ----------
    verdict : LegVerdict
    language : Language, optional
        The language (default English).

    Returns
    -------
    str
    """
    words = dates.in_language(language)
    return words.gettext("{transfer}, leg {number}: {verdict}").format(
        transfer=verdict.transfer_id, number=words.number(verdict.leg_index + 1),
        verdict=verdict_word(verdict.verdict, language=language))


def verdict_rows(props: Mapping[str, Any], *, language: Language | None = None) -> list[tuple[str, str | None]]:
    """Return a leg's rows for the verdict of its carrier's AIS track and its evidence (popups, balloons).

    Parameters
    ----------
    props : mapping
        The leg record's properties (``observed_verdict``, ``observed_evidence``: present only
        when the scenario has observations; the evidence already in the output's language).
    language : Language, optional
        The language of the verdict's words (default English).

    Returns
    -------
    list of (str, str or None)
        ``(label, text)``, the labels as message ids for the caller to translate; none without a
        verdict.
    """
    verdict = props.get("observed_verdict")
    if not verdict:
        return []
    return [(N_("Observed verdict"), verdict_word(str(verdict), language=language)),
            (N_("Observed evidence"), props.get("observed_evidence"))]


def instant(value: pd.Timestamp, *, language: Language | None = None) -> str:
    """Return an instant to the minute, in UTC: ``3 Mar 2025, 03:50 UTC``, ``3 mars 2025, 03:50 UTC``.

    Parameters
    ----------
    value : pandas.Timestamp
        A time (naive times are taken as UTC).
    language : Language, optional
        The language of the date (default English).

    Returns
    -------
    str
    """
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return dates.in_language(language).gettext("{date}, {time} UTC").format(
        date=dates.day(stamp, language=language), time=stamp.strftime("%H:%M"))


def span(start: object, end: object, *, language: Language | None = None) -> str:
    """Return a time span to the minute, in UTC: ``2 Mar 2025, 06:00 UTC – 3 Mar 2025, 23:00 UTC``.

    Parameters
    ----------
    start, end : object
        Instants (Timestamps or ISO text); a missing or equal end gives the start alone.
    language : Language, optional
        The language of the dates (default English).

    Returns
    -------
    str
        Empty when both are missing.
    """
    first = instant(pd.Timestamp(start), language=language) if start else ""
    last = instant(pd.Timestamp(end), language=language) if end else ""
    return f"{first} \u2013 {last}" if first and last and last != first else first or last


@dataclass(frozen=True)
class _Writer:
    """How one evidence text is written: its language, and whether a quantity or an instant is kept
    on one line (``tied``: its spaces no-break, for text wrapped to a width, as on a slide)."""

    language: Language | None
    tied: bool

    @property
    def words(self) -> Language:
        return dates.in_language(self.language)

    def tie(self, text: str) -> str:
        return text.replace(" ", "\u00a0") if self.tied else text

    def km(self, value: float) -> str:
        """A distance to a tenth of a kilometre below 100 km, whole above."""
        return self.tie(wording.distance(value, decimals=1 if value < 100 else 0, language=self.language) or "")

    def at(self, value: pd.Timestamp) -> str:
        return self.tie(instant(value, language=self.language))


#: Below this the nearest position is written as at the place (km; "within 0 km of" said it badly).
AT_PLACE_KM = 0.05


def _end(end: EndCheck, w: _Writer) -> str:
    if end.distance_km < AT_PLACE_KM:
        return w.words.gettext("at {place} ({time})").format(place=end.place.name_in(w.words.code),
                                                            time=w.at(end.time))
    message = "within {distance} of {place} ({time})" if end.near else "{distance} from {place} at nearest ({time})"
    return w.words.gettext(message).format(distance=w.km(end.distance_km), place=end.place.name_in(w.words.code),
                                           time=w.at(end.time))


def _gap(gap: DarkStretch, w: _Writer) -> str:
    values = {"hours": w.words.number(gap.duration_h, 0 if gap.duration_h >= 10 else 1),
              "start": w.at(gap.start), "end": w.at(gap.end)}
    if gap.reachable_km is None:
        return w.words.gettext("transponder off {hours} h, from {start} to {end}").format(**values)
    return w.words.gettext("transponder off {hours} h, from {start} to {end}, up to {distance} reachable").format(
        distance=w.km(gap.reachable_km), **values)


def _line(evidence: Evidence, verdict: str, w: _Writer) -> str:
    words, line, count = w.words, evidence.line, evidence.positions
    assert line is not None
    if verdict == "contradicts":
        return words.ngettext(
            "{off} of {count} position in the period lies more than {threshold} from the leg's line "
            "(nearest {nearest}, farthest {farthest})",
            "{off} of {count} positions in the period lie more than {threshold} from the leg's line "
            "(nearest {nearest}, farthest {farthest})", count).format(
            off=words.number(line.off), count=words.number(count), threshold=w.km(line.threshold_km),
            nearest=w.km(line.nearest_km), farthest=w.km(line.farthest_km))
    return words.ngettext(
        "{within} of {count} position in the period lies within {threshold} of the leg's line",
        "{within} of {count} positions in the period lie within {threshold} of the leg's line", count).format(
        within=words.number(count - line.off), count=words.number(count), threshold=w.km(line.threshold_km))


def evidence_text(evidence: Evidence, verdict: str, *, language: Language | None = None, tied: bool = False) -> str:
    """Write the numbers behind a verdict, as one line of clauses.

    Parameters
    ----------
    evidence : Evidence
        The verdict's evidence.
    verdict : str
        The verdict it backs (``contradicts`` reads the line check as positions off the line,
        any other as positions along it).
    language : Language, optional
        The language (default English): its words, dates, numbers and separators.
    tied : bool, keyword-only
        Keep each distance and instant on one line (no-break spaces within them), for text wrapped
        to a width (a slide's legend); the words are the same.

    Returns
    -------
    str
        ``within 0.0 km of Gdansk (2 Mar 2025, 00:00 UTC); …; transponder off 9.2 h, from …``.
    """
    w = _Writer(language, tied)
    words = w.words
    if evidence.period is None:
        return words.gettext("the leg has no period to hold the positions against")
    clauses = [_end(end, w) for end in evidence.ends]
    if not evidence.ends:
        clauses.append(words.gettext("no position in the period {period}").format(
            period=w.tie(dates.period(*evidence.period, language=language) or "")))
    elif evidence.line is not None:
        clauses.append(_line(evidence, verdict, w))
    else:
        clauses.append(words.ngettext("{count} position in the period", "{count} positions in the period",
                                      evidence.positions).format(count=words.number(evidence.positions)))
    clauses += [_gap(gap, w) for gap in evidence.gaps]
    return words.series(clauses)
