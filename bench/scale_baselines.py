"""What a user would otherwise run on the same legs, each timed in its own process.

``bench/scale.py`` runs this script once per baseline, as a fresh process, and reads its last
line (JSON):

- ``searoute PAIRS.json``: searoute alone between the same sea-leg endpoints (``[[lon, lat],
  [lon, lat]]`` per leg); ``route_s`` is the routing loop, ``wall`` the process;
- ``gpd ROUTES.geojson OUTDIR``: routemap's GeoJSON read back with geopandas and written with
  ``GeoDataFrame.to_file`` to GeoJSON; every layer of routemap's ``routes.gpkg`` (beside it) read
  back and written with ``to_file`` into one GeoPackage: the same rows and columns, the same
  engine (pyogrio); each timed (wall seconds, as the build's stages), with the files' sizes;
- ``folium ROUTES.geojson OUTDIR``: a plain folium map with one polyline per line of the same
  GeoJSON, built and saved (timed), with the file's size.

Run ``python -P bench/scale_baselines.py KIND ARGS...``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def searoute_pairs(pairs_path: Path) -> dict:
    """Route every pair with searoute alone; return the time and the number routed."""
    import searoute

    pairs = json.loads(pairs_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    km = 0.0
    for origin, destination in pairs:
        km += float(searoute.searoute(origin, destination, units="km").properties["length"])
    return {"route_s": round(time.perf_counter() - start, 3), "legs": len(pairs), "km": round(km)}


def geopandas_files(geojson: Path, out: Path) -> dict:
    """Time ``to_file`` on the rows routemap wrote: GeoJSON from its GeoJSON, GeoPackage from its
    GeoPackage (``routes.gpkg`` beside it), layer by layer.

    The same rows and columns as routemap's files, through the same engine (pyogrio, GDAL):
    the GeoJSON's features as one layer; each layer of the GeoPackage read back and written
    into one new GeoPackage (``to_file`` for the feature layers, ``pyogrio.write_dataframe``,
    which ``to_file`` calls, for the attribute-only tables it cannot take).
    """
    import geopandas as gpd
    import pyogrio

    out.mkdir(parents=True, exist_ok=True)
    frame = gpd.read_file(geojson, engine="pyogrio")
    result: dict[str, float | int | str | dict] = {"rows": len(frame), "engine": "pyogrio"}
    target = out / "gpd.geojson"
    start = time.perf_counter()
    frame.to_file(target, driver="GeoJSON", engine="pyogrio")
    result["geojson_s"] = round(time.perf_counter() - start, 3)
    result["geojson_bytes"] = target.stat().st_size
    source = geojson.with_name("routes.gpkg")
    if source.exists():
        layers = {name: gpd.read_file(source, layer=name, engine="pyogrio")
                  for name, _ in pyogrio.list_layers(source)}
        target = out / "gpd.gpkg"
        start = time.perf_counter()
        for name, layer in layers.items():
            if isinstance(layer, gpd.GeoDataFrame):
                layer.to_file(target, layer=name, driver="GPKG", engine="pyogrio")
            else:
                pyogrio.write_dataframe(layer, target, layer=name, driver="GPKG")
        result["gpkg_s"] = round(time.perf_counter() - start, 3)
        result["gpkg_bytes"] = target.stat().st_size
        result["gpkg_rows"] = {name: len(layer) for name, layer in layers.items()}
    return result


def folium_map(geojson: Path, out: Path) -> dict:
    """Draw every line of the GeoJSON as a folium polyline; time the build and the save."""
    import folium

    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    start = time.perf_counter()
    fmap = folium.Map(location=[45, 60], zoom_start=3, tiles="OpenStreetMap")
    lines = 0
    for feature in features:
        geometry = feature.get("geometry") or {}
        parts = {"LineString": [geometry.get("coordinates")],
                 "MultiLineString": geometry.get("coordinates")}.get(geometry.get("type"), [])
        for part in parts:
            folium.PolyLine([(lat, lon) for lon, lat, *_ in part], weight=2).add_to(fmap)
            lines += 1
    out.mkdir(parents=True, exist_ok=True)
    target = out / "folium.html"
    fmap.save(str(target))
    return {"write_s": round(time.perf_counter() - start, 3), "lines": lines,
            "bytes": target.stat().st_size}


def main() -> None:
    """Run one baseline and print its figures as one JSON line."""
    kind, *args = sys.argv[1:]
    if kind == "searoute":
        result = searoute_pairs(Path(args[0]))
    elif kind == "gpd":
        result = geopandas_files(Path(args[0]), Path(args[1]))
    elif kind == "folium":
        result = folium_map(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown baseline {kind!r}: searoute, gpd or folium")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
