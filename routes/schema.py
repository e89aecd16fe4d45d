"""Column and property names shared by every output: GeoJSON, GeoPackage, KML, CSV and HTML.

These names are a public contract (README, "GeoJSON properties"); add to them, never rename.
List-valued columns (``sources``, ``citations``, ``via_ids``) hold Python lists; writers for
formats without lists store them as JSON text. Boolean columns (``BOOL_COLUMNS``) hold True or
False.

A leg carries two certainties: ``confidence`` (did the movement happen?) and ``path_confidence``
(is the line drawn the line taken: ``reported`` or ``estimated``), and its quantity as a claim
(``quantity_*``). ``quantity_text`` and every feature's ``citations`` are written by the record
layer (``routemap.maps.records``) in the output's language, since how a quantity and a citation
read belongs to ``routemap.maps.wording`` and ``routemap.maps.citations``; the RouteSet frames
hold every other column (``LEG_FRAME_COLUMNS``, ``PLACE_FRAME_COLUMNS``,
``ANNOTATION_FRAME_COLUMNS``).
"""

from __future__ import annotations

__all__ = [
    "ANNOTATION_COLUMNS",
    "ANNOTATION_FRAME_COLUMNS",
    "BOOL_COLUMNS",
    "DERIVED_COLUMNS",
    "DERIVED_LEG_COLUMNS",
    "ENCOUNTER_COLUMNS",
    "FRAME_ONLY_LEG_COLUMNS",
    "GAP_COLUMNS",
    "LEG_COLUMNS",
    "LEG_FRAME_COLUMNS",
    "LIST_COLUMNS",
    "OBSERVED_LEG_COLUMNS",
    "OBSERVED_TRACK_COLUMNS",
    "PLACE_COLUMNS",
    "PLACE_FRAME_COLUMNS",
    "PORT_CALL_COLUMNS",
    "QUANTITY_COLUMNS",
    "TRANSFER_COLUMNS",
]

#: A transfer's quantity as a claim, on each of its legs and on the transfer itself.
QUANTITY_COLUMNS: tuple[str, ...] = (
    "quantity_value",
    "quantity_unit",
    "quantity_qualifier",
    "quantity_max",
    "quantity_basis",
    "quantity_window_start",
    "quantity_window_end",
    "quantity_text",
    "quantities_disagree",
)

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
    "origin_assumed",
    "destination_assumed",
    "via_ids",
    "distance_km",
    "detour_ratio",
    "off_network_km",
    "geometry_kind",
    "path_confidence",
    "corridor",
    "confidence",
    "sources",
    "citations",
    "period_start",
    "period_end",
    "cargo",
    *QUANTITY_COLUMNS,
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
    "transfer_label",
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
    "path_confidence",
    "confidence",
    "sources",
    "citations",
    "period_start",
    "period_end",
    "cargo",
    *QUANTITY_COLUMNS,
    "note",
    "attribution",
)

#: Properties of every feature the record layer writes from the scenario, in the output's
#: language, rather than the RouteSet frame: ``citations`` (``routemap.maps.citations``).
DERIVED_COLUMNS: frozenset[str] = frozenset({"citations"})

#: Leg properties the record layer derives from the scenario rather than the RouteSet frame
#: (``observed_evidence``: from the verdict's evidence, ``routemap.maps.evidence``).
DERIVED_LEG_COLUMNS: frozenset[str] = frozenset({"quantity_text", "observed_evidence", *DERIVED_COLUMNS})

#: The columns of ``RouteSet.places`` and ``RouteSet.annotations`` (besides ``geometry``).
PLACE_FRAME_COLUMNS: tuple[str, ...] = tuple(c for c in PLACE_COLUMNS if c not in DERIVED_COLUMNS)
ANNOTATION_FRAME_COLUMNS: tuple[str, ...] = tuple(
    c for c in ANNOTATION_COLUMNS if c not in DERIVED_COLUMNS)

#: Columns of ``RouteSet.legs`` that are not exported as properties: ``connectors``, the leg's
#: off-network stretches as lists of [lon, lat] coordinate lists, which renderers draw apart.
FRAME_ONLY_LEG_COLUMNS: tuple[str, ...] = ("connectors",)

#: The columns of ``RouteSet.legs`` (besides ``geometry``): every leg property but the derived,
#: then the frame-only ones.
LEG_FRAME_COLUMNS: tuple[str, ...] = (
    *(c for c in LEG_COLUMNS if c not in DERIVED_LEG_COLUMNS), *FRAME_ONLY_LEG_COLUMNS)

BOOL_COLUMNS: frozenset[str] = frozenset({"origin_assumed", "destination_assumed", "quantities_disagree",
                                          "synthetic"})

LIST_COLUMNS: frozenset[str] = frozenset({"sources", "citations", "via_ids", "modes", "verdicts"})

# What the ships' own position reports say (a scenario's ``observations``), one layer each. Times
# (``*_time``) are ISO 8601 UTC instants; ``synthetic`` is True for made-up positions.
_OBSERVED_HEAD: tuple[str, ...] = ("feature_id", "feature_type", "geometry_kind", "vessel", "mmsi")
_OBSERVED_TAIL: tuple[str, ...] = ("synthetic", "sources", "citations")

#: Leg properties after ``LEG_COLUMNS`` when the scenario has observations (and only then): the
#: verdict on a sea leg whose carrier is a vessel of interest (``supports``, ``partly``,
#: ``contradicts``, ``no_data``) and its evidence in words; empty on every other leg.
OBSERVED_LEG_COLUMNS: tuple[str, ...] = ("observed_verdict", "observed_evidence")

#: A vessel's observed track: its positions joined in time order (``geometry_kind: observed``).
OBSERVED_TRACK_COLUMNS: tuple[str, ...] = (
    *_OBSERVED_HEAD, "imo", "ais_name", "start_time", "end_time", "n_positions", "length_km",
    "verdicts", *_OBSERVED_TAIL)

#: A dark gap: no position for longer than the threshold, away from ports; the straight stretch
#: from the last position before it to the first after it ("transponder off").
GAP_COLUMNS: tuple[str, ...] = (
    *_OBSERVED_HEAD, "label", "start_time", "end_time", "duration_h", "reachable_km", "last_lat",
    "last_lon", "first_lat", "first_lon", *_OBSERVED_TAIL)

#: A port call: the vessel within the port radius of a gazetteer port (Point: the port).
PORT_CALL_COLUMNS: tuple[str, ...] = (
    *_OBSERVED_HEAD, "port_id", "port_name", "arrival_time", "departure_time", "duration_h",
    *_OBSERVED_TAIL)

#: An encounter: two vessels close for long enough away from ports (Point: closest approach).
ENCOUNTER_COLUMNS: tuple[str, ...] = (
    *_OBSERVED_HEAD, "mmsi_other", "start_time", "end_time", "duration_h", "min_distance_m",
    *_OBSERVED_TAIL)
