"""Scale bench: generated scenarios of N transfers, checked and built format by format.

For each N (``--n 10,100,1000``) the bench writes ``routemap.geo.synthetic``'s scenario of N
transfers, then times fresh ``python -m routemap`` processes, as a user runs them:

1. ``check``, in a cache folder holding the networks, their indexes and the land shapes but no
   routes (links to the user's cache, every entry but its routes and its slides, which a
   build would otherwise copy instead of drawing them): ``route_s`` is the
   "routed in" it reports, legs routed from scratch. So that no N pays for building a network
   or an index (a fresh machine's cache holds only what its builds needed: the bundled
   scenario routes no road leg), one untimed ``check`` of the largest N's scenario first builds
   them in a route-less cache, and they are moved into the user's cache (``prepared_s`` in
   the JSON);
2. one warm-up ``build --formats csv`` (fills the route cache where the product has one);
3. ``check`` again: ``check_s``, warm;
4. ``build --formats F`` for each format, then ``build --formats geojson,html,gpkg,kml,csv`` (the
   issue's 1,000-transfer target: "routes and writes", so in a cache without routes, as a user's
   first build of the scenario), each with its peak memory (``wait4``) and output size. Slides
   (``png``, ``svg``, ``pdf``, ``pptx``) at 1,000 transfers run only with ``--slides-at-1000``;
   otherwise their N=100 figures are scaled by 10 and labelled "extrapolated".

In the same run, on the same legs, what a user would otherwise use (``bench/scale_baselines.py``,
each in a fresh process): searoute alone between the sea legs' endpoints (against routemap's
``check`` of a scenario of those sea legs only, same kind of cache), ``geopandas.to_file`` to
GeoJSON and GeoPackage of the rows of routemap's GeoJSON, and a plain folium map of its lines.

Every figure carries the machine's 1-minute load average when its process started. Run
``python -P bench/scale.py [--n 10,100,1000] [--formats ...] [--out DIR]``; the last line
printed is JSON.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from routemap.cache import cache_dir
from routemap.geo.model import Scenario
from routemap.geo.scenario import load_scenario
from routemap.geo.synthetic import write_synthetic_scenario

FORMATS = ("geojson", "gpkg", "kml", "csv", "html", "png", "pdf", "pptx")
SLIDE_FORMATS = frozenset({"png", "svg", "pdf", "pptx"})
COMBINED = "geojson,html,gpkg,kml,csv"
TARGETS = {"route_s_1000": 15.0, "combined_s_1000": 40.0, "combined_rss_mb_1000": 2048.0,
           "map_html_mb_1000": 10.0, "check_s_10": 2.0}
BASELINES = Path(__file__).with_name("scale_baselines.py")
#: Cache entries a build stores of its own scenario (routes, slides; and hidden files): never
#: linked into an N's cache, never moved into the user's.
SCENARIO_ENTRIES = ("routes", "slides", ".")


def _build_bench():
    """Return bench/build.py as a module (run with ``-P``, bench/ is not on the path)."""
    spec = importlib.util.spec_from_file_location("_bench_build", Path(__file__).with_name("build.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_BUILD_BENCH = _build_bench()
#: Progress lines to per-stage seconds, as bench/build.py reads them.
_stages = _BUILD_BENCH._stages
#: One child process run to its end: wall seconds, status, peak MiB and timed stderr lines.
_run_measured = _BUILD_BENCH.run_measured


def run(command: list[str], cache: Path, stdout: Path) -> dict:
    """Run one process with ``cache`` as its cache folder; return its figures.

    Returns
    -------
    dict
        ``wall_s``, ``peak_rss_mb``, ``status``, ``load`` (1-minute load average at the start),
        ``stderr`` (timestamped lines) and ``stdout_lines``.
    """
    env = {**os.environ, "ROUTEMAP_CACHE_DIR": str(cache)}
    load = os.getloadavg()[0]
    with stdout.open("w", encoding="utf-8") as out:
        wall, status, peak_mb, lines = _run_measured(command, env, stdout=out)
    with stdout.open(encoding="utf-8", errors="replace") as out:
        count = sum(1 for _ in out)
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(peak_mb, 1), "status": status,
            "load": round(load, 2), "stderr": lines, "stdout_lines": count}


def routed_in(result: dict) -> float | None:
    """Return the seconds a ``routed in X s`` progress line reports, if any."""
    for _, text in result["stderr"]:
        if text.startswith("routed in "):
            return float(text.split()[2].replace(",", ""))
    return None


def routeless_cache(base: Path, target: Path) -> Path:
    """Make ``target`` a cache folder linking every entry of ``base`` but its route cache and
    its slide cache (what a build of a scenario stores of its own: the figures are of routing
    and drawing it, as a first build does)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for entry in sorted(base.iterdir()) if base.is_dir() else []:
        if not entry.name.startswith(SCENARIO_ENTRIES):
            (target / entry.name).symlink_to(entry.resolve())
    return target


def _routemap(*args: str) -> list[str]:
    return [sys.executable, "-m", "routemap", *args]


def _failed(result: dict, what: str) -> None:
    if result["status"] != 0:
        tail = "\n".join(text for _, text in result["stderr"][-15:])
        raise RuntimeError(f"{what} failed with status {result['status']}:\n{tail}")


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def time_build(scenario: Path, formats: str, out: Path, cache: Path) -> dict:
    """Build ``formats`` into a fresh folder; return time, memory, stages and sizes."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    result = run(_routemap("build", str(scenario), "--out", str(out), "--formats", formats),
                 cache, out.with_suffix(".log"))
    _failed(result, f"build --formats {formats}")
    files = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    return {"wall_s": result["wall_s"], "peak_rss_mb": result["peak_rss_mb"],
            "load": result["load"], "bytes": _size(out), "files": files,
            "stages": _stages(result["stderr"], result["wall_s"])}


def sea_only_scenario(loaded: Scenario, target: Path) -> list[list[list[float]]]:
    """Write a scenario of the sea legs of ``loaded`` only; return their endpoints (lon, lat)."""
    legs = [leg for t in loaded.transfers for leg in t.legs if leg.mode == "sea"]
    lines = ["version: 1", "title: Sea legs only", "sources:",
             "  - {id: syn, title: Synthetic source (fictitious), publisher: Synthetic test data}",
             "transfers:"]
    pairs = []
    for i, leg in enumerate(legs, 1):
        a, b = leg.origin, leg.destination
        lines.append(f"  - {{id: s{i}, label: Sea leg {i}, confidence: reported, sources: [syn], "
                     f"legs: [{{mode: sea, from: {{lat: {a.lat}, lon: {a.lon}}}, "
                     f"to: {{lat: {b.lat}, lon: {b.lon}}}}}]}}")
        pairs.append([[a.lon, a.lat], [b.lon, b.lat]])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pairs


def baseline(kind: str, *args: str | Path) -> dict:
    """Run one of ``bench/scale_baselines.py``'s baselines in a fresh process."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-P", str(BASELINES), kind, *map(str, args)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"baseline {kind} failed:\n{done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "wall_s": round(time.perf_counter() - start, 2), "load": round(load, 2)}


def prepare_networks(args: argparse.Namespace) -> float:
    """Build, into the base cache, every network and index the generated scenarios route on.

    One ``check`` of the largest N's scenario in a route-less copy of the base cache; what it
    built there but routes (networks, routing indexes, land shapes) is moved into the base
    cache, where each N's cache links it. Returns the check's wall seconds.
    """
    root = args.out / "prepare"
    root.mkdir(parents=True, exist_ok=True)
    scenario = write_synthetic_scenario(root / "scenario.yaml", max(args.n), seed=args.seed)
    args.base_cache.mkdir(parents=True, exist_ok=True)
    cache = routeless_cache(args.base_cache, root / "cache")
    result = run(_routemap("check", str(scenario)), cache, root / "check.txt")
    _failed(result, "preparing the networks (check)")
    for entry in sorted(cache.iterdir()):
        built = not entry.is_symlink() and not entry.name.startswith(SCENARIO_ENTRIES)
        if built and not (args.base_cache / entry.name).exists():
            shutil.move(str(entry), args.base_cache / entry.name)
    return result["wall_s"]


def bench_n(n: int, args: argparse.Namespace, earlier: dict) -> dict:
    """Run every measurement for one N; ``earlier`` holds the smaller Ns' results."""
    root = args.out / f"n{n}"
    root.mkdir(parents=True, exist_ok=True)
    scenario = write_synthetic_scenario(root / "scenario.yaml", n, seed=args.seed)
    loaded = load_scenario(scenario)
    cache = routeless_cache(args.base_cache, root / "cache")
    log = print if args.verbose else (lambda *a, **k: None)

    log(f"N={n}: check (no route cache)")
    first = run(_routemap("check", str(scenario)), cache, root / "check-first.txt")
    _failed(first, "check")
    warmup = {"wall_s": None}
    if not args.no_warmup:
        log(f"N={n}: warm-up build")
        warmup = time_build(scenario, "csv", root / "warmup", cache)
    second = first
    if not args.no_warm_check:
        second = run(_routemap("check", str(scenario)), cache, root / "check.txt")
        _failed(second, "check")
    result: dict = {
        "n": n, "legs": sum(len(t.legs) for t in loaded.transfers), "scenario_bytes": scenario.stat().st_size,
        "route_s": routed_in(first), "check_first_s": first["wall_s"],
        "check_s": second["wall_s"], "check_route_s": routed_in(second),
        "check_warm_measured": second is not first,
        "check_lines": second["stdout_lines"], "check_rss_mb": second["peak_rss_mb"],
        "check_load": second["load"], "warmup_s": warmup["wall_s"], "formats": {},
    }
    save = root / "result.json"  # after each step: a run stopped early keeps what it measured
    save.write_text(json.dumps(_summary(result)), encoding="utf-8")
    log(f"N={n}: build --formats {COMBINED} (no route cache)")
    result["combined"] = time_build(scenario, COMBINED, root / "combined",
                                    routeless_cache(args.base_cache, root / "cache-combined"))
    try:
        result["baselines"] = _baselines(loaded, root, args, result)
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        result["baselines"] = {"error": str(exc)[-500:]}
    save.write_text(json.dumps(_summary(result)), encoding="utf-8")
    for fmt in sorted(args.formats, key=lambda f: f in SLIDE_FORMATS):  # slides last: longest
        if fmt in SLIDE_FORMATS and n >= 1000 and not args.slides_at_1000:
            small = earlier.get(100, {}).get("formats", {}).get(fmt)
            if small is not None:
                result["formats"][fmt] = {"wall_s": round(small["wall_s"] * n / 100, 1),
                                          "extrapolated": "from N=100, times N/100"}
            continue
        log(f"N={n}: build --formats {fmt}")
        result["formats"][fmt] = time_build(scenario, fmt, root / fmt, cache)
        save.write_text(json.dumps(_summary(result)), encoding="utf-8")
    return result


def _baselines(loaded: Scenario, root: Path, args: argparse.Namespace, result: dict) -> dict:
    """Time searoute, geopandas and folium on the same legs; with routemap's figures beside."""
    out: dict = {}
    pairs_path = root / "sea-pairs.json"
    pairs = sea_only_scenario(loaded, root / "sea-only.yaml")
    pairs_path.write_text(json.dumps(pairs), encoding="utf-8")
    if pairs:
        ours = run(_routemap("check", str(root / "sea-only.yaml")),
                   routeless_cache(args.base_cache, root / "cache-sea"), root / "sea-check.txt")
        _failed(ours, "check of the sea legs")
        theirs = baseline("searoute", pairs_path)
        ours_s = routed_in(ours)
        out["searoute"] = {**theirs, "routemap_route_s": ours_s,
                           "ratio": _ratio(ours_s, theirs["route_s"])}
    geojson = root / "combined" / "routes.geojson"
    if geojson.exists():
        gpd = baseline("gpd", geojson, root / "baselines")
        stages = result["combined"]["stages"]
        out["geopandas"] = {**gpd, **{
            f"ratio_{fmt}_render": _ratio(stages.get(f"render {_product(fmt)}"), gpd[f"{fmt}_s"])
            for fmt in ("geojson", "gpkg")}}
        fol = baseline("folium", geojson, root / "baselines")
        html = result["combined"]["files"].get("map.html")
        html_stage = stages.get("render map.html")
        out["folium"] = {**fol, "routemap_bytes": html, "ratio_bytes": _ratio(html, fol["bytes"]),
                         "ratio_render": _ratio(html_stage, fol["write_s"])}
    return out


def _product(fmt: str) -> str:
    return {"geojson": "routes.geojson", "gpkg": "routes.gpkg"}[fmt]


def _ratio(ours: float | None, theirs: float | None) -> float | None:
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 2)


def table(results: list[dict]) -> str:
    """Return results (as :func:`_summary` keeps them) as a readable table, one column per N."""
    ns = [r["n"] for r in results]
    rows: list[tuple[str, list[str]]] = []

    def add(label: str, value) -> None:
        rows.append((label, [value(r) for r in results]))

    def fmt_s(x: float | None) -> str:
        return "-" if x is None else f"{x:,.1f} s"

    add("legs; scenario (YAML)", lambda r: f"{r['legs']:,}; {r['scenario_bytes'] / 1e3:,.0f} kB")
    add("route_s (check, no route cache)", lambda r: fmt_s(r["route_s"]))
    add("check, first (s)", lambda r: fmt_s(r["check_first_s"]))
    add("check, warm (s)", lambda r: fmt_s(r["check_s"]) + f" @{r['check_load']}"
        + ("" if r.get("check_warm_measured", True) else " (= first)"))
    add("check lines printed", lambda r: f"{r['check_lines']:,}")
    for fmt in sorted({f for r in results for f in r["formats"]}, key=[*FORMATS, "svg"].index):
        def cell(r, fmt=fmt) -> str:
            one = r["formats"].get(fmt)
            if one is None:
                return "-"
            if "extrapolated" in one:
                return f"~{one['wall_s']:,.0f} s (extrapolated)"
            return (f"{one['wall_s']:,.1f} s {one['peak_rss_mb']:,.0f} MB "
                    f"{one['bytes'] / 1e6:,.1f} MB @{one['load']}")
        add(f"build {fmt}", cell)
    add(f"build {COMBINED} (routes uncached)", lambda r: "-" if r["combined"]["wall_s"] is None
        else (f"{r['combined']['wall_s']:,.1f} s {r['combined']['peak_rss_mb']:,.0f} MB "
              f"@{r['combined']['load']}"))
    add("map.html", lambda r: f"{(r['combined']['map_html_bytes'] or 0) / 1e6:,.2f} MB")
    add("sea legs: searoute / routemap (x)", lambda r: _pair(r, "searoute", "route_s",
                                                             "routemap_route_s", "ratio"))
    add("gpd.to_file geojson (routemap render x)", lambda r: _pair(r, "geopandas", "geojson_s", None,
                                                              "ratio_geojson_render"))
    add("gpd.to_file gpkg (routemap render x)", lambda r: _pair(r, "geopandas", "gpkg_s", None,
                                                           "ratio_gpkg_render"))
    add("folium map saved (map.html bytes x)", lambda r: _pair(r, "folium", "write_s", None,
                                                            "ratio_bytes"))
    width = max(len(label) for label, _ in rows)
    cols = [max(len(f"N={n:,}"), *(len(cells[i]) for _, cells in rows)) for i, n in enumerate(ns)]
    lines = [" " * width + "  " + "  ".join(f"N={n:,}".rjust(c) for n, c in zip(ns, cols, strict=True))]
    for label, cells in rows:
        lines.append(label.ljust(width) + "  " + "  ".join(c.rjust(w) for c, w in zip(cells, cols, strict=True)))
    return "\n".join(lines)


def _pair(r: dict, name: str, theirs: str, ours: str | None, ratio: str) -> str:
    one = r["baselines"].get(name)
    if not isinstance(one, dict):
        return "-"
    text = f"{one[theirs]:,.2f} s"
    if ours is not None and one.get(ours) is not None:
        text += f" / {one[ours]:,.1f} s"
    return text + (f" (x{one[ratio]})" if one.get(ratio) is not None else "")


def _summary(r: dict) -> dict:
    """Return one N's figures for the JSON line (no stderr, no per-file listing)."""
    formats = {}
    for fmt, one in r["formats"].items():
        formats[fmt] = {k: one[k] for k in ("wall_s", "peak_rss_mb", "bytes", "load",
                                             "extrapolated", "stages") if k in one}
    combined: dict = {"wall_s": None, "peak_rss_mb": 0.0, "load": None, "map_html_bytes": None}
    if "combined" in r:
        combined = {k: r["combined"][k] for k in ("wall_s", "peak_rss_mb", "bytes", "load", "stages")}
        combined["map_html_bytes"] = r["combined"]["files"].get("map.html")
    keep = ("n", "legs", "scenario_bytes", "route_s", "check_first_s", "check_s", "check_route_s",
            "check_warm_measured",
            "check_lines", "check_rss_mb", "check_load", "warmup_s")
    return {**{k: r[k] for k in keep}, "formats": formats, "combined": combined,
            "peak_rss_mb": max([combined["peak_rss_mb"], r["check_rss_mb"],
                                *(f["peak_rss_mb"] for f in formats.values() if "peak_rss_mb" in f)]),
            "baselines": r.get("baselines", {})}


def main() -> None:
    """Run the bench for every N, print the table, then one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", default="10,100,1000", help="transfer counts, comma-separated")
    parser.add_argument("--formats", default=",".join(FORMATS),
                        help="formats built one by one ('' for none: the combined build only)")
    parser.add_argument("--out", type=Path, default=Path("scale-bench"), help="work folder (kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slides-at-1000", action="store_true",
                        help="build the slide formats at N >= 1,000 too (else extrapolated)")
    parser.add_argument("--base-cache", type=Path, default=None,
                        help="the warm cache whose networks are linked (default: routemap's)")
    parser.add_argument("--no-warmup", action="store_true",
                        help="skip the warm-up build (where routes are not cached, it only repeats "
                             "the first check's routing)")
    parser.add_argument("--no-warm-check", action="store_true",
                        help="report the first check as the warm one (where routes are not "
                             "cached the second check only repeats the first)")
    parser.add_argument("--verbose", "-v", action="store_true", help="say what runs")
    parser.add_argument("--report", type=Path, nargs="+", metavar="RESULT_JSON",
                        help="run nothing: print the table and JSON of saved results "
                             "(OUT/n<N>/result.json of earlier runs, merged)")
    args = parser.parse_args()
    if args.report:
        summaries = sorted((json.loads(p.read_text(encoding="utf-8")) for p in args.report),
                           key=lambda r: r["n"])
        print(table(summaries))
        print(json.dumps({"targets": TARGETS, "results": {str(r["n"]): r for r in summaries}}))
        return
    args.n = [int(x.replace("_", "")) for x in args.n.split(",") if x.strip()]
    args.formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    args.base_cache = args.base_cache or cache_dir()
    args.out = args.out.resolve()
    prepared_s = prepare_networks(args)
    uptime = {"start": _uptime()}
    results: dict[int, dict] = {}
    for n in sorted(args.n):
        results[n] = bench_n(n, args, results)
    uptime["end"] = _uptime()
    print(f"load: start {uptime['start']}; end {uptime['end']}")
    summaries = [_summary(r) for r in results.values()]
    print(table(summaries))
    print(json.dumps({"uptime": uptime, "targets": TARGETS, "seed": args.seed, "prepared_s": prepared_s,
                      "results": {str(r["n"]): r for r in summaries}}))


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


if __name__ == "__main__":
    main()
