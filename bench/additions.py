"""Time what a scenario's added track costs on the world rail network, beside the base network.

Joining the bundled scenario's ``network_additions`` makes a new network (its own checksum), so
its routing index is built once and cached under that checksum. This times, in one process:
joining the additions (``augment``), building the routing index of the base network and of the
augmented one from scratch (no cache), and reading the augmented index back from a disk cache.
The index builds are compared as a ratio: an addition should cost about what the base costs.

The cheaper alternative measured beside it: an index without the contraction hierarchy (chains
folded only, as road networks use), whose every query is a Dijkstra search. It builds in seconds
but routes the bundled scenario's rail legs more slowly, on every run; both give the same km.

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
    from routemap.routes import hierarchy

    base = load_rail_network()
    additions = load_scenario(bundled_scenario_path()).network_additions
    start = time.perf_counter()
    added = augment(base, additions)
    augment_s = time.perf_counter() - start
    start = time.perf_counter()
    hierarchy.build_index(base)
    base_s = time.perf_counter() - start
    start = time.perf_counter()
    hierarchy.build_index(added)
    added_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ROUTEMAP_CACHE_DIR"] = folder
        hierarchy.load_index(added)  # builds and writes
        hierarchy._INDEXES.clear()
        start = time.perf_counter()
        hierarchy.load_index(added)
        cached_s = time.perf_counter() - start
    flat = _flat_versus_hierarchy(added)
    print(json.dumps({"augment_s": round(augment_s, 2), "base_index_s": round(base_s, 1),
                      "added_index_s": round(added_s, 1), "ratio": round(added_s / base_s, 2),
                      "cached_index_s": round(cached_s, 2), "nodes_added": added.n_nodes - base.n_nodes,
                      **flat}))


def _flat_versus_hierarchy(network: object) -> dict:
    """Time the bundled rail legs on the augmented network with and without the hierarchy."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes import hierarchy
    from routemap.routes.builder import leg_request
    from routemap.routes.overland import route_leg

    scenario = load_scenario(bundled_scenario_path())
    jobs = [leg_request(t, leg, i) for t in scenario.transfers for i, leg in enumerate(t.legs)
            if leg.mode == "rail" and not leg.path]
    start = time.perf_counter()
    flat = hierarchy.build_index(network, hierarchy=False)
    flat_index_s = time.perf_counter() - start
    timings, lengths = {}, {}
    for name, index in (("flat", flat), ("hierarchy", hierarchy.build_index(network))):
        hierarchy._INDEXES[network.checksum] = index
        start = time.perf_counter()
        lengths[name] = [route_leg(job, network).distance_km for job in jobs]
        timings[name] = time.perf_counter() - start
    hierarchy._INDEXES.clear()
    worst = max(abs(a - b) for a, b in zip(lengths["flat"], lengths["hierarchy"], strict=True))
    return {"flat_index_s": round(flat_index_s, 1), "rail_legs": len(jobs),
            "flat_routing_s": round(timings["flat"], 1),
            "hierarchy_routing_s": round(timings["hierarchy"], 1), "max_km_difference": round(worst, 6)}


if __name__ == "__main__":
    main()
