"""AIS positions: reading the common file forms, and cleaning what cannot be right."""

from routemap.geo.ais.clean import MAX_SPEED_KN, clean_tracks, drop_invalid
from routemap.geo.ais.columns import CANONICAL, canonical_frame, empty_positions, haversine_m
from routemap.geo.ais.reader import AisFormatError, AisPositions, check_files, iter_file, read_ais

__all__ = [
    "CANONICAL",
    "MAX_SPEED_KN",
    "AisFormatError",
    "AisPositions",
    "canonical_frame",
    "check_files",
    "clean_tracks",
    "drop_invalid",
    "empty_positions",
    "haversine_m",
    "iter_file",
    "read_ais",
]
