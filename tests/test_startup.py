"""Start-up: the commands that draw nothing never load the drawing libraries.

Each command runs in a fresh interpreter, which then lists the modules it imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DRAWING = ("matplotlib", "folium", "pptx", "branca", "jinja2", "PIL")


PROBE = """\
import contextlib, io, json, sys
from routemap.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split('.')[0] for m in sys.modules})}))
"""


def _modules_after(*argv: str, cwd: Path) -> tuple[int, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["places", "najin"], ["check", "flight.yaml"]],
                         ids=["help", "build-help", "places", "check"])
def test_commands_that_draw_nothing_do_not_import_drawing_libraries(argv, tmp_path, one_flight_file):
    code, modules = _modules_after(*argv, cwd=tmp_path)
    assert code == 0
    assert not modules & set(DRAWING), f"{' '.join(argv)} imported {sorted(modules & set(DRAWING))}"


def test_help_does_not_import_the_geometry_stack(tmp_path):
    code, modules = _modules_after("--help", cwd=tmp_path)
    assert code == 0
    assert not modules & {"geopandas", "pandas", "shapely", "numpy", "searoute", "networkx", "pyproj"}


PORT_FLIGHT = """\
version: 1
title: A flight from a port
sources:
  - {id: src, title: A report, publisher: A publisher}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: port-ruvvo, to: {lat: 39.22, lon: 125.67}}
"""


def test_check_reads_the_port_list_without_the_sea_router(tmp_path):
    """searoute's port list is read from its files: importing searoute loads networkx (~0.5 s)."""
    (tmp_path / "port.yaml").write_text(PORT_FLIGHT, encoding="utf-8")
    code, modules = _modules_after("check", "port.yaml", cwd=tmp_path)
    assert code == 0
    assert not modules & {"searoute", "networkx"}


def test_check_of_legs_that_search_no_network_does_not_import_scipy(tmp_path, one_flight_file):
    """scipy (~0.5 s CPU) loads where a leg is searched or snapped, not with the routing modules."""
    code, modules = _modules_after("check", "flight.yaml", cwd=tmp_path)
    assert code == 0
    assert "scipy" not in modules
