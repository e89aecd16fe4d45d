"""The web map's observed layer: its data, and what a person sees in Chromium (timeline included)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from shapely.geometry import LineString, MultiLineString

from routemap.maps.evidence import verdict_rows
from routemap.maps.language import load_language
from routemap.maps.observed import observed_records
from routemap.maps.records import feature_records
from routemap.maps.web.data import LINE_SCALE
from routemap.maps.web.edges import in_one_frame
from routemap.maps.web.html import render_html
from routemap.maps.web.observed import observed_data
from tests.maps.observed_data import observed_routeset


@pytest.fixture(scope="module")
def observed():
    """The sample route set with the fictitious Sea Star's synthetic observed layer."""
    from tests.conftest import _sample_routeset

    return observed_routeset(_sample_routeset())


def _data(routeset, code="en"):
    """The observed part of the map's data, its features in one longitude frame as the map draws them."""
    language = load_language(code)
    groups = observed_records(routeset, language=language)
    frame = in_one_frame({r.feature_id: r.geometry for group in groups.values() for r in group})
    return observed_data(routeset, groups, frame, scale=LINE_SCALE, language=language)


def test_observed_data(observed, sample_routeset):
    data = _data(observed)
    assert data["synthetic"] == "synthetic positions, not real AIS data"
    assert [len(data[k]) for k in ("tracks", "gaps", "port_calls", "encounters")] == [1, 1, 2, 1]
    gap = data["gaps"][0]
    assert (gap["label"], gap["start"], gap["end"]) == ("Transponder off 20 h", "2023-09-08", "2023-09-09")
    assert gap["rows"][1] == ["Period", "8 Sep 2023, 20:00 UTC \u2013 9 Sep 2023, 16:00 UTC"]
    assert data["style"]["gap_dash"] == "5.4 3.6"
    assert data["tracks"][0]["rows"][-1] == ["Observed verdict",
                                             "najin-dunai-tikhoretsk, leg 1: the track supports part of the leg"]
    assert data["port_calls"][1]["end"] == "2023-09-09"  # no departure: the arrival's day
    assert _data(sample_routeset) is None


def test_french_words(observed):
    data = _data(observed, "fr")
    assert data["labels"] == {"track": "Trajet observé (AIS)", "gap": "Transpondeur coupé",
                              "port_call": "Escale (AIS)", "encounter": "Rencontre en mer (AIS)"}
    assert data["gaps"][0]["label"] == "Transpondeur coupé 20 h"
    assert data["gaps"][0]["rows"][1] == ["Période", "8 sept. 2023, 20:00 UTC \u2013 9 sept. 2023, 16:00 UTC"]
    assert data["tracks"][0]["rows"][-1][1] == (
        "najin-dunai-tikhoretsk, étape 1\u00a0: le trajet confirme une partie de l’étape")


def test_a_track_across_the_date_line_is_one_continuous_line(observed):
    """Split at 180° as every export writes it, a track is joined again by the legs' own rule."""
    record = observed_records(observed)["observed_tracks"][0]
    crossing = MultiLineString([[(179.0, 60.0), (180.0, 60.1)], [(-180.0, 60.1), (-179.0, 60.2)]])
    groups = {"observed_tracks": [replace(record, geometry=crossing)], "gaps": [], "port_calls": [], "encounters": []}
    data = observed_data(observed, groups, in_one_frame({record.feature_id: crossing}), scale=LINE_SCALE,
                         language=load_language("en"))
    parts = data["tracks"][0]["parts"]
    assert len(parts) == 1
    lons = np.cumsum(np.asarray(parts[0]).reshape(-1, 2)[:, 1]) / LINE_SCALE  # lat, lon pairs
    assert np.all(np.diff(lons) > 0) and lons[-1] == pytest.approx(181.0)


def test_a_leg_popup_gives_the_verdict_and_its_evidence(observed):
    record = next(r for r in feature_records(observed)["legs"] if r.properties["observed_verdict"])
    rows = verdict_rows(record.properties, language=load_language("fr"))
    assert rows[0] == ("Observed verdict", "le trajet confirme une partie de l’étape")
    assert rows[1][0] == "Observed evidence" and rows[1][1].startswith("at ")  # the records' language
    plain = next(r for r in feature_records(observed)["legs"] if not r.properties["observed_verdict"])
    assert verdict_rows(plain.properties) == []


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


@pytest.fixture(scope="module")
def far_map(observed, tmp_path_factory):
    """The map of the sample with the Sea Star's track moved to the Bering Sea, across 180°, far east
    of every leg (rendered once for the tests of this module that open it)."""
    layer = observed.observed
    far = LineString([(170.0, 55.0), (179.5, 56.0), (-175.0, 57.0)])
    moved = replace(observed, observed=replace(layer, trajectories=layer.trajectories.assign(geometry=[far])))
    path = tmp_path_factory.mktemp("far") / "far.html"
    path.write_bytes(render_html(moved))
    return path


@pytest.mark.browser
def test_the_first_view_holds_a_far_track_across_the_date_line_and_the_leg_popup_gives_the_verdict(
        far_map, open_map):
    """The first view takes the far track in, it is drawn as one short continuous line (not a line
    around the world), and the sea leg's popup says the verdict on it and its evidence."""
    page, errors = open_map(far_map, {"width": 1400, "height": 850})
    try:
        held = page.evaluate("(() => { const app = window.routemap.app;"
                             " return app.map.getBounds().contains(app.observedGroup.getBounds()); })()")
        assert held
        box = page.locator("path.rm-observed-track").bounding_box()
        assert box is not None and 0 < box["width"] < 700  # about 15 degrees of longitude, not 345
        page.evaluate("(() => { const app = window.routemap.app;"
                      " const entry = app.legs.find(e => e.leg.mode === 'sea');"
                      " app.openLeg(entry, entry.layer.getBounds().getCenter()); })()")
        popup = page.locator(".leaflet-popup .rm-pop")
        popup.wait_for()
        text = popup.inner_text()
        assert "Observed verdict" in text and "the track supports part of the leg" in text
        assert "Observed evidence" in text and "transponder off 20 h" in text
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_on_a_phone_the_key_starts_folded_and_steps_aside_for_a_popup(far_map, open_map):
    page, errors = open_map(far_map, {"width": 412, "height": 915})
    try:
        key = page.locator(".rm-observed-key")
        assert not page.locator(".rm-observed-rows").is_visible()
        assert page.locator(".rm-observed-synthetic").is_visible()  # the warning is never folded
        page.locator(".rm-observed-more").click()
        assert page.locator(".rm-observed-rows").is_visible() and "Transponder off" in key.inner_text()
        page.locator(".rm-observed-more").click()
        page.evaluate("(() => { const app = window.routemap.app; const entry = app.legs[0];"
                      " app.openLeg(entry, app.map.containerPointToLatLng([206, 160])); })()")
        page.locator(".leaflet-popup .rm-pop").wait_for()
        # as a person sees it once the map has glided to show the popup
        page.wait_for_function("() => { const pan = window.routemap.app.map._panAnim;"
                               " return !(pan && pan._inProgress); }")
        popup = page.locator(".leaflet-popup").bounding_box()
        box = key.bounding_box()
        overlaps = (popup["x"] < box["x"] + box["width"] and box["x"] < popup["x"] + popup["width"]
                    and popup["y"] < box["y"] + box["height"] and box["y"] < popup["y"] + popup["height"])
        assert overlaps and key.evaluate("k => getComputedStyle(k).visibility") == "hidden"
        page.evaluate("window.routemap.app.map.closePopup()")
        assert key.evaluate("k => getComputedStyle(k).visibility") == "visible"
        assert errors == []
    finally:
        page.context.close()
