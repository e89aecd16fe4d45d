"""Benchmark: ``routemap observe`` (single process and Dask) against a plain movingpandas pipeline.

Run ``python bench/observe.py [--sizes 1000000,10000000] [--days 10] [--keep DIR]``. Synthetic AIS
(``routemap.routes.observed.synthetic``: ships on searoute's lanes between real ports, 30 s reports,
planted port calls, dark gaps and meetings at sea, fictitious identifiers, seeded) is written as
one Parquet file per day. Each pipeline then runs in a fresh child process on the same files:

- ``single``: ``read_ais`` + ``derive`` (vectorised numpy/pandas, one process);
- ``dask``: ``observe`` on a local ``distributed`` cluster of 2 worker processes;
- ``movingpandas`` (smallest size only): TrajectoryCollection, ObservationGapSplitter for gaps,
  TrajectoryStopDetector for port calls, positions interpolated at the 10-minute marks with
  ``Trajectory.interpolate_position_at`` and a geopandas ``dwithin`` self-join for encounters.

Time is the child's wall-clock time, start to exit (imports and cluster start included). Peak
memory is the highest sum of the resident set sizes of the child and all its descendants (the
Dask workers and nannies), sampled every 50 ms with psutil. Each result is checked against the
planted events (recall) and for events nothing planted (precision); the single-process and Dask
results are compared row for row. The last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240917
INTERVAL_S = 30.0
KINDS = ("gaps", "port_calls", "encounters")


def generate(folder: Path, positions: int, days: float) -> None:
    """Write about ``positions`` synthetic positions, one Parquet file per day, and ``events.parquet``."""
    from routemap.routes.observed.synthetic import synthesize

    vessels = max(2, round(positions / (days * 86_400 / INTERVAL_S)))
    frame, events = synthesize(vessels=vessels, days=days, seed=SEED, interval_s=INTERVAL_S)
    folder.mkdir(parents=True, exist_ok=True)
    day = frame["time"].dt.floor("D")
    for number, (_, rows) in enumerate(frame.groupby(day, sort=True)):
        rows.drop(columns="source").to_parquet(folder / f"ais-{number:03d}.parquet", index=False)
    events.to_parquet(folder / "events.parquet", index=False)


def archive(folder: Path) -> list[Path]:
    """Return the day files of a generated archive."""
    return sorted(folder.glob("ais-*.parquet"))


def run_single(folder: Path, out: Path) -> dict:
    from routemap.geo.ais import read_ais
    from routemap.routes.observed import derive, port_frame
    from routemap.routes.observed.geoparquet import write_frame

    read = read_ais(archive(folder))
    found = derive(read.positions, port_frame())
    out.mkdir(parents=True, exist_ok=True)
    for name in ("trajectories", *KINDS):
        write_frame(getattr(found, name), out / f"{name}.parquet")
    return {"positions": len(read.positions)}


def run_dask(folder: Path, out: Path) -> dict:
    from routemap.routes.observed import port_frame
    from routemap.routes.observed.scale import local_cluster, observe

    with local_cluster() as client:
        done = observe(archive(folder), out, port_frame(), get=client.get)
    return {"positions": done.positions}


def run_movingpandas(folder: Path, out: Path) -> dict:
    from observe_movingpandas import movingpandas_pipeline

    return movingpandas_pipeline(archive(folder), out)


RUNS = {"single": run_single, "dask": run_dask, "movingpandas": run_movingpandas}


def measure(run: str, folder: Path, out: Path) -> tuple[float, float]:
    """Run a pipeline in a child process; return (seconds, peak GB of the process tree)."""
    import psutil

    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--run", run, "--data", str(folder), "--out", str(out)],
                             cwd=Path(__file__).parent)
    parent = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        total = 0
        with contextlib.suppress(psutil.Error):
            for proc in [parent, *parent.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
        peak = max(peak, total)
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if child.returncode:
        raise SystemExit(f"{run} failed with exit status {child.returncode}")
    return seconds, peak / 1e9


def score(folder: Path, out: Path) -> dict:
    """Compare a run's results with the planted events: per kind, planted, found, recall, invented, precision."""
    from routemap.routes.observed.geoparquet import read_frame
    from routemap.routes.observed.ports import port_frame

    events = pd.read_parquet(folder / "events.parquet")
    ports = port_frame()
    locode = {str(i).removeprefix("port-").upper(): (g.y, g.x) for i, g in zip(ports["port_id"], ports.geometry,
                                                                              strict=True)}
    result = {}
    for kind, planted_kind in (("gaps", "gap"), ("port_calls", "port_call"), ("encounters", "encounter")):
        planted = events[events["kind"] == planted_kind].reset_index(drop=True)
        found = read_frame(out / f"{kind}.parquet")
        matched_planted, matched_found = _match(kind, planted, found, locode)
        result[kind] = {"planted": len(planted), "found": int(matched_planted.sum()), "detected": len(found),
                        "invented": int((~matched_found).sum()),
                        "recall": float(matched_planted.mean()) if len(planted) else 1.0,
                        "precision": float(matched_found.mean()) if len(found) else 1.0}
    return result


def _match(kind: str, planted: pd.DataFrame, found: pd.DataFrame, locode: dict) -> tuple[np.ndarray, np.ndarray]:
    hit_p = np.zeros(len(planted), dtype=bool)
    hit_f = np.zeros(len(found), dtype=bool)
    minutes = pd.Timedelta(minutes=1)
    for i, event in planted.iterrows():
        if kind == "gaps":
            ok = (found["mmsi"] == event["mmsi"]) & ((found["start"] - event["start"]).abs() <= 10 * minutes) \
                & ((found["end"] - event["end"]).abs() <= 10 * minutes)
        elif kind == "encounters":
            pair = sorted((event["mmsi"], event["mmsi_b"]))
            ok = (found["mmsi_a"] == pair[0]) & (found["mmsi_b"] == pair[1]) \
                & ((found["start"] - event["start"]).abs() <= 20 * minutes) \
                & ((found["end"] - event["end"]).abs() <= 20 * minutes)
        else:
            lat, lon = locode[event["port"]]
            near = (np.abs(found.geometry.y - lat) < 0.15) & (np.abs(found.geometry.x - lon) < 0.25)
            ok = (found["mmsi"] == event["mmsi"]) & near \
                & ((found["arrival"] - event["start"]).abs() <= 120 * minutes) \
                & ((found["departure"] - event["end"]).abs() <= 120 * minutes)
        ok = ok.to_numpy()
        hit_p[i] = ok.any()
        hit_f |= ok
    return hit_p, hit_f


def identical(a: Path, b: Path) -> bool:
    """Whether two runs wrote the same rows (in the single-process row order)."""
    from routemap.routes.observed.scale import read_observed

    one, two = read_observed(a), read_observed(b)
    for name in ("trajectories", *KINDS):
        x, y = pd.DataFrame(getattr(one, name)), pd.DataFrame(getattr(two, name))
        try:
            pd.testing.assert_frame_equal(x, y)
        except AssertionError as exc:
            print(f"  {name} differ: {str(exc).splitlines()[0]}")
            return False
    return True


def _tag(size: int) -> str:
    return f"{round(size / 1e6)}m" if size >= 1e6 else f"{round(size / 1e3)}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--days", type=float, default=10.0)
    parser.add_argument("--keep", help="folder for the archives and results (a temporary one by default)")
    parser.add_argument("--skip-single-largest", action="store_true",
                        help="do not run the single process on the largest size")
    parser.add_argument("--no-movingpandas", action="store_true", help="skip the movingpandas pipeline")
    parser.add_argument("--run", choices=sorted(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        RUNS[args.run](Path(args.data), Path(args.out))
        return
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-observe-"))
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    figures: dict[str, object] = {"seed": SEED, "days": args.days, "interval_s": INTERVAL_S,
                                  "memory": "peak sum of RSS of the child process tree, psutil, every 50 ms"}
    all_found, invented, same = True, 0, True
    for size in sizes:
        tag = _tag(size)
        data = root / f"data-{tag}"
        if not (data / "events.parquet").exists():
            started = time.perf_counter()
            generate(data, size, args.days)
            print(f"{tag}: generated in {time.perf_counter() - started:.1f} s")
        figures[f"positions_{tag}"] = int(sum(pd.read_parquet(f, columns=["mmsi"]).shape[0] for f in archive(data)))
        runs = ["single", "dask"]
        if args.skip_single_largest and size == max(sizes) and len(sizes) > 1:
            runs = ["dask"]
        for run in runs:
            out = root / f"out-{run}-{tag}"
            seconds, peak = measure(run, data, out)
            figures[f"{run}_{tag}_s"] = round(seconds, 1)
            figures[f"{run}_{tag}_peak_gb"] = round(peak, 2)
            scores = score(data, out)
            figures[f"{run}_{tag}_scores"] = scores
            print(f"{tag} {run}: {seconds:.1f} s, peak {peak:.2f} GB; " + "; ".join(
                f"{k} recall {v['recall']:.3f} precision {v['precision']:.3f} ({v['found']}/{v['planted']} found, "
                f"{v['invented']} invented)" for k, v in scores.items()))
            all_found &= all(v["recall"] == 1.0 for v in scores.values())
            invented += sum(v["invented"] for v in scores.values())
        if "single" in runs:
            match = identical(root / f"out-single-{tag}", root / f"out-dask-{tag}")
            figures[f"identical_{tag}"] = match
            same &= match
    small = _tag(min(sizes))
    if not args.no_movingpandas:
        out = root / f"out-movingpandas-{small}"
        seconds, peak = measure("movingpandas", root / f"data-{small}", out)
        figures[f"movingpandas_{small}_s"] = round(seconds, 1)
        figures[f"movingpandas_{small}_peak_gb"] = round(peak, 2)
        figures[f"movingpandas_{small}_scores"] = score(root / f"data-{small}", out)
        print(f"{small} movingpandas: {seconds:.1f} s, peak {peak:.2f} GB")
    mpd_s = figures.get(f"movingpandas_{small}_s")
    if mpd_s:
        figures[f"speedup_vs_movingpandas_{small}"] = round(float(mpd_s) / float(figures[f"single_{small}_s"]), 1)
        figures[f"dask_speedup_vs_movingpandas_{small}"] = round(float(mpd_s) / float(figures[f"dask_{small}_s"]), 1)
    figures.update({"found_all": all_found, "invented": invented, "identical": same})
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
