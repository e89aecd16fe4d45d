"""The animation's clock: which date each frame shows, and what is on screen in it (pure).

The timeline is paced, not linear: the clock stops at each date something happens (a leg's
period begins, a callout's date comes) and runs quickly through the quiet months between.
Every event stays on screen at least :attr:`Pace.min_event_s` seconds: a leg keeps its
colour while the clock is inside its period, so the clock waits at a leg's first day until
the leg has been shown that long; a callout stays :attr:`Pace.callout_s` seconds, and the
clock waits before a new one while the panel's :attr:`Pace.slots` are full.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["PACE", "CalloutSpan", "Film", "Frame", "LegSpan", "Pace", "pace_film"]

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class LegSpan:
    """A leg on the timeline: its id and its period (either end may be missing; an undated
    leg is drawn as context from the first frame to the last)."""

    feature_id: str
    start: dt.date | None
    end: dt.date | None

    @property
    def dated(self) -> bool:
        """Return True if the leg has a place on the timeline."""
        return self.start is not None or self.end is not None

    @property
    def first(self) -> dt.date:
        """Return the leg's first day (its end when it has no start)."""
        day = self.start if self.start is not None else self.end
        assert day is not None, "an undated leg has no first day"
        return day

    @property
    def last(self) -> dt.date:
        """Return the leg's last day (its start when it has no end)."""
        day = self.end if self.end is not None else self.start
        assert day is not None, "an undated leg has no last day"
        return max(day, self.first)


@dataclass(frozen=True)
class CalloutSpan:
    """A callout on the timeline: its number and the day it appears (None: not shown)."""

    number: int
    start: dt.date | None


@dataclass(frozen=True)
class Pace:
    """How fast the film runs, in seconds of video.

    Attributes
    ----------
    fps : int
        Frames per second.
    title_s, closing_s : float
        How long the title card and the closing card stay.
    lead_s : float
        The map before the clock's first stop.
    tail_s : float
        The map after the clock's last stop, before the closing card.
    min_event_s : float
        The least time an event is on screen.
    callout_s : float
        How long a callout stays (at least ``min_event_s``).
    step_s : float
        How long the clock stops at a date.
    grow_s : float
        How long a leg takes to grow along its path.
    month_s, min_travel_s, max_travel_s : float
        The clock's run between two stops: ``month_s`` per 30 days, within these bounds.
    slots : int
        How many callouts the panel shows at once.
    min_total_s : float
        The film's least length.
    """

    fps: int = 30
    title_s: float = 2.5
    closing_s: float = 4.5
    lead_s: float = 0.6
    tail_s: float = 1.0
    min_event_s: float = 2.0
    callout_s: float = 2.5
    step_s: float = 0.35
    grow_s: float = 0.8
    month_s: float = 0.35
    min_travel_s: float = 0.25
    max_travel_s: float = 1.6
    slots: int = 3
    min_total_s: float = 10.0


#: The film's pace.
PACE = Pace()


@dataclass(frozen=True)
class Frame:
    """What one frame shows.

    Attributes
    ----------
    index : int
        The frame's number, from 0.
    phase : str
        ``title``, ``map`` or ``closing``.
    day : datetime.date or None
        The date on the clock (None on the cards).
    growing : tuple of (str, float)
        Legs in their period still growing: feature id and the share of the path drawn.
    drawn : tuple of str
        Legs in their period, drawn whole.
    context : tuple of str
        Legs whose period is over (and undated legs), drawn as muted context.
    callouts : tuple of int
        The numbers of the callouts on screen.
    stopped : bool
        The clock is stopped at ``day`` (the counter shows the day; while it runs between
        two stops, it shows the month).
    """

    index: int
    phase: str
    day: dt.date | None = None
    growing: tuple[tuple[str, float], ...] = ()
    drawn: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    callouts: tuple[int, ...] = ()
    stopped: bool = False

    @property
    def active(self) -> tuple[str, ...]:
        """Return the legs in their period on this frame's date, growing or whole."""
        return tuple(f for f, _ in self.growing) + self.drawn

    @property
    def counter(self) -> tuple[int, ...]:
        """Return what the date counter shows: (year, month, day) at a stop, else (year, month)."""
        if self.day is None:
            return ()
        return (self.day.year, self.day.month, self.day.day)[: 3 if self.stopped else 2]

    def same_picture(self, other: Frame) -> bool:
        """Return True if two frames draw the same picture (the same legs, callouts and
        counter: two days of one month look the same while the clock runs)."""
        def picture(f: Frame) -> tuple:
            return (f.phase, f.counter, f.growing, f.drawn, f.context, f.callouts)

        return picture(self) == picture(other)


@dataclass(frozen=True)
class Film:
    """The paced timeline: every frame, and where the clock stops.

    Attributes
    ----------
    pace : Pace
        The pace it was made with.
    frames : tuple of Frame
        Every frame, title card first, closing card last.
    stops : tuple of (datetime.date, float, float)
        Each date the clock stops at, the second it gets there and how long it stays.
    """

    pace: Pace
    frames: tuple[Frame, ...]
    stops: tuple[tuple[dt.date, float, float], ...] = field(default=())

    @property
    def duration_s(self) -> float:
        """Return the film's length in seconds."""
        return len(self.frames) / self.pace.fps

    def frame_at(self, day: dt.date) -> Frame:
        """Return the last map frame whose clock shows ``day`` (KeyError if none does)."""
        found = [f for f in self.frames if f.phase == "map" and f.day == day]
        if not found:
            raise KeyError(f"no frame shows {day.isoformat()}")
        return found[-1]


@dataclass
class _Clock:
    """Stops (day, arrival second, hold seconds), and the run between them."""

    days: list[dt.date]
    arrive: list[float]
    hold: list[float]

    def stopped(self, t: float) -> bool:
        """Return True if the clock is stopped at second ``t`` (it stays at its last stop)."""
        k = bisect.bisect_right(self.arrive, t) - 1
        return k >= 0 and (t <= self.arrive[k] + self.hold[k] or k + 1 == len(self.days))

    def date_at(self, t: float) -> dt.date:
        """Return the day on the clock at second ``t`` of the map phase."""
        k = max(0, bisect.bisect_right(self.arrive, t) - 1)
        leave = self.arrive[k] + self.hold[k]
        if t <= leave or k + 1 == len(self.days):
            return self.days[k]
        run = self.arrive[k + 1] - leave
        gap = (self.days[k + 1] - self.days[k]).days
        return self.days[k] + _DAY * min(gap - 1, math.floor(gap * (t - leave) / run))

    def time_of(self, day: dt.date) -> float:
        """Return the first second the clock shows ``day`` or a later day."""
        k = bisect.bisect_right(self.days, day) - 1
        if k < 0:
            return self.arrive[0]
        if self.days[k] == day or k + 1 == len(self.days):
            return self.arrive[k] if self.days[k] == day else math.inf
        leave = self.arrive[k] + self.hold[k]
        gap = (self.days[k + 1] - self.days[k]).days
        return leave + (self.arrive[k + 1] - leave) * (day - self.days[k]).days / gap

    @property
    def end(self) -> float:
        """Return the second the clock leaves its last stop."""
        return self.arrive[-1] + self.hold[-1]


def _travel(pace: Pace, days: int) -> float:
    return min(pace.max_travel_s, max(pace.min_travel_s, pace.month_s * days / 30.0))


def _arrivals(pace: Pace, days: list[dt.date], hold: list[float],
              callouts: dict[dt.date, int]) -> list[float]:
    """Return when the clock reaches each stop: after the previous stop's hold and the run,
    and once enough earlier callouts have left the panel for the day's new ones."""
    arrive: list[float] = []
    leaves: list[float] = []  # when each callout shown so far leaves the panel
    for k, day in enumerate(days):
        t = 0.0 if k == 0 else (arrive[-1] + hold[k - 1]
                                + _travel(pace, (day - days[k - 1]).days))
        new = callouts.get(day, 0)
        if new:
            room = max(0, pace.slots - new)
            still = sorted(leaves)
            if len(still) > room:
                t = max(t, still[len(still) - room - 1])
        arrive.append(t)
        leaves += [t + pace.callout_s] * new
    return arrive


def _clock(pace: Pace, legs: Sequence[LegSpan], callouts: Sequence[CalloutSpan]) -> _Clock:
    """Return the clock's stops, holding at a leg's first day until it has been on screen
    ``min_event_s`` (or grown, if longer)."""
    dated = [leg for leg in legs if leg.dated]
    shown = [c.start for c in callouts if c.start is not None]
    ends = [leg.last for leg in dated]
    days = sorted({*(leg.first for leg in dated), *shown, *([max(ends)] if ends else [])})
    per_day = {day: shown.count(day) for day in set(shown)}
    starts = {leg.first for leg in dated}
    hold = [max(pace.step_s, pace.grow_s) if day in starts else pace.step_s for day in days]
    for _ in range(len(days) + 1):
        clock = _Clock(days, _arrivals(pace, days, hold, per_day), hold)
        short = False
        for leg in dated:
            k = days.index(leg.first)
            on = min(clock.time_of(leg.last + _DAY), clock.end) - clock.arrive[k]
            if on < pace.min_event_s - 1e-9:
                hold[k] += pace.min_event_s - on
                short = True
        if not short:
            return clock
    return clock


def pace_film(legs: Sequence[LegSpan], callouts: Sequence[CalloutSpan], *,
              pace: Pace = PACE) -> Film:
    """Return the film of a timeline: a title card, the map as the clock runs, a closing card.

    Parameters
    ----------
    legs : sequence of LegSpan
        Every leg drawn.
    callouts : sequence of CalloutSpan
        Every callout (those without a date are not on the timeline).
    pace : Pace
        How fast the film runs.

    Returns
    -------
    Film
        At least ``pace.min_total_s`` long; the frames come in order, ``pace.fps`` a second.
    """
    fps = pace.fps
    clock = None if not any(leg.dated for leg in legs) and not any(
        c.start is not None for c in callouts) else _clock(pace, legs, callouts)
    map_s = pace.lead_s + (clock.end if clock else 0.0) + pace.tail_s
    map_s = max(map_s, pace.min_total_s - pace.title_s - pace.closing_s)
    n_title, n_map = round(pace.title_s * fps), round(map_s * fps)
    n_closing = round(pace.closing_s * fps)
    frames = [Frame(i, "title") for i in range(n_title)]
    for i in range(n_map):
        t = i / fps - pace.lead_s
        frames.append(_map_frame(n_title + i, t, clock, legs, callouts, pace))
    frames += [Frame(n_title + n_map + i, "closing") for i in range(n_closing)]
    stops = () if clock is None else tuple(
        (d, pace.title_s + pace.lead_s + a, h)
        for d, a, h in zip(clock.days, clock.arrive, clock.hold, strict=True))
    return Film(pace, tuple(frames), stops)


def _map_frame(index: int, t: float, clock: _Clock | None, legs: Sequence[LegSpan],
               callouts: Sequence[CalloutSpan], pace: Pace) -> Frame:
    """Return the map frame at second ``t`` of the clock (negative before its first stop)."""
    undated = tuple(leg.feature_id for leg in legs if not leg.dated)
    if clock is None:
        return Frame(index, "map", None, context=undated)
    day = clock.date_at(t) if t >= 0.0 else clock.days[0] - _DAY  # before the first stop
    growing, drawn, context = [], [], list(undated)
    for leg in legs:
        if not leg.dated or day < leg.first:
            continue
        if day > leg.last:
            context.append(leg.feature_id)
            continue
        # a growing leg moves on every other frame: half the pictures, and it reads as smooth
        step = 2.0 / pace.fps
        since = max(math.floor((t - clock.time_of(leg.first)) / step + 1e-9) * step, 0.0)
        share = (since + 1.0 / pace.fps) / pace.grow_s
        if share >= 1.0:
            drawn.append(leg.feature_id)
        elif share > 0.0:
            growing.append((leg.feature_id, round(share, 4)))
    shown = tuple(c.number for c in callouts if c.start is not None
                  and 0.0 <= t - clock.time_of(c.start) < pace.callout_s)
    return Frame(index, "map", day, tuple(growing), tuple(drawn), tuple(context), shown,
                 stopped=t >= 0.0 and clock.stopped(t))
