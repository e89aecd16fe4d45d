"""The overview at scale: transfers bundled by corridor, widths by count, the busiest keyed.

Beyond :data:`AGGREGATE_ABOVE` transfers the overview stops drawing every leg (a tangle of
hundreds of overlapping lines and badges) and draws one line per corridor: the legs that run
between the same two places by the same mode along the same line, with the same ends assumed.
Its width grows with how many transfers of the scenario use it (a count of transfers, never a
quantity moved: the scenario's quantities are in units that do not add up), and it is drawn as
sure as its least sure leg: a bundle of forty confirmed legs and one estimated one is drawn
estimated, its key row saying how many of each (the map never says more than its weakest
source). The busiest corridors are numbered and keyed; the others are counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import shapely

from routemap.geo.model import CONFIDENCES
from routemap.maps import wording
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.records import split_leg
from routemap.maps.slides.canvas import setup_canvas
from routemap.maps.slides.corridor_badges import BadgeLayout, display_lines, marker_boxes
from routemap.maps.slides.spec import (
    Callout,
    PlaceMark,
    RouteLine,
    SlideSpec,
    key_name,
    overview_frame,
    overview_spec,
    short_name,
)
from routemap.maps.style import (
    CONFIDENCE_STYLES,
    MODE_STYLES,
    PATH_STYLES,
    PLACE_STYLES,
    WidthLegend,
    line_width,
)
from routemap.routes.routeset import RouteSet

__all__ = [
    "AGGREGATE_ABOVE",
    "KEYED_CORRIDORS",
    "Corridor",
    "DeckSection",
    "aggregated_overview",
    "corridors",
    "cut_key",
    "deck_sections",
    "overview",
    "rest_text",
]

AGGREGATE_ABOVE = 30
"""The most transfers the overview draws one by one. Each is a numbered badge on the map and a
row in the key: thirty badges of 15 points already cover a good part of a 1920 x 1080 map's
lines, and a key of thirty rows holds only its first dozen at a legible size (the bundled
scenario's twelve fit, with the legend); past this, the overview bundles by corridor."""
KEYED_CORRIDORS = 20
"""The most corridors the overview numbers (as many as its key has room for are keyed)."""
_TRIED_CORRIDORS = 3 * KEYED_CORRIDORS
"""The busiest corridors tried for a badge: one that finds no place under the badges' rule
(:mod:`routemap.maps.slides.corridor_badges`) gives its rank to the next busiest that does."""
_LAYOUT_SIZE, _LAYOUT_DPI = (1920, 1080), 150.0
"""The slide the badges are laid out on to choose the keyed corridors (the layout is in points,
so it holds at any width of the same shape)."""
_PATH_ORDER = ("reported", "estimated")


@dataclass(frozen=True)
class Corridor:
    """Legs bundled on the overview: one line between two places by one mode.

    ``transfers`` are the ids of the transfers with a leg on it (in scenario order),
    ``confidences`` how many legs at each confidence (surest first) and ``confidence`` the
    least sure of them, ``path_confidence`` likewise for the line itself.
    """

    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    transfers: tuple[str, ...]
    confidences: tuple[tuple[str, int], ...]
    confidence: str
    path_confidence: str
    parts: tuple[np.ndarray, ...]
    connectors: tuple[np.ndarray, ...]
    first: str | None
    last: str | None
    origin_assumed: bool = False
    destination_assumed: bool = False

    @property
    def count(self) -> int:
        """Return how many transfers use the corridor."""
        return len(self.transfers)


def _weakest(values: Sequence[str], order: Sequence[str]) -> str:
    """Return the least sure of ``values`` (``order`` lists surest first; unknown is weakest)."""
    rank = {v: i for i, v in enumerate(order)}
    return max(values, key=lambda v: rank.get(v, len(order)))


def _dates(values: Sequence[object]) -> list[str]:
    return sorted(str(v)[:10] for v in values if isinstance(v, str) and v)


_COLUMNS = ("from_id", "to_id", "from_name", "to_name", "mode", "transfer_id", "confidence",
            "path_confidence", "period_start", "period_end", "origin_assumed",
            "destination_assumed", "connectors", "geometry")


def corridors(legs: pd.DataFrame) -> list[Corridor]:
    """Return the legs bundled into corridors, busiest first (ties in order of first use).

    Legs share a corridor when they run between the same two places, by the same mode,
    along the same line (the same geometry) and with the same ends assumed.

    Parameters
    ----------
    legs : DataFrame
        A route set's legs (``routemap.routes.schema`` columns).

    Returns
    -------
    list of Corridor
    """
    rows = [dict(zip(_COLUMNS, values, strict=True)) for values in zip(
        *(legs[c] if c in legs else [None] * len(legs) for c in _COLUMNS), strict=True)]
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (str(row["from_id"]), str(row["to_id"]), str(row["mode"]),
               bool(row["origin_assumed"]), bool(row["destination_assumed"]),
               b"" if row["geometry"] is None else row["geometry"].wkb)
        groups.setdefault(key, []).append(row)
    out = [_corridor(members) for members in groups.values()]
    order = sorted(range(len(out)), key=lambda i: (-out[i].count, i))
    return [out[i] for i in order]


def _corridor(legs: list[dict]) -> Corridor:
    first = legs[0]
    confs = [c if c in CONFIDENCE_STYLES else "estimated" for c in (r["confidence"] for r in legs)]
    paths = [p if p in PATH_STYLES else "estimated" for p in (r["path_confidence"] for r in legs)]
    counts = Counter(confs)
    track, joins = split_leg(first["geometry"], first["connectors"])
    parts = () if track is None else tuple(np.asarray(p.coords, dtype=float)[:, :2]
                                           for p in shapely.get_parts(track) if not p.is_empty)
    starts = _dates([r["period_start"] for r in legs])
    ends = _dates([r["period_end"] for r in legs])
    return Corridor(
        str(first["from_id"]), str(first["to_id"]), str(first["from_name"]),
        str(first["to_name"]), str(first["mode"]),
        tuple(dict.fromkeys(str(r["transfer_id"]) for r in legs)),
        tuple((c, counts[c]) for c in CONFIDENCES if counts[c]), _weakest(confs, CONFIDENCES),
        _weakest(paths, _PATH_ORDER), parts,
        tuple(np.asarray(j.coords, dtype=float) for j in joins),
        starts[0] if starts else None, (ends or starts or [None])[-1],
        bool(first["origin_assumed"]), bool(first["destination_assumed"]))


def _width(corridor: Corridor, top: int) -> float:
    """Return a corridor's width: its mode's, thicker with its count (the quantity rule's
    square-root growth, up to three times the base width, applied to counts)."""
    mode = corridor.mode if corridor.mode in MODE_STYLES else "road"
    return line_width(mode, float(corridor.count), float(top))


def _route_lines(bundles: Sequence[Corridor], numbers: Sequence[int] | None = None
                 ) -> tuple[RouteLine, ...]:
    """Return one line per corridor, in the given (drawing) order; ``numbers`` are their ids
    (``corridor:<n>``, by default their rank: the keyed ones share their badge's number)."""
    top = max((c.count for c in bundles), default=1)
    ids = range(1, len(bundles) + 1) if numbers is None else numbers
    return tuple(RouteLine(f"corridor:{n}", "", c.mode if c.mode in MODE_STYLES else "road",
                           c.confidence, _width(c, top), c.parts, c.path_confidence,
                           c.connectors)
                 for n, c in zip(ids, bundles, strict=True))


def _placeable(base: SlideSpec, bundles: Sequence[Corridor]
               ) -> list[tuple[int, tuple[float, float]]]:
    """Return the corridors keyed (index in ``bundles``, busiest first) with their badge's
    anchor (lon, lat): the busiest whose badge can be placed by the badges' rule, at most
    :data:`KEYED_CORRIDORS`, among the :data:`_TRIED_CORRIDORS` busiest."""
    canvas = setup_canvas(base, _LAYOUT_SIZE, _LAYOUT_DPI, {})
    tried = range(min(len(bundles), _TRIED_CORRIDORS))
    lines = display_lines(canvas, {i: bundles[i].parts for i in tried})
    layout = BadgeLayout(canvas, marker_boxes(canvas, base))
    out = []
    for i in tried:
        p = layout.place(f"corridor:{i}", lines[i])
        if p is None:
            continue
        x, y = canvas.to_data(*p.anchor)
        lon, lat = canvas.frame.inverse(np.array([x]), np.array([y]))
        out.append((i, (float(lon[0]), float(lat[0]))))
        if len(out) == KEYED_CORRIDORS:
            break
    return out


def _transfers_word(count: int, lang: Language) -> str:
    return lang.ngettext("{count} transfer", "{count} transfers", count).format(
        count=lang.number(count))


def _width_legend(bundles: Sequence[Corridor], lang: Language) -> WidthLegend:
    """Return the width legend: the busiest corridor's count and the least busy one's."""
    counts = sorted({c.count for c in bundles}, reverse=True)
    if not counts:
        return WidthLegend()
    mode = Counter(c.mode for c in bundles).most_common(1)[0][0]
    mode = mode if mode in MODE_STYLES else "road"
    picks = list(dict.fromkeys([counts[0], counts[len(counts) // 2], counts[-1]]))
    rows = tuple((line_width(mode, float(n), float(counts[0])), _transfers_word(n, lang))
                 for n in picks)
    return WidthLegend(rows, (), title=lang.gettext(
        "Line width: transfers using the corridor (a count, not a quantity)"))


def _key_text(corridor: Corridor, lang: Language, *, mix: bool = True) -> str:
    """Return a corridor's row: 'Rajin → Vostochny · sea · 42 transfers', and with ``mix``
    how many legs at each confidence (': confirmed: 30, reported: 12'), the line being drawn
    at the least sure of them."""
    chain = wording.leg_chain([(key_name(corridor.from_name, lang), key_name(corridor.to_name, lang),
                                corridor.origin_assumed, corridor.destination_assumed)],
                              language=lang)
    style = MODE_STYLES.get(corridor.mode)
    mode = corridor.mode if style is None else lang.noun(lang.gettext(style.label))
    route = f"{chain} \u00b7 {mode} \u00b7 {_transfers_word(corridor.count, lang)}"
    if not mix:
        return route
    levels = ", ".join(
        lang.gettext("{level}: {count}").format(
            count=lang.number(n), level=(wording.confidence(c, language=lang) or c).lower())
        for c, n in corridor.confidences)
    return lang.gettext("{route}: {levels}").format(route=route, levels=levels)


def _badge(corridor: Corridor, number: int, anchor: tuple[float, float],
           lang: Language) -> Callout:
    """Return a corridor's numbered badge, anchored at ``anchor`` (lon, lat) on its line."""
    # the panel's row is one line (the route, its mode, its count), so that the busiest
    # several are keyed beside the legend; the year dividers of the deck give the mix
    return Callout(number, _key_text(corridor, lang, mix=False), "", anchor[0], anchor[1],
                   None, "", kind="corridor")


def _places(routeset: RouteSet, bundles: Sequence[Corridor]) -> tuple[PlaceMark, ...]:
    """Return the places at the corridors' ends, the busiest labelled first (after the badges:
    their priority stays under :data:`routemap.maps.slides.canvas`'s badge priority)."""
    through: Counter[str] = Counter()
    for c in bundles:
        through[c.from_id] += c.count
        through[c.to_id] += c.count
    out = []
    for row in routeset.places.itertuples(index=False):
        if row.place_id not in through:
            continue
        kind = row.kind if row.kind in PLACE_STYLES else "other"
        # busier places first, but all after the keyed corridors' badges (a badge the key
        # lists must find its place on the map before names do)
        priority = PLACE_STYLES[kind].rank + min(float(np.log2(1 + through[row.place_id])), 5.0)
        out.append(PlaceMark(str(row.place_id), short_name(str(row.name)), kind,
                             float(row.geometry.x), float(row.geometry.y), priority))
    return tuple(out)


def aggregated_overview(routeset: RouteSet, *, language: Language | None = None) -> SlideSpec:
    """Return the overview with its transfers bundled by corridor (see the module's note).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts in the slide's language.
    language : Language, optional
        The language of the slide's furniture (None: English).

    Returns
    -------
    SlideSpec
        One route per corridor (busiest drawn first, under the others), the busiest
        :data:`KEYED_CORRIDORS` whose badge can sit on or beside its own line
        (:mod:`routemap.maps.slides.corridor_badges`) as numbered callouts of kind
        ``corridor`` (callout n keys route ``corridor:n``); ``corridors`` lists the keyed
        ones first, then the others busiest first; ``more_text`` counts the rest.
    """
    lang = load_language(DEFAULT_LANGUAGE) if language is None else language
    bundles = corridors(routeset.legs)
    base = overview_frame(routeset, _route_lines(bundles), _places(routeset, bundles),
                          language=lang)
    chosen = _placeable(base, bundles)
    order = [i for i, _ in chosen] + [i for i in range(len(bundles))
                                      if i not in {j for j, _ in chosen}]
    number = {i: n for n, i in enumerate(order, start=1)}
    routes = _route_lines(bundles, [number[i] for i in range(len(bundles))])
    keyed = tuple(_badge(bundles[i], n, anchor, lang)
                  for n, (i, anchor) in enumerate(chosen, start=1))
    bundles = [bundles[i] for i in order]
    n = len(routeset.scenario.transfers)
    note = lang.gettext("one line per corridor, drawn as sure as its least sure leg")
    return replace(
        base, routes=routes, kicker=lang.ngettext("{count} transfer, bundled by corridor",
                                   "{count} transfers, bundled by corridor", n).format(
            count=lang.number(n)),
        subtitle=" \u00b7 ".join(t for t in (base.subtitle, note) if t),
        callouts=keyed,
        callout_title=lang.gettext("Busiest corridors"),
        widths=_width_legend(bundles, lang),
        endpoints=tuple(dict.fromkeys(p for c in bundles[:3] for p in (c.from_id, c.to_id))),
        corridors=tuple(c.transfers for c in bundles),
        more_text=rest_text([c.transfers for c in bundles[len(keyed):]], lang))


def rest_text(rest: Sequence[Sequence[str]], lang: Language) -> str:
    """Return the line counting the corridors a key leaves out, given the transfers on each:
    'and 41 more corridors, with legs of 312 transfers' (every transfer with a leg on one of
    them, whether or not it also has a leg on a keyed one); '' when none is left out."""
    if not rest:
        return ""
    transfers = len({t for ids in rest for t in ids})
    lines = lang.ngettext("{count} more corridor", "{count} more corridors", len(rest)).format(
        count=lang.number(len(rest)))
    return lang.ngettext("and {corridors}, with legs of {count} transfer",
                         "and {corridors}, with legs of {count} transfers", transfers).format(
        corridors=lines, count=lang.number(transfers))


def cut_key(spec: SlideSpec, fits: int, where: str, *,
            language: Language | None = None) -> SlideSpec:
    """Return a slide keying only its first ``fits`` callouts, the rest counted.

    Transfers and callouts are counted as "+N more ``where``"; corridors (an aggregated
    overview's) by the corridors and transfers they leave out.

    Parameters
    ----------
    spec : SlideSpec
        The slide, keying every callout it should.
    fits : int
        How many its panel has room for.
    where : str
        Where the others are (for transfers and callouts), in the slide's language.
    language : Language, optional
        The slide's language (None: the spec's).

    Returns
    -------
    SlideSpec
    """
    if fits >= len(spec.callouts):
        return spec
    lang = load_language(spec.language) if language is None else language
    if not any(c.kind == "corridor" for c in spec.callouts):
        return replace(spec, callouts=spec.callouts[:fits], more=len(spec.callouts) - fits,
                       more_where=where)
    return replace(spec, callouts=spec.callouts[:fits],
                   more_text=rest_text(spec.corridors[fits:], lang))


def overview(routeset: RouteSet, *, language: Language | None = None,
             aggregate: bool | None = None) -> SlideSpec:
    """Return the overview slide: every transfer, or (beyond :data:`AGGREGATE_ABOVE` of them,
    or when ``aggregate`` says so) the transfers bundled by corridor.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts in the slide's language.
    language : Language, optional
        The language of the slide's furniture (None: English).
    aggregate : bool, optional
        Bundle by corridor (True), never (False), or beyond :data:`AGGREGATE_ABOVE`
        transfers (None).

    Returns
    -------
    SlideSpec
    """
    if aggregate is None:
        aggregate = len(routeset.scenario.transfers) > AGGREGATE_ABOVE
    if aggregate:
        return aggregated_overview(routeset, language=language)
    return overview_spec(routeset, language=language)


@dataclass(frozen=True)
class DeckSection:
    """A run of the deck's map slides, opened by a divider slide when ``title`` is given.

    ``lines`` are the divider's text (and its notes); ``specs`` the map slides that follow it.
    """

    title: str
    lines: tuple[str, ...]
    specs: tuple[SlideSpec, ...]


def deck_sections(routeset: RouteSet, specs: Sequence[SlideSpec], *,
                  language: Language | None = None) -> list[DeckSection]:
    """Return the deck's map slides after the overview, grouped as the deck shows them.

    Up to :data:`AGGREGATE_ABOVE` transfers, one section without a divider: the slides in
    their order. Beyond, an index slide (the transfers by year, each year's count), then per
    year of the transfers' first leg a divider (its count, its first and last dates, its
    busiest corridors) and that year's transfer slides in scenario order; undated transfers
    last; then the other slides (the callouts maps) without a divider.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    specs : sequence of SlideSpec
        The slides in deck order, the overview first (:func:`.compose.slide_specs`).
    language : Language, optional
        The deck's language (None: English).

    Returns
    -------
    list of DeckSection
    """
    lang = load_language(DEFAULT_LANGUAGE) if language is None else language
    rest = tuple(specs[1:])
    if len(routeset.scenario.transfers) <= AGGREGATE_ABOVE:
        return [DeckSection("", (), rest)]
    years = _years(routeset.legs)
    groups: dict[str, list[SlideSpec]] = {}
    others = []
    for spec in rest:
        transfer = next(iter(spec.focus), "") if len(spec.focus) == 1 else ""
        if transfer in years:
            groups.setdefault(years[transfer], []).append(spec)
        else:
            others.append(spec)
    undated = lang.gettext("Undated")
    order = sorted(groups, key=lambda y: (y == "", y))
    index = tuple(lang.gettext("{year}: {transfers}").format(
        year=y or undated, transfers=_transfers_word(len(groups[y]), lang)) for y in order)
    out = [DeckSection(lang.gettext("Transfers by year"), index, ())]
    for year in order:
        mine = [next(iter(s.focus)) for s in groups[year]]
        out.append(DeckSection(year or undated, _year_lines(routeset.legs, mine, lang),
                               tuple(groups[year])))
    if others:
        out.append(DeckSection("", (), tuple(others)))
    return out


def _years(legs: pd.DataFrame) -> dict[str, str]:
    """Return each transfer's year: its first leg's start ('' when none is dated)."""
    firsts: dict[str, str] = {}
    for transfer, start in zip(legs["transfer_id"], legs["period_start"], strict=True):
        day = str(start)[:10] if isinstance(start, str) and start else ""
        known = firsts.get(str(transfer))
        if known is None or (day and (not known or day < known)):
            firsts[str(transfer)] = day
    return {t: d[:4] for t, d in firsts.items()}


def _year_lines(legs: pd.DataFrame, transfers: Sequence[str], lang: Language) -> tuple[str, ...]:
    """Return a year divider's lines: how many transfers, their span, the busiest corridors."""
    mine = legs[legs["transfer_id"].isin(set(transfers))]
    starts, ends = _dates(list(mine["period_start"])), _dates(list(mine["period_end"]))
    lines = [_transfers_word(len(transfers), lang)]
    when = wording.period(starts[0] if starts else None, (ends or starts or [None])[-1],
                          language=lang)
    if when:
        lines.append(when)
    lines += ["", lang.gettext("Busiest corridors")]
    lines += [_key_text(c, lang) for c in corridors(mine)[:5]]
    return tuple(lines)
