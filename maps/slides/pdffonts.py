"""The fonts a slide's PDF embeds: subsets without the tables that only shape text.

matplotlib (3.11) embeds each TrueType font of a PDF as a fontTools subset, and fontTools
decompiles and subsets the OpenType layout tables (GSUB, GPOS, GDEF, MATH...) on the way: three
quarters of the time a slide's PDF takes. A PDF reader never reads them: the text was shaped by
matplotlib (libraqm) before it was written, each glyph placed in the content stream by its index,
and the ToUnicode map, written from matplotlib's own record of the characters, keeps the text
searchable and copyable. :func:`lean_pdf_fonts` drops those tables from the embedded subset,
for the duration of one save; the font matplotlib draws with is never touched. A font's
character map, glyph names, metrics and outlines, the same for each of its subsets, are read
once per process and copied for each subset.

It replaces matplotlib's private ``_backend_pdf_ps.get_glyphs_subset`` while the save runs. If
that function is not there, or its parameters are not the ones this module knows, matplotlib's
own path is left alone (the PDF is the same, only slower); a subset that lacks one of the glyphs
asked for is made again by matplotlib's own function.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fontTools.ttLib.tables._g_l_y_f import Glyph as _Glyph
from matplotlib.backends import _backend_pdf_ps

from routemap.maps.slides.standin import StandIn

__all__ = ["LAYOUT_TABLES", "lean_pdf_fonts", "lean_subset"]

#: Tables that shape or position text (OpenType layout, AAT, the old kerning table, maths):
#: read when laying text out, never by a PDF reader drawing placed glyphs.
LAYOUT_TABLES: tuple[str, ...] = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern",
                                  "morx", "kerx", "feat", "trak", "just")

#: Tables of font editors and tools that say nothing about how a glyph looks.
_TOOL_TABLES: tuple[str, ...] = ("FFTM", "PfEd", "TSIV", "MERG", "meta", "ltag", "Zapf",
                                 "xref", "fdsc", "fmtx", "fond", "cidg", "BDF", "bdat", "bloc")

#: The parameters of matplotlib's subsetting function this module stands in for.
_EXPECTED_PARAMETERS = ("fontfile", "glyphs")



def lean_subset(fontfile: Any, glyphs: Iterable[int]) -> Any:
    """Subset a TrueType font to some glyphs for a PDF, without its layout tables.

    Parameters
    ----------
    fontfile : matplotlib.font_manager.FontPath
        The font file (and, for a collection, the face in it: ``face_index``).
    glyphs : iterable of int
        The glyph indices the PDF draws.

    Returns
    -------
    context manager of matplotlib's ``SubsetResults``
        The subset font and the map from each glyph index asked for to its index in the subset.
    """
    from fontTools import subset

    wanted = set(glyphs)
    options = subset.Options(glyph_names=True, recommended_glyphs=True)
    options.drop_tables += [*LAYOUT_TABLES, *_TOOL_TABLES]
    options.layout_closure = False
    options.font_number = getattr(fontfile, "face_index", -1)
    font = _load_font(fontfile, options)
    tables = font.keys()  # a TTFont lists its tables by keys() alone
    for tag in [tag for tag in tables if tag.strip() in options.drop_tables]:
        # dropped here, before fontTools reads them: its subsetter decompiles the layout
        # tables (to convert their formats) before it drops them (a few per cent of a subset)
        del font[tag]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=wanted)
    subsetter.subset(font)
    if not wanted <= set(subsetter.glyph_index_map):
        font.close()
        return _STAND_IN.original(fontfile, wanted)
    return _backend_pdf_ps.SubsetResults(font, subsetter.glyph_index_map)._as_cm()


def _load_font(fontfile: Any, options: Any) -> Any:
    """Return the font fontTools' ``subset.load_font`` returns, with its character map, glyph
    names, horizontal metrics and outlines already read: copies of the ones this process read
    first (the outlines as new glyphs made from the bytes read, see :func:`_outlines`).

    Reading those three tables is two thirds of a small subset's time, and the same for every
    subset of a font (a slide's PDF embeds three or four). The copies are new tables holding
    new dicts and lists (the subsetter changes them) of the same values, and the tables their
    reading reads too (``maxp``, ``hhea``) are read from the file as before, so the font the
    subsetter gets is the font it would have read. A font whose glyph names are not in its
    ``post`` table, or with a character map of another kind, is read as before.
    """
    from fontTools import subset

    font = subset.load_font(fontfile, options)
    read = _read_tables(str(fontfile), options.font_number, *_file_stamp(str(fontfile)))
    if read is None:
        return font
    order, cmap, post, hmtx, glyf = read
    font.glyphOrder = list(order)
    font.tables["post"] = _copied(post, mapping=dict(post.mapping), extraNames=list(post.extraNames))
    font.tables["hmtx"] = _copied(hmtx, metrics=dict(hmtx.metrics))
    font.tables["cmap"] = _copied(cmap, tables=[_copied(t, cmap=dict(t.cmap), ttFont=font)
                                                for t in cmap.tables])
    for tag in ("maxp", "hhea"):
        if tag in font:
            font[tag]  # read as reading the metrics would have
    if glyf is not None:
        table, outlines = glyf
        font["loca"]  # read as reading the outlines would have
        font.tables["glyf"] = _copied(table, glyphs={name: _Glyph(data) for name, data in outlines},
                                      glyphOrder=font.getGlyphOrder(), _reverseGlyphOrder={})
    return font


def _copied(table: Any, **fresh: Any) -> Any:
    """Return a new object of a table's class with its attributes, ``fresh`` ones replaced."""
    copy = object.__new__(type(table))
    copy.__dict__.update(table.__dict__)
    copy.__dict__.update(fresh)
    return copy


def _file_stamp(path: str) -> tuple[int, int]:
    """Return a file's size and modification time (ns): a font replaced is read afresh."""
    try:
        stat = os.stat(path)
    except OSError:
        return -1, -1
    return stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=8)
def _read_tables(path: str, face: int, size: int, mtime_ns: int) -> tuple[Any, ...] | None:
    """Return a font's glyph order, its ``cmap``, ``post`` and ``hmtx`` tables read and its
    outlines (:func:`_outlines`), or None where they are not copied (see :func:`_load_font`);
    kept per font file and face."""
    from fontTools import subset

    options = subset.Options(glyph_names=True)
    options.font_number = face
    with subset.load_font(path, options) as font:  # the file closed once the tables are read
        if "CFF " in font or "post" not in font or "hmtx" not in font or "cmap" not in font:
            return None
        post = font["post"]
        if post.formatType != 2.0:
            return None
        order = tuple(font.getGlyphOrder())
        cmap = font["cmap"]
        for table in cmap.tables:
            table.ensureDecompiled()
        if not all(isinstance(table.__dict__.get("cmap"), dict) for table in cmap.tables):
            return None
        return order, cmap, post, font["hmtx"], _outlines(font)


def _outlines(font: Any) -> tuple[Any, tuple[tuple[str, bytes], ...]] | None:
    """Return a font's ``glyf`` table as read and each glyph's outline bytes (in the table's
    order), or None for a font without one (its outlines are then read for each subset).

    Each subset gets a table of new glyphs made from those bytes, as reading the table makes
    them (the subsetter expands and changes the glyphs it keeps); a tenth of the reading's time.
    """
    if "glyf" not in font or "loca" not in font:
        return None
    table = font["glyf"]
    glyphs = table.__dict__.get("glyphs")
    unread = [g for g in (glyphs.values() if isinstance(glyphs, dict) else ())
              if not isinstance(g, _Glyph) or ("data" not in vars(g)
                                               and vars(g).get("numberOfContours") != 0)]
    if not isinstance(glyphs, dict) or unread:  # expanded, or of another kind
        return None
    return table, tuple((name, vars(g).get("data", b"")) for name, g in glyphs.items())


_STAND_IN = StandIn(_backend_pdf_ps, "get_glyphs_subset", lean_subset, _EXPECTED_PARAMETERS,
                    requires=lambda: hasattr(getattr(_backend_pdf_ps, "SubsetResults", None), "_as_cm"))


@contextmanager
def lean_pdf_fonts() -> Iterator[bool]:
    """Embed lean font subsets in the PDFs saved inside this block.

    Yields
    ------
    bool
        Whether the lean subsets are in use (False: matplotlib's own function, unchanged).
    """
    with _STAND_IN.active() as used:
        yield used
