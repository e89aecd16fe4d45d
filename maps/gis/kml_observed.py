"""The KML's observed folder: AIS tracks, dark gaps, port calls and meetings at sea, in time.

Tracks, gaps and port calls carry a ``TimeSpan`` from their UTC instants (a port call without a
departure a ``TimeStamp`` at its arrival), encounters a ``TimeSpan`` over the meeting, so
Google Earth's time slider shows them beside the legs. Styles come from ``OBSERVED_STYLE``
(KML has no dashes: a gap is a wider stroke in the gap colour, named by its duration).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

from shapely.geometry.base import BaseGeometry

from routemap.maps import wording
from routemap.maps.evidence import span
from routemap.maps.gis.kml_style import clean_text, kml_color, sub_element
from routemap.maps.language import Language
from routemap.maps.observed import OBSERVED_GROUPS, observed_records
from routemap.maps.records import COORD_DECIMALS, FeatureRecord, text_value
from routemap.maps.style import OBSERVED_STYLE
from routemap.routes.routeset import RouteSet

__all__ = ["OBSERVED_STYLE_IDS", "observed_folder"]

OBSERVED_STYLE_IDS: dict[str, str] = {"observed_tracks": "observed-track", "gaps": "observed-gap",
                                      "port_calls": "observed-port-call", "encounters": "observed-encounter"}
_sub = sub_element
_SPAN = {"observed_tracks": ("start_time", "end_time"), "gaps": ("start_time", "end_time"),
         "port_calls": ("arrival_time", "departure_time"), "encounters": ("start_time", "end_time")}
_FOLDERS = {"observed_tracks": OBSERVED_STYLE.track_label, "gaps": OBSERVED_STYLE.gap_label,
            "port_calls": OBSERVED_STYLE.port_call_label, "encounters": OBSERVED_STYLE.encounter_label}


def _styles() -> list[ET.Element]:
    s = OBSERVED_STYLE
    found = []
    for group, style_id in OBSERVED_STYLE_IDS.items():
        style = ET.Element("Style", {"id": style_id})
        if group in ("observed_tracks", "gaps"):
            line = _sub(style, "LineStyle")
            color, width = (s.color, s.width * 1.5) if group == "observed_tracks" else (s.gap_color, s.gap_width * 1.5)
            _sub(line, "color", kml_color(color, s.opacity))
            _sub(line, "width", f"{width:g}")
        else:
            icon = _sub(style, "IconStyle")
            _sub(icon, "color", kml_color(s.color if group == "port_calls" else s.gap_color))
            _sub(icon, "scale", f"{s.marker_size / 9.0:g}")
        _sub(_sub(style, "BalloonStyle"), "text", "$[description]")
        found.append(style)
    return found


def _num(value: float) -> str:
    return f"{value:.{COORD_DECIMALS}f}".rstrip("0").rstrip(".")


def _geometry(parent: ET.Element, geom: BaseGeometry) -> None:
    if geom.geom_type.startswith("Multi"):
        multi = _sub(parent, "MultiGeometry")
        for member in geom.geoms:
            _geometry(multi, member)
        return
    coords = " ".join(f"{_num(x)},{_num(y)}" for x, y, *_ in geom.coords)
    if geom.geom_type == "Point":
        _sub(_sub(parent, "Point"), "coordinates", coords)
    else:
        line = _sub(parent, "LineString")
        _sub(line, "tessellate", "1")
        _sub(line, "coordinates", coords)


def _time(parent: ET.Element, begin: Any, end: Any) -> None:
    if begin and not end:
        _sub(_sub(parent, "TimeStamp"), "when", begin)
    elif begin or end:
        span = _sub(parent, "TimeSpan")
        if begin:
            _sub(span, "begin", begin)
        if end:
            _sub(span, "end", end)


def _name(group: str, p: dict[str, Any]) -> str:
    if group == "gaps":
        return f"{p['vessel']}: {p['label']}"
    if group == "port_calls":
        return f"{p['vessel']}: {p['port_name'] or p['port_id']}"
    if group == "encounters":
        return f"{p['vessel']} / MMSI {p['mmsi_other']}"
    return str(p["vessel"])


def _rows(group: str, p: dict[str, Any], language: Language) -> list[tuple[str, Any]]:
    word = language.gettext
    begin, end = _SPAN[group]
    rows: list[tuple[str, Any]] = [("MMSI", p["mmsi"]), (word("Period"), span(p[begin], p[end], language=language))]
    if group == "gaps":
        rows.append((word("Transponder off"), p["label"]))
    if group == "encounters":
        rows.append((word("Other vessel"), f"MMSI {p['mmsi_other']}"))
        distance = wording.number(p["min_distance_m"], decimals=0, language=language)
        rows.append((word("Closest approach"), f"{distance} m" if distance else None))
    if group == "observed_tracks":
        rows += [(word("Observed verdict"), verdict) for verdict in p["verdicts"] or []]
    return rows


def _balloon(title: str, rows: list[tuple[str, Any]], p: dict[str, Any], language: Language) -> str:
    esc = lambda text: html.escape(clean_text(text), quote=True)  # noqa: E731
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    note = language.gettext(OBSERVED_STYLE.synthetic_label)
    synthetic = f"<p><b>{esc(note)}</b></p>" if p.get("synthetic") else ""
    sources = "".join(f"<li>{esc(c)}</li>" for c in p.get("citations") or [])
    head = esc(language.gettext("Sources"))
    return f"<h3>{esc(title)}</h3>{synthetic}<table>{cells}</table><p><b>{head}</b></p><ol>{sources}</ol>"


def _placemark(parent: ET.Element, group: str, record: FeatureRecord, language: Language) -> None:
    p = record.properties
    name = _name(group, p)
    mark = _sub(parent, "Placemark")
    _sub(mark, "name", name)
    _sub(mark, "Snippet", "", maxLines="0")
    _sub(mark, "description", _balloon(name, _rows(group, p, language), p, language))
    _time(mark, *(p[k] for k in _SPAN[group]))
    _sub(mark, "styleUrl", f"#{OBSERVED_STYLE_IDS[group]}")
    data = _sub(mark, "ExtendedData")
    for key, value in p.items():
        value = text_value(key, value)
        _sub(_sub(data, "Data", name=key), "value", "" if value is None else value)
    _geometry(mark, record.geometry)


def observed_folder(doc: ET.Element, routeset: RouteSet, language: Language) -> None:
    """Append the observed folder (its styles, then a subfolder per kind) when there are observations.

    Parameters
    ----------
    doc : xml.etree.ElementTree.Element
        The KML ``Document``.
    routeset : RouteSet
        The routed scenario; nothing is appended without an observed layer.
    language : Language
        The output's language: folder names, placemark names, balloon words.
    """
    groups = observed_records(routeset, language=language)
    if not groups:
        return
    synthetic = routeset.observed is not None and routeset.observed.spec.synthetic
    folder = _sub(doc, "Folder")
    title = language.gettext(OBSERVED_STYLE.track_label)
    _sub(folder, "name", title + (f" ({language.gettext(OBSERVED_STYLE.synthetic_label)})" if synthetic else ""))
    folder.extend(_styles())
    for group in OBSERVED_GROUPS:
        if not groups[group]:
            continue
        sub = _sub(folder, "Folder")
        _sub(sub, "name", language.gettext(_FOLDERS[group]))
        for record in groups[group]:
            _placemark(sub, group, record, language)
