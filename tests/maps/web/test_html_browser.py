"""The HTML map in a real headless Chromium, offline: what a person sees and can do.

Every request that is not ``file:``, ``data:`` or ``blob:`` is blocked and recorded. The
``browser`` fixture (``conftest.py``) skips without Chromium or playwright, unless
``ROUTEMAP_REQUIRE_BROWSER=1``, where it fails.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from routemap.maps.web.html import render_html
from routemap.routes.routeset import RouteSet
from tests.maps.web.painted import MIDPOINT_JS

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 850}
SHOWCASE = Path("/tmp/routemap-map.png")
CHOOSER_SHOT = Path("/tmp/routemap-chooser.png")
LOCAL = ("file:", "data:", "blob:")

# The legs painted on the map (legpaths.js), as the page reports them.
DRAWN_JS = "() => window.routemap.app.drawnLegs()"
# How many legs are highlighted (the hovered transfer's).
HIGHLIGHTED_JS = "() => window.routemap.app.drawnLegs().filter((l) => l.highlighted).length"

# How many direction arrows the shown legs have in view (painted on the leg canvas).
ARROWS_JS = "() => window.routemap.app.marksInView('arrows')"
# How many pixels of the leg canvas are opaque white (the arrows' outlines).
WHITE_JS = """() => {
  const canvas = document.querySelector('.leaflet-overlay-pane canvas');
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let white = 0;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i] === 255 && px[i + 1] === 255 && px[i + 2] === 255 && px[i + 3] === 255) { white++; }
  }
  return white;
}"""


@dataclass
class OpenedMap:
    """A map page in a fresh context, with what it asked for and what went wrong."""

    page: object
    context: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def _open(browser, routeset: RouteSet, tmp_path: Path) -> OpenedMap:
    path = tmp_path / "map.html"
    path.write_bytes(render_html(routeset))
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    opened = OpenedMap(page, context)

    def route(r) -> None:
        url = r.request.url
        opened.requests.append(url)
        if url.startswith(LOCAL):
            r.continue_()
        else:
            opened.blocked.append(url)
            r.abort()

    def dialog(d) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    context.route("**/*", route)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("requestfailed", lambda r: opened.errors.append(f"request failed: {r.url}"))
    page.on("dialog", dialog)
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-routemap=ready]", timeout=30_000)
    return opened


@pytest.fixture()
def opened(browser, sample_routeset, tmp_path) -> Iterator[OpenedMap]:
    """The sample route set's map, open in a new browser context."""
    result = _open(browser, sample_routeset, tmp_path)
    yield result
    result.context.close()


def _leg_count(page) -> int:
    return len(page.evaluate(DRAWN_JS))


def _band_count(page) -> int:
    return sum(1 for leg in page.evaluate(DRAWN_JS) if leg["band"] > 0)


def test_map_draws_offline_without_errors(opened, sample_routeset, tmp_path):
    page = opened.page
    assert opened.errors == []
    assert opened.blocked == []
    assert all(url.startswith(LOCAL) for url in opened.requests)
    assert _leg_count(page) == len(sample_routeset.legs)
    assert page.locator(".rm-place-icon").count() == len(sample_routeset.places)
    arrows = page.evaluate(ARROWS_JS)
    assert arrows >= len(sample_routeset.legs) - 1
    # Arrows are outlined in opaque white; a casing (white at 0.85) is not.
    assert page.evaluate(WHITE_JS) >= 10 * arrows
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000
    shutil.copyfile(shot, SHOWCASE)


def test_legend_title_and_furniture_are_there(opened):
    page = opened.page
    legend = page.locator(".rm-legend").inner_text()
    for word in ("Sea", "Rail", "Air", "Confirmed", "Estimated", "300 containers",
                 "75 containers"):
        assert word in legend
    places = page.locator(".rm-places").inner_text()
    assert "Port" in places and "Depot" in places
    assert page.locator(".rm-title h1").inner_text() == "Sample transfers"
    assert "As of 1 Jun 2025" in page.locator(".rm-title").inner_text()
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors, ODbL" in attribution and "Natural Earth" in attribution
    assert page.locator(".leaflet-control-scale-line").count() == 1
    assert page.locator(".rm-minimap canvas").count() >= 1
    assert page.locator(".rm-fullscreen-button").is_visible()
    assert page.locator(".rm-measure-button").is_visible()
    assert page.locator(".rm-country", has_text="Kazakhstan").count() == 1


def test_clicking_a_route_opens_its_popup_with_a_working_citation_link(opened):
    page = opened.page
    x, y = page.evaluate(MIDPOINT_JS, "rail")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup .rm-pop")
    popup.wait_for()
    text = popup.inner_text()
    for expected in ("Containers by sea to Dunai, then rail", "300 containers", "9,800 km",
                     "routed along the network", "Confirmed", "The White House"):
        assert expected in text
    link = popup.locator("a.rm-source-title")
    assert link.get_attribute("href") == "https://www.whitehouse.gov/briefing"
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"
    with opened.context.expect_page() as new_tab:
        link.click()
    new_tab.value.wait_for_load_state("domcontentloaded")
    assert "https://www.whitehouse.gov/briefing" in opened.blocked


def test_hovering_a_route_highlights_its_transfer(opened):
    page = opened.page
    x, y = page.evaluate(MIDPOINT_JS, "rail")
    page.mouse.move(x, y)
    page.wait_for_function(HIGHLIGHTED_JS)
    assert page.evaluate(HIGHLIGHTED_JS) == 2
    assert "Dunai naval port" in page.locator(".rm-tooltip").inner_text()


def test_moving_the_timeline_changes_which_routes_are_visible(opened):
    page = opened.page
    slider = page.locator(".rm-slider")
    slider.fill("1")
    assert page.locator(".rm-time-label").inner_text() == "Sep 2023"
    assert _leg_count(page) == 2
    assert page.locator(".rm-note-icon").count() == 1
    assert _band_count(page) == 2  # every sample leg is modelled: its band goes with it
    slider.fill("6")
    assert _leg_count(page) == 0 and _band_count(page) == 0
    assert "Nothing reported moving" in page.locator(".rm-time-moving").inner_text()
    slider.fill("16")
    assert page.locator(".rm-time-label").inner_text() == "Dec 2024"
    assert _leg_count(page) == 1 and page.locator(".rm-note-icon").count() == 0
    slider.fill("0")
    assert _leg_count(page) == 3 and _band_count(page) == 3


def test_play_steps_through_the_periods(opened):
    page = opened.page
    page.locator(".rm-play").click()
    page.wait_for_function("() => document.querySelector('.rm-slider').value === '2'",
                           timeout=10_000)
    page.locator(".rm-play").click()
    assert page.locator(".rm-timeline.rm-playing").count() == 0


def test_transfer_toggle_hides_its_routes(opened):
    page = opened.page
    page.locator(".rm-transfers input").first.uncheck()
    assert _leg_count(page) == 1 and _band_count(page) == 1
    page.locator(".rm-transfers input").first.check()
    assert _leg_count(page) == 3


def test_measure_tool_reports_a_distance(opened):
    page = opened.page
    page.locator(".rm-measure-button").click()
    # The first point on a leg: a measure's point, not the leg's popup over the next point.
    x, y = page.evaluate(MIDPOINT_JS, "rail")
    page.mouse.click(x, y)
    page.wait_for_function("window.routemap.app.measurePoints.length === 1")
    assert page.locator(".leaflet-popup").count() == 0
    page.mouse.click(x + 200, y)
    page.wait_for_function("window.routemap.app.measurePoints.length === 2")
    assert "km" in page.locator(".rm-measure-label").inner_text()
    page.locator(".rm-measure-button").click()
    assert page.locator(".rm-measuring").count() == 0


def test_hostile_scenario_renders_literally_and_runs_nothing(browser, hostile_routeset, tmp_path):
    opened = _open(browser, hostile_routeset, tmp_path)
    page = opened.page
    try:
        scenario = hostile_routeset.scenario
        assert page.title() == scenario.title
        assert page.locator(".rm-title h1").inner_text() == scenario.title
        assert page.locator(".rm-subtitle").inner_text() == scenario.subtitle
        x, y = page.evaluate(MIDPOINT_JS, "rail")
        page.mouse.click(x, y)
        popup = page.locator(".leaflet-popup .rm-pop")
        popup.wait_for()
        text = popup.inner_text()
        assert scenario.transfers[0].label in text and "(not a web link)" in text
        hrefs = popup.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs == [], "a javascript: URL must not become a link"
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img").count() == 0
        injected = page.evaluate(
            "Array.from(document.scripts).filter(s => s.type !== 'application/json'"
            " && s.textContent.includes('__pwned')).length")
        assert injected == 0
        assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    finally:
        opened.context.close()


def _shared_track(routeset: RouteSet, label: str) -> RouteSet:
    """Return ``routeset`` with a second transfer, ``twin``, drawn on the rail leg's exact line.

    The twin is reported, cites RUSI (the rail leg cites the White House) and is labelled
    ``label``, so a test can tell which leg's popup opened.
    """
    scenario = routeset.scenario
    first = scenario.transfers[0]
    rusi = next(s for s in scenario.sources if s.publisher == "RUSI")
    twin = dataclasses.replace(first, id="twin", label=label, confidence="reported",
                               sources=(rusi.id,))
    legs = routeset.legs
    rail = legs[legs["mode"] == "rail"].copy()
    rail["feature_id"] = "leg:twin:0"
    rail["transfer_id"] = "twin"
    rail["transfer_label"] = label
    rail["leg_index"] = 0
    rail["confidence"] = "reported"
    rail["sources"] = [[rusi.id]]
    return dataclasses.replace(
        routeset, legs=pd.concat([legs, rail], ignore_index=True),
        scenario=dataclasses.replace(scenario, transfers=(*scenario.transfers, twin)))


def _click_shared_line(page) -> object:
    x, y = page.evaluate(MIDPOINT_JS, "rail")
    page.mouse.click(x, y)
    chooser = page.locator(".leaflet-popup .rm-chooser")
    chooser.wait_for()
    return chooser


def test_clicking_a_shared_track_offers_every_leg_on_it(browser, sample_routeset, tmp_path):
    opened = _open(browser, _shared_track(sample_routeset, "Shells by rail, second report"),
                   tmp_path)
    page = opened.page
    try:
        chooser = _click_shared_line(page)
        items = chooser.locator(".rm-chooser-item")
        assert items.all_inner_texts() == [
            "Containers by sea to Dunai, then rail\nRail \u00b7 Confirmed\n"
            "Dunai naval port \u2192 Tikhoretsk ammunition depot",
            "Shells by rail, second report\nRail \u00b7 Reported\n"
            "Dunai naval port \u2192 Tikhoretsk ammunition depot",
        ]
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.screenshot(path=str(CHOOSER_SHOT))
        items.nth(1).click()
        popup = page.locator(".leaflet-popup .rm-pop")
        popup.wait_for()
        page.locator(".rm-chooser").wait_for(state="detached")
        assert popup.locator(".rm-pop-title").inner_text() == "Shells by rail, second report"
        link = popup.locator("a.rm-source-title")
        assert link.get_attribute("href") == "https://rusi.org/explore-our-research"
        assert "Reported" in popup.inner_text()
        page.mouse.move(5, 420)
        x, y = page.evaluate(MIDPOINT_JS, "rail")
        # Leaflet's canvas reads hovering at most every 32 ms; a pointer that comes to rest on
        # the line within that time of its last move is seen by its next move, as a hand makes
        page.mouse.move(x, y)
        page.wait_for_timeout(50)
        page.mouse.move(x + 1, y)
        page.wait_for_function(HIGHLIGHTED_JS)
        assert opened.errors == [] and opened.blocked == []
    finally:
        opened.context.close()


def test_the_chooser_shows_a_hostile_title_as_text(browser, sample_routeset, tmp_path):
    title = "<img src=x onerror=\"window.__pwned = 'chooser'\">"
    opened = _open(browser, _shared_track(sample_routeset, title), tmp_path)
    page = opened.page
    try:
        chooser = _click_shared_line(page)
        assert chooser.locator(".rm-chooser-title").all_inner_texts()[1] == title
        assert page.locator(".leaflet-popup img").count() == 0
        assert page.evaluate("window.__pwned") is None
        assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    finally:
        opened.context.close()


# Each drawn leg's line and band widths, and whether its band is painted: the leg canvas's
# alpha just inside the band's edge beside the line's middle, and how far that is clear of the
# line's white casing (so the pixel is the band's, not the casing's).
BANDS_JS = """() => {
  const canvas = document.querySelector('.leaflet-overlay-pane canvas');
  const frame = canvas.getBoundingClientRect();
  const ctx = canvas.getContext('2d');
  const scale = canvas.width / frame.width;
  return window.routemap.app.drawnLegs().map((leg) => {
    const pts = leg.pieces.flat();
    const i = Math.max(0, Math.floor(pts.length / 2) - 1);
    const [a, b] = [pts[i], pts[i + 1] || pts[i]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    const off = leg.band / 2 - 0.6;  // inside the band's edge, clear of the casing's
    const x = (a[0] + b[0]) / 2 - (b[1] - a[1]) / len * off;
    const y = (a[1] + b[1]) / 2 + (b[0] - a[0]) / len * off;
    const alpha = ctx.getImageData(Math.round((x - frame.left) * scale),
                                   Math.round((y - frame.top) * scale), 1, 1).data[3];
    return { id: leg.id, width: leg.band, lineWidth: leg.weight, painted: alpha > 0,
      clear: off - (leg.weight + 3) / 2 };
  });
}"""


@pytest.mark.network_data
def test_the_bundled_map_draws_a_band_under_modelled_lines_only(browser, tmp_path):
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes.builder import build

    routeset = build(load_scenario(bundled_scenario_path()))
    opened = _open(browser, routeset, tmp_path)
    try:
        page = opened.page
        paths = dict(zip(routeset.legs["feature_id"], routeset.legs["path_confidence"],
                         strict=True))
        drawn = {row["id"]: row for row in page.evaluate(BANDS_JS)}
        assert set(drawn) == set(paths)
        for leg in ("leg:tumangang-khasan-wagner-2022:0", "leg:tumangang-khasan-surge-2023:0"):
            assert paths[leg] == "reported" and drawn[leg]["width"] == 0
        estimated = [leg for leg, path in paths.items() if path == "estimated"]
        assert "leg:rajin-dunai-tikhoretsk:1" in estimated
        for leg in estimated:
            row = drawn[leg]
            assert row["width"] > 2 * row["lineWidth"], row
        # The Trans-Siberian rail leg, long and alone: its band is painted beside its line.
        siberia = drawn["leg:rajin-dunai-tikhoretsk:1"]
        assert siberia["painted"] and siberia["clear"] >= 1, siberia
        legend = page.locator(".rm-legend").inner_text()
        assert "Band under a line: the route is modelled, not reported" in legend
        assert "Line pattern: how sure the movement is" in legend
        assert "Line estimated" in legend and "Line reported" in legend
        assert opened.errors == []
    finally:
        opened.context.close()

