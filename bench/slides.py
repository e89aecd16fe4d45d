"""Time the briefing slides: the overview (cold and warm), every format, and the whole deck.

Run ``python bench/slides.py`` for the bundled scenario (routed first, not timed), or
``python bench/slides.py --sample`` for the tests' small hand-made route set.
"""

from __future__ import annotations

import argparse
import logging
import time

from routesets import bench_routeset

log = logging.getLogger("bench.slides")


def _timed(label: str, func, results: dict[str, float]):
    start = time.perf_counter()
    value = func()
    results[label] = time.perf_counter() - start
    return value


def main() -> None:
    """Print render times in seconds, and each as a ratio of the warm overview PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="use the tests' small route set")
    args = parser.parse_args()
    from routemap.maps.options import RenderOptions
    from routemap.maps.slides.deck import render_deck
    from routemap.maps.slides.render import render_slides

    routeset = bench_routeset(args.sample)
    png = RenderOptions(formats=("png",))
    every = RenderOptions(formats=("png", "svg", "pdf"))
    times: dict[str, float] = {}
    _timed("overview png (cold: data loading included)",
           lambda: render_slides(routeset, png, per_transfer=False), times)
    _timed("overview png (warm)",
           lambda: render_slides(routeset, png, per_transfer=False), times)
    _timed("overview png+svg+pdf (warm)",
           lambda: render_slides(routeset, every, per_transfer=False), times)
    out = _timed("all slides, png+svg+pdf",
                 lambda: render_slides(routeset, every), times)
    _timed("briefing.pptx (draws its own maps)", lambda: render_deck(routeset, every, {}), times)
    _timed("briefing.pptx (reuses the slide PNGs)",
           lambda: render_deck(routeset, every, out), times)
    base = times["overview png (warm)"]
    width = max(len(k) for k in times)
    for label, seconds in times.items():
        print(f"{label:<{width}}  {seconds:7.2f} s  {seconds / base:6.1f}x")
    print(f"{len(out)} files, {sum(len(v) for v in out.values()) / 1e6:.1f} MB")
    for fmt in ("png", "svg", "pdf"):
        sizes = [len(v) for k, v in out.items() if k.endswith(f".{fmt}")]
        print(f"{fmt}: overview {len(out[f'slide.{fmt}']) / 1e6:.2f} MB, "
              f"largest {max(sizes) / 1e6:.2f} MB, total {sum(sizes) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
