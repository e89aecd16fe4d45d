"""RFC 7946 GeoJSON of a RouteSet: one Feature per leg, place and annotation, one per line."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from routemap.maps.citations import credit
from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.observed import observed_records
from routemap.maps.records import FeatureRecord, geometry_members, shared_records
from routemap.routes.routeset import RouteSet

__all__ = ["render_geojson"]


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _geojson_geometry(geom: BaseGeometry) -> dict[str, Any]:
    """Return a GeoJSON geometry object (lists, not tuples)."""
    gtype = geom.geom_type
    if gtype == "Point":
        coords: Any = list(geom.coords[0])
    elif gtype in ("LineString", "MultiPoint"):
        coords = [list(c) for g in geometry_members(geom) for c in g.coords]
    elif gtype == "MultiLineString":
        coords = [[list(c) for c in line.coords] for line in geom.geoms]
    elif gtype == "Polygon":
        coords = _rings(geom)
    else:
        coords = [_rings(p) for p in geom.geoms]
    return {"type": gtype, "coordinates": coords}


def _rings(poly: Polygon) -> list[list[list[float]]]:
    rings = [poly.exterior, *poly.interiors]
    return [[list(c) for c in ring.coords] for ring in rings]


def _geojson_feature(record: FeatureRecord) -> str:
    return _json({
        "type": "Feature",
        "id": record.feature_id,
        "geometry": _geojson_geometry(record.geometry),
        "properties": record.properties,
    })


def render_geojson(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE) -> bytes:
    """Render a route set as an RFC 7946 GeoJSON FeatureCollection.

    One Feature per leg, place and annotation (in that order), then, when the scenario has
    observations, per observed track, dark gap, port call and encounter; ``id`` = ``feature_id``,
    properties as in ``routemap.routes.schema``; WGS 84 lon/lat with at most 6 decimals and no ``crs``
    member; lines split at the antimeridian. Foreign members: ``name`` (the scenario title),
    ``language`` (the output language's code) and ``attribution`` (the route set's
    attribution lines). One feature per line, so that successive versions diff well.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified (its texts as they are: see ``RouteSet.in_language``).
    language : str
        The output language's code: property names and codes stay English; the text values
        the tool writes (``quantity_text``) are in this language.

    Returns
    -------
    bytes
        UTF-8 JSON ending in a newline, identical for identical input.
    """
    groups = shared_records(routeset, language=load_language(language), connectors=False)
    groups.update(observed_records(routeset, language=load_language(language)))
    features = [_geojson_feature(r) for recs in groups.values() for r in recs]
    head = _json({
        "type": "FeatureCollection",
        "name": routeset.scenario.title,
        "language": language,
        "attribution": [credit(a, language=load_language(language)) for a in routeset.attributions],
    })
    body = ",\n".join(features)
    text = head[:-1] + ',"features":[\n' + body + ("\n" if body else "") + "]}\n"
    return text.encode("utf-8")
