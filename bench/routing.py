"""Benchmark: routemap's rail router against osmnx and scgraph on the same world rail graph.

Run ``python bench/routing.py [--pairs N] [--osmnx-pairs N]``. Every method routes the same
seeded origin-destination pairs (nodes of the main component inside Eurasia) on the same graph:
the cached ``world_railways`` network (healed gaps included), handed to osmnx as a MultiDiGraph
and to scgraph as its list-of-dicts graph. Path lengths must agree within 0.1 %. Loading time,
peak memory and a 10,000-pair run (timed on 1,000 pairs and scaled: each pair is its own
search) are measured in a fresh child process, so the osmnx and
scgraph graphs do not count against routemap. The last line printed is a JSON object.

``python bench/routing.py --transfers 1000`` times instead a whole scenario routed in batch
(``routemap.routes.build``): a generated scenario (``routemap.geo.synthetic``) of N transfers,
routed in a fresh process with the networks' caches warm and an empty route cache, then again
in another process from the route cache it filled. Wall and CPU seconds, peak memory and the
machine's load are printed for both; the issue's target is 15 s for 1,000 transfers. The water
grids' land tiles kept in the cache folder are used as they are (the first run on a machine
fills them); ``ROUTEMAP_TILE_CACHE=off`` times their rasterising too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("bench.routing")

EURASIA = {"lon": (-10.0, 180.0), "lat": (0.0, 75.0)}
SEED = 20240901


def eurasian_pairs(network, index, count: int, seed: int) -> list[tuple[int, int]]:
    """Return ``count`` seeded node pairs from the main component, both ends inside Eurasia."""
    component = index.node_component()
    main = np.bincount(component).argmax()
    inside = (
        (component == main)
        & (network.lon >= EURASIA["lon"][0]) & (network.lon <= EURASIA["lon"][1])
        & (network.lat >= EURASIA["lat"][0]) & (network.lat <= EURASIA["lat"][1])
    )
    nodes = np.flatnonzero(inside)
    rng = np.random.default_rng(seed)
    return [(int(a), int(b)) for a, b in rng.choice(nodes, size=(count, 2))]


def timed(fn, pairs):
    """Return (lengths, milliseconds) of ``fn(source, target) -> km`` over pairs."""
    lengths, ms = [], []
    for s, t in pairs:
        start = time.perf_counter()
        lengths.append(fn(s, t))
        ms.append((time.perf_counter() - start) * 1000.0)
    return np.array(lengths), np.array(ms)


def child(pairs_count: int) -> dict:
    """Measure load time from the cache, 10,000 pairs (1,000 timed, scaled) and peak RSS (fresh process)."""
    from routemap.geo.network import load_rail_network
    from routemap.routes import graph, junctions

    start = time.perf_counter()
    network = load_rail_network()
    index = junctions.load_index(network)
    vladivostok = graph.snap(network, 131.88, 43.11).node  # builds the node index too
    graph.shortest_path(network, vladivostok, graph.snap(network, 40.13, 45.85).node)
    graph.snap_to_edge(network, 131.88, 43.11)  # and the edge segment index
    load_s = time.perf_counter() - start
    pairs = eurasian_pairs(network, index, 1_000, SEED + 1)
    start = time.perf_counter()
    for s, t in pairs:
        graph.shortest_path(network, s, t)
    pairs_10k_s = (time.perf_counter() - start) * 10_000 / len(pairs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"load_s": round(load_s, 3), "pairs_10k_s": round(pairs_10k_s, 2),
            "peak_rss_mb": round(peak, 1)}


def stop_points(network, pairs, seed: int) -> list[tuple[tuple[float, float], ...]]:
    """Return a stop near each pair's nodes: up to 0.05 degrees off, as places usually are."""
    rng = np.random.default_rng(seed)
    out = []
    for s, t in pairs:
        ds, dt = rng.uniform(-0.05, 0.05, (2, 2))
        out.append(((network.lon[s] + ds[0], network.lat[s] + ds[1]),
                    (network.lon[t] + dt[0], network.lat[t] + dt[1])))
    return out


def time_legs(network, points) -> dict[str, float]:
    """Time whole legs from stop points, joining at the nearest node and at the nearest edge.

    Returns the medians in ms and how much longer legs joined at nodes are (median km).
    """
    from routemap.errors import UnroutableLegError
    from routemap.routes import graph

    def by_node(a, b):
        sa, sb = graph.snap(network, *a), graph.snap(network, *b)
        try:
            return graph.shortest_path(network, sa.node, sb.node).km + sa.km + sb.km
        except UnroutableLegError:  # a stop nearer a piece of track that joins nothing
            return np.nan

    def by_edge(a, b):
        sa, sb = graph.snap_to_edge(network, *a), graph.snap_to_edge(network, *b)
        try:
            return graph.path_between(network, sa, sb).km + sa.km + sb.km
        except UnroutableLegError:
            return np.nan

    node_km, node_ms = timed(by_node, points)
    edge_km, edge_ms = timed(by_edge, points)
    both = np.isfinite(node_km) & np.isfinite(edge_km)
    return {"leg_ms_node_snap": float(np.median(node_ms)),
            "leg_ms_edge_snap": float(np.median(edge_ms)),
            "edge_over_node_time": float(np.median(edge_ms) / np.median(node_ms)),
            "node_minus_edge_km_median": float(np.median(node_km[both] - edge_km[both])),
            "legs_compared": int(both.sum())}


def scgraph_lists(network) -> list[dict[int, float]]:
    """Return the network as scgraph's graph: one ``{neighbour: km}`` dict per node."""
    out = []
    indptr, indices, weights = network.indptr, network.indices.tolist(), network.weights.tolist()
    for i in range(network.n_nodes):
        lo, hi = int(indptr[i]), int(indptr[i + 1])
        out.append(dict(zip(indices[lo:hi], weights[lo:hi], strict=False)))
    return out


def haversine_heuristic(network):
    """Return a great-circle heuristic (km, scaled 0.99 to stay admissible on rounded nodes)."""
    lat = np.radians(network.lat).tolist()
    lon = np.radians(network.lon).tolist()

    def heuristic(a: int, b: int) -> float:
        dlat, dlon = lat[b] - lat[a], lon[b] - lon[a]
        h = math.sin(dlat / 2) ** 2 + math.cos(lat[a]) * math.cos(lat[b]) * math.sin(dlon / 2) ** 2
        return 0.99 * 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))

    return heuristic


def compare(name: str, reference: np.ndarray, lengths: np.ndarray) -> int:
    """Print and return how many lengths disagree with the reference by more than 0.1 %."""
    bad = int(np.sum(np.abs(lengths - reference[: lengths.size]) > 1e-3 * reference[: lengths.size]))
    print(f"  {name}: {bad} of {lengths.size} lengths differ by more than 0.1 %")
    return bad


def time_scgraph(network, pairs, ours: np.ndarray) -> tuple[dict[str, float], int]:
    """Time scgraph's search methods that need no preprocessing; return medians, mismatches."""
    from scgraph.graph import Graph

    lists = scgraph_lists(network)
    heuristic = haversine_heuristic(network)
    methods = {
        "dijkstra_makowski": lambda s, t: Graph.dijkstra_makowski(lists, s, t)["length"],
        "a_star (haversine)": lambda s, t: Graph.a_star(lists, s, t, heuristic)["length"],
    }
    medians, mismatches = {}, 0
    for name, fn in methods.items():
        lengths, ms = timed(fn, pairs)
        medians[name] = float(np.median(ms))
        print(f"scgraph {name}: median {medians[name]:.2f} ms")
        mismatches += compare(f"scgraph {name}", ours, lengths)
    print("  (scgraph 2.15 has no contraction hierarchies; Graph.dijkstra scans all nodes per "
          "step and bmssp needs the optional bmsspy package, so neither is timed)")
    return medians, mismatches


def time_osmnx(network, pairs, ours: np.ndarray) -> tuple[float, int]:
    """Time ``osmnx.routing.shortest_path`` on the network as a MultiDiGraph."""
    import osmnx as ox

    from routemap.routes.osm import to_multidigraph

    multigraph = to_multidigraph(network)

    def osmnx_km(s: int, t: int) -> float:
        path = ox.routing.shortest_path(multigraph, s, t, weight="length")
        return sum(multigraph.edges[a, b, 0]["length"] for a, b in itertools.pairwise(path)) / 1000

    lengths, ms = timed(osmnx_km, pairs)
    median = float(np.median(ms))
    print(f"osmnx.routing.shortest_path: median {median:.1f} ms ({len(pairs)} pairs)")
    return median, compare("osmnx", ours, lengths)


def batch_child(scenario: str, cache: str) -> dict:
    """Route a scenario file in this process with a route cache folder; wall, CPU and memory."""
    from routemap.geo.scenario import load_scenario
    from routemap.routes.builder import build
    from routemap.routes.routecache import RouteCache

    loaded = load_scenario(scenario)
    wall, cpu = time.perf_counter(), time.process_time()
    routeset = build(loaded, cache=RouteCache(Path(cache)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"route_s": round(time.perf_counter() - wall, 2), "route_cpu_s": round(time.process_time() - cpu, 2),
            "legs": len(routeset.legs), "peak_rss_mb": round(peak, 1)}


def batch(transfers: int, seed: int) -> dict:
    """Route a generated scenario twice in fresh processes: an empty route cache, then a full one."""
    import os
    import tempfile

    from routemap.geo.synthetic import write_synthetic_scenario

    with tempfile.TemporaryDirectory() as folder:
        scenario = write_synthetic_scenario(f"{folder}/scenario.yaml", transfers, seed=seed)
        out: dict = {"transfers": transfers}
        for run in ("first", "cached"):
            load = os.getloadavg()[0]
            done = subprocess.run([sys.executable, __file__, "--batch-child", str(scenario), f"{folder}/routes"],
                                  check=True, capture_output=True, text=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["load_1min"] = round((load + os.getloadavg()[0]) / 2, 1)
            out[run] = result
            print(f"{run:>6}: {result['legs']} legs routed in {result['route_s']} s wall, "
                  f"{result['route_cpu_s']} s CPU, peak {result['peak_rss_mb']} MB, load {result['load_1min']}")
    out["target_s"] = 15.0 if transfers >= 1000 else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=120)
    parser.add_argument("--osmnx-pairs", type=int, default=120)
    parser.add_argument("--transfers", type=int, help="route a generated scenario of N transfers in batch")
    parser.add_argument("--seed", type=int, default=0, help="the generated scenario's seed (default 0)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--batch-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.pairs)))
        return
    if args.batch_child:
        print(json.dumps(batch_child(*args.batch_child)))
        return
    if args.transfers:
        print(json.dumps(batch(args.transfers, args.seed)))
        return

    from routemap.geo.network import load_rail_network
    from routemap.routes import graph, junctions

    network = load_rail_network()  # builds the caches if needed, outside every timing
    index = junctions.load_index(network)
    out = subprocess.run([sys.executable, __file__, "--child"], check=True,
                         capture_output=True, text=True)
    fresh = json.loads(out.stdout.strip().splitlines()[-1])
    pairs = eurasian_pairs(network, index, args.pairs, SEED)
    print(f"{len(pairs)} seeded pairs across Eurasia on {network.label}: "
          f"{network.n_nodes:,} nodes, {network.n_edges:,} edges")
    ours, ours_ms = timed(lambda s, t: graph.shortest_path(network, s, t).km, pairs)
    print(f"routemap (Dijkstra on the junction graph): median {np.median(ours_ms):.3f} ms")
    legs = time_legs(network, stop_points(network, pairs, SEED + 2))
    print(f"whole legs from stop points: joined at the nearest node {legs['leg_ms_node_snap']:.3f} ms, "
          f"at the nearest edge {legs['leg_ms_edge_snap']:.3f} ms "
          f"({legs['edge_over_node_time']:.2f}x); node joins longer by "
          f"{legs['node_minus_edge_km_median']:.2f} km (median)")
    scgraph_medians, bad_scgraph = time_scgraph(network, pairs, ours)
    osmnx_median, bad_osmnx = time_osmnx(network, pairs[: args.osmnx_pairs], ours)
    fastest = min(scgraph_medians, key=scgraph_medians.get)
    results = {
        "query_ms_median": float(np.median(ours_ms)),
        "osmnx_query_ms_median": osmnx_median,
        "scgraph_query_ms_median": scgraph_medians[fastest],
        "scgraph_method": fastest,
        "speedup_vs_osmnx": osmnx_median / float(np.median(ours_ms)),
        "speedup_vs_scgraph": scgraph_medians[fastest] / float(np.median(ours_ms)),
        **legs,
        **fresh,
        "pairs": len(pairs),
        "length_mismatches": bad_scgraph + bad_osmnx,
    }
    print(f"ratios: {results['speedup_vs_osmnx']:.0f}x faster than osmnx, "
          f"{results['speedup_vs_scgraph']:.1f}x faster than scgraph {fastest}")
    print(f"fresh process: ready to route in {fresh['load_s']} s from the cache, "
          f"10,000 pairs in {fresh['pairs_10k_s']} s, peak RSS {fresh['peak_rss_mb']} MB")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in results.items()}))


if __name__ == "__main__":
    main()
