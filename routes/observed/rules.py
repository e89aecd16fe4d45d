"""The thresholds that say what a gap, a port call and an encounter are, travelling together.

Every rule reads positions cleaned by ``routemap.geo.ais`` and sorted by vessel (MMSI) and time.
Distances are great circles on the mean-radius sphere.

- At port / away from ports: a position is *at* port P when P is its nearest port and within
  ``away_km``; otherwise it is *away from ports*.
- Trajectory: a vessel's positions split wherever two consecutive ones are more than ``gap_hours``
  apart; one row per piece.
- Gap ("transponder off"): two consecutive positions of a vessel more than ``gap_hours`` apart, both
  away from ports. ``reachable_km`` is how far the ship could have gone meanwhile: the gap's duration
  times the vessel's highest credible observed speed (the highest of its reported speeds over ground
  and its implied speeds between positions at least ``SPEED_BASE_MIN`` minutes apart, capped at the
  cleaning limit), and never less than the straight distance between the two ends.
- Port call: a run of consecutive positions of a vessel at the same port (whatever the time between
  them: AIS is often off in port), lasting at least ``call_hours`` from the first to the last, during
  which the ship stopped: a reported speed, or else the implied speed from the previous position, of
  at most ``stop_kn``. Passing a port at sea speed is not a call.
- Encounter: two vessels within ``encounter_m`` of each other at every ``step_min`` mark (UTC,
  counted from 1970) from the start to the end of the meeting, the end at least ``encounter_hours``
  after the start, both away from ports. A vessel's position at a mark is interpolated linearly
  between the two positions around it, only when they are at most ``interpolate_hours`` apart and
  both away from ports. One row per pair of vessels and meeting.
"""

from __future__ import annotations

from dataclasses import dataclass

from routemap.geo.ais import MAX_SPEED_KN

__all__ = ["SPEED_BASE_MIN", "Rules"]

SPEED_BASE_MIN = 10.0


@dataclass(frozen=True)
class Rules:
    """The thresholds of the derivations (see the module docstring for the rules themselves).

    Attributes
    ----------
    gap_hours : float
        Longest silence that is not a gap, hours.
    away_km : float
        Radius of a port, km.
    encounter_m : float
        Largest distance between two vessels that meet, metres.
    encounter_hours : float
        Shortest meeting, hours.
    call_hours : float
        Shortest port call, hours.
    stop_kn : float
        Highest speed that counts as stopped in port, knots.
    step_min : float
        Interval of the time marks encounters are checked at, minutes.
    interpolate_hours : float
        Longest interval between two positions a vessel's position is interpolated across, hours.
    max_speed_kn : float
        The cleaning limit, the cap of the highest credible speed.
    """

    gap_hours: float = 6.0
    away_km: float = 10.0
    encounter_m: float = 500.0
    encounter_hours: float = 1.0
    call_hours: float = 1.0
    stop_kn: float = 1.0
    step_min: float = 10.0
    interpolate_hours: float = 1.0
    max_speed_kn: float = MAX_SPEED_KN

    @property
    def step_ns(self) -> int:
        """The time-mark interval in nanoseconds."""
        return round(self.step_min * 60e9)
