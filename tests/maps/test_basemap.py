"""The basemap: country outlines split into coast and borders, and the rail context (the
segments near a frame, projected, snapped and chained)."""

from __future__ import annotations

import dataclasses

import numpy as np
import shapely

from routemap.maps.basemap import (
    _segment_classes,
    _simplified_areas,
    _snap_segments,
    build_rail_segments,
    rail_polylines,
    split_outlines,
)
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


def _reference_classes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Classify segments as numpy.unique over whole rows does (the code before it sorted
    column by column): 0 coast, 1 border's first copy, 2 its repeat."""
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    key = np.column_stack([np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)])
    _, first, inverse, counts = np.unique(key, axis=0, return_index=True,
                                          return_inverse=True, return_counts=True)
    classes = np.where(counts[inverse] > 1, 1, 0)
    classes[(classes == 1) & (first[inverse] != np.arange(len(a)))] = 2
    return classes


def test_segments_are_grouped_as_whole_row_unique_groups_them():
    """Segments on a coarse grid (many shared, some reversed, -0.0 beside 0.0): the classes,
    and the snapped segments kept in their order, are numpy.unique's."""
    rng = np.random.default_rng(7)
    a = rng.integers(-3, 4, (400, 2)).astype(float)
    b = rng.integers(-3, 4, (400, 2)).astype(float)
    a[::37] = -0.0
    np.testing.assert_array_equal(_segment_classes(a, b), _reference_classes(a, b))
    segs = np.stack([a, b], axis=1) * 1000.0 + rng.uniform(-200.0, 200.0, (400, 2, 2))
    snapped = np.round(segs / 1000.0) * 1000.0
    snapped = snapped[np.any(snapped[:, 0] != snapped[:, 1], axis=1)]
    swap = (snapped[:, 0, 0] > snapped[:, 1, 0]) | (
        (snapped[:, 0, 0] == snapped[:, 1, 0]) & (snapped[:, 0, 1] > snapped[:, 1, 1]))
    snapped[swap] = snapped[swap][:, ::-1]
    expected = np.unique(snapped.reshape(-1, 4), axis=0).reshape(-1, 2, 2)
    got = _snap_segments(segs, 1000.0)
    assert len(got) < len(segs)
    np.testing.assert_array_equal(got, expected)


def test_outlines_split_into_coast_and_one_copy_of_each_border():
    """Two squares sharing an edge, and an island: the shared edge is one border line, the
    rest coast, each line's vertices in ring order."""
    left = shapely.box(0, 0, 1, 1)
    right = shapely.box(1, 0, 2, 1)
    island = shapely.box(5, 5, 6, 6)
    coast, borders = split_outlines(np.array([left, right, island], dtype=object))
    assert [sorted(map(tuple, np.asarray(g.coords))) for g in borders] == [[(1.0, 0.0), (1.0, 1.0)]]
    assert shapely.line_merge(shapely.union_all(coast)).length == 3 + 3 + 4
    for line in coast:  # each run of coast continues its ring, vertex after vertex
        steps = np.abs(np.diff(np.asarray(line.coords), axis=0)).sum(axis=1)
        assert np.all(steps == 1.0)


def test_rail_polylines_are_each_merged_line_simplified():
    """A chain of short segments and a separate spur: one vertex array per merged line, the
    vertices of the simplified line as shapely gives them."""
    chain = np.array([[[0.0, 0.0], [1.0, 0.01]], [[1.0, 0.01], [2.0, 0.0]],
                      [[2.0, 0.0], [3.0, 0.0]], [[10.0, 10.0], [10.0, 12.0]]]) * 1000.0
    frame = fit_frame(np.array([37.0, 38.0]), np.array([55.0, 56.0]), aspect=16 / 9,
                      margin=0.1, min_span_m=50_000.0)
    frame = dataclasses.replace(frame, xmin=-1e6, xmax=1e6, ymin=-1e6, ymax=1e6)
    lines = rail_polylines(chain, frame, tolerance_m=50.0)
    merged = shapely.get_parts(shapely.line_merge(shapely.multilinestrings(
        shapely.linestrings(chain))))
    expected = [np.asarray(g.coords) for g in shapely.simplify(merged, 50.0, preserve_topology=False)]
    assert len(lines) == len(expected) == 2
    for got, want in zip(lines, expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_country_fills_are_simplified_valid_within_the_tolerance():
    """A coast of small wiggles and an island smaller than the tolerance: the fill comes out
    valid, as near the shape as the topology-preserving simplifier's, with far fewer
    vertices; the island goes (it would be under half a pixel)."""
    t = np.linspace(0.0, 2.0 * np.pi, 2001)[:-1]
    r = 100_000.0 + 300.0 * np.sin(40.0 * t)
    coast = shapely.Polygon(np.column_stack([r * np.cos(t), r * np.sin(t)]))
    islet = shapely.Polygon([(200_000, 0), (200_400, 0), (200_400, 400), (200_000, 400)])
    shape = shapely.MultiPolygon([coast, islet])
    (out,) = _simplified_areas(np.array([shape], dtype=object), 1_000.0)
    assert out.is_valid and out.geom_type == "Polygon"
    # as near as the topology-preserving simplifier comes (GEOS keeps a ring's first vertex,
    # and both stray 1.2x the tolerance on this ring)
    kept = shapely.simplify(coast, 1_000.0)
    assert shapely.hausdorff_distance(out, coast) <= shapely.hausdorff_distance(kept, coast) + 1.0
    assert shapely.get_num_coordinates(out) < 100


def test_a_fill_that_comes_out_invalid_is_simplified_again_keeping_its_topology(monkeypatch):
    """Where Douglas-Peucker leaves a shape invalid (GEOS repairs it; another GEOS might not),
    that shape alone is simplified with topology checks."""
    import routemap.maps.basemap as basemap

    square = shapely.box(0, 0, 10_000, 10_000)
    pair = np.array([square, shapely.box(20_000, 0, 30_000, 10_000)], dtype=object)
    monkeypatch.setattr(basemap.shapely, "is_valid", lambda g: np.array([False, True]))
    calls = []
    simplify = shapely.simplify
    monkeypatch.setattr(basemap.shapely, "simplify",
                        lambda g, tol, preserve_topology=True: calls.append(preserve_topology)
                        or simplify(g, tol, preserve_topology=preserve_topology))
    out = _simplified_areas(pair, 100.0)
    assert calls == [False, True]
    assert out[0].equals(square) and out[1].equals(pair[1])
