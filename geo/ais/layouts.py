"""The tabular AIS layouts routemap recognises, told apart by their header, and their parsing.

Each layout maps its own column names to the canonical ones (``columns.CANONICAL``). A header is
matched after folding case, spaces and a leading ``#`` (the Danish Maritime Authority's header
starts with ``# Timestamp``). A table whose header has no layout's required columns is refused
with the closest layout and what it lacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routemap.geo.ais.columns import canonical_frame

__all__ = ["LAYOUTS", "Layout", "closest_layout", "fold", "match_layout", "parse_table"]


@dataclass(frozen=True)
class Layout:
    """One tabular layout: its name, its column for each canonical column, its time format.

    Attributes
    ----------
    name : str
        As messages name it.
    columns : dict
        Canonical column -> the layout's header (as written by the publisher).
    required : tuple of str
        Canonical columns that must be present.
    time_format : str or None
        ``strftime`` format of the time column; ``None`` lets pandas read ISO 8601.
    """

    name: str
    columns: dict[str, str]
    required: tuple[str, ...]
    time_format: str | None

    def folded(self) -> dict[str, str]:
        """Return canonical column -> folded header."""
        return {key: fold(value) for key, value in self.columns.items()}


_REQUIRED = ("mmsi", "time", "lat", "lon")

LAYOUTS: tuple[Layout, ...] = (
    Layout("Danish Maritime Authority (DMA)",
           {"time": "# Timestamp", "mmsi": "MMSI", "lat": "Latitude", "lon": "Longitude", "sog_kn": "SOG",
            "cog_deg": "COG", "imo": "IMO", "name": "Name"},
           _REQUIRED, "%d/%m/%Y %H:%M:%S"),
    Layout("NOAA MarineCadastre",
           {"mmsi": "MMSI", "time": "BaseDateTime", "lat": "LAT", "lon": "LON", "sog_kn": "SOG",
            "cog_deg": "COG", "name": "VesselName", "imo": "IMO"},
           _REQUIRED, None),
    Layout("routemap canonical",
           {"mmsi": "mmsi", "time": "time", "lat": "lat", "lon": "lon", "sog_kn": "sog_kn",
            "cog_deg": "cog_deg", "name": "name", "imo": "imo", "source": "source"},
           _REQUIRED, None),
)


def fold(header: str) -> str:
    """Return a header folded for matching: no leading ``#``, no spaces or underscores, lower case."""
    return "".join(ch for ch in header.strip().lstrip("#").lower() if ch not in " _")


def match_layout(headers: list[str]) -> Layout | None:
    """Return the first layout whose required columns all appear in ``headers``, else ``None``."""
    present = {fold(h) for h in headers}
    for layout in LAYOUTS:
        folded = layout.folded()
        if all(folded[key] in present for key in layout.required):
            return layout
    return None


def closest_layout(headers: list[str]) -> tuple[Layout, list[str]]:
    """Return the layout with the most required columns present, and the headers it lacks."""
    present = {fold(h) for h in headers}

    def missing(layout: Layout) -> list[str]:
        return [layout.columns[key] for key in layout.required if fold(layout.columns[key]) not in present]

    best = min(LAYOUTS, key=lambda layout: len(missing(layout)))
    return best, missing(best)


def parse_table(raw: pd.DataFrame, layout: Layout, source: str) -> tuple[pd.DataFrame, Counter[str]]:
    """Turn a table read in ``layout`` into canonical positions; rows that do not parse are counted.

    A row is ``unparsable`` when its MMSI is not a whole number from 1 to 999,999,999, or its time
    cannot be read. Latitude and longitude that are not numbers become NaN (the cleaning step
    counts them as invalid positions). IMO numbers are read from their digits (``IMO9301213`` or
    ``9301213``); ``0``, ``Unknown`` and anything not of 7 digits becomes missing.

    Parameters
    ----------
    raw : pandas.DataFrame
        Columns as the file names them, values as text or numbers.
    layout : Layout
        The layout ``match_layout`` found.
    source : str
        The file name, written to the ``source`` column.

    Returns
    -------
    tuple
        The canonical table and the count of unparsable rows (``{"unparsable": n}``).
    """
    by_fold = {fold(str(c)): c for c in raw.columns}
    pick = {key: raw[by_fold[f]] for key, f in layout.folded().items() if f in by_fold}
    mmsi = pd.to_numeric(pick["mmsi"], errors="coerce")
    time = _times(pick["time"], layout.time_format)
    ok = mmsi.notna().to_numpy() & (mmsi % 1 == 0).to_numpy() & time.notna().to_numpy()
    ok &= ((mmsi >= 1) & (mmsi <= 999_999_999)).to_numpy()
    frame = pd.DataFrame({
        "mmsi": mmsi[ok].astype("int64"),
        "time": time[ok],
        "lat": pd.to_numeric(pick["lat"][ok], errors="coerce"),
        "lon": pd.to_numeric(pick["lon"][ok], errors="coerce"),
    })
    for key in ("sog_kn", "cog_deg"):
        if key in pick:
            frame[key] = pd.to_numeric(pick[key][ok], errors="coerce")
    if "imo" in pick:
        frame["imo"] = parse_imo(pick["imo"][ok])
    if "name" in pick:
        frame["name"] = _names(pick["name"][ok])
    frame["source"] = source
    dropped: Counter[str] = Counter()
    if (~ok).any():
        dropped["unparsable"] = int((~ok).sum())
    return canonical_frame(frame.reset_index(drop=True)), dropped


def _times(column: pd.Series, time_format: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column):
        series = column if getattr(column.dt, "tz", None) is not None else column.dt.tz_localize("UTC")
        return series.dt.tz_convert("UTC")
    text = column.astype("string")
    if time_format is not None:
        return pd.to_datetime(text, format=time_format, errors="coerce", utc=True)
    return pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)


def _on_distinct(column: pd.Series, parse: Callable[[pd.Series], pd.Series], dtype: str) -> pd.Series:
    """Apply ``parse`` to the distinct values of a column only (AIS repeats a ship's name and IMO)."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    parsed = parse(pd.Series(distinct, dtype=column.dtype if len(distinct) else "string")).astype(dtype)
    out = parsed.take(np.where(codes < 0, 0, codes)).reset_index(drop=True) if len(distinct) else \
        pd.Series(pd.NA, index=range(len(column)), dtype=dtype)
    out[codes < 0] = pd.NA
    out.index = column.index
    return out


def parse_imo(column: pd.Series) -> pd.Series:
    """Return IMO numbers (nullable integers) from text such as ``IMO9301213``, ``9301213`` or ``Unknown``."""
    return _on_distinct(column, _parse_imo, "Int64")


def _parse_imo(column: pd.Series) -> pd.Series:
    digits = column.astype("string").str.replace(r"(?i)^\s*imo\s*", "", regex=True).str.strip()
    digits = digits.str.replace(r"\.0$", "", regex=True)
    valid = digits.str.fullmatch(r"[1-9]\d{6}").fillna(False).astype(bool)
    values = pd.to_numeric(digits.where(valid), errors="coerce")
    return pd.Series(np.where(valid, values, np.nan), index=column.index).astype("Int64")


def _names(column: pd.Series) -> pd.Series:
    return _on_distinct(column, _parse_names, "string")


def _parse_names(column: pd.Series) -> pd.Series:
    text = column.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return text.where(text.str.len() > 0).astype("string")
