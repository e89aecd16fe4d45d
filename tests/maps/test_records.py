"""Tests for routemap.maps.records: plain and flat values, and geometry as every product writes it."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, Polygon

from routemap.maps.records import export_geometry, plain_value, text_value


@pytest.mark.parametrize(("value", "expected"), [
    (None, None), (float("nan"), None), (float("inf"), None), ([], []), (("a", "b"), ["a", "b"]),
    ("x", "x"), (3, 3), (2.5, 2.5), (True, True),
])
def test_plain_value(value, expected) -> None:
    assert plain_value(value) == expected


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("sources", ["a", "b"], '["a","b"]'), ("sources", None, "[]"), ("via_ids", [], "[]"),
    ("note", "x", "x"), ("note", None, None),
])
def test_text_value(name, value, expected) -> None:
    assert text_value(name, value) == expected


def test_export_geometry_orients_polygons_counterclockwise() -> None:
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    assert export_geometry(clockwise).exterior.is_ccw


def test_export_geometry_rounds_points() -> None:
    point = export_geometry(Point(1.23456789, -0.0000001))
    assert (point.x, point.y) == (1.234568, 0.0)


def test_export_geometry_rejects_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        export_geometry(LineString())
