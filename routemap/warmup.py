"""Filling a cold cache beside the build, and starting the slide workers early.

A first build on a machine (an empty cache folder) spends seconds building caches that do not
depend on its scenario: the sea lanes with Natural Earth land, and the web map's world
backdrop. Meanwhile the build loads its scenario and routes it in one process, leaving any
other core idle. :func:`start_warmup` builds those caches there, in a spawned process; the
build reads each from the cache folder when it needs it, or builds it itself if the warm-up
has not got there yet (both write the same bytes, atomically). Once they are cached, no process
is started.

When the build will draw its slides (none cached yet, or the slide cache off), their worker
processes are started at the same moment (:func:`routemap.maps.slides.workers.start_ahead`),
so that they have loaded what every slide needs by the time the scenario is routed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

__all__ = ["SLIDES", "Warmup", "cold_caches", "start_warmup", "stop_warmup"]

log = logging.getLogger(__name__)


def _sea_network() -> None:
    from routemap.geo.sealanes import load_sea_network

    load_sea_network()


def _world_backdrop() -> None:
    from routemap.maps.web.basemapcache import BasemapCache

    cache = BasemapCache.default()
    if cache is not None:
        cache.world()


#: Cache name -> what fills it, in the order a build needs them.
_FILLERS: dict[str, Callable[[], None]] = {"sea lanes": _sea_network, "world backdrop": _world_backdrop}
#: The formats drawn by the slide workers (the deck's images are slides too).
_SLIDE_FORMATS = frozenset({"png", "svg", "pdf", "pptx"})
#: What :func:`cold_caches` names the slides when they will be drawn afresh.
SLIDES = "slides"


@dataclass(frozen=True)
class Warmup:
    """What :func:`start_warmup` started: a process filling caches, slide workers, or both."""

    process: BaseProcess | None
    slide_workers: bool


def cold_caches(formats: Sequence[str], *, build_caches: bool = True) -> tuple[str, ...]:
    """Return the names of the scenario-independent caches a build of ``formats`` would build.

    Read from the cache folder's file names alone, without loading the modules that key
    them: a cheap check that every warm build makes. A file left by an older version of the
    data or code counts as cached, so the first build after an upgrade builds that cache
    itself, as it would without a warm-up.

    Parameters
    ----------
    formats : sequence of str
        The build's formats (the world backdrop is the web map's, ``html``).
    build_caches : bool
        False when the build keeps no build cache (``--no-cache``): the world backdrop is then
        drawn afresh by the build, so it is not warmed, and every slide is drawn.

    Returns
    -------
    tuple of str
        Keys of the caches missing from the cache folder (``"sea lanes"``, ``"world
        backdrop"``), and :data:`SLIDES` when slides are asked for and none is cached (or
        the slide cache is off); empty when all are there, or when the cache folder cannot
        be used.
    """
    from routemap.cache import cache_dir
    from routemap.errors import NetworkDataError

    try:
        folder = cache_dir()
        names = [entry.name for entry in os.scandir(folder)]
        cold = []
        if not (_has(names, "sealanes-", ".npz") and _has(names, "land-", ".wkb")):
            cold.append("sea lanes")
        if "html" in formats and build_caches and not any(
                _has(files, "world-", ".npz") for files in _subfolder_files(folder, names, "webmap-")):
            cold.append("world backdrop")
        if _SLIDE_FORMATS & set(formats) and not (build_caches and _slides_cached(folder, names)):
            cold.append(SLIDES)
    except (NetworkDataError, OSError) as exc:  # the build reports an unusable cache folder
        log.debug("no warm-up: %s", exc)
        return ()
    return tuple(cold)


def _slides_cached(folder: os.PathLike, names: Sequence[str]) -> bool:
    """Tell whether the slide cache is on and holds some slide (then most slides of a build
    are likely there; the slides' own step decides each one)."""
    from routemap.maps.slides.slidecache import cache_enabled

    return cache_enabled() and any(_subfolder_files(folder, names, "slides-"))


def _subfolder_files(folder: os.PathLike, names: Sequence[str], prefix: str) -> list[list[str]]:
    """Return the file names in each subfolder of ``folder`` (among ``names``) named ``prefix...``."""
    return [os.listdir(os.path.join(folder, name)) for name in names
            if name.startswith(prefix) and os.path.isdir(os.path.join(folder, name))]


def _has(names: Sequence[str], prefix: str, suffix: str) -> bool:
    return any(name.startswith(prefix) and name.endswith(suffix) for name in names)


def start_warmup(formats: Sequence[str], *, processes: int, build_caches: bool = True) -> Warmup | None:
    """Start filling the caches a build of ``formats`` misses, in a spawned process, and the
    slide workers when the build will draw slides.

    Parameters
    ----------
    formats : sequence of str
        The build's formats.
    processes : int
        How many processes the build may run at once (its slide workers); with one, nothing
        is started.
    build_caches : bool
        As for :func:`cold_caches`.

    Returns
    -------
    Warmup or None
        What was started (hand it to :func:`stop_warmup` when the build ends), or None when
        every such cache is filled and no slide will be drawn, or the build runs in one
        process.
    """
    if processes <= 1:
        return None
    cold = cold_caches(formats, build_caches=build_caches)
    if not cold:
        return None
    process = None
    files = tuple(name for name in cold if name in _FILLERS)
    if files:
        process = multiprocessing.get_context("spawn").Process(
            target=_warm, args=(files,), name="routemap-warmup", daemon=True)
        process.start()
        log.debug("warming %s in process %s", ", ".join(files), process.pid)
    if SLIDES in cold:
        from routemap.maps.slides.workers import start_ahead

        start_ahead(processes)
    return Warmup(process, SLIDES in cold)


def stop_warmup(warmup: Warmup | None) -> None:
    """End a warm-up the build no longer needs: the process filling caches stopped if still
    running (a cache file it was writing is removed, never left half-written) and waited
    for; slide workers the build did not take, stopped."""
    if warmup is None:
        return
    process = warmup.process
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()
    if warmup.slide_workers:
        from routemap.maps.slides.workers import stop_ahead

        stop_ahead()


def _stop(signum: int, frame: object) -> None:
    sys.exit(0)  # unwinds the cache writers, which remove their temporary file


def _warm(cold: tuple[str, ...]) -> None:
    """Fill the named caches (the warm-up process's body); a failure is left to the build,
    which builds that cache itself and reports what is wrong."""
    signal.signal(signal.SIGTERM, _stop)
    for name in cold:
        try:
            _FILLERS[name]()
        except Exception as exc:  # the build meets the same problem, and reports it
            log.debug("warm-up of the %s failed: %s", name, exc)
