"""The locator globe: made once per centre, radius and inset width; each map's outline its own."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from routemap.maps.projection import MapFrame
from routemap.maps.slides import globe


def _drawn(frame: MapFrame) -> list[tuple[str, np.ndarray]]:
    """Draw a globe for ``frame`` on a small inset; return each artist's kind and vertices."""
    fig = Figure(figsize=(2, 2), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    globe.draw_inset(ax, frame, scale=1.0, radius_km=4000.0)
    out = []
    for artist in ax.artists + ax.patches:
        path = artist.get_path().transformed(artist.get_patch_transform())
        out.append((type(artist).__name__, path.vertices))
    return out


def test_the_globe_is_made_once_and_each_frame_keeps_its_outline() -> None:
    crs = "+proj=merc +lon_0=40 +datum=WGS84 +units=m"
    small = MapFrame(crs, 4_000_000.0, 5_000_000.0, 5_000_000.0, 6_000_000.0)
    large = MapFrame(crs, 3_000_000.0, 4_000_000.0, 6_000_000.0, 7_000_000.0)  # same centre
    globe._globe.cache_clear()
    first = _drawn(small)
    assert globe._globe.cache_info().misses == 1
    again = _drawn(small)
    other = _drawn(large)
    assert globe._globe.cache_info().hits == 2
    assert [kind for kind, _ in first] == [kind for kind, _ in again]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(first, again, strict=True))
    assert any(len(v) > 100 for kind, v in first if kind == "PathPatch")  # land and graticule
    outline = [v for kind, v in first if kind == "Polygon"]
    wider = [v for kind, v in other if kind == "Polygon"]
    assert outline and wider and np.ptp(wider[0][:, 0]) > np.ptp(outline[0][:, 0])
