"""Properties of rail and road legs on random small grid networks.

A grid of 3-7 by 3-7 nodes 0.1 degree apart near the equator, with random edge lengths
(1-1.5 times the straight line) and some edges removed; two to four stops anywhere around
it. Whatever the draw, a routed line never turns straight back on itself at its ends (nor,
without vias, anywhere), its length is the network km it runs plus its connectors, and each
end's connector is no longer than the way to the nearest node with an edge (on a
network in one piece).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from routemap.errors import UnroutableLegError
from routemap.geo.network import build_network, undirected_edges
from routemap.routes import overland
from routemap.routes.geodesy import GEOD
from routemap.routes.leg import LegRequest, Stop

SETTINGS = settings(max_examples=60, deadline=None)
PLAIN = overland.LegOptions(draw_step_km=1e4)


@st.composite
def grids(draw):
    """A seeded random grid network (see the module docstring)."""
    nx, ny = draw(st.integers(3, 7)), draw(st.integers(3, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    lon, lat = (a.ravel() * 0.1 for a in np.meshgrid(np.arange(nx), np.arange(ny)))
    ids = np.arange(nx * ny).reshape(ny, nx)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    keep = rng.random(u.size) > draw(st.sampled_from([0.0, 0.15, 0.3]))
    u, v = u[keep], v[keep]
    km = GEOD.inv(lon[u], lat[u], lon[v], lat[v])[2] / 1000.0 * rng.uniform(1.0, 1.5, u.size)
    return build_network(lon, lat, undirected_edges(u, v, km), np.array(["AA"] * lon.size),
                         name="grid", mode="road", source="test", attribution="test")


def _found_grid():
    """The 3 by 3 grid of a draw that once failed: two stops north of edge 7-8, 3.5 km apart,
    join it 0.1 mm apart (a route between them folded back on itself)."""
    lon, lat = (a.ravel() * 0.1 for a in np.meshgrid(np.arange(3), np.arange(3)))
    edges = [(0, 1, 15.90423945), (0, 3, 12.71444897), (1, 2, 11.31888554), (1, 4, 13.39434439),
             (2, 5, 11.21399905), (3, 4, 15.19316973), (3, 6, 11.74455509), (4, 5, 12.10962547),
             (4, 7, 14.76511909), (5, 8, 14.6355542), (6, 7, 15.93628454), (7, 8, 14.14562284)]
    u, v, km = (np.array(c) for c in zip(*edges, strict=True))
    return build_network(lon, lat, undirected_edges(u, v, km), np.array(["AA"] * lon.size),
                         name="grid", mode="road", source="test", attribution="test")


stops = st.tuples(st.floats(-0.05, 0.65), st.floats(-0.05, 0.65))


def _turns_back(coords: np.ndarray) -> np.ndarray:
    d = np.diff(coords, axis=0)
    size = np.linalg.norm(d, axis=1)
    cos = (d[:-1] * d[1:]).sum(axis=1) / np.maximum(size[:-1] * size[1:], 1e-300)
    return cos < -0.999


def _route(network, points):
    request = LegRequest("road", tuple(Stop(f"s{i}", f"s{i}", y, x) for i, (x, y) in enumerate(points)),
                         label="grid leg")
    try:
        return overland.route_leg(request, network, options=PLAIN, countries=_countries())
    except UnroutableLegError:
        assume(False)


def _countries():
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame({"iso2": ["AA"], "name": ["Aa"]}, geometry=[box(-1, -1, 2, 2)],
                            crs="EPSG:4326")


@SETTINGS
@given(grids(), stops, stops)
@example(_found_grid(), (0.150390625, 0.375), (0.150390625, 0.40625))
def test_a_leg_never_turns_back_and_its_length_adds_up(network, start, end):
    assume(GEOD.inv(*start, *end)[2] > 100.0)  # a leg whose ends coincide is refused earlier
    leg = _route(network, [start, end])
    coords = np.asarray(leg.geometry.coords)
    assert not _turns_back(coords).any()
    if leg.distance_km > leg.off_network_km + 1e-9:  # some of the way is on the network
        assert leg.off_network_km == pytest.approx(leg.snap_km[0] + leg.snap_km[-1], abs=2e-3)
        assert len(leg.connectors) == (leg.snap_km[0] > 0) + (leg.snap_km[-1] > 0)
    else:  # both ends join at one point: one straight connector, stop to stop
        assert leg.distance_km == pytest.approx(GEOD.inv(*start, *end)[2] / 1000.0, rel=1e-9)
        assert len(leg.connectors) == 1
    linked = np.diff(network.indptr) > 0  # a node without edges is no way onto the network
    n = network.n_nodes
    pieces = connected_components(csr_matrix((network.weights, network.indices, network.indptr),
                                             shape=(n, n)))[1]
    if len(set(pieces[linked])) > 1:
        return  # the stops may join a farther piece that connects them (overland._snap_stops)
    lon, lat = network.lon[linked], network.lat[linked]
    nearest = [GEOD.inv(np.full(lon.size, x), np.full(lon.size, y), lon, lat)[2].min() / 1000.0
               for x, y in (start, end)]
    # nearest on the sphere, measured on the ellipsoid: they may rank two points 0.7 % apart
    assert leg.snap_km[0] <= nearest[0] * 1.007 + 1e-3
    assert leg.snap_km[-1] <= nearest[1] * 1.007 + 1e-3


@SETTINGS
@given(grids(), st.lists(stops, min_size=3, max_size=4))
def test_with_vias_the_line_turns_back_only_where_it_passes_a_via(network, points):
    """Turning back is allowed only at a via's point: a via beyond the end is visited."""
    assume(GEOD.inv(*points[0], *points[-1])[2] > 100.0)
    leg = _route(network, points)
    coords = np.asarray(leg.geometry.coords)
    for j in np.flatnonzero(_turns_back(coords)) + 1:
        x, y = coords[j]
        # where the line passes the via (its join away), or the via itself (a straight leg)
        at_via = [min(abs(GEOD.inv(x, y, *p)[2] / 1000.0 - km), GEOD.inv(x, y, *p)[2]) < 2e-3
                  for p, km in zip(points[1:-1], leg.snap_km[1:-1], strict=True)]
        assert any(at_via), f"the line turns back at {coords[j]}, not at a via"
