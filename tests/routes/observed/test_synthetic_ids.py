"""The synthetic generator's identifiers can never be a real ship's: MMSI outside every ship range of
ITU-R M.585, IMO numbers that fail the IMO check digit (every real one passes)."""

from __future__ import annotations

import pytest

from routemap.geo.vessels import imo_check_digit_ok
from routemap.routes.observed.synthetic import synthetic_imo, synthetic_mmsi


def test_every_synthetic_imo_number_fails_the_check_digit():
    numbers = [synthetic_imo(n) for n in (*range(1, 2_000), *range(2_000, 899_999, 997), 899_999)]
    assert len(set(numbers)) == len(numbers) and all(1_000_000 <= n <= 9_999_999 for n in numbers)
    assert not any(imo_check_digit_ok(n) for n in numbers)
    assert synthetic_imo(1) == 1000010  # 1*7 + 1*2 = 9: the check digit would be 9; 0 is written


def test_synthetic_mmsi_stay_below_the_sar_aircraft_range():
    assert (synthetic_mmsi(1), synthetic_mmsi(10_999_999)) == (100_000_001, 110_999_999)
    for bad in (0, 11_000_000):
        with pytest.raises(ValueError, match="synthetic ship number"):
            synthetic_mmsi(bad)
