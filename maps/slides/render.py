"""Rendering the slides to bytes: PNG, SVG and PDF, the same bytes for the same input, in worker processes."""

from __future__ import annotations

import io
import multiprocessing
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure

from routemap.errors import RenderError, library_detail
from routemap.maps.options import FORMATS, RenderOptions
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import compose_slide, slide_specs, slide_texts
from routemap.maps.slides.fonts import ensure_families, font_chain
from routemap.maps.slides.spec import SlideSpec
from routemap.routes.routeset import RouteSet

__all__ = ["SLIDE_FORMATS", "figure_bytes", "render_slides"]

#: The formats a slide is saved in, in the order a slide's files are listed.
SLIDE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")


def figure_bytes(figure: Figure, fmt: str, *, fonts: Sequence[str] | None = None) -> bytes:
    """Return a figure saved as PNG, SVG or PDF, byte-identical for identical figures.

    Parameters
    ----------
    figure : Figure
        A composed slide's figure.
    fmt : str
        ``png``, ``svg`` or ``pdf``.
    fonts : sequence of str, optional
        The font chain to save with (default :func:`routemap.maps.slides.fonts.font_chain`).

    Returns
    -------
    bytes
    """
    metadata = {"png": {"Software": "routemap"}, "svg": {"Date": None, "Creator": "routemap"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "routemap",
                        "Producer": "routemap"}}[fmt]
    buf = io.BytesIO()
    with matplotlib.rc_context(slide_rc(fonts)):
        figure.savefig(buf, format=fmt, dpi=figure.dpi, metadata=metadata,
                       facecolor=figure.get_facecolor())
    return _round_svg_paths(buf.getvalue()) if fmt == "svg" else buf.getvalue()


_SVG_PATH_DATA = re.compile(rb' d="([^"]*)"')
_SVG_LONG_NUMBER = re.compile(rb"-?\d+\.\d{3,}")


def _round_svg_paths(svg: bytes) -> bytes:
    """Round path coordinates to 1/100 point (matplotlib writes six digits; none is visible)."""

    def number(m: re.Match) -> bytes:
        text = b"%.2f" % float(m.group(0))
        text = text.rstrip(b"0").rstrip(b".")
        return b"0" if text in (b"-0", b"") else text

    def path(m: re.Match) -> bytes:
        return b' d="' + _SVG_LONG_NUMBER.sub(number, m.group(1)) + b'"'

    return _SVG_PATH_DATA.sub(path, svg)


def render_slides(routeset: RouteSet, options: RenderOptions, *,
                  per_transfer: bool = True) -> dict[str, bytes]:
    """Render the briefing slides to bytes, one entry per output file.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    options : RenderOptions
        The slide formats asked for among ``options.formats`` (``png``, ``svg``, ``pdf``; the
        others are for other renderers), the PNG's size in pixels (vector formats get the same
        page in inches) and dpi, and how many processes draw the slides (started with
        ``spawn``, so a calling script needs the usual ``if __name__ == "__main__":`` guard).
        Each slide is drawn on its own, so the bytes are the same whatever the number.
    per_transfer : bool
        Also render ``slides/<transfer-id>.<fmt>`` for every transfer.

    Returns
    -------
    dict of str to bytes
        ``slide.png``, ``slide.svg``, ``slide.pdf``, ``slides/<transfer-id>.png``... (and
        ``slides/callouts.<fmt>`` when some callouts are on no transfer slide) in a stable
        order. Nothing is written to disk; nothing is drawn if no slide format is asked for.

    Raises
    ------
    ValueError
        If a format is unknown.
    RenderError
        If a font cannot be read, or a worker process dies (killed, or out of memory).
    """
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; expected some of {FORMATS}")
    formats = tuple(f for f in SLIDE_FORMATS if f in options.formats)
    if not formats:
        return {}
    specs = slide_specs(routeset, per_transfer=per_transfer, size=options.size,
                        dpi=options.dpi, language=options.language)
    texts = slide_texts(specs)
    jobs = [_SlideJob(spec, options.size, options.dpi, texts, formats, font_chain()) for spec in specs]
    workers = min(options.workers, len(jobs))
    if workers <= 1:
        results = [_render_job(job) for job in jobs]
    else:
        results = _render_in_workers(jobs, workers)
    return {name: data for result in results for name, data in result.items()}


def _render_in_workers(jobs: list[_SlideJob], workers: int) -> list[dict[str, bytes]]:
    """Draw the slides in ``workers`` spawned processes, in job order."""
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return list(pool.map(_render_job, jobs))
    except BrokenProcessPool as exc:
        raise RenderError(
            f"cannot draw the slides: one of the {workers} processes drawing them stopped "
            f"abruptly (killed, or out of memory); draw them in one process "
            f"(ROUTEMAP_WORKERS=1 for routemap build)" + library_detail("concurrent.futures", exc)
        ) from exc


@dataclass(frozen=True)
class _SlideJob:
    """One slide to draw and save: everything a worker process needs, picklable."""

    spec: SlideSpec
    size: tuple[int, int]
    dpi: float
    texts: dict[str, str]
    formats: tuple[str, ...]
    fonts: tuple[str, ...]


def _render_job(job: _SlideJob) -> dict[str, bytes]:
    ensure_families(job.fonts)  # a spawned worker's font list may predate a font the parent found
    with matplotlib.rc_context(slide_rc(job.fonts)):
        slide = compose_slide(job.spec, size=job.size, dpi=job.dpi, texts=job.texts)
    return {f"{job.spec.name}.{fmt}": figure_bytes(slide.figure, fmt, fonts=job.fonts)
            for fmt in job.formats}
