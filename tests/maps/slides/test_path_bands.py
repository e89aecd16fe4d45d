"""A modelled line never looks like a reported path: its band on the map and in the legend,
and an overview kicker that grades no transfer higher than its sources do."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from routemap.maps.slides.furniture import LegendContent, draw_legend
from routemap.maps.slides.layers import (
    CONTEXT_WIDTH_PT,
    MUTED_ROUTE,
    Z,
    draw_routes,
    focus_width_points,
    lines_path,
)
from routemap.maps.slides.plan import legend_content
from routemap.maps.slides.spec import RouteLine, overview_spec, transfer_specs
from routemap.maps.style import MODE_STYLES, PATH_LEGEND, PATH_STYLES, width_legend, width_scale


def _route(path_confidence: str, *, fid: str = "leg:t:0", mode: str = "rail") -> RouteLine:
    part = np.array([[0.0, 0.0], [1000.0, 500.0], [2000.0, 0.0]])
    return RouteLine(fid, "t", mode, "reported", 4.0, (part,), path_confidence)


def _drawn(route: RouteLine, *, focus: bool) -> dict[str, PathPatch]:
    fig = Figure()
    ax = fig.add_subplot()
    draw_routes(ax, [(route, list(route.parts), focus)], scale=1.0, units_per_point=1.0)
    return {a.get_gid().split(":")[0]: a for a in ax.patches}


def test_an_estimated_path_gets_a_band_under_its_line_and_casing():
    route = _route("estimated")
    drawn = _drawn(route, focus=True)
    band, style = drawn["band"], PATH_STYLES["estimated"]
    assert band.get_linewidth() == pytest.approx(style.band_factor
                                                 * focus_width_points(route, 1.0))
    assert band.get_alpha() == pytest.approx(style.band_opacity)
    assert band.get_edgecolor()[:3] == pytest.approx(
        tuple(int(MODE_STYLES["rail"].color[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert band.zorder < drawn["halo"].zorder < drawn["leg"].zorder
    assert band.get_linewidth() > drawn["halo"].get_linewidth()


def test_a_context_route_band_is_grey_and_under_its_line():
    drawn = _drawn(_route("estimated"), focus=False)
    band = drawn["band"]
    assert band.get_edgecolor()[:3] == pytest.approx(
        tuple(int(MUTED_ROUTE[i:i + 2], 16) / 255 for i in (1, 3, 5)))
    assert band.get_linewidth() == pytest.approx(PATH_STYLES["estimated"].band_factor
                                                 * CONTEXT_WIDTH_PT)
    assert band.zorder == Z["bands"] < drawn["context"].zorder


@pytest.mark.parametrize("focus", [True, False])
def test_a_reported_path_has_no_band(focus):
    assert "band" not in _drawn(_route("reported"), focus=focus)


def test_spec_carries_each_legs_path_confidence(shared_routeset):
    routes = overview_spec(shared_routeset).routes
    by_id = {r.feature_id: r.path_confidence for r in routes}
    legs = shared_routeset.legs
    assert by_id == dict(zip(legs["feature_id"], legs["path_confidence"], strict=True))


def _legend_texts(content: LegendContent) -> tuple[list[str], list[str]]:
    fig = Figure()
    ax = fig.add_subplot()
    draw_legend(ax, content, width=260.0, scale=1.0)
    headers = [t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "legend-header"]
    entries = [t.get_text() for t in ax.texts if t.get_gid() == "legend-entry"]
    return headers, entries


def _content(paths: tuple[str, ...]) -> LegendContent:
    widths = width_legend(width_scale([]), [])
    return LegendContent(("rail",), ("reported",), (), widths, muted=False, paths=paths)


def test_legend_explains_the_band_when_a_line_is_modelled():
    headers, entries = _legend_texts(_content(("reported", "estimated")))
    assert PATH_LEGEND["confidence"].upper() in headers
    assert PATH_LEGEND["path"].upper() in headers
    assert {PATH_STYLES["reported"].label, PATH_STYLES["estimated"].label} <= set(entries)


def test_legend_has_no_band_section_when_every_line_is_reported():
    headers, entries = _legend_texts(_content(("reported",)))
    assert PATH_LEGEND["path"].upper() not in headers
    assert PATH_STYLES["estimated"].label not in entries


def test_slide_legends_list_the_path_certainties_shown(shared_routeset):
    for spec in [overview_spec(shared_routeset), *transfer_specs(shared_routeset)]:
        assert set(legend_content(spec).paths) == {r.path_confidence for r in spec.routes}


def test_overview_kicker_counts_transfers_without_calling_them_reported(shared_routeset):
    # The sample holds a confirmed and an estimated transfer: neither is 'reported' as such.
    assert [t.confidence for t in shared_routeset.scenario.transfers] == ["confirmed",
                                                                         "estimated"]
    assert overview_spec(shared_routeset).kicker == "2 transfers"


@pytest.mark.parametrize(("lines", "codes"), [
    ([], None),
    ([[[0, 0]]], None),  # a single point draws nothing
    ([[[0, 0], [1, 1]]], [1, 2]),
    ([[[0, 0, 9], [1, 1, 9], [2, 0, 9]], [[5, 5]], [[3, 3], [4, 4]]], [1, 2, 2, 1, 2]),
])
def test_lines_path_starts_each_line_with_a_move(lines, codes):
    path = lines_path([np.asarray(xy, dtype=float) for xy in lines])
    if codes is None:
        assert len(path.vertices) == 0
        return
    assert path.codes.tolist() == codes
    kept = [np.asarray(xy, dtype=float)[:, :2] for xy in lines if len(xy) >= 2]
    assert np.array_equal(path.vertices, np.concatenate(kept))
