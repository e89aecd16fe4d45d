"""Time the start-up of ``routemap`` commands that draw nothing, against a bare Python.

Each command runs as a fresh process (``routemap --help``, ``routemap places najin``,
``routemap check`` of a generated 10-transfer scenario with its routes cached), as a user runs
it, alternating with ``python -c pass`` in the same run so that a busy machine slows all alike.
Medians of the repeats are reported, wall and CPU (user + system) seconds, with the ratio to
the bare interpreter, the machine's load and the targets (``--help`` 0.3 s, ``check`` of 10
transfers 2 s warm, on the 2-core development machine).

Run ``python -P bench/startup.py [--repeat N]``. The last line printed is JSON: ``help_s``,
``python_s``, ``help_ratio``, ``places_s``, ``places_ratio``, ``check10_s``, ``check10_cpu_s``,
``load_1min``, ``help_target_met`` and ``check10_target_met``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_HELP_S = 0.3
TARGET_CHECK10_S = 2.0


def _wall(command: list[str]) -> tuple[float, float]:
    """Run a command; return its wall seconds and the CPU seconds its process tree used."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def _routemap() -> list[str]:
    """The installed console script, as a user types it (``python -m routemap`` without one)."""
    script = shutil.which("routemap")
    return [script] if script else [sys.executable, "-m", "routemap"]


def measure(repeat: int, scenario: Path) -> dict[str, float | bool]:
    """Return the median wall times (s) of each command and of a bare interpreter, and ratios."""
    bare = [sys.executable, "-c", "pass"]
    commands = {"help": [*_routemap(), "--help"], "places": [*_routemap(), "places", "najin"],
                "check10": [*_routemap(), "check", str(scenario)]}
    _wall(commands["check10"])  # routes the scenario once: the runs timed are warm
    times: dict[str, list[float]] = {"python": [], **{name: [] for name in commands}}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    load = os.getloadavg()[0]
    for _ in range(repeat):
        for name, command in {"python": bare, **commands}.items():
            wall, used = _wall(command)
            times[name].append(wall)
            cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in times.items()}
    result: dict[str, float | bool] = {f"{name}_s": round(value, 4) for name, value in medians.items()}
    result.update({f"{name}_cpu_s": round(statistics.median(values), 3) for name, values in cpu.items()})
    for name in commands:
        result[f"{name}_ratio"] = round(medians[name] / medians["python"], 1)
    result["load_1min"] = round((load + os.getloadavg()[0]) / 2, 1)
    result["help_target_s"] = TARGET_HELP_S
    result["help_target_met"] = medians["help"] <= TARGET_HELP_S
    result["check10_target_s"] = TARGET_CHECK10_S
    result["check10_target_met"] = medians["check10"] <= TARGET_CHECK10_S
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (default 7)")
    from routemap.geo.synthetic import write_synthetic_scenario

    with tempfile.TemporaryDirectory() as folder:
        scenario = write_synthetic_scenario(Path(folder) / "ten.yaml", 10)
        result = measure(parser.parse_args().repeat, scenario)
    print(f"routemap --help      {result['help_s']:.3f} s  ({result['help_ratio']}x python -c pass, "
          f"target {TARGET_HELP_S} s)")
    print(f"routemap places ...  {result['places_s']:.3f} s  ({result['places_ratio']}x)")
    print(f"routemap check (10)  {result['check10_s']:.3f} s, {result['check10_cpu_s']:.2f} s CPU "
          f"({result['check10_ratio']}x, target {TARGET_CHECK10_S} s warm)")
    print(f"python -c pass       {result['python_s']:.3f} s  (load {result['load_1min']})")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
