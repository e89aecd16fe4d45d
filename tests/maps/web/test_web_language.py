"""The web map in the reader's language: the data document's words, the script's messages, and
what a person reading a French map sees in a real browser (``browser`` fixture, offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from routemap.geo.countries import load_countries
from routemap.maps.citations import citation
from routemap.maps.language import load_language
from routemap.maps.web import messages as web_messages
from routemap.maps.web.data import build_map_data
from routemap.maps.web.html import render_html
from routemap.maps.web.messages import plural_forms, position, script_messages
from routemap.maps.web.timeline import timeline_steps
from tests.maps.web.painted import MIDPOINT_JS

STATIC = Path(web_messages.__file__).parent / "static"

# Furniture words an English map writes and a French one must not: matched as whole words,
# case-sensitive, so the sample scenario's own (English) texts do not count. Words French
# writes the same ("Mode", "Note", "Notes", "Port", "Distance", "Position") are left out.
ENGLISH_FURNITURE = (
    "Confidence", "Confirmed", "Reported", "Estimated", "As of", "Callouts", "callouts",
    "Carrier", "Period", "Legend", "Places", "All periods",
    "legs shown", "leg shown", "Transfer", "Transfers", "transfers", "legs", "places",
    "Sources", "Quantity", "Uncertainty", "Kind", "Country", "Leg", "Click", "Show", "Hide",
    "Full screen", "Measure", "Zoom in", "Zoom out", "Play", "Pause", "Timeline", "Background", "Line",
    "Arrows", "Dashed", "Offline", "Online", "All", "Sea", "Depot", "Off the network",
    "Sep", "Dec", "RUSSIA", "Russia",
)


def _keys_in_script() -> set[str]:
    """Return every message key the script parts read with ``t('...')``."""
    keys: set[str] = set()
    for path in STATIC.glob("*.js"):
        keys.update(re.findall(r"\bt\('([a-z_]+)'", path.read_text(encoding="utf-8")))
    return keys


def test_messages_hold_every_key_the_script_reads_and_no_other():
    sent = set(script_messages(load_language("en"))) - {"locale", "series"}
    read = _keys_in_script()
    assert read, "no t('...') call found in maps/web/static"
    assert read - sent == set()
    assert sent - read == set()


def test_english_messages_are_their_ids_and_french_ones_are_translated():
    english = script_messages(load_language("en"))
    french = script_messages(load_language("fr"))
    assert english["locale"] == "en-GB" and french["locale"] == "fr"
    for key, text in web_messages.SCRIPT_MESSAGES.items():
        assert english[key] == text
    assert english["legs_shown"] == {"one": "{count} leg shown", "other": "{count} legs shown"}
    assert french["hint"].startswith("Cliquez sur un itinéraire")
    assert french["all_periods"] == "Toutes les périodes"
    assert french["as_of"] == "Au {date}"
    assert english["series"] == "; " and french["series"] == "\u202f; "


@pytest.mark.parametrize(("code", "singular", "plural", "expected"), [
    ("en", "{count} leg", "{count} legs", {"one": "{count} leg", "other": "{count} legs"}),
    ("fr", "{count} leg", "{count} legs", {"one": "{count} étape", "other": "{count} étapes"}),
    ("fr", "{count} place", "{count} places", {"one": "{count} lieu", "other": "{count} lieux"}),
])
def test_counted_messages_by_plural_category(code, singular, plural, expected):
    assert plural_forms(load_language(code), singular, plural) == expected


@pytest.mark.parametrize(("code", "lat", "lon", "expected"), [
    ("en", 42.245, 130.295, "42.2450° N, 130.2950° E"),
    ("en", -33.9, -70.6, "33.9000° S, 70.6000° W"),
    ("fr", 42.245, 130.295, "42,2450° N, 130,2950° E"),
    ("fr", -33.9, -70.6, "33,9000° S, 70,6000° O"),
])
def test_positions_in_the_language(code, lat, lon, expected):
    assert position(lat, lon, load_language(code)) == expected


@pytest.mark.parametrize(("code", "first", "last"), [
    ("en", "Sep 2023", "Dec 2024"),
    ("fr", "sept. 2023", "déc. 2024"),
])
def test_timeline_months_in_the_language(code, first, last):
    import datetime as dt

    steps = timeline_steps([(dt.date(2023, 9, 7), dt.date(2024, 12, 2))],
                           language=load_language(code))
    assert (steps[0].label, steps[-1].label) == (first, last)


def test_timeline_quarters_in_french():
    import datetime as dt

    steps = timeline_steps([(dt.date(2019, 1, 1), dt.date(2024, 12, 31))],
                           language=load_language("fr"))
    assert steps[0].label == "T1 2019"


@pytest.fixture(scope="module")
def french_data(shared_routeset):
    """The sample route set's data document, in French."""
    return build_map_data(shared_routeset.in_language("fr"), load_countries(),
                          language=load_language("fr"))


def test_french_data_document(french_data):
    leg = french_data["legs"][0]
    labels = [row[0] for row in leg["rows"]]
    assert labels[:2] == ["Étape", "Mode de transport"]
    assert "Période" in labels and "Fiabilité" in labels
    assert leg["rows"][0][1].startswith("1 sur 2\u00a0: ")
    place = french_data["places"][0]
    assert dict(place["rows"])["Pays"] == "Corée du Nord"
    assert french_data["styles"]["modes"]["sea"]["label"] == "Mer"
    assert french_data["styles"]["confidences"]["confirmed"]["label"] == "Confirmé"
    assert french_data["language"] == "fr"
    assert french_data["as_of"] == "1er juin 2025"
    names = {label["name"] for label in french_data["basemap"]["labels"]}
    assert "Russie" in names and "Russia" not in names


def test_english_data_document_keeps_its_words(shared_routeset):
    data = build_map_data(shared_routeset, load_countries())
    leg = data["legs"][0]
    assert [row[0] for row in leg["rows"]][:2] == ["Leg", "Mode"]
    assert leg["rows"][0][1].startswith("1 of 2: ")
    assert dict(data["places"][0]["rows"])["Country"] == "KP"
    assert data["timeline"][0]["label"] == "Sep 2023"
    assert data["language"] == "en"


def test_page_language_attribute(shared_routeset):
    assert b'<html lang="fr">' in render_html(shared_routeset.in_language("fr"), language="fr")
    assert b'<html lang="en">' in render_html(shared_routeset)


# --- in a browser ---------------------------------------------------------------------------

VISIBLE_JS = """() => {
  const attrs = [];
  document.querySelectorAll('[aria-label], [title]').forEach((node) => {
    ['aria-label', 'title'].forEach((name) => {
      if (node.getAttribute(name)) { attrs.push(node.getAttribute(name)); }
    });
  });
  return document.body.innerText + '\\n' + attrs.join('\\n');
}"""

def _english_words(text: str, scenario_texts: set[str]) -> list[str]:
    """Return the furniture words found in ``text`` outside the scenario's own texts."""
    for own in sorted(scenario_texts, key=len, reverse=True):
        text = text.replace(own, " ")
    return [w for w in ENGLISH_FURNITURE if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def _scenario_texts(routeset) -> set[str]:
    """The sample scenario's own strings (its title, labels, names, notes, sources)."""
    out: set[str] = set()
    for frame in (routeset.legs, routeset.places, routeset.annotations):
        for column in frame.columns:
            for value in frame[column]:
                if isinstance(value, str) and len(value) > 2:
                    out.add(value)
    scenario = routeset.scenario
    out.update(t for t in (scenario.title, scenario.subtitle) if t)
    for source in scenario.sources:
        out.update(t for t in (source.title, source.publisher, source.note, citation(source),
                               citation(source, language=load_language("fr"))) if t)
    return out


@pytest.mark.browser
def test_a_french_map_shows_no_english_furniture(browser, shared_routeset, tmp_path):
    routeset = shared_routeset.in_language("fr")
    path = tmp_path / "map.html"
    path.write_bytes(render_html(routeset, language="fr"))
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    errors: list[str] = []
    try:
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                      else r.abort())
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-routemap=ready]", timeout=30_000)
        seen = [page.evaluate(VISIBLE_JS)]
        x, y = page.evaluate(MIDPOINT_JS, None)
        page.mouse.click(x, y)
        page.locator(".leaflet-popup").first.wait_for()
        if page.locator(".rm-chooser-item").count():
            seen.append(page.evaluate(VISIBLE_JS))
            page.locator(".rm-chooser-item").first.click()
        page.locator(".leaflet-popup .rm-pop").first.wait_for()
        seen.append(page.evaluate(VISIBLE_JS))
        page.locator(".rm-slider").fill("1")
        seen.append(page.evaluate(VISIBLE_JS))
        page.locator(".rm-panel-fold").click()
        seen.append(page.evaluate(VISIBLE_JS))
    finally:
        context.close()
    assert errors == []
    text = "\n".join(seen)
    assert "Toutes les périodes" in text and "Fiabilité" in text and "Période" in text
    assert "sept. 2023" in text and "Afficher le panneau" in text
    assert _english_words(text, _scenario_texts(routeset)) == []
