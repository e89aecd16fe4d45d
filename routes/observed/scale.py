"""The Dask path: the same four results as ``derive`` for AIS archives larger than memory.

Three stages of tasks, each reading only its own partition from disk, so memory stays flat as the
archive grows (the number of partitions grows with it):

1. one task per input file reads it in chunks, drops invalid positions, and writes each vessel's
   rows to its vessel partition (a hash of the MMSI);
2. one task per vessel partition cleans its vessels' tracks (duplicates and jumps need a vessel's
   whole track), derives their trajectories, gaps and port calls, and writes their positions at the
   time marks to space-time cells: a cell of about 130 km on the unit sphere and a UTC day; a
   position within ``encounter_m`` of a neighbouring cell is also written there (a halo), so no pair
   across a cell border is lost;
3. one task per cell partition finds the close pairs at each mark, keeping a pair only in the home
   cell of its lower-MMSI vessel, so each is found once.

The pairs (few: only vessels within ``encounter_m``) are joined into meetings on the client, and
the partial results into the four GeoParquet files. The tasks run on a ``distributed`` cluster
(a local one by default) or any Dask scheduler; workers must see the same paths.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import math
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dask
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from routemap.errors import RouteMapError, library_detail
from routemap.geo.ais import check_files, clean_tracks, drop_invalid, iter_file
from routemap.geo.ais.columns import EARTH_RADIUS_M
from routemap.routes.observed.derive import Observations, sort_observations
from routemap.routes.observed.encounters import PAIR_COLUMNS, close_pairs, marks, meetings
from routemap.routes.observed.geoparquet import join_parts, read_frame, write_frame
from routemap.routes.observed.ports import PortIndex, unit_vectors
from routemap.routes.observed.rules import Rules
from routemap.routes.observed.vessels import Fixes, gaps, port_calls, trajectories

__all__ = ["OUTPUTS", "Observed", "Partitioning", "SchedulerError", "local_cluster", "observe", "read_observed",
           "scheduler"]

logger = logging.getLogger(__name__)

OUTPUTS = ("trajectories", "gaps", "port_calls", "encounters")
"""The four results, written as ``<name>.parquet``."""
_DAY_NS = 86_400 * 10**9


@dataclass(frozen=True)
class Partitioning:
    """How the work is cut.

    Attributes
    ----------
    rows_per_partition : int
        Estimated positions per vessel partition (the number of partitions follows the input size).
    min_partitions : int
    cell : float
        Edge of a space cell on the unit sphere (0.02 is about 127 km).
    chunk_rows : int
        Rows read from a file at a time.
    """

    rows_per_partition: int = 400_000
    min_partitions: int = 4
    cell: float = 0.02
    chunk_rows: int = 500_000

    def count(self, paths: Sequence[Path]) -> int:
        """Return the number of partitions for these files (rows estimated from their size)."""
        rows = sum(_estimated_rows(p) for p in paths)
        return max(self.min_partitions, math.ceil(rows / self.rows_per_partition))


def _estimated_rows(path: Path) -> int:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowInvalid):
        return path.stat().st_size // 60


@dataclass(frozen=True)
class Observed:
    """What ``observe`` wrote: the files, their row counts, and the positions read and dropped."""

    files: dict[str, Path]
    rows: dict[str, int]
    positions: int
    dropped: dict[str, int] = field(default_factory=dict)


class SchedulerError(RouteMapError, ConnectionError):
    """The Dask scheduler named cannot be reached."""


LOCAL_SCHEDULERS = ("synchronous", "threads")


@contextlib.contextmanager
def local_cluster() -> Iterator:  # yields a distributed.Client
    """Run a local cluster of 2 worker processes (1 thread, 1.25 GiB each); yield its client, then close both.

    No dashboard is served (the scheduler's own HTTP endpoint takes a free port), and the cluster's
    log lines are silenced in its workers: errors in the work reach the caller as exceptions.
    """
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="1.25GiB",
                      dashboard_address=":0", scheduler_kwargs={"dashboard": False},
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        yield client


@contextlib.contextmanager
def scheduler(address: str | None) -> Iterator[Callable | str]:
    """Yield the Dask scheduler ``observe`` takes for ``--scheduler``, and close what was started.

    Parameters
    ----------
    address : str or None
        ``None``: a local cluster (``local_cluster``); ``synchronous`` or ``threads``: this process
        only; anything else: the address of a running ``distributed`` scheduler (``tcp://host:8786``).

    Raises
    ------
    SchedulerError
        If the address cannot be reached within 10 seconds.
    """
    if address in LOCAL_SCHEDULERS:
        yield address
        return
    if address is None:
        with local_cluster() as client:
            yield client.get
        return
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerError(f"--scheduler '{address}': cannot connect to a Dask scheduler there"
                             + library_detail("distributed", exc)) from None
    with client:
        yield client.get


def observe(paths: Sequence[str | Path], out_dir: str | Path, ports: gpd.GeoDataFrame, *, rules: Rules | None = None,
            get: Callable | str = "synchronous", partitioning: Partitioning | None = None) -> Observed:
    """Read AIS files and write trajectories, gaps, port calls and encounters as GeoParquet files.

    Parameters
    ----------
    paths : sequence of str or Path
        AIS files of any form ``routemap.geo.ais`` reads.
    out_dir : str or Path
        Folder of the four ``OUTPUTS`` files (created if needed).
    ports : geopandas.GeoDataFrame
        ``port_frame()``.
    rules : Rules, optional
    get : callable or str
        A Dask scheduler: a name (``"synchronous"``, ``"threads"``, ``"processes"``) or a client's ``get``.
    partitioning : Partitioning, optional

    Returns
    -------
    Observed

    Raises
    ------
    AisFormatError
        If a file cannot be read, before any work starts.
    """
    rules = rules or Rules()
    parting = partitioning or Partitioning()
    files = [Path(p) for p in paths]
    check_files(files)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".observe-", dir=out))
    try:
        return _run(files, out, work, PortIndex(ports), rules, parting, get)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(files: list[Path], out: Path, work: Path, ports: PortIndex, rules: Rules, parting: Partitioning,
         get: Callable | str) -> Observed:
    n = parting.count(files)
    logger.info("observe: %d files, %d partitions", len(files), n)
    stage1 = [dask.delayed(_split_file)(f, i, work, n, parting.chunk_rows) for i, f in enumerate(files)]
    counts = dask.compute(*stage1, scheduler=get)
    dropped: Counter[str] = Counter()
    for c in counts:
        dropped.update(c)
    stage2 = [dask.delayed(_per_vessel)(k, work, n, ports, rules, parting.cell) for k in range(n)]
    counts = dask.compute(*stage2, scheduler=get)
    positions = 0
    for c in counts:
        positions += c.pop("positions", 0)
        dropped.update(c)
    stage3 = [dask.delayed(_pairs_in_cells)(p, work, rules) for p in range(n)]
    pairs = pd.concat(dask.compute(*stage3, scheduler=get), ignore_index=True)
    written = _write(out, work, n, meetings(pairs, rules))
    return Observed({name: out / f"{name}.parquet" for name in OUTPUTS}, written, positions,
                    {k: v for k, v in sorted(dropped.items()) if v})


def _bucket(mmsi: np.ndarray, n: int) -> np.ndarray:
    return ((mmsi.astype(np.uint64) * np.uint64(2_654_435_761)) % np.uint64(2**32)) % np.uint64(n)


def _split_file(path: Path, number: int, work: Path, n: int, chunk_rows: int) -> Counter[str]:
    """Stage 1: one file's valid positions, written to their vessel partitions."""
    dropped: Counter[str] = Counter()
    writers: dict[int, pq.ParquetWriter] = {}
    try:
        for chunk, counts in iter_file(path, chunk_rows=chunk_rows):
            dropped.update(counts)
            valid, invalid = drop_invalid(chunk)
            dropped.update(invalid)
            buckets = _bucket(valid["mmsi"].to_numpy(np.int64), n)
            for k in np.unique(buckets):
                table = pa.Table.from_pandas(valid.loc[buckets == k], preserve_index=False)
                if int(k) not in writers:
                    folder = work / "vessels" / f"{int(k):05d}"
                    folder.mkdir(parents=True, exist_ok=True)
                    writers[int(k)] = pq.ParquetWriter(folder / f"{number:06d}.parquet", table.schema)
                writers[int(k)].write_table(table)
    finally:
        for writer in writers.values():
            writer.close()
    return dropped


def _per_vessel(k: int, work: Path, n: int, ports: PortIndex, rules: Rules, cell: float) -> Counter[str]:
    """Stage 2: one vessel partition cleaned and derived; its mark positions written to the cells."""
    folder = work / "vessels" / f"{k:05d}"
    parts = sorted(folder.glob("*.parquet")) if folder.exists() else []
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True) if parts else None
    results = work / "results"
    for name in OUTPUTS[:3]:
        (results / name).mkdir(parents=True, exist_ok=True)
    if frame is None or frame.empty:
        return Counter()
    cleaned, dropped = clean_tracks(frame, max_speed_kn=rules.max_speed_kn)
    fixes = Fixes.of(cleaned, ports, rules)
    write_frame(trajectories(fixes, rules).sort_values(["mmsi", "start"], kind="stable"),
                results / "trajectories" / f"{k:05d}.parquet")
    write_frame(gaps(fixes, rules), results / "gaps" / f"{k:05d}.parquet")
    write_frame(port_calls(fixes, ports, rules), results / "port_calls" / f"{k:05d}.parquet")
    _write_cells(marks(fixes, rules), work, k, n, rules, cell)
    dropped["positions"] = len(cleaned)
    return dropped


def _write_cells(points: pd.DataFrame, work: Path, k: int, n: int, rules: Rules, cell: float) -> None:
    reach = 2 * math.sin(rules.encounter_m / EARTH_RADIUS_M / 2) * 1.001
    cell = max(cell, 2 * reach)  # the halo reaches the next cell only
    xyz = unit_vectors(points["lat"].to_numpy(float), points["lon"].to_numpy(float))
    base = np.floor(xyz / cell).astype(np.int64)
    low, high = xyz - base * cell, (base + 1) * cell - xyz
    day = points["mark"].to_numpy(np.int64) // _DAY_NS
    frames = []
    for shift in itertools.product((-1, 0, 1), repeat=3):
        take = np.ones(len(points), dtype=bool)
        for axis, d in enumerate(shift):
            if d < 0:
                take &= low[:, axis] < reach
            elif d > 0:
                take &= high[:, axis] < reach
        if not take.any():
            continue
        cells = base[take] + np.asarray(shift)
        code = (cells[:, 0] + 512) * 1_048_576 + (cells[:, 1] + 512) * 1024 + (cells[:, 2] + 512)
        copy = points.loc[take].assign(group=code, home=shift == (0, 0, 0))
        copy["part"] = (code * 1_000_003 + day[take]) % n
        frames.append(copy)
    if not frames:
        return
    table = pd.concat(frames, ignore_index=True)
    for p, rows in table.groupby("part", sort=True):
        folder = work / "cells" / f"{int(p):05d}"
        folder.mkdir(parents=True, exist_ok=True)
        rows.drop(columns="part").to_parquet(folder / f"{k:05d}.parquet", index=False)


def _pairs_in_cells(p: int, work: Path, rules: Rules) -> pd.DataFrame:
    """Stage 3: the close pairs in one cell partition."""
    folder = work / "cells" / f"{p:05d}"
    parts = sorted(folder.glob("*.parquet")) if folder.exists() else []
    if not parts:
        return pd.DataFrame({c: np.array([], np.int64 if c.startswith("mmsi") or c == "mark" else float)
                             for c in PAIR_COLUMNS})
    points = pd.concat([pd.read_parquet(f) for f in parts], ignore_index=True)
    return close_pairs(points, rules, group=points["group"].to_numpy(np.int64), home=points["home"].to_numpy(bool))


def _write(out: Path, work: Path, n: int, encounters: gpd.GeoDataFrame) -> dict[str, int]:
    empty = _empty_results()
    rows = {}
    for name in OUTPUTS[:3]:
        parts = [work / "results" / name / f"{k:05d}.parquet" for k in range(n)]
        parts = [p for p in parts if p.exists()]
        if name == "trajectories":
            rows[name] = join_parts(parts, out / f"{name}.parquet", getattr(empty, name))
            continue
        frames = [read_frame(p) for p in parts]
        frame = pd.concat(frames, ignore_index=True) if frames else getattr(empty, name)
        keys = ["mmsi", "start"] if name == "gaps" else ["mmsi", "arrival"]
        frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
        write_frame(gpd.GeoDataFrame(frame, geometry="geometry", crs=4326), out / f"{name}.parquet")
        rows[name] = len(frame)
    write_frame(encounters, out / "encounters.parquet")
    rows["encounters"] = len(encounters)
    return rows


def _empty_results() -> Observations:
    from routemap.geo.ais import empty_positions

    fixes = Fixes.of(empty_positions(), PortIndex(gpd.GeoDataFrame(
        {"port_id": [], "port_name": []}, geometry=gpd.GeoSeries([], crs=4326), crs=4326)), Rules())
    rules = Rules()
    pairs = pd.DataFrame({c: np.array([], np.int64 if c.startswith("mmsi") or c == "mark" else float)
                          for c in PAIR_COLUMNS})
    return Observations(trajectories(fixes, rules), gaps(fixes, rules),
                        port_calls(fixes, PortIndex(gpd.GeoDataFrame({"port_id": [], "port_name": []},
                                                                     geometry=gpd.GeoSeries([], crs=4326))), rules),
                        meetings(pairs, rules))


def read_observed(out_dir: str | Path) -> Observations:
    """Read the four files ``observe`` wrote, in ``derive``'s row order."""
    folder = Path(out_dir)
    return sort_observations(Observations(*(read_frame(folder / f"{name}.parquet") for name in OUTPUTS)))
