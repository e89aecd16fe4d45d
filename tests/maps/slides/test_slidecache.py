"""The drawn-slide cache: an unchanged slide is copied, a changed one drawn, a damaged entry drawn again."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from routemap.cache import versioned_folder
from routemap.maps.options import RenderOptions
from routemap.maps.slides import plan, render, slidecache
from routemap.maps.slides.plan import slide_specs
from routemap.maps.slides.slidecache import SlideCache, cache_enabled, value_digest
from routemap.routes.routeset import RouteSet

SMALL = {"size": (480, 270), "dpi": 40, "formats": ("png", "svg", "pdf")}


@pytest.fixture()
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder for the slide cache, turned on (the suite turns it off elsewhere); the
    networks' caches stay where they are (rebuilding them takes minutes)."""
    monkeypatch.setattr(slidecache, "versioned_folder", functools.partial(versioned_folder, root=tmp_path))
    monkeypatch.setenv("ROUTEMAP_SLIDE_CACHE", "on")
    monkeypatch.delenv("ROUTEMAP_ROUTE_CACHE", raising=False)
    return tmp_path


@pytest.fixture()
def draws(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the slides drawn (not copied from the cache), in order."""
    drawn: list[str] = []
    original = render._render_job

    def counting(job):
        drawn.append(job.spec.name)
        return original(job)

    monkeypatch.setattr(render, "_render_job", counting)
    return drawn


def _render(routeset: RouteSet, **changes) -> dict[str, bytes]:
    options = RenderOptions(**{**SMALL, **changes})
    return dict(render.render_slides(routeset, options, per_transfer=False))


def test_second_render_is_copied_byte_for_byte(shared_routeset, cache_on, draws, monkeypatch):
    first = _render(shared_routeset)
    assert draws == ["slide"]
    second = _render(shared_routeset)
    assert draws == ["slide"]  # nothing drawn the second time
    assert second == first
    entries = {p: p.stat().st_mtime_ns for p in cache_on.glob("slides-v*/*.slide")}
    assert _render(shared_routeset, cache=False) == first  # --no-cache: drawn afresh, same bytes
    assert draws == ["slide", "slide"]
    assert {p: p.stat().st_mtime_ns for p in cache_on.glob("slides-v*/*.slide")} == entries
    monkeypatch.setenv("ROUTEMAP_SLIDE_CACHE", "off")
    assert _render(shared_routeset) == first
    assert draws == ["slide"] * 3


def test_changed_size_or_language_is_drawn(shared_routeset, cache_on, draws):
    _render(shared_routeset, formats=("png",))
    _render(shared_routeset, formats=("png",), size=(400, 300))
    _render(shared_routeset, formats=("png",), language="fr")
    assert draws == ["slide"] * 3
    _render(shared_routeset, formats=("png",), language="fr")
    assert draws == ["slide"] * 3


def test_damaged_entry_is_drawn_again(shared_routeset, cache_on, draws):
    first = _render(shared_routeset, formats=("png",))
    (entry,) = cache_on.glob("slides-v*/*.slide")
    data = entry.read_bytes()
    entry.write_bytes(data[:-100] + bytes(100))
    assert _render(shared_routeset, formats=("png",)) == first
    assert draws == ["slide"] * 2
    entry.write_bytes(data[: len(data) // 2])
    assert _render(shared_routeset, formats=("png",)) == first
    assert draws == ["slide"] * 3
    assert _render(shared_routeset, formats=("png",)) == first  # rewritten whole by the last draw
    assert len(draws) == 3


def test_a_changed_spec_changes_only_its_own_key(shared_routeset):
    specs = slide_specs(shared_routeset, size=(480, 270), dpi=40)
    edited = [dataclasses.replace(specs[1], title=specs[1].title + " (revised)"), *specs[2:]]
    before = [value_digest(spec) for spec in specs[1:]]
    after = [value_digest(spec) for spec in edited]
    assert before[0] != after[0]
    assert before[1:] == after[1:]
    moved = dataclasses.replace(specs[0], extent=specs[0].extent + 1.0)
    assert value_digest(moved) != value_digest(specs[0])


def test_value_digest_is_stable_and_refuses_the_unknown():
    assert value_digest(frozenset({"b", "a", "c"})) == value_digest(frozenset({"c", "a", "b"}))
    assert value_digest({"a": 1, "b": 2}) == value_digest({"b": 2, "a": 1})
    assert value_digest((1, 2)) != value_digest([1, 2])
    assert value_digest(np.array([1.0, 2.0])) != value_digest(np.array([1.0, 2.0], dtype=np.float32))
    assert value_digest(1) != value_digest(1.0) != value_digest("1")
    with pytest.raises(TypeError, match="cannot key a object"):
        value_digest(object())


@pytest.mark.parametrize(("name", "value", "enabled"), [
    ("ROUTEMAP_SLIDE_CACHE", "off", False), ("ROUTEMAP_SLIDE_CACHE", "No", False),
    ("ROUTEMAP_ROUTE_CACHE", "off", False), ("ROUTEMAP_SLIDE_CACHE", "on", True),
])
def test_environment_turns_the_cache_off(monkeypatch, name, value, enabled):
    monkeypatch.delenv("ROUTEMAP_SLIDE_CACHE", raising=False)
    monkeypatch.delenv("ROUTEMAP_ROUTE_CACHE", raising=False)
    monkeypatch.setenv(name, value)
    assert cache_enabled() is enabled


def test_trim_removes_the_entries_used_longest_ago(tmp_path):
    cache = SlideCache(tmp_path)
    for i, key in enumerate("abcd"):
        cache.put(key, [("png", bytes(1000))])
        path = tmp_path / f"{key}.slide"
        stamp = 1_000_000_000 + i
        os.utime(path, (stamp, stamp))
    cache.get("a")  # used now: kept
    cache.trim(max_bytes=2 * (tmp_path / "a.slide").stat().st_size)
    assert sorted(p.stem for p in tmp_path.glob("*.slide")) == ["a", "d"]


def test_new_code_version_removes_the_others(cache_on):
    stale = cache_on / "slides-v1-0123456789abcdef"
    stale.mkdir()
    (stale / "x.slide").write_bytes(b"old")
    other = cache_on / "routes-v1-0123456789abcdef"
    other.mkdir()
    cache = SlideCache.default()
    assert cache is not None and cache.folder.is_dir()
    assert not stale.exists()
    assert other.exists()


def test_slide_specs_are_built_once_per_route_set(monkeypatch):
    """A build's slides and its deck ask for the same specs: the second call reuses them; a
    new route set, or other arguments, builds afresh."""
    from tests.conftest import _sample_routeset

    built = []
    original = plan._build_specs
    monkeypatch.setattr(plan, "_build_specs", lambda *a, **k: built.append(k) or original(*a, **k))
    routeset = _sample_routeset()
    first = plan.slide_specs(routeset, per_transfer=False)
    assert plan.slide_specs(routeset, per_transfer=False) == first
    assert len(built) == 1
    plan.slide_specs(routeset, per_transfer=False, size=(1280, 720))
    plan.slide_specs(_sample_routeset(), per_transfer=False, size=(1280, 720))
    assert len(built) == 3


#: What only drawing a slide needs: matplotlib's figures, axes, renderers and path effects, and
#: fontTools (the PDF's font subsets). A build whose slides all come from the cache loads none.
_DRAWING_MODULES = ("matplotlib.figure", "matplotlib.axes", "matplotlib.backend_bases",
                    "matplotlib.backends.backend_agg", "matplotlib.patheffects", "matplotlib.text",
                    "fontTools")

_CACHE_HIT_SCRIPT = textwrap.dedent("""
    import functools, hashlib, json, sys
    from pathlib import Path
    from routemap.cache import versioned_folder
    from routemap.maps.options import RenderOptions
    from routemap.maps.slides import render, slidecache
    from tests.conftest import _sample_routeset
    slidecache.versioned_folder = functools.partial(versioned_folder, root=Path(sys.argv[1]))
    drawn = []
    render._draw = lambda jobs, *a: drawn.extend(j.spec.name for j in jobs) or [[] for j in jobs]
    options = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(sys.argv[2]).items()}
    out = render.render_slides(_sample_routeset(), RenderOptions(**options), per_transfer=False)
    print(json.dumps({"drawn": drawn, "files": {k: hashlib.sha256(out[k]).hexdigest() for k in out},
                      "loaded": sorted(m for m in sys.modules if m.startswith(tuple(json.loads(sys.argv[3]))))}))
""")


def test_slides_all_from_the_cache_load_no_figure_renderer_nor_fonttools(shared_routeset, cache_on):
    """A rebuild served wholly from the slide cache plans the slides and copies them, in a
    fresh process that never loads matplotlib's figures and renderers nor fontTools (about a
    second of a warm build); the files are those drawn before."""
    import hashlib

    first = _render(shared_routeset)
    options = {k: list(v) if isinstance(v, tuple) else v for k, v in SMALL.items()}
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "ROUTEMAP_SLIDE_CACHE": "on", "MPLBACKEND": "Agg", "PYTHONPATH": str(root)}
    env.pop("ROUTEMAP_ROUTE_CACHE", None)
    done = subprocess.run([sys.executable, "-c", _CACHE_HIT_SCRIPT, str(cache_on), json.dumps(options),
                           json.dumps(_DRAWING_MODULES)], capture_output=True, text=True, env=env,
                          cwd=root, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["drawn"] == []
    assert result["files"] == {k: hashlib.sha256(v).hexdigest() for k, v in first.items()}
    assert result["loaded"] == []
