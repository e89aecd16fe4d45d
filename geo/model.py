"""The in-memory scenario model: frozen dataclasses mirroring shared SCENARIO.md, version 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from routemap.geo import sites

if TYPE_CHECKING:
    from routemap.geo.vessels import ObservationSpec

__all__ = [
    "ADDITION_MODES",
    "CONFIDENCES",
    "ENDPOINTS",
    "MODES",
    "PATH_CONFIDENCES",
    "PLACE_KINDS",
    "QUALIFIERS",
    "Annotation",
    "Corridor",
    "FrozenMap",
    "Leg",
    "NetworkAddition",
    "Period",
    "Place",
    "Quantity",
    "Scenario",
    "Source",
    "Transfer",
]

V = TypeVar("V")

MODES: tuple[str, ...] = ("sea", "rail", "road", "air")
PLACE_KINDS: tuple[str, ...] = (
    "port",
    "rail_station",
    "rail_junction",
    "depot",
    "airfield",
    "border_crossing",
    "city",
    "other",
)
CONFIDENCES: tuple[str, ...] = ("confirmed", "reported", "claimed", "estimated")
PATH_CONFIDENCES: tuple[str, ...] = ("reported", "estimated")
"""The certainty of the line drawn: a source's path or corridor, or a model (routed, great circle)."""
QUALIFIERS: tuple[str, ...] = ("about", "at least", "more than", "up to")
"""How a source qualifies a number: ``about 300``, ``at least 100``, ``more than 1,000``, ``up to 20``."""
ADDITION_MODES: tuple[str, ...] = ("rail", "road")
"""The networks a scenario can add track to (``network_additions``)."""
ENDPOINTS: tuple[str, ...] = ("from", "to")
"""The ends of a leg that ``assumed`` may name."""


class FrozenMap(Mapping[str, V]):
    """An immutable, hashable mapping with a stable order: the model's texts by language.

    ``Place.names`` maps a language code to the place's name in that language;
    ``Scenario.translations`` maps a text key (``transfers.<id>.label``) to such a mapping.
    Keys keep the order they were given in, but equality and hashing ignore it, so a model
    built twice from one file compares equal.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, V] | None = None) -> None:
        self._items: dict[str, V] = dict(items or {})

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


NO_TEXTS: FrozenMap[Any] = FrozenMap()
"""The empty FrozenMap: a place with no other names, a scenario in one language."""


@dataclass(frozen=True)
class Source:
    """A source: who said it, where, when, and whether its link is the publisher's own page.

    How a source reads as a citation, in an output's language, is ``routemap.maps.citations``'s.

    ``site`` is the scenario's word on the link (``original`` or ``copy``) where the rule of
    :mod:`routemap.geo.sites` cannot tell; ``None`` leaves it to the rule.
    """

    id: str
    title: str
    publisher: str
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None
    site: str | None = None

    @property
    def link_site(self) -> str | None:
        """Return the registrable domain the link points at (``example.org``), if there is a link."""
        return sites.link_domain(self.url)

    @property
    def is_copy(self) -> bool:
        """Return True if the link points at a copy on a site that is not the publisher's."""
        if self.site is not None:
            return self.site == "copy" and self.link_site is not None
        return sites.site_matches(self.url, self.publisher) is False


@dataclass(frozen=True)
class Place:
    """A named location; ``origin`` says which gazetteer layer it came from."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    uncertainty_km: float | None = None
    confidence: str = "reported"
    sources: tuple[str, ...] = ()
    note: str | None = None
    locode: str | None = None
    population: int | None = None
    origin: str = "scenario"
    names: Mapping[str, str] = field(default=NO_TEXTS)
    """The place's name by language code (``{"ko": "라진", "ru": "Раджин"}``); ``name`` is the
    name in the scenario's language, used where ``names`` has none."""

    def name_in(self, code: str) -> str:
        """Return the place's name in a language: its ``names`` entry, else ``name``."""
        return self.names.get(code) or self.name


@dataclass(frozen=True)
class Period:
    """An inclusive date range."""

    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        """Return the number of days the period covers, both ends included."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Quantity:
    """An amount with its unit, as the source gives it: a claim, with its qualifier and scope.

    ``value`` is the number (the lower end of a range whose upper end is ``max``);
    ``qualifier`` one of :data:`QUALIFIERS`; ``basis`` what is counted (``one voyage``,
    ``whole flow``); ``window`` the period the count covers; ``source`` the id of the source
    the figure is from.
    """

    value: float
    unit: str
    qualifier: str | None = None
    max: float | None = None
    basis: str | None = None
    window: Period | None = None
    source: str | None = None

    @property
    def is_range(self) -> bool:
        """Return True if the quantity is a range (an upper end above its value)."""
        return self.max is not None and self.max != self.value


@dataclass(frozen=True)
class Corridor:
    """The line or route a cited source names for a leg (e.g. the Trans-Siberian Railway)."""

    name: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Leg:
    """One mode of transport between two places, with resolved places."""

    mode: str
    origin: Place
    destination: Place
    via: tuple[Place, ...] = ()
    within: tuple[str, ...] | None = None
    avoid: tuple[str, ...] = ()
    path: tuple[tuple[float, float], ...] | None = None
    carrier: str | None = None
    period: Period | None = None
    confidence: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None
    line: int | None = None
    path_confidence: str | None = None
    corridor: Corridor | None = None
    assumed: tuple[str, ...] = ()

    @property
    def origin_assumed(self) -> bool:
        """Return True if the leg's start is the analyst's inference, not a source's."""
        return "from" in self.assumed

    @property
    def destination_assumed(self) -> bool:
        """Return True if the leg's end is the analyst's inference, not a source's."""
        return "to" in self.assumed


@dataclass(frozen=True)
class Transfer:
    """A reported movement of something, as a chain of legs."""

    id: str
    label: str
    confidence: str
    sources: tuple[str, ...]
    legs: tuple[Leg, ...]
    cargo: str | None = None
    quantity: Quantity | None = None
    period: Period | None = None
    note: str | None = None
    quantities: tuple[Quantity, ...] = ()

    @property
    def quantity_claims(self) -> tuple[Quantity, ...]:
        """Return every value given for the quantity: one, several that disagree, or none.

        ``quantity`` holds the one value sources agree on; when sources disagree (a list in
        the file) ``quantity`` is None and ``quantities`` holds every value, in file order, so
        that no reader picks one silently.
        """
        if self.quantity is not None:
            return (self.quantity,)
        return self.quantities

    @property
    def quantities_disagree(self) -> bool:
        """Return True if sources give different figures (value, upper end or unit)."""
        return len({(q.value, q.max, q.unit) for q in self.quantity_claims}) > 1


@dataclass(frozen=True)
class Annotation:
    """A dated callout pointing at a place."""

    id: str
    text: str
    at: Place
    confidence: str
    sources: tuple[str, ...]
    period: Period | None = None
    transfer: str | None = None


@dataclass(frozen=True)
class NetworkAddition:
    """A stretch of track or road the bundled network lacks, added by the scenario from a source.

    ``points`` are ``(lat, lon)`` in order along the line: the cited ``path`` as written, or the
    positions of the ``stations`` (then also kept, resolved, in ``stations``).
    """

    id: str
    mode: str
    name: str
    points: tuple[tuple[float, float], ...]
    sources: tuple[str, ...]
    stations: tuple[Place, ...] = ()
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Scenario:
    """A whole validated scenario, every place reference resolved.

    ``sources`` holds every source the scenario and the places it uses cite; ``places`` every
    place it uses (its own, and the gazetteer places its legs and annotations refer to).
    """

    version: int
    title: str
    sources: tuple[Source, ...]
    places: tuple[Place, ...]
    transfers: tuple[Transfer, ...]
    subtitle: str | None = None
    as_of: dt.date | None = None
    annotations: tuple[Annotation, ...] = ()
    path: str | None = None
    sha256: str | None = None
    passed_over: tuple[str, ...] = field(default=(), compare=False)
    network_additions: tuple[NetworkAddition, ...] = ()
    language: str = "en"
    """The language of the scenario's plain strings and its default output language."""
    translations: Mapping[str, Mapping[str, str]] = field(default=NO_TEXTS)
    """Text key (``title``, ``transfers.<id>.label``...) to ``{language code: text}``, for the
    texts the file gives in several languages (see :mod:`routemap.geo.languages`)."""
    observations: ObservationSpec | None = None
    """The AIS files and vessels the sea legs are held against (:mod:`routemap.geo.vessels`)."""

    @property
    def languages(self) -> tuple[str, ...]:
        """Return the scenario's language, then every other language its texts and place
        names are given in, sorted."""
        codes = {code for texts in self.translations.values() for code in texts}
        codes |= {code for place in self.places for code in place.names}
        return (self.language, *sorted(codes - {self.language}))

    def source(self, source_id: str) -> Source:
        """Return the source with this id.

        Raises
        ------
        KeyError
            If the scenario has no such source.
        """
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)

    def leg_period(self, transfer: Transfer, leg: Leg) -> Period | None:
        """Return the period that applies to a leg (its own, else its transfer's)."""
        return leg.period or transfer.period

    def leg_confidence(self, transfer: Transfer, leg: Leg) -> str:
        """Return the confidence that applies to a leg (its own, else its transfer's)."""
        return leg.confidence or transfer.confidence

    def leg_path_confidence(self, transfer: Transfer, leg: Leg) -> str:
        """Return the certainty of a leg's drawn line: its own, else the default rule.

        ``reported`` when the leg has a reported ``path`` or a ``corridor`` a source names;
        otherwise ``estimated`` (a routed leg or a great circle is a model; a sourced ``via``
        does not make a whole corridor reported).
        """
        if leg.path_confidence is not None:
            return leg.path_confidence
        return "reported" if leg.path or (leg.corridor and leg.corridor.sources) else "estimated"

    def leg_sources(self, transfer: Transfer, leg: Leg) -> tuple[str, ...]:
        """Return the sources a leg rests on, without repeats.

        The transfer's sources, then the leg's own, then those naming its corridor, then those
        its quantity figures come from.
        """
        corridor = leg.corridor.sources if leg.corridor else ()
        counts = tuple(q.source for q in transfer.quantity_claims if q.source)
        return tuple(dict.fromkeys((*transfer.sources, *leg.sources, *corridor, *counts)))
