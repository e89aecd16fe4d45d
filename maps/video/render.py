"""Rendering the animation: the paced film drawn and encoded as MP4 (wide and square) and GIF.

The wide film is drawn in this process and the square one in a worker process at the same
time (``options.workers`` > 1); each film's frames are drawn in order, so the bytes are the
same whatever the number of processes.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass

import matplotlib
import numpy as np

from routemap.errors import RenderError, library_detail
from routemap.maps.options import OUTPUT_NAMES, RenderOptions
from routemap.maps.progress import Progress
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.fonts import ensure_families, font_chain
from routemap.maps.video.cards import closing_card, title_card
from routemap.maps.video.content import VideoContent, video_content
from routemap.maps.video.encode import GifWriter, Mp4Writer
from routemap.maps.video.frames import LAYOUTS, Layout, Stage
from routemap.maps.video.pacing import PACE, Film, Frame, Pace, pace_film
from routemap.routes.routeset import RouteSet

__all__ = ["GIF_STEP", "PROGRESS_STEP", "SQUARE_NAME", "VIDEO_FORMATS", "film_for", "pictures",
           "render_film", "render_video"]

log = logging.getLogger(__name__)

#: The formats this renderer writes.
VIDEO_FORMATS: tuple[str, ...] = ("mp4", "gif")
#: The square film's file name (``mp4`` writes it beside ``animation.mp4``).
SQUARE_NAME = "animation-square.mp4"
#: The GIF keeps one frame in this many (10 frames a second from 30).
GIF_STEP = 3
#: What the progress callback is told it counts: the films' frames.
PROGRESS_STEP = "animation frames"


@dataclass(frozen=True)
class _FilmJob:
    """One film to draw and encode: everything a worker process needs, picklable."""

    content: VideoContent
    film: Film
    layout: Layout
    mp4: str | None  # the MP4's output name, if one is wanted
    gif: str | None  # the GIF's output name, if one is wanted
    fonts: tuple[str, ...]


def film_for(content: VideoContent, *, pace: Pace = PACE) -> Film:
    """Return the paced film of some content.

    Parameters
    ----------
    content : VideoContent
        What the film shows.
    pace : Pace
        How fast it runs.

    Returns
    -------
    Film
    """
    return pace_film(content.legs, content.spans, pace=pace)


def pictures(film: Film) -> list[tuple[Frame, int]]:
    """Return the film's distinct pictures in order, each as its first frame and how many
    frames it fills (a card, or a map frame like the one before, is not drawn again)."""
    runs: list[tuple[Frame, int]] = []
    previous: Frame | None = None
    for frame in film.frames:
        if previous is not None and frame.phase == previous.phase and (
                frame.phase != "map" or frame.same_picture(previous)):
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((frame, 1))
        previous = frame
    return runs


def render_film(job: _FilmJob, *, progress: _Counter | None = None) -> dict[str, bytes]:
    """Draw a film's pictures in order and encode them; return output name -> bytes."""
    ensure_families(job.fonts)  # a spawned worker's font list may predate a font the parent found
    runs = pictures(job.film)
    with matplotlib.rc_context(slide_rc(job.fonts)):
        stage = Stage(job.content, job.layout)
        cards = {"title": title_card(job.content, job.layout.card),
                 "closing": closing_card(job.content, job.layout.card)}
        with ExitStack() as stack:
            mp4 = (stack.enter_context(Mp4Writer(job.layout.size, job.film.pace.fps,
                                                 [n for _, n in runs]))
                   if job.mp4 else None)
            gif = GifWriter() if job.gif else None
            _play(runs, job.film.pace.fps, stage, cards, mp4, gif, progress)
            out = {}
            if mp4 is not None and job.mp4:
                out[job.mp4] = mp4.close()
            if gif is not None and job.gif:
                out[job.gif] = gif.close()
    return out


class _Counter:
    """Counts the frames drawn across the films drawn in this process, for the progress."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0
        progress(PROGRESS_STEP, 0, total)  # the count, and its clock, start before drawing

    def add(self, frames: int) -> None:
        self.done += frames
        self.progress(PROGRESS_STEP, self.done, self.total)


def _play(runs: list[tuple[Frame, int]], fps: int, stage: Stage, cards: dict[str, np.ndarray],
          mp4: Mp4Writer | None, gif: GifWriter | None, progress: _Counter | None) -> None:
    """Draw each picture once and hand it on with how long it stays."""
    step_ms = round(1000 * GIF_STEP / fps)
    for frame, length in runs:
        pixels = cards[frame.phase] if frame.phase != "map" else stage.render(frame)
        if mp4 is not None:
            mp4.write(pixels)
        # the GIF keeps the frames whose index is a multiple of GIF_STEP
        ticks = len(range(-(-frame.index // GIF_STEP) * GIF_STEP, frame.index + length, GIF_STEP))
        if gif is not None and ticks:
            gif.write(pixels, step_ms * ticks)
        if progress is not None:
            progress.add(length)


def render_video(routeset: RouteSet, options: RenderOptions, *, shrink: int = 1,
                 pace: Pace = PACE, progress: Progress | None = None) -> dict[str, bytes]:
    """Render the timeline as ``animation.mp4`` (1920x1080), ``animation-square.mp4``
    (1080x1080) and ``animation.gif`` (960x540), as ``options.formats`` asks.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts in ``options.language``.
    options : RenderOptions
        ``mp4`` and ``gif`` among its formats (the others are for other renderers), the
        language, and the processes (two films are drawn at once when ``workers`` > 1).
    shrink : int
        Divide every film's size by this (tests draw small films).
    pace : Pace
        How fast the film runs.
    progress : Progress, optional
        Told the frames drawn (step :data:`PROGRESS_STEP`) of the films drawn in this
        process: both when one process draws them, else the wide one's.

    Returns
    -------
    dict of str to bytes
        Output name -> bytes; empty when neither format is asked for.

    Raises
    ------
    RenderError
        If ffmpeg fails, or the worker process dies.
    """
    wanted = [f for f in VIDEO_FORMATS if f in options.formats]
    if not wanted:
        return {}
    content = video_content(routeset, language=options.language)
    film = film_for(content, pace=pace)
    fonts = font_chain()
    wide, square = (_shrunk(LAYOUTS[name], shrink) for name in ("wide", "square"))
    main = _FilmJob(content, film, wide, OUTPUT_NAMES["mp4"] if "mp4" in wanted else None,
                    OUTPUT_NAMES["gif"] if "gif" in wanted else None, fonts)
    jobs = [main]
    if "mp4" in wanted:
        jobs.append(_FilmJob(content, film, square, SQUARE_NAME, None, fonts))
    log.info("animation: %d frames, %.1f s at %d fps", len(film.frames), film.duration_s,
             film.pace.fps)
    if options.workers <= 1 or len(jobs) == 1:
        counter = None if progress is None else _Counter(progress, len(film.frames) * len(jobs))
        results = [render_film(job, progress=counter) for job in jobs]
    else:
        counter = None if progress is None else _Counter(progress, len(film.frames))
        results = _render_beside(main, jobs[1:], counter)
    return {name: data for result in results for name, data in sorted(result.items())}


def _shrunk(layout: Layout, shrink: int) -> Layout:
    if shrink <= 1:
        return layout
    w, h = layout.size
    return layout.scaled((w // shrink // 2 * 2, h // shrink // 2 * 2))


def _render_beside(main: _FilmJob, others: list[_FilmJob],
                   progress: _Counter | None) -> list[dict[str, bytes]]:
    """Draw ``main`` here (counting its frames) while one spawned process draws the others,
    in order."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            futures: list[Future[dict[str, bytes]]] = [pool.submit(render_film, job)
                                                       for job in others]
            here = render_film(main, progress=progress)
            return [here, *(f.result() for f in futures)]
    except BrokenProcessPool as exc:
        raise RenderError(
            "cannot draw the animation: the process drawing the square film stopped abruptly "
            "(killed, or out of memory); draw it in one process (ROUTEMAP_WORKERS=1 for "
            "routemap build)" + library_detail("concurrent.futures", exc)) from exc
