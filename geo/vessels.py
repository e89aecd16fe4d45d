"""The vessels of a scenario's ``observations`` and the thresholds its sea legs are held against."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_THRESHOLDS",
    "THRESHOLD_LIMITS",
    "ObservationSpec",
    "Thresholds",
    "Vessel",
    "fold_name",
    "imo_check_digit_ok",
]

@dataclass(frozen=True)
class Thresholds:
    """The numbers that decide what counts as a gap, a port call, a meeting and a contradiction.

    Attributes
    ----------
    gap_hours : float
        A vessel with no position for longer than this (hours) went dark: a gap. Default 6.
    away_km : float
        "Away from ports": farther than this (km) from every gazetteer port. Gaps and encounters
        are only counted away from ports, and a track "passes near" a leg's end when one of its
        positions lies within this distance of it. Default 10.
    encounter_m : float
        Two vessels closer than this (metres) are meeting. Default 500.
    encounter_hours : float
        ...for at least this long (hours): an encounter, a possible ship-to-ship transfer. Default 1.
    off_route_km : float
        A position farther than this (km) from a leg's drawn line is "elsewhere". A leg's line is
        often a model along the sea lanes, and real ships sail tens of km off a lane, so the
        default, 100, is wide on purpose: a leg is contradicted only by a track clearly elsewhere.
    """

    gap_hours: float = 6.0
    away_km: float = 10.0
    encounter_m: float = 500.0
    encounter_hours: float = 1.0
    off_route_km: float = 100.0


DEFAULT_THRESHOLDS = Thresholds()
THRESHOLD_LIMITS = {"gap_hours": (0.1, 24.0 * 365), "away_km": (0.0, 1000.0),
                     "encounter_m": (1.0, 100_000.0), "encounter_hours": (0.0, 24.0 * 30),
                     "off_route_km": (1.0, 5000.0)}


@dataclass(frozen=True)
class Vessel:
    """A vessel of interest: at least one of its IMO number, its MMSI or its name."""

    name: str | None = None
    imo: int | None = None
    mmsi: int | None = None

    @property
    def label(self) -> str:
        """Return how the vessel is written: its name, else ``IMO 9179842``, else ``MMSI ...``."""
        if self.name:
            return self.name
        return f"IMO {self.imo}" if self.imo is not None else f"MMSI {self.mmsi}"

    def matches(self, carrier: str | None) -> bool:
        """Return True if a leg's ``carrier`` names this vessel (name, ``IMO n`` or the MMSI)."""
        if not carrier:
            return False
        folded = fold_name(carrier)
        if self.name and folded == fold_name(self.name):
            return True
        if self.imo is not None and folded in {f"{self.imo}", f"imo {self.imo}", f"imo{self.imo}"}:
            return True
        return self.mmsi is not None and folded in {f"{self.mmsi}", f"mmsi {self.mmsi}"}


@dataclass(frozen=True)
class ObservationSpec:
    """What a scenario's ``observations`` section says.

    Attributes
    ----------
    files : tuple of str
        The AIS files as written in the scenario (relative to it), in order.
    paths : tuple of Path
        The same files resolved against the scenario's folder.
    vessels : tuple of Vessel
        The vessels of interest.
    sources : tuple of str
        Source ids the positions come from (a data provider, a published export).
    thresholds : Thresholds
    synthetic : bool
        True when the positions are made up (a tutorial, a test); every output says so.
    note : str or None
    line : int or None
        The section's line in the file.
    """

    files: tuple[str, ...]
    paths: tuple[Path, ...] = field(compare=False)
    vessels: tuple[Vessel, ...]
    sources: tuple[str, ...]
    thresholds: Thresholds = DEFAULT_THRESHOLDS
    synthetic: bool = False
    note: str | None = None
    line: int | None = None

    def vessel_for(self, carrier: str | None) -> Vessel | None:
        """Return the vessel of interest a leg's ``carrier`` names, if any."""
        return next((v for v in self.vessels if v.matches(carrier)), None)


def fold_name(text: str) -> str:
    """Return a vessel name folded for comparison: case, accents, punctuation and spacing ignored.

    ``"LADY  R"``, ``"Lady-R"`` and ``"lady r"`` fold to ``"lady r"``; AIS names are upper case
    and often padded or punctuated differently from a report's.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", letters.casefold()).split())


def imo_check_digit_ok(number: int) -> bool:
    """Return True if a seven-digit IMO ship number's last digit is its check digit.

    The first six digits are multiplied by 7, 6, 5, 4, 3, 2 and summed; the sum's last digit is
    the seventh (IMO resolution A.1078(28)): 9179842 -> 9*7+1*6+7*5+9*4+8*3+4*2 = 172, ends in 2.
    """
    digits = [int(d) for d in f"{number:07d}"]
    return len(digits) == 7 and sum(d * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10 == digits[6]
