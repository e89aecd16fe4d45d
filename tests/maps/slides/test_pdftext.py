"""PDF slides' texts measured and shaped once per process: the same bytes, matplotlib restored."""

from __future__ import annotations

import io

import matplotlib
from matplotlib import _text_helpers, patheffects
from matplotlib.backends import _backend_pdf_ps, backend_pdf
from matplotlib.figure import Figure

from routemap.maps.slides import pdftext
from routemap.maps.slides.pdftext import kept_pdf_text


def _figure() -> Figure:
    """One text at two sizes, each time followed by the same text with a halo (a text with a
    halo is drawn as paths: the same font object set to another size and shaped outside the
    PDF's text method), one rotated, one in two scripts, and maths."""
    figure = Figure(figsize=(3.2, 1.8), dpi=72)
    halo = [patheffects.withStroke(linewidth=2, foreground="white")]
    figure.text(0.03, 0.85, "Pyongyang Sunan airport", fontsize=9)
    figure.text(0.03, 0.70, "Pyongyang Sunan airport", fontsize=9, path_effects=halo)
    figure.text(0.03, 0.55, "Pyongyang Sunan airport", fontsize=11)
    figure.text(0.03, 0.40, "Pyongyang Sunan airport", fontsize=11, path_effects=halo)
    figure.text(0.50, 0.20, "Tumangang", rotation=30, fontsize=8, fontweight="bold")
    figure.text(0.03, 0.25, "Rajin → Пхеньян, 2024", fontsize=7)
    figure.text(0.60, 0.05, r"$\frac{12}{7}\,\mathrm{km}$", fontsize=9)
    return figure


def _pdf(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="pdf", metadata={"CreationDate": None})
    return out.getvalue()


def test_kept_measures_and_shapings_write_matplotlibs_own_bytes():
    """Saved with kept measures and shapings, first and again (every text then kept), the PDF
    is matplotlib's own, byte for byte; the second save measures and shapes nothing afresh;
    matplotlib's functions are back after the block."""
    originals = (backend_pdf.RendererPdf.draw_text, _text_helpers.layout,
                 _backend_pdf_ps.RendererPDFPSBase.get_text_width_height_descent)
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        expected = _pdf(_figure())
        pdftext._MEASURED.clear()
        pdftext._SHAPED.clear()
        with kept_pdf_text() as kept:
            assert kept
            first = _pdf(_figure())
            measured, shaped = len(pdftext._MEASURED), len(pdftext._SHAPED)
            again = _pdf(_figure())
            assert (len(pdftext._MEASURED), len(pdftext._SHAPED)) == (measured, shaped)
    assert first == expected and again == expected
    # the texts written as text (not the halos' paths, not the maths): 4
    assert shaped == 4 and measured >= 4
    assert (backend_pdf.RendererPdf.draw_text, _text_helpers.layout,
            _backend_pdf_ps.RendererPDFPSBase.get_text_width_height_descent) == originals


def test_a_text_is_not_given_the_shaping_of_another_size():
    """The same text at 9 and 11 points is shaped twice, under each size."""
    figure = Figure(figsize=(3, 1), dpi=72)
    figure.text(0.05, 0.6, "Vostochny port", fontsize=9)
    figure.text(0.05, 0.2, "Vostochny port", fontsize=11)
    pdftext._SHAPED.clear()
    with kept_pdf_text():
        _pdf(figure)
    assert sorted(key[1] for key in pdftext._SHAPED) == [9.0, 11.0]
