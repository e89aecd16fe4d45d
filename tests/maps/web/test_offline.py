"""No network, ever: the suite blocks sockets, and a real build succeeds with the network cut.

The build runs in a fresh process. Where the sandbox allows it, that process lives in a new
network namespace (``unshare --net``: no interface but a downed loopback, so nothing can be
reached at all); otherwise a ``sitecustomize`` makes every socket connect, send and name
lookup fail. Either way the process first proves the network is gone (a UDP connect to a
documentation address, which sends no packet, must fail), then builds the bundled scenario
in every format.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from routemap.maps.options import FORMATS
from routemap.maps.output import output_names

PROBE_THEN_BUILD = """\
import socket, sys
probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    probe.connect(("192.0.2.1", 9))  # TEST-NET-1: reserved for documentation, never routed
except OSError as exc:
    print(f"network cut: {exc}", file=sys.stderr)
else:
    sys.exit("the network is reachable: the test cannot prove anything")
from routemap.cli import main
sys.exit(main(sys.argv[1:]))
"""

SITECUSTOMIZE = """\
import errno, socket

def _refuse(*args, **kwargs):
    raise OSError(errno.ENETUNREACH, "network blocked by the routemap offline test")

for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
    setattr(socket.socket, _name, _refuse)
for _name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, _name, _refuse)
"""


def _namespace_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode == 0


NAMESPACE = _namespace_works()


def test_suite_blocks_tcp_udp_and_name_lookups():
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.gethostbyname("example.org")
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
        with pytest.raises(RuntimeError, match="network access attempted"):
            tcp.connect(("192.0.2.1", 80))
        with pytest.raises(RuntimeError, match="network access attempted"):
            tcp.connect_ex(("192.0.2.1", 80))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
            pytest.raises(RuntimeError, match="network access attempted"):
        udp.sendto(b"x", ("192.0.2.1", 53))


def test_suite_still_allows_loopback():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.connect(("127.0.0.1", 9))
        assert socket.getaddrinfo("localhost", 9)


def _check_build(result: subprocess.CompletedProcess, out: Path) -> None:
    assert "network cut:" in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    names = {o["name"] for o in manifest["outputs"]}
    assert set(output_names(FORMATS)) - {"manifest.json"} <= names
    assert any(name.startswith("slides/") for name in names)
    for name in names:
        assert (out / name).stat().st_size > 0


@pytest.mark.skipif(not NAMESPACE, reason="unshare --net is not permitted here (the sitecustomize test runs instead)")
def test_build_succeeds_in_a_network_namespace(tmp_path):
    out = tmp_path / "out"
    command = ["unshare", "--net", sys.executable, "-c", PROBE_THEN_BUILD,
               "build", "--out", str(out), "--formats", "all", "--quiet"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    _check_build(result, out)


@pytest.mark.skipif(NAMESPACE, reason="the network namespace test cuts the network for real here")
def test_build_succeeds_with_sockets_blocked(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(SITECUSTOMIZE)
    out = tmp_path / "out"
    command = [sys.executable, "-c", PROBE_THEN_BUILD, "build", "--out", str(out), "--formats", "all", "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env)
    _check_build(result, out)
