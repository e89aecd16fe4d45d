"""Column and property names shared by every output: GeoJSON, GeoPackage, KML, CSV and HTML.

These names are a public contract (README, "GeoJSON properties"); add to them, never rename.
List-valued columns (``sources``, ``citations``, ``via_ids``) hold Python lists; writers for
formats without lists store them as JSON text.
"""

from __future__ import annotations

__all__ = ["ANNOTATION_COLUMNS", "LEG_COLUMNS", "LIST_COLUMNS", "PLACE_COLUMNS", "TRANSFER_COLUMNS"]

LEG_COLUMNS: tuple[str, ...] = (
    "feature_id",
    "feature_type",
    "transfer_id",
    "transfer_label",
    "leg_index",
    "mode",
    "from_id",
    "to_id",
    "from_name",
    "to_name",
    "via_ids",
    "distance_km",
    "geometry_kind",
    "confidence",
    "sources",
    "citations",
    "period_start",
    "period_end",
    "cargo",
    "quantity_value",
    "quantity_unit",
    "carrier",
    "note",
    "network",
    "attribution",
)

PLACE_COLUMNS: tuple[str, ...] = (
    "feature_id",
    "feature_type",
    "place_id",
    "name",
    "kind",
    "country",
    "lat",
    "lon",
    "uncertainty_km",
    "confidence",
    "sources",
    "citations",
    "note",
    "origin",
    "locode",
    "attribution",
)

ANNOTATION_COLUMNS: tuple[str, ...] = (
    "feature_id",
    "feature_type",
    "kind",
    "annotation_id",
    "text",
    "place_id",
    "transfer_id",
    "confidence",
    "sources",
    "citations",
    "period_start",
    "period_end",
    "attribution",
)

#: The properties of a transfer: its legs dissolved into one feature (GeoPackage ``transfers``).
TRANSFER_COLUMNS: tuple[str, ...] = (
    "feature_id",
    "feature_type",
    "transfer_id",
    "transfer_label",
    "modes",
    "leg_count",
    "distance_km",
    "confidence",
    "sources",
    "citations",
    "period_start",
    "period_end",
    "cargo",
    "quantity_value",
    "quantity_unit",
    "note",
    "attribution",
)

LIST_COLUMNS: frozenset[str] = frozenset({"sources", "citations", "via_ids", "modes"})
