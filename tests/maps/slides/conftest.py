"""Fixtures shared by the slide tests: the sample route set's slides, composed once."""

from __future__ import annotations

import pytest

from routemap.maps.slides.compose import ComposedSlide, compose_slides
from routemap.routes.routeset import RouteSet


@pytest.fixture(scope="session")
def composed(shared_routeset: RouteSet) -> dict[str, ComposedSlide]:
    """The drawn figures (overview and per transfer), for measuring with the renderer."""
    return compose_slides(shared_routeset)


@pytest.fixture(scope="session")
def bundled_slides() -> dict[str, ComposedSlide]:
    """Every slide of the bundled scenario, routed on the real networks and composed once."""
    from routemap.geo.scenario import bundled_scenario_path, load_scenario
    from routemap.routes.builder import build

    return compose_slides(build(load_scenario(bundled_scenario_path())))
