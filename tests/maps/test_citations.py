"""How a source reads as a citation, in an output's language (routemap.maps.citations)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from routemap.geo.model import Scenario, Source
from routemap.maps.citations import citation, citations, credit
from routemap.maps.language import load_language

FR = load_language("fr")


@pytest.mark.parametrize(
    ("note", "url", "expected"),
    [
        (None, None, "RUSI, \u201cOrient Express\u201d, 16 October 2023."),
        (None, "https://rusi.org/x", "RUSI, \u201cOrient Express\u201d, 16 October 2023. https://rusi.org/x"),
        ("Stored copy", "https://rusi.org/x",
         "RUSI, \u201cOrient Express\u201d, 16 October 2023. Stored copy. https://rusi.org/x"),
        ("Stored copy, 17 Oct 2023.", "https://rusi.org/x",
         "RUSI, \u201cOrient Express\u201d, 16 October 2023. Stored copy, 17 Oct 2023. https://rusi.org/x"),
        ("Is the date right?", None, "RUSI, \u201cOrient Express\u201d, 16 October 2023. Is the date right?"),
        ("p. 3", None, "RUSI, \u201cOrient Express\u201d, 16 October 2023, p. 3."),  # a detail, not a sentence
    ],
)
def test_citation_ends_each_sentence_with_one_full_stop(note, url, expected):
    source = Source("rusi", "Orient Express", "RUSI", dt.date(2023, 10, 16), url, note)
    assert citation(source) == expected


@pytest.mark.parametrize(
    ("publisher", "url", "site", "expected"),
    [
        ("RUSI", "https://rusi.org/x", None, "RUSI, \u201cOrient Express\u201d, 16 October 2023. https://rusi.org/x"),
        ("RUSI", "https://www.wired-gov.net/wg/x", None,
         "RUSI, via a copy on wired-gov.net, \u201cOrient Express\u201d, 16 October 2023. https://www.wired-gov.net/wg/x"),
        ("RUSI", "https://www.wired-gov.net/wg/x", "original",
         "RUSI, \u201cOrient Express\u201d, 16 October 2023. https://www.wired-gov.net/wg/x"),
        ("RUSI", "https://rusi.org/x", "copy",
         "RUSI, via a copy on rusi.org, \u201cOrient Express\u201d, 16 October 2023. https://rusi.org/x"),
        ("RUSI", None, "copy", "RUSI, \u201cOrient Express\u201d, 16 October 2023."),
        ("Reuters (via NV and Yahoo News Australia)", "https://au.news.yahoo.com/x", None,
         "Reuters (via NV and Yahoo News Australia), \u201cOrient Express\u201d, 16 October 2023. https://au.news.yahoo.com/x"),
    ],
)
def test_citation_names_the_site_of_a_copy(publisher, url, site, expected):
    source = Source("rusi", "Orient Express", publisher, dt.date(2023, 10, 16), url, site=site)
    assert citation(source) == expected
    assert source.is_copy is (", via a copy on " in expected)


@pytest.mark.parametrize(
    ("publisher", "url", "date", "note", "expected"),
    [
        ("RUSI", "https://www.wired-gov.net/wg/x", dt.date(2023, 10, 16), None,
         "RUSI, via une copie sur wired-gov.net, «\u202fOrient Express\u202f», 16 octobre 2023. "
         "https://www.wired-gov.net/wg/x"),
        ("RUSI", None, dt.date(2023, 10, 1), "p. 3", "RUSI, «\u202fOrient Express\u202f», 1er octobre 2023, p. 3."),
        ("RUSI", "https://rusi.org/x", None, None, "RUSI, «\u202fOrient Express\u202f». https://rusi.org/x"),
    ],
)
def test_a_french_citation_has_french_words_quotes_and_dates(publisher, url, date, note, expected):
    source = Source("rusi", "Orient Express", publisher, date, url, note)
    assert citation(source, language=FR) == expected


def test_citations_follow_the_ids_and_leave_unknown_ones_out():
    sources = (Source("a", "First", "A"), Source("b", "Second", "B", dt.date(2024, 2, 29)))
    scenario = Scenario(1, "t", sources, (), ())
    assert citations(scenario, ["b", "x", "a"]) == ["B, \u201cSecond\u201d, 29 February 2024.",
                                                   "A, \u201cFirst\u201d."]
    assert citations(scenario, ["b"], language=FR) == ["B, «\u202fSecond\u202f», 29 février 2024."]


def test_every_feature_cites_its_sources_in_the_outputs_language(sample_routeset):
    """The record layer words the ``citations`` of legs, places and annotations (GeoJSON, CSV,
    GeoPackage, KML and the web map read them there)."""
    from routemap.maps.records import feature_records

    english, french = feature_records(sample_routeset), feature_records(sample_routeset, language=FR)
    scenario = sample_routeset.scenario
    for group in ("legs", "places", "annotations"):
        for en, fr in zip(english[group], french[group], strict=True):
            ids = en.properties["sources"] or []
            assert en.properties["citations"] == citations(scenario, ids)
            assert fr.properties["citations"] == citations(scenario, ids, language=FR)
    wh = french["annotations"][0].properties["citations"][0]
    assert wh.startswith("The White House, «\u202fPress briefing") and "13 octobre 2023" in wh


def test_the_geopackage_sources_table_and_the_manifest_cite_in_the_language(sample_routeset):
    import json

    from routemap.maps.gis.gpkg import gpkg_layers
    from routemap.maps.manifest import build_manifest

    table = gpkg_layers(sample_routeset, language="fr")["sources"]
    assert list(table["citation"]) == [citation(s, language=FR) for s in sample_routeset.scenario.sources]
    manifest = json.loads(build_manifest(sample_routeset, {}, scenario_label="s.yaml", language="fr"))
    assert manifest["sources"][0]["citation"] == citation(sample_routeset.scenario.sources[0], language=FR)


@pytest.mark.parametrize(("line", "expected"), [
    ("Rail network: (c) OpenStreetMap contributors, ODbL (via scgraph_data)",
     "Réseau ferré\u202f: (c) OpenStreetMap contributors, ODbL (via scgraph_data)"),
    ("Sea lanes: Eurostat SeaRoute marnet (EUPL), via searoute-py 1.6.0 (Gent Halili, Apache-2.0); "
     "land: Made with Natural Earth (public domain), naturalearthdata.com",
     "Voies maritimes\u202f: Eurostat SeaRoute marnet (EUPL), via searoute-py 1.6.0 (Gent Halili, "
     "Apache-2.0)\u202f; terres\u202f: Made with Natural Earth (public domain), naturalearthdata.com"),
    ("Made with Natural Earth (public domain), naturalearthdata.com",
     "Made with Natural Earth (public domain), naturalearthdata.com"),
    ("Nothing: a label routemap does not write", "Nothing: a label routemap does not write"),
])
def test_a_credit_names_what_it_credits_in_the_language(line, expected):
    assert credit(line, language=FR) == expected
    assert credit(line) == line


def test_every_credit_routemap_writes_has_a_known_label():
    """The credit lines geo writes start with a label :func:`credit` translates, and hold no
    English connective word but the licensors' own wording."""
    from routemap.geo.countries import NATURAL_EARTH_ATTRIBUTION
    from routemap.geo.gazetteer import GEONAMES_ATTRIBUTION, SEAROUTE_ATTRIBUTION
    from routemap.geo.network import RAIL_ATTRIBUTION, ROAD_ATTRIBUTION
    from routemap.geo.sealanes import MARNET_ATTRIBUTION
    from routemap.geo.waterways import read_waterways, waterways_path
    from routemap.maps.citations import CREDIT_LABELS

    lines = [GEONAMES_ATTRIBUTION, SEAROUTE_ATTRIBUTION, RAIL_ATTRIBUTION, ROAD_ATTRIBUTION,
             f"{MARNET_ATTRIBUTION}; land: {NATURAL_EARTH_ATTRIBUTION}",
             read_waterways(waterways_path()).attribution]
    for line in lines:
        for part in line.split("; "):
            assert part.split(": ", 1)[0] in CREDIT_LABELS, part
    english = re.compile(r"\b(by|from|shipped|with|list|and|courses|positions)\b")
    credits = [part.split(": ", 1)[1].replace(NATURAL_EARTH_ATTRIBUTION, "")
               for line in lines for part in line.split("; ")]
    assert [c for c in credits if english.search(c)] == []
