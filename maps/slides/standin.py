"""Standing in for one of matplotlib's private functions while a slide is saved.

Two slide speed-ups replace a matplotlib function for the duration of a save: the PNG glyph
images (:mod:`routemap.maps.slides.glyphs`) and the lean PDF font subsets
(:mod:`routemap.maps.slides.pdffonts`). Each may do so only while the function is the one it
was written against (the same parameters, and whatever else it relies on); otherwise
matplotlib's own path is left alone, and the file is the same, only slower. A block inside
another keeps the stand-in, and the original is back when the outer block ends.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["StandIn"]


class StandIn:
    """A replacement for ``owner.name``, put in place by :meth:`active` only when it fits.

    Parameters
    ----------
    owner : object
        The module or class holding the function.
    name : str
        The function's attribute name.
    replacement : callable
        What stands in for it.
    parameters : tuple of str
        The function's parameter names the replacement was written against.
    requires : callable, optional
        Tells whether the rest of what the replacement relies on is there.

    Attributes
    ----------
    original : callable or None
        The function replaced (what the replacement calls where it hands work back).
    """

    def __init__(self, owner: Any, name: str, replacement: Callable[..., Any],
                 parameters: tuple[str, ...], *, requires: Callable[[], bool] = lambda: True) -> None:
        self.owner, self.name, self.replacement = owner, name, replacement
        self.parameters, self.requires = parameters, requires
        self.original: Any = getattr(owner, name, None)
        self._lock = threading.RLock()

    def fits(self) -> bool:
        """Return whether the function in place is the one the replacement knows."""
        current = getattr(self.owner, self.name, None)
        if current is None or not self.requires():
            return False
        try:
            return tuple(inspect.signature(current).parameters) == self.parameters
        except (TypeError, ValueError):
            return False

    @contextmanager
    def active(self) -> Iterator[bool]:
        """Put the replacement in place for the block, if it fits.

        Yields
        ------
        bool
            Whether the replacement is in use (False: matplotlib's own function, unchanged).
        """
        with self._lock:
            current = getattr(self.owner, self.name, None)
            if current is self.replacement:  # a block inside another
                yield True
                return
            if not self.fits():
                yield False
                return
            self.original = current
            setattr(self.owner, self.name, self.replacement)
            try:
                yield True
            finally:
                setattr(self.owner, self.name, self.original)
