"""The fonts a slide's PDF embeds: lean subsets, the text still extractable, matplotlib restored."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from fontTools.ttLib import TTFont
from matplotlib.backends import _backend_pdf_ps
from matplotlib.figure import Figure

from routemap.maps.slides.fonts import font_chain
from routemap.maps.slides.pdffonts import LAYOUT_TABLES, lean_pdf_fonts, lean_subset
from routemap.maps.slides.render import figure_bytes

TEXT = "Mozdok → Пхеньян, office 2024"


def _pdf() -> bytes:
    """A small figure with one line of text in Latin, Cyrillic and a ligature-prone word."""
    figure = Figure(figsize=(3, 1), dpi=50)
    figure.text(0.05, 0.5, TEXT, fontsize=10)
    return figure_bytes(figure, "pdf")


def _streams(pdf: bytes, key: bytes) -> list[bytes]:
    """Return the decompressed streams of the PDF objects whose dictionary names ``key``."""
    found = []
    for match in re.finditer(rb"<<(.*?)>>\s*stream\r?\n", pdf, re.S):
        if key not in match.group(1):
            continue
        start = match.end()
        end = pdf.index(b"endstream", start)
        data = pdf[start:end]
        found.append(zlib.decompress(data) if b"FlateDecode" in match.group(1) else data)
    return found


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return _pdf()


def test_embedded_font_has_no_layout_tables(pdf: bytes) -> None:
    fonts = [TTFont(io.BytesIO(data)) for data in _pdf_fonts(pdf)]
    assert fonts
    for font in fonts:
        assert not set(LAYOUT_TABLES) & set(font.keys())
        assert {"glyf", "loca", "head", "hmtx"} <= set(font.keys())


def _pdf_fonts(pdf: bytes) -> list[bytes]:
    """Return the embedded TrueType font programs (the streams FontFile2 points at)."""
    numbers = {int(n) for n in re.findall(rb"/FontFile2 (\d+) 0 R", pdf)}
    found = []
    for number in numbers:
        match = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*stream\r?\n" % number, pdf, re.S)
        assert match is not None
        end = pdf.index(b"endstream", match.end())
        found.append(zlib.decompress(pdf[match.end():end]))
    return found


def test_text_stays_extractable(pdf: bytes) -> None:
    """Every character drawn has a ToUnicode entry (what a PDF reader copies and searches)."""
    maps = [data for data in _streams(pdf, b"/Filter") if b"begincmap" in data]
    assert maps
    codes = set()
    for targets in re.findall(rb"\[([^\]]*)\]", b"".join(maps)):
        for hexes in re.findall(rb"<([0-9A-Fa-f]+)>", targets):
            codes |= {int(hexes[i:i + 4], 16) for i in range(0, len(hexes), 4)}
    assert {ord(c) for c in TEXT} <= codes


def test_matplotlib_function_restored_after_the_save() -> None:
    original = _backend_pdf_ps.get_glyphs_subset
    with lean_pdf_fonts() as used:
        assert used
        assert _backend_pdf_ps.get_glyphs_subset is lean_subset
        with lean_pdf_fonts() as inner:  # a block inside another keeps the lean function
            assert inner
        assert _backend_pdf_ps.get_glyphs_subset is lean_subset
    assert _backend_pdf_ps.get_glyphs_subset is original


def test_unknown_signature_falls_back_to_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def changed(fontfile, glyphs, options=None):  # a later matplotlib's different function
        calls.append(fontfile)
        return original(fontfile, glyphs)

    original = _backend_pdf_ps.get_glyphs_subset
    monkeypatch.setattr(_backend_pdf_ps, "get_glyphs_subset", changed)
    with lean_pdf_fonts() as used:
        assert not used
        assert _backend_pdf_ps.get_glyphs_subset is changed
    pdf = _pdf()
    assert calls
    assert any("GSUB" in TTFont(io.BytesIO(data)) for data in _pdf_fonts(pdf))


def test_same_bytes_twice(pdf: bytes) -> None:
    assert _pdf() == pdf


def test_rendering_font_keeps_its_layout_tables() -> None:
    """The font matplotlib shapes with is the file on disk, untouched by the save."""
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=font_chain()[0]))
    _pdf()
    with TTFont(path, lazy=True) as font:
        assert "GSUB" in font


def test_layout_tables_are_dropped_unread(monkeypatch: pytest.MonkeyPatch, pdf: bytes) -> None:
    """The subset never decompiles the layout tables it drops (fontTools would, to convert
    their formats, before dropping them): the same PDF, without that cost."""
    from fontTools.ttLib.tables import otBase

    read = []
    decompile = otBase.BaseTTXConverter.decompile

    def noted(self, data, font):  # type: ignore[no-untyped-def]
        read.append(self.tableTag)
        return decompile(self, data, font)

    monkeypatch.setattr(otBase.BaseTTXConverter, "decompile", noted)
    assert _pdf() == pdf
    assert not {"GSUB", "GPOS", "GDEF"} & set(read)


def _subset_bytes(fontfile: object, glyphs: list[int]) -> tuple[bytes, dict[int, int]]:
    with lean_subset(fontfile, glyphs) as done:
        return _backend_pdf_ps.font_as_file(done.font).getvalue(), dict(done.glyph_index_map)


@pytest.mark.parametrize("face", ["DejaVu Sans", "DejaVu Sans:bold", "DejaVu Sans Mono"])
def test_subsets_from_the_tables_read_once_are_the_subsets_read_afresh(
        monkeypatch: pytest.MonkeyPatch, face: str) -> None:
    """A font's character map, glyph names, metrics and outlines (composite glyphs among them)
    are read once per process and copied for each subset: the subsets, one after another, are
    those of the font read each time."""
    from matplotlib import font_manager

    from routemap.maps.slides import pdffonts

    fontfile = font_manager.findfont(face)
    sets = [[36, 37, 38, 3], [3], list(range(1, 300, 7)), [36, 37, 38, 3], [1200, 4, 5]]
    pdffonts._read_tables.cache_clear()
    copied = [_subset_bytes(fontfile, glyphs) for glyphs in sets]
    assert pdffonts._read_tables.cache_info().hits == len(sets) - 1  # the copies were used
    monkeypatch.setattr(pdffonts, "_read_tables", lambda *args: None)
    afresh = [_subset_bytes(fontfile, glyphs) for glyphs in sets]
    assert copied == afresh
    assert copied[0] == copied[3] and copied[0] != copied[1]
