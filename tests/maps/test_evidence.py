"""A verdict's evidence in words, in every output language: the writer alone, then the tutorial
(docs/examples/observed.yaml) built in French, whose GeoJSON, CSV, KML, web map and slide say it in
French; no English is left, checked against the catalog's own messages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from routemap.geo.model import Place
from routemap.maps import evidence as writer
from routemap.maps.evidence import evidence_text, instant, span, verdict_line, verdict_rows
from routemap.maps.language import available_languages, load_language
from routemap.maps.records import feature_records
from routemap.routes.routeset import RouteSet
from routemap.routes.verdicts import DarkStretch, EndCheck, Evidence, LegVerdict, LineCheck

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "observed.yaml"
GDANSK = Place("PLGDN", "Gdansk", "port", "PL", 54.4, 18.67, names={"fr": "Gdańsk"})
AARHUS = Place("DKAAR", "Aarhus", "port", "DK", 56.15, 10.22)
DAYS = (dt.date(2025, 3, 2), dt.date(2025, 3, 4))
GAP = DarkStretch(pd.Timestamp("2025-03-03 03:50", tz="UTC"), pd.Timestamp("2025-03-03 13:00", tz="UTC"),
                  9.1667, 204.3)
NEAR = (EndCheck(GDANSK, 0.04, pd.Timestamp("2025-03-02 00:00", tz="UTC"), True),
        EndCheck(AARHUS, 3.21, pd.Timestamp("2025-03-03 23:00", tz="UTC"), True))
FAR = (EndCheck(GDANSK, 394.2, pd.Timestamp("2025-03-02 14:30", tz="UTC"), False),
       EndCheck(AARHUS, 1405.0, pd.Timestamp("2025-03-02 14:30", tz="UTC"), False))
EVERY_CLAUSE = [  # (evidence, verdict): together they ask for every message of maps/evidence.py
    (Evidence(DAYS, 288, NEAR, gaps=(GAP,)), "partly"),
    (Evidence(DAYS, 43, FAR, LineCheck(100.0, 43, 361.0, 430.4)), "contradicts"),
    (Evidence(DAYS, 1, FAR, LineCheck(100.0, 0, 12.0, 12.0), (DarkStretch(GAP.start, GAP.end, 12.0, None),)), "partly"),
    (Evidence(DAYS, gaps=(GAP,)), "no_data"),
    (Evidence(None), "no_data"),
    (Evidence(DAYS, 1, NEAR), "supports"),
]
LANGUAGES = [code for code in available_languages() if code != "en"]


def test_english_evidence_reads_in_numbers_dates_and_places():
    assert evidence_text(*EVERY_CLAUSE[0]) == (
        "at Gdansk (2 Mar 2025, 00:00 UTC); within 3.2 km of Aarhus (3 Mar 2025, 23:00 UTC); "
        "288 positions in the period; transponder off 9.2 h, from 3 Mar 2025, 03:50 UTC to 3 Mar 2025, "
        "13:00 UTC, up to 204 km reachable")
    assert evidence_text(*EVERY_CLAUSE[1]).endswith(
        "43 of 43 positions in the period lie more than 100 km from the leg's line (nearest 361 km, farthest 430 km)")
    assert evidence_text(*EVERY_CLAUSE[3]) == (
        "no position in the period 2–4 Mar 2025; transponder off 9.2 h, from 3 Mar 2025, 03:50 UTC to "
        "3 Mar 2025, 13:00 UTC, up to 204 km reachable")


def test_french_evidence_uses_cldr_dates_numbers_place_names_and_french_spacing():
    fr = load_language("fr")
    assert evidence_text(*EVERY_CLAUSE[0], language=fr) == (
        "Gdańsk\u00a0: atteint (2 mars 2025, 00:00 UTC)\u202f; Aarhus\u00a0: passé à 3,2 km "
        "(3 mars 2025, 23:00 UTC)\u202f; 288 positions dans la période\u202f; transpondeur coupé 9,2 h, "
        "du 3 mars 2025, 03:50 UTC au 3 mars 2025, 13:00 UTC, soit jusqu’à 204 km parcourables")
    assert evidence_text(*EVERY_CLAUSE[1], language=fr).endswith(
        "positions dans la période à plus de 100 km du tracé de l’étape\u00a0: 43 sur 43 "
        "(la plus proche à 361 km, la plus éloignée à 430 km)")
    assert instant(pd.Timestamp("2025-10-01 08:05", tz="UTC"), language=fr) == "1er oct. 2025, 08:05 UTC"
    assert span("2025-03-02T06:00:00Z", "2025-03-03T23:00:00Z", language=fr) == (
        "2 mars 2025, 06:00 UTC – 3 mars 2025, 23:00 UTC")
    verdict = LegVerdict("star-voyage", 0, "Synthetic Star", "partly", EVERY_CLAUSE[0][0])
    assert verdict_line(verdict, language=fr) == "star-voyage, étape 1\u00a0: le trajet confirme une partie de l’étape"


def _english_fragments() -> set[str]:
    """The literal words of every message maps/evidence.py asks for (placeholders cut out), as the
    extractor of the catalog test finds them."""
    found = extract_from_file("python", writer.__file__, keywords=DEFAULT_KEYWORDS)
    fragments = set()
    for _line, message, _comments, _context in found:
        for text in message if isinstance(message, tuple) else (message,):
            fragments |= {f.strip() for f in re.split(r"\{\w+\}|[(),;:]", text or "")}
    return {f for f in fragments if len(f) >= 6 and " " in f}


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_english_is_left_in_any_language(code):
    """Each clause is written from the language's catalog: no English words of the module's own
    messages are left, and each text differs from the English one."""
    language = load_language(code)
    fragments = _english_fragments()
    assert {"from the leg's line", "transponder off", "positions in the period"} <= fragments  # the test can fail
    for evidence, verdict in EVERY_CLAUSE:
        text = evidence_text(evidence, verdict, language=language)
        assert text != evidence_text(evidence, verdict)
        assert [f for f in fragments if f in text] == []
        assert [w for w in writer.VERDICT_WORDS.values() if w in writer.verdict_word(verdict, language=language)] == []


# --- the tutorial in French, in every product --------------------------------------------------


@pytest.fixture(scope="module")
def french_build(tmp_path_factory) -> tuple[Path, list[str], RouteSet]:
    """The tutorial routed once (two sea legs, its synthetic AIS read and derived) and written in French as
    GeoJSON, CSV and KML; with the evidence of each leg as the writer gives it, and the route set."""
    from routemap.geo.scenario import load_scenario
    from routemap.maps import output
    from routemap.maps.options import RenderOptions
    from routemap.routes.builder import build

    routeset = build(load_scenario(EXAMPLE))
    out = tmp_path_factory.mktemp("fr")
    output.write(routeset, out, options=RenderOptions(formats=("geojson", "csv", "kml")), language="fr")
    fr = load_language("fr")
    assert routeset.observed is not None
    texts = [evidence_text(v.evidence, v.verdict, language=fr) for v in routeset.observed.verdicts]
    return out, texts, routeset


def test_the_french_tutorial_writes_the_french_evidence_everywhere(french_build):
    out, texts, routeset = french_build
    assert len(texts) == 2 and texts[0].startswith("Gdansk\u00a0: atteint (2 mars 2025, 00:00 UTC)\u202f; ")
    assert "transpondeur coupé 9,2 h, du 3 mars 2025, 03:50 UTC au 3 mars 2025, 13:00 UTC" in texts[0]
    legs = [f["properties"] for f in json.loads((out / "routes.geojson").read_text(encoding="utf-8"))["features"]
            if f["properties"].get("feature_type") == "leg"]
    assert [p["observed_evidence"] for p in legs] == texts
    rows = list(csv.DictReader(io.StringIO((out / "legs.csv").read_text(encoding="utf-8-sig"))))
    assert [r["observed_evidence"] for r in rows] == texts
    kml = (out / "routes.kml").read_text(encoding="utf-8")
    assert all(text in kml for text in texts)
    tracks = list(csv.DictReader(io.StringIO((out / "observations.csv").read_text(encoding="utf-8-sig"))))
    verdicts = [json.loads(r["verdicts"]) for r in tracks if r["feature_type"] == "observed_track"]
    assert ["moon-voyage, étape 1\u00a0: le trajet contredit l’étape\u00a0: le navire était ailleurs"] in verdicts
    fr = load_language("fr")
    records = feature_records(routeset.in_language("fr"), language=fr)["legs"]
    popups = [verdict_rows(r.properties, language=fr) for r in records]  # web popups and KML balloons
    assert [rows[1][1] for rows in popups] == texts
    assert popups[1][0][1] == "le trajet contredit l’étape\u00a0: le navire était ailleurs"
    assert kml.count("&lt;th&gt;Éléments à l’appui&lt;/th&gt;") == 2  # the legs' balloons say it too
    fragments = _english_fragments()
    for text in (kml, *texts):
        assert [f for f in fragments if f in text] == []


def test_the_french_slide_lists_verdict_and_evidence_apart_from_its_subtitle(french_build):
    from routemap.maps.slides.compose import slide_specs

    _, texts, routeset = french_build
    specs = {s.name: s for s in slide_specs(routeset.in_language("fr"), size=(960, 540), dpi=72, language="fr")}
    star = specs["slides/star-voyage"]
    assert star.observed is not None and len(star.observed.verdicts) == 3
    verdict, evidence, warning = star.observed.verdicts
    assert verdict == "Synthetic Star\u00a0: le trajet confirme une partie de l’étape"
    assert evidence.replace("\u00a0", " ") == texts[0].replace("\u00a0", " ")  # the same words...
    assert "(2\u00a0mars\u00a02025,\u00a000:00\u00a0UTC)" in evidence  # ...each instant kept on one line
    assert "soit jusqu’à 204\u00a0km parcourables" in evidence
    assert warning == "positions synthétiques, pas de vraies données AIS"
    assert "Synthetic Star" not in star.subtitle and star.subtitle.startswith("unspecified cargo (fictitious)")
