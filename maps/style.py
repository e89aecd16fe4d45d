"""The one style table: colours, dashes, widths and markers that the HTML map and the slides share."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routemap.maps.language import Language

__all__ = [
    "ANNOTATION_COLOR",
    "BASEMAP_STYLE",
    "CONFIDENCE_STYLES",
    "CONNECTOR_STYLE",
    "MODE_STYLES",
    "OBSERVED_STYLE",
    "PATH_LEGEND",
    "PATH_STYLES",
    "PLACE_STYLES",
    "BasemapStyle",
    "ConfidenceStyle",
    "ConnectorStyle",
    "LegQuantity",
    "ModeStyle",
    "ObservedStyle",
    "PathStyle",
    "PlaceStyle",
    "WidthLegend",
    "WidthScale",
    "gap_label",
    "line_width",
    "place_priority",
    "quantity_label",
    "svg_dasharray",
    "width_legend",
    "width_scale",
]


@dataclass(frozen=True)
class ModeStyle:
    """How a mode of transport is drawn."""

    label: str
    color: str
    base_width: float


@dataclass(frozen=True)
class ConfidenceStyle:
    """How a confidence level is drawn: a dash pattern in multiples of the line width."""

    label: str
    dash: tuple[float, ...]
    width_factor: float
    opacity: float
    meaning: str


@dataclass(frozen=True)
class PlaceStyle:
    """How a kind of place is marked: matplotlib marker code, SVG-ish shape name, colours,
    size in points, and ``rank``: how much the kind matters to the story (depots and ports
    above the junctions a corridor passes), which orders names for room and markers on top."""

    label: str
    marker: str
    shape: str
    fill: str
    edge: str
    size: float
    rank: int


# Colour-blind-safe hues (Okabe-Ito), one per mode.
MODE_STYLES: dict[str, ModeStyle] = {
    "sea": ModeStyle("Sea", "#0072B2", 2.6),
    "rail": ModeStyle("Rail", "#D55E00", 2.6),
    "road": ModeStyle("Road", "#6B4C9A", 2.2),
    "air": ModeStyle("Air", "#009E73", 2.0),
}

CONFIDENCE_STYLES: dict[str, ConfidenceStyle] = {
    "confirmed": ConfidenceStyle(
        "Confirmed", (), 1.0, 0.95, "two or more independent sources, or imagery"
    ),
    "reported": ConfidenceStyle("Reported", (4.0, 2.0), 1.0, 0.9, "one credible source"),
    "claimed": ConfidenceStyle(
        "Claimed", (1.0, 1.6), 1.0, 0.85, "a party to the conflict says so, unverified"
    ),
    "estimated": ConfidenceStyle(
        "Estimated", (0.6, 2.2), 0.6, 0.8, "analyst's inference or a modelled route"
    ),
}

@dataclass(frozen=True)
class PathStyle:
    """How the certainty of the line itself is drawn, apart from the claim's confidence.

    The line keeps its mode colour and its confidence's dash pattern; a modelled line is
    drawn over a ``band``: a wide, translucent stroke in the mode's colour, ``band_factor``
    times the line's width and at ``band_opacity``, under the line, so that a modelled
    corridor can never look like a reported path. A reported path has no band.
    """

    label: str
    meaning: str
    band_factor: float
    band_opacity: float

    @property
    def band(self) -> bool:
        """Return True if the line is drawn over a corridor band."""
        return self.band_factor > 0


PATH_STYLES: dict[str, PathStyle] = {
    "reported": PathStyle("Line reported", "the path or corridor is given by a cited source",
                          0.0, 0.0),
    "estimated": PathStyle("Line estimated",
                           "modelled along the network or as a great circle; "
                           "sources do not give the route", 3.4, 0.32),
}
"""The two certainties of a line (``path_confidence``): reported plain, estimated over a band."""

PATH_LEGEND: dict[str, str] = {
    "confidence": "Line pattern: how sure the movement is",
    "path": "Band under a line: the route is modelled, not reported",
}
"""Legend titles that say what each encoding means: the pattern is the claim's confidence,
the band says the line drawn is a model."""

@dataclass(frozen=True)
class ConnectorStyle:
    """How a stretch off the network is drawn: a stop's straight join to where it meets the
    network (a leg's ``connectors``), never drawn as track.

    A hairline ``width`` (style units, screen pixels at 96 dpi) in the mode's colour at
    ``opacity``, solid and with no band, over a white casing ``casing`` wider, ending at each end
    in a tick across the line, ``tick`` long: a measured straight join, unlike any
    confidence's dash pattern (every pattern is drawn at a leg's full width, without ticks).
    """

    label: str
    meaning: str
    width: float
    tick: float
    opacity: float
    casing: float

    @property
    def legend(self) -> str:
        """Return the legend row: the label and what it means."""
        return f"{self.label}: {self.meaning}"


CONNECTOR_STYLE = ConnectorStyle("Off the network", "straight join, not track",
                                 1.0, 7.0, 0.95, 2.2)
"""The one connector style: slides, web map and KML draw a leg's connectors with it."""

PLACE_STYLES: dict[str, PlaceStyle] = {
    "port": PlaceStyle("Port", "s", "square", "#FFFFFF", "#0B3C5D", 7.0, 5),
    "rail_station": PlaceStyle("Rail station", "o", "circle", "#FFFFFF", "#7A3B00", 5.5, 3),
    "rail_junction": PlaceStyle("Rail junction", "o", "circle", "#7A3B00", "#FFFFFF", 5.0, 3),
    "depot": PlaceStyle("Depot", "^", "triangle", "#B00020", "#FFFFFF", 8.0, 6),
    "airfield": PlaceStyle("Airfield", "P", "plus", "#00563B", "#FFFFFF", 8.0, 5),
    "border_crossing": PlaceStyle("Border crossing", "D", "diamond", "#FFD166", "#333333", 7.0, 4),
    "city": PlaceStyle("City", "o", "circle", "#444444", "#FFFFFF", 4.5, 2),
    "other": PlaceStyle("Other", "X", "cross", "#666666", "#FFFFFF", 6.0, 1),
}


def place_priority(kind: str, ends: int) -> float:
    """Return how soon a place's name is given room on a map: its kind's ``rank``, plus 2 for
    each leg that starts or ends there, up to five legs. The slides and the web map place
    names in this order; an unknown kind counts as ``"other"``."""
    return float(PLACE_STYLES.get(kind, PLACE_STYLES["other"]).rank) + 2.0 * min(ends, 5)


ANNOTATION_COLOR = "#222222"


@dataclass(frozen=True)
class BasemapStyle:
    """How the basemap and the map furniture are drawn (colours as hex, widths in points)."""

    sea: str
    land: str
    focus_land: str
    coast: str
    coast_width: float
    border: str
    border_width: float
    rail: str
    rail_width: float
    country_label: str
    text: str
    muted_text: str
    halo: str
    accent: str


BASEMAP_STYLE = BasemapStyle(
    sea="#D6E4EE",
    land="#ECE9E2",
    focus_land="#F8F6F1",
    coast="#6F8FA6",
    coast_width=0.7,
    border="#9C968A",
    border_width=0.8,
    rail="#8F8A80",
    rail_width=0.45,
    country_label="#8A8375",
    text="#1F2328",
    muted_text="#5C6166",
    halo="#FFFFFF",
    accent="#C8102E",
)


def line_width(mode: str, quantity: float | None, max_quantity: float | None) -> float:
    """Return a line width in points: the mode's base width, thicker with the quantity moved.

    The extra width grows with the square root of the quantity relative to ``max_quantity``
    (so areas, not lengths, compare), up to three times the base width. Which legs may be
    scaled at all, and against what, is :func:`width_scale`'s rule.
    """
    base = MODE_STYLES[mode].base_width
    if not quantity or not max_quantity or max_quantity <= 0:
        return base
    return base * (1.0 + 2.0 * math.sqrt(min(quantity / max_quantity, 1.0)))


@dataclass(frozen=True)
class LegQuantity:
    """What the width rule needs to know about one leg: its transfer's quantity, if any.

    Besides the value and unit: what the count measures (``basis``), how many days it covers
    (``window_days``), whether it is a range, and whether sources disagree on it; two counts
    compare only when these allow (:func:`width_scale`).
    """

    transfer_id: str
    mode: str
    value: float | None
    unit: str | None
    basis: str | None = None
    window_days: int | None = None
    is_range: bool = False
    disagree: bool = False

    @property
    def known(self) -> bool:
        """Return True if the leg carries a quantity with a unit."""
        return (self.value is not None and not math.isnan(self.value)
                and isinstance(self.unit, str) and bool(self.unit))

    @classmethod
    def from_properties(cls, props: Mapping[str, Any]) -> LegQuantity:
        """Return a leg's quantity from its record properties (``routemap.routes.schema`` names).

        Missing cells (None, NaN) read as absent; a mode the style table lacks reads as road.
        """
        def cell(name: str) -> Any:
            value = props.get(name)
            return None if value is None or (isinstance(value, float) and math.isnan(value)) else value

        value, high = cell("quantity_value"), cell("quantity_max")
        mode = cell("mode")
        return cls(str(cell("transfer_id")), mode if mode in MODE_STYLES else "road",
                   None if value is None else float(value),
                   None if cell("quantity_unit") is None else str(cell("quantity_unit")),
                   None if cell("quantity_basis") is None else str(cell("quantity_basis")),
                   _days(cell("quantity_window_start"), cell("quantity_window_end")),
                   high is not None and value is not None and float(high) != float(value),
                   bool(cell("quantities_disagree")))


def _days(start: Any, end: Any) -> int | None:
    """Return the days from start to end, both included (ISO text or dates); None if either is missing."""
    if start is None or end is None:
        return None
    first, last = (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in (start, end))
    return (last - first).days + 1


@dataclass(frozen=True)
class WidthScale:
    """The one width rule: only legs in the main unit widen with their quantity, and only when
    the counts in it compare.

    ``unit`` is the scenario's main unit (None when no transfer has a quantity, or when its
    counts do not compare: then ``reason`` says why, in a few words) and
    ``max_quantity`` the largest quantity in it; ``units`` lists every unit, main unit first,
    in the order :func:`width_scale` ranks them.
    """

    unit: str | None
    max_quantity: float | None
    units: tuple[str, ...] = ()
    reason: str | None = None

    def width(self, mode: str, value: float | None, unit: str | None) -> float:
        """Return a leg's width: scaled in the main unit, the mode's base width otherwise."""
        if self.unit is None or unit != self.unit:
            return MODE_STYLES[mode].base_width
        return line_width(mode, value, self.max_quantity)


def width_scale(legs: Iterable[LegQuantity]) -> WidthScale:
    """Return the width rule for a scenario's legs.

    The main unit is the one carried by the most transfers with a quantity; ties go to the
    larger total quantity, then to the unit first in alphabetical order. Widths scale with
    quantity relative to the largest quantity in that unit; legs in any other unit (or with
    no quantity) keep their mode's base width, since containers and railcars do not compare.
    Counts in the main unit must compare too: when a source disagrees, a count is a range, the
    counts measure different things (``basis``) or cover windows of different lengths (one
    without a window, or more than :data:`WINDOW_RATIO` apart), no leg widens and ``reason``
    says why.

    Parameters
    ----------
    legs : iterable of LegQuantity
        Every leg of the scenario; a transfer's quantity is counted once however many legs
        it has.

    Returns
    -------
    WidthScale
        The main unit (None when no leg has a quantity), its largest quantity and all units
        ranked.
    """
    legs = list(legs)
    per_transfer = {(leg.transfer_id, leg.unit): float(leg.value)  # type: ignore[arg-type]
                    for leg in legs if leg.known}
    counts: Counter[str] = Counter(unit for _, unit in per_transfer)
    totals: Counter[str] = Counter()
    for (_, unit), value in per_transfer.items():
        totals[unit] += value
    units = tuple(sorted(counts, key=lambda u: (-counts[u], -totals[u], u.casefold(), u)))
    if not units:
        return WidthScale(None, None)
    reason = _not_comparable([leg for leg in legs if leg.known and leg.unit == units[0]])
    if reason is not None:
        return WidthScale(None, None, units, reason)
    top = max(v for (_, unit), v in per_transfer.items() if unit == units[0])
    return WidthScale(units[0], top, units)


WINDOW_RATIO = 2.0
"""Two counts' windows compare when the longer is at most this many times the shorter."""


def _not_comparable(main: list[LegQuantity]) -> str | None:
    """Return why the counts in the main unit do not compare (a few words), or None if they do.

    They compare when no source disagrees, none is a range, all count the same thing
    (``basis``), and their windows compare: none has one, or all have one and the longest is at
    most :data:`WINDOW_RATIO` times the shortest.
    """
    if any(leg.disagree for leg in main):
        return N_("sources disagree on a count")
    if any(leg.is_range for leg in main):
        return N_("a count is given as a range")
    if len({leg.basis for leg in main}) > 1:
        return N_("the counts measure different things")
    days = [leg.window_days for leg in main if leg.window_days is not None]
    if days and (len(days) < len(main) or max(days) > WINDOW_RATIO * min(days)):
        return N_("the counts cover different windows")
    return None


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark a message id for the catalogs; the legend translates it where it is written."""
    return message


def quantity_label(value: float, unit: str | None, *, language: Language | None = None) -> str:
    """Return '2,000 containers' style text (whole numbers from 10 up, else as given), the
    number in ``language`` ("2 000 containers" in French; the unit is the scenario's)."""
    if language is None or language.code == "en":
        text = f"{value:,.0f}" if value >= 10 else f"{value:g}"
    else:
        text = language.number(value)
    return f"{text} {unit}" if unit else text


@dataclass(frozen=True)
class WidthLegend:
    """The line-width legend as (width, text) rows: samples in the main unit, then at most
    one row saying that other units are drawn at base width."""

    samples: tuple[tuple[float, str], ...] = ()
    others: tuple[tuple[float, str], ...] = ()
    title: str = ""
    """What the width measures, already in the legend's language, when it is not the quantity
    moved (an aggregated overview's count of transfers); empty: the quantity moved."""

    @property
    def rows(self) -> tuple[tuple[float, str], ...]:
        """Return every row, samples first."""
        return self.samples + self.others


def width_legend(scale: WidthScale, legs: Iterable[LegQuantity], *,
                 max_units: int = 2, language: Language | None = None) -> WidthLegend:
    """Return the line-width legend for the legs a view shows.

    Samples are in the main unit (the largest and smallest quantity shown, and the scenario's
    largest, which sets the scale); when the view shows legs in other units, one more row at
    base width says so, naming them. The slides and the HTML map both draw these rows.

    Parameters
    ----------
    scale : WidthScale
        The scenario's rule (:func:`width_scale`).
    legs : iterable of LegQuantity
        The legs the view draws in full.
    max_units : int, optional
        How many other units to name before '...'.
    language : Language, optional
        The language of the rows' words and numbers (default English).

    Returns
    -------
    WidthLegend
        Widths in style units with their labels; no rows when no leg shown has a quantity.
    """
    known = [leg for leg in legs if leg.known]
    if scale.reason is not None:
        # the reason concerns the main unit's counts: a view showing none of them says
        # instead that its counts are not compared with those
        main = scale.units[0]
        words = _words(language)
        if any(leg.unit == main for leg in known):
            text = words(N_("Line width not scaled: {reason}")).format(reason=words(scale.reason))
        elif known:
            shown = [u for u in scale.units if u in {leg.unit for leg in known}]
            listed = ", ".join(shown[:max_units]) + (", ..." if len(shown) > max_units else "")
            text = words(N_("Line width not scaled: {units} not compared with {unit}")).format(
                units=listed, unit=main)
        else:
            return WidthLegend()
        return WidthLegend((), ((MODE_STYLES[_commonest_mode(known)].base_width, text),))
    main = [leg for leg in known if leg.unit == scale.unit]
    others = [leg for leg in known if leg.unit != scale.unit]
    samples = _main_unit_samples(scale, main, language) if main else ()
    return WidthLegend(samples, (_other_units_row(scale, others, max_units, named=not samples,
                                                  language=language),) if others else ())


def _words(language: Language | None) -> Any:
    """Return the function that writes a message in ``language`` (English: the id itself)."""
    return language.gettext if language is not None else (lambda message: message)


def _main_unit_samples(scale: WidthScale, main: list[LegQuantity],
                       language: Language | None = None) -> tuple[tuple[float, str], ...]:
    top = float(scale.max_quantity or 0.0)
    mode = _commonest_mode(main)
    values = sorted({float(leg.value) for leg in main} | {top},  # type: ignore[arg-type]
                    reverse=True)
    picks = [values[0], values[-1]] if len(values) > 1 else [values[0]]
    if len(values) == 1 and top > 0:
        picks.append(top / 4.0)
    return tuple((scale.width(mode, q, scale.unit), quantity_label(q, scale.unit, language=language))
                 for q in dict.fromkeys(picks))


def _other_units_row(scale: WidthScale, others: list[LegQuantity], max_units: int, *,
                     named: bool, language: Language | None = None) -> tuple[float, str]:
    """Return the row for legs in other units; ``named`` says which unit does scale (for
    views that show no sample of it)."""
    shown = {leg.unit for leg in others}
    names = [u for u in scale.units if u in shown]
    listed = ", ".join(names[:max_units]) + (", ..." if len(names) > max_units else "")
    if language is None:
        from routemap.maps.language import DEFAULT_LANGUAGE, load_language

        language = load_language(DEFAULT_LANGUAGE)
    if named:
        text = language.ngettext(
            "Other unit ({units}): base width; widths scale only for {unit}; see popups/notes",
            "Other units ({units}): base width; widths scale only for {unit}; see popups/notes",
            len(names))
    else:
        text = language.ngettext("Other unit ({units}): base width; see popups/notes",
                                 "Other units ({units}): base width; see popups/notes", len(names))
    return MODE_STYLES[_commonest_mode(others)].base_width, text.format(units=listed, unit=scale.unit)


def _commonest_mode(legs: list[LegQuantity]) -> str:
    """Return the mode most legs use (ties in style-table order), for a sample's width."""
    counts = Counter(leg.mode for leg in legs if leg.mode in MODE_STYLES)
    if not counts:
        return "road"
    order = list(MODE_STYLES)
    return min(counts, key=lambda m: (-counts[m], order.index(m)))


def svg_dasharray(confidence: str, width: float) -> str | None:
    """Return an SVG/Leaflet ``dashArray`` for a confidence at a line width (None for solid)."""
    dash = CONFIDENCE_STYLES[confidence].dash
    if not dash:
        return None
    return " ".join(f"{max(d * width, 1.0):g}" for d in dash)


@dataclass(frozen=True)
class ObservedStyle:
    """How what the ships' own position reports (AIS) say is drawn, apart from every claim.

    A vessel's observed ``track`` is a thin solid line in a near-black ``color``, ``width``
    wide, with a dot of ``dot_size`` at its positions (thinned to at most ``max_dots`` per
    track): unlike any mode's colour, any confidence's dash pattern and the band of a modelled
    line. A dark ``gap`` (transponder off) is a straight stretch dashed ``gap_dash`` (in
    multiples of ``gap_width``) in ``gap_color``, labelled with its duration
    (:func:`gap_label`). Port calls and meetings at sea are points: ``port_call_marker`` and
    ``encounter_marker`` (matplotlib codes; ``*_shape`` names them for the web map), in
    ``color`` and ``gap_color``. Labels are message ids, written in an output's language;
    ``synthetic_label`` is said wherever made-up positions (a tutorial's) are drawn.
    """

    track_label: str
    track_meaning: str
    color: str
    width: float
    opacity: float
    dot_size: float
    max_dots: int
    gap_label: str
    gap_color: str
    gap_width: float
    gap_dash: tuple[float, ...]
    port_call_label: str
    port_call_marker: str
    port_call_shape: str
    encounter_label: str
    encounter_marker: str
    encounter_shape: str
    marker_size: float
    synthetic_label: str


OBSERVED_STYLE = ObservedStyle(
    track_label=N_("Observed track (AIS)"), track_meaning=N_("the ship's own position reports"),
    color="#1B1B1B", width=1.1, opacity=0.9, dot_size=2.2, max_dots=60,
    gap_label=N_("Transponder off"), gap_color="#CC79A7", gap_width=1.8, gap_dash=(3.0, 2.0),
    port_call_label=N_("Port call (AIS)"), port_call_marker="p", port_call_shape="pentagon",
    encounter_label=N_("Meeting at sea (AIS)"), encounter_marker="*", encounter_shape="star",
    marker_size=9.0, synthetic_label=N_("synthetic positions, not real AIS data"),
)
"""The one observed style: slides, web map and KML draw the observed layers with it."""


def gap_label(hours: float, *, language: Language | None = None) -> str:
    """Return a dark gap's label: ``Transponder off 20 h`` (whole hours from 10 up), in a language."""
    words = _words(language)
    decimals = 0 if hours >= 10 else 1
    value = language.number(hours, decimals) if language is not None else f"{hours:,.{decimals}f}"
    return words(N_("Transponder off {hours} h")).format(hours=value)

