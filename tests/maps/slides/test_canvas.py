"""The slide canvas: texts measured once per canvas, under all that their size depends on."""

from __future__ import annotations

import matplotlib
import pytest

from routemap.maps.projection import MapFrame
from routemap.maps.slides import canvas as canvas_module
from routemap.maps.slides.canvas import Canvas, measure, new_figure


@pytest.fixture
def canvas() -> Canvas:
    """A small figure with one axes over a unit frame."""
    fig = new_figure((320, 180), 72)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    return Canvas(fig, ax, MapFrame("+proj=merc +datum=WGS84 +units=m", 0.0, 0.0, 1.0, 1.0), 1.0, 1.0, {})


def test_a_text_is_measured_once_per_canvas_and_again_when_its_size_may_change(canvas, monkeypatch):
    calls = []
    real = canvas_module._measure
    monkeypatch.setattr(canvas_module, "_measure",
                        lambda c, text, style: calls.append(text) or real(c, text, style))
    first = measure(canvas, "Vladivostok", fontsize=9.0)
    assert measure(canvas, "Vladivostok", fontsize=9.0) == first
    assert calls == ["Vladivostok"]
    assert measure(canvas, "Vladivostok", fontsize=11.0)[0] > first[0]
    canvas.ax.set_xlim(-0.37, 0.63)  # the text's point moves on the display
    moved = measure(canvas, "Vladivostok", fontsize=9.0)
    with matplotlib.rc_context({"font.weight": "bold"}):
        bold = measure(canvas, "Vladivostok", fontsize=9.0)
    assert len(calls) == 4
    assert moved == real(canvas, "Vladivostok", {"fontsize": 9.0})
    assert bold[0] > first[0]


def test_a_text_too_long_is_cut_at_a_word_and_keeps_its_tail(canvas):
    """The bundled Koksan slide's subtitle lost its cargo's end inside a word ("are r…")."""
    from routemap.maps.slides.canvas import fit_text

    cargo = ("M1989 Koksan 170 mm self-propelled guns; M1991 240 mm multiple rocket launchers "
             "are reported alongside them")
    text = canvas.fig.text(0.0, 0.5, f"{cargo} · 50–120 Koksan guns · Confidence: Estimated")
    width = 0.9 * canvas.fig.bbox.width
    fit_text(canvas, text, width, (9.0,), keep_tail=True)
    head, _, tail = text.get_text().partition("\u2026")
    assert tail == " · 50–120 Koksan guns · Confidence: Estimated"
    assert cargo.startswith(head) and cargo[len(head)] == " " and head[-1] != " "
    assert text.get_window_extent(canvas.fig.canvas.get_renderer()).width <= width
    alone = canvas.fig.text(0.0, 0.2, "Krasnoyarskkraitransportrailwaydepot" * 3)
    fit_text(canvas, alone, width, (9.0,))
    assert alone.get_text().endswith("\u2026") and len(alone.get_text()) > 9  # one long word: cut inside
