"""Time what a scenario's added track costs on the world rail network, beside the base network.

Joining the bundled scenario's ``network_additions`` makes a new network (its own checksum), so
its routing index is built once and cached under that checksum. This times, in one process:
joining the additions (``augment``), building the routing index of the base network and of the
augmented one from scratch (no cache), and reading the augmented index back from a disk cache.
The index builds are compared as a ratio: an addition should cost about what the base costs.

Beside them: the bundled scenario's rail legs routed on the augmented network (each leg a
Dijkstra search on the junction graph; the index holds no contraction hierarchy since December
2026, when building one took 10-12 s per network variant against about 1 s now).

Run ``python -P bench/additions.py``. The last line printed is JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import time


def main() -> None:
    """Print the timings as JSON."""
    from routemap.geo.additions import augment
    from routemap.geo.network import load_rail_network
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes import junctions

    base = load_rail_network()
    additions = load_scenario(bundled_scenario_path()).network_additions
    start = time.perf_counter()
    added = augment(base, additions)
    augment_s = time.perf_counter() - start
    start = time.perf_counter()
    junctions.build_index(base)
    base_s = time.perf_counter() - start
    start = time.perf_counter()
    junctions.build_index(added)
    added_s = time.perf_counter() - start
    before = os.environ.get("ROUTEMAP_CACHE_DIR")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ROUTEMAP_CACHE_DIR"] = folder
        junctions.load_index(added)  # builds and writes
        junctions._INDEXES.clear()
        start = time.perf_counter()
        junctions.load_index(added)
        cached_s = time.perf_counter() - start
    if before is None:
        os.environ.pop("ROUTEMAP_CACHE_DIR")
    else:
        os.environ["ROUTEMAP_CACHE_DIR"] = before
    legs = _rail_legs(added)
    print(json.dumps({"augment_s": round(augment_s, 2), "base_index_s": round(base_s, 2),
                      "added_index_s": round(added_s, 2), "ratio": round(added_s / base_s, 2),
                      "cached_index_s": round(cached_s, 2), "nodes_added": added.n_nodes - base.n_nodes,
                      **legs}))


def _rail_legs(network: object) -> dict:
    """Time the bundled scenario's rail legs routed on the augmented network (index in memory)."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes import junctions
    from routemap.routes.builder import leg_request
    from routemap.routes.overland import route_leg

    scenario = load_scenario(bundled_scenario_path())
    jobs = [leg_request(t, leg, i) for t in scenario.transfers for i, leg in enumerate(t.legs)
            if leg.mode == "rail" and not leg.path]
    junctions.load_index(network)
    start = time.perf_counter()
    km = [route_leg(job, network).distance_km for job in jobs]
    routing_s = time.perf_counter() - start
    return {"rail_legs": len(jobs), "rail_routing_s": round(routing_s, 2),
            "rail_km": round(float(sum(km)), 1)}
