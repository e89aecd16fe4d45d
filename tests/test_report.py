"""The QA report of ``routemap check``: links that go to a copy on another site are listed as notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from routemap.cli import main
from routemap.geo.model import FrozenMap, Source
from routemap.report import copied_links, translation_lines

SCENARIO = """\
version: 1
title: One flight
sources:
  - {id: copied, title: A report, publisher: Reuters, url: "https://news.mixedtimes.com/6XYA"}
  - {id: declared, title: A report, publisher: Reuters, url: "https://news.mixedtimes.com/6XYB", site: original}
  - {id: own, title: A report, publisher: Reuters, url: "https://www.reuters.com/world/x"}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [copied, declared, own]
    legs:
      - {mode: air, from: {lat: 39.22, lon: 125.67}, to: {lat: 43.40, lon: 132.15}}
"""


def test_copied_links_names_only_undeclared_copies():
    sources = [
        Source("copied", "T", "Reuters", dt.date(2024, 4, 15), "https://news.mixedtimes.com/6XYA"),
        Source("declared-copy", "T", "Reuters", None, "https://news.mixedtimes.com/6XYB", site="copy"),
        Source("declared-original", "T", "Reuters", None, "https://news.mixedtimes.com/6XYC", site="original"),
        Source("own", "T", "Reuters", None, "https://www.reuters.com/x"),
        Source("no-link", "T", "Reuters"),
    ]
    assert copied_links(sources) == [
        "source 'copied': link on mixedtimes.com is not a site of 'Reuters'; cited as "
        "\"via a copy on mixedtimes.com\" (site: copy confirms it; site: original if it is the publisher's own)"]


def test_check_reports_a_copied_link_as_a_note(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    assert main(["check", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    notes = [line.strip() for line in out.splitlines() if "is not a site of" in line]
    assert notes == ["note: source 'copied': link on mixedtimes.com is not a site of 'Reuters'; cited as "
                     "\"via a copy on mixedtimes.com\" (site: copy confirms it; site: original if it is the publisher's own)"]
    assert out.splitlines()[-1] == "0 error(s), 0 warning(s)"


def test_check_marks_assumed_ends_and_both_certainties(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("lon: 125.67}, to:", "lon: 125.67}, assumed: [from], to:"))
    assert main(["check", str(path), "--quiet"]) == 0
    (leg,) = [line.strip() for line in capsys.readouterr().out.splitlines() if " leg 1: " in line]
    assert leg.startswith("flight leg 1: air 39.2200, 125.6700 (assumed) -> 43.4000, 132.1500: ")
    assert leg.endswith("(great_circle, reported, path estimated)")


MULTILINGUAL = """\
version: 1
language: en
title: {en: One flight, fr: Un vol}
sources:
  - {id: src, title: A report, publisher: A publisher}
places:
  - id: here
    name: Pyongyang airfield
    names: {ko: 평양 비행장}
    kind: airfield
    country: KP
    lat: 39.22
    lon: 125.67
    sources: [src]
transfers:
  - id: flight
    label: {en: Cargo flight, fr: Vol de fret}
    cargo: {en: shells, ko: 포탄}
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: here, to: {lat: 43.40, lon: 132.15}}
"""


def _translations(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("translations"))
    end = lines.index("", start)
    return [line.strip() for line in lines[start:end]]


def test_check_lists_missing_translations_per_language_as_notes(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(MULTILINGUAL)
    assert main(["check", str(path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert _translations(out) == [  # the flight's end, given as coordinates, has no name to translate
        "translations (English is the scenario's language):",
        "note: fr (French): 1 of 3 texts fall back to English: transfers.flight.cargo",
        "note: fr (French): 1 of 1 place names keep their written form: here",
        "note: ko (Korean): 2 of 3 texts fall back to English: title, transfers.flight.label",
    ]
    assert out.splitlines()[-1] == "0 error(s), 0 warning(s)"  # notes, not warnings


def test_check_lists_the_languages_asked_for(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    assert main(["check", str(path), "--quiet"]) == 0
    assert _translations(capsys.readouterr().out) == [
        "translations (English is the scenario's language):",
        "every text is in English only; give a text as {en: ..., fr: ...} to publish it in "
        "another language"]
    assert main(["check", str(path), "--quiet", "--lang", "fr"]) == 0
    assert _translations(capsys.readouterr().out) == [
        "translations (English is the scenario's language):",
        "note: fr (French): no text given in it; all 2 fall back to English"]


def test_check_refuses_a_language_it_cannot_write(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO)
    assert main(["check", str(path), "--quiet", "--lang", "xx"]) == 2
    assert capsys.readouterr().err.startswith("error: --lang: no output language 'xx'")


def test_translation_lines_name_the_curated_notes_apart(sample_scenario):
    """The sample's Rajin is a built-in place; with a note, it is counted apart from the
    file's own texts, which its author can translate."""
    rajin = replace(sample_scenario.places[0], note="Coordinate from place knowledge.",
                    names=FrozenMap({"fr": "Port de Rajin"}))
    scenario = replace(sample_scenario, places=(rajin, *sample_scenario.places[1:]))
    assert rajin.origin == "builtin"
    assert translation_lines(scenario, ["fr"]) == [
        "note: fr (French): no text given in it; all 8 fall back to English",
        "note: fr (French): 2 of 3 place names keep their written form: dunai, tikhoretsk",
        "note: fr (French): the note of 1 built-in place is in English (the curated layer "
        "gives no translation): rajin"]
