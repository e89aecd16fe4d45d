"""Fixtures of the web map's browser tests: one headless Chromium per module, offline."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def _missing_browser() -> str | None:
    """Return why the browser tests cannot run here, or None if they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (skips, or fails if ROUTEMAP_REQUIRE_BROWSER=1)."""
    reason = _missing_browser()
    if reason:
        if os.environ.get("ROUTEMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ROUTEMAP_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


#: What a page may load: its own file and what it makes itself; everything else is refused.
LOCAL = ("file:", "data:", "blob:")


@pytest.fixture(scope="module")
def open_map(browser) -> Callable[[Path, dict[str, int]], tuple[object, list[str]]]:
    """Return ``open(path, viewport) -> (page, errors)``: a map file opened in a fresh context
    that lets nothing but local files load, once it has drawn and decluttered its names; the
    errors list collects the page's script errors. Close ``page.context`` when done."""
    def open_page(path: Path, viewport: dict[str, int]) -> tuple[object, list[str]]:
        context = browser.new_context(viewport=viewport)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL)
                      else r.abort())
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-routemap=ready]", timeout=30_000)
        page.wait_for_timeout(200)  # the frame after drawing, where place names are decluttered
        return page, errors

    return open_page


#: The issue's case: one flight across the antimeridian, Anadyr (177.5 E) to Egvekinot (179.1 W),
#: 236 km, with a note at its far end.
DATE_LINE_FLIGHT = """\
version: 1
title: Across the date line
sources:
  - {id: src, title: A report, publisher: A publisher}
places:
  - {id: anadyr, name: Anadyr, kind: airfield, country: RU, lat: 64.73, lon: 177.51}
  - {id: egvekinot, name: Egvekinot, kind: airfield, country: RU, lat: 66.32, lon: -179.12}
transfers:
  - id: flight
    label: Chukotka flight
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: anadyr, to: egvekinot}
annotations:
  - {id: landed, text: Landed at Egvekinot, at: egvekinot, date: 2024-05-01,
     confidence: reported, sources: [src]}
"""


@pytest.fixture(scope="session")
def date_line_flight() -> str:
    """The scenario text of one flight across the antimeridian (:data:`DATE_LINE_FLIGHT`)."""
    return DATE_LINE_FLIGHT


#: A great circle from Svalbard to Utqiagvik, passing within a few degrees of the pole.
POLAR_FLIGHT = """\
version: 1
title: Over the pole
sources:
  - {id: src, title: A report, publisher: A publisher}
transfers:
  - id: polar
    label: Polar flight
    confidence: reported
    sources: [src]
    legs:
      - {mode: air, from: {lat: 78.25, lon: 15.47}, to: {lat: 71.29, lon: -156.79}}
"""


@pytest.fixture(scope="session")
def polar_flight() -> str:
    """The scenario text of one flight near the pole (:data:`POLAR_FLIGHT`)."""
    return POLAR_FLIGHT
