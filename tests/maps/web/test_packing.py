"""The packed map document: lines and popup texts written once, restored exactly."""

from __future__ import annotations

import copy

import pytest

from routemap.geo.countries import load_countries
from routemap.maps.web.data import build_map_data
from routemap.maps.web.packing import (
    PACKED_FORMAT,
    decode_steps,
    encode_steps,
    pack_map_data,
    unpack_map_data,
)


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ([], ""),
        ([0], "?"),
        ([1, -1], "A@"),
        # Google's documented example: 38.5 -> 3850000 at 1e5 is "_p~iF"
        ([3_850_000], "_p~iF"),
        ([-12_020_000], "~ps|U"),
    ],
)
def test_encode_steps_writes_the_polyline_alphabet(values, text):
    assert encode_steps(values) == text
    assert decode_steps(text) == values


def test_steps_round_trip_every_size_and_sign():
    values = [0, 1, -1, 15, -16, 16, 511, -512, 1_800_000, -1_800_000, 3_600_000, 7, 0, -3]
    text = encode_steps(values)
    assert decode_steps(text) == values
    assert all("?" <= char <= "~" for char in text)


@pytest.mark.parametrize(("text", "problem"), [("_", "ends inside a number"),
                                               ("A<", "character '<'")])
def test_decode_steps_refuses_what_it_did_not_write(text, problem):
    with pytest.raises(ValueError, match=problem):
        decode_steps(text)


@pytest.fixture(scope="module")
def sample_data(shared_routeset) -> dict:
    """The sample route set's plain map document."""
    return build_map_data(shared_routeset, load_countries())


def test_pack_then_unpack_gives_the_document_back(sample_data):
    before = copy.deepcopy(sample_data)
    packed = pack_map_data(sample_data)
    assert sample_data == before, "packing changed its input"
    assert packed["packed"] == PACKED_FORMAT
    assert unpack_map_data(packed) == sample_data


def test_a_line_many_legs_follow_is_written_once(sample_data):
    legs = [{**leg, "id": f"{leg['id']}:{k}"} for k in range(50) for leg in sample_data["legs"]]
    packed = pack_map_data({**sample_data, "legs": legs})
    distinct = {str(p) for leg in sample_data["legs"] for p in leg["parts"]}
    distinct |= {str(p) for leg in sample_data["legs"] for c in leg["connectors"] for p in c}
    assert len(packed["lines"]) == len(distinct)
    assert packed["legs"][0]["parts"] == packed["legs"][len(sample_data["legs"])]["parts"]
    # Each label and text once: the popup rows of 150 legs hold no more texts than of 3.
    assert len(packed["texts"]) == len(pack_map_data(sample_data)["texts"])
    assert unpack_map_data(packed)["legs"] == legs


def test_unpack_refuses_another_format(sample_data):
    with pytest.raises(ValueError, match="packed map document of format 1"):
        unpack_map_data({**pack_map_data(sample_data), "packed": 2})
