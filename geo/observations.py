"""A scenario's ``observations``: the AIS files to hold its sea legs against, and the vessels in them.

The section names files of ship position reports (AIS), the vessels of interest in them (by IMO
number, MMSI or name), the thresholds the derivations use and the sources the positions come
from. Reading and deriving the positions is :mod:`routemap.geo.ais` and
:mod:`routemap.routes.observed`; this module only checks what the scenario says.
"""

from __future__ import annotations

import re
from pathlib import Path

from routemap.geo.validate import Checker
from routemap.geo.vessels import (
    DEFAULT_THRESHOLDS,
    THRESHOLD_LIMITS,
    ObservationSpec,
    Thresholds,
    Vessel,
    imo_check_digit_ok,
)
from routemap.geo.yamldoc import YNode

__all__ = ["OBSERVATION_KEYS", "read_observations"]

OBSERVATION_KEYS = {"files": True, "vessels": True, "sources": True, "thresholds": False,
                    "synthetic": False, "note": False}
VESSEL_KEYS = {"name": False, "imo": False, "mmsi": False}
MAX_FILES = 1_000  # a scenario names files, not an archive's every day; `routemap observe` is for those
_MMSI = re.compile(r"\d{9}\Z")
_IMO = re.compile(r"(?:IMO\s*)?(\d{7})\Z", re.IGNORECASE)


def read_observations(node: YNode | None, check: Checker, known_sources: set[str], base: Path
                      ) -> ObservationSpec | None:
    """Read and check a scenario's ``observations`` section.

    Parameters
    ----------
    node : YNode or None
        The section (None: the scenario has none).
    check : Checker
        Collects every problem, located by line and key.
    known_sources : set of str
        The scenario's source ids, which ``sources`` must cite.
    base : Path
        The scenario's folder; ``files`` are relative to it.

    Returns
    -------
    ObservationSpec or None
        None when there is no section or it has problems (they are in ``check``).
    """
    if node is None:
        return None
    before = len(check.problems)
    fields = check.mapping(node, "observations", OBSERVATION_KEYS)
    if fields is None:
        return None
    files = _files(fields.get("files"), check, base)
    synthetic = _boolean(fields.get("synthetic"), "observations.synthetic", check)
    vessels = tuple(check.items(fields.get("vessels"), "observations.vessels",
                                lambda n, p: _vessel(n, p, check, made_up=bool(synthetic)), min_items=1))
    sources = _sources(fields.get("sources"), check, known_sources)
    thresholds = _thresholds(fields.get("thresholds"), check)
    note = check.text(fields.get("note"), "observations.note")
    if len(check.problems) > before:
        return None
    return ObservationSpec(files=tuple(f for f, _ in files), paths=tuple(p for _, p in files),
                           vessels=vessels, sources=sources, thresholds=thresholds,
                           synthetic=bool(synthetic), note=note, line=node.line)


def _files(node: YNode | None, check: Checker, base: Path) -> list[tuple[str, Path]]:
    path = "observations.files"
    if node is not None and node.is_seq and len(node.value) > MAX_FILES:
        check.error(node, path, f"at most {MAX_FILES:,} files, found {len(node.value):,}; summarise a "
                                "large archive with 'routemap observe' first")
        return []
    found: list[tuple[str, Path]] = []
    for i, item in enumerate(check.seq(node, path, min_items=1) or [] if node is not None else []):
        text = check.text(item, f"{path}[{i}]")
        if text is None:
            continue
        resolved = (base / text).resolve() if not Path(text).is_absolute() else Path(text)
        if not resolved.is_file():
            what = "is a folder, not a file" if resolved.is_dir() else "does not exist"
            check.error(item, f"{path}[{i}]",
                        f"the AIS file '{text}' {what} (paths are relative to the scenario's folder)")
            continue
        found.append((text, resolved))
    return found


def _vessel(node: YNode, path: str, check: Checker, *, made_up: bool = False) -> Vessel | None:
    """Read one vessel of interest. A real IMO number passes the IMO check digit; synthetic
    observations (``made_up``) may give one that fails it, which no real ship can have."""
    fields = check.mapping(node, path, VESSEL_KEYS)
    if fields is None:
        return None
    before = len(check.problems)
    name = check.text(fields.get("name"), f"{path}.name")
    imo = _number_id(fields.get("imo"), f"{path}.imo", check, _IMO, "an IMO number (seven digits, e.g. 9179842)")
    if imo is not None and not made_up and not imo_check_digit_ok(imo):
        check.error(fields["imo"], f"{path}.imo", f"IMO {imo:07d} fails the IMO check digit (a typo?)")
    mmsi = _number_id(fields.get("mmsi"), f"{path}.mmsi", check, _MMSI, "an MMSI (nine digits, e.g. 273456789)")
    if not fields.keys() & VESSEL_KEYS.keys():
        check.error(node, path, "a vessel needs at least one of 'imo', 'mmsi', 'name'")
    if len(check.problems) > before:
        return None
    return Vessel(name=name, imo=imo, mmsi=mmsi)


def _number_id(node: YNode | None, path: str, check: Checker, pattern: re.Pattern[str], what: str) -> int | None:
    """Read an IMO number or an MMSI, written as a number or as text (``IMO 9179842``)."""
    if node is None:
        return None
    raw = node.raw if node.is_scalar and node.raw is not None else None
    match = pattern.match(raw.strip()) if raw is not None and not isinstance(node.value, bool) else None
    if match is None:
        check.error(node, path, f"expected {what}, found {raw!r}" if raw is not None
                    else f"expected {what}, found a {'mapping' if node.is_map else 'list'}")
        return None
    return int(match.group(match.lastindex or 0))


def _sources(node: YNode | None, check: Checker, known: set[str]) -> tuple[str, ...]:
    ids: list[str] = []
    for i, item in enumerate(check.seq(node, "observations.sources", min_items=1) or [] if node is not None else []):
        where = f"observations.sources[{i}]"
        sid = check.slug(item, where)
        if sid is not None and sid not in known:
            check.error(item, where, f"unknown source id '{sid}'{check.hint(sid, known)}")
        elif sid is not None:
            ids.append(sid)
    return tuple(dict.fromkeys(ids))


def _thresholds(node: YNode | None, check: Checker) -> Thresholds:
    if node is None:
        return DEFAULT_THRESHOLDS
    keys = dict.fromkeys(THRESHOLD_LIMITS, False)
    fields = check.mapping(node, "observations.thresholds", keys)
    if fields is None:
        return DEFAULT_THRESHOLDS
    values = {}
    for name, (low, high) in THRESHOLD_LIMITS.items():
        value = check.number(fields.get(name), f"observations.thresholds.{name}", low=low, high=high)
        if value is not None:
            values[name] = value
    return Thresholds(**values)


def _boolean(node: YNode | None, path: str, check: Checker) -> bool | None:
    if node is None:
        return None
    if not isinstance(node.value, bool):
        check.error(node, path, f"expected true or false, found {node.raw!r}")
        return None
    return node.value
