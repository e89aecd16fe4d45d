"""Reading AIS files: every form, every cleaning rule counted, unknown layouts refused by name."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from routemap.geo.ais import CANONICAL, AisFormatError, iter_file, read_ais
from routemap.geo.ais.layouts import parse_imo
from routemap.geo.ais.nmea import decode_lines

DATA = Path(__file__).parent / "data"


def test_dma_csv_is_read_and_cleaned_with_every_drop_counted() -> None:
    """The DMA fixture has a duplicate, a spike, 91/181, 0/0 and a row with no readable time."""
    read = read_ais([DATA / "dma.csv"])
    assert dict(read.dropped) == {"duplicate": 1, "impossible_speed": 1, "invalid_position": 2, "unparsable": 1}
    frame = read.positions
    assert list(frame.columns) == list(CANONICAL)
    assert {c: str(t) for c, t in frame.dtypes.items()} == CANONICAL
    first = frame[frame["mmsi"] == 219000001]
    assert first["time"].dt.strftime("%H:%M").tolist() == ["00:00", "00:10", "00:30", "00:50"]
    assert first["lon"].tolist() == pytest.approx([11.0, 11.05, 11.15, 11.25])
    assert first["imo"].tolist()[:2] == [9000001, 9000001] and pd.isna(first["imo"].iloc[2])
    assert set(first["name"]) == {"NORDIC EXAMPLE"}
    assert frame["source"].unique().tolist() == ["dma.csv"]
    assert pd.isna(frame.loc[frame["mmsi"] == 219000002, "name"]).all()


def test_marinecadastre_csv_reads_imo_from_its_prefixed_form() -> None:
    frame = read_ais([DATA / "marinecadastre.csv"]).positions
    assert frame["mmsi"].tolist() == [367000001, 367000001, 538000002, 538000002]
    assert frame["imo"].dropna().tolist() == [9000002, 9000002]
    assert frame["time"].iloc[2] == pd.Timestamp("2023-01-01T00:01:00Z")
    assert frame["sog_kn"].tolist() == pytest.approx([0.1, 0.2, 12.5, 12.5])


def test_nmea_reads_tag_block_leading_and_trailing_times_and_multi_sentence_static_data() -> None:
    """Type 5 in two sentences names ship 1; type 24 names ship 2; 102.3 kn and 360 deg mean 'not available'."""
    read = read_ais([DATA / "nmea.txt"])
    assert dict(read.dropped) == {"no_time": 1, "other_message": 1, "unparsable": 2}
    frame = read.positions
    one = frame[frame["mmsi"] == 273000001]
    assert one["time"].dt.strftime("%H:%M").tolist() == ["00:05", "00:10", "00:15"]
    assert set(one["name"]) == {"EXAMPLE STAR"} and set(one["imo"]) == {9000003}
    two = frame[frame["mmsi"] == 273000002]
    assert two["time"].dt.strftime("%H:%M").tolist() == ["00:20", "00:25"]
    assert set(two["name"]) == {"EXAMPLE SKIFF"}
    assert pd.isna(two["cog_deg"].iloc[0]) and pd.isna(two["sog_kn"].iloc[1])
    assert two["lon"].tolist() == pytest.approx([30.1, 30.1001], abs=1e-5)


def test_parquet_in_a_csv_layout_or_canonical_reads_the_same(tmp_path: Path) -> None:
    expected = read_ais([DATA / "marinecadastre.csv"]).positions
    raw = pd.read_csv(DATA / "marinecadastre.csv")
    raw.to_parquet(tmp_path / "mc.parquet")
    expected.drop(columns="source").to_parquet(tmp_path / "canonical.parquet")
    for name in ("mc.parquet", "canonical.parquet"):
        got = read_ais([tmp_path / name]).positions
        pd.testing.assert_frame_equal(got.drop(columns="source"), expected.drop(columns="source"))


def test_geoparquet_points_give_the_coordinates(tmp_path: Path) -> None:
    import geopandas as gpd

    expected = read_ais([DATA / "marinecadastre.csv"]).positions
    frame = gpd.GeoDataFrame(expected.drop(columns=["lat", "lon", "source"]),
                             geometry=gpd.points_from_xy(expected["lon"], expected["lat"]), crs=4326)
    frame.to_parquet(tmp_path / "points.parquet")
    got = read_ais([tmp_path / "points.parquet"]).positions
    assert got["lat"].tolist() == pytest.approx(expected["lat"].tolist())
    assert got["lon"].tolist() == pytest.approx(expected["lon"].tolist())


def test_duplicates_across_files_keep_the_first_file_read(tmp_path: Path) -> None:
    text = (DATA / "marinecadastre.csv").read_text()
    (tmp_path / "again.csv").write_text(text.replace("EXAMPLE TUG", "RENAMED TUG"))
    read = read_ais([DATA / "marinecadastre.csv", tmp_path / "again.csv"])
    assert read.dropped["duplicate"] == 4
    assert set(read.positions["name"].dropna()) == {"EXAMPLE TUG", "EXAMPLE TANKER"}


def test_unknown_header_names_the_closest_layout_and_what_it_lacks(tmp_path: Path) -> None:
    with pytest.raises(AisFormatError) as caught:
        read_ais([DATA / "unknown_layout.csv", tmp_path / "missing.csv"])
    lines = caught.value.messages()
    assert lines == [
        f"error: {DATA / 'unknown_layout.csv'}:1: header: no known AIS layout matches the columns; the closest, "
        "Danish Maritime Authority (DMA), lacks the column(s) # Timestamp, Longitude",
        f"error: {tmp_path / 'missing.csv'}: cannot read the AIS file (No such file or directory)",
    ]
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(("text", "expected"), [
    ("IMO9301213", 9301213), ("9301213", 9301213), ("imo 9301213", 9301213), ("9301213.0", 9301213),
    ("Unknown", None), ("0", None), ("", None), ("123", None),
])
def test_imo_numbers_are_read_from_their_digits(text: str, expected: int | None) -> None:
    value = parse_imo(pd.Series([text], dtype="string")).iloc[0]
    assert (pd.isna(value) if expected is None else value == expected)


def test_nmea_streams_in_chunks_as_small_as_one_position_with_split_messages_kept_whole(tmp_path: Path) -> None:
    """A position sentence between the two sentences of a type 5 message, and chunks of one position:
    the message is still decoded whole (ship 1 is named, nothing more is unparsable), every chunk
    holds at most one position, and the chunks together are the whole-file table."""
    lines = (DATA / "nmea.txt").read_text().splitlines()
    lines.insert(1, "\\c:1709251210*00\\!AIVDO,1,1,,B,144FV@OP1E29E40Igth3Q001P000,0*66")
    path = tmp_path / "split.nmea"
    path.write_text("\n".join(lines) + "\n")
    chunks = list(iter_file(path, chunk_rows=1))
    assert len(chunks) > 5 and all(len(frame) <= 1 for frame, _ in chunks)
    streamed = pd.concat([frame for frame, _ in chunks], ignore_index=True)
    whole, whole_dropped = decode_lines(lines, "split.nmea")
    pd.testing.assert_frame_equal(streamed, whole)
    dropped = sum((counts for _, counts in chunks), Counter())
    assert dropped == whole_dropped == Counter({"no_time": 1, "other_message": 1, "unparsable": 2})
    first = streamed[streamed["mmsi"] == 273000001]
    assert len(first) == 4 and set(first["name"]) == {"EXAMPLE STAR"}
    assert first["time"].iloc[0] == pd.Timestamp("2024-03-01T00:00:10Z")
    assert set(streamed.loc[streamed["mmsi"] == 273000002, "name"]) == {"EXAMPLE SKIFF"}
