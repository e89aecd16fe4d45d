"""What each slide shows: the overview and one view per transfer, built from a RouteSet."""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely

from routemap.geo.countries import credit_natural_earth
from routemap.geo.model import Scenario, Transfer
from routemap.maps import wording
from routemap.maps.citations import citation
from routemap.maps.language import DEFAULT_LANGUAGE, Language
from routemap.maps.records import split_leg
from routemap.maps.slides.summary import (
    in_language,
    key_name,
    legs_period,
    missing,
    period_words,
    route_summary,
    short_citation,
    short_name,
)
from routemap.maps.style import (
    CONFIDENCE_STYLES,
    PATH_STYLES,
    PLACE_STYLES,
    LegQuantity,
    WidthLegend,
    WidthScale,
    place_priority,
    width_legend,
    width_scale,
)
from routemap.routes.routeset import RouteSet

if TYPE_CHECKING:
    from routemap.maps.slides.observed_marks import ObservedMarks

__all__ = [
    "CALLOUTS_TITLE",
    "MIN_SPAN_M",
    "Callout",
    "PlaceMark",
    "RouteLine",
    "SlideSpec",
    "callouts_spec",
    "key_name",
    "overview_frame",
    "overview_spec",
    "route_summary",
    "short_citation",
    "short_name",
    "transfer_specs",
]

_COORDINATE_NAME = re.compile(r"^\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*$")
# The least ground a slide's map spans, metres; a transfer of short legs is shown closer, so
# that its legs run at least a third of the map, but never closer than _CLOSEST_SPAN_M.
MIN_SPAN_M = 120_000.0
_CLOSEST_SPAN_M = 8_000.0
_SHORT_LEG_SHARE = 3.0


@dataclass(frozen=True)
class RouteLine:
    """One leg as drawn: its style keys, width in points and lon/lat parts: ``parts`` on the
    network (drawn as the leg), ``connectors`` off it (drawn in the connector style)."""

    feature_id: str
    transfer_id: str
    mode: str
    confidence: str
    width: float
    parts: tuple[np.ndarray, ...]
    path_confidence: str
    connectors: tuple[np.ndarray, ...] = ()

    @property
    def drawn(self) -> tuple[np.ndarray, ...]:
        """Return every part drawn: the track, then the connectors."""
        return self.parts + self.connectors

    @property
    def vertices(self) -> np.ndarray:
        """Return the leg's lon/lat vertices once each, as its line has them: the track's, then
        the connectors' but for the points where they meet the track (frames are fitted on
        these, so a connector never weighs a frame twice)."""
        ends = np.array([p[i] for p in self.parts if len(p) for i in (0, -1)]).reshape(-1, 2)
        joins = [q for c in self.connectors for q in c
                 if not np.isclose(ends, q, rtol=0.0, atol=1e-6).all(axis=1).any()]
        return np.vstack([*self.parts, np.asarray(joins, dtype=float).reshape(-1, 2)])


@dataclass(frozen=True)
class PlaceMark:
    """A marked place; ``priority`` orders labels (higher gets the better spot)."""

    place_id: str
    name: str
    kind: str
    lon: float
    lat: float
    priority: float


@dataclass(frozen=True)
class Callout:
    """A numbered badge on the map, keyed in the side panel.

    ``kind`` is ``annotation`` (numbered in scenario order, the same on every slide) or
    ``transfer`` (the overview's key to the per-transfer slides, numbered like them).
    """

    number: int
    text: str
    place_id: str
    lon: float
    lat: float
    transfer_id: str | None
    period: str
    kind: str = "annotation"


@dataclass(frozen=True)
class SlideSpec:
    """Everything one slide shows, before any projection or drawing.

    ``name`` is the output stem (``slide`` or ``slides/<transfer-id>``); ``routes`` holds
    every leg, and ``focus`` the transfers drawn in full colour (all of them when empty).
    ``extent`` holds the lon/lat points the map must show, and ``min_span_m`` the least
    width of ground it spans (less for a transfer whose legs are short, so they show).
    ``more`` counts the callouts the panel has no room for, continued ``more_where``;
    ``endpoints`` holds the place ids where the featured legs start and end (always labelled);
    ``language`` is the code of the language its furniture is written in (a code, not a
    :class:`Language`, so the spec pickles to worker processes).
    """

    name: str
    title: str
    subtitle: str
    as_of: str
    kicker: str
    routes: tuple[RouteLine, ...]
    focus: frozenset[str]
    places: tuple[PlaceMark, ...]
    callouts: tuple[Callout, ...]
    callout_title: str
    extent: np.ndarray
    sources: tuple[str, ...]
    citations: tuple[str, ...]
    attributions: tuple[str, ...]
    widths: WidthLegend = field(default_factory=WidthLegend)
    min_span_m: float = MIN_SPAN_M
    endpoints: tuple[str, ...] = ()
    more: int = 0
    more_where: str = ""
    language: str = DEFAULT_LANGUAGE
    observed: ObservedMarks | None = None
    """The observed layer (AIS) of a transfer slide whose leg has a verdict (slides/observed.py)."""
    more_text: str = ""
    """The line ending the key in place of "+N more", already in the slide's language (an
    aggregated overview's: 'and 41 more corridors, with legs of 312 transfers')."""
    corridors: tuple[tuple[str, ...], ...] = ()
    """An aggregated overview's corridors, busiest first: the transfers with a leg on each (so
    a key cut shorter still counts what it leaves out; see slides/aggregate.py)."""

    def is_focus(self, route: RouteLine) -> bool:
        """Return True if the route is drawn in full colour on this slide."""
        return not self.focus or route.transfer_id in self.focus


def _as_list(value: object) -> list:
    if missing(value):
        return []
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value]


_QUANTITY_CELLS = ("transfer_id", "mode", "quantity_value", "quantity_max", "quantity_unit",
                   "quantity_basis", "quantity_window_start", "quantity_window_end",
                   "quantities_disagree")


def _leg_quantities(legs: pd.DataFrame) -> list[LegQuantity]:
    """Return what the width rule needs from each leg (missing cells become None)."""
    cells = [c for c in _QUANTITY_CELLS if c in legs]
    rows = zip(*(legs[c] for c in cells), strict=True)
    return [LegQuantity.from_properties(dict(zip(cells, row, strict=True))) for row in rows]


def _width_legend(legs: pd.DataFrame, all_legs: pd.DataFrame, lang: Language, *,
                  scale: WidthScale | None = None) -> WidthLegend:
    """Return the line-width legend for ``legs``, on the scale of ``all_legs`` (``scale``
    when already known), in ``lang``."""
    if scale is None:
        scale = width_scale(_leg_quantities(all_legs))
    return width_legend(scale, _leg_quantities(legs), language=lang)


def _route_lines(routeset: RouteSet) -> tuple[RouteLine, ...]:
    """Return every leg as a route line; the same tuple again for the same route set and legs
    (the overview, the transfer slides and each callouts slide all draw every line)."""
    last = _LAST_LINES.get("last")
    if last is not None and last[0]() is routeset and last[1]() is routeset.legs:
        return last[2]
    lines = _make_route_lines(routeset)
    _LAST_LINES["last"] = (weakref.ref(routeset), weakref.ref(routeset.legs), lines)
    return lines


#: The last route set (held weakly, with its legs frame) :func:`_route_lines` was asked for,
#: and its lines.
_LAST_LINES: dict[str, tuple[weakref.ref, weakref.ref, tuple[RouteLine, ...]]] = {}


def _make_route_lines(routeset: RouteSet) -> tuple[RouteLine, ...]:
    legs = routeset.legs
    scale = width_scale(_leg_quantities(legs))
    out = []
    for row, amount in zip(legs.itertuples(index=False), _leg_quantities(legs), strict=True):
        conf = row.confidence if row.confidence in CONFIDENCE_STYLES else "estimated"
        track, joins = split_leg(row.geometry, getattr(row, "connectors", None))
        parts = () if track is None else tuple(np.asarray(p.coords, dtype=float)[:, :2]
                                               for p in shapely.get_parts(track) if not p.is_empty)
        # A path of unknown certainty is drawn as modelled: never as surer than it is.
        path = row.path_confidence if row.path_confidence in PATH_STYLES else "estimated"
        out.append(RouteLine(str(row.feature_id), str(row.transfer_id), amount.mode, conf,
                             scale.width(amount.mode, amount.value, amount.unit), parts, path,
                             tuple(np.asarray(j.coords, dtype=float) for j in joins)))
    return tuple(out)


def _place_marks(routeset: RouteSet, ids: Iterable[str] | None = None, *,
                 short: bool = False) -> tuple[PlaceMark, ...]:
    """Return the places to mark; waypoints named only by coordinates are left out."""
    wanted = None if ids is None else set(ids)
    out = []
    for place_id, name, kind, x, y, ends in _place_rows(routeset):
        if wanted is not None and place_id not in wanted:
            continue
        if _COORDINATE_NAME.match(name):
            continue
        kind = kind if kind in PLACE_STYLES else "other"
        priority = place_priority(kind, ends)
        out.append(PlaceMark(str(place_id), short_name(name) if short else name, kind, x, y,
                             priority))
    return tuple(out)


def _place_rows(routeset: RouteSet) -> tuple[tuple[Any, str, Any, float, float, int], ...]:
    """Return each place as (id, name, kind, lon, lat, legs ending there), in the places' order;
    the same tuple again for the same route set, places and legs (the overview, every transfer
    slide and each callouts slide mark places)."""
    last = _LAST_PLACES.get("last")
    if (last is not None and last[0]() is routeset and last[1]() is routeset.places
            and last[2]() is routeset.legs):
        return last[3]
    legs = routeset.legs
    ends = pd.concat([legs["from_id"], legs["to_id"]]).value_counts()
    rows = tuple((row.place_id, str(row.name), row.kind, float(row.geometry.x),
                  float(row.geometry.y), int(ends.get(row.place_id, 0)))
                 for row in routeset.places.itertuples(index=False))
    _LAST_PLACES["last"] = (weakref.ref(routeset), weakref.ref(routeset.places),
                            weakref.ref(routeset.legs), rows)
    return rows


#: The last route set (weakly, with its places and legs) :func:`_place_rows` was asked for, and its rows.
_LAST_PLACES: dict[str, tuple[weakref.ref, weakref.ref, weakref.ref, tuple]] = {}


def _callouts(routeset: RouteSet, language: Language | None = None) -> tuple[Callout, ...]:
    out = []
    for number, row in enumerate(routeset.annotations.itertuples(index=False), start=1):
        transfer = None if missing(row.transfer_id) else str(row.transfer_id)
        out.append(Callout(number, str(row.text), str(row.place_id),
                           float(row.geometry.x), float(row.geometry.y), transfer,
                           period_words(row.period_start, row.period_end, language)))
    return tuple(out)


def _transfer_badges(routeset: RouteSet, language: Language | None = None) -> tuple[Callout, ...]:
    """Return one badge per transfer, at the middle of its longest leg."""
    out = []
    groups = _legs_by_transfer(routeset.legs)
    for number, transfer in enumerate(routeset.scenario.transfers, start=1):
        mine = groups.get(transfer.id)
        if mine is None:
            continue
        longest = max(mine.geometry, key=lambda g: g.length)
        parts = sorted(shapely.get_parts(longest), key=lambda g: -g.length)
        mid = parts[0].interpolate(0.5, normalized=True)
        out.append(Callout(number, route_summary(mine, language=language), "", float(mid.x),
                           float(mid.y), transfer.id, legs_period(mine, language),
                           kind="transfer"))
    return tuple(out)


def _legs_by_transfer(legs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Return each transfer's legs, in their order (one pass over the frame, not one per transfer)."""
    return {str(k): v for k, v in legs.groupby("transfer_id", sort=False)}


def _source_ids(frames: Iterable[pd.DataFrame]) -> list[str]:
    ids: dict[str, None] = {}
    for frame in frames:
        for value in frame["sources"]:
            ids.update(dict.fromkeys(str(v) for v in _as_list(value)))
    return list(ids)


def _sources(scenario: Scenario, ids: Iterable[str], language: Language | None = None
             ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    known = {s.id: s for s in scenario.sources}
    found = [known[i] for i in ids if i in known]
    short = tuple(dict.fromkeys(short_citation(s, language=language) for s in found))
    return short, tuple(citation(s, language=language) for s in found)


def _attributions(lines: Iterable[object]) -> tuple[str, ...]:
    return credit_natural_earth(str(v) for v in lines if not missing(v) and str(v))


def _extent(routes: Iterable[RouteLine], places: Iterable[PlaceMark]) -> np.ndarray:
    pts = [r.vertices for r in routes]
    pts.append(np.array([[p.lon, p.lat] for p in places]).reshape(-1, 2))
    return np.concatenate(pts) if pts else np.zeros((0, 2))


def _as_of(scenario: Scenario, language: Language | None = None) -> str:
    return wording.as_of(scenario.as_of, language=language) or ""


def overview_spec(routeset: RouteSet, *, language: Language | None = None) -> SlideSpec:
    """Return the overview slide: every transfer, place and callout of the scenario.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in the slide's language.
    language : Language, optional
        The language of the slide's furniture, dates and numbers (None: English).

    Returns
    -------
    SlideSpec
    """
    lang = in_language(language)
    routes = _route_lines(routeset)
    places = _place_marks(routeset, short=True)
    return replace(
        overview_frame(routeset, routes, places, language=lang),
        callouts=_transfer_badges(routeset, language),
        callout_title=lang.gettext("Transfers (one slide each)"),
        widths=_width_legend(routeset.legs, routeset.legs, lang),
        endpoints=_transfer_ends(routeset),
    )


def overview_frame(routeset: RouteSet, routes: tuple[RouteLine, ...],
                   places: tuple[PlaceMark, ...], *, language: Language | None = None
                   ) -> SlideSpec:
    """Return an overview of ``routes`` and ``places``: the scenario's title, date, sources
    and credits, the map fitted to them, nothing keyed yet (every overview starts here).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in the slide's language.
    routes : tuple of RouteLine
        The lines the overview draws (every leg, or bundles of them).
    places : tuple of PlaceMark
        The places it marks.
    language : Language, optional
        The language of the slide's furniture (None: English).

    Returns
    -------
    SlideSpec
    """
    scenario = routeset.scenario
    lang = in_language(language)
    short, full = _sources(scenario, _source_ids(
        [routeset.legs, routeset.places, routeset.annotations]), lang)
    return SlideSpec(
        name="slide", title=scenario.title, subtitle=scenario.subtitle or "",
        as_of=_as_of(scenario, lang), kicker=_overview_kicker(routeset, lang),
        routes=routes, focus=frozenset(), places=places, callouts=(), callout_title="",
        extent=_extent(routes, places), sources=short, citations=full,
        attributions=_attributions([*routeset.attributions, *routeset.legs["attribution"]]),
        language=lang.code,
    )


def _transfer_ends(routeset: RouteSet) -> tuple[str, ...]:
    """Return where each transfer starts and ends (its first leg's origin, last leg's end)."""
    groups = _legs_by_transfer(routeset.legs)
    ends: list[str] = []
    for transfer in routeset.scenario.transfers:
        mine = groups.get(transfer.id)
        if mine is not None and len(mine):
            ends += [str(mine["from_id"].iloc[0]), str(mine["to_id"].iloc[-1])]
    return tuple(dict.fromkeys(ends))


def _overview_kicker(routeset: RouteSet, language: Language) -> str:
    """Return the overview's kicker: how many transfers, without grading them (some are
    estimated or only claimed, so 'reported' would say more than the sources)."""
    n = len(routeset.scenario.transfers)
    return language.ngettext("{count} transfer", "{count} transfers", n).format(
        count=language.number(n))


def transfer_specs(routeset: RouteSet, *, language: Language | None = None) -> list[SlideSpec]:
    """Return one slide per transfer, zoomed to its legs, other transfers greyed.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in the slides' language.
    language : Language, optional
        The language of the slides' furniture, dates and numbers (None: English).

    Returns
    -------
    list of SlideSpec
    """
    scenario = routeset.scenario
    lang = in_language(language)
    shared = _Shared(_route_lines(routeset), _callouts(routeset, language),
                     width_scale(_leg_quantities(routeset.legs)),
                     _attributions([*routeset.attributions, *routeset.legs["attribution"]]),
                     _legs_by_transfer(routeset.legs), _place_marks(routeset))
    return [_transfer_spec(routeset, shared, transfer, number, lang)
            for number, transfer in enumerate(scenario.transfers, start=1)]


@dataclass(frozen=True)
class _Shared:
    """What every transfer slide of a scenario shares, computed once for all of them."""

    routes: tuple[RouteLine, ...]
    callouts: tuple[Callout, ...]
    scale: WidthScale
    attributions: tuple[str, ...]
    legs: dict[str, pd.DataFrame]
    places: tuple[PlaceMark, ...]


def _transfer_spec(routeset: RouteSet, shared: _Shared, transfer: Transfer, number: int,
                   lang: Language) -> SlideSpec:
    scenario = routeset.scenario
    transfer_id = transfer.id
    routes, callouts = shared.routes, shared.callouts
    legs = shared.legs.get(transfer_id, routeset.legs.iloc[:0])
    ids = list(dict.fromkeys([*legs["from_id"], *legs["to_id"],
                              *(v for vs in legs["via_ids"] for v in _as_list(vs))]))
    wanted = set(ids)
    places = tuple(p for p in shared.places if p.place_id in wanted)
    own = tuple(c for c in callouts if c.transfer_id == transfer_id
                or (c.transfer_id is None and c.place_id in ids))
    notes = routeset.annotations[routeset.annotations["annotation_id"].isin(
        [routeset.annotations["annotation_id"].iloc[c.number - 1] for c in own])]
    short, full = _sources(scenario, _source_ids(
        [legs, routeset.places[routeset.places["place_id"].isin(ids)], notes]), lang)
    mine = tuple(r for r in routes if r.transfer_id == transfer_id)
    return SlideSpec(
        name=f"slides/{transfer_id}", title=transfer.label,
        subtitle=_transfer_subtitle(legs, transfer.cargo, lang), as_of=_as_of(scenario, lang),
        kicker=lang.gettext("Transfer {number} of {count}").format(
            number=lang.number(number), count=lang.number(len(scenario.transfers))),
        routes=routes, focus=frozenset({transfer_id}), places=places, callouts=own,
        callout_title=lang.gettext("Callouts"),
        extent=_extent(mine, places), sources=short, citations=full,
        attributions=shared.attributions,
        widths=_width_legend(legs, routeset.legs, lang, scale=shared.scale),
        min_span_m=_span_for(mine),
        endpoints=tuple(dict.fromkeys(str(v) for v in [*legs["from_id"], *legs["to_id"]])),
        language=lang.code,
    )


def _span_for(routes: Iterable[RouteLine]) -> float:
    """Return the least map span that shows a transfer's legs: MIN_SPAN_M, or closer when
    all its legs are short (a 4.5 km bridge crossing must not vanish under its markers)."""
    pts = [r.vertices for r in routes if len(r.vertices)]
    if not pts:
        return MIN_SPAN_M
    xy = np.concatenate(pts)
    lat = np.radians(float(np.mean(xy[:, 1])))
    dx = float(np.ptp(xy[:, 0])) * 111_320.0 * math.cos(lat)
    dy = float(np.ptp(xy[:, 1])) * 110_574.0
    return float(min(MIN_SPAN_M, max(_CLOSEST_SPAN_M, _SHORT_LEG_SHARE * math.hypot(dx, dy))))


def _transfer_subtitle(legs: pd.DataFrame, cargo: str | None, language: Language) -> str:
    first = legs.iloc[0] if len(legs) else None
    bits = [cargo or ""]
    if first is not None:
        bits.append(wording.quantity_summary(first, language=language) or "")
        bits.append(legs_period(legs, language))
        confs = list(dict.fromkeys(legs["confidence"]))
        levels = ", ".join(wording.confidence(c, language=language) or c
                           for c in confs if c in CONFIDENCE_STYLES)
        bits.append(language.gettext("Confidence: {levels}").format(levels=levels))
    return " \u00b7 ".join(b for b in bits if b)


#: The title of the slides that key the callouts no transfer slide has (room) for.
CALLOUTS_TITLE = "Other reported events"


def callouts_spec(routeset: RouteSet, shown: Iterable[SlideSpec], *,
                  capacity: Callable[[SlideSpec], int] | None = None,
                  language: Language | None = None) -> list[SlideSpec]:
    """Return maps of the callouts no transfer slide keys, as many as they need.

    These are the events tied to no one transfer (e.g. strikes on depots) and those a
    transfer slide has no room for. Every route is drawn as muted context; each map is
    fitted to its callouts' places. Empty when every callout is on a transfer slide.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    shown : iterable of SlideSpec
        The transfer slides, with the callouts each keys.
    capacity : callable, optional
        How many of a slide's callouts its panel keys (see
        :func:`routemap.maps.slides.compose.panel_capacity`); what does not fit is continued
        on the next slide, which the panel's "+N more" names. Default: all on one slide.
    language : Language, optional
        The language of the slides' furniture, dates and numbers (None: English).

    Returns
    -------
    list of SlideSpec
        Named ``slides/callouts``, ``slides/callouts-2``...
    """
    seen = {c.number for spec in shown for c in spec.callouts}
    lang = in_language(language)
    rest = [c for c in _callouts(routeset, language) if c.number not in seen]
    names = {t.id for t in routeset.scenario.transfers}
    base = next(n for n in ("callouts", "callouts-other", "callouts-more") if n not in names)
    out: list[SlideSpec] = []
    while rest:
        name = f"slides/{base}" if not out else f"slides/{base}-{len(out) + 1}"
        spec = _callouts_map(routeset, tuple(rest), name, len(out) + 1, lang)
        fits = len(rest) if capacity is None else max(1, min(capacity(spec), len(rest)))
        if fits < len(rest):
            spec = replace(_callouts_map(routeset, tuple(rest[:fits]), name, len(out) + 1, lang),
                           more=len(rest) - fits, more_where=lang.gettext("on the next slide"))
        out.append(spec)
        rest = rest[fits:]
    return out


def _callouts_map(routeset: RouteSet, own: tuple[Callout, ...], name: str,
                  part: int, lang: Language) -> SlideSpec:
    """Return a map keying ``own``, the ``part``-th of the callouts slides."""
    scenario = routeset.scenario
    ids = list(dict.fromkeys(c.place_id for c in own))
    places = _place_marks(routeset, ids, short=True)
    notes = routeset.annotations.iloc[[c.number - 1 for c in own]]
    short, full = _sources(scenario, _source_ids(
        [notes, routeset.places[routeset.places["place_id"].isin(ids)]]), lang)
    n = len(own)
    title = lang.gettext(CALLOUTS_TITLE)
    if part > 1:
        title = lang.gettext("{title} (continued, {part})").format(title=title,
                                                                   part=lang.number(part))
    return SlideSpec(
        name=name, title=title,
        subtitle=lang.ngettext(
            "{count} numbered callout: events tied to no one transfer, and those the transfer "
            "slides have no room for, each keyed with its date; all transfers in grey for context",
            "{count} numbered callouts: events tied to no one transfer, and those the transfer "
            "slides have no room for, each keyed with its date; all transfers in grey for context",
            n).format(count=lang.number(n)),
        as_of=_as_of(scenario, lang), kicker=lang.gettext("Callouts"),
        routes=_route_lines(routeset), focus=frozenset({""}), places=places, callouts=own,
        callout_title=lang.gettext("Callouts"),
        # Fitted to the callouts themselves: a callout may point at bare coordinates,
        # which get no place marker.
        extent=np.array([[c.lon, c.lat] for c in own]).reshape(-1, 2),
        sources=short, citations=full,
        attributions=_attributions([*routeset.attributions, *routeset.legs["attribution"]]),
        language=lang.code,
    )
