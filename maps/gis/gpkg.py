"""GeoPackage export of a RouteSet: places, legs, transfers, sources; byte-identical builds."""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pyogrio.raw
import shapely

from routemap.errors import RenderError, library_detail
from routemap.maps.citations import citation, credit
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.observed import OBSERVED_LAYERS, observed_records
from routemap.maps.records import (
    WGS84,
    FeatureRecord,
    leg_columns,
    shared_records,
    text_value,
    transfer_records,
)
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import (
    ANNOTATION_COLUMNS,
    BOOL_COLUMNS,
    PLACE_COLUMNS,
    TRANSFER_COLUMNS,
)

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "GPKG_LAYERS",
    "METADATA_COLUMNS",
    "SOURCE_COLUMNS",
    "gpkg_layers",
    "is_date_column",
    "render_gpkg",
    "write_gpkg",
]

logger = logging.getLogger(__name__)

SOURCE_COLUMNS: tuple[str, ...] = (
    "source_id", "title", "publisher", "date", "url", "note", "citation",
)
ATTRIBUTION_COLUMNS: tuple[str, ...] = ("position", "attribution")
METADATA_COLUMNS: tuple[str, ...] = ("key", "value")
"""The ``metadata`` table: one row per fact about the whole file (``name``, ``language``)."""

GPKG_LAYERS: tuple[str, ...] = (
    "places", "legs", "transfers", "annotations", "sources", "attributions", "metadata",
)
"""Layer names, in the order they are written (spatial first, then attribute-only tables)."""

_GEOMETRY_TYPES = {
    "places": "Point", "legs": "MultiLineString", "transfers": "MultiLineString",
    "annotations": "Point", **{name: kind for name, (_, kind) in OBSERVED_LAYERS.items()},
}
_INT_COLUMNS = frozenset({"leg_index", "leg_count", "position", "mmsi", "mmsi_other", "imo", "n_positions"})
_FLOAT_COLUMNS = frozenset({"distance_km", "quantity_value", "quantity_max", "lat", "lon", "uncertainty_km",
                            "length_km", "duration_h", "reachable_km", "min_distance_m", "last_lat",
                            "last_lon", "first_lat", "first_lon"})
_DATE_SUFFIXES = ("_start", "_end", "_date")
"""A column named ``date`` or ending in one of these holds ISO dates and is declared ``DATE``."""
_EPOCH = "1970-01-01T00:00:00.000Z"
#: What writing a GeoPackage may raise when GDAL, SQLite or the file system fail.
_WRITE_ERRORS = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, sqlite3.Error,
                 OSError)


def is_date_column(name: str) -> bool:
    """Return True if a column holds dates (``date``, ``period_start``, ``window_end``...)."""
    return name == "date" or name.endswith(_DATE_SUFFIXES)


def _column(name: str, values: list[Any]) -> pd.Series:
    """Return a typed column: the field type depends on the name, never on the data.

    Date columns hold ``YYYY-MM-DD`` text (or ``None``) here and become ``DATE`` fields when
    written, so that QGIS's temporal controller can use them as they are.
    """
    if name in _INT_COLUMNS:
        return pd.Series(values, dtype="Int64")
    if name in BOOL_COLUMNS:
        return pd.Series(values, dtype="boolean")
    if name in _FLOAT_COLUMNS:
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.Series(_texts(name, values), dtype="object")


def _texts(name: str, values: list[Any]) -> list[Any]:
    """Return a text column's cells (:func:`text_value`), each distinct list of words written once."""
    written: dict[tuple[str, ...], Any] = {}
    out = []
    for value in values:
        if isinstance(value, list) and all(type(v) is str for v in value):
            key = tuple(value)
            if key not in written:
                written[key] = text_value(name, value)
            out.append(written[key])
        else:
            out.append(text_value(name, value))
    return out


def _table(columns: Sequence[str], rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame({c: _column(c, [r[c] for r in rows]) for c in columns})


def _layer(records: list[FeatureRecord], columns: Sequence[str]) -> gpd.GeoDataFrame:
    table = _table(columns, [r.properties for r in records])
    return gpd.GeoDataFrame(table, geometry=[r.geometry for r in records], crs=WGS84)


def _sources_table(routeset: RouteSet, language: Language) -> pd.DataFrame:
    rows = [{
        "source_id": s.id, "title": s.title, "publisher": s.publisher,
        "date": s.date.isoformat() if s.date else None, "url": s.url, "note": s.note,
        "citation": citation(s, language=language),
    } for s in routeset.scenario.sources]
    return _table(SOURCE_COLUMNS, rows)


def gpkg_layers(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> dict[str, pd.DataFrame]:
    """Build the GeoPackage layers of a route set, in ``GPKG_LAYERS`` order.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified (its texts as they are: see ``RouteSet.in_language``).
    language : str
        The output language's code: the language of the text values the tool writes
        (``quantity_text``), and the ``language`` row of the ``metadata`` table.

    Returns
    -------
    dict of str to pandas.DataFrame
        GeoDataFrames for ``places``, ``legs``, ``transfers`` and ``annotations`` (EPSG:4326,
        properties as in ``routemap.routes.schema``, lists as JSON text); plain DataFrames for the
        attribute-only ``sources``, ``attributions`` and ``metadata`` tables.
    """
    records = shared_records(routeset, language=load_language(language), connectors=False)
    attributions = [{"position": i + 1, "attribution": credit(a, language=load_language(language))}
                    for i, a in enumerate(routeset.attributions)]
    observed = observed_records(routeset, language=load_language(language))
    return {
        "places": _layer(records["places"], PLACE_COLUMNS),
        "legs": _layer(records["legs"], leg_columns(routeset)),
        "transfers": _layer(transfer_records(routeset.scenario, records["legs"]),
                            TRANSFER_COLUMNS),
        "annotations": _layer(records["annotations"], ANNOTATION_COLUMNS),
        **{name: _layer(observed[name], OBSERVED_LAYERS[name][0]) for name in observed},
        "sources": _sources_table(routeset, load_language(language)),
        "attributions": _table(ATTRIBUTION_COLUMNS, attributions),
        "metadata": _table(METADATA_COLUMNS, [{"key": "name", "value": routeset.scenario.title},
                                              {"key": "language", "value": language}]),
    }


def _description(name: str, title: str, attributions: Sequence[str]) -> str:
    credit = " ".join(attributions)
    return f"{title}: {name}." + (f" {credit}" if credit else "")


def write_gpkg(
    path: Path, layers: dict[str, pd.DataFrame], *, title: str,
    attributions: Sequence[str] = (), timestamp: str = _EPOCH,
) -> None:
    """Write layers to a new GeoPackage whose bytes depend only on its content.

    The layers are written to a scratch file next to ``path``; every
    ``gpkg_contents.last_change`` is set to ``timestamp`` and ``VACUUM INTO`` copies the
    scratch file to ``path`` in one fresh transaction, so that neither the SQLite page layout
    nor the header's change counters depend on how many transactions GDAL made.

    Parameters
    ----------
    path : pathlib.Path
        The file to create; it must not exist (a ``.scratch.gpkg`` sibling is used, then removed).
    layers : dict of str to pandas.DataFrame
        Layer name to frame; GeoDataFrames become feature layers (the geometry type of the
        ``GPKG_LAYERS`` names is fixed, lines promoted to multi), plain DataFrames
        attribute-only tables.
    title : str
        Used in each layer's description.
    attributions : sequence of str
        Appended to each layer's description (``gpkg_contents.description``).
    timestamp : str
        ISO 8601 UTC timestamp, e.g. ``2025-06-01T00:00:00.000Z``.

    Raises
    ------
    pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, sqlite3.Error, OSError
        As GDAL, SQLite and the file system report them (the scratch file is removed first);
        :func:`render_gpkg` turns them into routemap's own message.
    """
    scratch = path.with_name(f"{path.stem}.scratch.gpkg")
    scratch.unlink(missing_ok=True)
    try:
        for name, frame in layers.items():
            geometry_type = (_GEOMETRY_TYPES.get(name) if isinstance(frame, gpd.GeoDataFrame)
                             else None)
            _write_layer(scratch, name, frame, geometry_type,
                         _description(name, title, attributions))
        _compact(scratch, path, timestamp)
    finally:
        scratch.unlink(missing_ok=True)


def _field_arrays(frame: pd.DataFrame) -> tuple[list[str], list[np.ndarray], list[np.ndarray | None]]:
    """Return a frame's field names, value arrays and null masks, with dates as ``datetime64[D]``."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    names = [str(c) for c in frame.columns if c != geometry]
    data: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    for name in names:
        column = frame[name]
        mask = None
        if is_date_column(name):
            values = np.array([v if isinstance(v, str) and v else None for v in column],
                              dtype="datetime64[D]")
        elif name.endswith("_time"):  # ISO UTC instants of the observed layers: DATETIME fields
            values = np.array([v.rstrip("Z") if isinstance(v, str) and v else None for v in column],
                              dtype="datetime64[s]")
        elif isinstance(column.dtype, pd.Int64Dtype):
            values, mask = column.to_numpy(dtype="int64", na_value=0), column.isna().to_numpy()
        elif isinstance(column.dtype, pd.BooleanDtype):
            values, mask = column.to_numpy(dtype="bool", na_value=False), column.isna().to_numpy()
        else:
            values = column.to_numpy()
        data.append(values)
        masks.append(mask)
    return names, data, masks


def _write_layer(path: Path, name: str, frame: pd.DataFrame, geometry_type: str | None,
                 description: str) -> None:
    """Write one layer with GDAL, each field typed by its column (``DATE`` for dates)."""
    names, data, masks = _field_arrays(frame)
    geometry = crs = None
    if isinstance(frame, gpd.GeoDataFrame):
        geometry = shapely.to_wkb(np.asarray(frame.geometry.values))
        epsg = frame.crs.to_epsg() if frame.crs is not None else None
        crs = f"EPSG:{epsg}" if epsg else (frame.crs.to_wkt() if frame.crs is not None else None)
    pyogrio.raw.write(
        path, geometry, data, names, field_mask=masks, layer=name, driver="GPKG",
        geometry_type=geometry_type, crs=crs,
        promote_to_multi=(geometry_type or "").startswith("Multi") or None,
        layer_options={"DESCRIPTION": description},
        gdal_tz_offsets={n: np.full(len(frame), 100) for n in names if n.endswith("_time")} or None,  # 100: UTC
    )


def _compact(scratch: Path, path: Path, timestamp: str) -> None:
    """Fix the write timestamps in ``scratch`` and copy it to ``path`` with VACUUM INTO."""
    con = sqlite3.connect(scratch, isolation_level=None)
    try:
        con.execute("UPDATE gpkg_contents SET last_change = ?", (timestamp,))
        con.execute("VACUUM INTO ?", (str(path),))
    finally:
        con.close()


def render_gpkg(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Render a route set as a GeoPackage, byte-identical for identical input.

    Layers ``places`` (Point), ``legs`` and ``transfers`` (MultiLineString),
    ``annotations`` (Point), and attribute-only ``sources``, ``attributions`` and
    ``metadata`` (``name``, ``language``) tables. Timestamps are the scenario's ``as_of``
    date at midnight UTC (1970-01-01 without one).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    language : str
        The output language's code (see :func:`gpkg_layers`).

    Returns
    -------
    bytes
        The GeoPackage file (written to a temporary directory, then read back).

    Raises
    ------
    RenderError
        If GDAL, SQLite or the file system fail while the file is written in the temporary
        folder (the message names the folder; the library's words follow as detail).
    """
    as_of = routeset.scenario.as_of
    timestamp = f"{as_of.isoformat()}T00:00:00.000Z" if as_of else _EPOCH
    layers = gpkg_layers(routeset, language=language)
    try:
        with tempfile.TemporaryDirectory(prefix="routemap-gpkg-") as tmp:
            path = Path(tmp) / "routes.gpkg"
            write_gpkg(path, layers, title=routeset.scenario.title,
                       attributions=routeset.attributions, timestamp=timestamp)
            logger.debug("wrote GeoPackage with layers %s", ", ".join(layers))
            return path.read_bytes()
    except _WRITE_ERRORS as exc:
        raise RenderError(
            f"cannot make routes.gpkg: writing it in the temporary folder "
            f"'{tempfile.gettempdir()}' failed; check that the folder is writable and has free "
            f"space (TMPDIR chooses another), or leave gpkg out of --formats"
            + library_detail(_failed_library(exc), exc)
        ) from exc


def _failed_library(exc: BaseException) -> str:
    """Name who reported a GeoPackage write failure, for the detail of the message."""
    if isinstance(exc, sqlite3.Error):
        return "SQLite"
    if isinstance(exc, OSError):
        return "the file system"
    return "GDAL"
