"""Tests for maps/kml.py: styles, folders, time spans, escaped balloons, KMZ, GDAL read-back."""

from __future__ import annotations

import dataclasses
import io
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString

from routemap.geo.model import Source
from routemap.maps.gis.kml import (
    CONNECTOR_FOLDER,
    KML_NAMESPACE,
    connector_style_id,
    kml_color,
    leg_style_id,
    render_kml,
    render_kmz,
    safe_url,
)
from routemap.maps.style import (
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_STYLES,
    PLACE_STYLES,
)
from routemap.routes.routeset import RouteSet

K = f"{{{KML_NAMESPACE}}}"
SCRIPT = "<script>alert('x')</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
CDATA_END = "]]>"
EVIL_URL = "javascript:alert(document.cookie)"
ALLOWED_TAGS = {"h3", "table", "tr", "th", "td", "p", "b", "ol", "ul", "li", "a", "small"}


@pytest.fixture()
def hostile_routeset(sample_routeset: RouteSet) -> RouteSet:
    """The sample route set with script, attribute break-outs, ``]]>`` and a javascript: URL."""
    evil = Source("evil", f"Title {CDATA_END} {BREAKOUT}", SCRIPT, url=EVIL_URL,
                  note="\x00\x07control\x1f")
    scenario = dataclasses.replace(sample_routeset.scenario,
                                   sources=(*sample_routeset.scenario.sources, evil))
    legs = sample_routeset.legs.copy()
    legs["transfer_label"] = [f"{SCRIPT} {CDATA_END}"] * 2 + ["air"]
    legs["note"] = [BREAKOUT, None, f"<![CDATA[{CDATA_END}"]
    legs["sources"] = [["evil"], ["wh-2023-10"], ["rusi-2023-08"]]
    places = sample_routeset.places.copy()
    places["name"] = [SCRIPT, BREAKOUT, CDATA_END]
    return dataclasses.replace(sample_routeset, scenario=scenario, legs=legs, places=places,
                               attributions=(*sample_routeset.attributions, SCRIPT))


def _root(routeset: RouteSet) -> ET.Element:
    return ET.fromstring(render_kml(routeset))


def _folders(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{K}Document/{K}Folder")


class _TagCollector(HTMLParser):
    """Collect (tag, attributes) of every start tag in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _html_tags(fragment: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _TagCollector()
    parser.feed(fragment)
    parser.close()
    return parser.tags


# --- structure ------------------------------------------------------------------------------


def test_kml_is_well_formed_kml_22(sample_routeset: RouteSet) -> None:
    data = render_kml(sample_routeset)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="')
    root = ET.fromstring(data)
    assert root.tag == f"{K}kml"
    assert root.find(f"{K}Document/{K}name").text == "Sample transfers"


def test_kml_has_one_folder_of_legs_named_by_transfer_then_places_and_annotations(
    sample_routeset: RouteSet,
) -> None:
    folders = _folders(_root(sample_routeset))
    names = [f.find(f"{K}name").text for f in folders]
    assert names == ["Legs", "Places", "Annotations", "Modelled routes (bands)",
                     "Off the network (connectors)"]
    # the sample's legs give no path certainty, so each is taken as modelled and gets a band;
    # its rail leg has one connector
    assert [len(f.findall(f"{K}Placemark")) for f in folders] == [3, 3, 1, 3, 1]
    assert [m.find(f"{K}name").text for m in folders[0].findall(f"{K}Placemark")] == [
        "Containers by sea to Dunai, then rail: Leg 1 (sea): Rajin (Najin) port to Dunai naval port",
        "Containers by sea to Dunai, then rail: Leg 2 (rail): Dunai naval port to Tikhoretsk "
        "ammunition depot",
        "Air-defence systems (route not reported): Leg 1 (air): Dunai naval port to Rajin (Najin) "
        "port"]
    balloon = folders[0].find(f"{K}Placemark").find(f"{K}description").text
    assert "<th>Transfer</th><td>Containers by sea to Dunai, then rail</td>" in balloon


@pytest.mark.parametrize(("hex_color", "opacity", "expected"), [
    ("#0072B2", 1.0, "ffb27200"), ("#D55E00", 0.5, "80005ed5"), ("#000000", 0.0, "00000000"),
])
def test_kml_color_is_aabbggrr(hex_color: str, opacity: float, expected: str) -> None:
    assert kml_color(hex_color, opacity) == expected


def _styles(root: ET.Element) -> dict[str, ET.Element]:
    return {s.get("id"): s for s in root.find(f"{K}Document").findall(f"{K}Style")}


def test_kml_line_styles_come_from_the_style_table(sample_routeset: RouteSet) -> None:
    styles = _styles(_root(sample_routeset))
    for mode, mstyle in MODE_STYLES.items():
        for confidence, cstyle in CONFIDENCE_STYLES.items():
            for path in PATH_STYLES:
                line = styles[f"leg-{mode}-{confidence}-{path}"].find(f"{K}LineStyle")
                assert line.find(f"{K}color").text == kml_color(mstyle.color, cstyle.opacity)
                width = float(line.find(f"{K}width").text)
                assert width == pytest.approx(mstyle.base_width * cstyle.width_factor)
        band = styles[f"band-{mode}"].find(f"{K}LineStyle")
        assert band.find(f"{K}color").text == kml_color(mstyle.color, PATH_STYLES["estimated"].band_opacity)
        assert float(band.find(f"{K}width").text) == pytest.approx(
            mstyle.base_width * PATH_STYLES["estimated"].band_factor)
    assert "place-port" in styles and "annotation" in styles


@pytest.mark.parametrize(("mode", "confidence", "path", "expected"), [
    ("rail", "confirmed", "estimated", "leg-rail-confirmed-estimated"),
    ("sea", "reported", "reported", "leg-sea-reported-reported"),
    ("air", "claimed", None, None), ("air", "bogus", "reported", None), ("boat", "confirmed", "reported", None),
])
def test_leg_style_id_names_both_certainties(mode, confidence, path, expected) -> None:
    assert leg_style_id(mode, confidence, path) == expected


def _with_paths(routeset: RouteSet, paths: list[str | None]) -> RouteSet:
    legs = routeset.legs.copy()
    legs["path_confidence"] = paths
    return dataclasses.replace(routeset, legs=legs)


def test_kml_legs_use_the_style_of_their_mode_and_both_certainties(
    sample_routeset: RouteSet,
) -> None:
    routeset = _with_paths(sample_routeset, ["reported", "estimated", "estimated"])
    folders = _folders(_root(routeset))
    urls = [m.find(f"{K}styleUrl").text for m in folders[0].findall(f"{K}Placemark")]
    assert urls == ["#leg-sea-confirmed-reported", "#leg-rail-confirmed-estimated",
                    "#leg-air-estimated-estimated"]


def test_modelled_lines_get_a_band_and_reported_ones_none(sample_routeset: RouteSet) -> None:
    routeset = _with_paths(sample_routeset, ["reported", "estimated", None])  # None: never "reported"
    folders = _folders(_root(routeset))
    bands = next(f for f in folders if f.find(f"{K}name").text == "Modelled routes (bands)")
    marks = bands.findall(f"{K}Placemark")
    assert [m.find(f"{K}styleUrl").text for m in marks] == ["#band-rail", "#band-air"]
    assert marks[0].find(f"{K}name").text.endswith("leg 2: modelled route")
    assert marks[0].find(f"{K}LineString/{K}coordinates").text == (
        folders[0].findall(f"{K}Placemark")[1].find(f"{K}LineString/{K}coordinates").text)
    all_reported = _folders(_root(_with_paths(sample_routeset, ["reported"] * 3)))
    assert "Modelled routes (bands)" not in [f.find(f"{K}name").text for f in all_reported]
    description = _root(routeset).find(f"{K}Document/{K}description").text
    assert "the route is modelled, not reported" in description and "Opacity and width" in description


def test_place_kinds_have_their_own_offline_icons_in_the_kmz(sample_routeset: RouteSet) -> None:
    from PIL import Image

    with zipfile.ZipFile(io.BytesIO(render_kmz(sample_routeset))) as archive:
        names = archive.namelist()
        doc = ET.fromstring(archive.read("doc.kml"))
        styles = _styles(doc)
        hrefs = {kind: styles[f"place-{kind}"].find(f"{K}IconStyle/{K}Icon/{K}href").text
                 for kind in PLACE_STYLES}
        assert len(set(hrefs.values())) == len(PLACE_STYLES)  # one icon per kind
        for kind, href in hrefs.items():
            assert href == f"icons/place-{kind}.png" and href in names
            icon = Image.open(io.BytesIO(archive.read(href)))
            assert icon.size == (64, 64) and icon.mode == "RGBA"
            assert icon.getpixel((32, 40))[3] == 255 and icon.getpixel((1, 1))[3] == 0
    every_href = [h.text for h in doc.iter(f"{K}href")]
    assert every_href and not any("://" in h for h in every_href)  # nothing from a server


def test_bare_kml_places_use_the_built_in_pin_tinted_per_kind(sample_routeset: RouteSet) -> None:
    root = _root(sample_routeset)
    assert not list(root.iter(f"{K}Icon")) and not list(root.iter(f"{K}href"))
    styles = _styles(root)
    tints = {styles[f"place-{kind}"].find(f"{K}IconStyle/{K}color").text for kind in PLACE_STYLES}
    assert len(tints) >= 6  # depots, ports, stations, junctions, airfields, crossings differ
    depot, port = styles["place-depot"], styles["place-port"]
    assert depot.find(f"{K}IconStyle/{K}color").text == kml_color(PLACE_STYLES["depot"].fill)
    assert port.find(f"{K}IconStyle/{K}color").text == kml_color(PLACE_STYLES["port"].edge)
    assert float(depot.find(f"{K}IconStyle/{K}scale").text) > float(
        styles["place-city"].find(f"{K}IconStyle/{K}scale").text)


def test_kml_time_spans_follow_the_periods(sample_routeset: RouteSet) -> None:
    folders = _folders(_root(sample_routeset))
    spans = [(m.find(f"{K}TimeSpan/{K}begin").text, m.find(f"{K}TimeSpan/{K}end").text)
             for f in (folders[0], folders[2]) for m in f.findall(f"{K}Placemark")]
    assert spans == [("2023-09-07", "2023-10-01"), ("2023-09-07", "2023-10-01"),
                     ("2024-11-01", "2024-12-31"), ("2023-09-07", "2023-09-08")]
    assert all(m.find(f"{K}TimeSpan") is None for m in folders[1].findall(f"{K}Placemark"))


def test_kml_document_description_carries_attributions(sample_routeset: RouteSet) -> None:
    text = _root(sample_routeset).find(f"{K}Document/{K}description").text
    for line in sample_routeset.attributions:
        assert line in text


def test_kml_balloons_write_values_in_words(sample_routeset: RouteSet) -> None:
    """Quantity, period, distance and confidence as routemap.maps.wording writes them."""
    folders = _folders(_root(sample_routeset))
    leg = folders[0].find(f"{K}Placemark").find(f"{K}description").text
    for row in ("<th>Quantity</th><td>300 containers</td>",
                "<th>Period</th><td>7 Sep \u2013 1 Oct 2023</td>",
                "<th>Distance</th><td>190 km (103 nmi)</td>",
                "<th>Confidence</th><td>Confirmed: two or more independent sources, or imagery</td>"):
        assert row in leg
    place = folders[1].findall(f"{K}Placemark")[2].find(f"{K}description").text
    assert "<th>Uncertainty</th><td>\u00b1 10 km</td>" in place
    document = _root(sample_routeset).find(f"{K}Document/{K}description").text
    assert "As of 1 June 2025" in document


def test_kml_balloons_cite_sources_with_links(sample_routeset: RouteSet) -> None:
    mark = _folders(_root(sample_routeset))[0].find(f"{K}Placemark")
    tags = _html_tags(mark.find(f"{K}description").text)
    assert ("a", {"href": "https://www.whitehouse.gov/briefing"}) in tags
    assert "The White House" in mark.find(f"{K}description").text


def test_kml_extended_data_has_the_contract_properties(sample_routeset: RouteSet) -> None:
    mark = _folders(_root(sample_routeset))[0].find(f"{K}Placemark")
    data = {d.get("name"): d.find(f"{K}value").text for d in mark.iter(f"{K}Data")}
    assert data["feature_id"] == "leg:najin-dunai-tikhoretsk:0"
    assert data["sources"] == '["wh-2023-10"]'


def test_kml_splits_lines_at_the_antimeridian(sample_routeset: RouteSet) -> None:
    legs = sample_routeset.legs.set_geometry(
        [LineString([(170.0, 50.0), (190.0, 55.0)]), *sample_routeset.legs.geometry[1:]],
        crs="EPSG:4326")
    root = _root(dataclasses.replace(sample_routeset, legs=legs))
    mark = _folders(root)[0].find(f"{K}Placemark")
    lines = mark.findall(f"{K}MultiGeometry/{K}LineString")
    assert len(lines) == 2
    for line in lines:
        lons = [float(p.split(",")[0]) for p in line.find(f"{K}coordinates").text.split()]
        assert all(-180 <= lon <= 180 for lon in lons)


# --- hostile strings ------------------------------------------------------------------------


def test_kml_hostile_strings_stay_text(hostile_routeset: RouteSet) -> None:
    data = render_kml(hostile_routeset)
    assert CDATA_END.encode() not in data and b"<![CDATA[" not in data
    assert b"<script" not in data and b"<img" not in data
    root = ET.fromstring(data)  # well-formed despite ]]>, quotes and control characters
    places = _folders(root)[1].findall(f"{K}Placemark")
    assert [p.find(f"{K}name").text for p in places] == [SCRIPT, BREAKOUT, CDATA_END]


def test_kml_descriptions_hold_only_our_markup(hostile_routeset: RouteSet) -> None:
    root = _root(hostile_routeset)
    descriptions = [d.text for d in root.iter(f"{K}description")]
    assert descriptions
    for text in descriptions:
        for tag, attrs in _html_tags(text):
            assert tag in ALLOWED_TAGS
            assert not any(name.startswith("on") for name in attrs)
            if tag == "a":
                assert safe_url(attrs["href"]) == attrs["href"]


def test_kml_javascript_urls_never_become_links(hostile_routeset: RouteSet) -> None:
    mark = _folders(_root(hostile_routeset))[0].find(f"{K}Placemark")
    text = mark.find(f"{K}description").text
    assert not [a for tag, a in _html_tags(text) if tag == "a"]
    assert "javascript:alert" in text  # shown as text, inert


def test_kml_balloon_text_is_the_description_only(sample_routeset: RouteSet) -> None:
    doc = _root(sample_routeset).find(f"{K}Document")
    texts = {s.find(f"{K}BalloonStyle/{K}text").text for s in doc.findall(f"{K}Style")}
    assert texts == {"$[description]"}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://rusi.org/x", "https://rusi.org/x"), ("http://a.b/", "http://a.b/"),
    ("HTTPS://A.B/", "HTTPS://A.B/"), (EVIL_URL, None), (" javascript:alert(1)", None),
    ("data:text/html,<script>", None), ("//evil.example/x", None), ("https:///x", None),
    ("https://a.b/\nx", None), (None, None), ("", None),
])
def test_safe_url(url, expected) -> None:
    assert safe_url(url) == expected


# --- determinism, KMZ, GDAL -----------------------------------------------------------------


def test_kml_and_kmz_are_deterministic(sample_routeset: RouteSet) -> None:
    assert render_kml(sample_routeset) == render_kml(sample_routeset)
    assert render_kmz(sample_routeset) == render_kmz(sample_routeset)


def test_kmz_holds_doc_kml_with_a_fixed_timestamp(sample_routeset: RouteSet) -> None:
    with zipfile.ZipFile(io.BytesIO(render_kmz(sample_routeset))) as archive:
        assert archive.namelist() == ["doc.kml", *(f"icons/place-{k}.png" for k in PLACE_STYLES)]
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
        bare = render_kml(sample_routeset).decode()
        doc = archive.read("doc.kml").decode()
        # the same document but for the icons the KMZ carries
        assert doc.count("<Placemark>") == bare.count("<Placemark>")
        assert doc.count("<href>icons/place-") == len(PLACE_STYLES) and "<href>" not in bare


@pytest.mark.parametrize(("name", "render"), [("routes.kml", render_kml),
                                              ("routes.kmz", render_kmz)])
def test_kml_reads_back_with_gdal(sample_routeset: RouteSet, tmp_path: Path, name, render):
    path = tmp_path / name
    path.write_bytes(render(sample_routeset))
    layers = [layer for layer, _ in pyogrio.list_layers(path)]
    assert layers == ["Legs", "Places", "Annotations", "Modelled routes (bands)",
                      "Off the network (connectors)"]
    legs = pyogrio.read_dataframe(path, layer="Legs")
    assert list(legs["feature_id"]) == ["leg:najin-dunai-tikhoretsk:0",
                                        "leg:najin-dunai-tikhoretsk:1", "leg:air-estimate:0"]
    assert list(legs["transfer_id"]) == ["najin-dunai-tikhoretsk"] * 2 + ["air-estimate"]
    assert list(legs.geometry.geom_type) == ["LineString", "LineString", "MultiLineString"]
    places = pyogrio.read_dataframe(path, layer="Places")
    assert list(places["Name"]) == list(sample_routeset.places["name"])
    assert "name2" not in places.columns
    notes = pyogrio.read_dataframe(path, layer="Annotations")
    assert str(notes["begin"][0].date()) == "2023-09-07"
    joins = pyogrio.read_dataframe(path, layer="Off the network (connectors)")
    assert list(joins["feature_id"]) == ["leg:najin-dunai-tikhoretsk:1"]
    assert float(joins["off_network_km"][0]) == pytest.approx(0.8)
    assert float(joins["detour_ratio"][0]) == pytest.approx(1.53)


def _many_transfers(routeset: RouteSet, copies: int) -> RouteSet:
    """The sample's legs again under ``copies`` transfer ids each: many transfers, few rows."""
    import geopandas as gpd
    import pandas as pd

    parts = []
    for i in range(copies):
        legs = routeset.legs.copy()
        legs["transfer_id"] = legs["transfer_id"] + f"-{i}"
        legs["transfer_label"] = legs["transfer_label"] + f" ({i + 1})"
        legs["feature_id"] = "leg:" + legs["transfer_id"] + ":" + legs["leg_index"].astype(str)
        parts.append(legs)
    legs = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=routeset.legs.crs)
    return dataclasses.replace(routeset, legs=legs)


def test_gdal_reads_as_many_layers_whatever_the_number_of_transfers(sample_routeset: RouteSet,
                                                                     tmp_path: Path) -> None:
    """One transfer or thirty: the same five layers (a folder per transfer made 1,002 at 1,000)."""
    counts = {}
    for copies in (1, 30):
        path = tmp_path / f"routes-{copies}.kml"
        path.write_bytes(render_kml(_many_transfers(sample_routeset, copies)))
        counts[copies] = [layer for layer, _ in pyogrio.list_layers(path)]
        legs = pyogrio.read_dataframe(path, layer="Legs")
        assert len(legs) == 3 * copies and legs["transfer_id"].nunique() == 2 * copies
        assert legs["Name"].iloc[-1] == (f"Air-defence systems (route not reported) ({copies}): Leg 1 (air): "
                                         "Dunai naval port to Rajin (Najin) port")
        assert str(legs["begin"].iloc[-1].date()) == "2024-11-01"  # time spans kept
    assert counts[1] == counts[30] == ["Legs", "Places", "Annotations", "Modelled routes (bands)",
                                       "Off the network (connectors)"]


def test_kml_does_not_mutate_the_routeset(sample_routeset: RouteSet) -> None:
    before = sample_routeset.places.copy(deep=True)
    render_kmz(sample_routeset)
    assert_geodataframe_equal(sample_routeset.places, before)


# --- connectors: stretches off the network ----------------------------------------------------


def _coords(mark: ET.Element) -> list[tuple[float, float]]:
    text = mark.find(f".//{K}LineString/{K}coordinates").text
    return [tuple(float(v) for v in pair.split(",")) for pair in text.split()]


def _connector_folder(root: ET.Element) -> ET.Element:
    return next(f for f in _folders(root) if f.find(f"{K}name").text == CONNECTOR_FOLDER)


def test_connector_styles_come_from_the_style_table(sample_routeset: RouteSet) -> None:
    styles = _styles(_root(sample_routeset))
    for mode, mstyle in MODE_STYLES.items():
        line = styles[connector_style_id(mode)].find(f"{K}LineStyle")
        assert line.find(f"{K}color").text == kml_color(mstyle.color, CONNECTOR_STYLE.opacity)
        assert float(line.find(f"{K}width").text) == pytest.approx(CONNECTOR_STYLE.width)
        assert CONNECTOR_STYLE.width < mstyle.base_width * min(
            c.width_factor for c in CONFIDENCE_STYLES.values())
    assert connector_style_id("boat") is None


def test_a_connector_is_its_own_placemark_named_after_its_leg(sample_routeset: RouteSet) -> None:
    """The sample rail leg starts with Dunai's 0.8 km straight join to the network."""
    root = _root(sample_routeset)
    (mark,) = _connector_folder(root).findall(f"{K}Placemark")
    assert mark.find(f"{K}styleUrl").text == "#connector-rail"
    assert mark.find(f"{K}name").text == (
        "Containers by sea to Dunai, then rail: Leg 2 (rail): Dunai naval port to Tikhoretsk "
        "ammunition depot: off the network")
    assert _coords(mark) == [(132.338, 42.88), (132.3295, 42.8833)]
    balloon = mark.find(f"{K}description").text
    assert "Dunai naval port to the network: 0.8 km in a straight line" in balloon
    assert "0.8 km: straight join, not track" in balloon
    data = {d.get("name"): d.find(f"{K}value").text for d in mark.iter(f"{K}Data")}
    assert data["feature_id"] == "leg:najin-dunai-tikhoretsk:1" and data["off_network_km"] == "0.8"
    description = root.find(f"{K}Document/{K}description").text
    assert "Off the network: straight join, not track" in description


def test_the_legs_line_and_band_leave_its_connector_out(sample_routeset: RouteSet) -> None:
    root = _root(sample_routeset)
    rail = _folders(root)[0].findall(f"{K}Placemark")[1]
    assert _coords(rail)[0] == (132.3295, 42.8833) and len(_coords(rail)) == 4
    assert "0.8 km: straight join, not track" in rail.find(f"{K}description").text
    bands = next(f for f in _folders(root) if f.find(f"{K}name").text == "Modelled routes (bands)")
    assert _coords(bands.findall(f"{K}Placemark")[1]) == _coords(rail)


def test_a_leg_wholly_off_the_network_is_drawn_in_the_connector_style(
    sample_routeset: RouteSet,
) -> None:
    legs = sample_routeset.legs.copy()
    (a, b), (c,) = legs.geometry.iloc[0].coords[:2], legs.geometry.iloc[0].coords[2:]
    legs.at[legs.index[0], "connectors"] = [[list(a), list(b)], [list(b), list(c)]]
    root = _root(dataclasses.replace(sample_routeset, legs=legs))
    sea = _folders(root)[0].findall(f"{K}Placemark")[0]
    assert sea.find(f"{K}styleUrl").text == "#connector-sea"
    assert len(_coords(sea)) == 3
    # not again among the connectors, and no band under it
    names = [m.find(f"{K}name").text for m in _connector_folder(root).findall(f"{K}Placemark")]
    assert names == ["Containers by sea to Dunai, then rail: Leg 2 (rail): Dunai naval port to "
                     "Tikhoretsk ammunition depot: off the network"]
    bands = next(f for f in _folders(root) if f.find(f"{K}name").text == "Modelled routes (bands)")
    assert [m.find(f"{K}styleUrl").text for m in bands.findall(f"{K}Placemark")] == [
        "#band-rail", "#band-air"]


def test_no_connector_folder_when_every_leg_is_on_the_network(sample_routeset: RouteSet) -> None:
    legs = sample_routeset.legs.copy()
    legs["connectors"] = [[] for _ in range(len(legs))]
    root = _root(dataclasses.replace(sample_routeset, legs=legs))
    assert CONNECTOR_FOLDER not in [f.find(f"{K}name").text for f in _folders(root)]
    rail = _folders(root)[0].findall(f"{K}Placemark")[1]
    assert _coords(rail)[0] == (132.338, 42.88)
