"""``routemap observe``: four GeoParquet files, one line per bad input and exit status 2."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from routemap.cli import main

DATA = Path(__file__).parents[2] / "geo" / "ais" / "data"


def test_observe_writes_the_four_files_and_says_what_was_dropped(tmp_path: Path, capsys) -> None:
    out = tmp_path / "observed"
    status = main(["observe", str(DATA / "dma.csv"), str(DATA / "nmea.txt"), "--out", str(out),
                   "--scheduler", "synchronous"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "10 positions kept (dropped: 1 duplicate, 1 impossible speed, 2 invalid position, 1 no time, " \
           "1 other message, 3 unparsable)" in err
    tracks = gpd.read_parquet(out / "trajectories.parquet")
    assert sorted(tracks["mmsi"]) == [219000001, 219000002, 273000001, 273000002]
    assert tracks.crs.to_epsg() == 4326
    for name in ("gaps", "port_calls", "encounters"):
        assert gpd.read_parquet(out / f"{name}.parquet").empty
    assert sorted(p.name for p in out.iterdir()) == ["encounters.parquet", "gaps.parquet", "port_calls.parquet",
                                                     "trajectories.parquet"]


@pytest.mark.parametrize(("extra", "expected"), [
    ([str(DATA / "unknown_layout.csv"), "--gap-hours", "6"],
     [f"error: {DATA / 'unknown_layout.csv'}:1: header: no known AIS layout matches the columns; the closest, "
      "Danish Maritime Authority (DMA), lacks the column(s) # Timestamp, Longitude"]),
    ([str(DATA / "dma.csv"), "--encounter-m", "0"], ["error: --encounter-m 0 is not a positive number"]),
])
def test_bad_input_is_one_line_each_and_exit_2(tmp_path: Path, capsys, extra, expected) -> None:
    status = main(["observe", *extra, "--out", str(tmp_path / "o"), "--scheduler", "synchronous"])
    assert status == 2
    assert capsys.readouterr().err.splitlines() == expected
    assert not (tmp_path / "o" / "trajectories.parquet").exists()
