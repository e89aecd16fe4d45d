"""GIS exports in the reader's language: the KML's words, the data's text values, the
``language`` the files declare; property names, codes and English bytes unchanged."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from routemap.geo.model import FrozenMap, Quantity
from routemap.maps.gis.geojson import render_geojson
from routemap.maps.gis.gpkg import render_gpkg
from routemap.maps.gis.kml import KML_NAMESPACE, render_kml, render_kmz
from routemap.maps.gis.legs_csv import render_csv
from routemap.maps.records import feature_records
from routemap.routes.routeset import RouteSet
from routemap.routes.schema import LEG_COLUMNS

NS = f"{{{KML_NAMESPACE}}}"
NNBSP = "\u202f"

#: The tool's English words that French writes otherwise (``Sources``, ``Note``, ``Distance``,
#: ``Rail``, ``Air``, ``Port`` are French too, so they cannot tell; ``Mode`` opens
#: ``Mode de transport``). Checked as whole words, case-sensitive, outside the data's own text.
ENGLISH_FURNITURE = (
    "Transfer", "Period", "Confidence", "Quantity", "Carrier", "Cargo", "Corridor", "Ends",
    "Line", "Kind", "Country", "Uncertainty", "Confirmed", "Reported", "Estimated", "Claimed",
    "Sea", "Road", "Depot", "Places", "Attribution", "As of", "Leg", "leg", "Join",
    "Off the network", "Modelled routes", "modelled route", "How to read", "Colour", "Thin line",
    "straight line", "great_circle", "routed", "to the network", "North Korea", "Russia",
)


def _kml_texts(data: bytes) -> list[str]:
    """Return every name and description of a KML as a reader sees it: tags dropped, entities
    decoded."""
    root = ET.fromstring(data)
    tags = {f"{NS}name", f"{NS}description"}
    return [html.unescape(re.sub(r"<[^>]+>", " ", el.text or ""))
            for el in root.iter() if el.tag in tags]


#: Properties whose values the tool writes (a code, or words): their words must be translated,
#: so they are not taken out as the data's own text.
_WRITTEN_BY_THE_TOOL = frozenset({
    "quantity_text", "mode", "kind", "country", "confidence", "path_confidence", "geometry_kind",
    "feature_type", "quantity_qualifier", "citations",
})


def _data_texts(routeset: RouteSet) -> list[str]:
    """Return the texts the data itself brings (labels, names, cargo, notes, citations...),
    longest first, so that they can be taken out before looking for the tool's words."""
    found: set[str] = {routeset.scenario.title, routeset.scenario.subtitle or "",
                       *routeset.attributions}
    for records in feature_records(routeset).values():
        for record in records:
            for name, value in record.properties.items():
                if name in _WRITTEN_BY_THE_TOOL:
                    continue
                values = value if isinstance(value, list) else [value]
                found.update(v for v in values if isinstance(v, str))
    for source in routeset.scenario.sources:
        found.update(str(v) for v in (source.title, source.publisher, source.note, source.url) if v)
    return sorted((t for t in found if t), key=len, reverse=True)


def _tool_words(data: bytes, routeset: RouteSet) -> str:
    text = "\n".join(_kml_texts(data))
    for own in _data_texts(routeset):  # whole words only: a code like "port" is no transport
        text = re.sub(rf"(?<!\w){re.escape(own)}(?!\w)", " ", text)
    return text


def test_a_french_kml_has_no_english_furniture_word(sample_routeset: RouteSet) -> None:
    left = _tool_words(render_kml(sample_routeset, language="fr"), sample_routeset)
    found = [w for w in ENGLISH_FURNITURE if re.search(rf"\b{re.escape(w)}\b", left)]
    assert found == []
    assert not re.search(r"\bMode\b(?! de transport)", left)


def test_the_word_list_finds_the_english_words(sample_routeset: RouteSet) -> None:
    """The same check on the English KML finds most of the list: the check can fail."""
    left = _tool_words(render_kml(sample_routeset), sample_routeset)
    found = {w for w in ENGLISH_FURNITURE if re.search(rf"\b{re.escape(w)}\b", left)}
    assert {"Transfer", "Period", "Confidence", "Confirmed", "Leg", "Country", "Places",
            "As of", "North Korea", "Off the network", "great_circle"} <= found


def _balloon(data: bytes, name: str) -> str:
    root = ET.fromstring(data)
    for mark in root.iter(f"{NS}Placemark"):
        if mark.findtext(f"{NS}name") == name:
            return mark.findtext(f"{NS}description") or ""
    raise AssertionError(f"no placemark {name!r}")


@pytest.mark.parametrize(("code", "rows"), [
    ("en", ["<th>Kind</th><td>Port</td>", "<th>Country</th><td>North Korea</td>",
            "<th>Uncertainty</th><td>± 1 km</td>", "<th>LOCODE</th><td>KPNJN</td>"]),
    ("fr", ["<th>Type</th><td>Port</td>", "<th>Pays</th><td>Corée du Nord</td>",
            "<th>Incertitude</th><td>± 1 km</td>", "<th>LOCODE</th><td>KPNJN</td>"]),
])
def test_a_place_balloon_names_kind_and_country_in_the_language(
        sample_routeset: RouteSet, code: str, rows: list[str]) -> None:
    balloon = _balloon(render_kml(sample_routeset, language=code), "Rajin (Najin) port")
    for row in rows:
        assert row in balloon


def test_french_leg_names_dates_and_folders(sample_routeset: RouteSet) -> None:
    data = render_kml(sample_routeset, language="fr")
    texts = _kml_texts(data)
    assert ("Containers by sea to Dunai, then rail\u00a0: Étape 1 (mer)\u00a0: de Rajin (Najin) port à "
            "Dunai naval port") in texts
    assert "Étapes" in texts and "Lieux" in texts and "Itinéraires modélisés (bandes)" in texts
    assert "Hors réseau (raccords)" in texts
    document = ET.fromstring(data).find(f"{NS}Document")
    assert document is not None
    assert "Au 1er juin 2025" in html.unescape(document.findtext(f"{NS}description") or "")
    leg = _balloon(data, "Containers by sea to Dunai, then rail\u00a0: Étape 2 (rail)\u00a0: de Dunai "
                         "naval port à Tikhoretsk ammunition depot")
    assert f"<th>Distance</th><td>9{NNBSP}800 km (5{NNBSP}292 milles marins)</td>" in leg
    assert "<th>Période</th><td>7 sept.\u2009–\u20091er oct. 2023</td>" in leg


def test_french_kml_keeps_codes_and_property_names(sample_routeset: RouteSet) -> None:
    """ExtendedData is data: its names and coded values never change with the language."""
    def extended(data: bytes) -> list[tuple[str | None, str | None]]:
        return [(d.get("name"), d.findtext(f"{NS}value"))
                for d in ET.fromstring(data).iter(f"{NS}Data")
                if d.get("name") not in ("quantity_text", "citations", "attribution")]

    assert extended(render_kml(sample_routeset, language="fr")) == extended(render_kml(sample_routeset))


def test_the_kmz_carries_the_french_kml(sample_routeset: RouteSet) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(render_kmz(sample_routeset, language="fr"))) as kmz:
        assert "Lieux" in _kml_texts(kmz.read("doc.kml"))


@pytest.fixture()
def thousand_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with the sea-and-rail transfer carrying "more than 1,000
    conteneurs" (the unit as a French scenario writes it)."""
    scenario = sample_routeset.scenario
    claim = Quantity(1000.0, "conteneurs", qualifier="more than")
    transfers = tuple(dataclasses.replace(t, quantity=claim)
                      if t.id == "najin-dunai-tikhoretsk" else t for t in scenario.transfers)
    legs = sample_routeset.legs.copy()
    rows = legs["transfer_id"] == "najin-dunai-tikhoretsk"
    legs.loc[rows, "quantity_value"] = 1000.0
    legs.loc[rows, "quantity_unit"] = "conteneurs"
    legs.loc[rows, "quantity_qualifier"] = "more than"
    return dataclasses.replace(sample_routeset, legs=legs,
                               scenario=dataclasses.replace(scenario, transfers=transfers))


def _geojson(routeset: RouteSet, code: str) -> dict[str, Any]:
    return json.loads(render_geojson(routeset, language=code))


def test_french_geojson_declares_its_language_and_writes_quantities_in_french(
        thousand_routeset: RouteSet) -> None:
    fr, en = _geojson(thousand_routeset, "fr"), _geojson(thousand_routeset, "en")
    assert fr["language"] == "fr" and en["language"] == "en"
    leg = fr["features"][0]["properties"]
    assert leg["quantity_text"] == f"plus de 1{NNBSP}000 conteneurs"
    assert en["features"][0]["properties"]["quantity_text"] == "more than 1,000 conteneurs"
    assert leg["confidence"] == "confirmed" and leg["mode"] == "sea"
    assert [list(f["properties"]) for f in fr["features"]] == \
        [list(f["properties"]) for f in en["features"]]


def test_french_csv_keeps_its_columns_and_writes_quantities_in_french(
        thousand_routeset: RouteSet) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(thousand_routeset, language="fr").decode())))
    assert list(rows[0]) == [*LEG_COLUMNS, "geometry"]
    assert rows[0]["quantity_text"] == f"plus de 1{NNBSP}000 conteneurs"
    assert rows[0]["quantity_value"] == "1000.0" and rows[0]["confidence"] == "confirmed"


@pytest.mark.parametrize("code", ["en", "fr"])
def test_the_geopackage_names_its_language(thousand_routeset: RouteSet, tmp_path: Path,
                                           code: str) -> None:
    path = tmp_path / "routes.gpkg"
    path.write_bytes(render_gpkg(thousand_routeset, language=code))
    with sqlite3.connect(path) as con:
        meta = dict(con.execute("SELECT key, value FROM metadata ORDER BY fid"))
        quantity = con.execute("SELECT quantity_text FROM legs ORDER BY fid").fetchone()[0]
    assert meta == {"name": "Sample transfers", "language": code}
    assert quantity == {"en": "more than 1,000 conteneurs",
                        "fr": f"plus de 1{NNBSP}000 conteneurs"}[code]


def test_the_data_text_comes_from_the_route_set_in_the_language(sample_routeset: RouteSet) -> None:
    """A transfer label given in French reaches the KML's leg names and the GeoJSON in French."""
    scenario = dataclasses.replace(sample_routeset.scenario, translations=FrozenMap({
        "transfers.najin-dunai-tikhoretsk.label": FrozenMap({
            "en": "Containers by sea to Dunai, then rail",
            "fr": "Conteneurs par mer jusqu'à Dunaï, puis par rail"}),
    }))
    french = dataclasses.replace(sample_routeset, scenario=scenario).in_language("fr")
    assert ("Conteneurs par mer jusqu'à Dunaï, puis par rail\u00a0: Étape 1 (mer)\u00a0: de Rajin (Najin) "
            "port à Dunai naval port") in _kml_texts(render_kml(french, language="fr"))
    labels = {f["properties"].get("transfer_label") for f in _geojson(french, "fr")["features"]}
    assert "Conteneurs par mer jusqu'à Dunaï, puis par rail" in labels


@pytest.mark.parametrize("render", [render_geojson, render_csv, render_kml])
def test_english_is_the_default(sample_routeset: RouteSet, render: Any) -> None:
    assert render(sample_routeset) == render(sample_routeset, language="en")
