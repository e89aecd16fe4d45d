"""The web map's observed layer: its data, and what a person sees in Chromium (timeline included)."""

from __future__ import annotations

import pytest

from routemap.maps.language import load_language
from routemap.maps.web.data import LINE_SCALE
from routemap.maps.web.html import render_html
from routemap.maps.web.observed import observed_data
from tests.maps.observed_data import observed_routeset


@pytest.fixture(scope="module")
def observed():
    """The sample route set with the fictitious Sea Star's synthetic observed layer."""
    from tests.conftest import _sample_routeset

    return observed_routeset(_sample_routeset())


def test_observed_data(observed, sample_routeset):
    data = observed_data(observed, scale=LINE_SCALE, language=load_language("en"))
    assert data["synthetic"] == "synthetic positions, not real AIS data"
    assert [len(data[k]) for k in ("tracks", "gaps", "port_calls", "encounters")] == [1, 1, 2, 1]
    gap = data["gaps"][0]
    assert (gap["label"], gap["start"], gap["end"]) == ("Transponder off 20 h", "2023-09-08", "2023-09-09")
    assert gap["rows"][1] == ["Period", "2023-09-08 20:00 – 2023-09-09 16:00 UTC"]
    assert data["style"]["gap_dash"] == "5.4 3.6"
    assert data["tracks"][0]["rows"][-1] == ["Observed verdict", "najin-dunai-tikhoretsk leg 1: partly"]
    assert data["port_calls"][1]["end"] == "2023-09-09"  # no departure: the arrival's day
    assert observed_data(sample_routeset, scale=LINE_SCALE, language=load_language("en")) is None


def test_french_words(observed):
    data = observed_data(observed, scale=LINE_SCALE, language=load_language("fr"))
    assert data["labels"] == {"track": "Trajet observé (AIS)", "gap": "Transpondeur coupé",
                              "port_call": "Escale (AIS)", "encounter": "Rencontre en mer (AIS)"}
    assert data["gaps"][0]["label"] == "Transpondeur coupé 20 h"


@pytest.mark.browser
def test_the_map_shows_the_observed_layer_and_the_timeline_filters_it(observed, open_map, tmp_path):
    path = tmp_path / "map.html"
    path.write_bytes(render_html(observed))
    page, errors = open_map(path, {"width": 1400, "height": 850})
    try:
        count = lambda selector: page.locator(selector).count()  # noqa: E731
        assert count("path.rm-observed-track") == 1
        assert count("path.rm-observed-gap") == 1
        assert count("path.rm-observed-dot") == 6
        assert count(".rm-observed-icon") == 3
        assert page.locator(".rm-observed-gap-label").inner_text() == "Transponder off 20 h"
        key = page.locator(".rm-observed-key").inner_text()
        assert "Observed track (AIS)" in key and "synthetic positions, not real AIS data" in key
        steps = page.evaluate("window.routemap.app.data.timeline.map(s => s.label)")
        later = steps.index("Nov 2024") + 1
        page.evaluate(f"window.routemap.app.setStep({later})")
        assert count("path.rm-observed-track") == 0 and count(".rm-observed-icon") == 0
        page.evaluate(f"window.routemap.app.setStep({steps.index('Sep 2023') + 1})")
        assert count("path.rm-observed-track") == 1 and count(".rm-observed-icon") == 3
        page.locator(".rm-observed-head input").uncheck()
        assert count("path.rm-observed-track") == 0
        assert errors == []
    finally:
        page.context.close()
