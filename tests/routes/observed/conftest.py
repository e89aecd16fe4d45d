"""Fixtures for observed tracks: two ports, a track builder, a small synthetic archive shared by module."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import geopandas as gpd
import pandas as pd
import pytest

from routemap.geo.ais import canonical_frame

START = pd.Timestamp("2024-03-01T00:00:00Z")


@pytest.fixture
def ports() -> gpd.GeoDataFrame:
    """Two ports 2 degrees of longitude apart on the 10th parallel: Alpha (10 N, 10 E) and Beta (10 N, 12 E)."""
    return gpd.GeoDataFrame({"port_id": pd.array(["alpha", "beta"], dtype="string"),
                             "port_name": pd.array(["Alpha", "Beta"], dtype="string")},
                            geometry=gpd.points_from_xy([10.0, 12.0], [10.0, 10.0]), crs=4326)


Track = Callable[..., pd.DataFrame]


@pytest.fixture
def track() -> Track:
    """Build a vessel's positions from (minutes after START, lat, lon[, sog]) tuples."""
    def build(mmsi: int, fixes: Sequence[tuple], *, name: str | None = None, imo: int | None = None) -> pd.DataFrame:
        rows = [{"mmsi": mmsi, "time": START + pd.Timedelta(minutes=f[0]), "lat": f[1], "lon": f[2],
                 "sog_kn": f[3] if len(f) > 3 else float("nan"), "name": name, "imo": imo, "source": "test"}
                for f in fixes]
        return canonical_frame(pd.DataFrame(rows))
    return build


def together(*frames: pd.DataFrame) -> pd.DataFrame:
    """Concatenate tracks sorted by vessel and time, as cleaning leaves them."""
    return pd.concat(frames, ignore_index=True).sort_values(["mmsi", "time"], kind="stable").reset_index(drop=True)
