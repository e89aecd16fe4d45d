"""The legs CSV of a RouteSet: one row per leg, geometry as WKT, no cell a spreadsheet runs."""

from __future__ import annotations

import csv
import io
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.records import COORD_DECIMALS, leg_columns, shared_records, text_value
from routemap.routes.routeset import RouteSet

__all__ = ["csv_cell", "inert_text", "render_csv", "wkt"]


def render_csv(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Render the legs as CSV: the leg properties in contract order, then ``geometry`` as WKT.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified (its texts as they are: see ``RouteSet.in_language``).
    language : str
        The output language's code: column names and codes stay English; the text values the
        tool writes (``quantity_text``) are in this language.

    Returns
    -------
    bytes
        UTF-8 (no BOM), CRLF line ends and minimal quoting as in RFC 4180; lists as JSON
        text, missing values as empty fields, coordinates with at most 6 decimals. Text that a
        spreadsheet would run as a formula is kept inert with a leading ``'`` (see
        :func:`inert_text`); numbers, negative ones too, are written as numbers.
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, dialect="excel", lineterminator="\r\n")
    columns = leg_columns(routeset)
    writer.writerow([*columns, "geometry"])
    for record in shared_records(routeset, language=load_language(language), connectors=False)["legs"]:
        cells = [csv_cell(c, record.properties[c]) for c in columns]
        writer.writerow([*cells, inert_text(wkt(record.geometry))])
    return buf.getvalue().encode("utf-8")


def csv_cell(name: str, value: Any) -> str:
    """Return a record's value as a CSV cell: empty for none, ``true``/``false``, text made inert
    (never read as a formula), numbers as written."""
    value = text_value(name, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return inert_text(value)
    return str(value)


#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
_FORMULA_STARTS = frozenset("=+-@\t\r")


def inert_text(text: str) -> str:
    """Return a CSV text cell that no spreadsheet runs as a formula, losing no character.

    A cell gets one leading ``'`` when it starts a formula: its first character, or its first
    after the leading whitespace a spreadsheet may trim, is ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return. A cell that already starts with ``'`` gets one too, so that a reader
    restores every text cell exactly by removing one leading ``'`` where there is one.

    Parameters
    ----------
    text : str
        A text cell as the scenario has it.

    Returns
    -------
    str
        The text, or ``'`` followed by the text.
    """
    first, significant = text[:1], text.lstrip()[:1]
    if first in _FORMULA_STARTS or significant in _FORMULA_STARTS or first == "'":
        return "'" + text
    return text


def wkt(geom: BaseGeometry) -> str:
    """Return WKT with at most 6 decimals and no trailing zeros (geometry already rounded)."""
    return shapely.to_wkt(geom, rounding_precision=COORD_DECIMALS, trim=True)
