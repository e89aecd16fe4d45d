"""Raw AIS radio messages (NMEA 0183 ``!AIVDM``/``!AIVDO`` sentences) decoded with pyais.

A position needs a time, and AIS position messages carry only the second of the minute, so the
time comes from the line: an IEC 62320 tag block (``\\c:1704067200*hh\\!AIVDM,...``, Unix seconds,
or milliseconds when the number has 13 digits), a leading timestamp (ISO 8601 or Unix seconds,
``2024-01-01T00:00:00Z !AIVDM,...``), or a trailing one after the checksum (``...*5C,1704067200``, the
Norwegian Coastal Administration's form). Multi-sentence messages are put back together by their
fragment count, sequence id and channel, and take the time of their first sentence.

Positions come from message types 1, 2, 3 (class A), 18 and 19 (class B), 27 (long range); names
and IMO numbers from types 5, 19 and 24 (part A), applied to every position of the same MMSI in the
file (the last value reported wins).

A file is decoded as a stream, in chunks of at most ``chunk_rows`` positions, so memory stays bounded
whatever its size (a day of a national feed is about 0.6 GB): a first pass reads the names and IMO
numbers only (the message type is the first character of a message's payload, so no other message is
decoded), the second decodes the positions chunk by chunk with those names. A multi-sentence message
waits for its last sentence across a chunk's end, so it is decoded whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyais
from pyais.exceptions import AISBaseException

from routemap.geo.ais.columns import canonical_frame

__all__ = ["Statics", "decode_chunks", "decode_lines", "looks_like_nmea", "read_statics"]

_SENTENCE = re.compile(r"[!$][A-Z]{2}VD[MO],")
_TAG_TIME = re.compile(r"(?:^|,)c:(\d{9,13})")
POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
STATIC_TYPES = frozenset({5, 19, 24})
_STATIC_LEADS = frozenset("5CH")  # a payload's first character: message type 5, 19 or 24
_NO_SPEED = 102.3
_NO_COURSE = 360.0


def looks_like_nmea(head: str) -> bool:
    """Return whether the first lines of a text file hold AIS sentences."""
    return any(_SENTENCE.search(line) for line in head.splitlines()[:20])


Statics = dict[int, tuple[int | None, str | None]]
"""MMSI -> (IMO number, name) as a file's static messages report them (the last value wins)."""


@dataclass
class _Collector:
    statics: Statics = field(default_factory=dict)
    statics_only: bool = False
    """The first pass: only messages of a static type are decoded, and only their data is kept."""
    rows: list[tuple] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    pending: dict[tuple[str, str, str], tuple[float | None, list[bytes]]] = field(default_factory=dict)


def read_statics(lines: Iterable[str]) -> Statics:
    """Return the names and IMO numbers a file's static messages (types 5, 19, 24) report.

    Parameters
    ----------
    lines : iterable of str
        The file's lines, streamed.

    Returns
    -------
    dict
        MMSI -> (IMO number or None, name or None); the last value reported wins.
    """
    state = _Collector(statics_only=True)
    for line in lines:
        _take_line(line.strip(), state)
    return state.statics


def decode_chunks(lines: Iterable[str], source: str, statics: Statics, *,
                  chunk_rows: int) -> Iterator[tuple[pd.DataFrame, Counter[str]]]:
    """Decode AIS sentences into canonical positions, a chunk at a time; count what cannot be used.

    Parameters
    ----------
    lines : iterable of str
        The file's lines, streamed (never held whole).
    source : str
        The file name, written to the ``source`` column.
    statics : dict
        :func:`read_statics` of the same file: the names and IMO numbers its positions are given.
    chunk_rows : int, keyword-only
        Positions per chunk (at least 1). A multi-sentence message split across two chunks is
        decoded whole when its last sentence comes.

    Yields
    ------
    tuple
        Positions (canonical columns, in file order) and counts by reason: ``unparsable`` (a
        damaged sentence, a bad checksum, a multi-sentence message with a part missing),
        ``no_time`` (a position with no time on its line), ``other_message`` (AIS messages that are
        not vessel positions or static data: base stations, aids to navigation, ...). At least one
        chunk, maybe empty.
    """
    state = _Collector(statics=dict(statics))
    yielded = False
    for line in lines:
        _take_line(line.strip(), state)
        if len(state.rows) >= max(chunk_rows, 1):
            yield _chunk(state, source)
            yielded = True
    state.dropped["unparsable"] += sum(len(parts) for _, parts in state.pending.values())
    if state.rows or state.dropped or not yielded:
        yield _chunk(state, source)


def decode_lines(lines: Iterable[str], source: str) -> tuple[pd.DataFrame, Counter[str]]:
    """Decode AIS sentences held in memory into one table (:func:`decode_chunks` in one chunk).

    Parameters
    ----------
    lines : iterable of str
        The lines (read twice: for the names, then for the positions).
    source : str
        The file name, written to the ``source`` column.

    Returns
    -------
    tuple
        The positions and counts by reason, as :func:`decode_chunks` yields them.
    """
    held = list(lines)
    frames, dropped = [], Counter[str]()
    for frame, counts in decode_chunks(held, source, read_statics(held), chunk_rows=len(held) + 1):
        frames.append(frame)
        dropped.update(counts)
    return frames[0], dropped


def _chunk(state: _Collector, source: str) -> tuple[pd.DataFrame, Counter[str]]:
    """Return the positions and counts gathered since the last chunk, and start the next one."""
    frame = pd.DataFrame(state.rows, columns=["mmsi", "time", "lat", "lon", "sog_kn", "cog_deg"])
    frame["time"] = pd.to_datetime(frame["time"].astype("float64"), unit="s", utc=True)
    known = [state.statics.get(int(m), (None, None)) for m in frame["mmsi"]]
    frame["imo"] = pd.array([k[0] for k in known], dtype="Int64")
    frame["name"] = pd.array([k[1] for k in known], dtype="string")
    frame["source"] = source
    counts = Counter({k: v for k, v in state.dropped.items() if v})
    state.rows, state.dropped = [], Counter()
    return canonical_frame(frame), counts


def _take_line(line: str, state: _Collector) -> None:
    if not line:
        return
    found = _SENTENCE.search(line)
    if found is None:
        state.dropped["unparsable"] += 1
        return
    prefix, sentence = line[:found.start()], line[found.start():]
    sentence, _, trailer = sentence.partition(" ")
    star = sentence.find("*")
    extra = sentence[star + 3:] if star >= 0 else ""
    sentence = sentence[:star + 3] if star >= 0 else sentence
    fields = sentence.split(",")
    if len(fields) < 7 or not fields[1].isdigit() or not fields[2].isdigit():
        state.dropped["unparsable"] += 1
        return
    count, number = int(fields[1]), int(fields[2])
    if state.statics_only and number == 1 and fields[5][:1] not in _STATIC_LEADS:
        return  # the first pass decodes static messages only
    seconds = None if state.statics_only else _line_time(prefix, extra.strip(",") or trailer)
    if count == 1:
        _decode([sentence.encode()], seconds, state)
        return
    key = (fields[1], fields[3], fields[4])
    first_time, parts = state.pending.pop(key, (seconds, []))
    if number != len(parts) + 1:
        state.dropped["unparsable"] += len(parts) + (0 if number == 1 else 1)
        first_time, parts = (seconds, []) if number == 1 else (None, [])
        if number != 1:
            return
    parts = [*parts, sentence.encode()]
    if number == count:
        _decode(parts, first_time, state)
    else:
        state.pending[key] = (first_time, parts)


def _line_time(prefix: str, trailer: str) -> float | None:
    tag = _TAG_TIME.search(prefix.strip("\\"))
    if tag is not None:
        return _epoch(tag.group(1))
    for text in (prefix.strip(" \\,;\t"), trailer.strip(" ,;\t")):
        if not text:
            continue
        if text.isdigit():
            return _epoch(text)
        try:
            stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return stamp.timestamp()
    return None


def _epoch(digits: str) -> float:
    value = float(digits)
    return value / 1000.0 if len(digits) >= 13 else value


def _decode(parts: list[bytes], seconds: float | None, state: _Collector) -> None:
    try:
        message = pyais.decode(*parts, error_if_checksum_invalid=True)
        data = message.asdict()
    except (AISBaseException, ValueError, IndexError, KeyError, TypeError):
        state.dropped["unparsable"] += len(parts)
        return
    kind = int(data.get("msg_type", 0))
    if state.statics_only:
        if kind in STATIC_TYPES:
            _take_static(data, state)
        return
    if kind not in POSITION_TYPES:
        if kind not in STATIC_TYPES:
            state.dropped["other_message"] += 1
        return
    if seconds is None:
        state.dropped["no_time"] += 1
        return
    speed = _number(data.get("speed"), _NO_SPEED)
    course = _number(data.get("course"), _NO_COURSE)
    state.rows.append((int(data["mmsi"]), seconds, _number(data.get("lat"), None),
                       _number(data.get("lon"), None), speed, course))


def _take_static(data: dict, state: _Collector) -> None:
    mmsi = int(data["mmsi"])
    imo, name = state.statics.get(mmsi, (None, None))
    raw_imo = data.get("imo")
    if isinstance(raw_imo, int) and 1_000_000 <= raw_imo <= 9_999_999:
        imo = raw_imo
    raw_name = data.get("shipname")
    if isinstance(raw_name, str):
        cleaned = " ".join(raw_name.replace("@", " ").split())
        name = cleaned or name
    state.statics[mmsi] = (imo, name)


def _number(value: object, missing: float | None) -> float:
    if value is None or isinstance(value, bool):
        return np.nan
    number = float(value)  # type: ignore[arg-type]
    return np.nan if missing is not None and number >= missing else number
