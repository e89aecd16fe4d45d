"""Benchmark: size of the self-contained HTML map and how fast headless Chromium draws it.

Run ``python bench/webmap.py [SCENARIO.yaml] [--runs N]`` (default: the bundled scenario). The
scenario is routed, rendered with ``routemap.maps.web.html.render_html`` (timed), written to a temporary file
and opened ``N`` times in headless Chromium (``/usr/bin/chromium``) with every request that is not
``file:``/``data:``/``blob:`` blocked. ``draw_ms`` is the median time from navigation start until
the page's script has drawn every route (``window.routemapDrawnAt``); ``open_ms`` the median wall
time from ``goto`` until then, as seen from Python; ``layout_notes_ms`` the median time to place
the place names and every note badge again, as after each pan, zoom or timeline step. The last
line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("bench.html")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
BUDGET = {"size_bytes": 2_000_000, "draw_ms": 2000.0}
# One placement of every note badge (done again after each pan, zoom and timeline step).
LAYOUT_NOTES_JS = """() => {
  const start = performance.now();
  window.routemap.app.declutter();
  window.routemap.app.layoutNotes();
  return performance.now() - start;
}"""


def route_scenario(path: Path | None):
    """Return the RouteSet of a scenario file (the bundled one when ``path`` is None)."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes.builder import build

    return build(load_scenario(path or bundled_scenario_path()))


def measure_draw(html_path: Path, runs: int) -> dict[str, float | int]:
    """Open a map file ``runs`` times in fresh contexts; return median draw and open times."""
    from playwright.sync_api import sync_playwright

    draws, opens, layouts, legs, blocked = [], [], [], 0, []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1400, "height": 850})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                ("file:", "data:", "blob:")) else (blocked.append(r.request.url), r.abort()))
            page = context.new_page()
            start = time.perf_counter()
            page.goto(html_path.as_uri())
            page.wait_for_selector("html[data-routemap=ready]", timeout=60_000)
            opens.append((time.perf_counter() - start) * 1000.0)
            draws.append(page.evaluate("() => window.routemapDrawnAt"))
            layouts.append(page.evaluate(LAYOUT_NOTES_JS))
            legs = page.locator("path.rm-leg").count()
            context.close()
        browser.close()
    return {"draw_ms": round(statistics.median(draws), 1),
            "open_ms": round(statistics.median(opens), 1),
            "layout_notes_ms": round(statistics.median(layouts), 2),
            "drawn_legs": legs, "blocked_requests": len(blocked)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, help="scenario YAML (default: bundled)")
    parser.add_argument("--runs", type=int, default=5, help="page loads to take the median of")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from routemap.maps.web.html import render_html

    routeset = route_scenario(args.scenario)
    start = time.perf_counter()
    page = render_html(routeset)
    render_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        path.write_bytes(page)
        browser = measure_draw(path, args.runs)
    result = {
        "scenario": str(args.scenario or "bundled"),
        "legs": len(routeset.legs),
        "size_bytes": len(page),
        "render_s": round(render_s, 2),
        **browser,
        "within_budget": len(page) <= BUDGET["size_bytes"]
        and browser["draw_ms"] <= BUDGET["draw_ms"],
    }
    log.info("map.html: %.2f MB, drawn in %.0f ms (budget 2 MB, 2000 ms)",
             len(page) / 1e6, browser["draw_ms"])
    print(json.dumps(result))
    return 0 if result["within_budget"] else 1


if __name__ == "__main__":
    sys.exit(main())
