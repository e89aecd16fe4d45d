"""Tests for the HTML map on its data: self-contained, layers, bounds, properties, escaping, bytes.

The browser checks (what a person sees) live in test_html_browser.py.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import re
from html.parser import HTMLParser

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from routemap.geo.model import Corridor, Quantity
from routemap.maps.slides.spec import overview_spec
from routemap.maps.style import (
    CONFIDENCE_STYLES,
    CONNECTOR_STYLE,
    MODE_STYLES,
    PATH_LEGEND,
    PATH_STYLES,
    line_width,
    svg_dasharray,
)
from routemap.maps.web import html as web
from routemap.maps.web.assets import inline_css_images, load_web_assets, strip_source_map
from routemap.maps.web.data import LINE_SCALE, safe_link
from routemap.maps.web.packing import unpack_map_data
from routemap.maps.web.tiles import TILE_HOSTS, TILE_SOURCES
from routemap.maps.web.timeline import timeline_steps
from routemap.maps.web.vector_basemap import Region, basemap_region, build_basemap, encode_line
from routemap.routes.routeset import RouteSet

MAX_BYTES = 2_000_000
URL = re.compile(r"https?://[^\s\"'<>);\\]+")
DATA_ISLAND = re.compile(r'<script type="application/json" id="[^"]+">(.*?)</script>', re.DOTALL)


class _Tags(HTMLParser):
    """Collects every start tag with its attributes (script and style bodies are not tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _data(page: str) -> dict:
    """Return the map document a page carries, unpacked (``routemap.maps.web.packing``)."""
    (island,) = DATA_ISLAND.findall(page)
    return unpack_map_data(json.loads(island))


def _decode(codes: list[int], scale: int) -> np.ndarray:
    """Return ``[[lat, lon], ...]`` from a delta-coded list (as the page's script does)."""
    return np.cumsum(np.asarray(codes, dtype=float).reshape(-1, 2), axis=0) / scale


@pytest.fixture()
def page(sample_routeset: RouteSet) -> str:
    """The sample route set's map as text."""
    return web.render_html(sample_routeset).decode("utf-8")


# --- self-contained ---------------------------------------------------------------------------


def test_render_html_returns_utf8_bytes_of_one_page(sample_routeset):
    out = web.render_html(sample_routeset)
    assert isinstance(out, bytes)
    text = out.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("<html") == 1 and text.rstrip().endswith("</html>")


def test_no_tag_loads_anything(page):
    """No <link>, no src= and no href= to http(s): every script and style is inline."""
    tags = _tags(page)
    assert not [t for t, _ in tags if t in ("link", "iframe", "img", "object", "embed")]
    for tag, attrs in tags:
        assert "src" not in attrs, tag
        assert not str(attrs.get("href") or "").startswith(("http:", "https:", "//")), tag
    assert sum(1 for t, a in tags if t == "script" and "type" not in a) >= 3
    assert sum(1 for t, _ in tags if t == "style") >= 2


def test_the_only_urls_are_citations_tiles_and_leaflets_own_text(page, sample_routeset):
    assets = load_web_assets()
    vendored = set(URL.findall("".join(assets.scripts + assets.styles)))
    citations = {s.url for s in sample_routeset.scenario.sources}
    tiles = {t.url for t in TILE_SOURCES}
    tiles |= {u for t in TILE_SOURCES for u in URL.findall(t.attribution)}
    hosts = {h.replace("*.", "") for h in TILE_HOSTS} | set(TILE_HOSTS)
    found = set(URL.findall(page))
    assert found - vendored - citations - tiles - hosts == set()
    assert citations <= found


def test_no_cdn_and_no_folium_defaults(page):
    for needle in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrap", "font-awesome",
                   "fontawesome", "awesome-markers", "sourceMappingURL", "url(images/"):
        assert needle not in page


def test_security_policy_names_every_inline_script(page):
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in policy and "connect-src" not in policy
    for body in re.findall(r"<script>(.*?)</script>", page, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert page.index("Content-Security-Policy") < page.index("<script")


# --- determinism and notebook use ------------------------------------------------------------


def test_same_route_set_gives_identical_bytes(sample_routeset):
    assert web.render_html(sample_routeset) == web.render_html(sample_routeset)


def test_element_ids_are_not_random(page):
    assert not re.search(r"[0-9a-f]{32}", page)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_make_map_returns_a_folium_map_that_displays_in_a_notebook(sample_routeset):
    fmap = web.make_map(sample_routeset)
    assert isinstance(fmap, folium.Map)
    shown = fmap._repr_html_()
    assert "<iframe" in shown and "srcdoc=" in shown
    assert "routemap.draw(" in shown and "cdn.jsdelivr" not in shown


def test_make_map_renders_the_same_page_body(sample_routeset):
    body = web.make_map(sample_routeset).get_root().render()
    page = web.render_html(sample_routeset).decode("utf-8")
    assert web.with_security_policy(body) == page


# --- the data the page draws ------------------------------------------------------------------


def test_one_leg_entry_per_leg_in_order_grouped_by_transfer(page, sample_routeset):
    data = _data(page)
    assert [leg["id"] for leg in data["legs"]] == list(sample_routeset.legs["feature_id"])
    assert [t["id"] for t in data["transfers"]] == ["najin-dunai-tikhoretsk", "air-estimate"]
    assert data["transfers"][0]["legs"] == ["leg:najin-dunai-tikhoretsk:0",
                                            "leg:najin-dunai-tikhoretsk:1"]
    assert [p["kind"] for p in data["places"]] == ["port", "port", "depot"]
    assert data["legend"] == {"modes": ["sea", "rail", "air"],
                              "confidences": ["confirmed", "estimated"],
                              "paths": ["reported", "estimated"],
                              "connectors": True,
                              "titles": PATH_LEGEND,
                              "places": ["port", "depot"],
                              "widths": [[round(line_width("sea", 300, 300), 2),
                                          "300 containers"],
                                         [round(line_width("sea", 75, 300), 2),
                                          "75 containers"]]}


def test_leg_geometry_round_trips_within_the_drawing_tolerance(page, sample_routeset):
    data = _data(page)
    for leg, geom in zip(data["legs"], sample_routeset.legs.geometry, strict=False):
        parts = [_decode(p, data["scale"]) for p in leg["parts"]]
        parts += [_decode(p, data["scale"]) for c in leg["connectors"] for p in c]
        drawn = shapely.multilinestrings([shapely.linestrings(p[:, ::-1]) for p in parts])
        assert shapely.hausdorff_distance(drawn, geom) < 1e-3


def test_bounds_hold_every_leg_and_place(page):
    data = _data(page)
    (south, west), (north, east) = data["bounds"]
    points = [_decode(p, LINE_SCALE) for leg in data["legs"] for p in leg["parts"]]
    points += [_decode(p["at"], LINE_SCALE) for p in data["places"]]
    allp = np.vstack(points)
    assert allp[:, 0].min() >= south - 1e-4 and allp[:, 0].max() <= north + 1e-4
    assert allp[:, 1].min() >= west - 1e-4 and allp[:, 1].max() <= east + 1e-4
    assert (south, west, north, east) == pytest.approx((42.245, 40.13, 56.84, 132.338))


def test_leg_style_comes_from_the_one_style_table(page):
    data = _data(page)
    sea, rail, air = data["legs"]
    assert sea["color"] == MODE_STYLES["sea"].color and rail["color"] == MODE_STYLES["rail"].color
    assert rail["weight"] == pytest.approx(line_width("rail", 300, 300))
    assert air["weight"] == pytest.approx(
        line_width("air", None, None) * CONFIDENCE_STYLES["estimated"].width_factor, abs=0.01)
    assert sea["dash"] is None
    assert air["dash"] == svg_dasharray("estimated", air["weight"])
    assert air["opacity"] == CONFIDENCE_STYLES["estimated"].opacity


def test_a_modelled_line_carries_its_band_and_a_reported_one_none(sample_routeset):
    legs = sample_routeset.legs.copy()
    legs.loc[legs.index[1], "path_confidence"] = "reported"
    data = _data(web.render_html(dataclasses.replace(sample_routeset, legs=legs)).decode())
    sea, rail, air = data["legs"]
    assert [leg["path"] for leg in data["legs"]] == ["estimated", "reported", "estimated"]
    assert rail["band"] is None
    band = PATH_STYLES["estimated"]
    assert sea["band"] == {"weight": pytest.approx(sea["weight"] * band.band_factor, abs=0.01),
                           "opacity": band.band_opacity}
    assert air["band"]["weight"] == pytest.approx(air["weight"] * band.band_factor, abs=0.01)
    assert data["styles"]["paths"]["estimated"] == {
        "label": band.label, "meaning": band.meaning, "band": band.band_factor,
        "opacity": band.band_opacity}
    assert data["styles"]["paths"]["reported"]["band"] == 0


def test_no_band_and_no_band_legend_when_every_line_is_reported(sample_routeset):
    legs = sample_routeset.legs.copy()
    legs["path_confidence"] = "reported"
    data = _data(web.render_html(dataclasses.replace(sample_routeset, legs=legs)).decode())
    assert [leg["band"] for leg in data["legs"]] == [None, None, None]
    assert data["legend"]["paths"] == []


def test_only_legs_in_the_main_unit_are_wider_and_the_legend_says_so(mixed_units_routeset):
    """2 Koksan guns are not drawn as thick as 300 containers: other units keep base width."""
    data = _data(web.render_html(mixed_units_routeset).decode("utf-8"))
    sea, rail, air = data["legs"]
    assert sea["weight"] == pytest.approx(line_width("sea", 300, 300))
    assert rail["weight"] == pytest.approx(line_width("rail", 300, 300))
    assert air["weight"] == pytest.approx(
        MODE_STYLES["air"].base_width * CONFIDENCE_STYLES["estimated"].width_factor, abs=0.01)
    assert data["legend"]["widths"] == [
        [round(line_width("sea", 300, 300), 2), "300 containers"],
        [round(line_width("sea", 75, 300), 2), "75 containers"],
        [MODE_STYLES["air"].base_width,
         "Other unit (Koksan guns): base width; see popups/notes"],
    ]
    assert dict(air["rows"])["Quantity"] == "2 Koksan guns"


def test_html_and_slide_legends_draw_the_same_width_rows(mixed_units_routeset):
    data = _data(web.render_html(mixed_units_routeset).decode("utf-8"))
    slide = overview_spec(mixed_units_routeset)
    assert data["legend"]["widths"] == [[round(w, 2), text] for w, text in slide.widths.rows]


def test_leg_popup_rows_say_what_moved_how_far_and_how_sure(page):
    rows = dict(_data(page)["legs"][0]["rows"])
    assert rows == {
        "Leg": "1 of 2: Rajin (Najin) port \u2192 Dunai naval port",
        "Mode": "Sea",
        "Cargo": "artillery ammunition",
        "Quantity": "300 containers",
        "Period": "7 Sep \u2013 1 Oct 2023",  # wording.period: the year said once
        "Carrier": "Angara",
        "Distance": "190 km (103 nmi)",
        "Geometry": "routed along the network",
        "Confidence": "Confirmed: two or more independent sources, or imagery",
        "Line": "Line estimated: modelled along the network or as a great circle; "
                "sources do not give the route",
    }


def test_citations_are_structured_with_links(page):
    data = _data(page)
    (index,) = data["legs"][0]["sources"]
    source = data["sources"][index]
    assert source == {
        "id": "wh-2023-10", "title": "Press briefing with imagery of container transfers",
        "publisher": "The White House", "date": "13 Oct 2023", "note": "images of 7-8 Sep 2023",
        "url": "https://www.whitehouse.gov/briefing",
        "href": "https://www.whitehouse.gov/briefing",
        "text": "The White House, \u201cPress briefing with imagery of container transfers\u201d, "
                "13 October 2023, images of 7-8 Sep 2023. https://www.whitehouse.gov/briefing",
    }


def test_places_and_annotations_carry_their_details(page):
    data = _data(page)
    tikh = dict(data["places"][2]["rows"])
    assert tikh["Uncertainty"] == "\u00b1 10 km" and tikh["Note"] == "town centre stand-in"
    # names are given room in this order: the kind's rank (port 5, depot 6) + 2 a leg ending there
    assert [p["priority"] for p in data["places"]] == [5 + 2 * 2, 5 + 2 * 3, 6 + 2 * 1]
    (note,) = data["annotations"]
    assert note["text"] == "About 300 containers at the pier"
    assert note["transfer"] == "najin-dunai-tikhoretsk"
    # The popup names the transfer as readers know it, not by its id.
    assert dict(note["rows"])["Transfer"] == "Containers by sea to Dunai, then rail"
    assert _decode(note["at"], LINE_SCALE)[0] == pytest.approx([42.245, 130.295])


def test_timeline_steps_show_what_moved_when(page):
    steps = _data(page)["timeline"]
    assert [s["label"] for s in steps[:2]] == ["Sep 2023", "Oct 2023"]
    assert steps[-1]["label"] == "Dec 2024" and len(steps) == 16
    assert steps[0]["shown"] == ["leg:najin-dunai-tikhoretsk:0", "leg:najin-dunai-tikhoretsk:1",
                                 "annotation:containers"]
    assert steps[1]["shown"] == ["leg:najin-dunai-tikhoretsk:0", "leg:najin-dunai-tikhoretsk:1"]
    assert steps[5]["shown"] == []
    assert steps[-1]["shown"] == ["leg:air-estimate:0"]


def test_attributions_and_tiles_travel_with_the_map(page, sample_routeset):
    data = _data(page)
    assert data["attributions"][: len(sample_routeset.attributions)] == list(
        sample_routeset.attributions)
    assert any("Natural Earth" in a for a in data["attributions"])
    assert [t["name"] for t in data["tiles"]] == [t.name for t in TILE_SOURCES]


def test_offline_basemap_covers_the_data_with_context(page):
    basemap = _data(page)["basemap"]
    (south, west), (north, east) = basemap["region"]
    assert west < 40.13 - 10 and east > 132.338 + 10 and south < 42.245 - 8 and north > 56.84 + 8
    assert basemap["land"] and basemap["coast"] and basemap["borders"] and basemap["focus"]
    names = {label["name"] for label in basemap["labels"]}
    assert {"Russia", "Kazakhstan", "Mongolia"} <= names


def test_sample_map_is_small(page):
    assert len(page.encode("utf-8")) < MAX_BYTES


# --- escaping -------------------------------------------------------------------------------


def test_scenario_text_never_appears_as_markup(hostile_routeset):
    page = web.render_html(hostile_routeset).decode("utf-8")
    scenario = hostile_routeset.scenario
    for raw in (scenario.title, scenario.subtitle, "<img", 'onerror="window', "<script>window"):
        assert raw not in page
    island = DATA_ISLAND.search(page).group(1)
    assert "<" not in island and ">" not in island and "&" not in island
    data = json.loads(island)
    assert (data["title"], data["subtitle"]) == (scenario.title, scenario.subtitle)
    assert "<title>Map &lt;script&gt;" in page


TEMPLATE_TEXT = "{{ 7 * 7 }} {% if true %}yes{% endif %} {# hidden #} {{"


def test_template_syntax_in_scenario_text_is_written_as_it_is(sample_routeset):
    """folium's renderer reads what an element renders as a Jinja template again; the map's
    title and data never go through it (a title of '{{ 7 * 7 }}' was evaluated to 49)."""
    scenario = dataclasses.replace(sample_routeset.scenario, title=TEMPLATE_TEXT,
                                   subtitle=TEMPLATE_TEXT)
    legs = sample_routeset.legs.copy()
    legs["cargo"] = TEMPLATE_TEXT
    page = web.render_html(dataclasses.replace(sample_routeset, scenario=scenario, legs=legs))
    data = _data(page.decode("utf-8"))
    assert (data["title"], data["subtitle"]) == (TEMPLATE_TEXT, TEMPLATE_TEXT)
    assert all(dict(leg["rows"])["Cargo"] == TEMPLATE_TEXT for leg in data["legs"])
    assert f"<title>{TEMPLATE_TEXT}</title>" in page.decode("utf-8")


def test_only_http_urls_become_link_targets(hostile_routeset):
    data = _data(web.render_html(hostile_routeset).decode("utf-8"))
    first, second = ([data["sources"][i] for i in data["legs"][k]["sources"]] for k in (0, 2))
    assert first[0]["url"].startswith("javascript:") and first[0]["href"] is None
    assert second[0]["href"] == 'https://example.org/report?a=<b>&c="d"'
    tags = _tags(web.render_html(hostile_routeset).decode("utf-8"))
    assert not [a for _, a in tags if "javascript:" in str(a.get("href") or "")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://rusi.org/a?b=1", "https://rusi.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("  HTTPS://Example.org/x  ", "HTTPS://Example.org/x"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/x", None),
        ("https:///no-host", None),
        ("ftp://example.org/file", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_safe_link(url, expected):
    assert safe_link(url) == expected


def test_data_island_json_cannot_close_its_element():
    text = web.data_island_json({"a": "</script><!-- & \u2028"})
    assert "</" not in text and "<!--" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# --- the parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("periods", "labels"),
    [
        ([], []),
        ([(None, None)], []),
        ([(dt.date(2023, 9, 7), None)], ["Sep 2023"]),
        ([(dt.date(2023, 11, 30), dt.date(2024, 2, 1))],
         ["Nov 2023", "Dec 2023", "Jan 2024", "Feb 2024"]),
        ([(dt.date(2015, 2, 1), dt.date(2023, 10, 1))],
         [f"Q{q} {y}" for y in range(2015, 2024) for q in range(1, 5)][:36]),
        ([(dt.date(1990, 6, 1), dt.date(2023, 1, 1))], [str(y) for y in range(1990, 2024)]),
    ],
)
def test_timeline_steps(periods, labels):
    steps = timeline_steps(periods)
    assert [s.label for s in steps] == labels
    for a, b in itertools.pairwise(steps):
        assert b.start == a.end + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("bounds", "inside"),
    [
        ((40.0, 42.0, 132.0, 57.0), (25.0, 32.0, 147.0, 67.0)),
        ((130.0, 42.0, 131.0, 43.0), (120.0, 34.0, 141.0, 51.0)),
        ((-179.0, -80.0, 179.0, 80.0), (-180.0, -84.0, 180.0, 84.0)),
    ],
)
def test_basemap_region_adds_context_and_stays_on_the_globe(bounds, inside):
    region = basemap_region(*bounds)
    west, south, east, north = inside
    assert region.west <= west and region.south <= south
    assert region.east >= east and region.north >= north
    assert -180 <= region.west < region.east <= 180 and -84 <= region.south < region.north <= 84


def test_encode_line_round_trips_and_drops_repeats():
    coords = np.array([[130.29512, 42.24531], [130.29512, 42.24531], [-179.5, -10.0]])
    codes = encode_line(coords, 10_000)
    assert _decode(codes, 10_000) == pytest.approx(np.array([[42.2453, 130.2951], [-10.0, -179.5]]))


def test_build_basemap_separates_coast_from_borders():
    """Two square countries side by side, cut by the region on the west."""
    countries = gpd.GeoDataFrame(
        {"iso2": ["AA", "BB"], "name": ["Aland", "Bland"]},
        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs="EPSG:4326")
    out = build_basemap(countries, Region(5, -5, 25, 15), focus={"BB"}, tolerance=0.01)
    scale = out["scale"]
    (border,) = [_decode(b, scale) for b in out["borders"]]
    assert sorted(border[:, 0]) == pytest.approx([0, 10]) and border[:, 1] == pytest.approx(10)
    coast = np.vstack([_decode(c, scale) for c in out["coast"]])
    assert not np.any(np.isclose(coast[:, 1], 5) & (coast[:, 0] > 0.5) & (coast[:, 0] < 9.5))
    (land,) = out["land"]
    ring = _decode(land[0], scale)
    assert ring[:, 1].min() == pytest.approx(5) and ring[:, 1].max() == pytest.approx(20)
    (focus,) = out["focus"]
    assert _decode(focus[0], scale)[:, 1].min() == pytest.approx(10)
    assert [label["name"] for label in out["labels"]] == ["Bland", "Aland"]


def test_build_basemap_draws_land_finer_close_to_places():
    """A wiggly coast: near a place it keeps more of its wiggles than elsewhere."""
    x = np.linspace(0, 20, 2001)
    coast = np.column_stack([x, 5 + 0.05 * np.sin(x * 40)])
    land = shapely.Polygon([(0, 0), *map(tuple, coast), (20, 0)])
    countries = gpd.GeoDataFrame({"iso2": ["AA"], "name": ["Aland"]}, geometry=[land],
                                 crs="EPSG:4326")
    region = Region(-1, -2, 21, 8)
    plain = build_basemap(countries, region, tolerance=0.04)
    close = build_basemap(countries, region, tolerance=0.04, close_to=[(15.0, 5.0)],
                          close_radius=2.0)

    def points_near(out: dict, lo: float, hi: float) -> int:
        pts = np.vstack([_decode(c, out["scale"]) for c in out["coast"]])
        return int(np.sum((pts[:, 1] > lo) & (pts[:, 1] < hi)))

    assert points_near(close, 13.5, 16.5) > 2 * points_near(plain, 13.5, 16.5)
    assert points_near(close, 2, 8) == pytest.approx(points_near(plain, 2, 8), rel=0.2)


def test_inline_css_images_and_source_maps():
    css = "a{background:url(images/x.png)} b{background:url('images/y.png')}"
    out = inline_css_images(css, {"images/x.png": b"PNG"})
    assert "url(data:image/png;base64,UE5H)" in out and "url('images/y.png')" in out
    assert strip_source_map("code();\n//# sourceMappingURL=x.js.map") == "code();\n"


def test_web_assets_are_leaflet_and_ours_with_nothing_to_fetch():
    assets = load_web_assets()
    leaflet_js, ours_js = assets.scripts
    assert "Leaflet" in leaflet_js[:2000] or "leaflet" in leaflet_js[:2000]
    assert "routemap" in ours_js
    for text in assets.scripts + assets.styles:
        assert "sourceMappingURL" not in text and "url(images/" not in text


# --- the bundled scenario ---------------------------------------------------------------------


@pytest.mark.network_data
def test_bundled_scenario_map_is_self_contained_and_under_2_mb():
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes.builder import build

    routeset = build(load_scenario(bundled_scenario_path()))
    out = web.render_html(routeset)
    assert len(out) <= MAX_BYTES
    data = _data(out.decode("utf-8"))
    assert len(data["legs"]) == len(routeset.legs)
    assert len(data["timeline"]) > 1


# --- what the page relies on from folium and Leaflet -------------------------------------------


def test_security_policy_does_not_need_folium_s_charset_line():
    page = "<!DOCTYPE html>\n<html>\n<head><script>draw();</script></head><body></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"draw();").digest()).decode()
    out = web.with_security_policy(page)
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n    <meta charset="UTF-8" />'
                          '\n    <meta http-equiv="Content-Security-Policy" content="default-src')
    assert f"script-src 'sha256-{digest}';" in out
    assert out.index("Content-Security-Policy") < out.index("<script>")


def test_page_without_a_head_is_our_error():
    from routemap.errors import RenderError

    with pytest.raises(RenderError) as caught:
        web.with_security_policy("<html><body><script>draw();</script></body></html>")
    assert str(caught.value) == (
        "cannot make map.html: the page folium rendered has no <head> to hold its content "
        "security policy; install the folium version routemap was tested with, or leave html out "
        "of --formats")


@pytest.fixture()
def fresh_web_assets():
    """Forget the assets read so far, before and after the test (it fakes the package)."""
    load_web_assets.cache_clear()
    yield
    load_web_assets.cache_clear()


def _fake_leaflet(root, script: str):
    static = root / "static" / "js_lib_leaflet"
    (static / "images").mkdir(parents=True)
    (static / "leaflet.css").write_text(".leaflet-container{}")
    (static / "leaflet.js").write_text(script)
    return root


@pytest.mark.parametrize(("package", "message"), [
    (None, "cannot make map.html: Leaflet's files cannot be read from the django-js-lib-leaflet "
           "package; reinstall it, or leave html out of --formats (from importlib: No module "
           "named 'js_lib_leaflet')"),
    ("missing-script", "cannot make map.html: Leaflet's files cannot be read from the "
                       "django-js-lib-leaflet package; reinstall it, or leave html out of "
                       "--formats (from importlib: [Errno 2] No such file or directory: "
                       "'{root}/static/js_lib_leaflet/leaflet.js')"),
    ("</script>", "cannot make map.html: the installed Leaflet's leaflet.js contains '</script', "
                  "so it cannot be inlined; install the django-js-lib-leaflet version routemap "
                  "was tested with, or leave html out of --formats"),
])
def test_leaflet_that_cannot_be_inlined_is_our_error(tmp_path, monkeypatch, fresh_web_assets,
                                                     package, message):
    from importlib import resources

    from routemap.errors import RenderError
    from routemap.maps.web import assets as web_assets

    real = resources.files
    root = tmp_path / "js_lib_leaflet"
    if package is not None:
        _fake_leaflet(root, f"var L = '{package}';")
        if package == "missing-script":
            (root / "static" / "js_lib_leaflet" / "leaflet.js").unlink()

    def files(name):
        if name != "js_lib_leaflet":
            return real(name)
        if package is None:
            raise ModuleNotFoundError("No module named 'js_lib_leaflet'")
        return root

    monkeypatch.setattr(web_assets.resources, "files", files)
    with pytest.raises(RenderError) as caught:
        load_web_assets()
    assert str(caught.value) == message.format(root=root)


def test_leg_popups_show_both_certainties_assumed_ends_and_the_quantity_claim(sample_routeset):
    """A confirmed transfer on a named corridor with an assumed end: the popup keeps the claim's
    certainty, the line's certainty, the corridor and the assumed end apart."""
    scenario = sample_routeset.scenario
    first = scenario.transfers[0]
    rail = dataclasses.replace(first.legs[1], assumed=("to",),
                               corridor=Corridor("Trans-Siberian Railway", ("rusi-2023-08",)))
    first = dataclasses.replace(first, legs=(first.legs[0], rail),
                                quantity=Quantity(1000, "containers", "more than"))
    scenario = dataclasses.replace(scenario, transfers=(first, *scenario.transfers[1:]))
    legs = sample_routeset.legs.copy()
    legs["destination_assumed"] = [False, True, False]
    legs["corridor"] = [None, "Trans-Siberian Railway", None]
    legs["path_confidence"] = ["estimated", "reported", "estimated"]
    legs["quantity_qualifier"] = ["more than", "more than", None]
    legs["quantity_value"] = [1000.0, 1000.0, None]
    routeset = dataclasses.replace(sample_routeset, scenario=scenario, legs=legs)
    leg = _data(web.render_html(routeset).decode("utf-8"))["legs"][1]
    assert leg["subtitle"] == "Dunai naval port \u2192 Tikhoretsk ammunition depot (assumed)"
    rows = dict(leg["rows"])
    assert rows["Leg"] == "2 of 2: Dunai naval port \u2192 Tikhoretsk ammunition depot (assumed)"
    assert rows["Ends"] == "Destination assumed (the analyst's inference, not a source's)"
    assert rows["Confidence"].startswith("Confirmed")
    assert rows["Line"] == "Line reported: the path or corridor is given by a cited source"
    assert rows["Corridor"] == "Trans-Siberian Railway"
    assert rows["Quantity"] == "more than 1,000 containers"


# --- connectors: stretches off the network ----------------------------------------------------


def test_a_legs_connector_travels_apart_from_its_track(page):
    """The sample rail leg starts with Dunai's 0.8 km straight join to the network: the page
    draws it as a connector, and the leg's line starts where the join meets the network."""
    data = _data(page)
    sea, rail, air = data["legs"]
    assert sea["connectors"] == [] and air["connectors"] == []
    ((join,),) = [[_decode(p, LINE_SCALE) for p in c] for c in rail["connectors"]]
    assert join == pytest.approx(np.array([[42.880, 132.338], [42.8833, 132.3295]]), abs=1e-4)
    track = [_decode(p, LINE_SCALE) for p in rail["parts"]]
    assert len(track) == 1
    assert track[0][0] == pytest.approx([42.8833, 132.3295], abs=1e-4)
    # no point of the track lies on the connector's far side (Dunai)
    assert not any(np.allclose(pt, [42.880, 132.338], atol=1e-4) for pt in track[0])


def test_connector_style_and_legend_come_from_the_style_table(page, sample_routeset):
    data = _data(page)
    st = CONNECTOR_STYLE
    assert data["styles"]["connector"] == {"label": st.label, "meaning": st.meaning,
                                           "width": st.width, "tick": st.tick,
                                           "opacity": st.opacity, "casing": st.casing}
    legs = sample_routeset.legs.copy()
    legs["connectors"] = [[] for _ in range(len(legs))]
    bare = _data(web.render_html(dataclasses.replace(sample_routeset, legs=legs)).decode())
    assert bare["legend"]["connectors"] is False
    assert all(leg["connectors"] == [] for leg in bare["legs"])
    # without its connector the rail line is drawn whole, from Dunai
    start = _decode(bare["legs"][1]["parts"][0], LINE_SCALE)[0]
    assert start == pytest.approx([42.880, 132.338], abs=1e-4)


def test_a_leg_wholly_off_the_network_is_drawn_as_connectors_only(sample_routeset):
    legs = sample_routeset.legs.copy()
    (a, b), (c,) = legs.geometry.iloc[0].coords[:2], legs.geometry.iloc[0].coords[2:]
    legs.at[legs.index[0], "connectors"] = [[list(a), list(b)], [list(b), list(c)]]
    data = _data(web.render_html(dataclasses.replace(sample_routeset, legs=legs)).decode())
    sea = data["legs"][0]
    assert sea["parts"] == [] and len(sea["connectors"]) == 2
    (south, west), _ = data["bounds"]
    assert west <= 130.295 and south <= 42.245
