"""Trajectories split as movingpandas' ObservationGapSplitter splits them, on the synthetic ships."""

from __future__ import annotations

import datetime as dt
import warnings

import geopandas as gpd
import pandas as pd
import pytest

from routemap.routes.observed import derive
from tests.routes.observed.conftest import START


def test_trajectories_match_movingpandas_observation_gap_splitter(track, ports) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # movingpandas warns about optional packages on import
        import movingpandas as mpd
    fixes = [(m, 10.0, 11.0 + 0.002 * m) for m in range(0, 120, 10)]
    fixes += [(m, 10.0, 11.5 + 0.002 * m) for m in range(60 * 8, 60 * 9, 15)]
    fixes += [(m, 10.0, 12.5 + 0.002 * m) for m in range(60 * 20, 60 * 21, 5)]
    frame = pd.concat([track(1, fixes), track(2, fixes[:5])], ignore_index=True)
    ours = derive(frame, ports).trajectories
    points = gpd.GeoDataFrame(frame.assign(time=frame["time"].dt.tz_localize(None)),
                              geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pieces = mpd.ObservationGapSplitter(mpd.TrajectoryCollection(points, traj_id_col="mmsi", t="time")) \
            .split(gap=dt.timedelta(hours=6))
        theirs = sorted((int(str(t.id).split("_")[0]), pd.Timestamp(t.get_start_time()), len(t.df),
                         t.get_length() / 1000.0) for t in pieces.trajectories)
    assert [(m, s.tz_localize("UTC")) for m, s, _, _ in theirs] == list(zip(ours["mmsi"], ours["start"], strict=True))
    assert [n for _, _, n, _ in theirs] == ours["n_positions"].tolist()
    assert [km for _, _, _, km in theirs] == pytest.approx(ours["length_km"].tolist(), rel=5e-3)
    assert ours["start"].iloc[0] == START
