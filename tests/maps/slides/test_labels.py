"""Label placement: no overlaps, obstacles respected, priorities, leaders, area labels."""

from __future__ import annotations

import numpy as np
import pytest

from routemap.maps.slides.labels import Box, LabelRequest, boxes_overlap, place_labels

BOUNDS = Box(0, 0, 800, 600)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Box(0, 0, 10, 10), Box(5, 5, 15, 15), True),
        (Box(0, 0, 10, 10), Box(10, 0, 20, 10), False),  # touching edges share no area
        (Box(0, 0, 10, 10), Box(20, 20, 30, 30), False),
        (Box(0, 0, 10, 10), Box(2, 2, 3, 3), True),
    ],
)
def test_box_overlaps(a, b, expected):
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


def test_first_choice_is_upper_right_of_the_marker():
    placed, dropped = place_labels([LabelRequest("a", 400, 300, 60, 12, clearance=5)],
                                   obstacles=[], bounds=BOUNDS)
    assert dropped == []
    box = placed[0].box
    assert box.x0 >= 400 + 5 and box.y0 >= 300 + 5
    assert not placed[0].leader


def test_labels_on_one_anchor_do_not_overlap_and_far_ones_get_leaders():
    reqs = [LabelRequest(f"l{i}", 400, 300, 70, 12, clearance=4, priority=-i) for i in range(14)]
    marker = Box(396, 296, 404, 304)
    placed, dropped = place_labels(reqs, obstacles=[marker], bounds=BOUNDS, max_distance=200)
    boxes = [p.box for p in placed]
    assert boxes_overlap([*boxes, marker]) == []
    assert len(placed) + len(dropped) == 14
    assert any(p.leader for p in placed)
    near = [p for p in placed if not p.leader]
    assert 1 <= len(near) <= 8


def test_obstacles_and_bounds_are_respected_or_the_label_is_dropped():
    legend = Box(0, 0, 800, 290)
    placed, dropped = place_labels(
        [LabelRequest("x", 400, 300, 300, 20, clearance=3)], obstacles=[legend],
        bounds=Box(0, 0, 800, 320), max_distance=10)
    assert placed == [] and dropped == ["x"]


def test_higher_priority_gets_the_better_spot():
    a = LabelRequest("a", 400, 300, 60, 12, clearance=4, priority=1)
    b = LabelRequest("b", 400, 300, 60, 12, clearance=4, priority=5)
    placed, _ = place_labels([a, b], obstacles=[], bounds=BOUNDS)
    assert placed[0].key == "b"
    assert placed[0].box.x0 > 400 and placed[0].box.y0 > 300


def test_leader_line_starts_at_the_marker_rim_and_ends_on_the_box():
    reqs = [LabelRequest(f"l{i}", 400, 300, 80, 14, clearance=6, priority=-i) for i in range(10)]
    placed, _ = place_labels(reqs, obstacles=[], bounds=BOUNDS, max_distance=250)
    far = [p for p in placed if p.leader]
    assert far
    (ax, ay), (bx, by) = far[0].leader_line(6)
    assert np.hypot(ax - 400, ay - 300) == pytest.approx(6)
    b = far[0].box
    assert b.x0 - 1e-9 <= bx <= b.x1 + 1e-9 and b.y0 - 1e-9 <= by <= b.y1 + 1e-9


def test_area_labels_stay_centred_without_leaders():
    placed, _ = place_labels([LabelRequest("c", 400, 300, 100, 20, centred=True)],
                             obstacles=[], bounds=BOUNDS)
    box = placed[0].box
    assert ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2) == pytest.approx((400, 300))
    assert not placed[0].leader


def test_labels_avoid_route_points_when_they_can():
    route = np.column_stack([np.linspace(400, 700, 200), np.linspace(300, 450, 200)])
    placed, _ = place_labels([LabelRequest("a", 400, 300, 60, 12, clearance=4)],
                             obstacles=[], bounds=BOUNDS, avoid=route)
    box = placed[0].box
    inside = ((route[:, 0] > box.x0) & (route[:, 0] < box.x1)
              & (route[:, 1] > box.y0) & (route[:, 1] < box.y1))
    assert not inside.any()


def test_random_scenes_never_overlap_and_are_deterministic():
    rng = np.random.default_rng(7)
    reqs = [LabelRequest(f"p{i}", float(x), float(y), float(w), 12.0, clearance=4,
                         priority=float(p))
            for i, (x, y, w, p) in enumerate(zip(rng.uniform(50, 750, 60),
                                                 rng.uniform(50, 550, 60),
                                                 rng.uniform(30, 120, 60),
                                                 rng.integers(0, 5, 60), strict=True))]
    markers = [Box(r.x - 4, r.y - 4, r.x + 4, r.y + 4) for r in reqs]
    first = place_labels(reqs, obstacles=markers, bounds=BOUNDS)
    again = place_labels(reqs, obstacles=markers, bounds=BOUNDS)
    assert first == again
    boxes = [p.box for p in first[0]]
    assert boxes_overlap(boxes) == []
    assert all(not b.overlaps(m) for b in boxes for m in markers)
    assert all(BOUNDS.contains(b) for b in boxes)
