"""Detail insets: finding crowded clusters, room for a panel, and connector lines."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.maps.slides.insets import (
    bounding_box,
    clusters,
    connector_corners,
    crowded_cluster,
    free_spot,
    grown_to_aspect,
)
from routemap.maps.slides.labels import Box

# Two tight groups (a five-point one at (100, 100), a three-point one at (400, 100)) and
# a loner at (700, 500).
POINTS = np.array([[100, 100], [104, 102], [98, 107], [110, 96], [103, 99],
                   [400, 100], [405, 104], [398, 110], [700, 500]], dtype=float)


def test_clusters_link_near_points_largest_first():
    assert clusters(POINTS, link=15.0) == [(0, 1, 2, 3, 4), (5, 6, 7), (8,)]


def test_clusters_of_nothing():
    assert clusters(np.zeros((0, 2)), link=10.0) == []


@pytest.mark.parametrize(("trouble", "expected"), [
    ([0, 0, 0, 0, 0, 1, 1, 0, 0], (5, 6, 7)),   # the troubled group wins, not the biggest
    ([1, 1, 0, 0, 0, 1, 0, 0, 0], (0, 1, 2, 3, 4)),
    ([0, 0, 0, 0, 0, 0, 0, 0, 1], None),         # one troubled loner is not a cluster
])
def test_crowded_cluster_follows_the_trouble(trouble, expected):
    got = crowded_cluster(POINTS, np.array(trouble, dtype=bool), link=15.0, max_side=100.0,
                          grow=False)
    assert got == expected


def test_crowded_cluster_grows_into_neighbours_that_fit():
    pts = np.vstack([POINTS[:5], [[130, 100], [134, 103]]])
    trouble = np.array([1, 1, 0, 0, 0, 0, 0], dtype=bool)
    assert crowded_cluster(pts, trouble, link=15.0, max_side=100.0) == tuple(range(7))
    assert crowded_cluster(pts, trouble, link=15.0, max_side=25.0) == (0, 1, 2, 3, 4)
    assert crowded_cluster(pts, trouble, link=15.0, max_side=100.0,
                           exclude=frozenset({0})) is None


def test_grown_to_aspect_keeps_the_centre_and_takes_the_shape():
    box = grown_to_aspect(Box(0, 0, 10, 40), 1.5, margin=0.1)
    assert box.width / box.height == pytest.approx(1.5)
    assert ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2) == pytest.approx((5, 20))
    assert box.height == pytest.approx(48)


def test_free_spot_avoids_points_and_blocked_boxes_and_stays_near():
    bounds = Box(0, 0, 400, 300)
    points = np.column_stack([np.linspace(0, 400, 200), np.full(200, 150.0)])  # a route
    blocked = [Box(0, 0, 120, 100)]
    spot = free_spot((100, 80), bounds=bounds, points=points, blocked=blocked,
                     near=(60, 60), step=5.0)
    assert spot is not None and bounds.contains(spot)
    assert not spot.overlaps(blocked[0])
    inside = ((points[:, 0] > spot.x0) & (points[:, 0] < spot.x1)
              & (points[:, 1] > spot.y0) & (points[:, 1] < spot.y1))
    assert not inside.any()
    assert spot.x0 == pytest.approx(120) and spot.y1 <= 150  # right beside the blocked box


def test_free_spot_gives_up_when_nothing_fits():
    assert free_spot((500, 80), bounds=Box(0, 0, 400, 300), points=np.zeros((0, 2)),
                     blocked=[], near=(0, 0), step=5.0) is None


def test_connectors_join_matching_corners_without_crossing_either_shape():
    frame = bounding_box(np.array([[300, 300], [340, 330]]))
    outline = [(frame.x0, frame.y0), (frame.x1, frame.y0), (frame.x0, frame.y1),
               (frame.x1, frame.y1)]
    panel = Box(20, 20, 220, 170)  # down and to the left
    lines = connector_corners(outline, panel)
    assert len(lines) == 2
    assert {(a, b) for a, b in lines} == {((340.0, 300.0), (220, 20)),
                                          ((300.0, 330.0), (20, 170))}
