"""The leg canvas paints the view first and its margins after, as a person would see it.

After a zoom or a pan, the legs in the window are painted at once and the canvas's margins (its
padding, seen only once the map moves) when the page is idle, or as soon as a move could show
them (a drag, a pan in steps, a zoom out that glides). Both ways must end with what one pass over the whole canvas paints: the same legs in the
same places (clipping may change an antialiased edge pixel by a few levels, no more: on the
sample map about 2,000 of 32,500 painted pixels differ at all, 1 by more than 32 levels).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from routemap.maps.web.html import render_html

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1000, "height": 700}

# Helpers kept on the page: a snapshot of the leg canvas's pixels by name, the painted pixels of
# a snapshot inside or outside the view, and the pixels two snapshots differ at by over `over`
# levels in a channel.
HELPERS_JS = """() => {
  const r = window.routemap.app.legRenderer;
  const shots = {};
  const view = () => { const v = r.viewBounds(); const m = r._bounds.min;
    return [v.min.x - m.x, v.min.y - m.y, v.max.x - m.x, v.max.y - m.y]; };
  window.legCanvas = {
    snap: (name) => { const c = r._container;
      shots[name] = { w: c.width, data: c.getContext('2d').getImageData(0, 0, c.width, c.height).data,
                      view: view() };
      return (r._margins || []).length; },
    ink: (name, inside) => { const s = shots[name]; const [x0, y0, x1, y1] = s.view; let n = 0;
      for (let i = 3; i < s.data.length; i += 4) {
        if (!s.data[i]) { continue; }
        const x = ((i - 3) / 4) % s.w; const y = Math.floor((i - 3) / 4 / s.w);
        if ((x >= x0 && x < x1 && y >= y0 && y < y1) === inside) { n++; }
      }
      return n; },
    differing: (a, b, over) => { const p = shots[a].data; const q = shots[b].data; let n = 0;
      for (let i = 0; i < p.length; i += 4) {
        // premultiplied, as the canvas is composited: a near-transparent pixel's colour is noise
        let d = Math.abs(p[i + 3] - q[i + 3]);
        for (let k = 0; k < 3; k++) {
          d = Math.max(d, Math.abs(p[i + k] * p[i + 3] - q[i + k] * q[i + 3]) / 255);
        }
        if (d > over) { n++; }
      }
      return n; },
  };
}"""

# Zoom in one level without animation (the full redraw Leaflet makes after every zoom) and take
# a snapshot at once, before the page is idle; return how many margins are still to paint.
ZOOM_JS = """(name) => { const map = window.routemap.app.map;
  map.setZoom(map.getZoom() + 1, { animate: false });
  return window.legCanvas.snap(name); }"""

# The same canvas painted in one pass, view and margins together.
ONE_PASS_JS = """() => { const r = window.routemap.app.legRenderer;
  r.options.viewFirst = false; r._redraw(); r.options.viewFirst = true;
  window.legCanvas.snap('whole'); }"""

INK_JS = "([name, inside]) => window.legCanvas.ink(name, inside)"


@pytest.fixture(scope="module")
def map_file(shared_routeset, tmp_path_factory) -> Path:
    """The sample route set's map, written once for the module's pages."""
    path = tmp_path_factory.mktemp("legcanvas") / "map.html"
    path.write_bytes(render_html(shared_routeset))
    return path


@pytest.fixture()
def page(open_map, map_file: Path) -> Iterator[object]:
    """The sample map, open at a size its legs run off at one zoom level in."""
    opened, errors = open_map(map_file, VIEWPORT)
    yield opened
    assert errors == []
    opened.context.close()


def _ink(page, name: str, *, inside: bool) -> int:
    """Count a snapshot's painted pixels inside the view, or outside it (its margins)."""
    return int(page.evaluate(INK_JS, [name, inside]))


def test_a_zoom_paints_the_view_at_once_and_the_margins_when_idle(page):
    page.evaluate(HELPERS_JS)
    assert page.evaluate(ZOOM_JS, "first") > 0
    assert _ink(page, "first", inside=True) > 1000
    assert _ink(page, "first", inside=False) == 0
    page.wait_for_function("() => !(window.routemap.app.legRenderer._margins || []).length")
    page.evaluate("() => window.legCanvas.snap('idle')")
    page.evaluate(ONE_PASS_JS)
    margins = _ink(page, "whole", inside=False)
    assert margins > 1000
    assert abs(_ink(page, "idle", inside=False) - margins) <= margins // 100
    painted = margins + _ink(page, "whole", inside=True)
    # Clipped at the view's edges, an antialiased edge may come out a few levels apart.
    assert page.evaluate("() => window.legCanvas.differing('idle', 'whole', 32)") <= painted // 1000


# Zoom in one level without animation, then begin a move of a kind: a drag, or a zoom out or in
# that glides (Leaflet's zoomanim); return how many margins were queued before the move and how
# many are left right after it (read in the same task: the page's idle moments, which paint the
# margins, may come between two calls from the test).
MOVE_JS = """(kind) => { const map = window.routemap.app.map;
  map.setZoom(map.getZoom() + 1, { animate: false });
  const queued = (window.routemap.app.legRenderer._margins || []).length;
  if (kind === 'drag') { map.fire('dragstart'); }
  else { map.fire('zoomanim', { center: map.getCenter(), zoom: map.getZoom() + (kind === 'in' ? 1 : -1) }); }
  window.legCanvas.snap('moved');
  return [queued, (window.routemap.app.legRenderer._margins || []).length]; }"""


@pytest.mark.parametrize(("move", "shown"), [("drag", True), ("out", True), ("in", False)])
def test_margins_still_to_paint_are_painted_once_a_move_may_show_them(page, move, shown):
    # A drag shows them at once, so does a zoom out that glides; a zoom in hides them.
    page.evaluate(HELPERS_JS)
    queued, left = page.evaluate(MOVE_JS, move)
    assert queued > 0
    page.evaluate(ONE_PASS_JS)
    margins = _ink(page, "whole", inside=False)
    assert margins > 1000
    if shown:
        assert left == 0
        assert abs(_ink(page, "moved", inside=False) - margins) <= margins // 100
    else:
        assert left == queued
        assert _ink(page, "moved", inside=False) == 0


def test_a_pan_in_steps_paints_the_margins_by_its_next_frame(page):
    page.evaluate(HELPERS_JS)
    queued = page.evaluate("""() => new Promise((resolve) => {
      const map = window.routemap.app.map;
      map.setZoom(map.getZoom() + 1, { animate: false });
      const queued = (window.routemap.app.legRenderer._margins || []).length;
      map.fire('move');
      requestAnimationFrame(() => { window.legCanvas.snap('moved'); resolve(queued); });
    })""")
    assert queued > 0
    page.evaluate(ONE_PASS_JS)
    margins = _ink(page, "whole", inside=False)
    assert abs(_ink(page, "moved", inside=False) - margins) <= margins // 100



# Zoom in six levels on a point half a world from the first leg's start (no leg comes near it),
# then list each path (track or connector) as it stands: whether its points were projected, and
# how many clipped pieces it paints. Then project and clip every path afresh, as a map that
# projects them all would, and list the same again.
LAZY_JS = """() => { const app = window.routemap.app; const map = app.map;
  const paths = () => app.legs.flatMap((e) => [e.path].concat(e.joinPaths));
  const start = app.legs[0].path.getLatLngs().flat(3)[0];
  map.setView([-60, start.lng > 0 ? start.lng - 180 : start.lng + 180], map.getZoom() + 6, { animate: false });
  const lazy = paths().map((p) => [p._rings !== null, p._parts.length]);
  paths().forEach((p) => { p.resolve(); p._update(); });
  return [lazy, paths().map((p) => [p._rings !== null, p._parts.length])]; }"""

# At a new zoom there, pan (no new zoom) until the first leg's start is in the window's middle;
# return whether its track is projected now, its pieces, and whether a click there finds it.
PAN_TO_JS = """() => { const app = window.routemap.app; const map = app.map;
  const entry = app.legs[0];
  const target = entry.path.getLatLngs().flat(3)[0];
  map.setZoom(map.getZoom() - 1, { animate: false });
  const before = entry.path._rings !== null;
  map.panBy(map.latLngToContainerPoint(target).subtract(map.getSize().divideBy(2)), { animate: false });
  const near = app.legsNear(map.latLngToLayerPoint(target));
  return [before, entry.path._rings !== null, entry.path._parts.length, near.indexOf(entry) >= 0]; }"""


def test_zoomed_in_legs_off_the_canvas_are_not_projected_until_a_pan_brings_them_near(page):
    lazy, full = page.evaluate(LAZY_JS)
    assert not any(projected for projected, _ in lazy)
    assert all(projected for projected, _ in full)
    # What each path paints is what it paints once all are projected.
    assert [pieces for _, pieces in lazy] == [pieces for _, pieces in full]
    before, after, pieces, picked = page.evaluate(PAN_TO_JS)
    assert not before
    assert after and pieces > 0 and picked
