"""Briefing slides: sizes, formats, text, label collisions, scale bar, north arrow, determinism."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Circle, Rectangle
from matplotlib.text import Text
from PIL import Image
from pyproj import Geod
from shapely.geometry import Point

from routemap.maps.slides.fonts import GlyphWarning, missing_glyphs, printable
from routemap.maps.slides.labels import Box, boxes_overlap
from routemap.maps.slides.slide import compose_slides, figure_bytes, render_slides
from routemap.maps.slides.spec import overview_spec, transfer_specs
from routemap.maps.style import MODE_STYLES, line_width

GEOD = Geod(ellps="WGS84")
TRANSFERS = ("najin-dunai-tikhoretsk", "air-estimate")
TESTS_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def routeset(shared_routeset):
    """The shared hand-made route set (tests/conftest.py)."""
    return shared_routeset


@pytest.fixture(scope="module")
def rendered(routeset):
    """Every slide in every format, rendered once."""
    return render_slides(routeset)


@pytest.fixture(scope="module")
def composed(routeset):
    """The drawn figures (overview and per transfer), for measuring with the renderer."""
    return compose_slides(routeset)


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def test_outputs_are_named_per_slide_and_format(rendered):
    expected = {f"{stem}.{fmt}" for stem in ("slide", *(f"slides/{t}" for t in TRANSFERS))
                for fmt in ("png", "svg", "pdf")}
    assert set(rendered) == expected


def test_png_has_the_requested_pixels(rendered):
    image = Image.open(io.BytesIO(rendered["slide.png"]))
    assert image.size == (1920, 1080)
    assert image.format == "PNG"


def test_other_sizes_and_dpi(routeset):
    out = render_slides(routeset, formats=("png",), size=(1280, 720), dpi=96, per_transfer=False)
    assert list(out) == ["slide.png"]
    assert Image.open(io.BytesIO(out["slide.png"])).size == (1280, 720)


def test_vector_formats_are_well_formed(rendered):
    assert rendered["slide.pdf"].startswith(b"%PDF-")
    assert rendered["slide.pdf"].count(b"/Type /Page\n") + rendered["slide.pdf"].count(
        b"/Type /Page ") >= 1
    root = ET.fromstring(rendered["slide.svg"])
    assert root.get("width", "").endswith("pt")


def test_svg_holds_title_legend_labels_and_footer(rendered):
    text = _svg_text(rendered["slide.svg"])
    for needle in ("Sample transfers", "A test scenario", "As of 1 June 2025", "Sea", "Rail",
                   "Air", "Confirmed", "Estimated", "Port", "Depot", "Tikhoretsk ammunition depot",
                   "Dunai naval port", "The White House (13 Oct 2023)", "RUSI (3 Oct 2023)",
                   "OpenStreetMap contributors, ODbL", "Natural Earth", "Lambert conformal conic",
                   "300 containers"):
        assert needle in text, needle


def test_transfer_slide_carries_its_callout_and_subtitle(rendered):
    text = _svg_text(rendered["slides/najin-dunai-tikhoretsk.svg"])
    assert "Containers by sea to Dunai, then rail" in text
    assert "About 300 containers at the pier" in text
    assert "Transfer 1 of 2".upper() in text
    assert "Rajin (Najin) port" in text  # full names on transfer slides


def test_only_the_main_unit_widens_lines_on_slides(mixed_units_routeset):
    """2 Koksan guns are drawn at the air mode's base width, not as thick as 300 containers."""
    spec = overview_spec(mixed_units_routeset)
    widths = {r.feature_id: r.width for r in spec.routes}
    assert widths["leg:najin-dunai-tikhoretsk:0"] == pytest.approx(line_width("sea", 300, 300))
    assert widths["leg:najin-dunai-tikhoretsk:1"] == pytest.approx(line_width("rail", 300, 300))
    assert widths["leg:air-estimate:0"] == pytest.approx(MODE_STYLES["air"].base_width)


def test_width_legend_samples_the_main_unit_and_names_the_others(mixed_units_routeset):
    spec = overview_spec(mixed_units_routeset)
    assert [t for _, t in spec.widths.samples] == ["300 containers", "75 containers"]
    assert spec.widths.others == (
        (MODE_STYLES["air"].base_width,
         "Other unit (Koksan guns): base width; see popups/notes"),)
    guns = next(s for s in transfer_specs(mixed_units_routeset) if s.focus == {"air-estimate"})
    assert guns.widths.samples == ()
    assert [t for _, t in guns.widths.others] == [
        "Other unit (Koksan guns): base width; widths scale only for containers; "
        "see popups/notes"]


def test_width_legend_is_drawn_with_its_other_units_row(mixed_units_routeset):
    out = render_slides(mixed_units_routeset, formats=("svg",), per_transfer=False)
    text = " ".join(_svg_text(out["slide.svg"]).split())
    for needle in ("LINE WIDTH: QUANTITY MOVED", "300 containers", "75 containers",
                   "Other unit (Koksan guns): base width; see popups/notes"):
        assert needle in text, needle


def test_svg_escapes_markup_from_sources(rendered):
    svg = rendered["slides/air-estimate.svg"].decode()
    assert "<script>" not in svg


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


def test_same_input_gives_identical_bytes(routeset, rendered):
    again = render_slides(routeset, per_transfer=False)
    for fmt in ("png", "svg", "pdf"):
        assert again[f"slide.{fmt}"] == rendered[f"slide.{fmt}"], fmt


def test_identical_bytes_in_a_fresh_process(rendered):
    script = textwrap.dedent("""
        import hashlib, sys
        sys.path.insert(0, sys.argv[1])
        from conftest import _sample_routeset
        from routemap.maps.slides.slide import render_slides
        out = render_slides(_sample_routeset(), per_transfer=False)
        print(" ".join(hashlib.sha256(out[f"slide.{f}"]).hexdigest() for f in ("png", "svg", "pdf")))
    """)
    tests_dir = str(TESTS_DIR)
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", script, tests_dir], capture_output=True,
                            text=True, env=env, check=True)
    mine = " ".join(hashlib.sha256(rendered[f"slide.{f}"]).hexdigest()
                    for f in ("png", "svg", "pdf"))
    assert result.stdout.split() == mine.split()


def test_footer_carries_every_attribution(composed):
    spec = composed["slide"].spec
    assert any("OpenStreetMap contributors, ODbL" in a for a in spec.attributions)
    assert any("Natural Earth" in a for a in spec.attributions)
    footer = [t.get_text() for t in composed["slide"].figure.texts
              if t.get_gid() == "footer-data"][0].replace("\n", " ")
    assert "(c) OpenStreetMap contributors, ODbL" in footer


def test_unknown_format_is_refused(routeset):
    with pytest.raises(ValueError, match="tiff"):
        render_slides(routeset, formats=("tiff",))


@pytest.mark.parametrize(("text", "missing"), [
    ("Rajin port", ""), ("Хасан", ""), ("Ülkü café", ""), ("평양 Pyongyang", "평양"),
])
def test_missing_glyphs_are_found(text, missing):
    assert missing_glyphs(text, ["DejaVu Sans"]) == missing


def test_a_label_no_font_covers_warns_by_name(routeset):
    from routemap.maps.slides import fonts

    if missing_glyphs("평양") == "":
        pytest.skip("a Korean font is installed here")
    places = routeset.places.copy()
    places.loc[0, "name"] = "평양 (Pyongyang)"
    changed = dataclasses.replace(routeset, places=places)
    with pytest.warns(GlyphWarning, match="평양"):
        out = render_slides(changed, formats=("svg",), per_transfer=False)
    assert "\ufffd" in _svg_text(out["slide.svg"])
    assert fonts.font_chain()[0] == "DejaVu Sans"


def test_cyrillic_labels_pass_without_warning():
    assert printable(["Хасан", "Туманган"]) == {"Хасан": "Хасан", "Туманган": "Туманган"}


def test_figure_bytes_does_not_touch_global_state(composed):
    import matplotlib

    before = dict(matplotlib.rcParams)
    figure_bytes(composed["slide"].figure, "svg")
    assert dict(matplotlib.rcParams) == before


def test_svg_path_coordinates_are_rounded_to_a_hundredth_of_a_point(rendered):
    import re

    paths = re.findall(rb' d="([^"]*)"', rendered["slide.svg"])
    assert paths
    assert not any(re.search(rb"\d\.\d{3}", d) for d in paths)


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


def test_slides_drawn_in_worker_processes_are_the_same_bytes(sample_routeset):
    """Each slide is drawn on its own, so two worker processes give what one process gives."""
    alone = render_slides(sample_routeset, formats=("png", "svg"), size=(960, 540), dpi=72)
    pooled = render_slides(sample_routeset, formats=("png", "svg"), size=(960, 540), dpi=72, workers=2)
    assert list(pooled) == list(alone)
    assert all(pooled[name] == alone[name] for name in alone)


@pytest.fixture()
def fresh_font_caches():
    """Forget the fonts looked up so far, before and after the test (it fakes matplotlib)."""
    from routemap.maps.slides import fonts

    caches = (fonts.font_chain, fonts._charmap, fonts._coverage)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_no_font_found_is_our_error(monkeypatch, fresh_font_caches):
    import matplotlib
    from matplotlib import font_manager

    from routemap.errors import RenderError
    from routemap.maps.slides import fonts

    def not_found(prop, *args, **kwargs):
        raise ValueError(f"Failed to find font {prop.get_family()[0]}:style=normal, and fallback "
                         "to the default font was disabled")

    monkeypatch.setattr(font_manager, "findfont", not_found)
    assert fonts.font_chain() == ("DejaVu Sans",)
    with pytest.raises(RenderError) as caught:
        printable(["Rajin port"])
    assert str(caught.value) == (
        "cannot draw the slides: the font 'DejaVu Sans' cannot be found or read; reinstall "
        "matplotlib, which ships it, or delete matplotlib's font cache "
        f"({matplotlib.get_cachedir()}) so that it is rebuilt (from matplotlib: Failed to find "
        "font DejaVu Sans:style=normal, and fallback to the default font was disabled)")


def test_an_unreadable_font_is_left_out_with_a_warning(monkeypatch, tmp_path, caplog,
                                                       fresh_font_caches):
    import logging

    import matplotlib
    from matplotlib import font_manager, ft2font

    from routemap.maps.slides import fonts

    broken = tmp_path / "NotoSans-Regular.ttf"
    broken.write_bytes(b"not a font")
    real_find, real_font = font_manager.findfont, ft2font.FT2Font

    def find(prop, *args, **kwargs):
        family = prop.get_family()[0]
        if family == "Noto Sans":
            return str(broken)
        if family == "DejaVu Sans":
            return real_find(prop, *args, **kwargs)
        raise ValueError(f"Failed to find font {family}")

    def open_font(path, *args, **kwargs):
        if str(path) == str(broken):
            raise RuntimeError("FT_Open_Face failed with error 0x55: invalid stream operation")
        return real_font(path, *args, **kwargs)

    monkeypatch.setattr(font_manager, "findfont", find)
    monkeypatch.setattr(ft2font, "FT2Font", open_font)
    with caplog.at_level(logging.WARNING, logger="routemap.maps.slides.fonts"):
        assert fonts.font_chain() == ("DejaVu Sans",)
    assert caplog.messages == [
        f"the font 'Noto Sans' ({broken}) cannot be read, so the slides are drawn without it; "
        f"reinstall it, or delete matplotlib's font cache ({matplotlib.get_cachedir()}) so that "
        "it is rebuilt (from matplotlib: FT_Open_Face failed with error 0x55: invalid stream "
        "operation)"]
    assert printable(["Хасан"]) == {"Хасан": "Хасан"}


def test_a_worker_that_dies_is_our_error(sample_routeset, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from routemap.errors import RenderError
    from routemap.maps.slides import slide

    class DyingPool:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            return False

        def map(self, func, jobs):
            raise BrokenProcessPool("A process in the process pool was terminated abruptly "
                                    "while the future was running or pending.")

    monkeypatch.setattr(slide, "ProcessPoolExecutor", DyingPool)
    with pytest.raises(RenderError) as caught:
        render_slides(sample_routeset, formats=("png",), size=(320, 240), dpi=30, workers=2)
    assert str(caught.value) == (
        "cannot draw the slides: one of the 2 processes drawing them stopped abruptly (killed, "
        "or out of memory); draw them in one process (ROUTEMAP_WORKERS=1 for routemap build) "
        "(from concurrent.futures: A process in the process pool was terminated abruptly while "
        "the future was running or pending.)")
