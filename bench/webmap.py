"""Benchmark: the self-contained HTML map's size, and how fast headless Chromium opens and moves it.

Run ``python bench/webmap.py [SCENARIO.yaml] [--transfers N] [--before DIR] [--runs N]``. The
map is the one ``routemap build SCENARIO --formats html`` writes (built once per code version,
in a subprocess): of the scenario file given, else of a generated scenario of ``N`` transfers
(``routemap.geo.synthetic``), else of the bundled scenario. With ``--before DIR`` (a clone of an
earlier commit, e.g. ``git clone -q /work/main /tmp/before18 && git -C /tmp/before18 checkout
ea69c46``), the same map is also built by that clone's code and measured the same way, for a
before/after. Both maps are built first, then measured in turn, one page load each (this tree's,
the clone's, this tree's, ...), so that a load that changes while the bench runs weighs on both
alike. A first page load, not counted, warms the browser.

Each map is opened ``--runs`` times in headless Chromium (``/usr/bin/chromium``) with every
request that is not ``file:``/``data:``/``blob:`` blocked, at 1600x900. Figures (medians):

- ``open_ms``: from ``goto`` until the page's script has drawn everything (Python's clock);
  ``draw_ms``: the same from navigation start, by the page's clock (``window.routemapDrawnAt``);
- ``zoom_in_ms`` / ``zoom_out_ms``: from a one-level ``setZoom`` (no animation, so the figure is
  the redraw, not Leaflet's 250 ms glide) until ``zoomend`` and two animation frames, i.e. until
  the new view is painted; three levels in, then three out, around the data's centre;
- ``pan_ms``: from ``panBy`` a third of the window until ``moveend`` and two frames;
- ``flick_ms``: a wheel flick (five wheel notches in 100 ms over the map, animated as a reader
  gets it) until the map is still and painted; ``longest_task_ms``: the longest time the page
  could not answer input (Chromium's long tasks) during all of the above;
- ``heap_mb``: the page's JavaScript heap once moved about; ``dom_nodes``: elements in the page.

Not a timed test: run it by hand (under ``nice -n 5`` on a shared machine, noting ``uptime``).
The last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("bench.webmap")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 900}
#: The issue's targets at 1,000 transfers.
BUDGET = {"size_bytes": 10_000_000, "open_ms": 3000.0, "redraw_ms": 500.0}
LOCAL = ("file:", "data:", "blob:")

# Collects the page's long tasks (main thread busy over 50 ms) from the first script on.
LONG_TASKS_JS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { window.__longTasks.push(entry.duration); }
}).observe({ type: 'longtask', buffered: true });
"""

# Runs `action` on the map and resolves, with the milliseconds taken, once `event` has fired and
# two animation frames have passed (the frame that paints the new view has been drawn).
TIMED_JS = """([action, event]) => new Promise((resolve) => {
  const map = window.routemap.app.map;
  const start = performance.now();
  map.once(event, () => requestAnimationFrame(() => requestAnimationFrame(() =>
    resolve(performance.now() - start))));
  if (action.zoom !== undefined) { map.setZoom(action.zoom, { animate: false }); }
  else { map.panBy(action.pan, { animate: false }); }
})"""

# Waits until the map has not moved for 600 ms and a frame has been painted; returns the time
# (page clock) of its last zoomend or moveend.
SETTLED_JS = """() => new Promise((resolve) => {
  const map = window.routemap.app.map;
  let last = performance.now();
  const mark = () => { last = performance.now(); };
  map.on('zoomend moveend', mark);
  const check = () => {
    if (performance.now() - last > 600 && !map._animatingZoom) {
      map.off('zoomend moveend', mark);
      requestAnimationFrame(() => resolve(last));
    } else { setTimeout(check, 50); }
  };
  check();
})"""

# A module finder that makes `import routemap` load a clone's folders (the layout the project
# installs: routemap/, geo/, routes/, maps/ as routemap, routemap.geo, ...), then the CLI.
_BOOT = """
import importlib.abc, importlib.util, sys
root = sys.argv.pop(1)
folders = {'routemap': 'routemap', 'routemap.geo': 'geo', 'routemap.maps': 'maps',
           'routemap.routes': 'routes'}

class CloneFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name not in folders:
            return None
        where = f'{root}/{folders[name]}'
        return importlib.util.spec_from_file_location(
            name, f'{where}/__init__.py', submodule_search_locations=[where])

sys.meta_path.insert(0, CloneFinder())
from routemap.cli import main
sys.exit(main())
"""


def scenario_file(args: argparse.Namespace, folder: Path) -> Path | None:
    """Return the scenario to build: the file given, a generated one, or None (bundled)."""
    if args.scenario is not None:
        return args.scenario
    if args.transfers:
        from routemap.geo.synthetic import write_synthetic_scenario

        return write_synthetic_scenario(folder / f"synthetic-{args.transfers}.yaml",
                                        args.transfers, seed=args.seed)
    return None


def build_map(scenario: Path | None, out: Path, code: Path | None) -> tuple[Path, float]:
    """Build map.html with ``routemap build --formats html`` (a clone's code if ``code``);
    return its path and the build's wall time in seconds."""
    cli = ["build", *([str(scenario)] if scenario else []), "--formats", "html", "--out",
           str(out), "--quiet"]
    command = ([sys.executable, "-c", _BOOT, str(code), *cli] if code
               else [sys.executable, "-m", "routemap", *cli])
    start = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return out / "map.html", time.perf_counter() - start


def _timed(page, action: dict, event: str) -> float:
    return float(page.evaluate(TIMED_JS, [action, event]))


def _flick(page) -> float:
    """Five wheel notches over the map's middle in about 100 ms; ms until the map is still."""
    page.mouse.move(VIEWPORT["width"] * 0.6, VIEWPORT["height"] * 0.45)
    start = page.evaluate("() => performance.now()")
    for _ in range(5):
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(20)
    return float(page.evaluate(SETTLED_JS)) - float(start)


def measure_once(page, cdp) -> dict[str, float | list[float]]:
    """Zoom in and out three levels, pan, flick; return the times of one page load."""
    zoom = page.evaluate("() => window.routemap.app.map.getZoom()")
    zoom_in = [_timed(page, {"zoom": zoom + k}, "zoomend") for k in (1, 2, 3)]
    zoom_out = [_timed(page, {"zoom": zoom + k}, "zoomend") for k in (2, 1, 0)]
    w, h = VIEWPORT["width"] // 3, VIEWPORT["height"] // 3
    pan = [_timed(page, {"pan": p}, "moveend") for p in ([w, h], [-w, 0], [0, -h], [w, 0])]
    flick = _flick(page)
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
    return {"zoom_in": zoom_in, "zoom_out": zoom_out, "pan": pan, "flick": flick,
            "heap_mb": heap, "longest_task": max(page.evaluate("() => window.__longTasks"),
                                                 default=0.0)}


def _load_and_measure(browser, html_path: Path, blocked: list[str]) -> dict:
    """Open a map file once in a fresh context; return its opening and moving figures."""
    context = browser.new_context(viewport=VIEWPORT)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL)
                  else (blocked.append(r.request.url), r.abort()))
    context.add_init_script(LONG_TASKS_JS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    start = time.perf_counter()
    page.goto(html_path.as_uri(), timeout=120_000)
    page.wait_for_selector("html[data-routemap=ready]", timeout=120_000)
    row: dict = {"open": (time.perf_counter() - start) * 1000.0,
                 "draw": page.evaluate("() => window.routemapDrawnAt")}
    row.update(measure_once(page, cdp))
    row["nodes"] = page.evaluate("() => document.getElementsByTagName('*').length")
    context.close()
    return row


def _summary(rows: list[dict], blocked: int) -> dict[str, float | int]:
    """The median figures of one map's page loads."""

    def median(key: str) -> float:
        values = [v for row in rows for v in (row[key] if isinstance(row[key], list)
                                               else [row[key]])]
        return round(statistics.median(values), 1)

    return {"open_ms": median("open"), "draw_ms": median("draw"),
            "zoom_in_ms": median("zoom_in"), "zoom_out_ms": median("zoom_out"),
            "zoom_max_ms": round(max(max(r["zoom_in"] + r["zoom_out"]) for r in rows), 1),
            "pan_ms": median("pan"), "flick_ms": median("flick"),
            "longest_task_ms": median("longest_task"), "heap_mb": median("heap_mb"),
            "dom_nodes": rows[-1]["nodes"], "blocked_requests": blocked}


def measure_maps(html_paths: dict[str, Path], runs: int) -> dict[str, dict[str, float | int]]:
    """Open each map file ``runs`` times, in turn (one load of each, then again); return each
    map's median figures under its label."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict]] = {label: [] for label in html_paths}
    blocked: dict[str, list[str]] = {label: [] for label in html_paths}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # A browser's first page load is slower (its caches cold): one, not counted, first.
        _load_and_measure(browser, next(iter(html_paths.values())), [])
        for _ in range(runs):
            for label, path in html_paths.items():
                rows[label].append(_load_and_measure(browser, path, blocked[label]))
        browser.close()
    return {label: _summary(rows[label], len(blocked[label])) for label in html_paths}


def within_budget(result: dict) -> bool:
    """Tell whether a map meets the issue's targets (size, open time, redraw time)."""
    redraw = max(result["zoom_in_ms"], result["zoom_out_ms"], result["pan_ms"])
    return (result["size_bytes"] <= BUDGET["size_bytes"]
            and result["open_ms"] <= BUDGET["open_ms"] and redraw <= BUDGET["redraw_ms"])


def built(scenario: Path | None, folder: Path, code: Path | None) -> tuple[Path, dict]:
    """Build one code version's map; return its path and its size and build time."""
    path, build_s = build_map(scenario, folder, code)
    size = path.stat().st_size
    log.info("%s: map.html %.2f MB, built in %.0f s", code or "this tree", size / 1e6, build_s)
    return path, {"size_bytes": size, "build_s": round(build_s, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, help="scenario YAML (default: bundled)")
    parser.add_argument("--transfers", type=int, default=0,
                        help="generate a scenario of this many transfers instead")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed")
    parser.add_argument("--before", type=Path, help="a clone of an earlier commit to compare")
    parser.add_argument("--runs", type=int, default=3, help="page loads to take the median of")
    parser.add_argument("--keep", type=Path, help="keep the built maps in this folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        scenario = scenario_file(args, folder)
        codes = {"after": None, **({"before": args.before.resolve()} if args.before else {})}
        maps = {label: built(scenario, folder / label, code) for label, code in codes.items()}
        result: dict = {"scenario": str(scenario or "bundled"), "load": os.getloadavg()[0]}
        measured = measure_maps({label: path for label, (path, _) in maps.items()}, args.runs)
        for label, (_, figures) in maps.items():
            result[label] = {**figures, **measured[label]}
            result[label]["within_budget"] = within_budget(result[label])
            log.info("%s: %s", label, json.dumps(result[label]))
    result["load_end"] = os.getloadavg()[0]  # the run takes minutes: the load at both ends
    print(json.dumps(result))
    return 0 if result["after"]["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
