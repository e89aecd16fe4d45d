"""The observed layer a transfer slide draws (AIS), as plain data.

Kept apart from :mod:`routemap.maps.slides.observed` (which builds and draws it) so that the
slide spec can name it without importing the canvas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ObservedMarks"]


@dataclass(frozen=True)
class ObservedMarks:
    """The observed layer of one transfer slide, in lon/lat (each array ``(n, 2)``).

    Attributes
    ----------
    tracks, gaps : tuple of numpy.ndarray
        Line parts of the tracks and of the dark gaps (``gap_labels`` names each gap part).
    dots : numpy.ndarray
        The tracks' positions, thinned to ``OBSERVED_STYLE.max_dots`` per track.
    port_calls, encounters : numpy.ndarray
        Points.
    kinds : tuple of str
        The legend rows the slide needs: ``track``, ``gap``, ``port_call``, ``encounter``.
    verdicts : tuple of str
        Per leg with a verdict, two lines in the slide's language: the vessel and the verdict,
        then its evidence; last, for synthetic positions, the warning.
    """

    tracks: tuple[np.ndarray, ...]
    dots: np.ndarray
    gaps: tuple[np.ndarray, ...]
    gap_labels: tuple[str, ...]
    port_calls: np.ndarray
    encounters: np.ndarray
    kinds: tuple[str, ...]
    verdicts: tuple[str, ...]
