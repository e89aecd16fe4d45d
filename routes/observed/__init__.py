"""Observed tracks: what AIS positions show (trajectories, dark gaps, port calls, encounters)."""

from routemap.routes.observed.derive import Observations, derive, derive_rules, sort_observations
from routemap.routes.observed.ports import PortIndex, gazetteer_ports, port_frame
from routemap.routes.observed.rules import Rules

__all__ = [
    "Observations",
    "PortIndex",
    "Rules",
    "derive",
    "derive_rules",
    "gazetteer_ports",
    "port_frame",
    "sort_observations",
]
