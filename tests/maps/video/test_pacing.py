"""The animation's clock: frames and length follow the timeline, every event is readable."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.maps.video.pacing import PACE, CalloutSpan, LegSpan, Pace, pace_film

D = dt.date


def _seconds(frames: list, pace: Pace = PACE) -> float:
    return len(frames) / pace.fps


# A year with a burst of events in one week, a quiet year, and a one-day leg.
LEGS = [LegSpan("sea", D(2023, 9, 7), D(2023, 10, 1)), LegSpan("rail", D(2023, 9, 12), D(2023, 9, 30)),
        LegSpan("flight", D(2024, 11, 1), D(2024, 11, 1)), LegSpan("undated", None, None)]
CALLOUTS = [CalloutSpan(1, D(2023, 9, 7)), CalloutSpan(2, D(2023, 9, 8)), CalloutSpan(3, D(2023, 9, 8)),
            CalloutSpan(4, D(2023, 9, 9)), CalloutSpan(5, D(2023, 9, 10)), CalloutSpan(6, None)]


@pytest.fixture(scope="module")
def film():
    """The film of LEGS and CALLOUTS at the default pace."""
    return pace_film(LEGS, CALLOUTS)


def test_the_film_is_title_map_closing_in_order_at_30_fps(film):
    phases = [f.phase for f in film.frames]
    assert [f.index for f in film.frames] == list(range(len(film.frames)))
    assert phases == (["title"] * round(PACE.title_s * 30) + ["map"] * phases.count("map")
                      + ["closing"] * round(PACE.closing_s * 30))
    assert film.pace.fps == 30 and film.duration_s == pytest.approx(len(film.frames) / 30)


def test_the_clock_runs_from_the_first_period_to_the_last_never_backwards(film):
    days = [f.day for f in film.frames if f.phase == "map"]
    assert days == sorted(days)
    assert days[-1] == D(2024, 11, 1)
    assert min(d for d in days if any(f.active for f in film.frames if f.day == d)) == D(2023, 9, 7)
    assert [s[0] for s in film.stops] == [D(2023, 9, 7), D(2023, 9, 8), D(2023, 9, 9), D(2023, 9, 10),
                                          D(2023, 9, 12), D(2024, 11, 1)]


def test_the_length_is_the_stops_and_runs_between_them(film):
    """Title, lead, the last stop's arrival and hold, tail, closing: nothing else."""
    _, arrive, hold = film.stops[-1]
    expected = arrive + hold + PACE.tail_s + PACE.closing_s
    assert film.duration_s == pytest.approx(expected, abs=1.5 / 30)


@pytest.mark.parametrize("leg", [leg for leg in LEGS if leg.dated], ids=lambda leg: leg.feature_id)
def test_each_leg_is_drawn_in_colour_at_least_two_seconds(film, leg):
    shown = [f for f in film.frames if leg.feature_id in f.active]
    assert _seconds(shown) >= PACE.min_event_s
    assert all(leg.first <= f.day <= leg.last for f in shown)


def test_a_leg_is_context_after_its_period_and_absent_before(film):
    for f in film.frames:
        if f.phase != "map":
            continue
        assert ("sea" in f.context) == (f.day > D(2023, 10, 1))
        assert ("sea" in f.active) == (D(2023, 9, 7) <= f.day <= D(2023, 10, 1))
        assert "undated" in f.context and "undated" not in f.active


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_each_callout_stays_at_least_two_seconds(film, number):
    shown = [f for f in film.frames if number in f.callouts]
    assert _seconds(shown) >= PACE.min_event_s
    indexes = [f.index for f in shown]
    assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))  # once, without a gap


def test_a_busy_week_waits_for_room_in_the_panel_and_an_undated_callout_is_left_off(film):
    assert max(len(f.callouts) for f in film.frames) <= PACE.slots
    assert not any(6 in f.callouts for f in film.frames)


def test_quiet_months_pass_quickly():
    """A year with nothing in it takes at most max_travel_s; a week of events takes longer."""
    film = pace_film([LegSpan("a", D(2020, 1, 1), D(2020, 1, 1)), LegSpan("b", D(2021, 1, 1), D(2021, 1, 1))], [])
    (_, first, hold), (_, second, _) = film.stops
    assert second - first - hold == pytest.approx(PACE.max_travel_s)
    running = [f for f in film.frames if f.phase == "map" and not f.stopped
               and D(2020, 1, 1) < f.day < D(2021, 1, 1)]
    assert _seconds(running) <= PACE.max_travel_s + 1 / 30


def test_a_single_event_still_makes_ten_seconds():
    film = pace_film([LegSpan("only", D(2024, 3, 21), D(2024, 3, 21))], [])
    assert film.duration_s >= 10.0
    assert _seconds([f for f in film.frames if "only" in f.active]) >= 2.0


def test_nothing_dated_gives_the_map_with_the_legs_as_context():
    film = pace_film([LegSpan("x", None, None)], [CalloutSpan(1, None)])
    maps = [f for f in film.frames if f.phase == "map"]
    assert film.duration_s >= 10.0 and maps
    assert all(f.context == ("x",) and f.day is None and not f.callouts for f in maps)


def test_the_counter_shows_the_day_at_a_stop_and_the_month_while_running(film):
    stopped = film.frame_at(D(2023, 9, 12))
    assert stopped.stopped and stopped.counter == (2023, 9, 12)
    running = next(f for f in film.frames if f.phase == "map" and not f.stopped and f.day.year == 2024)
    assert running.counter == (2024, running.day.month)
    last = [f for f in film.frames if f.phase == "map"][-1]
    assert last.stopped and last.counter == (2024, 11, 1)  # the clock ends on a day, not a month
    with pytest.raises(KeyError, match="2030-01-01"):
        film.frame_at(D(2030, 1, 1))


def test_a_leg_grows_then_is_drawn_whole(film):
    shares = [dict(f.growing).get("rail") for f in film.frames]
    grown = [s for s in shares if s is not None]
    assert grown == sorted(grown) and 0 < grown[0] < 0.1 and grown[-1] > 0.9
    assert _seconds(grown) == pytest.approx(PACE.grow_s, abs=1.5 / 30)
