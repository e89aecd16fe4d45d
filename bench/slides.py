"""Time the briefing slides: the overview, each slide format per slide, and the deck.

Run ``python bench/slides.py`` for the bundled scenario (routed first, not timed),
``python bench/slides.py --sample`` for the tests' small hand-made route set, or
``--transfers N`` for a generated scenario of N transfers (``geo/synthetic.py``).

Slides are drawn with the slide cache off (the cost of drawing), except the figure named
"slide cache warm" (a rebuild's copy of unchanged slides). Every figure is printed in wall
seconds and in CPU seconds (this process and its worker
processes: on a machine shared with other work, CPU seconds move less than wall seconds),
per slide where it is a slide format, with the machine's load beside it. ``--save FILE``
writes the figures as JSON; ``--before FILE`` prints each figure's ratio to the same figure
saved from another run (the product before a change). The last line is the JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # after the standard library (python -P)
from routesets import bench_routeset

log = logging.getLogger("bench.slides")


def _cpu() -> float:
    """Return the CPU seconds of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    """Return the largest resident size, MB, of this process and of any finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, child) / 1024.0


def _timed(label: str, func, results: dict[str, dict[str, float]], per: int = 1):
    """Run ``func``; record its wall and CPU seconds (divided by ``per``) under ``label``."""
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), _cpu()
    value = func()
    results[label] = {"wall_s": (time.perf_counter() - wall) / per,
                      "cpu_s": (_cpu() - cpu) / per, "load": round(load, 2)}
    return value


def _routeset(args: argparse.Namespace):
    if not args.transfers:
        return bench_routeset(args.sample)
    from routemap.geo.scenario import load_scenario
    from routemap.geo.synthetic import write_synthetic_scenario
    from routemap.routes.builder import build

    path = Path(args.workdir) / f"synthetic-{args.transfers}.yaml"
    write_synthetic_scenario(path, args.transfers)
    return build(load_scenario(path))


def _measure(routeset, workers: int) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Return the timings and the output sizes, MB."""
    from routemap.maps.options import RenderOptions
    from routemap.maps.slides.deck import render_deck
    from routemap.maps.slides.render import render_slides

    def options(*formats: str, cache: bool = False) -> RenderOptions:
        return RenderOptions(formats=formats, workers=workers, cache=cache)

    times: dict[str, dict[str, float]] = {}
    _timed("overview png (cold: data loading included)",
           lambda: render_slides(routeset, options("png"), per_transfer=False), times)
    _timed("overview png (warm)",
           lambda: render_slides(routeset, options("png"), per_transfer=False), times)
    count = len(render_slides(routeset, options("png")))  # warms the workers' imports too
    sizes: dict[str, float] = {}
    for fmt in ("png", "svg", "pdf"):
        out = _timed(f"{fmt}, per slide", lambda fmt=fmt: render_slides(routeset, options(fmt)),
                     times, per=count)
        sizes[f"{fmt} total MB"] = sum(len(out[name]) for name in out) / 1e6
    every = _timed("png+svg+pdf, per slide", lambda: render_slides(routeset, options("png", "svg", "pdf")),
                   times, per=count)
    render_slides(routeset, options("png", "svg", "pdf", cache=True))  # fills the slide cache
    _timed("png+svg+pdf, per slide (slide cache warm)",
           lambda: render_slides(routeset, options("png", "svg", "pdf", cache=True)), times, per=count)
    pngs = {name: every[name] for name in every if name.endswith(".png")}
    _timed("briefing.pptx (reuses the slide PNGs)",
           lambda: render_deck(routeset, options("pptx"), pngs), times)
    _timed("briefing.pptx (draws its own maps)",
           lambda: render_deck(routeset, options("pptx"), {}), times)
    sizes["slides"] = count
    return times, sizes


def main() -> None:
    """Print render times (wall and CPU seconds, per slide for the slide formats)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="use the tests' small route set")
    parser.add_argument("--transfers", type=int, default=0,
                        help="use a generated scenario of this many transfers")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                        help="processes drawing the slides (routemap build's default)")
    parser.add_argument("--workdir", default="/tmp", help="where a generated scenario is written")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--before", help="print ratios to the figures saved in this JSON file")
    args = parser.parse_args()
    routeset = _routeset(args)
    times, sizes = _measure(routeset, args.workers)
    before = json.loads(Path(args.before).read_text())["times"] if args.before else {}
    width = max(len(k) for k in times)
    print(f"{'':<{width}}  {'wall s':>8}  {'CPU s':>8}  load" + ("  before/after (wall, CPU)" if before else ""))
    for label, t in times.items():
        line = f"{label:<{width}}  {t['wall_s']:8.2f}  {t['cpu_s']:8.2f}  {t['load']:4.1f}"
        if label in before:
            b = before[label]
            line += f"  {b['wall_s'] / t['wall_s']:5.1f}x  {b['cpu_s'] / t['cpu_s']:5.1f}x"
        print(line)
    print(", ".join(f"{k}: {v:.1f}" for k, v in sizes.items()) + f"; peak RSS {_peak_mb():.0f} MB")
    result = {"times": times, "sizes": sizes, "workers": args.workers, "peak_rss_mb": _peak_mb()}
    if args.save:
        Path(args.save).write_text(json.dumps(result, indent=1))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
