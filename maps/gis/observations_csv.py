"""``observations.csv``: one row per observed track, dark gap, port call and encounter."""

from __future__ import annotations

import csv
import io

from routemap.maps.gis.legs_csv import csv_cell, inert_text, wkt
from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.observed import OBSERVED_GROUPS, OBSERVED_LAYERS, observed_records
from routemap.routes.routeset import RouteSet

__all__ = ["OBSERVATIONS_CSV", "OBSERVATION_CSV_COLUMNS", "render_observations_csv"]

OBSERVATIONS_CSV = "observations.csv"
"""The file's name in a build, beside ``legs.csv``."""

OBSERVATION_CSV_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(
    c for group in OBSERVED_GROUPS for c in OBSERVED_LAYERS[group][0]))
"""Every observed property, each once, in the order the layers first name them: a row of one
kind leaves the others' columns empty (``feature_type`` says which kind a row is)."""


def render_observations_csv(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes | None:
    """Render the observed layer as CSV: tracks, then gaps, port calls and encounters.

    The conventions are ``legs.csv``'s (UTF-8 without BOM, CRLF, minimal quoting, lists as
    JSON text, text kept inert for spreadsheets, ``geometry`` last as WKT); times are ISO 8601
    UTC instants (``2024-03-02T18:00:00Z``).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    language : str
        The output language's code (a gap's ``label`` is written in it).

    Returns
    -------
    bytes or None
        None when the route set has no observations (no file is written).
    """
    groups = observed_records(routeset, language=load_language(language))
    if not groups:
        return None
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, dialect="excel", lineterminator="\r\n")
    writer.writerow([*OBSERVATION_CSV_COLUMNS, "geometry"])
    for group in OBSERVED_GROUPS:
        for record in groups[group]:
            cells = [csv_cell(c, record.properties.get(c)) for c in OBSERVATION_CSV_COLUMNS]
            writer.writerow([*cells, inert_text(wkt(record.geometry))])
    return buf.getvalue().encode("utf-8")

