"""Reading AIS files of any supported form into one cleaned, canonical positions table.

Forms, told apart by content: Parquet or GeoParquet (the ``PAR1`` magic), NMEA sentences (a
``!AIVDM``/``!AIVDO`` sentence in the first lines), else CSV whose header names a known layout
(``layouts.LAYOUTS``). Files are read in chunks so that one large file never has to fit in memory
at once (the Dask path relies on it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import shapely

from routemap.errors import Problem, ScenarioError
from routemap.geo.ais.clean import MAX_SPEED_KN, clean_tracks, drop_invalid
from routemap.geo.ais.columns import empty_positions
from routemap.geo.ais.layouts import Layout, closest_layout, match_layout, parse_table
from routemap.geo.ais.nmea import decode_chunks, looks_like_nmea, read_statics

__all__ = ["CHUNK_ROWS", "AisFormatError", "AisPositions", "check_files", "iter_file", "read_ais"]

CHUNK_ROWS = 500_000
_HEAD_BYTES = 65_536


class AisFormatError(ScenarioError):
    """An AIS file cannot be read: missing, of no known form, or with a header no layout matches."""


@dataclass(frozen=True)
class AisPositions:
    """Cleaned AIS positions and what cleaning dropped.

    Attributes
    ----------
    positions : pandas.DataFrame
        Canonical columns (``columns.CANONICAL``), sorted by ``mmsi`` then ``time``.
    dropped : Mapping[str, int]
        Reason -> number of rows dropped (``unparsable``, ``no_time``, ``other_message``,
        ``invalid_position``, ``duplicate``, ``impossible_speed``); reasons with none are absent.
    """

    positions: pd.DataFrame
    dropped: Mapping[str, int] = field(default_factory=dict)


def read_ais(paths: Sequence[str | Path], *, max_speed_kn: float = MAX_SPEED_KN) -> AisPositions:
    """Read AIS files, detect each one's form, and clean the positions together.

    Parameters
    ----------
    paths : sequence of str or Path
        Files, in the order duplicates are resolved (the first read is kept).
    max_speed_kn : float
        The highest credible speed; jumps implying more are dropped (``clean`` module).

    Returns
    -------
    AisPositions

    Raises
    ------
    AisFormatError
        With one problem per file that cannot be read.
    """
    check_files(paths)
    frames: list[pd.DataFrame] = []
    dropped: Counter[str] = Counter()
    for path in paths:
        for chunk, counts in iter_file(path):
            valid, invalid = drop_invalid(chunk)
            frames.append(valid)
            dropped.update(counts)
            dropped.update(invalid)
    frame = pd.concat(frames, ignore_index=True) if frames else empty_positions()
    cleaned, counts = clean_tracks(frame, max_speed_kn=max_speed_kn)
    dropped.update(counts)
    return AisPositions(cleaned, {k: v for k, v in sorted(dropped.items()) if v})


def check_files(paths: Sequence[str | Path]) -> None:
    """Check that every file exists and has a known form, before any is read in full.

    Raises
    ------
    AisFormatError
        With one problem per file.
    """
    problems = [p for p in (_check(Path(path)) for path in paths) if p is not None]
    if not paths:
        problems.append(Problem("AIS", None, "", "no AIS file given"))
    if problems:
        raise AisFormatError(problems)


def _check(path: Path) -> Problem | None:
    try:
        kind, head = _sniff(path)
    except OSError as exc:
        return Problem(str(path), None, "", f"cannot read the AIS file ({exc.strerror or exc})")
    if kind == "parquet":
        try:
            names = pq.ParquetFile(path).schema_arrow.names
        except (OSError, ValueError) as exc:
            return Problem(str(path), None, "", f"not a readable Parquet file ({exc})")
        return _layout_problem(path, _parquet_headers(names), None)
    if kind == "nmea":
        return None
    first = head.splitlines()[0] if head else ""
    return _layout_problem(path, _csv_headers(first), 1)


def _layout_problem(path: Path, headers: list[str], line: int | None) -> Problem | None:
    if match_layout(headers) is not None:
        return None
    layout, missing = closest_layout(headers)
    return Problem(str(path), line, "header",
                   f"no known AIS layout matches the columns; the closest, {layout.name}, "
                   f"lacks the column(s) {', '.join(missing)}")


def _sniff(path: Path) -> tuple[str, str]:
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(b"PAR1"):
        return "parquet", ""
    text = head.decode("utf-8", errors="replace")
    return ("nmea" if looks_like_nmea(text) else "csv"), text


def _delimiter(first: str) -> str:
    return ";" if first.count(";") > first.count(",") else ","


def _csv_headers(first: str) -> list[str]:
    return [h.strip().strip('"') for h in first.lstrip("\ufeff").split(_delimiter(first))]


def _parquet_headers(names: list[str]) -> list[str]:
    return [*names, "lat", "lon"] if "geometry" in names else names


def iter_file(path: str | Path, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[tuple[pd.DataFrame, Counter[str]]]:
    """Yield a file's positions in canonical chunks (parsed, not cleaned) with the rows dropped.

    Every form streams: CSV and Parquet by ``chunk_rows`` rows, NMEA by ``chunk_rows`` positions
    (read twice: its names first, then its positions; :mod:`routemap.geo.ais.nmea`). The file must
    have passed ``check_files``.
    """
    path = Path(path)
    kind, head = _sniff(path)
    if kind == "nmea":
        with path.open(encoding="utf-8", errors="replace") as handle:
            statics = read_statics(handle)
        with path.open(encoding="utf-8", errors="replace") as handle:
            yield from decode_chunks(handle, path.name, statics, chunk_rows=chunk_rows)
        return
    if kind == "parquet":
        yield from _parquet_chunks(path, chunk_rows)
        return
    headers = _csv_headers(head.splitlines()[0])
    layout = match_layout(headers)
    assert layout is not None  # check_files refused the file otherwise
    yield from _csv_chunks(path, _delimiter(head.splitlines()[0]), layout, chunk_rows)


def _csv_chunks(path: Path, delimiter: str, layout: Layout,
                chunk_rows: int) -> Iterator[tuple[pd.DataFrame, Counter[str]]]:
    wanted = set(layout.columns.values())
    text_columns = {layout.columns[key]: "string" for key in ("name", "imo") if key in layout.columns}
    reader = pd.read_csv(path, sep=delimiter, chunksize=chunk_rows, encoding="utf-8-sig", dtype=text_columns,
                         usecols=lambda c: c.strip() in wanted or c.strip().lstrip("#").strip() in wanted,
                         skipinitialspace=True, on_bad_lines="skip")
    for chunk in reader:
        chunk.columns = [c.strip() for c in chunk.columns]
        yield parse_table(chunk, layout, path.name)


def _parquet_chunks(path: Path, chunk_rows: int) -> Iterator[tuple[pd.DataFrame, Counter[str]]]:
    handle = pq.ParquetFile(path)
    headers = _parquet_headers(handle.schema_arrow.names)
    layout = match_layout(headers)
    assert layout is not None
    for batch in handle.iter_batches(batch_size=chunk_rows):
        table = batch.to_pandas()
        if "geometry" in table.columns and not {"lat", "lon"} <= set(table.columns):
            points = shapely.from_wkb(table.pop("geometry").to_numpy())
            table["lon"], table["lat"] = shapely.get_x(points), shapely.get_y(points)
        yield parse_table(table, layout, path.name)
