"""The web map at the globe's edges, as a person sees it: headless Chromium, offline.

A flight from Anadyr (177.5 E) to Egvekinot (179.1 W) used to open on the whole world, its
two ends at opposite edges of the window and its line in two pieces. At the default view of a
1600x900 window and of a 412x915 phone, both ends must now be on screen, as far apart on
screen as on the ground, joined by one line drawn as one path with one stroke, over land on
both sides of the date line; a flight over the pole is drawn in two pieces that end where the
map ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from routemap.geo.scenario import load_scenario
from routemap.maps.web.html import render_html
from routemap.routes.builder import build

VIEWPORTS = {"desktop": {"width": 1600, "height": 900}, "phone": {"width": 412, "height": 915}}

pytestmark = pytest.mark.browser


# Where the flight's ends and its line are drawn, in window pixels.
SEEN_JS = """() => {
  const centre = (node) => { const r = node.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2]; };
  const lines = window.routemap.app.drawnLegs();
  const box = (leg) => { const xs = leg.pieces.flat().map((p) => p[0]);
    const ys = leg.pieces.flat().map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]; };
  return {
    width: innerWidth, height: innerHeight,
    ends: Array.from(document.querySelectorAll('.rm-place-icon')).map(centre),
    // each leg's painted pieces: one stroke per piece
    lines: lines.map((leg) => ({ box: box(leg), moves: leg.pieces.length })),
    // metres on the ground per window pixel at the flight's latitude, from the zoom alone
    metresPerPixel: 40075016.686 * Math.cos(65.5 * Math.PI / 180) / (256 * Math.pow(2, window.routemap.app.map.getZoom())),
  };
}"""

# The share of land-coloured pixels in a window-sized strip, sampled from the basemap canvas.
LAND_JS = """([x0, x1]) => {
  const canvas = document.querySelector('.leaflet-rmBasemap-pane canvas');
  const r = canvas.getBoundingClientRect();
  const ctx = canvas.getContext('2d');
  const scale = canvas.width / r.width;
  let land = 0, all = 0;
  for (let x = x0; x < x1; x += 8) {
    for (let y = 80; y < innerHeight - 200; y += 8) {
      const px = ctx.getImageData(Math.round((x - r.left) * scale), Math.round((y - r.top) * scale), 1, 1).data;
      all += 1;
      if (px[3] > 0) { land += 1; }
    }
  }
  return all ? land / all : 0;
}"""


def _map(text: str, folder: Path) -> Path:
    scenario = folder / "scenario.yaml"
    scenario.write_text(text)
    path = folder / "map.html"
    path.write_bytes(render_html(build(load_scenario(scenario))))
    return path


@pytest.fixture(scope="module")
def date_line_map(tmp_path_factory, date_line_flight) -> Path:
    return _map(date_line_flight, tmp_path_factory.mktemp("date-line"))


@pytest.fixture(params=sorted(VIEWPORTS))
def date_line_page(request, open_map, date_line_map) -> Iterator[tuple[object, list[str], str]]:
    """The Anadyr-Egvekinot map open at each window size, with the errors it raised."""
    page, errors = open_map(date_line_map, VIEWPORTS[request.param])
    yield page, errors, request.param
    page.context.close()


def test_both_ends_of_a_flight_across_180_are_on_screen_and_near(date_line_page):
    page, errors, size = date_line_page
    page.screenshot(path=f"/tmp/routemap-date-line-{size}.png")
    seen = page.evaluate(SEEN_JS)
    width, height = seen["width"], seen["height"]
    assert len(seen["ends"]) == 2
    for x, y in seen["ends"]:
        assert 0 <= x <= width and 0 <= y <= height, f"{size}: an end is off screen"
    (ax, ay), (bx, by) = seen["ends"]
    # The ends are as near on screen as on the ground (236 km apart): not at opposite edges.
    # (Not "half the window apart": the default view is fitted on the flight, so on a phone
    # the flight fills the window's width.)
    km = math.hypot(ax - bx, ay - by) * seen["metresPerPixel"] / 1000
    assert km == pytest.approx(236.0, rel=0.1), f"{size}: the ends are drawn {km:.0f} km apart"
    # one line, drawn as one path with one stroke, running from one end to the other
    (line,) = seen["lines"]
    assert line["moves"] == 1
    left, top, right, bottom = line["box"]
    assert left == pytest.approx(min(ax, bx), abs=8) and right == pytest.approx(max(ax, bx), abs=8)
    assert top == pytest.approx(min(ay, by), abs=8) and bottom == pytest.approx(max(ay, by), abs=8)
    assert errors == []


def test_land_is_drawn_on_both_sides_of_the_date_line(open_map, date_line_map):
    page, errors = open_map(date_line_map, VIEWPORTS["desktop"])
    try:
        # Zoomed out on the flight: Chukotka west of 180 and east of it (past Egvekinot).
        page.evaluate("() => window.routemap.app.map.setView([66, 180], 5, {animate: false})")
        page.wait_for_timeout(300)
        west, east = page.evaluate("""() => {
          const m = window.routemap.app.map;
          return [m.latLngToContainerPoint([66, 175]).x, m.latLngToContainerPoint([66, 185]).x]; }""")
        assert page.evaluate(LAND_JS, [west - 60, west + 60]) > 0.2
        assert page.evaluate(LAND_JS, [east - 60, east + 60]) > 0.2
        page.screenshot(path="/tmp/routemap-date-line-land.png")
        assert errors == []
    finally:
        page.context.close()


def test_a_flight_over_the_pole_is_cut_where_the_map_ends(open_map, polar_flight, tmp_path):
    page, errors = open_map(_map(polar_flight, tmp_path), VIEWPORTS["desktop"])
    try:
        page.screenshot(path="/tmp/routemap-pole.png")
        (line,) = page.evaluate(SEEN_JS)["lines"]
        assert line["moves"] == 2, "the line is drawn along the map's top edge"
        top_edge = page.evaluate("""() => { const m = window.routemap.app.map;
          return m.latLngToContainerPoint([85.0511287798, 0]).y; }""")
        assert line["box"][1] >= top_edge - 3
        assert errors == []
    finally:
        page.context.close()
