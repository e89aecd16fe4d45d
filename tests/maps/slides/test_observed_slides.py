"""The observed layer on slides: only on the transfer slide of the leg with a verdict, drawn and keyed."""

from __future__ import annotations

import matplotlib
import pytest

from routemap.maps.slides.canvas import slide_rc
from routemap.maps.slides.compose import compose_slide, slide_specs
from routemap.maps.slides.furniture import LegendContent, _legend_entries, wrap_to_width
from routemap.maps.style import WidthLegend
from tests.maps.observed_data import observed_routeset


@pytest.fixture(scope="module")
def specs():
    """The slide specs of the sample route set with the fictitious Sea Star's synthetic observations."""
    from tests.conftest import _sample_routeset

    return {s.name: s for s in slide_specs(observed_routeset(_sample_routeset()), size=(960, 540), dpi=72)}


def test_only_the_transfer_slide_with_a_verdict_gets_the_observed_layer(specs):
    featured = specs["slides/najin-dunai-tikhoretsk"]
    assert featured.observed is not None
    assert featured.observed.kinds == ("track", "gap", "port_call", "encounter")
    assert "Sea Star" not in featured.subtitle  # the verdict has its own lines, in the legend
    assert featured.observed.verdicts[0] == "Sea Star: the track supports part of the leg"
    assert featured.observed.verdicts[1].startswith("at ")  # the place reached, and when, on one line
    assert "(8\u00a0Sep\u00a02023,\u00a006:00\u00a0UTC)" in featured.observed.verdicts[1]
    assert featured.observed.verdicts[-1] == "synthetic positions, not real AIS data"
    assert specs["slide"].observed is None
    assert specs["slides/air-estimate"].observed is None
    assert featured.observed.gap_labels == ("Transponder off 20 h",)


def test_the_slide_draws_it_and_the_legend_keys_it(specs):
    spec = specs["slides/najin-dunai-tikhoretsk"]
    with matplotlib.rc_context(slide_rc()):
        slide = compose_slide(spec, size=(960, 540), dpi=72)
    gids = {a.get_gid() for a in slide.figure.axes[0].get_children()}
    assert {"observed:tracks", "observed:dots", "observed:gap", "observed:gap-label", "observed:port-call",
            "observed:encounter"} <= gids
    texts = [t.get_text() for ax in slide.figure.axes for t in ax.texts]
    assert "Transponder off 20 h" in texts
    assert {"Observed track (AIS)", "Transponder off", "Port call (AIS)", "Meeting at sea (AIS)"} <= set(texts)
    legend = " ".join(t.get_text() for ax in slide.figure.axes for t in ax.texts if t.get_gid() == "legend-entry")
    assert all(" ".join(line.split()) in " ".join(legend.split()) for line in spec.observed.verdicts)


def test_a_legend_without_observations_has_no_observed_section():
    plain = LegendContent(("sea",), ("reported",), ("port",), WidthLegend(), muted=False)
    assert "Observed (AIS)" not in [title for title, _, _ in _legend_entries(plain, 1.0)]
    keyed = LegendContent(("sea",), ("reported",), ("port",), WidthLegend(), muted=False, observed=("track",))
    assert "Observed (AIS)" in [title for title, _, _ in _legend_entries(keyed, 1.0)]


@pytest.mark.parametrize("text", [
    "Gdansk: 0km 이내 접근 (2025년\u00a03월\u00a02일,\u00a000:00\u00a0UTC); Aarhus: 0km 이내 접근",
    "Gdansk : passé à 0\u00a0km (2\u00a0mars\u00a02025,\u00a000:00\u00a0UTC)\u202f; Aarhus : passé à 0\u00a0km",
])
def test_a_wrapped_legend_line_never_breaks_an_instant_in_hangul_or_latin(text):
    """The evidence ties each instant with no-break spaces (evidence_text tied=True): the legend's
    wrap keeps it on one line in every script (Hangul is wrapped by its own rule)."""
    wrapped = wrap_to_width(text, 160, 8.5)  # room for an instant, not for the whole line
    assert "\n" in wrapped
    assert all("UTC" in line for line in wrapped.splitlines() if "00:00" in line)
    assert any("2025" in line and "00:00" in line for line in wrapped.splitlines())
