"""Telling how a build goes: the progress callback the renderers are handed, and how the
command line shows it (a bar redrawn in place on a terminal, a plain line every tenth
elsewhere, so logs and CI stay readable)."""

from __future__ import annotations

import inspect
import shutil
import time
from collections.abc import Callable
from typing import Protocol, TextIO

__all__ = ["Progress", "ProgressBar", "StreamProgress", "counting"]


class Progress(Protocol):
    """A build's progress callback.

    Called with an output's name as it starts (``done`` and ``total`` left out), and by a
    renderer counting its work, with how many of ``total`` units (a film's frames) are done.
    """

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """Tell that ``step`` starts, or that ``done`` of its ``total`` units are done."""


def counting(progress: Callable[..., None]) -> Progress:
    """Return a progress callback taking counts: ``progress`` itself when it takes them, else
    one passing it the steps alone (a callback written for steps only, as ``write`` first
    took them, keeps working; the counts are left out).

    Parameters
    ----------
    progress : callable
        Called with a step's name, and maybe with ``done`` and ``total``.

    Returns
    -------
    Progress
    """
    try:
        inspect.signature(progress).bind("step", 0, 1)
    except TypeError:
        def steps_only(step: str, done: int | None = None, total: int | None = None) -> None:
            if done is None:
                progress(step)

        return steps_only
    except ValueError:  # no signature to read (a builtin): it is called as it was
        pass
    return progress


def _clock_text(seconds: float) -> str:
    """Return a duration as ``m:ss`` (``h:mm:ss`` from an hour)."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """One counted task shown on a stream.

    On a terminal, one line redrawn in place (a bar, units done of the total, rate, time
    left), at most every ``interval`` seconds and at the end; elsewhere a plain line at each
    tenth done.

    Parameters
    ----------
    stream : TextIO
        Where to write (the command line's stderr).
    label : str
        What is counted, e.g. ``animation``.
    total : int
        Units to do (at least 1).
    unit : str
        The units' name, plural (``frames``).
    tty : bool, optional
        Redraw in place; by default, when the stream is a terminal.
    clock : callable
        Seconds, monotonic (tests pass their own).
    interval : float
        Fewest seconds between two redraws on a terminal.
    """

    def __init__(self, stream: TextIO, label: str, total: int, *, unit: str = "frames",
                 tty: bool | None = None, clock: Callable[[], float] = time.monotonic,
                 interval: float = 0.1) -> None:
        self.stream, self.label, self.total, self.unit = stream, label, max(1, total), unit
        self.tty = _is_tty(stream) if tty is None else tty
        self._clock, self._interval = clock, interval
        self._start = clock()
        self._shown_at: float | None = None
        self._tenths = 0
        self.done = 0
        self.closed = False
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        self._fill, self._empty = ("\u2588", "\u2591") if encoding == "utf8" else ("#", "-")

    def update(self, done: int) -> None:
        """Show that ``done`` units are done (the bar closes itself at the total)."""
        if self.closed:
            return
        self.done = max(0, min(done, self.total))
        now = self._clock()
        if self.tty:
            if (self.done == self.total or self._shown_at is None
                    or now - self._shown_at >= self._interval):
                self._shown_at = now
                self._write("\r" + self.line(now) + "\x1b[K")
        else:
            tenths = self.done * 10 // self.total
            if tenths > self._tenths:
                self._tenths = tenths
                self._write(f"  {self.label}: {tenths * 10}% ({self._counts(now)})\n")
        if self.done == self.total:
            self.close()

    def close(self) -> None:
        """End the bar's line (on a terminal); later updates are ignored."""
        if self.closed:
            return
        self.closed = True
        if self.tty and self._shown_at is not None:
            self._write("\n")

    def line(self, now: float) -> str:
        """Return the terminal line at ``now``: label, bar, counts, rate and time left."""
        width = shutil.get_terminal_size((80, 24)).columns
        counts = self._counts(now)
        # the bar's length is kept while the counts' text changes length
        widest = f"{self.total}/{self.total} {self.unit}, 9999.9/s, 0:00:00 left"
        room = max(10, min(40, width - len(self.label) - len(widest) - 6))
        full = room * self.done // self.total
        bar = self._fill * full + self._empty * (room - full)
        return f"  {self.label} {bar} {counts}"[:max(20, width - 1)]

    def _counts(self, now: float) -> str:
        elapsed = now - self._start
        text = f"{self.done}/{self.total} {self.unit}"
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            left = (self.total - self.done) / rate
            text += f", {rate:.1f}/s, " + (f"{_clock_text(elapsed)} in all" if self.done == self.total
                                            else f"{_clock_text(left)} left")
        return text

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except ValueError:  # a closed stream
        return False


class StreamProgress:
    """The command line's progress: ``rendering <output>`` as each output starts, and a
    :class:`ProgressBar` for a renderer counting its work.

    Parameters
    ----------
    stream : TextIO
        Where to write.
    tty : bool, optional
        Redraw bars in place; by default, when the stream is a terminal.
    """

    def __init__(self, stream: TextIO, *, tty: bool | None = None) -> None:
        self.stream, self.tty = stream, tty
        self.bar: ProgressBar | None = None

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """Tell that ``step`` starts, or that ``done`` of its ``total`` units are done."""
        if done is None or total is None:
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            self.stream.write(f"rendering {step}\n")
            self.stream.flush()
            return
        if self.bar is None or self.bar.label != step or self.bar.total != max(1, total):
            if self.bar is not None:
                self.bar.close()
            self.bar = ProgressBar(self.stream, step, total, tty=self.tty)
        self.bar.update(done)
