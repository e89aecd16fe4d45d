"""The Dask path gives the single-process results, row for row, and finds what was planted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from routemap.geo.ais import read_ais
from routemap.routes.observed import derive, port_frame
from routemap.routes.observed.scale import OUTPUTS, Partitioning, observe, read_observed
from routemap.routes.observed.synthetic import synthesize
from tests.routes.observed.conftest import together

LANES = (("BEANR", "ESALG"), ("SGSIN", "THLCH"), ("USNYC", "USSAV"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], pd.DataFrame]:
    """Four days of six synthetic ships (and their meeting partners), one Parquet file per day."""
    positions, events = synthesize(vessels=6, days=4, seed=3, interval_s=120.0, lanes=LANES)
    folder = tmp_path_factory.mktemp("ais")
    files = []
    for number, (_, rows) in enumerate(positions.groupby(positions["time"].dt.floor("D"), sort=True)):
        files.append(folder / f"day-{number}.parquet")
        rows.to_parquet(files[-1], index=False)
    return files, events


@pytest.fixture(scope="module")
def ports():
    return port_frame()


@pytest.fixture(scope="module")
def single(archive, ports):
    return derive(read_ais(archive[0]).positions, ports)


def assert_same(one, two) -> None:
    for name in OUTPUTS:
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(one, name)), pd.DataFrame(getattr(two, name)))


def test_dask_results_are_the_single_process_results(archive, ports, single, tmp_path) -> None:
    done = observe(archive[0], tmp_path, ports, get="threads", partitioning=Partitioning(rows_per_partition=20_000))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.parquet" for n in OUTPUTS)
    assert done.rows == {name: len(getattr(single, name)) for name in OUTPUTS}
    assert_same(read_observed(tmp_path), single)


def test_every_planted_event_is_found_and_none_invented(archive, single) -> None:
    events = archive[1]
    assert (events["kind"] == "encounter").sum() >= 1 and (events["kind"] == "gap").sum() >= 1
    gaps = events[events["kind"] == "gap"]
    assert len(single.gaps) == len(gaps)
    for found, planted in zip(single.gaps.itertuples(), gaps.sort_values(["mmsi", "start"]).itertuples(), strict=True):
        assert found.mmsi == planted.mmsi
        assert abs(found.start - planted.start) <= pd.Timedelta(minutes=2)
        assert abs(found.end - planted.end) <= pd.Timedelta(minutes=2)
    meets = events[events["kind"] == "encounter"].sort_values(["mmsi", "start"])
    assert single.encounters[["mmsi_a", "mmsi_b"]].values.tolist() == meets[["mmsi", "mmsi_b"]].values.tolist()
    assert (abs(single.encounters["start"].to_numpy() - meets["start"].to_numpy()) <= pd.Timedelta(minutes=12)).all()
    calls = events[events["kind"] == "port_call"]
    assert len(single.port_calls) == len(calls)


def test_a_meeting_across_a_cell_border_is_found_once(track, tmp_path) -> None:
    """At 60 N on the prime meridian the unit vector's x is 0.5, a border of 0.02 cells; the ships are either side."""
    ports = port_frame([])
    minutes = range(0, 121, 10)
    north = [(m, 60.001, 0.0, 0.1) for m in minutes]
    south = [(m, 59.999, 0.0, 0.1) for m in minutes]
    frame = together(track(10, north), track(20, south))
    frame.to_parquet(tmp_path / "two.parquet", index=False)
    observe([tmp_path / "two.parquet"], tmp_path / "out", ports, partitioning=Partitioning(cell=0.02))
    found = read_observed(tmp_path / "out").encounters
    assert found[["mmsi_a", "mmsi_b"]].values.tolist() == [[10, 20]]
    assert found["min_distance_m"].iloc[0] == pytest.approx(222.4, abs=0.5)
    assert np.isclose(found.geometry.y.iloc[0], 60.0)
