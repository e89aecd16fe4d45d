"""A growing leg: the share of its length drawn so far, in its order of travel."""

from __future__ import annotations

import numpy as np

from routemap.maps.slides.spec import RouteLine

__all__ = ["grown_parts"]


def grown_parts(route: RouteLine, drawn: list[np.ndarray],
                share: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return the first ``share`` of a leg's length, in its order of travel, as (track parts,
    connectors): a connector off the network where the leg starts comes first.

    Parameters
    ----------
    route : RouteLine
        The leg.
    drawn : list of ndarray
        Its projected parts, as :func:`routemap.maps.slides.layers.project_parts` gives them.
    share : float
        From 0 (nothing) to 1 (all of it).

    Returns
    -------
    tuple of (list of ndarray, list of ndarray)
    """
    cut = len(drawn) - len(route.connectors)
    track, joins = list(drawn[:cut]), list(drawn[cut:])
    if not track:
        pieces = [(j, True) for j in joins]
    else:
        head, tail = track[0][0], track[-1][-1]
        before, after = [], []
        for j in joins:
            near_head = min(np.hypot(*(j[0] - head)), np.hypot(*(j[-1] - head)))
            near_tail = min(np.hypot(*(j[0] - tail)), np.hypot(*(j[-1] - tail)))
            if near_head <= near_tail:
                ends_at_head = np.hypot(*(j[-1] - head)) <= np.hypot(*(j[0] - head))
                before.append(j if ends_at_head else j[::-1])
            else:
                starts_at_tail = np.hypot(*(j[0] - tail)) <= np.hypot(*(j[-1] - tail))
                after.append(j if starts_at_tail else j[::-1])
        pieces = [(j, True) for j in before] + [(p, False) for p in track] + [
            (j, True) for j in after]
    lengths = [float(np.hypot(*np.diff(p, axis=0).T).sum()) if len(p) > 1 else 0.0
               for p, _ in pieces]
    left = max(0.0, min(1.0, share)) * sum(lengths)
    kept_track, kept_joins = [], []
    for (piece, is_join), length in zip(pieces, lengths, strict=True):
        if left <= 0.0:
            break
        part = piece if length <= left else _head(piece, left)
        left -= length
        (kept_joins if is_join else kept_track).append(part)
    return kept_track, kept_joins


def _head(xy: np.ndarray, length: float) -> np.ndarray:
    """Return the first ``length`` of a polyline."""
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    i = int(np.searchsorted(cum, length, side="right"))
    i = max(1, min(i, len(xy) - 1))
    seg = cum[i] - cum[i - 1]
    t = (length - cum[i - 1]) / seg if seg else 0.0
    end = xy[i - 1] + t * (xy[i] - xy[i - 1])
    return np.vstack([xy[:i], end])
