"""RouteSet: a scenario with every leg turned into geometry, ready for any writer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from routemap.geo.languages import localize

if TYPE_CHECKING:
    import geopandas as gpd

    from routemap.geo.model import Scenario, Transfer
    from routemap.routes.verdicts import ObservedLayer

__all__ = ["LegFinding", "RouteSet"]


@dataclass(frozen=True)
class LegFinding:
    """A QA finding tied to one leg of one transfer (``leg_index`` is 0-based)."""

    transfer_id: str
    leg_index: int
    level: str
    code: str
    message: str
    value: float | None = None

    def __str__(self) -> str:
        return f"{self.level}: {self.transfer_id} leg {self.leg_index + 1}: {self.message}"


@dataclass(frozen=True)
class RouteSet:
    """The routed scenario.

    Attributes
    ----------
    scenario : Scenario
        The validated input.
    legs : geopandas.GeoDataFrame
        One row per leg, columns ``routemap.routes.schema.LEG_COLUMNS`` plus ``geometry`` (EPSG:4326,
        LineString or MultiLineString split at the antimeridian), in scenario order.
    places : geopandas.GeoDataFrame
        One row per place the scenario uses, columns ``PLACE_COLUMNS`` plus Point ``geometry``.
    annotations : geopandas.GeoDataFrame
        One row per annotation, columns ``ANNOTATION_COLUMNS`` plus Point ``geometry``.
    findings : tuple of LegFinding
        QA findings from routing, in leg order.
    attributions : tuple of str
        Every data licence line the outputs must carry, without repeats, in a stable order.
    observed : ObservedLayer or None
        The scenario's AIS observations and the verdicts on its sea legs
        (:func:`routemap.routes.evidence.observe`); None without an ``observations`` section.
    """

    scenario: Scenario
    legs: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    annotations: gpd.GeoDataFrame
    findings: tuple[LegFinding, ...] = ()
    attributions: tuple[str, ...] = ()
    observed: ObservedLayer | None = None

    def in_language(self, code: str) -> RouteSet:
        """Return the route set with its texts in one language, without routing again.

        The scenario is localized (:func:`routemap.geo.languages.localize`: its translations
        and place names, falling back to the scenario's language) and the frames' text columns
        re-written from it: legs' ``transfer_label``, ``from_name``, ``to_name``, ``cargo``,
        ``note``, ``corridor``, ``quantity_unit`` and ``quantity_basis``; places' ``name`` and
        ``note``; annotations' ``text`` and ``transfer_label``.
        Geometry, findings and every other column are kept.

        Parameters
        ----------
        code : str
            The language code (``fr``, ``ko``).

        Returns
        -------
        RouteSet
            This route set itself when ``code`` is its scenario's language, else a new one.
        """
        scenario = localize(self.scenario, code)
        if scenario is self.scenario:
            return self
        transfers = {t.id: t for t in scenario.transfers}
        places = {p.id: p for p in scenario.places}
        notes = {a.id: a for a in scenario.annotations}
        legs = [(transfers[t], transfers[t].legs[int(i)])
                for t, i in zip(self.legs["transfer_id"], self.legs["leg_index"], strict=True)]
        label = {a.id: transfers[a.transfer].label if a.transfer in transfers else None
                 for a in scenario.annotations}
        return replace(
            self, scenario=scenario,
            legs=_with_columns(self.legs, {
                "transfer_label": [t.label for t, _ in legs],
                "from_name": [leg.origin.name for _, leg in legs],
                "to_name": [leg.destination.name for _, leg in legs],
                "cargo": [t.cargo for t, _ in legs],
                "note": [leg.note for _, leg in legs],
                "corridor": [leg.corridor.name if leg.corridor else None for _, leg in legs],
                **{f"quantity_{field}": _claim_texts(self.legs, f"quantity_{field}", field,
                                                     [t for t, _ in legs])
                   for field in ("unit", "basis")},
            }),
            places=_with_columns(self.places, {
                "name": [places[p].name for p in self.places["place_id"]],
                "note": [places[p].note for p in self.places["place_id"]],
            }),
            annotations=_with_columns(self.annotations, {
                "text": [notes[a].text for a in self.annotations["annotation_id"]],
                "transfer_label": [label[a] for a in self.annotations["annotation_id"]],
            }),
        )


def _claim_texts(frame: gpd.GeoDataFrame, column: str, field: str,
                 transfers: list[Transfer]) -> list[str | None]:
    """Return a quantity text column in the localized transfers' words: where the frame gives
    one text its claims share (``unit``, ``basis``), the first claim's text in the language."""
    if column not in frame.columns:
        return [None] * len(transfers)
    return [None if shared is None or shared != shared or not t.quantity_claims
            else getattr(t.quantity_claims[0], field)
            for shared, t in zip(frame[column], transfers, strict=True)]


def _with_columns(frame: gpd.GeoDataFrame, columns: dict[str, list[str | None]]) -> gpd.GeoDataFrame:
    """Return a copy of a frame with whole text columns replaced, typed as the builder's are
    (pandas infers each column's type from its values, so a rebuilt frame and this one agree)."""
    import pandas as pd

    copy = frame.copy()
    texts = pd.DataFrame(columns, index=copy.index)
    for name in columns:
        copy[name] = texts[name]
    return copy
