"""The build's progress: a bar redrawn in place on a terminal, plain lines elsewhere, and the
callback handed from render_outputs to the renderers."""

from __future__ import annotations

import io
import os
import re
import select

import pytest

from routemap.maps import output
from routemap.maps.options import RenderOptions
from routemap.maps.progress import ProgressBar, StreamProgress


class _Clock:
    """A clock the test moves: a second per tick."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_a_line_is_written_at_each_tenth():
    stream, clock = io.StringIO(), _Clock()
    bar = ProgressBar(stream, "animation frames", 50, tty=False, clock=clock)
    for done in range(1, 51):
        clock.now += 0.5
        bar.update(done)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10 and "\r" not in stream.getvalue()
    assert lines[0] == "  animation frames: 10% (5/50 frames, 2.0/s, 0:22 left)"
    assert lines[-1] == "  animation frames: 100% (50/50 frames, 2.0/s, 0:25 in all)"
    assert bar.closed


def test_on_a_terminal_one_line_is_redrawn_in_place():
    stream, clock = io.StringIO(), _Clock()
    bar = ProgressBar(stream, "animation frames", 200, tty=True, clock=clock, interval=0.1)
    for done in range(1, 201):
        clock.now += 0.025  # 40 frames a second: a redraw every 4 frames
        bar.update(done)
    text = stream.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")  # one line, ended at the close
    draws = text.rstrip("\n").split("\r")[1:]
    assert 45 <= len(draws) <= 55
    assert all(d.endswith("\x1b[K") for d in draws)  # each clears what a longer one left
    for draw in draws[:-1]:  # each says the rate and the time left at that rate
        done, left = re.search(r" (\d+)/200 frames, 40\.0/s, 0:(\d\d) left", draw).groups()
        assert int(left) == round((200 - int(done)) / 40)
    assert draws[-1].startswith("  animation frames ") and "200/200 frames" in draws[-1]
    assert "0:05 in all" in draws[-1]


def test_the_bar_is_seen_on_a_pseudo_terminal():
    """Written to a real terminal (a pty), the bar finds it is one and redraws in place."""
    leader, follower = os.openpty()
    try:
        with os.fdopen(follower, "w", encoding="utf-8", closefd=False) as tty:
            progress = StreamProgress(tty)
            progress("animation")
            for done in range(1, 11):
                progress("animation frames", done, 10)
        seen = b""
        while select.select([leader], [], [], 0.5)[0]:
            seen += os.read(leader, 65536)
        seen = seen.decode("utf-8")
    finally:
        os.close(leader)
        os.close(follower)
    assert seen.startswith("rendering animation\r\n")
    assert "\r  animation frames \u2588" in seen and "10/10 frames" in seen
    assert seen.count("10/10 frames") == 1


def test_a_step_after_a_bar_ends_its_line_first():
    stream = io.StringIO()
    progress = StreamProgress(stream, tty=True)
    progress("animation")
    progress("animation frames", 3, 10)
    progress("manifest.json")
    assert re.search(r"\r  animation frames [#-]+ 3/10 frames[^\n]*\x1b\[K\nrendering manifest.json\n$",
                     stream.getvalue())


def test_render_outputs_hands_its_callback_to_the_renderers(monkeypatch, shared_routeset):
    told = []

    def counting(routeset, options, earlier, progress):
        for done in (1, 2):
            progress("animation frames", done, 2)
        return {"animation.gif": b"GIF89a"}

    monkeypatch.setitem(output.RENDERERS, "video", counting)
    files = output.render_outputs(shared_routeset, RenderOptions(formats=("gif",)),
                                  progress=lambda *args: told.append(args))
    assert files == {"animation.gif": b"GIF89a"}
    assert told == [("video",), ("animation frames", 1, 2), ("animation frames", 2, 2)]


def test_a_callback_for_steps_only_keeps_working(monkeypatch, shared_routeset):
    told = []

    def counting(routeset, options, earlier, progress):
        progress("animation frames", 1, 1)
        return {"animation.gif": b"GIF89a"}

    monkeypatch.setitem(output.RENDERERS, "video", counting)
    output.render_outputs(shared_routeset, RenderOptions(formats=("gif",)), progress=told.append)
    output.render_outputs(shared_routeset, RenderOptions(formats=("gif",)),
                          progress=lambda step: told.append(step))
    assert told == ["video", "video"]


@pytest.mark.parametrize("seconds, text", [(5, "0:05"), (61, "1:01"), (3725, "1:02:05")])
def test_times_are_minutes_and_seconds(seconds, text):
    stream, clock = io.StringIO(), _Clock()
    bar = ProgressBar(stream, "x", 2, tty=False, clock=clock)
    clock.now += seconds
    bar.update(1)
    assert f"{text} left" in stream.getvalue()
