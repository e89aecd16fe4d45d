"""Properties of the geodesic helpers not covered in test_geodesy.py.

Great circles and densified lines keep their ends and never leave a step longer than asked;
antimeridian splitting keeps every point, keeps each part in range and continuous, and joins
consecutive parts at the same latitude on opposite sides of the 180th meridian.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.routes.geodesy import (
    GEOD,
    densify,
    geodesic_length_km,
    great_circle,
    segment_lengths_km,
    split_antimeridian,
    to_lonlat_geometry,
    unwrap,
)

lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
lats = st.floats(min_value=-85.0, max_value=85.0, allow_nan=False)
points = st.tuples(lons, lats)
polylines = st.lists(points, min_size=2, max_size=6)
steps = st.floats(min_value=5.0, max_value=800.0)
SETTINGS = settings(max_examples=80, deadline=None)


def _not_antipodal(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the geodesic between two points is unique (they are not nearly antipodal)."""
    _, _, metres = GEOD.inv(a[0], a[1], b[0], b[1])
    return metres < 19_900_000


def _same_lon(a: float, b: float) -> bool:
    """Whether two longitudes are the same meridian (equal modulo 360)."""
    turns = (a - b) / 360.0
    return turns == pytest.approx(round(turns), abs=1e-9)


@SETTINGS
@given(points, points, steps)
def test_great_circle_keeps_its_ends_and_its_length(start, end, step_km):
    arc = great_circle(start, end, step_km=step_km)
    assert arc[0] == start
    assert _same_lon(arc[-1][0], end[0]) and arc[-1][1] == pytest.approx(end[1], abs=1e-9)
    assert (segment_lengths_km(arc) <= step_km + 1e-6).all()
    assert all(abs(b[0] - a[0]) <= 180.0 for a, b in itertools.pairwise(arc))
    if _not_antipodal(start, end):
        _, _, metres = GEOD.inv(start[0], start[1], end[0], end[1])
        assert geodesic_length_km(arc) == pytest.approx(metres / 1000.0, rel=1e-6, abs=1e-6)


@SETTINGS
@given(polylines, steps)
def test_densify_keeps_every_vertex_in_order_and_bounds_each_step(coords, step_km):
    dense = densify(coords, step_km=step_km)
    assert (segment_lengths_km(dense) <= step_km + 1e-6).all()
    assert all(abs(b[0] - a[0]) <= 180.0 for a, b in itertools.pairwise(dense))
    # Each input vertex appears, in order, on its own meridian and latitude; the last one last.
    at = -1
    for lon, lat in coords:
        at += 1
        while not (_same_lon(dense[at][0], lon) and dense[at][1] == pytest.approx(lat, abs=1e-9)):
            at += 1
            assert at < len(dense), f"vertex {(lon, lat)} lost"
    assert at == len(dense) - 1


@SETTINGS
@given(polylines)
def test_split_parts_are_in_range_continuous_and_keep_every_point(coords):
    line = unwrap(densify(coords, step_km=50.0))
    parts = split_antimeridian(line)
    assert parts and all(len(part) >= 2 for part in parts)
    for part in parts:
        assert all(-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0 for lon, lat in part)
        # continuous: no part jumps across the map
        assert all(abs(b[0] - a[0]) <= 180.0 for a, b in itertools.pairwise(part))
    for left, right in itertools.pairwise(parts):
        (lon_a, lat_a), (lon_b, lat_b) = left[-1], right[0]
        assert abs(lon_a) == 180.0 and lon_b == -lon_a
        assert lat_a == pytest.approx(lat_b)
    # every point of the line survives, folded into [-180, 180], in order
    folded = [(lon - 360.0 * math.floor((lon + 180.0) / 360.0), lat) for lon, lat in line]
    kept = [p for part in parts for p in part]
    at = -1
    for lon, lat in folded:
        at += 1
        while not (_same_lon(kept[at][0], lon) and kept[at][1] == lat):
            at += 1
            assert at < len(kept), f"point {(lon, lat)} lost"


@SETTINGS
@given(polylines)
def test_split_part_count_follows_the_crossings(coords):
    """One part more than the times the line moves to another 360-degree copy of the map."""
    line = unwrap(densify(coords, step_km=50.0))
    sheets = [0 if -180.0 <= lon <= 180.0 else math.floor((lon + 180.0) / 360.0) for lon, _ in line]
    crossings = sum(a != b for a, b in itertools.pairwise(sheets))
    assert len(split_antimeridian(line)) == crossings + 1


@SETTINGS
@given(polylines)
def test_lonlat_geometry_is_valid_and_in_range(coords):
    geometry = to_lonlat_geometry(unwrap(densify(coords, step_km=100.0)))
    minx, miny, maxx, maxy = geometry.bounds
    assert -180.0 <= minx <= maxx <= 180.0 and -90.0 <= miny <= maxy <= 90.0
    assert np.isfinite(np.asarray(geometry.bounds)).all()


@SETTINGS
@given(st.lists(st.tuples(st.floats(-540.0, 540.0, allow_nan=False), lats), min_size=0, max_size=12))
def test_unwrap_and_split_agree_with_the_point_by_point_walk(coords):
    """The vectorised path (a line without jumps, a line inside [-180, 180]) gives what walking
    the line point by point gives, bit for bit (signed zeros included), and the same geometry."""
    from routemap.routes.geodesy import _split_walk, _unwrap_walk

    plain = [[float(x), float(y)] for x, y in coords]
    walked = _unwrap_walk(plain)
    assert np.array_equal(np.array(unwrap(coords)).reshape(-1, 2), np.array(walked).reshape(-1, 2))
    assert [math.copysign(1.0, x) for x, _ in unwrap(coords)] == [math.copysign(1.0, x) for x, _ in walked]
    parts = _split_walk([list(p) for p in _unwrap_walk([list(p) for p in walked])])  # it unwraps first
    assert split_antimeridian(walked) == parts
    if parts:
        geometry = to_lonlat_geometry(walked)
        expected = [np.array(p) for p in parts]
        got = [np.asarray(g.coords) for g in getattr(geometry, "geoms", [geometry])]
        assert len(got) == len(expected) and all(np.array_equal(a, b) for a, b in zip(got, expected, strict=True))
