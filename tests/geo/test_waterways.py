"""Rivers and canals: the waterways file, its checks, and the courses routemap ships."""

from __future__ import annotations

import pytest
import shapely

from routemap.errors import ScenarioError
from routemap.geo.countries import load_land
from routemap.geo.sealanes import PASSAGES, waterway_tag
from routemap.geo.waterways import load_waterways, read_waterways, waterways_path

GOOD = """\
version: 1
attribution: Rivers and canals, test courses
sources:
  - id: atlas
    title: An atlas
    publisher: Someone
waterways:
  - id: river-a
    name: River A
    kind: river
    sources: [atlas]
    course:
      - [10.0, 50.0]
      - [11.0, 50.5]
  - id: canal-b
    name: Canal B
    kind: canal
    passage: canal-b
    sources: [atlas]
    course: [[11.0, 50.5], [12.0, 50.5]]
"""


def _write(tmp_path, text: str):
    path = tmp_path / "waterways.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_reads(tmp_path):
    data = read_waterways(_write(tmp_path, GOOD))
    assert data.attribution == "Rivers and canals, test courses"
    river, canal = data.waterways
    assert (river.id, river.kind, river.passage) == ("river-a", "river", None)
    assert river.course == ((10.0, 50.0), (11.0, 50.5)) and river.sources == ("atlas",)
    assert (canal.kind, canal.passage) == ("canal", "canal-b")
    assert waterway_tag(river) == "river:river-a" and waterway_tag(canal) == "canal_b"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kind: river", "kind: stream", r"waterways.yaml:10: waterways\[0\]\.kind: 'stream' is not one of river, canal"),
        ("      - [11.0, 50.5]", "      - [50.5]", r"waterways.yaml:14: waterways\[0\]\.course\[1\]: expected \[lon, lat\], found 1"),
        ("      - [10.0, 50.0]", "      - [200.0, 50.0]", r"waterways\[0\]\.course\[0\]\[0\]: expected a number in \[-180, 180\]"),
        ("    sources: [atlas]\n    course:\n", "    sources: [atlsa]\n    course:\n", r"waterways\[0\]\.sources\[0\]: unknown source 'atlsa'"),
        ("    passage: canal-b\n", "", r"waterways\[1\]\.passage: a canal needs the passage name avoid uses"),
        ("    kind: river\n", "    kind: river\n    passage: x\n", r"waterways\[0\]\.passage: only a canal is a named passage"),
        ("  - id: canal-b", "  - id: river-a", r"waterways\[1\]\.id: duplicate id 'river-a'"),
        ("attribution: Rivers and canals, test courses\n", "", r"attribution: missing required key"),
    ],
)
def test_every_problem_is_located(tmp_path, old, new, message):
    assert old in GOOD
    with pytest.raises(ScenarioError, match=message):
        read_waterways(_write(tmp_path, GOOD.replace(old, new, 1)))


def test_problems_are_collected_not_stopped_at_the_first(tmp_path):
    text = GOOD.replace("kind: river", "kind: stream").replace("kind: canal", "kind: ditch")
    with pytest.raises(ScenarioError) as caught:
        read_waterways(_write(tmp_path, text))
    assert len(caught.value.problems) == 2


def test_shipped_courses_are_cited_and_canals_are_passages():
    data = load_waterways()
    assert waterways_path().name == "waterways.yaml" and data.attribution.startswith("Rivers and canals")
    names = {w.id for w in data.waterways}
    assert {"don", "volga", "volga-don", "danube-chilia", "danube-tulcea", "amur"} <= names
    for waterway in data.waterways:
        assert waterway.sources and len(waterway.course) >= 2
        if waterway.kind == "canal":
            assert PASSAGES[waterway.passage] == (waterway_tag(waterway),)


@pytest.mark.network_data
def test_shipped_rivers_end_at_sea_or_on_their_river():
    """A river's last position lies off Natural Earth's land, so it can join the sea lanes, or
    on another course (a tributary's mouth)."""
    land = load_land()
    courses = load_waterways().waterways
    for waterway in courses:
        mouth = waterway.course[-1]
        on_river = any(mouth in other.course for other in courses if other is not waterway)
        if waterway.kind == "river":
            assert on_river or not shapely.contains_xy(land, *mouth), waterway.id
