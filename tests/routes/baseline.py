"""Compact records of routed legs, to hold a route set against results recorded earlier.

A leg's record keeps a hash of its coordinates rounded to 1e-9 degree (about 0.1 mm), its
vertex count, every figure of its row in the legs frame and its findings. The records of the
route sets built before batch routing (commit ea69c46, per leg) are stored in
``tests/routes/data/routed-*.json`` by running this module::

    python -m tests.routes.baseline OUT.json SCENARIO.yaml

Run it on the code to compare against (a worktree of the older commit on ``PYTHONPATH``).
Nine rail records hold the geometry routed without a contraction hierarchy (December 2026:
parallel tracks of equal length chosen differently; figures and findings unchanged).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from typing import Any

import numpy as np
import shapely

#: Columns kept as a digest of their rounded values rather than the values themselves.
_DIGESTED = ("connectors",)


def request_key(row: dict[str, Any]) -> str:
    """Return what a leg asks the router, from its record: mode, ends, vias (ids)."""
    return "|".join([row["mode"], row["from_id"], *row["via_ids"], row["to_id"]])


def _plain(value: Any) -> Any:
    """Return a value as JSON writes it: numbers rounded to 9 places, NaN as None."""
    if isinstance(value, float | np.floating):
        value = float(value)
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value


def geometry_digest(geometry: object) -> tuple[str, int]:
    """Return the SHA-256 of a geometry's coordinates rounded to 1e-9 degree, and their count."""
    coords = np.round(shapely.get_coordinates(geometry), 9) + 0.0  # + 0.0: no negative zero
    parts = [len(p.coords) for p in getattr(geometry, "geoms", [geometry])]
    digest = hashlib.sha256(np.ascontiguousarray(coords).tobytes())
    digest.update(json.dumps(parts).encode())
    return digest.hexdigest(), int(coords.shape[0])


def digest_of(value: Any) -> str:
    """Return the SHA-256 of a JSON value (already rounded by :func:`_plain`)."""
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()


def leg_records(routeset: Any) -> list[dict[str, Any]]:
    """Return one record per leg of a route set, in scenario order, with its findings."""
    findings: dict[tuple[str, int], list[list[Any]]] = {}
    for f in routeset.findings:
        findings.setdefault((f.transfer_id, f.leg_index), []).append(
            [f.level, f.code, f.message, _plain(f.value)])
    out = []
    for row in routeset.legs.to_dict("records"):
        digest, count = geometry_digest(row["geometry"])
        record = {k: _plain(v) for k, v in row.items() if k != "geometry"}
        record.update({k: digest_of(record[k]) for k in _DIGESTED})
        record.update(geometry_sha256=digest, vertices=count,
                      findings=findings.get((row["transfer_id"], row["leg_index"]), []))
        out.append(record)
    return out


def main(argv: list[str]) -> None:
    """Route a scenario and write its leg records as JSON (``OUT SCENARIO``)."""
    from routemap.geo.scenario import load_scenario
    from routemap.routes.builder import build

    out, scenario = argv
    records = leg_records(build(load_scenario(scenario)))
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False, indent=0, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
