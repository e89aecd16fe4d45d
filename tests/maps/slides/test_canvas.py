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
