"""Time the start-up of ``routemap`` commands that draw nothing, against a bare Python.

Each command runs as a fresh process (``routemap --help``, ``routemap places najin``), as a
user runs it, alternating with ``python -c pass`` in the same run so that a busy machine
slows both alike. Medians of the repeats are reported, with the ratio to the bare
interpreter and the target for ``--help`` (0.3 s on the 2-core development machine).

Run ``python -P bench/startup.py [--repeat N]``. The last line printed is JSON: ``help_s``,
``python_s``, ``help_ratio``, ``places_s``, ``places_ratio`` and ``help_target_met``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time

TARGET_HELP_S = 0.3


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _routemap() -> list[str]:
    """The installed console script, as a user types it (``python -m routemap`` without one)."""
    script = shutil.which("routemap")
    return [script] if script else [sys.executable, "-m", "routemap"]


def measure(repeat: int) -> dict[str, float | bool]:
    """Return the median wall times (s) of each command and of a bare interpreter, and ratios."""
    bare = [sys.executable, "-c", "pass"]
    commands = {"help": [*_routemap(), "--help"], "places": [*_routemap(), "places", "najin"]}
    times: dict[str, list[float]] = {"python": [], **{name: [] for name in commands}}
    for _ in range(repeat):
        times["python"].append(_wall(bare))
        for name, command in commands.items():
            times[name].append(_wall(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    result: dict[str, float | bool] = {f"{name}_s": round(value, 4) for name, value in medians.items()}
    for name in commands:
        result[f"{name}_ratio"] = round(medians[name] / medians["python"], 1)
    result["help_target_s"] = TARGET_HELP_S
    result["help_target_met"] = medians["help"] <= TARGET_HELP_S
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (default 7)")
    result = measure(parser.parse_args().repeat)
    print(f"routemap --help      {result['help_s']:.3f} s  ({result['help_ratio']}x python -c pass, "
          f"target {TARGET_HELP_S} s)")
    print(f"routemap places ...  {result['places_s']:.3f} s  ({result['places_ratio']}x)")
    print(f"python -c pass       {result['python_s']:.3f} s")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
