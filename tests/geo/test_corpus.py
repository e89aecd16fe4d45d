"""A corpus of broken and hostile scenario files: each exits 2 with its exact messages.

The small cases live in ``tests/geo/corpus/`` (one file each, opening with a comment that says
what it breaks) and their expected stderr in ``corpus/expected.txt``. The big and binary ones
(50 MB, garbage bytes, an alias bomb, deep nesting, ``/dev/zero``) are made here, in
``tmp_path``. Most run in-process through ``routemap.cli.main``; a few run as real processes under
an address-space limit, to show there is no traceback, no crash and bounded memory.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from routemap.cli import main

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = CORPUS / "expected.txt"
MEMORY_LIMIT = 1024**3  # 1 GB of address space; a failing build needs about 0.5 GB
NO_COMMENT = {"empty.yaml"}  # a zero-byte file cannot say what it breaks


def _expected() -> dict[str, list[str]]:
    """Read ``expected.txt``: ``== FILE`` headers, each followed by its stderr lines."""
    cases: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        if line.startswith("== "):
            current = cases.setdefault(line[3:], [])
        elif line and not line.startswith("#"):
            assert current is not None, f"expected.txt: a line before the first '== FILE': {line!r}"
            current.append(line)
    return cases


CASES = _expected()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def out_dir(tmp_path: Path) -> Path:
    """An output folder holding a previous build's file, which a failed build must not touch."""
    out = tmp_path / "out"
    (out / "slides").mkdir(parents=True)
    (out / "map.html").write_text("previous good map")
    (out / "slides" / "kept.png").write_bytes(b"\x89PNG previous")
    return out


def _build(capsys, scenario: str, out: Path) -> tuple[int, str, list[str]]:
    code = main(["build", scenario, "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def test_corpus_is_large_and_every_file_has_expectations():
    files = {p.name for p in CORPUS.iterdir() if p.name != EXPECTED.name}
    assert files == set(CASES)
    assert len(files) >= 50
    assert all(CASES[name] for name in files), "a case with no expected message"


@pytest.mark.parametrize("name", sorted(set(CASES) - NO_COMMENT))
def test_corpus_file_says_what_it_breaks(name):
    data = (CORPUS / name).read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.startswith("# Breaks: "):
            return
    pytest.fail(f"{name} does not open with '# Breaks: ...'")


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case_exits_2_with_exact_messages(name, monkeypatch, capsys, out_dir):
    before = _snapshot(out_dir)
    monkeypatch.chdir(CORPUS)
    code, stdout, err = _build(capsys, name, out_dir)
    assert (code, stdout) == (2, "")
    assert err == CASES[name]
    assert _snapshot(out_dir) == before


# --- generated cases ----------------------------------------------------------------------------


def _sparse_50mb(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(8).randbytes(4096))


def _utf8_garbage(path: Path) -> None:
    path.write_text("".join(random.Random(3).choices("{}[]:,-?&*!|>'\"%@` \nab", k=2000)))


def _alias_bomb(path: Path) -> None:
    """Billion laughs: ten levels of ten aliases each, 10**10 values once expanded."""
    lines = ["lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + "\n")


def _nested(depth: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_text("version: 1\ntitle: " + "[" * depth + "]" * depth + "\n")
    return make


def _nested_blocks(path: Path) -> None:
    """Block-style mappings 1,000 deep (indentation, not brackets)."""
    path.write_text("".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "end\n")


def _many_values(path: Path) -> None:
    path.write_text("version: 1\ntitle: [" + "x, " * 300_000 + "]\n")


def _folder(path: Path) -> None:
    path.mkdir()


def _nothing(path: Path) -> None:
    pass


GENERATED = [
    ("big-50mb.yaml", _sparse_50mb, ["error: big-50mb.yaml: file is 52,428,800 bytes; the limit is 8,388,608"]),
    ("garbage.bin", _garbage, ["error: garbage.bin:1: not UTF-8 text (byte 0xe5 at offset 4); save the file as UTF-8"]),
    ("garbage.yaml", _utf8_garbage, ["error: garbage.yaml:1: YAML syntax error: a value is missing, or starts with a character "
                                         "that cannot begin one"]),
    ("alias-bomb.yaml", _alias_bomb, ["error: alias-bomb.yaml:1: document expands to more than 200,000 values (YAML aliases?)"]),
    ("deep-10000.yaml", _nested(10_000), ["error: deep-10000.yaml:2: YAML nesting deeper than 64 levels"]),
    ("deep-1000000.yaml", _nested(1_000_000), ["error: deep-1000000.yaml:2: YAML nesting deeper than 64 levels"]),
    ("deep-blocks.yaml", _nested_blocks, ["error: deep-blocks.yaml:65: YAML nesting deeper than 64 levels"]),
    # 300,000 values written out are no expansion: read in full, the scenario's own problems reported
    ("many-values.yaml", _many_values, ["error: many-values.yaml:1: sources: missing required key",
                                        "error: many-values.yaml:1: transfers: missing required key",
                                        "error: many-values.yaml:2: title: expected text, found a list"]),
    ("a-folder.yaml", _folder, ["error: a-folder.yaml: is a directory, expected a YAML file"]),
    ("missing.yaml", _nothing, ["error: missing.yaml: cannot read file: No such file or directory"]),
]


@pytest.mark.parametrize("name, make, expected", GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_case_exits_2_with_exact_messages(name, make, expected, tmp_path, monkeypatch, capsys, out_dir):
    make(tmp_path / name)
    before = _snapshot(out_dir)
    monkeypatch.chdir(tmp_path)
    code, stdout, err = _build(capsys, name, out_dir)
    assert (code, stdout, err) == (2, "", expected)
    assert _snapshot(out_dir) == before


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_device_is_refused_after_the_size_limit(capsys, out_dir):
    code, _, err = _build(capsys, "/dev/zero", out_dir)
    assert (code, err) == (2, ["error: /dev/zero: file is more than 8,388,608 bytes; the limit is 8,388,608"])


# --- real processes -------------------------------------------------------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


SUBPROCESS_CASES = ["big-50mb.yaml", "garbage.bin", "alias-bomb.yaml", "deep-1000000.yaml", "many-values.yaml"]


def _reap(process: subprocess.Popen) -> tuple[int, str, str]:
    """Wait for a child (killing it after two minutes) and close its pipes, whatever happens."""
    with process:
        try:
            stdout, stderr = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    return process.returncode, stdout, stderr


def test_hostile_files_fail_cleanly_in_a_real_process_with_bounded_memory(tmp_path, out_dir):
    """No traceback, no crash (libyaml's recursive composer would overflow the C stack on
    the deep file), exit 2 under a 1 GB address-space limit, ``--out`` untouched."""
    makers = {name: (make, expected) for name, make, expected in GENERATED}
    corpus_files = ["syntax-recursive-alias.yaml"]
    before = _snapshot(out_dir)
    runs = {}
    try:
        for name in SUBPROCESS_CASES + corpus_files:
            if name in makers:
                makers[name][0](tmp_path / name)
                expected = makers[name][1]
            else:
                (tmp_path / name).write_bytes((CORPUS / name).read_bytes())
                expected = CASES[name]
            command = [sys.executable, "-m", "routemap", "build", name, "--out", str(out_dir)]
            process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, preexec_fn=_limit_memory)
            runs[name] = (process, expected)
    finally:
        results = {name: _reap(process) for name, (process, _) in runs.items()}
    for name, (returncode, stdout, stderr) in results.items():
        assert "Traceback" not in stderr, name
        assert (returncode, stdout, stderr.splitlines()) == (2, "", runs[name][1]), name
    assert _snapshot(out_dir) == before


# --- many problems: every one reported, the costly hints only for the first ones -------------------


def test_many_unknown_places_are_all_reported_and_only_the_first_get_suggestions(tmp_path):
    from routemap.errors import ScenarioError
    from routemap.geo.gazetteer import SUGGEST_BUDGET
    from routemap.geo.scenario import parse_scenario

    legs = "".join(f"      - {{mode: air, from: Vladivostok-{i:03d}x, to: Pyongyang-{i:03d}x}}\n" for i in range(60))
    text = ("version: 1\ntitle: Many unknown places\nsources:\n  - {id: src, title: A, publisher: B}\n"
            "transfers:\n  - id: t\n    label: T\n    confidence: reported\n    sources: [src]\n    legs:\n" + legs)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text.encode(), "many.yaml")
    messages = info.value.messages()
    assert len(messages) == 120
    assert all("unknown place" in m for m in messages)
    hinted = ["did you mean" in m for m in messages]
    assert hinted == [True] * SUGGEST_BUDGET + [False] * (120 - SUGGEST_BUDGET)


def test_many_unknown_source_ids_are_all_reported_and_only_the_first_get_hints():
    from routemap.errors import ScenarioError
    from routemap.geo.scenario import parse_scenario
    from routemap.geo.validate import HINT_BUDGET

    sources = "".join(f"  - {{id: report-{i}, title: A, publisher: B}}\n" for i in range(50))
    cited = ", ".join(f"report-{i}x" for i in range(300))
    text = (f"version: 1\ntitle: Many bad citations\nsources:\n{sources}transfers:\n  - id: t\n    label: T\n"
            f"    confidence: reported\n    sources: [{cited}]\n    legs:\n"
            "      - {mode: air, from: {lat: 1, lon: 2}, to: {lat: 3, lon: 4}}\n")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text.encode(), "cites.yaml")
    messages = info.value.messages()
    assert len(messages) == 300
    assert sum("did you mean" in m for m in messages) == HINT_BUDGET
