"""The route sets the bench scripts draw: the bundled scenario, routed, or the tests' small
hand-made one (``tests/conftest.py``), loaded without pytest."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from routemap.routes.routeset import RouteSet


def bench_routeset(sample: bool) -> RouteSet:
    """Return the tests' sample route set when ``sample``, else the bundled scenario routed."""
    if sample:
        path = Path(__file__).resolve().parents[1] / "tests" / "conftest.py"
        spec = importlib.util.spec_from_file_location("_bench_conftest", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module._sample_routeset()
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes.builder import build

    return build(load_scenario(bundled_scenario_path()))
