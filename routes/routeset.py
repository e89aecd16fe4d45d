"""RouteSet: a scenario with every leg turned into geometry, ready for any writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

    from routemap.geo.model import Scenario

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
    """

    scenario: Scenario
    legs: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    annotations: gpd.GeoDataFrame
    findings: tuple[LegFinding, ...] = ()
    attributions: tuple[str, ...] = ()
