"""The animation's frames, drawn small: the legs active at a date and no others, in their
mode's colour, others grey; the sources line on every frame; the cards."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from matplotlib.colors import to_rgb

from routemap.maps.slides.spec import RouteLine
from routemap.maps.style import MODE_STYLES
from routemap.maps.video.cards import closing_card, source_columns, title_card
from routemap.maps.video.content import short_text
from routemap.maps.video.frames import grown_parts
from routemap.maps.video.pacing import Frame

SEA, RAIL, AIR = "leg:najin-dunai-tikhoretsk:0", "leg:najin-dunai-tikhoretsk:1", "leg:air-estimate:0"


def _map_pixels(stage, frame: Frame) -> np.ndarray:
    """Return the map axes' RGB pixels of a frame (rows top down)."""
    rgba = stage.render(frame).copy()
    bb = stage.canvas.ax.bbox
    height = rgba.shape[0]
    return rgba[int(height - bb.y1) + 2:int(height - bb.y0) - 2, int(bb.x0) + 2:int(bb.x1) - 2, :3]


def _mode_pixels(pixels: np.ndarray, mode: str, tolerance: int = 12) -> int:
    """Count the pixels within ``tolerance`` of a mode's colour on every channel."""
    target = np.array(to_rgb(MODE_STYLES[mode].color)) * 255
    return int(np.count_nonzero(np.abs(pixels.astype(int) - target).max(axis=2) <= tolerance))


def _near(stage, pixels: np.ndarray, lon: float, lat: float, mode: str, radius: int = 6) -> int:
    """Count a mode's pixels around a point of the map."""
    c = stage.canvas
    x, y = c.to_display(*c.frame.forward(np.array([lon]), np.array([lat])))[0]
    bb = c.ax.bbox
    col, row = int(x - bb.x0) - 2, int(bb.y1 - y) - 2
    window = pixels[max(row - radius, 0):row + radius, max(col - radius, 0):col + radius]
    return _mode_pixels(window, mode, tolerance=45)  # a thin line's pixels blend with its casing


@pytest.fixture(scope="module")
def september(small_stage, sample_film) -> np.ndarray:
    """The map on 7 Sep 2023, the sea and rail legs grown, the air leg not begun."""
    return _map_pixels(small_stage, sample_film.frame_at(dt.date(2023, 9, 7)))


@pytest.fixture(scope="module")
def november(small_stage, sample_film) -> np.ndarray:
    """The map on 1 Nov 2024: the air leg grown, the sea and rail legs over (grey)."""
    return _map_pixels(small_stage, sample_film.frame_at(dt.date(2024, 11, 1)))


def test_the_known_dates_hold_the_legs_the_timeline_says(sample_film):
    sept, nov = (sample_film.frame_at(dt.date(*d)) for d in ((2023, 9, 7), (2024, 11, 1)))
    assert set(sept.drawn) == {SEA, RAIL} and not sept.growing and not sept.context
    assert nov.drawn == (AIR,) and set(nov.context) == {SEA, RAIL}


def test_a_frame_shows_in_colour_exactly_the_legs_active_at_its_date(september, november):
    """Rail colour along the rail leg and no air colour anywhere in September; in November
    the air colour and neither the rail nor the sea colour (those legs are grey)."""
    assert _mode_pixels(september, "rail") > 50 and _mode_pixels(september, "sea") > 0
    assert _mode_pixels(september, "air") == 0
    assert _mode_pixels(november, "air") > 5
    assert _mode_pixels(november, "rail") == 0 and _mode_pixels(november, "sea") == 0


def test_the_legs_are_where_their_paths_are(small_stage, september, november):
    """The rail leg's colour lies on its path (a vertex mid-Siberia), and after its period
    that spot is grey, not empty."""
    assert _near(small_stage, september, 104.28, 52.29, "rail") > 0
    assert _near(small_stage, november, 104.28, 52.29, "rail") == 0
    grey = np.array([0xA7, 0xA3, 0x9A])
    c = small_stage.canvas
    x, y = c.to_display(*c.frame.forward(np.array([104.28]), np.array([52.29])))[0]
    col, row = int(x - c.ax.bbox.x0) - 2, int(c.ax.bbox.y1 - y) - 2
    patch = november[row - 4:row + 4, col - 4:col + 4].astype(int)
    assert (np.abs(patch - grey).max(axis=2) <= 40).any()


def _leg_points(stage, fid: str, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Return display points along a leg's track, every 3 pixels: those of its first
    ``share`` and those past it, leaving out points under a label, the date plate, a badge
    or near the cut (so the pixels looked at are the line's own)."""
    c = stage.canvas
    route, parts = stage.routes[fid], stage.parts[fid]
    track = [p for p in parts[:len(parts) - len(route.connectors)] if len(p) > 1]
    xy = np.vstack([c.to_display(p[:, 0], p[:, 1]) for p in track])
    steps = np.hypot(*np.diff(xy, axis=0).T)
    run = np.concatenate([[0.0], np.cumsum(steps)])
    at = np.arange(0.0, run[-1], 3.0)
    pts = np.column_stack([np.interp(at, run, xy[:, 0]), np.interp(at, run, xy[:, 1])])
    boxes = [p.box.padded(6.0) for p in stage.labels.placed] + [stage.date_box]
    free = np.array([not any(b.x0 <= x <= b.x1 and b.y0 <= y <= b.y1 for b in boxes)
                     for x, y in pts])
    symbols = np.array(stage._symbols(c)).reshape(-1, 2)
    far = np.array([np.hypot(*(symbols - q).T).min() > 14.0 for q in pts])
    cut = share * run[-1]
    keep = free & far & (np.abs(at - cut) > 12.0)
    return pts[keep & (at < cut)], pts[keep & (at > cut)]


def _rail_near(stage, rgba: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Return, for each display point, whether the rail colour (a line drawn at 95 %
    opacity) is within 2 pixels of it."""
    target = np.array(to_rgb(MODE_STYLES["rail"].color)) * 255
    height = rgba.shape[0]
    out = []
    for x, y in points:
        row, col = int(np.rint(height - y)), int(np.rint(x))
        window = rgba[row - 2:row + 3, col - 2:col + 3, :3].astype(int)
        out.append(bool((np.abs(window - target).max(axis=2) <= 30).any()))
    return np.array(out)


def test_a_growing_leg_is_drawn_part_way(small_stage, sample_film):
    """Along the rail leg's track, away from labels and markers: the rail colour on the
    share grown, none past it; the whole track once grown."""
    growing = next(f for f in sample_film.frames if dict(f.growing).get(RAIL, 0) > 0.3)
    share = dict(growing.growing)[RAIL]
    assert share < 1.0
    grown, ahead = _leg_points(small_stage, RAIL, share)
    assert len(grown) > 20 and len(ahead) > 20
    rgba = small_stage.render(growing).copy()
    assert _rail_near(small_stage, rgba, grown).all()
    assert not _rail_near(small_stage, rgba, ahead).any()
    full = small_stage.render(sample_film.frame_at(dt.date(2023, 9, 7))).copy()
    assert _rail_near(small_stage, full, np.vstack([grown, ahead])).all()


def test_a_growing_leg_passes_under_the_names(small_stage, sample_film):
    """A name over which a leg grows keeps its pixels: where the names' layer is opaque, a
    frame with the leg growing beneath is the same as the frame with the leg drawn, and
    as the names' layer itself; and the leg does reach under the name."""
    stage = small_stage
    width, height = stage.fig.canvas.get_width_height()
    where, colour, keep = stage._overlay
    opaque = keep[:, 0] == 0.0
    date = stage.date_box
    x, y = where % width, height - where // width
    opaque &= ~((x >= date.x0 - 2) & (x <= date.x1 + 2) & (y >= date.y0 - 2) & (y <= date.y1 + 2))
    late = [f for f in sample_film.frames if dict(f.growing).get(RAIL, 0) > 0.0][-1]
    growing = stage.render(late).copy()
    badges = stage._top[0]  # the callout badges and rings, laid over the names
    drawn = stage.render(sample_film.frame_at(dt.date(2023, 9, 7))).copy()
    opaque &= ~np.isin(where, np.concatenate([badges, stage._top[0]]))
    solid = where[opaque]
    assert len(solid) > 100
    names = np.rint(colour[opaque]).astype(np.uint8)
    assert np.array_equal(growing.reshape(-1, 4)[solid, :3], names)
    assert np.array_equal(drawn.reshape(-1, 4)[solid, :3], names)
    # the growing leg does run under a name: its colour inside the name's box
    boxes = [p.box for p in stage.labels.placed if p.key.startswith("place:")]
    inside = sum(_mode_pixels(growing[int(height - b.y1):int(height - b.y0),
                                      int(b.x0):int(b.x1), :3], "rail", tolerance=30)
                 for b in boxes)
    assert inside > 5


def test_every_frame_carries_the_same_sources_line(small_stage, sample_film, sample_content):
    """The footer band is the same pixels on the title card, every map frame drawn and the
    closing card: the sources line is there and nothing lies over it."""
    layout = small_stage.layout
    fig = small_stage.fig
    band = next(t for t in fig.texts if t.get_gid() == "footer-sources").get_window_extent()
    rows = slice(int(fig.bbox.height - band.y1) - 1, int(fig.bbox.height - band.y0) + 1)
    title = title_card(sample_content, layout.card)[rows, :, :3]
    assert (title < 128).any(), "no dark text in the sources band"
    assert np.array_equal(closing_card(sample_content, layout.card)[rows, :, :3], title)
    for frame in sample_film.frames[::7]:
        if frame.phase == "map":
            assert np.array_equal(small_stage.render(frame)[rows, :, :3], title), frame.index


def test_the_closing_card_lists_the_sources(sample_content, small_stage):
    assert sample_content.spec.sources == ("The White House (13 Oct 2023)", "RUSI (3 Oct 2023)")
    size, columns, left_out = source_columns(list(sample_content.spec.sources), width=600.0,
                                             height=300.0, scale=1.0)
    assert [line for column in columns for line in column] == list(sample_content.spec.sources)
    assert left_out == 0 and size == 10.0
    card = closing_card(sample_content, small_stage.layout.card)
    assert card.shape == (540, 960, 4)


def test_a_long_source_list_is_cut_and_counted():
    texts = [f"Publisher number {i} (1 Jan 2024)" for i in range(400)]
    size, columns, left_out = source_columns(texts, width=600.0, height=200.0, scale=1.0)
    shown = sum(len(c) for c in columns)
    assert left_out == 400 - shown and 0 < shown < 400 and size == 6.5


@pytest.mark.parametrize("text, expected", [
    ("About 300 containers at the pier", "About 300 containers at the pier"),
    ("First sentence. Second one.", "First sentence."),
    ("word " * 40, ("word " * 24).strip() + "\u2026"),
    ("A claim (as covered by the press, with a long aside that runs well past the limit of the "
     "text shown on the screen in the panel) and more", "A claim\u2026"),
])
def test_a_callout_is_shortened_at_a_word_and_says_so(text, expected):
    assert short_text(text) == expected


def test_a_grown_share_follows_travel_order_from_the_start_connector():
    """A leg whose connector joins its start: half its length keeps the connector and the
    first half of the track."""
    track = np.array([[0.0, 0.0], [10.0, 0.0]])
    join = np.array([[-2.0, 0.0], [0.0, 0.0]])  # off the network, at the start
    route = RouteLine("x", "t", "rail", "confirmed", 1.0, (track,), "reported", (join,))
    kept_track, kept_joins = grown_parts(route, [track, join], 0.5)
    assert len(kept_joins) == 1 and np.allclose(kept_joins[0], join)
    assert np.allclose(kept_track[0][-1], [4.0, 0.0])
    assert grown_parts(route, [track, join], 0.0) == ([], [])


def test_a_long_title_takes_two_lines_on_the_square_film_and_keeps_its_end(sample_content):
    """The French bundled title lost '…la Russie, 2022-2025' to an ellipsis on the square
    film: a title too long for one line takes two, whole, and the subtitle sits under them,
    above the map."""
    import dataclasses

    from routemap.maps.video.frames import LAYOUTS, Stage

    title = "Transferts d'armes et de pétrole entre la Corée du Nord et la Russie, 2022-2025"
    content = dataclasses.replace(sample_content, spec=dataclasses.replace(sample_content.spec, title=title))
    stage = Stage(content, LAYOUTS["square"].scaled((540, 540)))
    texts = {t.get_gid(): t for t in stage.fig.texts}
    drawn = texts["title"].get_text()
    assert drawn.count("\n") == 1 and drawn.replace("\n", " ") == title
    renderer = stage.fig.canvas.get_renderer()
    title_box = texts["title"].get_window_extent(renderer)
    sub_box = texts["subtitle"].get_window_extent(renderer)
    assert title_box.x1 <= stage.fig.bbox.width
    assert sub_box.y1 <= title_box.y0 and sub_box.y0 >= stage.canvas.ax.get_window_extent(renderer).y1
    wide = Stage(content, LAYOUTS["wide"].scaled((960, 540)))
    assert "\n" not in next(t for t in wide.fig.texts if t.get_gid() == "title").get_text()


def test_a_long_subtitle_takes_two_lines_on_the_square_film_and_the_map_makes_room(sample_content):
    """The French bundled subtitle lost '... à travers la Russie sont estimés' (which lines
    are estimated) to an ellipsis on the square film: under a two-line title it takes two
    lines, whole, and the map's top comes down under it; the wide film keeps one line."""
    import dataclasses

    from routemap.maps.video.frames import LAYOUTS, Stage

    title = "Transferts d'armes et de pétrole entre la Corée du Nord et la Russie, 2022-2025"
    subtitle = ("Itinéraires rapportés publiquement, chacun avec ses sources et son degré de "
                "confiance\u202f; les corridors ferroviaires à travers la Russie sont estimés")
    spec = dataclasses.replace(sample_content.spec, title=title, subtitle=subtitle)
    content = dataclasses.replace(sample_content, spec=spec)
    layout = LAYOUTS["square"].scaled((540, 540))
    stage = Stage(content, layout)
    texts = {t.get_gid(): t for t in stage.fig.texts}
    drawn = texts["subtitle"].get_text()
    assert drawn.count("\n") == 1 and drawn.replace("\n", " ") == subtitle
    renderer = stage.fig.canvas.get_renderer()
    sub_box = texts["subtitle"].get_window_extent(renderer)
    map_box = stage.canvas.ax.get_window_extent(renderer)
    assert sub_box.x1 <= stage.fig.bbox.width and sub_box.y0 > map_box.y1
    assert map_box.y1 < (layout.map_rect[1] + layout.map_rect[3]) * stage.fig.bbox.height
    assert abs(map_box.y0 - layout.map_rect[1] * stage.fig.bbox.height) < 1.0  # its bottom stays
    wide = Stage(content, LAYOUTS["wide"].scaled((960, 540)))
    assert "\n" not in next(t for t in wide.fig.texts if t.get_gid() == "subtitle").get_text()
