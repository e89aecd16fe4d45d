"""The QA report of ``routemap check``: links that go to a copy on another site are listed as notes."""

from __future__ import annotations

import datetime as dt

from routemap.cli import main
from routemap.geo.model import Source
from routemap.report import copied_links

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
