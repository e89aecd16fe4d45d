"""Geodesic helpers: lengths, great circles, densifying, unwrapping, antimeridian splitting."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString

from routemap.routes.geodesy import (
    densify,
    densify_linear,
    geodesic_length_km,
    great_circle,
    segment_lengths_km,
    split_antimeridian,
    to_lonlat_geometry,
    unwrap,
)

lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
lats = st.floats(min_value=-80.0, max_value=80.0, allow_nan=False)
points = st.tuples(lons, lats)
polylines = st.lists(points, min_size=2, max_size=6)


@pytest.mark.parametrize(
    ("coords", "expected_km"),
    [
        ([(0.0, 0.0), (1.0, 0.0)], 111.32),  # one degree of the equator
        ([(0.0, 0.0), (0.0, 1.0)], 110.57),  # one degree of meridian at the equator
        ([(179.5, 0.0), (-179.5, 0.0)], 111.32),  # across the antimeridian, the short way
        ([(0.0, 0.0)], 0.0),
        ([], 0.0),
    ],
)
def test_geodesic_length_km(coords, expected_km):
    assert geodesic_length_km(coords) == pytest.approx(expected_km, abs=0.05)


def test_great_circle_steps_and_ends():
    arc = great_circle((0.0, 0.0), (10.0, 0.0), step_km=100.0)
    assert arc[0] == (0.0, 0.0) and arc[-1] == pytest.approx((10.0, 0.0))
    assert max(segment_lengths_km(arc)) <= 100.0 + 1e-6


@pytest.mark.parametrize(
    ("coords", "expected"),
    [
        ([(170.0, 0.0), (-170.0, 0.0)], [(170.0, 0.0), (190.0, 0.0)]),
        ([(-170.0, 0.0), (170.0, 0.0)], [(-170.0, 0.0), (-190.0, 0.0)]),
        ([(10.0, 1.0), (20.0, 2.0)], [(10.0, 1.0), (20.0, 2.0)]),
        ([(179.0, 0.0), (-179.0, 0.0), (179.0, 1.0)], [(179.0, 0.0), (181.0, 0.0), (179.0, 1.0)]),
    ],
)
def test_unwrap(coords, expected):
    assert np.allclose(unwrap(coords), expected)


@pytest.mark.parametrize(
    ("coords", "parts"),
    [
        (
            [(170.0, 0.0), (190.0, 10.0)],
            [[(170.0, 0.0), (180.0, 5.0)], [(-180.0, 5.0), (-170.0, 10.0)]],
        ),
        (
            [(-170.0, 0.0), (-190.0, 0.0)],
            [[(-170.0, 0.0), (-180.0, 0.0)], [(180.0, 0.0), (170.0, 0.0)]],
        ),
        ([(0.0, 0.0), (10.0, 0.0)], [[(0.0, 0.0), (10.0, 0.0)]]),
    ],
)
def test_split_antimeridian(coords, parts):
    got = split_antimeridian(coords)
    assert len(got) == len(parts)
    for part, want in zip(got, parts, strict=False):
        assert np.allclose(part, want)


def test_to_lonlat_geometry_types():
    assert isinstance(to_lonlat_geometry([(0.0, 0.0), (1.0, 1.0)]), LineString)
    assert isinstance(to_lonlat_geometry([(179.0, 0.0), (-179.0, 0.0)]), MultiLineString)


@pytest.mark.parametrize(
    ("coords", "step_km", "expected"),
    [
        ([(0.0, 0.0), (1.0, 0.0)], 50.0, 4),  # 111 km in 3 pieces
        ([(0.0, 0.0), (1.0, 0.0)], 200.0, 2),  # already short enough
        ([(5.0, 5.0)], 10.0, 1),
        ([], 10.0, 0),
    ],
)
def test_densify_linear_counts(coords, step_km, expected):
    assert len(densify_linear(coords, step_km=step_km)) == expected


def test_densify_linear_stays_on_straight_lonlat_segments():
    dense = densify_linear([(0.0, 60.0), (40.0, 60.0)], step_km=50.0)
    assert all(lat == pytest.approx(60.0) for _, lat in dense)


@pytest.mark.parametrize("step_km", [0.0, -5.0])
def test_densify_linear_rejects_bad_step(step_km):
    with pytest.raises(ValueError, match="step_km"):
        densify_linear([(0.0, 0.0), (1.0, 1.0)], step_km=step_km)


@settings(max_examples=60, deadline=None)
@given(polylines, st.floats(min_value=5.0, max_value=500.0))
def test_densify_linear_keeps_vertices_and_bounds_steps(coords, step_km):
    line = unwrap(coords)
    dense = densify_linear(line, step_km=step_km)
    assert dense[0] == pytest.approx(line[0]) and dense[-1] == pytest.approx(line[-1])
    assert (segment_lengths_km(dense) <= step_km * (1 + 1e-9) + 1e-9).all()
    for vertex in line:
        assert any(math.dist(vertex, p) < 1e-9 for p in dense)


@settings(max_examples=60, deadline=None)
@given(polylines, st.floats(min_value=5.0, max_value=500.0))
def test_densify_keeps_geodesic_length(coords, step_km):
    dense = densify(coords, step_km=step_km)
    expected = geodesic_length_km(coords)
    assert geodesic_length_km(dense) == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert (segment_lengths_km(dense) <= step_km + 1e-6).all()


@settings(max_examples=80, deadline=None)
@given(polylines)
def test_unwrap_never_jumps_and_keeps_points(coords):
    line = unwrap(coords)
    assert all(abs(b[0] - a[0]) <= 180.0 for a, b in itertools.pairwise(line))
    for (lon, lat), (ulon, ulat) in zip(coords, line, strict=False):
        assert ulat == lat
        assert (ulon - lon) / 360.0 == pytest.approx(round((ulon - lon) / 360.0), abs=1e-9)


def _planar_length(coords) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(coords))


@settings(max_examples=80, deadline=None)
@given(polylines)
def test_split_antimeridian_parts_stay_in_range_and_keep_the_line(coords):
    line = unwrap(densify(coords, step_km=25.0))
    parts = split_antimeridian(line)
    assert all(-180.0 <= lon <= 180.0 for part in parts for lon, _ in part)
    # RFC 7946 reads a segment as a straight line in lon/lat, so the crossing is interpolated
    # on that line: the parts, unwrapped again, are the same polyline, hence the same length.
    total = sum(_planar_length(unwrap(part)) for part in parts)
    assert total == pytest.approx(_planar_length(line), rel=1e-9, abs=1e-9)
