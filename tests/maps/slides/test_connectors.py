"""A leg's stretches off the network (a stop's straight join to it) are drawn as connectors on
the slides, never as track: their own style, no band, no arrow, a legend row of their own."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from shapely.geometry import LineString

from routemap.maps import wording
from routemap.maps.records import connector_lines, feature_records, split_leg, track_geometry
from routemap.maps.slides.furniture import LegendContent, draw_legend
from routemap.maps.slides.layers import (
    FOCUS_MIN_PT,
    MUTED_ROUTE,
    Z,
    connector_width_points,
    draw_routes,
    focus_width_points,
)
from routemap.maps.slides.plan import legend_content
from routemap.maps.slides.spec import RouteLine, overview_spec, transfer_specs
from routemap.maps.style import CONFIDENCE_STYLES, CONNECTOR_STYLE, MODE_STYLES, width_legend, width_scale

DUNAI = (132.338, 42.880)
JOIN = (132.3295, 42.8833)


def _route(*, connectors: bool = True) -> RouteLine:
    """A rail leg whose first 1000 units are a straight join to the network."""
    track = np.array([[1000.0, 0.0], [2000.0, 500.0], [3000.0, 0.0]])
    join = (np.array([[0.0, 0.0], [1000.0, 0.0]]),) if connectors else ()
    return RouteLine("leg:t:1", "t", "rail", "reported", 4.0, (track,), "estimated", join)


def _drawn(route: RouteLine, *, focus: bool) -> dict[str, PathPatch]:
    fig = Figure()
    ax = fig.add_subplot()
    draw_routes(ax, [(route, list(route.drawn), focus)], scale=1.0, units_per_point=1.0)
    return {a.get_gid().split(":")[0]: a for a in ax.patches}


def _xy(patch: PathPatch) -> np.ndarray:
    return np.asarray(patch.get_path().vertices)


def _rgb(color: str) -> tuple[float, ...]:
    return tuple(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_a_connector_is_drawn_in_the_connector_style_apart_from_the_track():
    drawn = _drawn(_route(), focus=True)
    line, ticks = drawn["connector"], drawn["connector-ticks"]
    assert line.zorder == Z["connectors"] > drawn["leg"].zorder
    assert line.get_linewidth() == pytest.approx(connector_width_points(1.0))
    assert line.get_linewidth() < focus_width_points(_route(), 1.0) / 1.5
    assert line.get_linestyle() == "solid"
    assert line.get_edgecolor()[:3] == pytest.approx(_rgb(MODE_STYLES["rail"].color))
    assert _xy(line).tolist() == [[0.0, 0.0], [1000.0, 0.0]]
    # one tick across each end, CONNECTOR_STYLE.tick long
    tick = _xy(ticks)
    assert len(tick) == 4
    assert tick[:, 0].tolist() == pytest.approx([0.0, 0.0, 1000.0, 1000.0])
    assert abs(tick[1, 1] - tick[0, 1]) == pytest.approx(CONNECTOR_STYLE.tick * 0.72)
    assert drawn["connector-halo"].zorder < line.zorder


@pytest.mark.parametrize("layer", ["leg", "halo", "band"])
def test_the_track_line_casing_and_band_leave_the_connector_out(layer):
    xy = _xy(_drawn(_route(), focus=True)[layer])
    assert xy[:, 0].min() == pytest.approx(1000.0)
    assert xy.tolist() == [[1000.0, 0.0], [2000.0, 500.0], [3000.0, 0.0]]


def test_arrows_sit_on_the_track_only():
    fig = Figure()
    ax = fig.add_subplot()
    route = _route()
    draw_routes(ax, [(route, list(route.drawn), True)], scale=1.0, units_per_point=0.01)
    xs = [x for line in ax.lines if line.get_gid().startswith("arrow:")
          for x in line.get_xdata()]
    assert xs and min(xs) > 1000.0


def test_another_transfers_connector_recedes_in_grey():
    drawn = _drawn(_route(), focus=False)
    assert drawn["connector"].get_edgecolor()[:3] == pytest.approx(_rgb(MUTED_ROUTE))
    assert drawn["connector"].zorder == Z["context_routes"]
    assert "connector-halo" not in drawn


def test_a_leg_on_the_network_draws_no_connector():
    assert not any(k.startswith("connector") for k in _drawn(_route(connectors=False), focus=True))


def test_the_connector_style_differs_from_every_confidence_pattern():
    """Solid and ticked, it can only be told from a solid (confirmed) line by its width: every
    solid line is at least twice as wide, on the web map and on the slides."""
    st = CONNECTOR_STYLE
    assert st.tick > 0 and st.legend == "Off the network: straight join, not track"
    for conf in CONFIDENCE_STYLES.values():
        if not conf.dash:
            thinnest = min(m.base_width for m in MODE_STYLES.values()) * conf.width_factor
            assert st.width * 2 <= thinnest
    assert connector_width_points(1.0) * 1.5 <= FOCUS_MIN_PT


def test_the_spec_splits_the_sample_rail_leg_into_track_and_connector(shared_routeset):
    routes = {r.feature_id: r for r in overview_spec(shared_routeset).routes}
    rail = next(r for r in routes.values() if r.mode == "rail")
    assert len(rail.connectors) == 1
    assert np.allclose(rail.connectors[0], [DUNAI, JOIN])
    # the track starts where the connector joins the network, not at Dunai
    assert rail.parts[0][0].tolist() == pytest.approx(list(JOIN))
    assert len(rail.parts[0]) == 4
    assert all(not r.connectors for r in routes.values() if r.mode != "rail")


CONNECTOR_ROW = ("OFF THE NETWORK", "Straight join, not track")


def _entries(content: LegendContent) -> list[tuple[str, str]]:
    """Return the legend's (section header, entry) pairs, in order."""
    fig = Figure()
    ax = fig.add_subplot()
    draw_legend(ax, content, width=260.0, scale=1.0)
    header, out = "", []
    for t in ax.texts:
        text = t.get_text().replace("\n", " ")
        if t.get_gid() == "legend-header":
            header = text
        elif t.get_gid() == "legend-entry":
            out.append((header, text))
    return out


def test_legend_lists_the_connector_only_when_a_shown_leg_has_one(shared_routeset):
    overview = overview_spec(shared_routeset)
    assert legend_content(overview).connectors
    assert CONNECTOR_ROW in _entries(legend_content(overview))
    specs = {s.focus and next(iter(s.focus)): s for s in transfer_specs(shared_routeset)}
    rail_transfer = next(r.transfer_id for r in overview.routes if r.connectors)
    for tid, spec in specs.items():
        content = legend_content(spec)
        assert content.connectors == (tid == rail_transfer)
        assert (CONNECTOR_ROW in _entries(content)) == (tid == rail_transfer)


def test_legend_connector_swatch_is_a_ticked_hairline():
    scale = width_scale([])
    content = LegendContent(("rail",), ("reported",), (), width_legend(scale, []), False,
                            connectors=True)
    fig = Figure()
    ax = fig.add_subplot()
    draw_legend(ax, content, width=260.0, scale=1.0)
    widths = {round(line.get_linewidth(), 3) for line in ax.lines
              if line.get_xdata()[0] == line.get_xdata()[-1]}  # the vertical ticks
    assert widths == {round(CONNECTOR_STYLE.width * 0.72, 3)}


# --- the split: records.track_geometry ------------------------------------------------------

LINE = [(0.0, 0.0), (0.1, 0.0), (1.0, 1.0), (2.0, 1.0), (2.0, 1.2)]


@pytest.mark.parametrize(("connectors", "expected"), [
    ([], [LINE]),
    ([[(0.0, 0.0), (0.1, 0.0)]], [LINE[1:]]),
    ([[(2.0, 1.0), (2.0, 1.2)]], [LINE[:-1]]),
    ([[(0.0, 0.0), (0.1, 0.0)], [(2.0, 1.0), (2.0, 1.2)]], [LINE[1:-1]]),
    # rounded to 6 decimals, as exports are
    ([[(0.0, 0.0), (0.1000004, 0.0)]], [LINE[1:]]),
    # a connector through a densified vertex
    ([[(1.0, 1.0), (2.0, 1.2)]], [LINE[:3]]),
])
def test_track_geometry_cuts_out_each_connector(connectors, expected):
    if connectors == [[(1.0, 1.0), (2.0, 1.2)]]:
        line = LineString([*LINE[:3], (1.5, 1.1), (2.0, 1.2)])
    else:
        line = LineString(LINE)
    track = track_geometry(line, connector_lines([[list(p) for p in c] for c in connectors]))
    parts = [list(g.coords) for g in getattr(track, "geoms", [track])]
    assert len(parts) == len(expected)
    for got, want in zip(parts, expected, strict=True):
        assert np.allclose(got, want, atol=1e-6)


def test_track_geometry_cuts_where_the_connector_is_on_a_line_passing_twice():
    """A line running past a depot and back along the same edge is cut at its end, where
    the connector is, not where it first passes the join."""
    line = LineString([(0, 0), (1, 0), (2, 0), (1, 0), (1, 0.5)])
    track = track_geometry(line, connector_lines([[[1, 0], [1, 0.5]]]))
    assert np.allclose(track.coords, [(0, 0), (1, 0), (2, 0), (1, 0)])


def test_track_geometry_of_a_leg_wholly_off_the_network_is_none():
    line = LineString([(130.0, 42.0), (130.02, 42.01), (130.05, 42.0)])
    joins = connector_lines([[[130.0, 42.0], [130.02, 42.01]], [[130.02, 42.01], [130.05, 42.0]]])
    assert track_geometry(line, joins) is None


def test_a_connector_not_on_the_line_is_left_out_and_the_line_kept_whole(caplog):
    """Only what the line holds is drawn: a stale connector (its leg's line replaced) is
    neither cut out nor drawn."""
    line = LineString(LINE)
    track, joins = split_leg(line, [[[5, 5], [6, 6]], [[0.0, 0.0], [0.1, 0.0]]])
    assert np.allclose(track.coords, LINE[1:]) and len(joins) == 1
    assert np.allclose(joins[0].coords, [(0.0, 0.0), (0.1, 0.0)])
    assert "not part of its leg's line" in caplog.text


def test_records_keep_only_the_connectors_their_line_holds(sample_routeset):
    legs = sample_routeset.legs.copy()
    legs.at[legs.index[2], "connectors"] = [[[0.0, 0.0], [1.0, 1.0]]]
    records = feature_records(dataclasses.replace(sample_routeset, legs=legs))["legs"]
    assert [len(r.connectors) for r in records] == [0, 1, 0]


@pytest.mark.parametrize("cell", [None, float("nan"), [], [[]], [[[1.0, 2.0]]]])
def test_connector_lines_of_an_empty_cell_is_empty(cell):
    assert connector_lines(cell) == ()


@pytest.mark.parametrize(("km", "expected"), [
    (41.147, "41.1 km: straight join, not track"), (0.8, "0.8 km: straight join, not track"),
    (0.0, None), (None, None), (float("nan"), None), ("41", None),
])
def test_off_network_is_written_with_the_connector_styles_words(km, expected):
    assert wording.off_network(km) == expected


def test_a_connector_leaves_the_slides_frame_as_the_whole_line_has_it(shared_routeset):
    """Frames are fitted on the leg's vertices: splitting off a connector must not count the
    point where it meets the track twice (it moved the overview's central meridian 1.6 degrees)."""
    legs = shared_routeset.legs.copy()
    legs["connectors"] = [[] for _ in range(len(legs))]
    whole = dataclasses.replace(shared_routeset, legs=legs)
    split, kept = overview_spec(shared_routeset), overview_spec(whole)
    assert np.allclose(_rows(split.extent), _rows(kept.extent), atol=1e-6)
    rail = next(r for r in split.routes if r.connectors)
    whole_rail = next(r for r in kept.routes if r.feature_id == rail.feature_id)
    assert np.allclose(_rows(rail.vertices), _rows(whole_rail.parts[0]), atol=1e-6)
    assert len(rail.vertices) == 5


def _rows(points: np.ndarray) -> np.ndarray:
    """Return points sorted by longitude, then latitude (a multiset, order aside)."""
    return points[np.lexsort((points[:, 1], points[:, 0]))]
