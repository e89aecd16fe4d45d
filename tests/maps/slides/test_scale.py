"""Slides at scale: far legs left undrawn (same pixels), slides and deck streamed to disk, one
deck image in memory at a time, and running out of memory named by the command line."""

from __future__ import annotations

import dataclasses
import gc
import struct
import tempfile
import tracemalloc
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from routemap.cli import main
from routemap.maps.options import RenderOptions
from routemap.maps.projection import fit_frame
from routemap.maps.slides import canvas as canvas_module
from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import compose_slide, slide_specs, slide_texts
from routemap.maps.slides.deck import write_deck
from routemap.maps.slides.render import figure_bytes
from routemap.maps.slides.spec import RouteLine

SMALL = RenderOptions(formats=("png",), size=(480, 270), dpi=36)


def _frame():
    """A Mercator frame around the Sea of Japan."""
    return fit_frame(np.array([128.0, 142.0]), np.array([38.0, 46.0]), aspect=16 / 9, margin=0.0,
                     min_span_m=100_000.0)


@pytest.mark.parametrize("fx, fy, near", [
    ([0.2, 0.7], [0.3, 0.6], True),  # inside
    ([-3.0, 4.0], [0.5, 0.5], True),  # crosses it, no vertex inside
    ([-3.0, -2.0], [0.4, 0.6], False),  # west of it
    ([0.2, 0.8], [1.3, 1.6], False),  # north of it, across the same width
    ([1.0001, 1.2], [0.5, 0.5], True),  # just off it, within the stroke's reach
    ([np.nan, 0.4, 0.5], [np.nan, 0.4, 0.5], True),  # a missing vertex does not hide the rest
])
def test_a_leg_is_drawn_if_it_comes_near_the_frame(fx, fy, near):
    """Points given as shares of the frame's width and height (0 to 1 inside it)."""
    frame = _frame()
    x = frame.xmin + np.array(fx) * (frame.xmax - frame.xmin)
    y = frame.ymin + np.array(fy) * (frame.ymax - frame.ymin)
    assert canvas_module._in_view([np.column_stack([x, y])], frame, 1000.0) is near


@pytest.fixture(scope="module")
def transfer_spec(shared_routeset):
    """The sample's first transfer slide, and the texts the slides draw."""
    specs = slide_specs(shared_routeset, size=SMALL.size, dpi=SMALL.dpi)
    return specs[1], slide_texts(specs)


def _png(spec, texts) -> tuple[bytes, list[str]]:
    with matplotlib.rc_context(slide_rc()):
        slide = compose_slide(spec, size=SMALL.size, dpi=SMALL.dpi, texts=texts)
    gids = [a.get_gid() or "" for a in slide.figure.axes[0].patches]
    return figure_bytes(slide.figure, "png"), gids


def test_a_far_leg_of_another_transfer_changes_no_pixel_and_is_not_drawn(transfer_spec):
    """A thousand transfers in grey cost a transfer slide only the legs near its frame."""
    spec, texts = transfer_spec
    far = RouteLine("far-leg", "elsewhere", "sea", "reported", 2.0,
                    (np.array([[-60.0, -10.0], [-50.0, -20.0]]),), "estimated")
    with_far = dataclasses.replace(spec, routes=(*spec.routes, far))
    alone, _ = _png(spec, texts)
    drawn, gids = _png(with_far, texts)
    assert drawn == alone
    assert "context:far-leg" not in gids and any(g.startswith(("context:", "leg:")) for g in gids)


def _png_header(size: tuple[int, int], fill: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", size[0], size[1], 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
            + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + bytes([fill % 251]) * 8)


_IMAGE_BYTES = 4_000_000


class _BigImages(Mapping[str, bytes]):
    """Every slide's 'image': 4 MB each, made afresh on every read (so only what the deck
    keeps stays in memory)."""

    def __init__(self, names: list[str], size: tuple[int, int]) -> None:
        self.names, self.size = names, size

    def __getitem__(self, name: str) -> bytes:
        index = self.names.index(name)
        image = bytearray([index % 7]) * _IMAGE_BYTES  # made once: no copy of it held beside it
        header = _png_header(self.size, index)
        image[:len(header)] = header
        return image  # type: ignore[return-value]  # bytes-like, as the deck reads it

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def test_the_deck_holds_one_map_image_at_a_time(shared_routeset, tmp_path):
    options = RenderOptions(formats=("pptx",), size=(1920, 1080))
    names = [f"{s.name}.png" for s in slide_specs(shared_routeset)]
    images = _BigImages(names, options.size)
    tracemalloc.start()
    try:
        write_deck(shared_routeset, options, images, tmp_path / "briefing.pptx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(names) >= 3
    assert peak < 2 * _IMAGE_BYTES  # all of them would be 4 MB times the slides
    with zipfile.ZipFile(tmp_path / "briefing.pptx") as deck:
        media = sorted(n for n in deck.namelist() if n.startswith("ppt/media/"))
        sizes = [deck.getinfo(n).file_size for n in media]
    assert len(media) == len(names) and all(s >= _IMAGE_BYTES for s in sizes)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target, formats, expected", [
    ("routemap.maps.slides.compose.compose_slide", "png,geojson",
     "write slides for 1 transfer (1 leg); try --formats without png, or fewer transfers"),
    ("routemap.maps.slides.deck._write_normalised", "pptx,geojson",
     "write briefing.pptx for 1 transfer (1 leg); try --formats without pptx, or fewer transfers"),
])
def test_a_slide_or_deck_out_of_memory_is_one_line_and_nothing_is_left(
        target, formats, expected, one_flight_file, tmp_path, capsys, monkeypatch):
    """The renderer itself runs out (injected): exit 2, one line naming the output, the
    output folder as it was, and no temporary file left behind."""
    def no_memory(*args, **kwargs):
        raise MemoryError

    out = tmp_path / "out"
    out.mkdir()
    (out / "routes.geojson").write_text("previous good file")
    spool_root = tmp_path / "tmp"
    spool_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool_root))
    monkeypatch.setenv("ROUTEMAP_WORKERS", "1")
    monkeypatch.setattr(target, no_memory)
    before = _snapshot(out)
    code = main(["build", str(one_flight_file), "--out", str(out), "--formats", formats, "--quiet"])
    captured = capsys.readouterr()
    gc.collect()
    assert (code, captured.out, captured.err.splitlines()) == (2, "", [f"error: not enough memory to {expected}"])
    assert _snapshot(out) == before
    assert list(spool_root.iterdir()) == []


def test_a_temporary_folder_that_cannot_take_a_slide_is_our_error(tmp_path):
    from routemap.errors import RenderError
    from routemap.maps.slides.render import _write_temporary

    with pytest.raises(RenderError, match=r"cannot draw slides/x\.png: the temporary folder .*missing "
                                          r"cannot take it \(No such file or directory\); free some room"):
        _write_temporary(str(tmp_path / "missing" / "000001.png"), b"png", "slides/x.png")
