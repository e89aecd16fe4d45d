"""Synthetic AIS for tests, benchmarks and tutorials: ships on real sea lanes, with planted events.

Every identifier is fictitious and can never be a real ship's: MMSI 100000001 upwards (ITU-R M.585
gives a ship station an MMSI that begins with its Maritime Identification Digit, 201 to 775, and no
station identity begins with 1 but a SAR aircraft's 111MIDxxx: :func:`synthetic_mmsi`); IMO numbers
``100000c`` upwards whose last digit is never the IMO check digit (:func:`synthetic_imo`: every real
IMO number passes it; a scenario marked ``synthetic: true`` accepts them); names ``SYNTHETIC 0001``.
Ships sail between real UN/LOCODE ports along searoute's lanes (the lanes routemap's sea legs use),
at one of three speeds, and stay in port between voyages. Each ship on a lane keeps its own
distance off the lane's centre line, at least ``SLOT_KM`` from every other ship of that lane (none
within ``RAMP_KM`` of a port), so that no two ships sail together by chance: two ships of one lane
meet only when planted. Known events are planted:

- port calls: every stay in port (arrival and departure at the quay);
- dark gaps: on some voyages the transponder is off for 8 to 20 hours, far from any port;
- meetings: a ship stops at sea for 3 to 8 hours while a second ship, sailing the lane the other
  way, stops alongside (80 m apart), far from any port.

Positions are reported every ``interval_s`` seconds with 10 m of noise. The result is the same for
the same arguments (numpy's PCG64 seeded generator).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routemap.geo.ais import canonical_frame, haversine_m
from routemap.geo.ais.columns import EARTH_RADIUS_M
from routemap.routes.observed.ports import PortIndex, port_frame

__all__ = ["LANE_PORTS", "Lane", "load_lanes", "synthesize", "synthetic_imo", "synthetic_mmsi", "vessel_tracks"]

LANE_PORTS = (
    ("NLRTM", "GBFXT"), ("NLRTM", "DEHAM"), ("BEANR", "ESALG"), ("DEHAM", "SEGOT"), ("PLGDN", "DKAAR"),
    ("FRLEH", "ESALG"), ("ITGOA", "GRPIR"), ("GRPIR", "EGPSD"), ("SAJED", "AEJEA"), ("AEJEA", "OMSLL"),
    ("SGSIN", "MYPKG"), ("SGSIN", "THLCH"), ("SGSIN", "IDTPP"), ("HKHKG", "CNSHA"), ("CNSHA", "KRPUS"),
    ("KRPUS", "JPYOK"), ("TWKHH", "PHMNL"), ("VNSGN", "HKHKG"), ("USNYC", "USSAV"), ("USHOU", "PAMIT"),
    ("USLAX", "USOAK"), ("BRSSZ", "ARBUE"),
)
"""UN/LOCODE pairs of the lanes ships sail."""
SPEEDS_KN = (10.0, 12.5, 15.0)
OFFSET_KM = 5.0
SLOT_KM = 0.7
RAMP_KM = 5.0
NOISE_M = 10.0
CLEAR_KM = 25.0
_HOUR = 3600.0


@dataclass(frozen=True)
class Lane:
    """A sea lane between two ports: the polyline and the distance along it."""

    ports: tuple[str, str]
    lat: np.ndarray
    lon: np.ndarray
    km: np.ndarray

    @property
    def length_km(self) -> float:
        """The lane's length."""
        return float(self.km[-1])

    def at(self, s_km: np.ndarray, offset_km: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return positions ``s_km`` along the lane, ``offset_km`` to its right (none near the ends)."""
        s = np.clip(s_km, 0.0, self.length_km)
        lat, lon = np.interp(s, self.km, self.lat), np.interp(s, self.km, self.lon)
        seg = np.clip(np.searchsorted(self.km, s, side="right") - 1, 0, len(self.km) - 2)
        dy = self.lat[seg + 1] - self.lat[seg]
        dx = (self.lon[seg + 1] - self.lon[seg]) * np.cos(np.radians(lat))
        norm = np.hypot(dx, dy)
        norm[norm == 0] = 1.0
        ramp = np.clip(np.minimum(s, self.length_km - s) / RAMP_KM, 0.0, 1.0)
        shift = np.degrees(offset_km * ramp * 1000.0 / EARTH_RADIUS_M)
        return lat - dx / norm * shift, lon + dy / norm * shift / np.cos(np.radians(lat))


_FIRST_MMSI = 100_000_000
_MMSI_ROOM = 10_999_999  # 100000001 to 110999999: below 111000000, the SAR aircraft's 111MIDxxx


def synthetic_mmsi(number: int) -> int:
    """Return the fictitious MMSI of synthetic ship ``number`` (1 upwards): ``100000000 + number``.

    No station has an MMSI that begins with 1 but a SAR aircraft (``111MIDxxx``, ITU-R M.585), and
    a ship station's begins with its Maritime Identification Digit (201 to 775), so none of these is
    a real ship's.

    Raises
    ------
    ValueError
        If ``number`` is outside 1 to 10,999,999 (the MMSI would reach ``111000000``).
    """
    if not 1 <= number <= _MMSI_ROOM:
        raise ValueError(f"synthetic ship number {number} outside 1 to {_MMSI_ROOM:,}")
    return _FIRST_MMSI + number


def synthetic_imo(number: int) -> int:
    """Return the fictitious IMO number of synthetic ship ``number`` (1 to 899,999): six digits
    ``100000 + number``, then a last digit that is never the IMO check digit (the right one plus 1),
    so that no real ship can have it (every real IMO number passes the check)."""
    if not 1 <= number <= 899_999:
        raise ValueError(f"synthetic ship number {number} outside 1 to 899,999")
    stem = 100_000 + number
    check = sum(int(d) * w for d, w in zip(f"{stem:06d}", range(7, 1, -1), strict=True)) % 10
    return stem * 10 + (check + 1) % 10


def load_lanes(pairs: tuple[tuple[str, str], ...] = LANE_PORTS) -> list[Lane]:
    """Return the lanes between UN/LOCODE port pairs, on searoute's lane network (offline)."""
    import searoute

    frame = port_frame()
    ports = {str(p).removeprefix("port-").upper(): (pt.y, pt.x)
             for p, pt in zip(frame["port_id"], frame.geometry, strict=True)}
    lanes = []
    for a, b in pairs:
        (alat, alon), (blat, blon) = ports[a], ports[b]
        coords = np.asarray(searoute.searoute([alon, alat], [blon, blat])["geometry"]["coordinates"], dtype=float)
        lat = np.r_[alat, coords[:, 1], blat]
        lon = np.r_[alon, coords[:, 0], blon]
        km = np.r_[0.0, np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]) / 1000.0)]
        keep = np.r_[True, np.diff(km) > 0]
        lanes.append(Lane((a, b), lat[keep], lon[keep], km[keep]))
    return lanes


@dataclass
class _Plan:
    """One ship's motion: keyframes of time (s) and distance along its lane (km), and its events."""

    mmsi: int
    lane: int
    offset: float
    t: list[float]
    s: list[float]
    silences: list[tuple[float, float]]
    start: float
    end: float


def synthesize(*, vessels: int, days: float, seed: int, interval_s: float = 30.0,
               start: str = "2024-01-01T00:00:00Z",
               lanes: tuple[tuple[str, str], ...] = LANE_PORTS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return synthetic positions (canonical columns, sorted) and the planted events.

    Parameters
    ----------
    vessels : int
        Ships on voyages (each meeting adds a second ship).
    days : float
        Length of the archive.
    seed : int
    interval_s : float
        Seconds between reports.
    start : str
        UTC start of the archive.
    lanes : tuple of (str, str)
        UN/LOCODE pairs; ships are spread over them in turn.

    Returns
    -------
    tuple
        Positions, and events: ``kind`` (``port_call``, ``gap``, ``encounter``), ``mmsi``, ``mmsi_b``
        (encounters), ``start``, ``end`` (UTC), ``port`` (UN/LOCODE, port calls).
    """
    frames, events = [], []
    for frame, planted in vessel_tracks(vessels=vessels, days=days, seed=seed, interval_s=interval_s, start=start,
                                        lanes=lanes):
        frames.append(frame)
        events.extend(planted)
    positions = pd.concat(frames, ignore_index=True).sort_values(["mmsi", "time"], kind="stable")
    return positions.reset_index(drop=True), _event_frame(events)


def _event_frame(events: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(events, columns=["kind", "mmsi", "mmsi_b", "start", "end", "port"])
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column].astype("float64"), unit="s", utc=True)
    return frame.astype({"mmsi": "int64", "mmsi_b": "int64"})


def vessel_tracks(*, vessels: int, days: float, seed: int, interval_s: float = 30.0,
                  start: str = "2024-01-01T00:00:00Z",
                  lanes: tuple[tuple[str, str], ...] = LANE_PORTS) -> Iterator[tuple[pd.DataFrame, list[dict]]]:
    """Yield each ship's positions with the events planted on it (``synthesize``, one ship at a time)."""
    rng = np.random.default_rng(seed)
    lines = load_lanes(lanes)
    index = PortIndex(port_frame())
    t0 = pd.Timestamp(start).timestamp()
    t1 = t0 + days * 86_400.0
    next_mmsi = synthetic_mmsi(1)
    synthetic_mmsi(2 * vessels)  # a partner each at most: refuse early what would leave the range
    offsets = _lane_offsets(rng, vessels, len(lines))
    for number in range(vessels):
        lane = number % len(lines)
        plan, planted, partner = _voyages(rng, lines, lane, next_mmsi, t0, t1, index, offsets[lane].pop())
        next_mmsi += 1
        planted = [{**event, "port": event.get("port", "")} for event in planted]
        yield _positions(rng, plan, lines[plan.lane], interval_s), planted
        if partner is not None:
            partner.mmsi = next_mmsi
            next_mmsi += 1
            for event in planted:
                if event["kind"] == "encounter" and event["mmsi_b"] == -1:
                    event["mmsi_b"] = partner.mmsi
            yield _positions(rng, partner, lines[partner.lane], interval_s), []


def _lane_offsets(rng: np.random.Generator, vessels: int, lanes: int) -> list[list[float]]:
    """Return each lane's ship offsets from its centre line, km: ``SLOT_KM`` apart at least, shuffled."""
    per_lane = -(-vessels // lanes)
    half = max(OFFSET_KM, SLOT_KM * per_lane / 2)
    slots = np.linspace(-half, half, max(per_lane, 2))
    return [list(rng.permutation(slots)) for _ in range(lanes)]


def _clear(lane: Lane, s: float, offset: float, index: PortIndex) -> bool:
    lat, lon = lane.at(np.array([s]), offset)
    return bool((index.within(lat, lon, CLEAR_KM) < 0).all())


def _voyages(rng: np.random.Generator, lanes: list[Lane], lane_no: int, mmsi: int, t0: float, t1: float,
             index: PortIndex, offset: float) -> tuple[_Plan, list[dict], _Plan | None]:
    lane = lanes[lane_no]
    speed = float(rng.choice(SPEEDS_KN)) * 1.852
    plan = _Plan(mmsi, lane_no, float(offset), [], [], [], t0, t1)
    at_end = bool(rng.integers(2))
    t = t0
    events: list[dict] = []
    partner: _Plan | None = None
    first = True
    while t < t1:
        s_port = lane.length_km if at_end else 0.0
        stay = rng.uniform(3.0, 30.0) * _HOUR
        if t + stay > t1 - 3 * _HOUR:
            plan.end = max(t - _HOUR, t0 + _HOUR) if not first else t1
            if first:
                plan.t += [t, t1]
                plan.s += [s_port, s_port]
                events.append({"kind": "port_call", "mmsi": mmsi, "mmsi_b": -1, "start": t, "end": t1,
                               "port": lane.ports[int(at_end)]})
            break
        plan.t += [t, t + stay]
        plan.s += [s_port, s_port]
        events.append({"kind": "port_call", "mmsi": mmsi, "mmsi_b": -1, "start": t, "end": t + stay,
                       "port": lane.ports[int(at_end)]})
        first = False
        t += stay
        s_to = 0.0 if at_end else lane.length_km
        hours = lane.length_km / speed * _HOUR
        if hours > 30 * _HOUR and partner is None and rng.random() < 0.5:
            t, partner = _meet(rng, plan, lane, speed, t, s_port, s_to, events, index)
        else:
            _maybe_silence(rng, plan, lane, speed, t, s_port, s_to, index, events)
            t += hours
        plan.t.append(t)
        plan.s.append(s_to)
        at_end = not at_end
    observed = [e for e in events if e["kind"] == "port_call" or e["end"] + _HOUR <= plan.end]
    kept = {e["start"] for e in observed if e["kind"] == "gap"}
    plan.silences = [s for s in plan.silences if s[0] in kept]  # a silence is planted only if recorded
    if partner is not None and not any(e["kind"] == "encounter" for e in observed):
        partner = None
    if partner is not None:
        partner.end = min(partner.end, t1)
    return plan, observed, partner
    return plan, events, partner


def _maybe_silence(rng: np.random.Generator, plan: _Plan, lane: Lane, speed: float, t: float, s_from: float,
                   s_to: float, index: PortIndex, events: list[dict]) -> None:
    hours = lane.length_km / speed
    if hours < 30 or rng.random() < 0.4:
        return
    for _ in range(20):
        off = rng.uniform(8.0, 20.0)
        begin = rng.uniform(2.0, hours - off - 2.0)
        sign = 1.0 if s_to > s_from else -1.0
        ends = (s_from + sign * begin * speed, s_from + sign * (begin + off) * speed)
        if all(_clear(lane, s, plan.offset, index) for s in ends):
            plan.silences.append((t + begin * _HOUR, t + (begin + off) * _HOUR))
            events.append({"kind": "gap", "mmsi": plan.mmsi, "mmsi_b": -1, "start": t + begin * _HOUR,
                           "end": t + (begin + off) * _HOUR})
            return


def _meet(rng: np.random.Generator, plan: _Plan, lane: Lane, speed: float, t: float, s_from: float, s_to: float,
          events: list[dict], index: PortIndex) -> tuple[float, _Plan | None]:
    hours = lane.length_km / speed
    sign = 1.0 if s_to > s_from else -1.0
    for _ in range(20):
        when = rng.uniform(5.0, hours - 5.0)
        s_meet = s_from + sign * when * speed
        if _clear(lane, s_meet, plan.offset, index):
            break
    else:
        return t + hours * _HOUR, None
    stop = rng.uniform(3.0, 8.0) * _HOUR
    t_meet = t + when * _HOUR
    plan.t += [t_meet, t_meet + stop]
    plan.s += [s_meet, s_meet]
    other_speed = float(rng.choice(SPEEDS_KN)) * 1.852
    approach = rng.uniform(4.0, 12.0)
    s_before = float(np.clip(s_meet + sign * approach * other_speed, 0.0, lane.length_km))
    s_after = float(np.clip(s_meet - sign * approach * other_speed, 0.0, lane.length_km))
    t_before = t_meet - abs(s_before - s_meet) / other_speed * _HOUR
    t_after = t_meet + stop + abs(s_after - s_meet) / other_speed * _HOUR
    partner = _Plan(-1, plan.lane, plan.offset + 0.08 * sign, [t_before, t_meet, t_meet + stop, t_after],
                    [s_before, s_meet, s_meet, s_after], [], t_before, t_after)
    events.append({"kind": "encounter", "mmsi": plan.mmsi, "mmsi_b": -1, "start": t_meet, "end": t_meet + stop})
    return t + hours * _HOUR + stop, partner


def _positions(rng: np.random.Generator, plan: _Plan, lane: Lane, interval_s: float) -> pd.DataFrame:
    t_start = max(plan.start, plan.t[0])
    times = t_start + rng.uniform(0, interval_s) + np.arange(0.0, max(plan.end - t_start, 0.0), interval_s)
    keep = np.ones(len(times), dtype=bool)
    for a, b in plan.silences:
        keep &= (times <= a) | (times >= b)
    times = times[keep]
    s = np.interp(times, plan.t, plan.s)
    lat, lon = lane.at(s, plan.offset)
    noise = np.degrees(NOISE_M / EARTH_RADIUS_M)
    lat = lat + rng.normal(0.0, noise, len(times))
    lon = lon + rng.normal(0.0, noise, len(times)) / np.cos(np.radians(lat))
    speed = np.abs(np.gradient(s, times)) / 1.852 * _HOUR if len(times) > 1 else np.zeros(len(times))
    number = plan.mmsi - _FIRST_MMSI
    return canonical_frame(pd.DataFrame({
        "mmsi": np.full(len(times), plan.mmsi, dtype=np.int64), "imo": synthetic_imo(number),
        "name": f"SYNTHETIC {number:04d}", "time": pd.to_datetime(times, unit="s", utc=True),
        "lat": lat, "lon": lon, "sog_kn": np.round(speed, 1), "source": "synthetic"}))
