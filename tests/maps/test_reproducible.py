"""Same input, same bytes: two builds in separate processes give byte-identical outputs.

The two processes differ in everything that must not matter: ``PYTHONHASHSEED`` (set and
dict order), the time zone, the working and output folders. ``manifest.json`` lists every
output with the sha256 and size of the file actually written.

The default test builds a small scenario with one leg of every mode on the real networks, an
annotation and every format (about 8 s). The bundled scenario takes 20 s a build; it runs
with ``ROUTEMAP_SLOW_TESTS=1``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from routemap.geo.scenario import bundled_scenario_path
from routemap.maps.options import FORMATS

EVERY_MODE = """\
version: 1
title: Every mode, every format
as_of: 2024-07-31
sources:
  - {id: src, title: A report, publisher: A publisher, url: "https://example.org/r"}
transfers:
  - id: relay
    label: Sea, rail, road and air
    cargo: containers
    quantity: {value: 300, unit: containers}
    confidence: reported
    sources: [src]
    period: {start: 2024-03-12, end: 2024-03-20}
    legs:
      - {mode: sea, from: KPNJN, to: RUVYP, carrier: Lady R}
      - {mode: rail, from: RUVYP, to: Khabarovsk}
      - {mode: road, from: Khabarovsk, to: Birobidzhan}
      - {mode: air, from: Birobidzhan, to: Pyongyang}
annotations:
  - {id: seen, text: Containers at the pier, at: RUVYP, date: 2024-03-14, transfer: relay,
     confidence: reported, sources: [src]}
"""
SLOW = pytest.mark.skipif(not os.environ.get("ROUTEMAP_SLOW_TESTS"),
                          reason="20 s a build; set ROUTEMAP_SLOW_TESTS=1")
ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "TZ": "UTC"},
    {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati"},
]


# The animation (a minute of frames) is tested for the same bytes in tests/maps/video/.
_EVERY_BUT_ANIMATION = ",".join(f for f in FORMATS if f not in {"mp4", "gif"})


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_twice(scenario: Path, tmp_path: Path) -> list[dict[str, bytes]]:
    """Build ``scenario`` in every format in two processes at once; return each folder's files."""
    processes, outs = [], []
    for i, extra in enumerate(ENVIRONMENTS):
        work = tmp_path / f"work-{i}"
        work.mkdir()
        outs.append(work / f"out-{i}")
        command = [sys.executable, "-m", "routemap", "build", str(scenario), "--out", str(outs[-1]),
                   "--formats", _EVERY_BUT_ANIMATION, "--quiet"]
        processes.append(subprocess.Popen(command, cwd=work, env={**os.environ, **extra},
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for process in processes:
        _, err = process.communicate()
        assert process.returncode == 0, err[-3000:]
    return [_files(out) for out in outs]


def _check_identical_and_listed(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"outputs differ between the two builds: {differing}"
    manifest = json.loads(first["manifest.json"])
    listed = {o["name"]: o for o in manifest["outputs"]}
    assert len(listed) == len(manifest["outputs"])
    assert set(listed) == set(first) - {"manifest.json"}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(first[name]).hexdigest(), name
        assert entry["bytes"] == len(first[name]), name
    assert {"map.html", "slide.png", "slide.svg", "slide.pdf", "briefing.pptx", "routes.geojson",
            "routes.gpkg", "routes.kml", "routes.kmz", "legs.csv"} <= set(listed)


def test_every_format_is_byte_identical_across_processes_and_hash_seeds(tmp_path):
    scenario = tmp_path / "every-mode.yaml"
    scenario.write_text(EVERY_MODE)
    first, second = _build_twice(scenario, tmp_path)
    _check_identical_and_listed(first, second)
    assert any(name.startswith("slides/relay.") for name in first)


@SLOW
@pytest.mark.network_data
def test_bundled_scenario_builds_byte_identical_across_processes_and_hash_seeds(tmp_path):
    first, second = _build_twice(bundled_scenario_path(), tmp_path)
    _check_identical_and_listed(first, second)
