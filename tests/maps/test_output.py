"""The output folder: format lists, atomic writes that never lose a previous output, the manifest."""

from __future__ import annotations

import json
import os

import pytest

from routemap.errors import OutputError
from routemap.maps import folder
from routemap.maps.folder import check_out_dir, write_files
from routemap.maps.manifest import build_manifest
from routemap.maps.options import DEFAULT_FORMATS, FORMATS, RenderOptions, parse_formats
from routemap.maps.output import write


@pytest.mark.parametrize("text, expected", [
    ("html", ("html",)),
    ("png, html", ("html", "png")),
    ("GEOJSON,csv", ("geojson", "csv")),
    ("all", FORMATS),
])
def test_parse_formats(text, expected):
    assert parse_formats(text) == expected


@pytest.mark.parametrize("text, message", [
    ("html,jpeg", "unknown format 'jpeg'; choose from html, png"),
    ("", "unknown format (none given)"),
])
def test_parse_formats_rejects(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_formats(text)


def test_default_formats_are_all_but_kmz_and_the_animation():
    on_request = {"kmz", "mp4", "gif"}
    assert not on_request & set(DEFAULT_FORMATS) and set(DEFAULT_FORMATS) | on_request == set(FORMATS)


def test_write_files_replaces_and_leaves_no_temporaries(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"old")
    write_files({"a.txt": b"new", "sub/b.txt": b"bee"}, tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"new"
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"bee"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.txt", "sub"]


def test_failed_write_keeps_previous_outputs(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    real_stage = folder._stage
    calls = []

    def failing_stage(target, data):
        calls.append(target.name)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_stage(target, data)

    monkeypatch.setattr(folder, "_stage", failing_stage)
    with pytest.raises(OutputError, match="No space left on device"):
        write_files({"a.txt": b"new a", "b.txt": b"new b"}, tmp_path)
    assert (tmp_path / "a.txt").read_bytes() == b"old a"
    assert (tmp_path / "b.txt").read_bytes() == b"old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_out_dir_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_out_dir(target)


def test_manifest_lists_hashes_sources_and_licences(sample_routeset):
    files = {"routes.geojson": b"{}", "legs.csv": b"a,b\n"}
    doc = json.loads(build_manifest(sample_routeset, files, scenario_label="sample.yaml"))
    assert doc["tool"]["name"] == "routemap"
    assert doc["scenario"] == {"path": "sample.yaml", "sha256": "0" * 64, "title": "Sample transfers",
                               "as_of": "2025-06-01"}
    assert [o["name"] for o in doc["outputs"]] == ["routes.geojson", "legs.csv"]
    assert doc["outputs"][0]["sha256"] == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    assert [s["id"] for s in doc["sources"]] == ["wh-2023-10", "rusi-2023-08"]
    assert any("OpenStreetMap contributors, ODbL" in a for a in doc["attributions"])
    assert "searoute" in doc["data_packages"]


def test_manifest_is_deterministic(sample_routeset):
    files = {"x": b"1"}
    assert build_manifest(sample_routeset, files, scenario_label="s") == build_manifest(
        sample_routeset, files, scenario_label="s")


def test_write_gis_formats_with_manifest(sample_routeset, tmp_path):
    written = write(sample_routeset, tmp_path / "out", options=RenderOptions(formats=("geojson", "csv")),
                    scenario_label="sample.yaml")
    assert [p.name for p in written] == ["legs.csv", "routes.geojson", "manifest.json"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert {o["name"] for o in manifest["outputs"]} == {"legs.csv", "routes.geojson"}
    geojson = json.loads((tmp_path / "out" / "routes.geojson").read_text())
    assert geojson["type"] == "FeatureCollection"


# --- outputs are never lost (issue 8) -------------------------------------------------------------

GIS = RenderOptions(formats=("geojson", "csv", "kml", "kmz"))
AIR_SCENARIO = """\
version: 1
title: {title}
sources:
  - {{id: src, title: A report, publisher: A publisher, url: "https://example.org/r"}}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    period: {{start: 2024-03-21, end: 2024-03-21}}
    legs:
      - {{mode: air, from: {{lat: 39.22, lon: 125.67}}, to: {{lat: 43.40, lon: 132.15}}}}
"""
# Run as sitecustomize in a build process: after the first output is renamed into place, say
# so in a marker file and wait to be killed (a deterministic "interrupted half-way").
PAUSE_AFTER_FIRST_RENAME = """\
import os, pathlib, time
_out, _marker, _real = os.environ["PAUSE_OUT"], os.environ["PAUSE_MARKER"], os.replace

def _replace(src, dst, *args, **kwargs):
    _real(src, dst, *args, **kwargs)
    if str(dst).startswith(_out):
        pathlib.Path(_marker).write_text(str(dst))
        time.sleep(120)

os.replace = _replace
"""


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _temporaries(folder):
    return sorted(p.name for p in folder.rglob("*.tmp"))


def test_failing_renderer_keeps_previous_outputs(sample_routeset, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write(sample_routeset, out, options=GIS)
    before = _files(out)
    from routemap.maps.gis import kml

    def broken(routeset, *, language="en"):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(kml, "render_kml", broken)
    with pytest.raises(RuntimeError, match="renderer bug"):
        write(sample_routeset, out, options=GIS)
    assert _files(out) == before
    assert _temporaries(out) == []


def test_interrupt_while_staging_removes_the_staged_files(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"old a")
    real_stage = folder._stage
    calls = []

    def interrupted(target, data):
        calls.append(target.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_stage(target, data)

    monkeypatch.setattr(folder, "_stage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_files({"a.txt": b"new a", "b.txt": b"b", "c.txt": b"c"}, tmp_path)
    assert _files(tmp_path) == {"a.txt": b"old a"}
    assert _temporaries(tmp_path) == []


def test_build_never_deletes_files_it_did_not_write(sample_routeset, tmp_path):
    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    foreign = {"notes.txt": b"my notes", "slides/mine.png": b"\x89PNG mine", ".hidden": b"x",
               "routes.geojson.bak": b"{}"}
    for name, data in foreign.items():
        (out / name).write_bytes(data)
    write(sample_routeset, out, options=GIS)
    write(sample_routeset, out, options=RenderOptions(formats=("csv",)))
    files = _files(out)
    assert {name: files[name] for name in foreign} == foreign
    assert {"routes.geojson", "routes.kml", "routes.kmz", "legs.csv", "manifest.json"} <= set(files)


def test_output_name_taken_by_a_folder_is_refused_before_anything_moves(sample_routeset, tmp_path):
    out = tmp_path / "out"
    write(sample_routeset, out, options=GIS)
    before = _files(out)
    (out / "routes.kml").unlink()
    (out / "routes.kml").mkdir()
    del before["routes.kml"]
    with pytest.raises(OutputError, match="a folder has that name"):
        write(sample_routeset, out, options=GIS)
    assert _files(out) == before
    assert _temporaries(out) == []


def test_missing_out_dir_is_created(sample_routeset, tmp_path):
    out = tmp_path / "a" / "b" / "out"
    write(sample_routeset, out, options=RenderOptions(formats=("geojson",)))
    assert sorted(_files(out)) == ["manifest.json", "routes.geojson"]


@pytest.mark.parametrize("under, message", [
    ("", "error: --out '{p}' is a file, not a folder"),
    ("sub", "error: --out '{p}/sub' cannot be created: '{p}' is a file, not a folder"),
])
def test_unusable_out_exits_2_with_a_clear_message(tmp_path, capsys, under, message):
    from routemap.cli import main

    taken = tmp_path / "taken"
    taken.write_text("x")
    out = taken / under if under else taken
    assert main(["build", "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [message.format(p=taken)]
    assert taken.read_text() == "x"


def test_unwritable_out_exits_2(tmp_path, capsys, monkeypatch):
    """Root may write anywhere, so the permission check is simulated here (os.access says no);
    the read-only file system test below does it for real where mount namespaces work."""
    from routemap.cli import main

    monkeypatch.setattr(folder.os, "access", lambda path, mode: False)
    assert main(["build", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: cannot write to '{tmp_path}': permission denied"]


def _mount_namespace_works() -> bool:
    import shutil
    import subprocess

    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs -o ro tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _mount_namespace_works(), reason="needs unshare --mount and mount (root)")
def test_read_only_out_exits_2_and_keeps_its_files(tmp_path):
    """``--out`` bind-mounted read-only in a private mount namespace (gone with the process)."""
    import subprocess
    import sys

    out = tmp_path / "out"
    out.mkdir()
    (out / "map.html").write_text("previous map")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(AIR_SCENARIO.format(title="One flight"))
    script = ('mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && '
              'exec "$2" -m routemap build "$3" --out "$1" --formats geojson')
    result = subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", str(out), sys.executable,
                             str(scenario)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [f"error: cannot write to '{out}': read-only file system"]
    assert _files(out) == {"map.html": b"previous map"}


def _build_process(scenario, out, *, env=None, formats="html,geojson,gpkg,kml,kmz,csv",
                   options=()):
    import subprocess
    import sys

    command = [sys.executable, "-m", "routemap", "build", str(scenario), "--out", str(out), "--quiet",
               "--formats", formats, *options]
    return subprocess.Popen(command, cwd=scenario.parent, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _reap(process):
    """Kill a build process if it still runs, and wait for it (no child outlives a test)."""
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=60)


def _wait_for(path, process, seconds=120.0):
    import time

    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached its first rename"
        time.sleep(0.05)


def test_interrupted_builds_leave_old_or_complete_new_files(tmp_path):
    """Kill a build right after its first rename, then stop another with SIGTERM: every output
    is the previous build's bytes or the new build's complete bytes, never partial, never
    missing; after SIGTERM no temporary file is left either."""
    import os
    import signal

    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(AIR_SCENARIO.format(title="Old title"))
    new.write_text(AIR_SCENARIO.format(title="New title"))
    out, reference = tmp_path / "out", tmp_path / "reference"
    builds = [_build_process(old, out), _build_process(new, reference)]
    messages = [b.communicate() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], messages
    before, after = _files(out), _files(reference)
    assert set(before) == set(after) and all(before[n] != after[n] for n in ("map.html", "manifest.json"))

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PAUSE_AFTER_FIRST_RENAME)
    left = {}
    for signum in (signal.SIGKILL, signal.SIGTERM):
        marker = tmp_path / f"renamed-{signum}"
        env = {**os.environ, "PYTHONPATH": str(hook), "PAUSE_OUT": str(out), "PAUSE_MARKER": str(marker)}
        process = _build_process(new, out, env=env)
        try:
            _wait_for(marker, process)
            process.send_signal(signum)
            process.communicate(timeout=120)
        finally:
            _reap(process)
        files = {name: data for name, data in _files(out).items() if not name.endswith(".tmp")}
        assert set(files) == set(before)
        assert all(files[name] in (before[name], after[name]) for name in files)
        assert files[marker.read_text().removeprefix(f"{out}/")] in after.values()
        left[signum] = _temporaries(out)
    assert left[signal.SIGKILL]  # a killed process cannot clean up (the files are hidden, .*.tmp)
    assert process.returncode == 130  # SIGTERM unwinds like Ctrl-C: that build removed its own
    assert left[signal.SIGTERM] == []  # staged files, and first, like any build, those left


def _staged(folder):
    """Every file in the tree that has routemap's staged name, relative to ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob(".routemap-*.tmp"))


FOREIGN_HIDDEN = {
    ".notes.tmp": b"my notes",
    "slides/.notes.tmp": b"more notes",
    ".routemap-notes.tmp": b"no token: not a name routemap stages under",
    ".legs.csv.k3j4h5l6.tmp": b"another tool's, or an older routemap's: not recognised",
    "slides/.routemap-flight.png.ABCDEF12.tmp": b"upper-case token: not routemap's",
    "mine/.routemap-x.png.0123abcd.tmp/keep.txt": b"in a folder that has a staged name",
}


def test_next_build_removes_what_a_killed_build_left_staged(tmp_path):
    """A build killed with SIGKILL after its first rename leaves its other files staged, in the
    folder and in slides/; the next build into the folder, one that writes no slides, removes
    every one of them and no other file."""
    scenario, out = tmp_path / "flight.yaml", tmp_path / "out"
    scenario.write_text(AIR_SCENARIO.format(title="One flight"))
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(PAUSE_AFTER_FIRST_RENAME)
    marker = tmp_path / "renamed"
    env = {**os.environ, "PYTHONPATH": str(hook), "PAUSE_OUT": str(out),
           "PAUSE_MARKER": str(marker), "ROUTEMAP_WORKERS": "1"}
    process = _build_process(scenario, out, env=env, formats="png,csv,geojson",
                             options=("--size", "320x240", "--dpi", "30"))
    try:
        _wait_for(marker, process)
        process.kill()
    finally:
        _reap(process)
    left = _staged(out)
    assert "slides" in {os.path.dirname(name) for name in left}, left
    assert "" in {os.path.dirname(name) for name in left}, left
    for name, data in FOREIGN_HIDDEN.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)

    again = _build_process(scenario, out, formats="csv")
    try:
        _, err = again.communicate(timeout=300)
    finally:
        _reap(again)
    assert again.returncode == 0, err
    assert [p for p in out.rglob(".*") if p.name.startswith(".routemap-") and p.is_file()
            and str(p.relative_to(out)) not in FOREIGN_HIDDEN] == []
    assert {name: (out / name).read_bytes() for name in FOREIGN_HIDDEN} == FOREIGN_HIDDEN
    assert sorted(name for name in _files(out) if name not in FOREIGN_HIDDEN) == [
        "legs.csv", "manifest.json"]  # the killed build renamed only legs.csv into place


def test_build_removes_staged_leftovers_but_waits_for_a_build_still_writing(sample_routeset,
                                                                            tmp_path):
    """Files with staged names are leftovers only when no other routemap is writing into the
    folder: while another one holds the folder's lock, the build waits and removes nothing."""
    import fcntl
    import threading
    import time

    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    planted = [out / ".routemap-routes.kml.0123abcd.tmp",
               out / "slides" / ".routemap-t.png.89abcdef.tmp"]
    for path in planted:
        path.write_bytes(b"staged by another build")
    (out / ".notes.tmp").write_bytes(b"mine")
    fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another routemap, between staging and renaming
        writer = threading.Thread(target=write, args=(sample_routeset, out),
                                  kwargs={"options": RenderOptions(formats=("geojson",))})
        writer.start()
        time.sleep(1.0)
        assert writer.is_alive() and all(path.exists() for path in planted)
        assert not (out / "routes.geojson").exists()
    finally:
        os.close(fd)  # the other routemap is done
    writer.join(timeout=60)
    assert not writer.is_alive()
    assert _staged(out) == []
    assert (out / ".notes.tmp").read_bytes() == b"mine"
    assert sorted(_files(out)) == [".notes.tmp", "manifest.json", "routes.geojson"]


def test_a_subfolder_it_may_not_read_does_not_stop_the_build(sample_routeset, tmp_path,
                                                            monkeypatch):
    """Root reads every folder, so the refusal is simulated (os.scandir says no)."""
    out = tmp_path / "out"
    (out / "private").mkdir(parents=True)
    (out / "private" / ".routemap-x.png.0123abcd.tmp").write_bytes(b"not readable, not touched")
    real = os.scandir

    def scandir(path="."):
        if os.path.basename(path) == "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(folder.os, "scandir", scandir)
    write(sample_routeset, out, options=RenderOptions(formats=("geojson",)))
    monkeypatch.undo()
    assert sorted(_files(out)) == ["manifest.json", "private/.routemap-x.png.0123abcd.tmp",
                                   "routes.geojson"]


def _fake_renderers(monkeypatch, seen, slides_started):
    """Replace the renderers by ones that record the thread they run in; the web map's waits
    until the slides have started (it never returns before them when they run one after the
    other, so a build that did not overlap them fails instead of passing by luck)."""
    import threading

    from routemap.maps import output

    def slides(routeset, options, earlier, progress):
        seen.append(("slides", threading.current_thread().name))
        slides_started.set()
        return {"slide.png": b"png"}

    def html(routeset, options, earlier, progress):
        seen.append(("html", threading.current_thread().name))
        assert slides_started.wait(60), "the slides did not start while the web map was rendered"
        return {"map.html": b"html"}

    def deck(routeset, options, earlier, progress):
        seen.append(("pptx", threading.current_thread().name))
        return {"briefing.pptx": b"deck of " + earlier["slide.png"]}

    def gis(routeset, options, earlier, progress):
        seen.append(("geojson", threading.current_thread().name))
        return {"routes.geojson": b"{}"}

    monkeypatch.setitem(output.RENDERERS, "slides", slides)
    monkeypatch.setitem(output.RENDERERS, "html", html)
    monkeypatch.setitem(output.RENDERERS, "pptx", deck)
    monkeypatch.setitem(output.RENDERERS, "geojson", gis)


def test_slides_with_workers_are_drawn_while_the_other_formats_render(sample_routeset, monkeypatch):
    import threading

    from routemap.maps.output import render_outputs

    seen, started, steps = [], threading.Event(), []
    _fake_renderers(monkeypatch, seen, started)
    options = RenderOptions(formats=("geojson", "html", "png", "pptx"), workers=2)
    files = render_outputs(sample_routeset, options, progress=lambda step, *rest: steps.append(step))
    assert files["briefing.pptx"] == b"deck of png"  # the deck waited for the slides
    assert sorted(files) == ["briefing.pptx", "map.html", "routes.geojson", "slide.png"]
    threads = dict(seen)
    assert threads["slides"].startswith("routemap-slides")
    assert threads["html"] == threads["geojson"] == threads["pptx"] == threading.main_thread().name
    assert steps == ["map.html", "routes.geojson", "slides", "briefing.pptx"]


def test_slides_in_this_process_run_after_the_other_formats(sample_routeset, monkeypatch):
    import threading

    from routemap.maps import output

    seen, started = [], threading.Event()
    started.set()  # nothing to wait for: one after the other
    _fake_renderers(monkeypatch, seen, started)
    options = RenderOptions(formats=("html", "png", "pptx", "geojson"), workers=1)
    output.render_outputs(sample_routeset, options)
    assert [step for step, _ in seen] == ["html", "geojson", "slides", "pptx"]
    assert {thread for _, thread in seen} == {threading.main_thread().name}


def test_slides_failing_meanwhile_fail_the_build(sample_routeset, monkeypatch):
    from routemap.errors import RenderError
    from routemap.maps import output

    def broken(routeset, options, earlier, progress):
        raise RenderError("cannot draw the slides: a worker stopped")

    monkeypatch.setitem(output.RENDERERS, "slides", broken)
    monkeypatch.setitem(output.RENDERERS, "html", lambda *a: {"map.html": b"html"})
    with pytest.raises(RenderError, match="a worker stopped"):
        output.render_outputs(sample_routeset, RenderOptions(formats=("html", "png"), workers=2))
