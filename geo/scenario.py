"""Loading a scenario file: every SCENARIO.md rule checked, every problem reported at once."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from routemap.errors import PlaceError, Problem, ScenarioError
from routemap.geo.additions import AdditionNetworks
from routemap.geo.additions_section import AdditionsSection
from routemap.geo.coincidence import collapsed_leg
from routemap.geo.countries import country_at
from routemap.geo.gazetteer import SUGGEST_BUDGET, Gazetteer, load_gazetteer, point_place
from routemap.geo.languages import localize, missing_names, missing_translations
from routemap.geo.model import (
    CONFIDENCES,
    ENDPOINTS,
    MODES,
    PATH_CONFIDENCES,
    Annotation,
    Corridor,
    FrozenMap,
    Leg,
    Period,
    Place,
    Quantity,
    Scenario,
    Source,
    Transfer,
)
from routemap.geo.observations import read_observations
from routemap.geo.sealanes import PASSAGES
from routemap.geo.validate import Checker
from routemap.geo.yamldoc import YNode, parse_yaml, read_bytes

__all__ = [
    "bundled_scenario_path",
    "load_scenario",
    "localize",
    "missing_names",
    "missing_translations",
    "parse_scenario",
]


TOP_KEYS = {"version": True, "language": False, "title": True, "subtitle": False, "as_of": False, "sources": True,
            "places": False, "transfers": True, "annotations": False, "network_additions": False,
            "observations": False}
TRANSFER_KEYS = {"id": True, "label": True, "cargo": False, "quantity": False, "period": False,
                 "confidence": True, "sources": True, "note": False, "legs": True}
LEG_KEYS = {"mode": True, "from": True, "to": True, "via": False, "within": False, "avoid": False,
            "path": False, "carrier": False, "period": False, "confidence": False,
            "sources": False, "note": False, "path_confidence": False, "corridor": False,
            "assumed": False}
CORRIDOR_KEYS = {"name": True, "sources": True}
ANNOTATION_KEYS = {"id": True, "text": True, "at": True, "date": False, "period": False,
                   "transfer": False, "confidence": True, "sources": True}
_ROUTED_CONSTRAINTS = ("rail", "road")
CURATED_LANGUAGE = "en"  # the language of geo/data/places.yaml's plain strings
_COORDINATE_TEXT = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d+(?:\.\d+)?)\s*\Z")


def _index(path: str) -> str:
    """Return the index of a list item from its key path (``items()`` names it ``legs[i]``)."""
    return path.rsplit("[", 1)[-1].rstrip("]")


def bundled_scenario_path() -> Path:
    """Return the path of the bundled DPRK-Russia scenario shipped in the package."""
    return Path(str(resources.files("routemap.geo").joinpath("data", "dprk-russia-2023-2025.yaml")))


def load_scenario(path: str | Path, *, gazetteer: Gazetteer | None = None,
                  networks: AdditionNetworks | None = None) -> Scenario:
    """Read, check and resolve a scenario file.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    gazetteer : Gazetteer, optional
        Where place references are looked up (default: the built-in one).
    networks : callable, optional
        ``networks(mode)`` returns the network that ``network_additions`` of that mode must
        join (default: the bundled rail and road networks, loaded only if the file adds track).

    Returns
    -------
    Scenario
        The validated scenario, every place resolved.

    Raises
    ------
    ScenarioError
        With every problem in the file, each located by line and key path.
    """
    path = Path(path)
    data, problems = read_bytes(path, display=str(path))
    if data is None:
        raise ScenarioError(problems)
    return parse_scenario(data, str(path), gazetteer=gazetteer, networks=networks)


def parse_scenario(data: bytes, name: str = "<scenario>", *, gazetteer: Gazetteer | None = None,
                   networks: AdditionNetworks | None = None) -> Scenario:
    """Check and resolve a scenario given as bytes (see :func:`load_scenario`)."""
    root, problems = parse_yaml(data, name)
    if root is None:
        raise ScenarioError(problems)
    return _build(root, problems, name, gazetteer, hashlib.sha256(data).hexdigest(), networks)


def _build(root: YNode, problems: list[Problem], name: str, gazetteer: Gazetteer | None,
           digest: str, networks: AdditionNetworks | None = None) -> Scenario:
    check = Checker(name)
    check.problems.extend(problems)
    reader = _Reader(check, gazetteer or load_gazetteer(), networks)
    scenario = reader.scenario(root)
    if check.problems or scenario is None:
        raise ScenarioError(sorted(check.problems, key=lambda p: (p.line or 0)))
    return replace(_curated_in_own_language(scenario), path=name, sha256=digest)


def _curated_in_own_language(scenario: Scenario) -> Scenario:
    """Write the built-in places' names and notes (the curated layer is in English) in the
    scenario's language where the layer gives them, as its plain fields are."""
    if scenario.language == CURATED_LANGUAGE:
        return scenario
    return localize(replace(scenario, language=CURATED_LANGUAGE), scenario.language)


@dataclass
class _Refs:
    """What the rest of the file may refer to."""

    sources: dict[str, Source]
    gazetteer: Gazetteer
    used: dict[str, Place]


class _Reader(AdditionsSection):
    """Reads one scenario document with a Checker, resolving references as it goes."""

    def __init__(self, check: Checker, gazetteer: Gazetteer,
                 networks: AdditionNetworks | None = None) -> None:
        self.check = check
        self.base = gazetteer
        self.networks = networks
        self.refs: _Refs | None = None
        self.passed_over: list[str] = []
        self.broken: set[str] = set()
        self.unknown_places = 0

    def scenario(self, root: YNode) -> Scenario | None:
        c = self.check
        fields = c.mapping(root, "", TOP_KEYS)
        if fields is None:
            return None
        version = c.integer(fields.get("version"), "version")
        if version is not None and version != 1:
            c.error(fields["version"], "version", f"unsupported version {version}; this tool reads version 1")
        c.language = c.language_code(fields.get("language"), "language") or c.language
        title = c.texts(fields.get("title"), "title", "title")
        sources = self._sources(fields.get("sources"))
        places = self._places(fields.get("places"), sources)
        self.refs = _Refs(sources, self.base.with_places(places), {p.id: p for p in places})
        transfers = self._transfers(fields.get("transfers"))
        annotations = self._annotations(fields.get("annotations"), {t.id for t in transfers})
        additions = self._additions(fields.get("network_additions"))
        observed = read_observations(fields.get("observations"), c, set(sources), Path(c.file).parent)
        if title is None or not transfers:
            return None
        used = tuple(self.refs.used.values())
        self._curated_texts(used)
        return Scenario(
            version=1, title=title, sources=self._all_sources(sources, used), places=used,
            transfers=tuple(transfers), subtitle=c.texts(fields.get("subtitle"), "subtitle", "subtitle"),
            as_of=c.date(fields.get("as_of"), "as_of"), annotations=tuple(annotations),
            passed_over=tuple(self.passed_over), network_additions=tuple(additions),
            language=c.language,
            translations=FrozenMap({k: FrozenMap(v) for k, v in c.translations.items()}),
            observations=observed,
        )

    # -- sources and places -----------------------------------------------------------------

    def _sources(self, node: YNode | None) -> dict[str, Source]:
        if node is None:
            return {}
        self.check.unique_ids(node.value if node.is_seq else None, "sources")
        items = self.check.items(node, "sources", self.check.source, min_items=1)
        self._note_broken(node, {s.id for s in items}, "source:")
        return {s.id: s for s in items}

    def _note_broken(self, node: YNode, good: set[str], prefix: str) -> None:
        """Remember ids of definitions that failed, so references to them add no noise.

        A list that is not a list at all breaks every reference of its kind.
        """
        if not node.is_seq:
            self.broken.add(prefix + "*")
        for item in node.value if node.is_seq else []:
            id_node = item.value.get("id") if item.is_map else None
            if id_node is not None and id_node.is_scalar and str(id_node.raw) not in good:
                self.broken.add(prefix + str(id_node.raw))

    def _is_broken(self, prefix: str, ident: str) -> bool:
        return prefix + ident in self.broken or prefix + "*" in self.broken

    def _places(self, node: YNode | None, sources: dict[str, Source]) -> list[Place]:
        if node is None:
            return []
        self.check.unique_ids(node.value if node.is_seq else None, "places")
        places = []
        for i, item in enumerate(self.check.seq(node, "places") or []):
            place = self.check.place(item, f"places[{i}]", origin="scenario")
            if place is not None:
                self._cite(item.value.get("sources"), f"places[{i}].sources", sources)
                places.append(self._with_curated_names(place))
        self._note_broken(node, {p.id for p in places}, "place:")
        return list({p.id: p for p in places}.values())

    def _with_curated_names(self, place: Place) -> Place:
        """A scenario place that overrides a curated one (same id) keeps the curated names in
        languages it does not give itself."""
        for layer in self.base.layers:
            curated = layer.by_id().get(place.id) if layer.name == "builtin" else None
            if curated is not None and curated.names:
                return replace(place, names=FrozenMap({**curated.names, **place.names}))
        return place

    def _curated_texts(self, used: tuple[Place, ...]) -> None:
        """Add the curated layer's translations of the built-in places the file uses, and of
        the curated sources they cite (their publishers and notes)."""
        keys = [f"places.{p.id}.note" for p in used if p.origin == "builtin"]
        cited = {sid for p in used if p.origin == "builtin" for sid in p.sources}
        keys += [f"sources.{sid}.{field}" for sid in sorted(cited) for field in ("publisher", "note")]
        for key in keys:
            if key in self.base.translations:
                self.check.translations.setdefault(key, dict(self.base.translations[key]))

    def _all_sources(self, own: dict[str, Source], used: tuple[Place, ...]) -> tuple[Source, ...]:
        """The scenario's sources in file order, then the curated sources its places cite."""
        ordered = dict(own)
        for place in used:
            for sid in place.sources:
                if sid not in ordered and sid in self.base.sources:
                    ordered[sid] = self.base.sources[sid]
        return tuple(ordered.values())

    def _cite(self, node: YNode | None, path: str, sources: dict[str, Source] | None = None,
              *, min_items: int = 0) -> tuple[str, ...]:
        """Read a list of source ids and check that each is defined."""
        known = sources if sources is not None else self.refs.sources
        items = self.check.seq(node, path, min_items=min_items) if node is not None else None
        ids = (self._source_ref(item, f"{path}[{i}]", known) for i, item in enumerate(items or []))
        return tuple(dict.fromkeys(sid for sid in ids if sid is not None))

    def _source_ref(self, node: YNode, path: str, known: dict[str, Source]) -> str | None:
        """Read one source id and check that the scenario defines it."""
        sid = self.check.slug(node, path)
        if sid is None or (sid not in known and self._is_broken("source:", sid)):
            return None
        if sid not in known:
            self.check.error(node, path, f"unknown source id '{sid}'{self.check.hint(sid, known)}")
            return None
        return sid

    def _place_ref(self, node: YNode | None, path: str) -> Place | None:
        """Resolve a place reference: id, UN/LOCODE, name, or inline ``{lat, lon}``."""
        if node is None:
            return None
        if node.is_map:
            place = self._point(node, path)
        else:
            text = self.check.text(node, path)
            if text is None or self._is_broken("place:", text):
                return None
            coordinates = _COORDINATE_TEXT.match(text)
            if coordinates is not None:
                lat, lon = coordinates.groups()
                self.check.error(node, path, f"'{text}' looks like coordinates; write them as a mapping: "
                                             f"{{lat: {lat}, lon: {lon}}}")
                return None
            try:
                resolution = self.refs.gazetteer.resolve(text, suggest=self.unknown_places < SUGGEST_BUDGET)
            except PlaceError as exc:
                self.unknown_places += 1
                self.check.error(node, path, str(exc))
                return None
            place = resolution.place
            if resolution.rule == "name":
                others = self.refs.gazetteer.passed_over(text, place)
                if others:
                    alts = "; ".join(f"{p.name} ({p.kind}, {p.country}, {p.origin})" for p in others[:5])
                    self.passed_over.append(f"{path}: '{text}' -> {place.name} ({place.origin}); passed over: {alts}")
        if place is None:
            return None
        self.refs.used.setdefault(place.id, place)
        return self.refs.used[place.id]

    def _point(self, node: YNode, path: str) -> Place | None:
        point = self._lat_lon(node, path)
        if point is None:
            return None
        lat, lon = point
        return point_place(lat, lon, country_at(lat, lon))

    # -- transfers and legs ----------------------------------------------------------------

    def _transfers(self, node: YNode | None) -> list[Transfer]:
        if node is None:
            return []
        self.check.unique_ids(node.value if node.is_seq else None, "transfers")
        transfers = self.check.items(node, "transfers", self._transfer, min_items=1)
        self._note_broken(node, {t.id for t in transfers}, "transfer:")
        return transfers

    def _transfer(self, node: YNode, path: str) -> Transfer | None:
        c = self.check
        before = len(c.problems)
        fields = c.mapping(node, path, TRANSFER_KEYS)
        if fields is None:
            return None
        ident = c.slug(fields.get("id"), f"{path}.id")
        key = f"transfers.{ident or path}"
        values = {
            "id": ident,
            "label": c.texts(fields.get("label"), f"{path}.label", f"{key}.label"),
            "confidence": c.enum(fields.get("confidence"), f"{path}.confidence", CONFIDENCES),
            "sources": self._cite(fields.get("sources"), f"{path}.sources", min_items=1),
            "cargo": c.texts(fields.get("cargo"), f"{path}.cargo", f"{key}.cargo"),
            "period": c.period(fields.get("period"), f"{path}.period"),
            "note": c.texts(fields.get("note"), f"{path}.note", f"{key}.note"),
        }
        claims = self._quantities(fields.get("quantity"), f"{path}.quantity", key)
        legs = tuple(c.items(fields.get("legs"), f"{path}.legs",
                             lambda n, p: self._leg(n, p, key), min_items=1))
        self._check_chain(fields.get("legs"), legs, f"{path}.legs")
        if len(c.problems) > before or not legs:
            return None
        single = claims[0] if len(claims) == 1 else None
        return Transfer(legs=legs, quantity=single, quantities=claims if single is None else (),
                        **values)

    def _quantities(self, node: YNode | None, path: str, key: str) -> tuple[Quantity, ...]:
        """Read a quantity claim, or a list of them (each naming its source) that disagree.

        The texts of claim ``i`` (0 for a single claim) are kept under ``<key>.quantity.<i>``.
        """
        if node is None:
            return ()
        if node.is_seq:
            several = len(node.value) > 1
            claims = self.check.items(
                node, path, lambda n, p: self._quantity(n, p, f"{key}.quantity.{_index(p)}",
                                                        source_required=several), min_items=1)
            return tuple(claims)
        claim = self._quantity(node, path, f"{key}.quantity.0", source_required=False)
        return (claim,) if claim is not None else ()

    def _quantity(self, node: YNode, path: str, key: str, *, source_required: bool) -> Quantity | None:
        claim = self.check.quantity(node, path, source_required=source_required, key=key)
        if claim is None or claim.source is None:
            return claim
        known = self._source_ref(node.value["source"], f"{path}.source", self.refs.sources)
        return claim if known else None

    def _leg(self, node: YNode, path: str, transfer_key: str) -> Leg | None:
        c = self.check
        index = _index(path)
        before = len(c.problems)
        fields = c.mapping(node, path, LEG_KEYS)
        if fields is None:
            return None
        mode = c.enum(fields.get("mode"), f"{path}.mode", MODES)
        origin = self._place_ref(fields.get("from"), f"{path}.from")
        via = tuple(c.items(fields.get("via"), f"{path}.via", self._place_ref))
        destination = self._place_ref(fields.get("to"), f"{path}.to")
        leg = Leg(
            mode=mode or "", origin=origin, destination=destination, via=via,
            within=self._within(fields.get("within"), mode, f"{path}.within"),
            avoid=self._avoid(fields.get("avoid"), mode, f"{path}.avoid"),
            path=self._path(fields.get("path"), f"{path}.path"),
            carrier=c.text(fields.get("carrier"), f"{path}.carrier"),
            period=c.period(fields.get("period"), f"{path}.period"),
            confidence=c.enum(fields.get("confidence"), f"{path}.confidence", CONFIDENCES),
            sources=self._cite(fields.get("sources"), f"{path}.sources"),
            note=c.texts(fields.get("note"), f"{path}.note", f"{transfer_key}.legs.{index}.note"),
            line=node.line,
            path_confidence=c.enum(fields.get("path_confidence"), f"{path}.path_confidence",
                                   PATH_CONFIDENCES),
            corridor=self._corridor(fields.get("corridor"), f"{path}.corridor",
                                    f"{transfer_key}.legs.{index}.corridor.name"),
            assumed=self._assumed(fields.get("assumed"), f"{path}.assumed"),
        )
        self._check_path_confidence(fields, leg, path)
        collapsed = collapsed_leg(leg)
        if collapsed is not None:
            c.error(node, path, collapsed)
        if len(c.problems) > before or origin is None or destination is None:
            return None
        return leg

    def _corridor(self, node: YNode | None, path: str, key: str) -> Corridor | None:
        """Read ``{name, sources}``: the line or route a cited source names (its name a text
        kept under ``key``)."""
        if node is None:
            return None
        fields = self.check.mapping(node, path, CORRIDOR_KEYS)
        if fields is None:
            return None
        name = self.check.texts(fields.get("name"), f"{path}.name", key)
        sources = self._cite(fields.get("sources"), f"{path}.sources", min_items=1)
        return Corridor(name, sources) if name is not None and sources else None

    def _assumed(self, node: YNode | None, path: str) -> tuple[str, ...]:
        """Read the leg ends that are the analyst's inference: ``from`` and/or ``to``."""
        return tuple(dict.fromkeys(self.check.items(node, path, self._endpoint)))

    def _endpoint(self, node: YNode, path: str) -> str | None:
        value = self.check.text(node, path)
        if value is not None and value not in ENDPOINTS:
            self.check.error(node, path, f"'{value}' is not a leg end: write 'from' (the origin is "
                                         "assumed) or 'to' (the destination is assumed)")
            return None
        return value

    def _check_path_confidence(self, fields: dict[str, YNode], leg: Leg, path: str) -> None:
        """A line can be ``reported`` only when a source gives its path or names its corridor."""
        if leg.path_confidence != "reported" or leg.path or "path" in fields or "corridor" in fields:
            return
        ends = f"{leg.origin.name} -> {leg.destination.name}" if leg.origin and leg.destination else ""
        named = f"leg ({leg.mode}{', ' + ends if ends else ''})" if leg.mode else "leg"
        self.check.error(fields["path_confidence"], f"{path}.path_confidence",
                         f"the {named} is marked 'reported' but has neither a 'path' nor a "
                         "'corridor' with sources; give the path or corridor a source reports, "
                         "or write 'estimated'")

    def _within(self, node: YNode | None, mode: str | None, path: str) -> tuple[str, ...] | None:
        if node is None:
            return None
        if mode is not None and mode not in _ROUTED_CONSTRAINTS:
            self.check.error(node, path, f"'within' applies to rail and road legs, not {mode}")
            return None
        return tuple(self.check.items(node, path, self.check.iso2, min_items=1))

    def _avoid(self, node: YNode | None, mode: str | None, path: str) -> tuple[str, ...]:
        if node is None:
            return ()
        if mode == "air":
            self.check.error(node, path, "'avoid' applies to rail, road and sea legs, not air")
            return ()
        if mode == "sea":
            return tuple(self.check.items(node, path, self._passage))
        return tuple(self.check.items(node, path, self.check.iso2))

    def _passage(self, node: YNode, path: str) -> str | None:
        value = self.check.text(node, path)
        if value is not None and value.lower() not in PASSAGES:
            known = sorted(PASSAGES)
            self.check.error(node, path, f"unknown sea passage '{value}'{self.check.hint(value.lower(), known)}; "
                                         f"known: {', '.join(known)}")
            return None
        return value.lower() if value else None

    def _path(self, node: YNode | None, path: str) -> tuple[tuple[float, float], ...] | None:
        if node is None:
            return None
        points = self.check.items(node, path, self._lat_lon, min_items=1)
        return tuple(points) if points else None

    def _lat_lon(self, node: YNode, path: str) -> tuple[float, float] | None:
        fields = self.check.mapping(node, path, {"lat": True, "lon": True})
        if fields is None:
            return None
        return self.check.lat_lon(fields, path)

    def _check_chain(self, node: YNode | None, legs: tuple[Leg, ...], path: str) -> None:
        """Consecutive legs must chain: ``legs[i].to`` is ``legs[i+1].from``."""
        if node is None or not node.is_seq or len(legs) != len(node.value):
            return
        for i, (a, b) in enumerate(itertools.pairwise(legs)):
            if a.destination.id != b.origin.id:
                self.check.error(node.value[i + 1], f"{path}[{i + 1}].from",
                                 f"legs do not chain: the previous leg ends at '{a.destination.name}' "
                                 f"but this one starts at '{b.origin.name}'")

    # -- annotations -----------------------------------------------------------------------

    def _annotations(self, node: YNode | None, transfer_ids: set[str]) -> list[Annotation]:
        if node is None:
            return []
        self.check.unique_ids(node.value if node.is_seq else None, "annotations")
        return self.check.items(node, "annotations", lambda n, p: self._annotation(n, p, transfer_ids))

    def _annotation(self, node: YNode, path: str, transfer_ids: set[str]) -> Annotation | None:
        c = self.check
        before = len(c.problems)
        fields = c.mapping(node, path, ANNOTATION_KEYS)
        if fields is None:
            return None
        period = c.period(fields.get("period"), f"{path}.period")
        day = c.date(fields.get("date"), f"{path}.date")
        if "date" in fields and "period" in fields:
            c.error(fields["period"], f"{path}.period", "give 'date' or 'period', not both")
        transfer = c.slug(fields.get("transfer"), f"{path}.transfer")
        if transfer is not None and transfer not in transfer_ids and not self._is_broken("transfer:", transfer):
            c.error(fields["transfer"], f"{path}.transfer",
                    f"unknown transfer id '{transfer}'{self.check.hint(transfer, transfer_ids)}")
        ident = c.slug(fields.get("id"), f"{path}.id")
        values = {
            "id": ident,
            "text": c.texts(fields.get("text"), f"{path}.text", f"annotations.{ident or path}.text"),
            "at": self._place_ref(fields.get("at"), f"{path}.at"),
            "confidence": c.enum(fields.get("confidence"), f"{path}.confidence", CONFIDENCES),
            "sources": self._cite(fields.get("sources"), f"{path}.sources", min_items=1),
        }
        if len(c.problems) > before:
            return None
        span = period or (Period(day, day) if day else None)
        return Annotation(period=span, transfer=transfer, **values)
