"""``routemap build --lang``: one language into --out, several into one subfolder each, the
scenario's language by default, and an unknown code refused before any work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routemap.cli import main
from routemap.maps.language import available_languages

SCENARIO = """\
version: 1
{language}title: {title}
sources:
  - {{id: src, title: A report, publisher: A publisher, url: "https://example.org/r"}}
transfers:
  - id: flight
    label: {label}
    confidence: reported
    sources: [src]
    period: {{start: 2024-03-21, end: 2024-03-21}}
    legs:
      - {{mode: air, from: {{lat: 39.22, lon: 125.67}}, to: {{lat: 43.40, lon: 132.15}}}}
"""
ENGLISH = SCENARIO.format(language="", title="One flight", label="Cargo flight")
BILINGUAL = SCENARIO.format(language="", title="{en: One flight, fr: Un vol}",
                            label="{en: Cargo flight, fr: Vol de fret}")
FORMATS = ("--formats", "geojson,csv")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_one_language_writes_into_out_as_before(tmp_path, capsys):
    out = tmp_path / "out"
    code, err = _run(capsys, "build", str(_scenario(tmp_path, BILINGUAL)), "--out", str(out),
                     "--lang", "fr", *FORMATS)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["legs.csv", "manifest.json", "routes.geojson"]
    manifest = _manifest(out)
    assert manifest["language"] == "fr"
    assert manifest["scenario"]["title"] == "Un vol"
    assert "Vol de fret" in (out / "legs.csv").read_text(encoding="utf-8")


def test_several_languages_write_one_complete_build_each(tmp_path, capsys):
    out = tmp_path / "out"
    code, err = _run(capsys, "build", str(_scenario(tmp_path, BILINGUAL)), "--out", str(out),
                     "--lang", "en,fr", *FORMATS)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["en", "fr"]
    for code_, title, label in (("en", "One flight", "Cargo flight"), ("fr", "Un vol", "Vol de fret")):
        folder = out / code_
        assert sorted(p.name for p in folder.iterdir()) == ["legs.csv", "manifest.json", "routes.geojson"]
        manifest = _manifest(folder)
        assert manifest["language"] == code_ and manifest["scenario"]["title"] == title
        assert {o["name"] for o in manifest["outputs"]} == {"legs.csv", "routes.geojson"}
        assert label in (folder / "legs.csv").read_text(encoding="utf-8")
    assert "out/en/, " in err and "out/fr/" in err


def test_a_repeated_or_spaced_code_is_written_once(tmp_path, capsys):
    out = tmp_path / "out"
    code, err = _run(capsys, "build", str(_scenario(tmp_path, ENGLISH)), "--out", str(out),
                     "--lang", " FR, fr ", *FORMATS)
    assert code == 0, err
    assert _manifest(out)["language"] == "fr"


def test_the_same_language_gives_the_same_bytes_alone_or_among_several(tmp_path, capsys):
    scenario = str(_scenario(tmp_path, BILINGUAL))
    assert _run(capsys, "build", scenario, "--out", str(tmp_path / "one"), "--lang", "fr", *FORMATS)[0] == 0
    assert _run(capsys, "build", scenario, "--out", str(tmp_path / "two"), "--lang", "en,fr", *FORMATS)[0] == 0
    for name in ("legs.csv", "routes.geojson", "manifest.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / "fr" / name).read_bytes()


@pytest.mark.parametrize(("header", "expected"), [
    ("", "en"),
    ("language: fr\n", "fr"),
])
def test_without_lang_the_scenario_language_else_english(tmp_path, capsys, header, expected):
    out = tmp_path / "out"
    text = SCENARIO.format(language=header, title="Un vol", label="Vol de fret")
    code, err = _run(capsys, "build", str(_scenario(tmp_path, text)), "--out", str(out), *FORMATS)
    assert code == 0, err
    assert _manifest(out)["language"] == expected
    assert err.rstrip().endswith(f"({expected})")


def test_the_system_locale_is_never_read(tmp_path, capsys, monkeypatch):
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(name, "fr_FR.UTF-8")
    out = tmp_path / "out"
    code, err = _run(capsys, "build", str(_scenario(tmp_path, ENGLISH)), "--out", str(out), *FORMATS)
    assert code == 0, err
    assert _manifest(out)["language"] == "en"


@pytest.mark.parametrize(("value", "message"), [
    ("xx", "error: --lang: no output language 'xx': routemap writes "),
    ("en,xx", "error: --lang: no output language 'xx': routemap writes "),
    (",", "error: --lang ',' names no language, e.g. --lang fr or --lang en,fr"),
])
def test_an_unknown_language_exits_2_before_any_work(tmp_path, capsys, value, message):
    out = tmp_path / "out"
    code, err = _run(capsys, "build", str(tmp_path / "not-read.yaml"), "--out", str(out),
                     "--lang", value, *FORMATS)
    assert code == 2
    assert err.splitlines() == [message + ", ".join(available_languages())
                                if message.endswith("writes ") else message]
    assert not out.exists()


def test_help_documents_lang(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert "--lang CODES" in text
    assert "routemap build --lang en,fr" in text


def test_route_writes_its_geojson_in_the_language_asked(tmp_path, capsys):
    out = tmp_path / "leg.geojson"
    code, _ = _run(capsys, "route", "KPNJN", "RUVYP", "--mode", "sea", "--out", str(out), "--lang", "fr")
    assert code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    leg = document["features"][0]["properties"]
    assert document["language"] == "fr"
    assert leg["transfer_label"] == "Port de Rajin (Najin) → Port de Vostotchny (Vrangel, Nakhodka) · mer"
    assert leg["to_name"] == "Port de Vostotchny (Vrangel, Nakhodka)"


@pytest.mark.parametrize(("argv", "message"), [
    (("--lang", "fr"), "error: route --lang applies to the GeoJSON that --out writes"),
    (("--lang", "en,fr", "--out", "leg.geojson"), "error: route --lang 'en,fr': one language, e.g. --lang fr"),
])
def test_route_lang_needs_one_language_and_an_out_file(tmp_path, capsys, argv, message):
    code = main(["route", "KPNJN", "RUVYP", "--mode", "sea", *argv])
    assert code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == message
