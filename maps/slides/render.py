"""Rendering the slides to bytes: PNG, SVG and PDF, the same bytes for the same input, in worker processes."""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from routemap.errors import RenderError, library_detail
from routemap.maps.options import FORMATS, RenderOptions
from routemap.maps.slides.fonts import font_chain
from routemap.maps.slides.plan import slide_specs, slide_texts
from routemap.maps.slides.slidecache import SlideCache, environment_digest, value_digest
from routemap.maps.slides.spec import RouteLine, SlideSpec
from routemap.maps.slides.workers import read_shared, shared_file, start_workers, take_ahead
from routemap.maps.spool import Spool
from routemap.routes.routeset import RouteSet

if TYPE_CHECKING:  # matplotlib's figures, renderers and fontTools load with the first slide
    # drawn: a build whose slides all come from the slide cache never loads them (~1 s)
    from matplotlib.figure import Figure

__all__ = ["SLIDE_FORMATS", "figure_bytes", "render_slides"]

log = logging.getLogger(__name__)

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
    import matplotlib

    from routemap.maps.slides.canvas import slide_rc
    from routemap.maps.slides.glyphs import kept_glyphs
    from routemap.maps.slides.pdffonts import lean_pdf_fonts
    from routemap.maps.slides.pdftext import kept_pdf_text

    buf = io.BytesIO()
    with matplotlib.rc_context(slide_rc(fonts)), lean_pdf_fonts(), kept_pdf_text(), kept_glyphs():
        if fmt == "png":  # drawn by matplotlib, written below
            figure.savefig(buf, format="raw", dpi=figure.dpi, facecolor=figure.get_facecolor())
        else:
            figure.savefig(buf, format=fmt, dpi=figure.dpi, metadata=metadata,
                           facecolor=figure.get_facecolor())
    if fmt == "png":
        return _png(buf.getbuffer(), figure, metadata)
    return _round_svg_paths(buf.getvalue()) if fmt == "svg" else buf.getvalue()


#: zlib's effort for the PNG slides: 3 writes a slide in about half the time of matplotlib's
#: 6 (PIL's default), 1% larger (measured on the bundled build's 18 slides, 1920x1080).
_PNG_COMPRESS_LEVEL = 3


def _png(rgba: memoryview, figure: Figure, metadata: dict[str, str]) -> bytes:
    """Return the PNG of a figure drawn as raw RGBA pixels (rows from the top).

    A slide whose pixels are all opaque (its background is filled) is written as RGB: the
    same picture, a quarter fewer bytes to compress. The text chunks and the resolution are
    the ones matplotlib's own PNG writer sets.
    """
    from PIL import Image, PngImagePlugin

    width, height = (int(v) for v in figure.bbox.size)
    pixels = np.frombuffer(rgba, dtype=np.uint8).reshape(height, width, 4)
    opaque = bool((pixels[:, :, 3] == 255).all())
    image = Image.fromarray(np.ascontiguousarray(pixels[:, :, :3]) if opaque else pixels,
                            "RGB" if opaque else "RGBA")
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    out = io.BytesIO()
    dpi = (figure.dpi, figure.dpi)
    image.save(out, format="png", pnginfo=info, dpi=dpi, compress_level=_PNG_COMPRESS_LEVEL)
    return out.getvalue()


_SVG_PATH_DATA = re.compile(rb' d="([^"]*)"')
_SVG_LONG_NUMBER = re.compile(rb"(-?\d+\.\d{3,})")


def _round_svg_paths(svg: bytes) -> bytes:
    """Round path coordinates to 1/100 point (matplotlib writes six digits; none is visible).

    A slide's paths hold some 150,000 such numbers, a third of them distinct: each distinct
    number is rounded once, and a path is cut at its numbers and joined again around the
    rounded ones (instead of a Python call for every number).
    """
    rounded: dict[bytes, bytes] = {}

    def path(m: re.Match) -> bytes:
        parts = _SVG_LONG_NUMBER.split(m.group(1))  # text, number, text, ..., number, text
        numbers = parts[1::2]
        for number in set(numbers).difference(rounded):
            rounded[number] = _rounded(number)
        parts[1::2] = map(rounded.__getitem__, numbers)
        return b' d="' + b"".join(parts) + b'"'

    return _SVG_PATH_DATA.sub(path, svg)


def _rounded(number: bytes) -> bytes:
    """Return a decimal number rounded to two places, without trailing zeros ('-0' is '0')."""
    text = (b"%.2f" % float(number)).rstrip(b"0").rstrip(b".")
    return b"0" if text in (b"-0", b"") else text


def render_slides(routeset: RouteSet, options: RenderOptions, *,
                  per_transfer: bool = True) -> Spool:
    """Render the briefing slides, one file per output, into a spool on disk.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    options : RenderOptions
        The slide formats asked for among ``options.formats`` (``png``, ``svg``, ``pdf``; the
        others are for other renderers), the PNG's size in pixels (vector formats get the same
        page in inches) and dpi, and how many processes draw the slides (started with
        ``spawn``, so a calling script needs the usual ``if __name__ == "__main__":`` guard).
        Each slide is drawn on its own, so the bytes are the same whatever the number. With
        ``options.cache`` (and the environment leaving it on), a slide drawn before with the
        same key is copied from the slide cache instead (:mod:`routemap.maps.slides.slidecache`),
        and a slide drawn is stored there.
    per_transfer : bool
        Also render ``slides/<transfer-id>.<fmt>`` for every transfer.

    Returns
    -------
    Spool
        ``slide.png``, ``slide.svg``, ``slide.pdf``, ``slides/<transfer-id>.png``... (and
        ``slides/callouts.<fmt>`` when some callouts are on no transfer slide) in a stable
        order, each read from its temporary file when asked for: memory holds one slide at a
        time, whatever their number. Nothing is written to the output folder; nothing is
        drawn if no slide format is asked for.

    Raises
    ------
    ValueError
        If a format is unknown.
    RenderError
        If a font cannot be read, or a worker process dies (killed, or out of memory).
    MemoryError
        If drawing a slide runs out of memory; the message names the slide.
    """
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; expected some of {FORMATS}")
    spool = Spool(prefix="routemap-slides-")
    formats = tuple(f for f in SLIDE_FORMATS if f in options.formats)
    if not formats:
        return spool
    specs = slide_specs(routeset, per_transfer=per_transfer, size=options.size,
                        dpi=options.dpi, language=options.language)
    texts = slide_texts(specs)
    context = _shared_routes(specs)
    fonts = font_chain()
    jobs = [_SlideJob(replace(spec, routes=()) if spec.routes is context else spec,
                      options.size, options.dpi, _texts_of(spec, texts), formats, fonts,
                      str(spool.folder), i, shared_routes=spec.routes is context)
            for i, spec in enumerate(specs)]
    cache = SlideCache.default() if options.cache else None
    keys = _job_keys(jobs, context) if cache is not None else [None] * len(jobs)
    results: list[list[tuple[str, str]] | None] = [
        _cached_job(cache, key, job) if cache is not None and key is not None else None
        for job, key in zip(jobs, keys, strict=True)]
    missing = [i for i, result in enumerate(results) if result is None]
    for i, drawn in zip(missing, _draw([jobs[i] for i in missing], options.workers, context), strict=True):
        results[i] = drawn
        if cache is not None and keys[i] is not None:
            cache.put(keys[i], [(Path(path).suffix[1:], Path(path).read_bytes()) for _, path in drawn])
    if cache is not None and missing:
        cache.trim()
    for result in results:
        for name, path in result or ():
            spool.add_file(name, Path(path))
    return spool


def _draw(jobs: list[_SlideJob], workers: int,
          context: tuple[RouteLine, ...]) -> list[list[tuple[str, str]]]:
    """Draw the slides of ``jobs``, in this process or in ``workers`` processes, in job order."""
    workers = min(workers, len(jobs))
    if workers <= 1:
        _set_context(context)
        try:
            return [_render_job(job) for job in jobs]
        finally:
            _set_context(())
    return _render_in_workers(jobs, workers, context)


def _job_keys(jobs: Sequence[_SlideJob], context: tuple[RouteLine, ...]) -> list[str | None]:
    """Return each job's slide cache key (None for a job whose spec cannot be keyed)."""
    if not jobs:
        return []
    shared = {"environment": environment_digest(jobs[0].fonts), "context": value_digest(context)}
    keys: list[str | None] = []
    for job in jobs:
        try:
            keys.append(value_digest({**shared, "spec": job.spec, "texts": job.texts, "size": job.size,
                                      "dpi": job.dpi, "formats": job.formats, "fonts": job.fonts,
                                      "shared_routes": job.shared_routes}))
        except TypeError as exc:
            log.debug("slide %s is not cached: %s", job.spec.name, exc)
            keys.append(None)
    return keys


def _cached_job(cache: SlideCache, key: str, job: _SlideJob) -> list[tuple[str, str]] | None:
    """Copy a slide's files from the cache into the job's folder; None if it is not there
    whole in every format the job asks for."""
    files = dict(cache.get(key) or ())
    if set(files) != set(job.formats):
        return None
    out = []
    for fmt in job.formats:
        path = os.path.join(job.folder, f"{job.index:06d}.{fmt}")
        _write_temporary(path, files[fmt], f"{job.spec.name}.{fmt}")
        out.append((f"{job.spec.name}.{fmt}", path))
    return out


def _shared_routes(specs: Sequence[SlideSpec]) -> tuple[RouteLine, ...]:
    """Return the route set most slides draw (every leg, the others' in grey): the one a
    worker process is handed once, instead of once per slide."""
    counts: dict[int, int] = {}
    for spec in specs:
        counts[id(spec.routes)] = counts.get(id(spec.routes), 0) + 1
    if not counts:
        return ()
    most = max(counts, key=lambda key: counts[key])
    return next(spec.routes for spec in specs if id(spec.routes) == most)


def _texts_of(spec: SlideSpec, texts: dict[str, str]) -> dict[str, str]:
    """Return the printable forms of the texts one slide draws (see :func:`slide_texts`)."""
    wanted = {spec.title, spec.subtitle, *(p.name for p in spec.places),
              *(c.text for c in spec.callouts)}
    return {k: v for k, v in texts.items() if k in wanted}


def _render_in_workers(jobs: list[_SlideJob], workers: int,
                       context: tuple[RouteLine, ...]) -> list[list[tuple[str, str]]]:
    """Draw the slides in ``workers`` spawned processes (those started ahead by
    :func:`routemap.maps.slides.workers.start_ahead`, if any), in job order; each process
    reads the shared route set once, from a file."""
    try:
        with shared_file(context) as path:
            jobs = [replace(job, context_file=path) if job.shared_routes else job for job in jobs]
            with take_ahead(workers) or start_workers(workers) as pool:
                return list(pool.map(_render_job, jobs))
    except BrokenProcessPool as exc:
        raise RenderError(
            f"cannot draw the slides: one of the {workers} processes drawing them stopped "
            f"abruptly (killed, or out of memory); draw them in one process "
            f"(ROUTEMAP_WORKERS=1 for routemap build)" + library_detail("concurrent.futures", exc)
        ) from exc


#: The route set the slides of this process share (set by :func:`_set_context`).
_CONTEXT: list[tuple[RouteLine, ...]] = [()]


def _set_context(routes: tuple[RouteLine, ...]) -> None:
    _CONTEXT[0] = routes


@dataclass(frozen=True)
class _SlideJob:
    """One slide to draw and save into ``folder``: everything a worker process needs,
    picklable and small (the shared route set is read from ``context_file`` once per
    worker, or is this process's own, see ``_set_context``)."""

    spec: SlideSpec
    size: tuple[int, int]
    dpi: float
    texts: dict[str, str]
    formats: tuple[str, ...]
    fonts: tuple[str, ...]
    folder: str
    index: int
    shared_routes: bool = False
    """The spec's routes are the shared route set, left out of the job."""
    context_file: str = ""
    """Where a worker process reads the shared route set (empty: this process's own)."""


def _render_job(job: _SlideJob) -> list[tuple[str, str]]:
    """Draw one slide, save it in each format into the job's folder; return (name, path)s."""
    import matplotlib

    from routemap.maps.slides.canvas import blank_figure, slide_rc
    from routemap.maps.slides.compose import compose_slide
    from routemap.maps.slides.fonts import ensure_families

    spec = job.spec
    if job.shared_routes:
        spec = replace(spec, routes=read_shared(job.context_file) if job.context_file else _CONTEXT[0])
    try:
        ensure_families(job.fonts)  # a spawned worker's font list may predate a font the parent found
        with matplotlib.rc_context(slide_rc(job.fonts)):
            # the slides of a process share one figure, and so the measures of their texts
            slide = compose_slide(spec, size=job.size, dpi=job.dpi, texts=job.texts,
                                  figure=blank_figure(job.size, job.dpi))
        out = []
        for fmt in job.formats:
            path = os.path.join(job.folder, f"{job.index:06d}.{fmt}")
            data = figure_bytes(slide.figure, fmt, fonts=job.fonts)
            _write_temporary(path, data, f"{spec.name}.{fmt}")
            out.append((f"{spec.name}.{fmt}", path))
        return out
    except MemoryError as exc:
        raise MemoryError(f"not enough memory to draw {spec.name}") from exc


def _write_temporary(path: str, data: bytes, name: str) -> None:
    """Write a drawn slide into the spool's folder.

    Raises
    ------
    RenderError
        If the temporary folder cannot take it (full, or not writable).
    """
    try:
        with open(path, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise RenderError(
            f"cannot draw {name}: the temporary folder {os.path.dirname(path)} cannot take it "
            f"({exc.strerror or exc}); free some room there, or set TMPDIR to a folder with "
            f"more room") from exc
