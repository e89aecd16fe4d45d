"""Time ``routemap build`` end to end: a cold cache, then a warm one; wall time and peak memory.

Each build is a fresh ``python -m routemap build`` process (its default formats, or ``--formats``),
as a user runs it. The cold build gets an empty ``ROUTEMAP_CACHE_DIR``, so the rail and road network caches, their
routing indexes and the land cache are all rebuilt; the warm builds reuse that folder. Peak
memory is the child's maximum resident set size (``wait4``); CPU seconds are the user and system
time of the child and the workers it waited for (``RUSAGE_CHILDREN``), printed with the load
average, since on a shared machine they vary less than wall time. Stages are timed from the
moment each progress line reaches stderr.

Run ``python -P bench/build.py`` (``-P`` until no file in bench/ shadows a stdlib module).
The last line printed is JSON: ``cold_s``, ``warm_s``, ``peak_rss_mb`` and the details.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TARGET_WARM_S = 7.0
TARGET_RSS_MB = 800.0
STAGE_PREFIXES = ("routing ", "routed in", "rendering ", "wrote ")


def _read_lines(stream, start: float, lines: list[tuple[float, str]]) -> None:
    for line in stream:
        lines.append((time.perf_counter() - start, line.rstrip("\n")))


def run_measured(command: list[str], env: dict[str, str], stdout=subprocess.DEVNULL,
                 cwd: Path | None = None) -> tuple[float, int, float, list[tuple[float, str]]]:
    """Run ``command`` to its end, reading its stderr as it comes.

    Returns
    -------
    tuple
        Wall seconds, exit status, peak resident set size in MiB (``wait4``), and the stderr
        lines, each with the seconds since the start at which it arrived.
    """
    lines: list[tuple[float, str]] = []
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
                               cwd=cwd)
    reader = threading.Thread(target=_read_lines, args=(process.stderr, start, lines))
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    reader.join()
    process.stderr.close()
    return wall, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024.0, lines


def run_build(scenario: str | None, out: Path, cache: Path, formats: str) -> dict:
    """Run one build in a child process; return its wall time, peak RSS and stage times.

    Raises
    ------
    RuntimeError
        If the build fails.
    """
    command = [sys.executable, "-m", "routemap", "build", "--out", str(out)]
    if formats != "default":
        command += ["--formats", formats]
    if scenario:
        command.insert(4, scenario)
    env = {**os.environ, "ROUTEMAP_CACHE_DIR": str(cache)}
    before, load = resource.getrusage(resource.RUSAGE_CHILDREN), os.getloadavg()[0]
    wall, status, peak_mb, lines = run_measured(command, env, cwd=out.parent)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status != 0:
        tail = "\n".join(text for _, text in lines[-20:])
        raise RuntimeError(f"build failed with status {status}:\n{tail}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"wall_s": wall, "cpu_s": round(cpu, 2), "load_1min": round((load + os.getloadavg()[0]) / 2, 1),
            "peak_rss_mb": peak_mb, "stages": _stages(lines, wall),
            "files": sum(1 for p in out.rglob("*") if p.is_file())}


def _stages(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Turn timestamped progress lines into per-stage seconds (startup = until routing starts)."""
    marks = [(t, text) for t, text in lines if text.startswith(STAGE_PREFIXES)]
    stages: dict[str, float] = {}
    previous_t, previous_name = 0.0, "startup: imports, scenario, gazetteer"
    for t, text in marks:
        if text.startswith("routed in"):
            continue
        stages[previous_name] = stages.get(previous_name, 0.0) + t - previous_t
        if text.startswith("routing "):
            name = "routing (networks loaded or built)"
        elif text.startswith("rendering "):
            name = "render " + text.removeprefix("rendering ")
        else:
            name = "write files, exit"
        previous_t, previous_name = t, name
    stages[previous_name] = stages.get(previous_name, 0.0) + wall - previous_t
    return {name: round(seconds, 2) for name, seconds in stages.items()}


def main() -> None:
    """Print each build's figures, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", help="scenario file (default: the bundled one)")
    parser.add_argument("--formats", default="default",
                        help="formats to build: 'default' (routemap build's own default, no --formats), "
                             "'all', or a comma-separated list")
    parser.add_argument("--warm", type=int, default=2, help="warm builds to run (median reported)")
    parser.add_argument("--cache", type=Path, help="use this cache folder and skip the cold build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="routemap-bench-") as tmp:
        root = Path(tmp)
        cache = args.cache or root / "cache"
        cache.mkdir(exist_ok=True)
        runs: dict[str, dict] = {}
        if args.cache is None:
            runs["cold"] = run_build(args.scenario, root / "out-cold", cache, args.formats)
        for i in range(args.warm):
            runs[f"warm-{i + 1}"] = run_build(args.scenario, root / f"out-warm-{i + 1}", cache, args.formats)
    for name, run in runs.items():
        print(f"{name:<7} {run['wall_s']:7.1f} s  {run['cpu_s']:7.1f} s CPU  load {run['load_1min']:4.1f}  "
              f"{run['peak_rss_mb']:7.0f} MB  {run['files']} files")
        for stage, seconds in run["stages"].items():
            print(f"          {seconds:6.2f} s  {stage}")
    warm = [run for name, run in runs.items() if name.startswith("warm")]
    warm_s = statistics.median(r["wall_s"] for r in warm) if warm else None
    result = {
        "cold_s": round(runs["cold"]["wall_s"], 2) if "cold" in runs else None,
        "warm_s": round(warm_s, 2) if warm_s is not None else None,
        "cold_cpu_s": runs["cold"]["cpu_s"] if "cold" in runs else None,
        "warm_cpu_s": statistics.median(r["cpu_s"] for r in warm) if warm else None,
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs.values()), 1),
        "cold_peak_rss_mb": round(runs["cold"]["peak_rss_mb"], 1) if "cold" in runs else None,
        "warm_peak_rss_mb": round(max(r["peak_rss_mb"] for r in warm), 1) if warm else None,
        "warm_stages_s": warm[-1]["stages"] if warm else None,
        "cold_stages_s": runs["cold"]["stages"] if "cold" in runs else None,
        "files": next(iter(runs.values()))["files"],
        "formats": args.formats,
        "target": {"warm_s": TARGET_WARM_S, "peak_rss_mb": TARGET_RSS_MB},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
