"""``routemap check`` at scale: a finding said again word for word is printed once and counted;
errors are never left out."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import pandas as pd
import pytest

from routemap.report import SHOWN, qa_report
from routemap.routes.routeset import LegFinding, RouteSet

COPIES = 40


@pytest.fixture(scope="module")
def many(shared_routeset: RouteSet) -> RouteSet:
    """The sample's three legs and their findings again under 40 transfer ids (120 legs), plus
    an error on every copy of the air leg and a different error on one copy only."""
    legs, findings = [], []
    for i in range(COPIES):
        frame = shared_routeset.legs.copy()
        frame["transfer_id"] = frame["transfer_id"] + f"-{i:02d}"
        legs.append(frame)
        findings += [dataclasses.replace(f, transfer_id=f"{f.transfer_id}-{i:02d}")
                     for f in shared_routeset.findings]
        findings.append(LegFinding(f"air-estimate-{i:02d}", 0, "error", "via_missed",
                                   "the route does not pass Khabarovsk"))
    findings.append(LegFinding("air-estimate-07", 0, "error", "detour", "3.2 times the great circle"))
    frame = gpd.GeoDataFrame(pd.concat(legs, ignore_index=True), crs=shared_routeset.legs.crs)
    return dataclasses.replace(shared_routeset, legs=frame, findings=tuple(findings))


def _finding_lines(report: str) -> list[str]:
    return [line.strip() for line in report.splitlines() if re.match(r"    (info|warning|error): ", line)]


def _count(line: str) -> int:
    """How many findings a printed line stands for."""
    more = re.search(r" \(and ([\d,]+) more like this: ", line)
    return 1 + (int(more.group(1).replace(",", "")) if more else 0)


def test_every_finding_is_printed_once_and_counted(many: RouteSet) -> None:
    report, errors = qa_report(many, "many.yaml")
    lines = _finding_lines(report)
    assert len(set(lines)) == len(lines)
    assert sum(_count(line) for line in lines) == len(many.findings)  # none lost, none twice
    distinct = {(f.level, f.code, f.message) for f in many.findings}
    assert len(lines) == len(distinct)
    assert errors == COPIES + 1 and f"{COPIES + 1} error(s)" in report.splitlines()[-1]


def test_a_grouped_note_names_the_first_few_legs_and_an_error_names_every_one(many: RouteSet) -> None:
    lines = _finding_lines(qa_report(many, "many.yaml")[0])
    error = next(line for line in lines if line.startswith("error: via_missed"))
    assert error == ("error: via_missed: the route does not pass Khabarovsk (and 39 more like this: "
                     + ", ".join(f"air-estimate-{i:02d} leg 1" for i in range(1, COPIES)) + ")")
    assert "error: detour: 3.2 times the great circle" in lines  # said once: one line, as ever
    notes = [line for line in lines if not line.startswith("error") and _count(line) > 1]
    assert notes
    for line in notes:
        named = line.split(" more like this: ")[1].rstrip(")").split(", ")
        assert named[:SHOWN] == [n for n in named if n != "..."] and named[-1] == "..."


def test_the_first_leg_carries_the_line_and_the_report_is_the_same_every_time(many: RouteSet) -> None:
    report = qa_report(many, "many.yaml")[0]
    rows = {row.split(":", 1)[0]: row for row in re.split(r"\n  (?=\S)", report)}
    assert "error: via_missed" in rows["air-estimate-00 leg 1"]
    assert "error: via_missed" not in rows["air-estimate-05 leg 1"]
    assert "error: detour" in rows["air-estimate-07 leg 1"]
    assert qa_report(many, "many.yaml") == qa_report(many, "many.yaml")


def test_hygiene_warnings_of_one_kind_are_one_line_and_all_counted(shared_routeset: RouteSet) -> None:
    from routemap.geo.model import Source

    extra = tuple(Source(f"unused-{i}", "T", "P") for i in range(9))
    scenario = dataclasses.replace(shared_routeset.scenario, sources=shared_routeset.scenario.sources + extra)
    report, _ = qa_report(dataclasses.replace(shared_routeset, scenario=scenario), "s.yaml")
    hygiene = report.split("scenario hygiene:\n")[1].split("\n\n")[0].splitlines()
    assert [line for line in hygiene if "'unused-" in line] == [
        "  warning: source 'unused-0' is never cited (and 8 more like this: 'unused-1', 'unused-2', "
        "'unused-3', 'unused-4', 'unused-5', ...)"]
    assert _warnings(report) == _warnings(qa_report(shared_routeset, "s.yaml")[0]) + 9


def _warnings(report: str) -> int:
    return int(re.search(r"(\d+) warning\(s\)$", report).group(1))
