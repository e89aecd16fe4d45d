"""The processes that draw slides: started, and warmed, before the slides are asked for.

A process drawing its first slide spends about 3 s before it draws: importing matplotlib and
the slide modules, reading the country shapes and simplifying the locator globe's land,
loading fonts for the first PNG, SVG and PDF. A build that will draw slides can start its
workers while it loads and routes its scenario in one process (:func:`start_ahead`): on a
machine with a second core, that warm-up is done by the time the slides are drawn.

The route set most slides share is handed to the workers in a file (:func:`shared_file`),
read once per process, since a worker started ahead cannot be given it at its start.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

__all__ = ["read_shared", "shared_file", "start_ahead", "start_workers", "stop_ahead", "take_ahead"]

log = logging.getLogger(__name__)

#: Workers started ahead by :func:`start_ahead`, waiting for :func:`take_ahead`.
_AHEAD: dict[int, ProcessPoolExecutor] = {}
#: The shared route set a worker read last, by file: (path, routes).
_SHARED: list[tuple[str, Any]] = []


def start_workers(count: int) -> ProcessPoolExecutor:
    """Return a pool of ``count`` spawned processes that warm up as they start.

    Parameters
    ----------
    count : int
        Number of processes (at least 1).

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        The pool; its processes start on its first tasks (see :func:`start_ahead`).
    """
    return ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_warm)


def start_ahead(count: int) -> None:
    """Start ``count`` slide workers now, warming up, for the build's slides to take later.

    Does nothing for fewer than 2 (the slides are then drawn in the build's own process).
    Started workers that the build does not take are stopped by :func:`stop_ahead`.
    """
    if count < 2 or count in _AHEAD:
        return
    pool = start_workers(count)
    for _ in range(count):  # a process starts for each task no idle process can take
        pool.submit(os.getpid)
    _AHEAD[count] = pool


def take_ahead(count: int) -> ProcessPoolExecutor | None:
    """Return the ``count`` workers started ahead (the caller then owns and shuts them down),
    or None if none of that number were."""
    return _AHEAD.pop(count, None)


def stop_ahead() -> None:
    """Stop the workers started ahead that were never taken (a build that stopped before
    its slides, or drew none). They only warm up and write nothing, so they are stopped at
    once rather than left to finish."""
    while _AHEAD:
        _, pool = _AHEAD.popitem()
        for process in (getattr(pool, "_processes", None) or {}).copy().values():
            process.terminate()  # no public way to stop them; the pool then reaps them
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def shared_file(routes: Any) -> Iterator[str]:
    """Write the shared route set to a temporary file for the workers; yield its path,
    removed when the block ends."""
    fd, path = tempfile.mkstemp(prefix="routemap-routes-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(routes, handle, protocol=pickle.HIGHEST_PROTOCOL)
        yield path
    finally:
        os.unlink(path)


def read_shared(path: str) -> Any:
    """Return the shared route set in ``path`` (see :func:`shared_file`), read once per process."""
    if not _SHARED or _SHARED[0][0] != path:
        with open(path, "rb") as handle:
            routes = pickle.load(handle)  # written by this build, in its own temporary file
        _SHARED[:] = [(path, routes)]
    return _SHARED[0][1]


def _warm() -> None:
    """Prepare a new worker for its first slide (its pool's initializer).

    Loads what every slide uses, whatever it shows, so that nothing drawn depends on it: the
    slide modules and matplotlib's backends, the country shapes and the globe's land. A failure
    here is left to the first slide, which meets it again and reports it.
    """
    try:
        import matplotlib.backends.backend_agg
        import matplotlib.backends.backend_pdf
        import matplotlib.backends.backend_svg  # noqa: F401 - loaded ahead of the first save

        from routemap.geo.countries import load_countries
        from routemap.maps.slides import compose, globe, pdffonts  # noqa: F401

        load_countries()
        globe._world_parts()
    except Exception as exc:  # the first slide meets it, and reports it
        log.debug("slide worker warm-up failed: %s", exc)
