"""Composing a slide: label collisions, projection, scale bar, north arrow, footer, detail insets."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text
from pyproj import Geod
from shapely.geometry import Point

from routemap.maps.slides.compose import compose_slides
from routemap.maps.slides.labels import Box, boxes_overlap
from routemap.maps.slides.render import figure_bytes

GEOD = Geod(ellps="WGS84")
TRANSFERS = ("najin-dunai-tikhoretsk", "air-estimate")


@pytest.fixture(scope="module")
def routeset(shared_routeset):
    """The shared hand-made route set (tests/conftest.py)."""
    return shared_routeset


def _label_boxes(fig) -> list[tuple[str, str, Box]]:
    """Return (axes label, gid, renderer box) of every map label and badge, all axes."""
    renderer = fig.canvas.get_renderer()
    out = []
    for artist in fig.findobj(lambda a: isinstance(a, (Text, Circle))):
        gid = artist.get_gid() or ""
        if gid.endswith(("-text", "-halo")):
            continue
        if gid.startswith(("label:", "annotation:", "transfer:")) and artist.axes is not None:
            if artist.axes.get_label() == "panel":
                continue
            ext = artist.get_window_extent(renderer)
            out.append((artist.axes.get_label(), gid, Box(ext.x0, ext.y0, ext.x1, ext.y1)))
    return out


def _marker_boxes(fig) -> list[tuple[str, Box]]:
    """Return the renderer boxes of place markers in the map and every detail panel."""
    out = []
    for ax in fig.axes:
        if ax.get_label() != "map" and not ax.get_label().startswith("detail:"):
            continue
        view = _axes_box(ax)
        for line in ax.get_lines():
            gid = line.get_gid() or ""
            if gid.startswith("place:"):
                (x, y), = ax.transData.transform(np.column_stack(line.get_data()))
                r = line.get_markersize() / 2 * fig.dpi / 72
                if view.contains(Box(x, y, x, y)):
                    out.append((gid, Box(x - r, y - r, x + r, y + r)))
    return out


def _axes_box(ax) -> Box:
    ext = ax.get_window_extent()
    return Box(ext.x0, ext.y0, ext.x1, ext.y1)


def _check_labels(slide) -> None:
    """Assert, on renderer boxes, that labels keep clear of each other, of markers, of the
    legend, of the locator inset and of detail panels (their own labels stay inside)."""
    fig = slide.figure
    fig.canvas.draw()
    labels = _label_boxes(fig)
    assert labels, "no labels drawn"
    assert boxes_overlap([b for _, _, b in labels]) == []
    markers = _marker_boxes(fig)
    for _, gid, box in labels:
        for mgid, marker in markers:
            assert not box.padded(-0.5).overlaps(marker), (gid, mgid)
    axes = {ax.get_label(): ax for ax in fig.axes}
    legend, inset = _axes_box(axes["panel"]), _axes_box(axes["inset"])
    details = [_axes_box(ax) for name, ax in axes.items() if name.startswith("detail:")]
    bands = [d.tab for d in slide.details]
    for where, gid, box in labels:
        home = _axes_box(axes[where])
        assert home.contains(box), gid
        assert box.x1 <= legend.x0 and not box.overlaps(inset), gid
        if where == "map":
            assert not any(box.overlaps(d) for d in details + bands), gid


@pytest.mark.parametrize("name", ["slide", *(f"slides/{t}" for t in TRANSFERS)])
def test_label_boxes_from_the_renderer_do_not_collide(composed, name):
    _check_labels(composed[name])


def test_overview_uses_a_fitted_conformal_conic(composed):
    frame = composed["slide"].frame
    assert frame.proj.startswith("+proj=lcc")
    params = dict(p[1:].split("=") for p in frame.proj.split() if "=" in p)
    assert 40 < float(params["lat_1"]) < float(params["lat_2"]) < 60


@pytest.mark.parametrize("name", ["slide", "slides/air-estimate"])
def test_scale_bar_is_true_at_the_map_centre(composed, name):
    slide = composed[name]
    bar, frame = slide.scale_bar, slide.frame
    cx, cy = frame.center
    lon, lat = frame.inverse(np.array([cx, cx + bar.length_units]), np.array([cy, cy]))
    _, _, metres = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    assert metres / 1000 == pytest.approx(bar.length_km, rel=2e-3)
    drawn = [p for p in slide.figure.axes[0].patches
             if isinstance(p, Rectangle) and p.get_gid() == "scalebar"]
    assert sum(p.get_width() for p in drawn) == pytest.approx(bar.length_units)
    assert bar.length_km in {k * 10**e for k in (1, 2, 2.5, 5) for e in range(-1, 5)}


def test_zoomed_transfer_slide_shows_a_port_area(composed):
    slide = composed["slides/air-estimate"]
    assert slide.frame.width < 500_000
    assert slide.scale_bar.length_km <= 100
    coast = [p for p in slide.figure.axes[0].patches if p.get_edgecolor()[:3] != (0, 0, 0)]
    assert coast


@pytest.mark.parametrize("name", ["slide", "slides/air-estimate"])
def test_north_arrow_points_to_true_north_where_it_stands(composed, name):
    slide = composed[name]
    arrow, frame = slide.north_arrow, slide.frame
    lon, lat = frame.inverse(np.array([arrow.x]), np.array([arrow.y]))
    x2, y2 = frame.forward(lon, lat + 0.05)
    expected = np.degrees(np.arctan2(-(x2[0] - arrow.x), y2[0] - arrow.y))
    assert arrow.angle == pytest.approx(expected, abs=0.2)


def test_overview_north_arrow_leans_in_a_wide_conic_map(composed):
    assert abs(composed["slide"].north_arrow.angle) > 5


def test_footer_carries_every_attribution(composed):
    spec = composed["slide"].spec
    assert any("OpenStreetMap contributors, ODbL" in a for a in spec.attributions)
    assert any("Natural Earth" in a for a in spec.attributions)
    footer = next(t.get_text() for t in composed["slide"].figure.texts
                  if t.get_gid() == "footer-data").replace("\n", " ")
    assert "(c) OpenStreetMap contributors, ODbL" in footer


def test_rail_segments_chain_into_polylines_cut_to_the_frame():
    """Three segments in a row and one far outside: one line, its straight-through vertex gone."""
    from routemap.maps.basemap import rail_polylines
    from routemap.maps.projection import MapFrame

    frame = MapFrame("+proj=merc +datum=WGS84 +units=m", 0.0, 0.0, 100.0, 100.0)
    segs = np.array([[[10, 10], [20, 10]], [[20, 10], [30, 10]], [[30, 10], [40, 12]],
                     [[500, 500], [510, 500]]], dtype=float)
    lines = rail_polylines(segs, frame, tolerance_m=0.5)
    assert len(lines) == 1
    assert lines[0].shape == (3, 2)
    assert {tuple(lines[0][0]), tuple(lines[0][-1])} == {(10.0, 10.0), (40.0, 12.0)}


@pytest.fixture(scope="module")
def crowded(routeset):
    """The sample route set with eight more places packed around Rajin (within 30 km), so
    that the overview cannot label them at its scale."""
    places = routeset.places
    rows = []
    for i, (dlon, dlat) in enumerate([(0.05, 0.02), (-0.04, 0.06), (0.1, -0.05), (0.02, 0.12),
                                      (-0.12, -0.02), (0.15, 0.08), (-0.06, -0.1),
                                      (0.2, 0.0)]):
        row = places.iloc[0].copy()
        lon, lat = 130.295 + dlon, 42.245 + dlat
        row["place_id"], row["feature_id"] = f"extra-{i}", f"place:extra-{i}"
        row["name"], row["kind"] = f"Junction number {i}", "rail_junction"
        row["lon"], row["lat"] = lon, lat
        row["geometry"] = Point(lon, lat)
        rows.append(row)
    more = gpd.GeoDataFrame(pd.concat([places, pd.DataFrame(rows)], ignore_index=True),
                            geometry="geometry", crs=places.crs)
    return compose_slides(dataclasses.replace(routeset, places=more), per_transfer=False)


def test_a_crowded_cluster_gets_an_enlarged_detail_panel(crowded):
    slide = crowded["slide"]
    assert len(slide.details) == 1
    detail = slide.details[0]
    assert {"place:rajin", "place:extra-0", "place:extra-3"} <= detail.keys
    assert detail.zoom >= 2.5
    assert detail.frame.proj != slide.frame.proj  # its own fitted projection
    assert not detail.panel.overlaps(detail.outline)
    main = {p.key for p in slide.labels}
    assert not main & detail.keys  # the main map leaves their labels to the detail
    shown = {line for p in detail.labels for line in [p.key]}
    assert "place:rajin" in shown
    texts = [t.get_text() for t in slide.figure.texts]
    axes_texts = [t.get_text() for ax in slide.figure.axes for t in ax.texts]
    assert "RUSSIA AND NORTH KOREA" in axes_texts or "NORTH KOREA AND RUSSIA" in axes_texts
    assert f"Detail enlarged {detail.zoom:.1f}\u00d7" in axes_texts, texts
    gids = {a.get_gid() for a in slide.figure.axes[0].get_children()}
    assert {"detail-outline", "detail-connector", "detail-band"} <= gids


def test_detail_labels_and_panel_keep_clear_of_everything(crowded):
    _check_labels(crowded["slide"])


def test_detail_scale_bar_is_true_at_the_detail_centre(crowded):
    detail = crowded["slide"].details[0]
    bar, frame = detail.scale_bar, detail.frame
    cx, cy = frame.center
    lon, lat = frame.inverse(np.array([cx, cx + bar.length_units]), np.array([cy, cy]))
    _, _, metres = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    assert metres / 1000 == pytest.approx(bar.length_km, rel=2e-3)
    ax = next(a for a in crowded["slide"].figure.axes if a.get_label() == "detail:1")
    drawn = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == "scalebar"]
    assert sum(p.get_width() for p in drawn) == pytest.approx(bar.length_units)


def test_detail_slides_are_deterministic(crowded, routeset):
    again = figure_bytes(crowded["slide"].figure, "png")
    assert again == figure_bytes(crowded["slide"].figure, "png")


def test_a_continental_haul_with_a_port_hop_gets_a_detail(composed):
    """Rajin to Dunai by sea is a few pixels next to the rail haul to Tikhoretsk."""
    for name in ("slide", "slides/najin-dunai-tikhoretsk"):
        keys = {k for d in composed[name].details for k in d.keys}
        assert {"place:rajin", "place:dunai"} <= keys, name


def test_a_zoomed_map_has_no_detail(composed):
    slide = composed["slides/air-estimate"]
    assert slide.details == ()
    assert all(not ax.get_label().startswith("detail:") for ax in slide.figure.axes)


def test_the_locator_globe_takes_a_corner_that_hides_no_route_first(composed):
    """Other transfers' grey routes count too: a corner hiding none is taken before the first
    corner free of the slide's own data; when every corner hides some, the first free of the
    slide's own data is taken, as before (the bundled callouts slide's globe covered the grey
    routes to Rajin at the top right while the top left was empty)."""
    from routemap.maps.slides.canvas import setup_canvas
    from routemap.maps.slides.compose import _corners, _inset_corner

    spec = composed["slide"].spec
    canvas = setup_canvas(spec, (960, 540), 72, {})
    side = 0.30 * canvas.ax.bbox.height
    corners = _corners(canvas, side, side)
    inside = {name: np.array([[(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2]])
              for name, box in corners.items()}
    nowhere, away = np.zeros((0, 2)), Box(-9, -9, -8, -8)
    chosen = {box: name for name, box in corners.items()}

    def corner(points, context):
        found = _inset_corner(canvas, points, away, context)
        return chosen[found[1]]

    assert corner(nowhere, nowhere) == "top-right"
    assert corner(nowhere, inside["top-right"]) == "top-left"
    assert corner(inside["top-right"], inside["top-left"]) == "bottom-right"
    every = np.vstack(list(inside.values()))
    assert corner(nowhere, every) == "top-right"
    assert corner(inside["top-right"], every) == "top-left"
