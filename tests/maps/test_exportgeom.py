"""Geometry as exports write it: the bulk path gives what one geometry at a time gives, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from routemap.maps.exportgeom import export_geometries, export_geometry


def _lines(seed: int, count: int) -> list:
    """Random lines and multi-lines of 3 to 40 points, some on exact half-micro-degrees."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        n = int(rng.integers(3, 40))
        xy = np.column_stack([rng.uniform(-170, 170, n), rng.uniform(-80, 80, n)])
        if i % 5 == 0:
            xy[0] = (12.3456785, -0.0000004)  # a half after scaling; -0.0 after rounding
        if i % 7 == 0:
            xy[1] = xy[0] + 1e-8  # a repeat that rounding creates
        line = LineString(xy)
        out.append(MultiLineString([line, LineString(xy[::-1] + 0.5)]) if i % 3 == 0 else line)
    return out


EDGE_CASES = [
    LineString([(179.5, 60.0), (-179.5, 61.0), (-178.0, 62.0)]),  # crosses the antimeridian
    LineString([(178.0, 10.0), (182.0, 11.0)]),  # unwrapped longitude past 180
    MultiLineString([[(0.0, 0.0), (0.0000001, 0.0)], [(1.0, 1.0), (2.0, 2.0)]]),  # one part degenerate
    MultiLineString([[(5.0, 5.0), (6.0, 6.0)]]),  # one part, kept multi
    Point(1.23456789, -0.00000001),
    Polygon([(0, 0), (0, 1), (1, 1), (0, 0)]),
    LineString([(0.0, 0.0), (0.0, 0.0), (1.0, 1.0)]),
]


def _same(a, b) -> bool:
    return a.geom_type == b.geom_type and shapely.to_wkb(a) == shapely.to_wkb(b)


@pytest.mark.parametrize("geoms", [_lines(0, 300), EDGE_CASES, [*EDGE_CASES, *_lines(1, 50)], []],
                         ids=["random", "edges", "mixed", "none"])
def test_bulk_export_equals_one_at_a_time(geoms):
    bulk = export_geometries(geoms)
    assert len(bulk) == len(geoms)
    for got, geom in zip(bulk, geoms, strict=True):
        assert _same(got, export_geometry(geom)), geom.wkt[:80]


def test_bulk_export_signs_no_zero_negative():
    (line,) = export_geometries([LineString([(-0.0000001, 1.0), (2.0, -0.0000002)])])
    assert not np.signbit(shapely.get_coordinates(line)).any()


@pytest.mark.parametrize("bad", [
    LineString([(0.0, 0.0), (0.0000001, 0.0)]),
    MultiLineString([[(0.0, 0.0), (0.0000001, 0.0)]]),
    LineString(),
])
def test_bulk_export_refuses_what_one_at_a_time_refuses(bad):
    with pytest.raises(ValueError) as one:
        export_geometry(bad)
    with pytest.raises(ValueError, match=str(one.value)):
        export_geometries([LineString([(0, 0), (1, 1)]), bad])
