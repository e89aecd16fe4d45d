"""Properties of ``routemap.routes.graph.snap`` against a brute-force nearest node.

On random small networks (a chain through random points, up to 400 nodes so that the
k-nearest search runs out and the exhaustive fallback is used too), the snapped node is never
farther than the true nearest node, its distance is the great-circle distance to that node,
and with an ``eligible`` mask it is the nearest eligible node.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.errors import UnroutableLegError
from routemap.geo.network import EARTH_RADIUS_KM, build_network, undirected_edges
from routemap.routes.graph import snap

SETTINGS = settings(max_examples=60, deadline=None)
lons = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
lats = st.floats(min_value=-89.0, max_value=89.0, allow_nan=False)


def _haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


@st.composite
def networks(draw):
    """A chain network through 1-400 random points (a seed draws them, to stay fast)."""
    n = draw(st.integers(1, 400))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    spread = draw(st.sampled_from([0.01, 1.0, 30.0, 180.0]))
    lon0, lat0 = draw(lons), draw(lats)
    lon = (lon0 + rng.uniform(-spread, spread, n) + 180.0) % 360.0 - 180.0
    lat = np.clip(lat0 + rng.uniform(-spread / 2, spread / 2, n), -89.0, 89.0)
    u = np.arange(n - 1, dtype=np.int64)
    edges = undirected_edges(u, u + 1, _haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:]))
    return build_network(lon, lat, edges, np.array(["AA"] * n), name="random", mode="rail",
                         source="test", attribution="test")


@SETTINGS
@given(networks(), lons, lats)
def test_snap_finds_the_nearest_node(network, lon, lat):
    found = snap(network, lon, lat)
    distances = _haversine_km(lon, lat, network.lon, network.lat)
    assert found.km <= distances.min() + 1e-6
    assert found.km == pytest.approx(distances[found.node], abs=1e-6)


@SETTINGS
@given(networks(), lons, lats, st.integers(0, 2**32 - 1), st.floats(0.0, 1.0))
def test_snap_with_a_mask_finds_the_nearest_eligible_node(network, lon, lat, seed, share):
    eligible = np.random.default_rng(seed).random(network.n_nodes) < share
    distances = _haversine_km(lon, lat, network.lon, network.lat)
    if not eligible.any():
        with pytest.raises(UnroutableLegError, match="no network node may be used"):
            snap(network, lon, lat, eligible=eligible)
        return
    found = snap(network, lon, lat, eligible=eligible)
    assert eligible[found.node]
    assert found.km <= distances[eligible].min() + 1e-6
    assert found.km >= distances.min() - 1e-6
    assert found.km == pytest.approx(distances[found.node], abs=1e-6)


@SETTINGS
@given(networks(), st.data())
def test_a_node_snaps_to_itself_or_a_node_on_the_same_spot(network, data):
    node = data.draw(st.integers(0, network.n_nodes - 1))
    found = snap(network, float(network.lon[node]), float(network.lat[node]))
    assert found.km == pytest.approx(0.0, abs=1e-6)
