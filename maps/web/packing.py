"""How the map data document is written into the page: each line once, compactly, and each
repeated popup text once.

``routemap.maps.web.data.build_map_data`` returns a document that reads plainly (a leg's
``parts`` are its own delta-coded integer lists, its popup ``rows`` are ``[label, text]`` pairs).
At a thousand transfers most of it is repetition: many legs follow the same routed line, and the
same labels and long explanations ("Line estimated: modelled along the network...") come back
in every popup. :func:`pack_map_data` writes the document the page carries:

- ``lines``: every distinct coded line once, as a string (:func:`encode_steps`); a leg's
  ``parts`` and its connectors' parts become indexes into it;
- ``texts``: every distinct popup label and text once; a leg's, place's or note's ``rows``
  become a flat list of indexes ``[label0, text0, label1, text1, ...]`` into it;
- ``packed``: the format's version, so the page's script knows what it reads.

:func:`unpack_map_data` restores the plain document exactly (the page's script does the same),
so what the page shows is what ``build_map_data`` decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["PACKED_FORMAT", "decode_steps", "encode_steps", "pack_map_data", "unpack_map_data"]

#: The version of the packed document; the page's script checks it.
PACKED_FORMAT = 1

#: Feature lists whose ``rows`` are packed (the observed layer's are its own).
_ROW_GROUPS = ("legs", "places", "annotations")

_OFFSET = 63
_CHUNK = 0x20
_BITS = 40
"""Coded integers stay under 2**40 (zigzagged): whole longitudes in 1/10,000 degrees take 23."""


def encode_steps(values: Sequence[int]) -> str:
    """Return integers as a compact string: each zigzag-coded, in 5-bit chunks, low first.

    Each chunk is a character ``63 + chunk`` (``+ 32`` when more chunks of the same integer
    follow), the scheme of Google's encoded polylines: a step of a few hundred takes two or
    three characters instead of four or five digits and a comma. Every character lies between
    ``?`` and ``~``, so the string needs no escaping in the page.

    Parameters
    ----------
    values : sequence of int
        As ``routemap.maps.web.vector_basemap.encode_line`` returns them.

    Returns
    -------
    str
        Decoded by :func:`decode_steps` and by the page's script.

    Raises
    ------
    ValueError
        If a value needs 40 bits or more.
    """
    steps = np.asarray(values, dtype=np.int64).ravel()
    if steps.size == 0:
        return ""
    zigzag = (steps << 1) ^ (steps >> 63)
    if zigzag.max() >= 1 << _BITS:
        raise ValueError(f"cannot encode a step of {_BITS} bits or more")
    # chunks[i, k]: the k-th 5 bits of value i; a value has as many as its highest set bit needs
    shifts = np.arange(0, _BITS, 5, dtype=np.int64)
    chunks = (zigzag[:, None] >> shifts[None, :]) & 0x1F
    more = (zigzag[:, None] >> (shifts[None, :] + 5)) > 0
    used = np.ones_like(more)
    used[:, 1:] = more[:, :-1]
    codes = (chunks | np.where(more, _CHUNK, 0)) + _OFFSET
    return codes[used].astype(np.uint8).tobytes().decode("ascii")


def decode_steps(text: str) -> list[int]:
    """Return the integers a string of :func:`encode_steps` holds.

    Raises
    ------
    ValueError
        If the string is not one :func:`encode_steps` writes.
    """
    values, rest, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - _OFFSET
        if not 0 <= chunk < 2 * _CHUNK:
            raise ValueError(f"not an encoded line: character {char!r}")
        rest |= (chunk & 0x1F) << shift
        shift += 5
        if chunk < _CHUNK:
            values.append(~(rest >> 1) if rest & 1 else rest >> 1)
            rest, shift = 0, 0
    if shift:
        raise ValueError("not an encoded line: it ends inside a number")
    return values


class _Table:
    """Distinct values in order of first use, each with its index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, item: str) -> int:
        if item not in self._index:
            self._index[item] = len(self.items)
            self.items.append(item)
        return self._index[item]


def pack_map_data(data: dict[str, Any]) -> dict[str, Any]:
    """Return the document the page carries: lines and popup texts written once each.

    Parameters
    ----------
    data : dict
        As returned by ``routemap.maps.web.data.build_map_data``; not modified.

    Returns
    -------
    dict
        ``data`` with ``lines``, ``texts`` and ``packed`` added and legs' ``parts`` and
        ``connectors`` and features' ``rows`` made indexes (module docstring).
    """
    lines, texts = _Table(), _Table()
    packed = dict(data)
    packed["legs"] = [{**leg,
                       "parts": [lines.ref(encode_steps(p)) for p in leg["parts"]],
                       "connectors": [[lines.ref(encode_steps(p)) for p in c]
                                      for c in leg["connectors"]]}
                      for leg in data["legs"]]
    for group in _ROW_GROUPS:
        packed[group] = [{**item, "rows": [texts.ref(t) for row in item["rows"] for t in row]}
                         for item in packed[group]]
    return {**packed, "lines": lines.items, "texts": texts.items, "packed": PACKED_FORMAT}


def unpack_map_data(packed: dict[str, Any]) -> dict[str, Any]:
    """Return the plain document a packed one holds (the inverse of :func:`pack_map_data`).

    Raises
    ------
    ValueError
        If the document is not of the packed format this module writes.
    """
    if packed.get("packed") != PACKED_FORMAT:
        raise ValueError(f"not a packed map document of format {PACKED_FORMAT}")
    lines = [decode_steps(text) for text in packed["lines"]]
    texts = packed["texts"]
    data = {k: v for k, v in packed.items() if k not in ("lines", "texts", "packed")}
    data["legs"] = [{**leg, "parts": [lines[i] for i in leg["parts"]],
                     "connectors": [[lines[i] for i in c] for c in leg["connectors"]]}
                    for leg in packed["legs"]]
    for group in _ROW_GROUPS:
        data[group] = [{**item, "rows": _pairs(texts[i] for i in item["rows"])}
                       for item in data[group]]
    return data


def _pairs(items: Iterable[str]) -> list[list[str]]:
    """Return ``[a, b, c, d, ...]`` as ``[[a, b], [c, d], ...]``."""
    flat = list(items)
    return [flat[i:i + 2] for i in range(0, len(flat), 2)]
