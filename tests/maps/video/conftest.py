"""Fixtures of the animation tests: the sample route set's film, drawn small."""

from __future__ import annotations

import pytest

from routemap.maps.video.content import VideoContent, video_content
from routemap.maps.video.frames import LAYOUTS, Stage
from routemap.maps.video.pacing import Film
from routemap.maps.video.render import film_for
from routemap.routes.routeset import RouteSet

#: The size the tests draw the wide film at (a quarter of 1920x1080 on each side, so all
#: its text and lines are drawn at a quarter of their size).
SMALL = 4


@pytest.fixture(scope="session")
def sample_content(shared_routeset: RouteSet) -> VideoContent:
    """What the sample route set's film shows: 3 legs (sea and rail from 7 Sep 2023, air
    from 1 Nov 2024) and one callout (7 Sep 2023)."""
    return video_content(shared_routeset)


@pytest.fixture(scope="session")
def sample_film(sample_content: VideoContent) -> Film:
    """The sample's paced film."""
    return film_for(sample_content)


@pytest.fixture(scope="session")
def small_stage(sample_content: VideoContent) -> Stage:
    """The sample's wide film drawn at 960x540 (frames drawn on it change its buffer)."""
    return Stage(sample_content, LAYOUTS["wide"].scaled((960, 540)))
