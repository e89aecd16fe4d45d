"""Rendering the slides to bytes: names, sizes, formats, the text they hold, identical bytes, workers."""

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

import pytest
from PIL import Image

from routemap.maps.options import RenderOptions
from routemap.maps.slides.fonts import GlyphWarning, missing_glyphs
from routemap.maps.slides.render import figure_bytes, render_slides

TRANSFERS = ("najin-dunai-tikhoretsk", "air-estimate")
TESTS_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def routeset(shared_routeset):
    """The shared hand-made route set (tests/conftest.py)."""
    return shared_routeset


@pytest.fixture(scope="module")
def rendered(routeset):
    """Every slide in every format, rendered once."""
    return render_slides(routeset, RenderOptions())


def _svg_text(data: bytes) -> str:
    root = ET.fromstring(data)
    return " ".join("".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text"))


def test_outputs_are_named_per_slide_and_format(rendered):
    expected = {f"{stem}.{fmt}" for stem in ("slide", *(f"slides/{t}" for t in TRANSFERS))
                for fmt in ("png", "svg", "pdf")}
    assert set(rendered) == expected


def test_slides_are_spooled_to_disk_in_deck_order(rendered, routeset):
    """Each slide is a file in the spool's folder, read when asked for, in deck order."""
    from routemap.maps.slides.compose import slide_specs
    from routemap.maps.spool import Spool

    assert isinstance(rendered, Spool)
    stems = [s.name for s in slide_specs(routeset)]
    assert list(rendered) == [f"{stem}.{fmt}" for stem in stems for fmt in ("png", "svg", "pdf")]
    assert all(rendered.path(name).parent == rendered.folder for name in rendered)


def test_png_has_the_requested_pixels(rendered):
    image = Image.open(io.BytesIO(rendered["slide.png"]))
    assert image.size == (1920, 1080)
    assert image.format == "PNG"


def test_png_is_the_picture_matplotlib_draws_in_rgb_with_its_text_chunk_and_resolution(composed):
    """The PNG is written from matplotlib's pixels: an opaque slide as RGB (the same picture,
    a quarter fewer bytes), a figure with see-through pixels as RGBA; both carry the
    'Software: routemap' chunk and the figure's resolution."""
    import matplotlib.pyplot as plt
    import numpy as np

    figure = composed["slide"].figure
    drawn = Image.open(io.BytesIO(figure_bytes(figure, "png")))
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=figure.dpi, facecolor=figure.get_facecolor())
    pixels = np.frombuffer(raw.getvalue(), np.uint8).reshape(drawn.size[1], drawn.size[0], 4)
    assert drawn.mode == "RGB" and drawn.info["Software"] == "routemap"
    assert drawn.info["dpi"] == pytest.approx((figure.dpi, figure.dpi), abs=0.05)  # pixels a metre, whole
    assert np.array_equal(np.asarray(drawn), pixels[:, :, :3])

    clear = plt.figure(figsize=(2, 1), dpi=50, facecolor=(1, 1, 1, 0))
    try:
        clear.text(0.5, 0.5, "x")
        see_through = Image.open(io.BytesIO(figure_bytes(clear, "png")))
        assert see_through.mode == "RGBA" and see_through.size == (100, 50)
        assert np.asarray(see_through)[0, 0, 3] == 0
    finally:
        plt.close(clear)


def test_other_sizes_and_dpi(routeset):
    out = render_slides(routeset, RenderOptions(formats=("png",), size=(1280, 720), dpi=96), per_transfer=False)
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


def test_width_legend_is_drawn_with_its_other_units_row(mixed_units_routeset):
    out = render_slides(mixed_units_routeset, RenderOptions(formats=("svg",)), per_transfer=False)
    text = " ".join(_svg_text(out["slide.svg"]).split())
    for needle in ("LINE WIDTH: QUANTITY MOVED", "300 containers", "75 containers",
                   "Other unit (Koksan guns): base width; see popups/notes"):
        assert needle in text, needle


def test_svg_escapes_markup_from_sources(rendered):
    svg = rendered["slides/air-estimate.svg"].decode()
    assert "<script>" not in svg


def test_same_input_gives_identical_bytes(routeset, rendered):
    again = render_slides(routeset, RenderOptions(), per_transfer=False)
    for fmt in ("png", "svg", "pdf"):
        assert again[f"slide.{fmt}"] == rendered[f"slide.{fmt}"], fmt


def test_identical_bytes_in_a_fresh_process(rendered):
    script = textwrap.dedent("""
        import hashlib, sys
        sys.path.insert(0, sys.argv[1])
        from conftest import _sample_routeset
        from routemap.maps.options import RenderOptions
        from routemap.maps.slides.render import render_slides
        out = render_slides(_sample_routeset(), RenderOptions(), per_transfer=False)
        print(" ".join(hashlib.sha256(out[f"slide.{f}"]).hexdigest() for f in ("png", "svg", "pdf")))
    """)
    tests_dir = str(TESTS_DIR)
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-c", script, tests_dir], capture_output=True,
                            text=True, env=env, check=True)
    mine = " ".join(hashlib.sha256(rendered[f"slide.{f}"]).hexdigest()
                    for f in ("png", "svg", "pdf"))
    assert result.stdout.split() == mine.split()


def test_unknown_format_is_refused(routeset):
    with pytest.raises(ValueError, match="tiff"):
        render_slides(routeset, RenderOptions(formats=("tiff",)))


def test_a_label_no_font_covers_warns_by_name(routeset):
    from routemap.maps.slides import fonts

    if missing_glyphs("평양") == "":
        pytest.skip("a Korean font is installed here")
    places = routeset.places.copy()
    places.loc[0, "name"] = "평양 (Pyongyang)"
    changed = dataclasses.replace(routeset, places=places)
    with pytest.warns(GlyphWarning, match="평양"):
        out = render_slides(changed, RenderOptions(formats=("svg",)), per_transfer=False)
    assert "\ufffd" in _svg_text(out["slide.svg"])
    assert fonts.font_chain()[0] == "DejaVu Sans"


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


def test_slides_drawn_in_worker_processes_are_the_same_bytes(sample_routeset):
    """Each slide is drawn on its own, so two worker processes give what one process gives,
    here two started ahead (warmed, handed the shared route set in a file)."""
    from routemap.maps.slides import workers

    alone = render_slides(sample_routeset, RenderOptions(formats=("png", "svg"), size=(960, 540), dpi=72))
    workers.start_ahead(2)
    pooled = render_slides(sample_routeset,
                           RenderOptions(formats=("png", "svg"), size=(960, 540), dpi=72, workers=2))
    assert workers.take_ahead(2) is None  # the slides took them
    assert list(pooled) == list(alone)
    assert all(pooled[name] == alone[name] for name in alone)


def test_a_worker_that_dies_is_our_error(sample_routeset, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    from routemap.errors import RenderError
    from routemap.maps.slides import render

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

    monkeypatch.setattr(render, "start_workers", lambda count: DyingPool())
    with pytest.raises(RenderError) as caught:
        render_slides(sample_routeset, RenderOptions(formats=("png",), size=(320, 240), dpi=30, workers=2))
    assert str(caught.value) == (
        "cannot draw the slides: one of the 2 processes drawing them stopped abruptly (killed, "
        "or out of memory); draw them in one process (ROUTEMAP_WORKERS=1 for routemap build) "
        "(from concurrent.futures: A process in the process pool was terminated abruptly while "
        "the future was running or pending.)")


def test_a_slide_drawn_after_others_on_the_shared_figure_is_the_one_drawn_alone(routeset, rendered):
    """The slides of a process are drawn on one figure (blank_figure), which keeps matplotlib's
    text measures between them: the last slide drawn is, byte for byte, the slide drawn on a
    figure of its own."""
    import matplotlib

    from routemap.maps.slides.canvas import slide_rc
    from routemap.maps.slides.compose import compose_slide, slide_specs, slide_texts

    specs = slide_specs(routeset)
    with matplotlib.rc_context(slide_rc()):
        alone = compose_slide(specs[-1], texts=slide_texts(specs)).figure
    for fmt in ("png", "svg", "pdf"):
        assert figure_bytes(alone, fmt) == rendered[f"{specs[-1].name}.{fmt}"], fmt


def test_the_shared_figure_is_emptied_and_replaced_when_its_size_or_text_settings_change():
    import matplotlib

    from routemap.maps.slides.canvas import blank_figure

    first = blank_figure((320, 180), 72)
    first.add_axes((0.1, 0.1, 0.5, 0.5)).plot([0, 1], [0, 1])
    first.text(0.5, 0.5, "left over")
    again = blank_figure((320, 180), 72)
    assert again is first
    assert again.axes == [] and again.texts == []
    assert blank_figure((320, 180), 96) is not first
    assert blank_figure((640, 180), 72) is not first
    plain = blank_figure((320, 180), 72)
    with matplotlib.rc_context({"text.hinting": "none" if matplotlib.rcParams["text.hinting"] != "none"
                                else "auto"}):
        assert blank_figure((320, 180), 72) is not plain


@pytest.mark.parametrize(("path", "rounded"), [
    (b"M 16.5888 457.2288 L 16.5888 76.2048 z", b"M 16.59 457.23 L 16.59 76.2 z"),
    (b"M -0.001 0.004 L 3.5 -2.999", b"M 0 0 L 3.5 -3"),
    (b"M 1.005000 0.125 L 0.375 7.10", b"M 1 0.12 L 0.38 7.10"),  # the float's own rounding
    (b"M 12 3.14159 L 12 3.14159 L -3.14159 12", b"M 12 3.14 L 12 3.14 L -3.14 12"),
])
def test_svg_path_numbers_are_rounded_as_written(path, rounded):
    from routemap.maps.slides.render import _round_svg_paths

    svg = b'<path d="' + path + b'" x="1.23456"/><path d="' + path + b'"/>'
    assert _round_svg_paths(svg) == b'<path d="' + rounded + b'" x="1.23456"/><path d="' + rounded + b'"/>'
