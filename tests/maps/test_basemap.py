"""The basemap's rail context: the segments near a frame, projected."""

from __future__ import annotations

import numpy as np

from routemap.maps.basemap import build_rail_segments
from routemap.maps.projection import fit_frame


def test_rail_segments_project_only_the_nodes_near_the_frame():
    """A 6-node line from Moscow eastwards: the segments touching the frame (around the first
    three nodes) are kept, each end projected as the whole network projected would be."""
    lon = np.array([37.6, 38.5, 39.7, 60.6, 82.9, 104.3])
    lat = np.array([55.8, 55.2, 54.6, 56.8, 55.0, 52.3])
    indptr = np.array([0, 1, 3, 5, 7, 9, 10])
    indices = np.array([1, 0, 2, 1, 3, 2, 4, 3, 5, 4])
    frame = fit_frame(lon[:3], lat[:3], aspect=16 / 9, margin=0.1, min_span_m=50_000.0)
    segs = build_rail_segments(lon, lat, indptr, indices, frame)
    x, y = frame.forward(lon, lat)
    expected = np.array([[[x[0], y[0]], [x[1], y[1]]], [[x[1], y[1]], [x[2], y[2]]],
                         [[x[2], y[2]], [x[3], y[3]]]])
    assert segs.shape == (3, 2, 2)
    np.testing.assert_array_equal(segs, expected)
