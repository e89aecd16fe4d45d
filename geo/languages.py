"""A scenario's texts in several languages: one language's view of it, and what it lacks.

A scenario's plain strings are in its ``language``; a text given as a mapping by language
(``label: {en: ..., fr: ...}``) keeps its other languages in ``Scenario.translations`` under its
text key, and a place's names in other languages are in ``Place.names``. :func:`localize`
writes every text field in one language, falling back to the scenario's own where the file has
no translation; :func:`missing_translations` and :func:`missing_names` say what falls back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from routemap.geo.model import Corridor, FrozenMap, Leg, Place, Quantity, Scenario, Source, Transfer

__all__ = ["builtin_notes_missing", "localize", "missing_names", "missing_translations", "text_keys"]


def localize(scenario: Scenario, code: str) -> Scenario:
    """Return the scenario with every text field in one language.

    Titles, labels, cargo, notes, quantity units and bases, corridor names and annotation
    texts come from the scenario's translations, place names from each place's ``names``;
    each falls back to the scenario's language where the file gives none. The result's
    ``language`` is ``code``, and it keeps every text it replaced (under the replaced
    language), so localizing it again to any language gives the same texts as localizing the
    original.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    code : str
        The language code to write the texts in (``fr``, ``ko``).

    Returns
    -------
    Scenario
        The same scenario object when nothing changes, otherwise a new one.
    """
    if code == scenario.language:
        return scenario
    texts = _Texts(scenario, code)
    places = {p.id: _place(p, scenario.language, code, texts) for p in scenario.places}
    localized = replace(
        scenario,
        title=texts.get("title", scenario.title) or scenario.title,
        subtitle=texts.get("subtitle", scenario.subtitle),
        places=tuple(places.values()),
        sources=tuple(_source(s, texts) for s in scenario.sources),
        transfers=tuple(_transfer(t, texts, places) for t in scenario.transfers),
        annotations=tuple(
            replace(a, text=texts.get(f"annotations.{a.id}.text", a.text) or a.text,
                    at=places.get(a.at.id, a.at))
            for a in scenario.annotations),
        language=code,
        translations=texts.kept(),
    )
    return scenario if localized == scenario else localized


def missing_translations(scenario: Scenario, codes: Iterable[str]) -> dict[str, list[str]]:
    """Return, per language, the text keys that have no text in it (and fall back).

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario.
    codes : iterable of str
        The languages to check; the scenario's own language never lacks anything.

    Returns
    -------
    dict of str to list of str
        For each code, in the order given, the keys (``transfers.<id>.label``...) of the texts
        the scenario has but not in that language, in file order. Place names are not listed
        here (see :func:`missing_names`).
    """
    present = list(text_keys(scenario))
    result: dict[str, list[str]] = {}
    for code in dict.fromkeys(codes):
        if code == scenario.language:
            result[code] = []
            continue
        result[code] = [key for key in present if code not in scenario.translations.get(key, {})]
    return result


def missing_names(scenario: Scenario, codes: Iterable[str]) -> dict[str, list[str]]:
    """Return, per language, the ids of the places whose name has no form in it.

    Such a place keeps its name as written (its romanised form): a fallback worth a note,
    not a missing text. Places given as coordinates have no name to translate.
    """
    named = [p for p in scenario.places if p.origin != "coordinates"]
    return {code: [] if code == scenario.language else [p.id for p in named if code not in p.names]
            for code in dict.fromkeys(codes)}


def builtin_notes_missing(scenario: Scenario, codes: Iterable[str]) -> dict[str, list[str]]:
    """Return, per language, the ids of the built-in places whose note has no text in it.

    A built-in place's note is the curated layer's (``geo/data/places.yaml``), not the file's:
    its author cannot translate it, so it is listed apart from :func:`missing_translations`.
    """
    noted = [p for p in scenario.places if p.note and p.origin == "builtin"]
    return {code: [] if code == scenario.language else
            [p.id for p in noted if code not in scenario.translations.get(f"places.{p.id}.note", {})]
            for code in dict.fromkeys(codes)}


def text_keys(scenario: Scenario) -> Iterator[str]:
    """Yield the key of every text the scenario file writes (place names excepted), in file order.

    The notes of built-in places (the curated layer's, in English) are not the file's texts.
    Nor are a source's publisher and note: a citation quotes them as the file writes them
    unless the file gives them by language.
    """
    if scenario.title:
        yield "title"
    if scenario.subtitle:
        yield "subtitle"
    for place in scenario.places:
        if place.note and place.origin == "scenario":
            yield f"places.{place.id}.note"
    for transfer in scenario.transfers:
        key = f"transfers.{transfer.id}"
        yield from (f"{key}.{field}" for field in ("label", "cargo", "note")
                    if getattr(transfer, field))
        for i, claim in enumerate(transfer.quantity_claims):
            yield from (f"{key}.quantity.{i}.{field}" for field in ("unit", "basis")
                        if getattr(claim, field))
        for i, leg in enumerate(transfer.legs):
            if leg.note:
                yield f"{key}.legs.{i}.note"
            if leg.corridor is not None:
                yield f"{key}.legs.{i}.corridor.name"
    for annotation in scenario.annotations:
        yield f"annotations.{annotation.id}.text"


class _Texts:
    """Looks texts up in one language and remembers the ones it replaced."""

    def __init__(self, scenario: Scenario, code: str) -> None:
        self.scenario = scenario
        self.code = code
        self.replaced: dict[str, dict[str, str]] = {}

    def get(self, key: str, current: str | None) -> str | None:
        """Return the text of ``key`` in the language, else ``current``."""
        given = self.scenario.translations.get(key, {})
        text = given.get(self.code)
        if text is None or current is None or text == current:
            return current
        if self.scenario.language not in given:
            self.replaced[key] = {self.scenario.language: current}
        return text

    def kept(self) -> FrozenMap[FrozenMap[str]]:
        """Return the translations, with every text this lookup replaced kept in its language."""
        merged = {k: dict(v) for k, v in self.scenario.translations.items()}
        for key, texts in self.replaced.items():
            merged.setdefault(key, {}).update(texts)
        return FrozenMap({k: FrozenMap(v) for k, v in merged.items()})


def _place(place: Place, language: str, code: str, texts: _Texts) -> Place:
    name = place.names.get(code) or place.name
    note = texts.get(f"places.{place.id}.note", place.note)
    if name == place.name and note == place.note:
        return place
    names = place.names if language in place.names else FrozenMap({**place.names, language: place.name})
    return replace(place, name=name, note=note, names=names)


def _source(source: Source, texts: _Texts) -> Source:
    """A source's publisher and note in the language; where its link goes is decided on the
    publisher as the file writes it in its own language (the rule reads English connectives)."""
    key = f"sources.{source.id}"
    publisher = texts.get(f"{key}.publisher", source.publisher) or source.publisher
    note = texts.get(f"{key}.note", source.note)
    if publisher == source.publisher and note == source.note:
        return source
    site = source.site or ("copy" if source.is_copy else "original")
    return replace(source, publisher=publisher, note=note, site=site)


def _transfer(transfer: Transfer, texts: _Texts, places: dict[str, Place]) -> Transfer:
    key = f"transfers.{transfer.id}"
    legs = tuple(_leg(leg, f"{key}.legs.{i}", texts, places) for i, leg in enumerate(transfer.legs))
    claims = tuple(_quantity(q, f"{key}.quantity.{i}", texts)
                   for i, q in enumerate(transfer.quantity_claims))
    single = transfer.quantity is not None
    return replace(
        transfer, legs=legs,
        label=texts.get(f"{key}.label", transfer.label) or transfer.label,
        cargo=texts.get(f"{key}.cargo", transfer.cargo),
        note=texts.get(f"{key}.note", transfer.note),
        quantity=claims[0] if single else None,
        quantities=() if single else claims,
    )


def _quantity(claim: Quantity, key: str, texts: _Texts) -> Quantity:
    unit = texts.get(f"{key}.unit", claim.unit) or claim.unit
    basis = texts.get(f"{key}.basis", claim.basis)
    if unit == claim.unit and basis == claim.basis:
        return claim
    return replace(claim, unit=unit, basis=basis)


def _leg(leg: Leg, key: str, texts: _Texts, places: dict[str, Place]) -> Leg:
    corridor = leg.corridor
    if corridor is not None:
        name = texts.get(f"{key}.corridor.name", corridor.name) or corridor.name
        corridor = corridor if name == corridor.name else Corridor(name, corridor.sources)
    return replace(
        leg, note=texts.get(f"{key}.note", leg.note), corridor=corridor,
        origin=places.get(leg.origin.id, leg.origin),
        destination=places.get(leg.destination.id, leg.destination),
        via=tuple(places.get(p.id, p) for p in leg.via),
    )
