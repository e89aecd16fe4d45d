"""Water grids: the cell graph is the one scipy builds from the same links, array for array."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import coo_matrix

from routemap.routes.watergrid import KM_PER_DEGREE, WaterGrid, _grid_graph, nearest_cell


def _links_by_coo(grid: WaterGrid):
    """The cell graph as scipy makes it from a list of links (east, north, both diagonals)."""
    water = grid.water
    rows, cols = water.shape
    ids = np.arange(rows * cols).reshape(rows, cols)
    lat = grid.south + (np.arange(rows) + 0.5) / grid.cells_per_degree
    dy = KM_PER_DEGREE / grid.cells_per_degree
    dx = dy * np.cos(np.radians(lat))[:, None] * np.ones((1, cols))
    src, dst, km = [], [], []
    for d_row, d_col in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = (slice(0, rows - d_row), slice(max(0, -d_col), cols - max(0, d_col)))
        b = (slice(d_row, rows), slice(max(0, d_col), cols - max(0, -d_col)))
        ok = water[a] & water[b]
        if d_row and d_col:
            ok &= water[a[0], b[1]] | water[b[0], a[1]]
        src.append(ids[a][ok])
        dst.append(ids[b][ok])
        km.append(np.hypot(dx[a] * abs(d_col), dy * d_row)[ok])
    return coo_matrix((np.concatenate(km), (np.concatenate(src), np.concatenate(dst))),
                      shape=(rows * cols,) * 2).tocsr()


@pytest.mark.parametrize("seed", range(6))
def test_grid_graph_is_the_coo_graph_of_its_links(seed):
    """Random grids, one to 40 cells a side (one row, one column included), every resolution."""
    rng = np.random.default_rng(seed)
    for _ in range(25):
        rows, cols = (int(v) for v in rng.integers(1, 41, 2))
        grid = WaterGrid(west=float(rng.uniform(-200, 200)), south=float(rng.uniform(-85, 75)),
                         cells_per_degree=int(rng.choice([15, 30, 60, 120, 240])),
                         water=rng.random((rows, cols)) < rng.uniform(0.1, 1.0))
        got, expected = _grid_graph(grid), _links_by_coo(grid)
        assert got.shape == expected.shape
        for name in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, name), getattr(expected, name)), (rows, cols, name)
            assert getattr(got, name).dtype == getattr(expected, name).dtype


def _nearest_by_every_cell(grid: WaterGrid, lon: float, lat: float, allowed: np.ndarray):
    """The nearest allowed cell found by measuring every allowed cell of the grid."""
    rows, cols = np.nonzero(allowed)
    if not len(rows):
        return None
    xs, ys = grid.centres(rows, cols)
    km = np.hypot((xs - lon) * np.cos(np.radians(lat)), ys - lat) * KM_PER_DEGREE
    best = int(np.argmin(km))
    return (int(rows[best]), int(cols[best])), float(km[best])


@pytest.mark.parametrize("density", [0.0005, 0.02, 0.5])
def test_nearest_cell_is_the_nearest_of_every_cell(density):
    """Searched in windows around the point, the same cell and km as measuring every cell:
    sparse cells far outside the first windows, points outside the grid, ties in row order."""
    rng = np.random.default_rng(7)
    for cells in (30, 240, 700):
        allowed = rng.random((cells, cells + 37)) < density
        grid = WaterGrid(west=100.0, south=-20.0 + cells / 100, cells_per_degree=60, water=allowed)
        for _ in range(25):
            lon = 100.0 + rng.uniform(-1.0, (cells + 37) / 60 + 1.0)
            lat = grid.south + rng.uniform(-1.0, cells / 60 + 1.0)
            if rng.random() < 0.3:  # on a cell centre's row and column lines: equal distances
                lon, lat = grid.centres(np.array([rng.integers(cells)]), np.array([rng.integers(cells)]))
                lon, lat = float(lon[0]) + 1 / 120, float(lat[0])
            assert nearest_cell(grid, lon, lat, allowed) == _nearest_by_every_cell(grid, lon, lat, allowed)
    assert nearest_cell(grid, 101.0, 0.0, np.zeros_like(allowed)) is None


def test_a_grid_asked_again_is_searched_on_the_graph_made_for_it(monkeypatch):
    """Questions on one grid share its components and graph; a grid with the same bounds but
    other water gets its own; the grids kept are bounded by their cells, oldest dropped."""
    from routemap.routes import watergrid

    made = []
    build = watergrid._grid_graph
    monkeypatch.setattr(watergrid, "_grid_graph", lambda grid: made.append(grid) or build(grid))
    monkeypatch.setattr(watergrid, "_MADE", {})
    water = np.ones((30, 40), dtype=bool)
    water[5:25, 20] = False  # a wall with a gap at each end
    grid = WaterGrid(west=10.0, south=50.0, cells_per_degree=60, water=water)
    fresh = watergrid.water_path(grid, (10.1, 50.25), (10.6, 50.25))
    again = watergrid.water_path(grid, (10.1, 50.25), (10.6, 50.25))
    other_end = watergrid.water_path(grid, (10.1, 50.2), (10.6, 50.3))
    assert fresh == again and fresh[1:-1] != other_end[1:-1] and len(made) == 1
    walled = water.copy()
    walled[:5, 20] = False
    closed = WaterGrid(west=10.0, south=50.0, cells_per_degree=60, water=walled)
    assert watergrid.water_path(closed, (10.1, 50.25), (10.6, 50.25)) != fresh
    assert len(made) == 2
    monkeypatch.setattr(watergrid, "_MADE_CELLS", 2 * water.size)
    third = WaterGrid(west=20.0, south=50.0, cells_per_degree=60, water=water)
    watergrid.water_path(third, (20.1, 50.25), (20.6, 50.25))
    assert len(watergrid._MADE) == 2 and len(made) == 3
    watergrid.water_path(grid, (10.1, 50.25), (10.6, 50.25))  # the oldest was dropped
    assert len(made) == 4
