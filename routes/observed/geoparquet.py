"""Writing observed results as GeoParquet, and joining partial files into one without loading them all."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["join_parts", "read_frame", "write_frame"]


def write_frame(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoDataFrame as GeoParquet (WKB geometry, the ``geo`` metadata with its bounding box)."""
    frame.to_parquet(path, index=False, compression="zstd")


def read_frame(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoParquet file written by ``write_frame``."""
    return gpd.read_parquet(path)


def join_parts(parts: Sequence[Path], path: Path, empty: gpd.GeoDataFrame) -> int:
    """Join GeoParquet files of one schema into ``path``, one part in memory at a time.

    The ``geo`` metadata is the first part's, with the bounding box of all of them.

    Parameters
    ----------
    parts : sequence of Path
        Files written by ``write_frame`` (empty ones are skipped).
    path : Path
        The file to write.
    empty : geopandas.GeoDataFrame
        A frame with the columns and types, written when every part is empty.

    Returns
    -------
    int
        Rows written.
    """
    tables = [p for p in parts if pq.ParquetFile(p).metadata.num_rows]
    if not tables:
        write_frame(empty, path)
        return 0
    schema = pq.read_schema(tables[0])
    geo = json.loads(schema.metadata[b"geo"])
    boxes = [json.loads(pq.read_schema(p).metadata[b"geo"])["columns"]["geometry"].get("bbox") for p in tables]
    boxes = [b for b in boxes if b]
    if boxes:
        geo["columns"]["geometry"]["bbox"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                                              max(b[2] for b in boxes), max(b[3] for b in boxes)]
    schema = schema.with_metadata({**schema.metadata, b"geo": json.dumps(geo).encode()})
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for part in tables:
            table = pq.read_table(part).cast(schema)
            writer.write_table(pa.Table.from_batches(table.to_batches(), schema=schema))
            rows += table.num_rows
    return rows
