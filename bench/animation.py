"""Time the animation: its frame drawing against a plain FuncAnimation, and the bundled files.

Run ``python bench/animation.py`` for the bundled scenario (routed first, not timed), or
``python bench/animation.py --sample`` for the tests' small hand-made route set.

1. Frames per second over the same window of the wide film (the first ``--frames`` map frames
   after a quarter of it, where legs grow and callouts come and go), drawn two ways in this
   process, without encoding: routemap's renderer (the static layers drawn once, each picture
   drawn once and only its moving parts), and a plain matplotlib ``FuncAnimation`` on the same
   figure that adds the frame's legs, callouts and date as artists and redraws the whole
   figure for every frame (grabbed by a writer that only reads the pixels).
2. The wall time of ``render_video`` writing all three files (``animation.mp4``,
   ``animation-square.mp4``, ``animation.gif``) with two processes, and their sizes.

The last line is JSON: ``speedup_vs_redraw`` (targets: at least 5) and ``bundled_s`` (at
most 60 s on the reference machine).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

import numpy as np


def _bench_routeset(sample: bool):
    """Return the route set bench/routesets.py gives, loaded from beside this file
    (``python -P`` leaves this folder off the import path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_bench_routesets",
                                                  Path(__file__).with_name("routesets.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.bench_routeset(sample)

log = logging.getLogger("bench.animation")


def _ours(stage, frames) -> float:
    """Seconds to draw ``frames`` as routemap does (a frame like the one before is kept)."""
    start, previous = time.perf_counter(), None
    for frame in frames:
        if previous is None or not frame.same_picture(previous):
            np.asarray(stage.render(frame))
        previous = frame
    return time.perf_counter() - start


def _redraw(stage, frames) -> float:
    """Seconds for a FuncAnimation redrawing the whole figure for each of ``frames``."""
    from matplotlib.animation import AbstractMovieWriter, FuncAnimation

    from routemap.maps.slides.furniture import draw_badge, draw_callout_list
    from routemap.maps.slides.layers import draw_routes
    from routemap.maps.video.frames import grown_parts

    c = stage.canvas
    ax, panel = c.ax, stage.callout_ax
    static = {id(a) for a in (*ax.get_children(), *panel.get_children())}

    def update(frame):
        for artist in [a for a in (*ax.get_children(), *panel.get_children()) if id(a) not in static]:
            artist.remove()
        legs = [(stage.routes[f], stage.parts[f], False) for f in frame.context]
        legs += [(stage.routes[f], stage.parts[f], True) for f in frame.drawn]
        for fid, share in frame.growing:
            track, joins = grown_parts(stage.routes[fid], stage.parts[fid], share)
            legs.append((replace(stage.routes[fid], connectors=tuple(joins)), track + joins, True))
        draw_routes(ax, legs, scale=c.scale, units_per_point=c.upp)
        items = []
        for number in frame.callouts:
            co = stage.callouts[number]
            x, y = c.frame.forward(np.array([co.lon]), np.array([co.lat]))
            draw_badge(ax, float(x[0]), float(y[0]), number, radius=7.5 * c.scale * c.upp,
                       fontsize=7.5 * c.scale, zorder=12, gid=f"callout:{number}")
            items.append((number, co.text, "annotation"))
        w_pt, h_pt = stage.callout_size
        draw_callout_list(panel, "On the timeline", items, top=stage.callout_top,
                          bottom=h_pt, width=w_pt, scale=c.scale, language=stage.lang)
        if frame.day is not None:
            ax.text(0.012, 0.985, stage.lang.date(frame.day), transform=ax.transAxes,
                    fontsize=17.0 * c.scale, fontweight="bold", ha="left", va="top",
                    bbox={"boxstyle": "round,pad=0.35", "facecolor": "white"})
        return []

    class _Pixels(AbstractMovieWriter):
        """A writer that draws the whole figure and reads its pixels, encoding nothing."""

        def setup(self, fig, outfile, dpi=None):
            self.fig = fig

        def grab_frame(self, **savefig_kwargs):
            self.fig.canvas.draw()
            np.asarray(self.fig.canvas.buffer_rgba()).copy()

        def finish(self):
            pass

    animation = FuncAnimation(stage.fig, update, frames=frames, blit=False, repeat=False,
                              cache_frame_data=False)
    start = time.perf_counter()
    animation.save(os.devnull, writer=_Pixels(fps=30))
    return time.perf_counter() - start


def main() -> None:
    """Print both frame rates, the bundled files' time and sizes, then the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="use the tests' small route set")
    parser.add_argument("--frames", type=int, default=45, help="map frames timed both ways")
    parser.add_argument("--out", type=Path, help="also write the three files into this folder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import matplotlib

    from routemap.maps.options import RenderOptions
    from routemap.maps.slides.canvas import slide_rc
    from routemap.maps.video.content import video_content
    from routemap.maps.video.frames import LAYOUTS, Stage
    from routemap.maps.video.render import film_for, render_video

    routeset = _bench_routeset(args.sample)
    content = video_content(routeset)
    film = film_for(content)
    maps = [f for f in film.frames if f.phase == "map"]
    window = maps[len(maps) // 4:len(maps) // 4 + args.frames]
    with matplotlib.rc_context(slide_rc()):
        ours_s = _ours(Stage(content, LAYOUTS["wide"]), window)
        redraw_s = _redraw(Stage(content, LAYOUTS["wide"]), window)
    start = time.perf_counter()
    files = render_video(routeset, RenderOptions(formats=("mp4", "gif"), workers=2))
    bundled_s = time.perf_counter() - start
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (args.out / name).write_bytes(data)
    result = {
        "scenario": "sample" if args.sample else "bundled",
        "film_frames": len(film.frames), "film_s": round(film.duration_s, 2),
        "window_frames": len(window),
        "ours_fps": round(len(window) / ours_s, 1),
        "redraw_fps": round(len(window) / redraw_s, 2),
        "speedup_vs_redraw": round(redraw_s / ours_s, 1),
        "bundled_s": round(bundled_s, 1),
        "sizes_mb": {name: round(len(data) / 1e6, 2) for name, data in files.items()},
        "cpu_count": os.cpu_count(), "load_1min": round(os.getloadavg()[0], 1),
    }
    log.info("frames: %.1f fps drawn by routemap, %.2f fps redrawn by FuncAnimation (%.1fx)",
             result["ours_fps"], result["redraw_fps"], result["speedup_vs_redraw"])
    log.info("three files in %.1f s: %s", bundled_s, result["sizes_mb"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
