"""The data document the HTML map draws: legs, places, annotations, popups, styles, timeline.

Everything the page shows is decided here, as plain JSON-ready values, so it can be tested
without a browser; the page's script only draws it. Scenario text stays plain text (the script
puts it into the page as text, never as markup), and a source's URL becomes a link target only
when it is ``http`` or ``https``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from routemap.geo.countries import credit_natural_earth
from routemap.geo.model import Scenario, Source
from routemap.maps import wording
from routemap.maps.citations import citation, credit
from routemap.maps.evidence import verdict_rows
from routemap.maps.language import Language, load_language
from routemap.maps.observed import observed_records
from routemap.maps.records import FeatureRecord, plain_value, shared_records, track_geometry
from routemap.maps.style import (
    ANNOTATION_COLOR,
    BASEMAP_STYLE,
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_LEGEND,
    PATH_STYLES,
    PLACE_STYLES,
    LegQuantity,
    WidthLegend,
    WidthScale,
    place_priority,
    svg_dasharray,
    width_legend,
    width_scale,
)
from routemap.maps.web.basemapcache import BasemapCache
from routemap.maps.web.edges import basemap_in_frame, clip_to_band, frame_bounds, in_one_frame
from routemap.maps.web.messages import position, script_messages
from routemap.maps.web.observed import observed_data
from routemap.maps.web.tiles import TILE_SOURCES, TileSource
from routemap.maps.web.timeline import overlaps, timeline_steps
from routemap.maps.web.vector_basemap import encode_line
from routemap.routes.routeset import RouteSet

__all__ = ["GEOMETRY_KIND_LABELS", "LINE_SCALE", "build_map_data", "safe_link"]

LINE_SCALE = 10_000
"""Leg and place coordinates are coded in 1/LINE_SCALE degrees (about 11 m)."""

_LINE_TOLERANCE = 0.0005
"""Degrees a drawn leg may depart from its routed geometry (about 50 m; distances are kept)."""

GEOMETRY_KIND_LABELS: dict[str, str] = {
    "routed": "routed along the network",
    "reported": "drawn through the reported path",
    "great_circle": "great-circle arc (actual route not reported)",
}


def safe_link(url: Any) -> str | None:
    """Return a URL fit to be a link target (http or https with a host), else None."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def build_map_data(
    routeset: RouteSet, countries: gpd.GeoDataFrame, *, world: gpd.GeoDataFrame | None = None,
    language: Language | None = None, basemaps: BasemapCache | None = None,
) -> dict[str, Any]:
    """Return everything the HTML map draws, as JSON-ready values.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; read, never modified.
    countries : geopandas.GeoDataFrame
        Natural Earth countries (``routemap.geo.countries.load_countries``) for the offline basemap.
    world : geopandas.GeoDataFrame, optional
        Coarse countries (``routemap.maps.web.vector_basemap.load_world_backdrop``) for the basemap
        outside the scenario's region.
    language : Language, optional
        The language of every word the map writes (default English); the route set's own
        texts are written as they are (:meth:`RouteSet.in_language` localizes them first).
    basemaps : BasemapCache, optional
        Where the basemap drawn for this frame is kept between builds (``countries`` and
        ``world`` must then be the shipped ones); None draws it afresh.

    Returns
    -------
    dict
        Keys ``title``, ``subtitle``, ``as_of``, ``bounds`` (``[[s, w], [n, e]]``),
        ``transfers``, ``legs``, ``places``, ``annotations``, ``sources`` (every cited source
        once; a leg's, place's or note's ``sources`` are indexes into it), ``timeline``, ``legend``,
        ``styles``, ``basemap``, ``tiles``, ``attributions``, ``scale``, ``language`` (its
        code, the page's ``lang``) and ``messages`` (the script's words,
        ``routemap.maps.web.messages.script_messages``). Coordinates of
        legs and places are coded by ``routemap.maps.web.vector_basemap.encode_line`` in ``1/scale`` degrees,
        all in one longitude frame (``routemap.maps.web.edges``): across the date line,
        longitudes go on past 180 (or below -180) so that lines stay continuous and the
        bounds are the narrowest that hold everything; legs are cut where they leave the
        latitudes Web Mercator shows.
    """
    language = language or load_language("en")
    records = shared_records(routeset, language=language)
    scenario = routeset.scenario
    observed = observed_records(routeset, language=language)
    frame = in_one_frame(_drawn({**records, **observed}))
    amounts = _leg_quantities(records["legs"])
    scale = width_scale(amounts)
    legs = _legs(records["legs"], scenario, scale, frame, language)
    ends = Counter(r.properties[k] for r in records["legs"] for k in ("from_id", "to_id"))
    places = [_place(r, scenario, ends, frame[r.feature_id][0], language)
              for r in records["places"]]
    annotations = [_annotation(r, scenario, frame[r.feature_id][0], language)
                   for r in records["annotations"]]
    west, south, east, north = _bounds(frame)
    focus = {str(r.properties["country"]) for r in records["places"]}
    close_to = [(r.geometry.x, r.geometry.y) for r in records["places"]]
    sources = _share_sources([*legs, *places, *annotations])
    return {
        "title": scenario.title,
        "subtitle": scenario.subtitle,
        "as_of": wording.day(scenario.as_of, language=language),
        "bounds": [[south, west], [north, east]],
        "scale": LINE_SCALE,
        "transfers": _transfers(scenario, legs),
        "legs": legs,
        "places": places,
        "annotations": annotations,
        "sources": sources,
        "timeline": _timeline(legs, annotations, language),
        "legend": _legend(legs, places, width_legend(scale, amounts, language=language), language),
        "styles": _styles(language),
        "basemap": _named_in((basemaps.in_frame if basemaps else basemap_in_frame)(
                                 countries, (west, south, east, north), world=world, focus=focus,
                                 close_to=close_to),
                             countries, world, language),
        "tiles": [_tile(t) for t in TILE_SOURCES],
        "attributions": _attributions(routeset.attributions, language),
        "language": language.code,
        "messages": script_messages(language),
        "observed": observed_data(routeset, observed, frame, scale=LINE_SCALE, language=language),
    }


# --- legs -----------------------------------------------------------------------------------


def _legs(records: Sequence[FeatureRecord], scenario: Scenario, scale: WidthScale,
          frame: Mapping[Hashable, list[np.ndarray]], language: Language) -> list[dict[str, Any]]:
    """Return the drawable legs, in scenario order, with style, popup rows and sources.

    ``frame`` holds each feature's continuous lon/lat parts in the map's longitude frame
    (``routemap.maps.web.edges.in_one_frame``), by feature id.
    """
    counts = Counter(r.properties["transfer_id"] for r in records)
    return [{**_leg(r, scenario, scale, counts, frame[r.feature_id], language),
             "connectors": [_line_parts(frame[(r.feature_id, i)])
                            for i in range(len(r.connectors))]}
            for r in records]


def _drawn(records: Mapping[str, list[FeatureRecord]]) -> dict[Hashable, BaseGeometry]:
    """Return what the map draws of each feature by key: a leg's track (its line without its
    connectors, ``routemap.maps.records.track_geometry``) under its id, its connector ``i``
    under ``(id, i)``; any other feature's geometry under its id."""
    out: dict[Hashable, BaseGeometry] = {}
    for group in records.values():
        for r in group:
            track = track_geometry(r.geometry, r.connectors) if r.connectors else r.geometry
            out[r.feature_id] = LineString() if track is None else track
            out.update(((r.feature_id, i), c) for i, c in enumerate(r.connectors))
    return out


def _leg_quantities(records: Iterable[FeatureRecord]) -> list[LegQuantity]:
    """Return what the width rule (``routemap.maps.style.width_scale``) needs from each leg."""
    return [LegQuantity.from_properties(r.properties) for r in records]


def _leg(
    record: FeatureRecord, scenario: Scenario, scale: WidthScale, counts: Counter[str],
    lines: Sequence[np.ndarray], language: Language,
) -> dict[str, Any]:
    p = record.properties
    mode, confidence, path = p["mode"], p["confidence"], p["path_confidence"]
    width = scale.width(mode, p["quantity_value"], p["quantity_unit"])
    width *= CONFIDENCE_STYLES[confidence].width_factor
    return {
        "id": p["feature_id"],
        "transfer": p["transfer_id"],
        "mode": mode,
        "confidence": confidence,
        "path": path,
        "color": MODE_STYLES[mode].color,
        "weight": round(width, 2),
        "dash": svg_dasharray(confidence, width),
        "opacity": CONFIDENCE_STYLES[confidence].opacity,
        "band": _band(path, width),
        "parts": _line_parts(lines),
        "start": p["period_start"],
        "end": p["period_end"],
        "title": p["transfer_label"] or p["transfer_id"],
        "subtitle": wording.leg_chain(
            [(p["from_name"], p["to_name"], p["origin_assumed"], p["destination_assumed"])],
            language=language),
        "rows": _leg_rows(p, counts.get(p["transfer_id"], 1), language),
        "sources": _sources(scenario, p["sources"], p["citations"], language),
    }


def _band(path: str, width: float) -> dict[str, float] | None:
    """Return the corridor band drawn under a leg whose line is modelled, or None.

    The band is ``PATH_STYLES[path].band_factor`` times the drawn line width, in the mode's
    colour at ``band_opacity``; a reported path has no band.
    """
    style = PATH_STYLES[path]
    if not style.band:
        return None
    return {"weight": round(width * style.band_factor, 2), "opacity": style.band_opacity}


def _line_parts(lines: Sequence[np.ndarray]) -> list[list[int]]:
    """Return a line's parts, cut to the Web Mercator band, lightly simplified, coded for the page.

    ``lines`` are lon/lat arrays in the map's longitude frame; a part that leaves the band
    the map can show is cut there (``routemap.maps.web.edges.clip_to_band``).
    """
    parts = []
    for line in lines:
        for piece in clip_to_band(line):
            drawn = shapely.simplify(shapely.linestrings(piece), _LINE_TOLERANCE,
                                     preserve_topology=False)
            parts.append(encode_line(np.asarray(drawn.coords), LINE_SCALE))
    return parts


def _leg_rows(p: dict[str, Any], n_legs: int, language: Language) -> list[list[str]]:
    """Return the leg popup's (label, text) rows, skipping what the scenario leaves out."""
    chain = wording.leg_chain(
        [(p["from_name"], p["to_name"], p["origin_assumed"], p["destination_assumed"])],
        language=language)
    kind = p["geometry_kind"]
    rows = [
        ("Leg", language.gettext("{number} of {count}: {legs}").format(
            number=p["leg_index"] + 1, count=n_legs, legs=chain)),
        ("Ends", wording.assumed_ends(p["origin_assumed"], p["destination_assumed"],
                                      language=language)),
        ("Mode", language.gettext(MODE_STYLES[p["mode"]].label)),
        ("Cargo", p["cargo"]),
        ("Quantity", p["quantity_text"]),
        ("Period", wording.period(p["period_start"], p["period_end"], language=language)),
        ("Carrier", p["carrier"]),
        ("Distance", wording.distance(p["distance_km"], nautical=True, language=language)),
        ("Geometry", language.gettext(GEOMETRY_KIND_LABELS[kind])
         if kind in GEOMETRY_KIND_LABELS else kind),
        ("Confidence", wording.confidence(p["confidence"], explain=True, language=language)),
        ("Line", wording.path_confidence(p["path_confidence"], explain=True, language=language)),
        ("Corridor", p["corridor"]),
        ("Note", p["note"]),
        ("Network", p["network"]),
        ("Data", credit(p["attribution"], language=language) if p["attribution"] else None),
        *verdict_rows(p, language=language),
    ]
    return _rows(rows, language)


def _rows(rows: Sequence[tuple[str, Any]], language: Language) -> list[list[str]]:
    """Return a popup's [label, text] rows in the language, leaving out empty values."""
    return [[language.gettext(label), str(text)] for label, text in rows
            if text not in (None, "")]


# --- places and annotations -----------------------------------------------------------------


def _place(record: FeatureRecord, scenario: Scenario, ends: Counter[str],
           at: np.ndarray, language: Language) -> dict[str, Any]:
    """Return a place with its popup rows; ``ends`` counts the legs that start or end there,
    which with its kind gives the order in which names are given room
    (:func:`routemap.maps.style.place_priority`).

    ``at`` is its ``[[lon, lat]]`` in the map's longitude frame; the popup gives the
    position as the scenario does.
    """
    p = record.properties
    lon, lat = record.geometry.x, record.geometry.y
    rows = [
        ("Kind", language.gettext(PLACE_STYLES[p["kind"]].label)),
        ("Country", _country(p["country"], language)),
        ("Position", position(lat, lon, language)),
        ("Uncertainty", wording.uncertainty(p["uncertainty_km"], language=language)),
        ("Confidence", wording.confidence(p["confidence"], explain=True, language=language)),
        ("UN/LOCODE", p["locode"]),
        ("Note", p["note"]),
        ("Gazetteer", p["origin"]),
    ]
    return {
        "id": p["feature_id"],
        "name": p["name"],
        "kind": p["kind"],
        "at": encode_line(at, LINE_SCALE),
        "uncertainty_km": p["uncertainty_km"],
        "priority": place_priority(p["kind"], ends.get(p["place_id"], 0)),
        "rows": _rows(rows, language),
        "sources": _sources(scenario, p["sources"], p["citations"], language),
    }


def _annotation(record: FeatureRecord, scenario: Scenario, at: np.ndarray,
                language: Language) -> dict[str, Any]:
    """Return a note with its popup rows; ``at`` is its ``[[lon, lat]]`` in the map's frame."""
    p = record.properties
    rows = [
        ("Period", wording.period(p["period_start"], p["period_end"], language=language)),
        ("Transfer", p["transfer_label"]),
        ("Confidence", wording.confidence(p["confidence"], explain=True, language=language)),
    ]
    return {
        "id": p["feature_id"],
        "annotation_id": p["annotation_id"],
        "text": p["text"],
        "transfer": p["transfer_id"],
        "confidence": p["confidence"],
        "at": encode_line(at, LINE_SCALE),
        "start": p["period_start"],
        "end": p["period_end"],
        "rows": _rows(rows, language),
        "sources": _sources(scenario, p["sources"], p["citations"], language),
    }


def _sources(
    scenario: Scenario, ids: Sequence[str] | None, citations: Sequence[str] | None,
    language: Language,
) -> list[dict[str, Any]]:
    """Return the cited sources in order: structured where the scenario has them."""
    citations = list(citations or [])
    out = []
    for i, source_id in enumerate(ids or []):
        try:
            out.append(_source(scenario.source(source_id), language))
        except KeyError:
            text = citations[i] if i < len(citations) else source_id
            out.append({"id": source_id, "text": text, "title": text, "publisher": None,
                        "date": None, "note": None, "url": None, "href": None})
    return out


def _share_sources(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the distinct cited sources, in order of first citation, and make each item's
    ``sources`` the indexes of its own in that list (in place: the items are this module's own).

    A source cited by a thousand legs is written once; the page joins them again.
    """
    table: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for item in items:
        refs = []
        for source in item["sources"]:
            key = json.dumps(source, sort_keys=True, ensure_ascii=False)
            if key not in index:
                index[key] = len(table)
                table.append(source)
            refs.append(index[key])
        item["sources"] = refs
    return table


def _source(source: Source, language: Language) -> dict[str, Any]:
    return {
        "id": source.id,
        "text": citation(source, language=language),
        "title": source.title,
        "publisher": source.publisher,
        "date": wording.day(source.date, language=language),
        "note": source.note,
        "url": source.url,
        "href": safe_link(source.url),
    }


# --- whole-map parts ------------------------------------------------------------------------


def _bounds(frame: Mapping[Hashable, list[np.ndarray]]) -> tuple[float, float, float, float]:
    """Return (west, south, east, north) of everything drawn, in the map's longitude frame.

    East exceeds 180 (or west falls below -180) when the data crosses the date line;
    latitudes stay within the Web Mercator band.
    """
    bounds = frame_bounds(part for parts in frame.values() for part in parts)
    return bounds if bounds is not None else (-20.0, -10.0, 20.0, 10.0)


def _transfers(scenario: Scenario, legs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one entry per transfer with legs, in scenario order (the layer list)."""
    out = []
    for t in scenario.transfers:
        mine = [leg for leg in legs if leg["transfer"] == t.id]
        if mine:
            out.append({"id": t.id, "label": t.label, "confidence": t.confidence,
                        "modes": list(dict.fromkeys(leg["mode"] for leg in mine)),
                        "legs": [leg["id"] for leg in mine]})
    return out


def _timeline(legs: list[dict[str, Any]], annotations: list[dict[str, Any]],
              language: Language) -> list[dict]:
    """Return the slider's steps, each naming the legs and annotations it shows."""
    items = [*legs, *annotations]
    periods = [(_date(i["start"]), _date(i["end"])) for i in items]
    steps = []
    for step in timeline_steps(periods, language=language):
        shown = [i["id"] for i, (s, e) in zip(items, periods, strict=False) if overlaps(step, s, e)]
        steps.append({"label": step.label, "start": step.start.isoformat(),
                      "end": step.end.isoformat(), "shown": shown})
    return steps


def _legend(legs: list[dict[str, Any]], places: list[dict[str, Any]],
            widths: WidthLegend, language: Language) -> dict[str, Any]:
    """Return which modes, confidences, line certainties and place kinds the map uses, in
    style-table order, the section titles (``PATH_LEGEND``) and the line-width rows
    (``routemap.maps.style.width_legend``, as on the slides)."""
    modes = {leg["mode"] for leg in legs}
    confidences = {leg["confidence"] for leg in legs}
    kinds = {p["kind"] for p in places}
    return {
        "modes": [m for m in MODE_STYLES if m in modes],
        "confidences": [c for c in CONFIDENCE_STYLES if c in confidences],
        # Both line certainties side by side, once any line is drawn over a band: the plain
        # row is the contrast that makes the band readable.
        "paths": list(PATH_STYLES) if any(leg["band"] for leg in legs) else [],
        # the connector row only when a leg leaves the network (maps.style.CONNECTOR_STYLE)
        "connectors": any(leg["connectors"] for leg in legs),
        "titles": {k: language.gettext(v) for k, v in PATH_LEGEND.items()},
        "places": [k for k in PLACE_STYLES if k in kinds],
        "widths": [[round(w, 2), text] for w, text in widths.rows],
    }


def _styles(language: Language) -> dict[str, Any]:
    """Return the style table (``routemap.maps.style``) as the page reads it, its labels and
    meanings in the language."""
    _ = language.gettext
    return {
        "modes": {k: {"label": _(s.label), "color": s.color, "width": s.base_width}
                  for k, s in MODE_STYLES.items()},
        "confidences": {k: {"label": _(s.label), "dash": svg_dasharray(k, 2.6),
                            "opacity": s.opacity, "meaning": _(s.meaning)}
                        for k, s in CONFIDENCE_STYLES.items()},
        "paths": {k: {"label": _(s.label), "meaning": _(s.meaning), "band": s.band_factor,
                      "opacity": s.band_opacity} for k, s in PATH_STYLES.items()},
        "places": {k: {"label": _(s.label), "shape": s.shape, "fill": s.fill, "edge": s.edge,
                       "size": s.size} for k, s in PLACE_STYLES.items()},
        "connector": {"label": _(CONNECTOR_STYLE.label), "meaning": _(CONNECTOR_STYLE.meaning),
                      "width": CONNECTOR_STYLE.width, "tick": CONNECTOR_STYLE.tick,
                      "opacity": CONNECTOR_STYLE.opacity, "casing": CONNECTOR_STYLE.casing},
        "annotation": ANNOTATION_COLOR,
        "basemap": {"sea": BASEMAP_STYLE.sea, "land": BASEMAP_STYLE.land,
                    "focus": BASEMAP_STYLE.focus_land, "coast": BASEMAP_STYLE.coast,
                    "border": BASEMAP_STYLE.border, "label": BASEMAP_STYLE.country_label,
                    "text": BASEMAP_STYLE.text, "muted": BASEMAP_STYLE.muted_text,
                    "halo": BASEMAP_STYLE.halo, "accent": BASEMAP_STYLE.accent},
    }


def _tile(tile: TileSource) -> dict[str, Any]:
    return {"name": tile.name, "url": tile.url, "attribution": tile.attribution,
            "max_zoom": tile.max_zoom, "subdomains": tile.subdomains}


def _attributions(lines: Sequence[str], language: Language) -> list[str]:
    """Return the route set's licence lines plus the basemap's, without repeats, in the map's
    language."""
    return [credit(line, language=language) for line in credit_natural_earth(lines)]


# --- parsing and coordinates ---------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    value = plain_value(value)
    return dt.date.fromisoformat(value[:10]) if value else None


def _named_in(basemap: dict[str, Any], countries: gpd.GeoDataFrame,
              world: gpd.GeoDataFrame | None, language: Language) -> dict[str, Any]:
    """Return the basemap with its country labels in the language (CLDR names by ISO code);
    English keeps Natural Earth's names, and a country CLDR does not name keeps its own."""
    if language.code == "en":
        return basemap
    codes: dict[str, str] = {}
    for frame in (world, countries):
        if frame is not None:
            codes.update(zip(frame["name"].astype(str), frame["iso2"].astype(str), strict=True))
    labels = [{**label, "name": language.country(codes.get(label["name"], "")) or label["name"]}
              for label in basemap["labels"]]
    return {**basemap, "labels": labels}


def _country(code: Any, language: Language) -> str | None:
    """Return a place's country by name in the language (CLDR), or as given if unknown."""
    if not isinstance(code, str) or not code:
        return code
    if language.code == "en":
        return code
    return language.country(code) or code
