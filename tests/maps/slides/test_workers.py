"""Slide workers started ahead, stopped when not taken; the shared route set in a file.

That slides drawn by workers started ahead are the same bytes: tests/maps/slides/test_render.py.
"""

from __future__ import annotations

import os

from routemap.maps.slides import workers


def test_workers_started_ahead_and_never_taken_are_stopped():
    workers.start_ahead(2)
    pool = workers._AHEAD[2]
    processes = list(pool._processes.values())
    assert len(processes) == 2
    workers.stop_ahead()
    assert workers.take_ahead(2) is None
    assert not any(process.is_alive() for process in processes)


def test_one_worker_is_never_started_ahead():
    workers.start_ahead(1)
    assert workers.take_ahead(1) is None


def test_the_shared_route_set_is_read_from_its_file_once_and_the_file_removed():
    with workers.shared_file(("a", "b")) as path:
        assert workers.read_shared(path) == ("a", "b")
        first = workers.read_shared(path)
        assert workers.read_shared(path) is first
    assert not os.path.exists(path)
