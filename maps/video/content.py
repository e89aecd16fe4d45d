"""What the animation shows, taken from the slides' overview: legs with their periods,
callouts with a short text and a date, the sources, in the output's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import pandas as pd

from routemap.maps import wording
from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.slides.compose import slide_specs
from routemap.maps.slides.fonts import printable
from routemap.maps.slides.spec import Callout, SlideSpec, callouts_spec
from routemap.maps.video.pacing import CalloutSpan, LegSpan
from routemap.routes.routeset import RouteSet

__all__ = ["SHORT_CHARS", "VideoContent", "period_words", "short_text", "video_content"]

#: The most characters of a callout's text a frame shows (cut at a word, with an ellipsis).
SHORT_CHARS = 120


@dataclass(frozen=True)
class VideoContent:
    """Everything the frames and cards show, picklable for worker processes.

    Attributes
    ----------
    spec : SlideSpec
        The slides' overview (every leg, place, source and licence), without its badges.
    legs : tuple of LegSpan
        Each leg's period, by feature id.
    callouts : tuple of Callout
        The callouts on the timeline (those with a date), each with its short text.
    spans : tuple of CalloutSpan
        When each of them appears.
    undated : int
        How many callouts have no date (left off the timeline, counted on the closing card).
    first, last : datetime.date or None
        The timeline's first and last days.
    texts : dict of str to str
        Every scenario text drawn -> its printable form
        (:func:`routemap.maps.slides.fonts.printable`, which warns once of missing glyphs).
    ends : dict of str to (str, str)
        Each leg's end places (ids), by feature id.
    """

    spec: SlideSpec
    legs: tuple[LegSpan, ...]
    callouts: tuple[Callout, ...]
    spans: tuple[CalloutSpan, ...]
    undated: int
    first: dt.date | None
    last: dt.date | None
    texts: dict[str, str] = field(default_factory=dict)
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """Return the code of the language the frames are written in."""
        return self.spec.language


def _day(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return dt.date.fromisoformat(str(value)[:10])


def short_text(text: str, *, limit: int = SHORT_CHARS) -> str:
    """Return a callout's first sentence, cut at a word with an ellipsis past ``limit``
    characters (the cut is shown: nothing reads as complete that is not).

    Parameters
    ----------
    text : str
        The callout's text.
    limit : int
        The most characters kept.

    Returns
    -------
    str
    """
    text = " ".join(text.split())
    end = text.find(". ")
    if 0 < end < limit:
        return text[:end + 1]
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # never leave a bracket open: cut before it
        cut = cut[:cut.rfind("(")]
    return cut.rstrip(" ,;:-\u2013") + "\u2026"


def video_content(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> VideoContent:
    """Return what the animation of a route set shows.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in ``language``.
    language : str
        The code of the output's language.

    Returns
    -------
    VideoContent
    """
    # the film grows every leg in its period: its overview is never bundled by corridor
    overview = slide_specs(routeset, per_transfer=False, language=language, aggregate=False)[0]
    spec = replace(overview, callouts=(), more=0, name="animation")
    legs = tuple(LegSpan(str(row.feature_id), _day(row.period_start), _day(row.period_end))
                 for row in routeset.legs.itertuples(index=False))
    lang = load_language(language)
    every = [c for s in callouts_spec(routeset, [], language=lang) for c in s.callouts]
    starts = {n: _day(v) for n, v in enumerate(routeset.annotations["period_start"], start=1)}
    dated = sorted((c for c in every if starts.get(c.number) is not None),
                   key=lambda c: (starts[c.number], c.number))
    callouts = tuple(replace(c, text=short_text(c.text)) for c in dated)
    days = [leg.first for leg in legs if leg.dated] + [leg.last for leg in legs if leg.dated]
    days += [d for c in dated if (d := starts[c.number]) is not None]
    texts = printable([spec.title, spec.subtitle, *(p.name for p in spec.places),
                       *(c.text for c in callouts), *spec.sources])
    return VideoContent(spec, legs, callouts,
                        tuple(CalloutSpan(c.number, starts[c.number]) for c in callouts),
                        len(every) - len(dated), min(days, default=None), max(days, default=None),
                        texts, _leg_ends(routeset))


def _leg_ends(routeset: RouteSet) -> dict[str, tuple[str, str]]:
    """Return each leg's end places (ids), by feature id."""
    legs = routeset.legs
    return {str(f): (str(a), str(b)) for f, a, b in zip(legs["feature_id"], legs["from_id"],
                                                         legs["to_id"], strict=True)}


def period_words(content: VideoContent) -> str:
    """Return the timeline's period in the content's language ('' when it has none)."""
    return wording.period(content.first, content.last,
                          language=load_language(content.language)) or ""
