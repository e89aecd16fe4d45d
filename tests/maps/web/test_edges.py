"""The web map at the globe's edges, on its data: one longitude frame across the date line, and
lines cut where they leave the latitudes Web Mercator shows.

The browser checks (what a person sees at the default view) live in test_edges_browser.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box

from routemap.geo.countries import load_countries
from routemap.geo.scenario import load_scenario
from routemap.maps.web.data import build_map_data
from routemap.maps.web.edges import (
    MERCATOR_LAT,
    clip_to_band,
    continuous_parts,
    frame_bounds,
    frame_shifts,
    in_one_frame,
    turn_countries,
)
from routemap.maps.web.vector_basemap import load_world_backdrop
from routemap.routes.builder import build
from routemap.routes.routeset import RouteSet

# The case, Anadyr to Egvekinot, is the date_line_flight fixture (conftest.py).


def _routeset(text: str, folder: Path) -> RouteSet:
    path = folder / "scenario.yaml"
    path.write_text(text)
    return build(load_scenario(path))


def _map_data(routeset: RouteSet) -> dict:
    return build_map_data(routeset, load_countries(), world=load_world_backdrop())


def _decode(codes: list[int], scale: int) -> np.ndarray:
    """Return ``[[lat, lon], ...]`` from a delta-coded list (as the page's script does)."""
    return np.cumsum(np.asarray(codes, dtype=float).reshape(-1, 2), axis=0) / scale


@pytest.fixture(scope="module")
def date_line(tmp_path_factory, date_line_flight) -> dict:
    """The map data of the Anadyr-Egvekinot flight."""
    return _map_data(_routeset(date_line_flight, tmp_path_factory.mktemp("date-line")))


# --- the case -------------------------------------------------------------------------


def test_the_view_across_the_date_line_is_a_few_degrees_wide(date_line):
    (south, west), (north, east) = date_line["bounds"]
    assert east - west < 10
    assert west == pytest.approx(177.51) and east == pytest.approx(360 - 179.12)
    assert south == pytest.approx(64.73) and north == pytest.approx(66.32)


def test_the_flight_is_one_continuous_line_from_anadyr_to_egvekinot(date_line):
    (leg,) = date_line["legs"]
    assert len(leg["parts"]) == 1
    line = _decode(leg["parts"][0], date_line["scale"])
    assert np.abs(np.diff(line[:, 1])).max() < 1.0  # no jump across the map
    assert line[0] == pytest.approx([64.73, 177.51], abs=1e-4)
    assert line[-1] == pytest.approx([66.32, 180.88], abs=1e-4)


def test_places_and_notes_on_the_far_side_sit_on_the_line_s_ends(date_line):
    at = {p["name"]: _decode(p["at"], date_line["scale"])[0] for p in date_line["places"]}
    assert at["Anadyr"] == pytest.approx([64.73, 177.51], abs=1e-4)
    assert at["Egvekinot"] == pytest.approx([66.32, 180.88], abs=1e-4)
    (note,) = date_line["annotations"]
    assert _decode(note["at"], date_line["scale"])[0] == pytest.approx(at["Egvekinot"])
    rows = dict(next(p for p in date_line["places"] if p["name"] == "Egvekinot")["rows"])
    assert rows["Position"] == "66.3200\u00b0 N, 179.1200\u00b0 W"  # as the scenario says


def test_the_basemap_has_land_on_both_sides_of_the_date_line(date_line):
    base = date_line["basemap"]
    (_, west), (_, east) = base["region"]
    assert west < 177.51 - 5 and east > 180.88 + 5
    rings = [_decode(ring, base["scale"]) for poly in base["land"] for ring in poly]
    # Chukotka east of the date line lies at longitudes above 180, around Egvekinot.
    east_land = [r for r in rings if r[:, 1].max() > 182 and r[:, 0].max() > 65]
    assert east_land
    # and nothing is drawn a turn away as well: the same land is not also at -178.
    assert not any(r[:, 1].min() < -170 for r in rings)
    # Chukotka is one shape: no coast or border runs along the date line.
    for line in base["coast"] + base["borders"]:
        lons = _decode(line, base["scale"])[:, 1]
        assert not np.all(np.abs(lons - 180.0) < 0.01)
    names = {label["name"] for label in base["labels"]}
    assert "Russia" in names


def test_the_date_line_map_data_is_the_same_every_time(date_line, date_line_flight, tmp_path):
    again = _map_data(_routeset(date_line_flight, tmp_path))
    assert json.dumps(again, sort_keys=True) == json.dumps(date_line, sort_keys=True)


# --- near the poles ---------------------------------------------------------------------------


def test_a_line_over_the_pole_is_cut_where_the_map_ends(polar_flight, tmp_path):
    routeset = _routeset(polar_flight, tmp_path)
    assert shapely.bounds(routeset.legs.geometry.iloc[0])[3] > 86  # the route itself goes there
    data = _map_data(routeset)
    (leg,) = data["legs"]
    parts = [_decode(p, data["scale"]) for p in leg["parts"]]
    assert len(parts) == 2
    for part in parts:
        assert part[:, 0].max() <= MERCATOR_LAT + 1e-4
    assert parts[0][0] == pytest.approx([78.25, 15.47], abs=1e-4)
    assert parts[0][-1][0] == pytest.approx(MERCATOR_LAT, abs=1e-4)
    assert parts[1][0][0] == pytest.approx(MERCATOR_LAT, abs=1e-4)
    assert parts[1][-1] == pytest.approx([71.29, -156.79], abs=1e-4)
    (south, _), (north, _) = data["bounds"]
    assert north == pytest.approx(MERCATOR_LAT, abs=1e-4) and south == pytest.approx(71.29)


# --- the pieces -------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    ([(0, 80), (10, 84)], [[(0, 80), (10, 84)]]),
    ([(0, 80), (10, 90), (20, 80)],
     [[(0, 80), (MERCATOR_LAT - 80, MERCATOR_LAT)], [(100 - MERCATOR_LAT, MERCATOR_LAT), (20, 80)]]),
    ([(0, 86), (10, 88)], []),
    ([(0, -80), (0, -88), (5, -89), (10, -70), (20, -60)],
     [[(0, -80), (0, -MERCATOR_LAT)],
      [(5 + 5 * (89 - MERCATOR_LAT) / 19, -MERCATOR_LAT), (10, -70), (20, -60)]]),
    ([(0, 89), (0, -89)], [[(0, MERCATOR_LAT), (0, -MERCATOR_LAT)]]),
    ([(0, 85.0), (3, MERCATOR_LAT), (6, 85.0)], [[(0, 85.0), (3, MERCATOR_LAT), (6, 85.0)]]),
])
def test_clip_to_band(line, expected):
    pieces = clip_to_band(np.array(line, dtype=float))
    assert len(pieces) == len(expected)
    for piece, want in zip(pieces, expected, strict=True):
        assert piece == pytest.approx(np.array(want, dtype=float), abs=1e-9)


def test_mercator_limit_is_the_square_world_map():
    assert abs(MERCATOR_LAT - 85.0511287798) < 1e-9


@pytest.mark.parametrize(("geom", "expected"), [
    (MultiLineString([[(177.5, 64.7), (180, 65.5)], [(-180, 65.5), (-179.1, 66.3)]]),
     [[(177.5, 64.7), (180, 65.5), (180.9, 66.3)]]),
    (LineString([(179, 60), (-179, 61), (-178, 62)]), [[(179, 60), (181, 61), (182, 62)]]),
    (LineString([(-179, 60), (179, 61)]), [[(-179, 60), (-181, 61)]]),
    (MultiLineString([[(10, 0), (20, 0)], [(30, 0), (40, 0)]]), [[(10, 0), (20, 0)], [(30, 0), (40, 0)]]),
    (MultiLineString([[(10, 0), (20, 0)], [(20, 0), (30, 0)]]), [[(10, 0), (20, 0), (30, 0)]]),
    (Point(-179.12, 66.32), [[(-179.12, 66.32)]]),
])
def test_continuous_parts(geom, expected):
    parts = continuous_parts(geom)
    assert len(parts) == len(expected)
    for part, want in zip(parts, expected, strict=True):
        assert part == pytest.approx(np.array(want, dtype=float))


@pytest.mark.parametrize(("extents", "expected"), [
    ([], []),
    ([(20, 40), (130, 140)], [0, 0]),  # no date line: nothing moves
    ([(177.5, 180), (-180, -179.1)], [0, 360]),
    ([(-179.1, -178), (177.5, 179)], [360, 0]),  # the order does not matter
    ([(-100, -100), (100, 100)], [360, 0]),  # across the Pacific (160) not the Atlantic (200)
    ([(-60, -60), (100, 100)], [0, 0]),  # across Africa (160) not the Pacific (200)
    ([(500, 505)], [-360]),  # the west edge comes back within [-180, 180)
    ([(170, 200), (-175, -170)], [0, 360]),  # a line already past 180 keeps its frame
    ([(-120, -120), (0, 0), (120, 120)], [0, 0, 0]),  # equal gaps: the first from -180 wins
    ([(-120, -110), (0, 0), (120, 130)], [360, 360, 0]),
])
def test_frame_shifts(extents, expected):
    assert frame_shifts(extents) == expected


def _span(extents: list[tuple[float, float]], shifts: list[float]) -> float:
    return (max(e + s for (_, e), s in zip(extents, shifts, strict=True))
            - min(w + s for (w, _), s in zip(extents, shifts, strict=True)))


@pytest.mark.parametrize("seed", range(20))
def test_frame_shifts_is_as_narrow_as_trying_every_cut(seed):
    rng = np.random.default_rng(seed)
    west = rng.uniform(-540, 540, size=int(rng.integers(1, 30))).round(1)
    extents = [(w, w + length) for w, length in zip(
        west, rng.choice([0.0, 2.0, 40.0, 150.0], size=len(west)), strict=True)]
    shifts = frame_shifts(extents)
    assert all(s % 360 == 0 for s in shifts)
    best = min(_span(extents, [360.0 * np.ceil((c - w) / 360.0 - 1e-9) for w, _ in extents])
               for c, _ in extents)
    assert _span(extents, shifts) == pytest.approx(best)
    assert -180 <= min(w + s for (w, _), s in zip(extents, shifts, strict=True)) < 180


def test_in_one_frame_moves_each_item_whole_and_gives_the_narrowest_bounds():
    frame = in_one_frame({
        "leg": MultiLineString([[(177.5, 64.7), (180, 65.5)], [(-180, 65.5), (-179.1, 66.3)]]),
        "end": Point(-179.1, 66.3), "start": Point(177.5, 64.7), "empty": LineString(),
    })
    assert frame["end"][0] == pytest.approx(np.array([[180.9, 66.3]]))
    assert frame["start"][0] == pytest.approx(np.array([[177.5, 64.7]]))
    assert frame["empty"] == []
    parts = [p for ps in frame.values() for p in ps]
    assert frame_bounds(parts) == pytest.approx((177.5, 64.7, 180.9, 66.3))
    assert frame_bounds([]) is None


def test_in_one_frame_frames_only_what_the_map_can_show():
    # Beyond 85.05 N this line sweeps far west; the drawn pieces are at 10-20 E and 170 W.
    frame = in_one_frame({"leg": LineString([(10, 80), (20, 89), (-60, 89.5), (-170, 89),
                                             (-170, 80)]), "pole": Point(0, 89.9)})
    leg = frame["leg"]
    assert len(leg) == 2 and all(np.abs(p[:, 1]).max() <= MERCATOR_LAT + 1e-9 for p in leg)
    assert frame["pole"][0] == pytest.approx(np.array([[0.0, 89.9]]))
    west, south, east, north = frame_bounds([p for ps in frame.values() for p in ps])
    assert (west, east) == pytest.approx((-170.0, 10 + 10 * (MERCATOR_LAT - 80) / 9), abs=1e-4)
    assert north == pytest.approx(MERCATOR_LAT, abs=1e-4) and south == 80


def test_turn_countries_joins_what_the_date_line_cut(tmp_path):
    countries = load_countries()
    russia = countries[countries["iso2"] == "RU"]
    turned = turn_countries(russia, -179)
    shape = turned.geometry.iloc[0]
    assert shape.area == pytest.approx(russia.geometry.iloc[0].area, rel=1e-9)
    assert shapely.bounds(shape)[0] >= -180 and shapely.bounds(shape)[2] <= 180
    # Chukotka, cut at 180 in Natural Earth, is one polygon across meridian 1 after the turn.
    across = [p for p in shape.geoms if p.intersects(box(0.5, 64, 1.5, 67))]
    assert len(across) == 1 and across[0].bounds[0] < 0 < across[0].bounds[2]
    assert russia.geometry.iloc[0].bounds[2] == pytest.approx(180)  # the input is unchanged
    assert turn_countries(russia, 360).geometry.iloc[0].equals(russia.geometry.iloc[0])
