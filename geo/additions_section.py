"""Reading a scenario's ``network_additions`` section: track a source shows that the bundled
network lacks, each line checked against the network it must join (:mod:`routemap.geo.additions`).

:class:`AdditionsSection` is the part of the scenario reader (:mod:`routemap.geo.scenario`)
that owns this section; it uses the reader's checker, sources and place references.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from routemap.geo.additions import AdditionNetworks, join_problem
from routemap.geo.model import ADDITION_MODES, NetworkAddition, Place
from routemap.geo.validate import Checker
from routemap.geo.yamldoc import YNode

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["ADDITION_KEYS", "MAX_ADDITIONS", "MAX_ADDITION_POINTS", "AdditionsSection"]

MAX_ADDITIONS = 100  # each joins the network by one rebuild of it (about a second on the world's)
MAX_ADDITION_POINTS = 10_000  # each point is looked up on the network (a few ms on the world's)
ADDITION_KEYS = {"id": True, "mode": True, "name": True, "path": False, "stations": False,
                 "sources": True, "note": False}


class _PlacesUsed(Protocol):
    used: dict[str, Place]


class AdditionsSection:
    """The scenario reader's methods for ``network_additions`` (a mixin of its reader)."""

    check: Checker
    networks: AdditionNetworks | None
    refs: _PlacesUsed | None
    _cite: Callable[..., tuple[str, ...]]
    _lat_lon: Callable[[YNode, str], tuple[float, float] | None]
    _place_ref: Callable[[YNode | None, str], Place | None]

    def _additions(self, node: YNode | None) -> list[NetworkAddition]:
        """Read ``network_additions``; stations resolve like leg stops but are not map places."""
        if node is None:
            return []
        if node.is_seq and len(node.value) > MAX_ADDITIONS:
            self.check.error(node, "network_additions", f"at most {MAX_ADDITIONS} lines, found "
                             f"{len(node.value)}; join lines that meet into one, or route on your own "
                             "network extract (--rail-network)")
            return []
        self.check.unique_ids(node.value if node.is_seq else None, "network_additions")
        assert self.refs is not None  # set before any section that names places is read
        shown = dict(self.refs.used)
        additions = self.check.items(node, "network_additions", self._addition)
        self.refs.used = shown
        points = sum(len(a.points) for a in additions)
        if points > MAX_ADDITION_POINTS:
            self.check.error(node, "network_additions", f"at most {MAX_ADDITION_POINTS:,} points in all, "
                             f"found {points:,}; keep the points a source gives (stations, bends), "
                             "or route on your own network extract (--rail-network)")
            return []
        for i, addition in enumerate(additions):
            message = join_problem(addition, self.networks)
            if message is not None:
                self.check.error(addition.line, f"network_additions[{i}]", message)
        return additions

    def _addition(self, node: YNode, path: str) -> NetworkAddition | None:
        c = self.check
        before = len(c.problems)
        fields = c.mapping(node, path, ADDITION_KEYS)
        if fields is None:
            return None
        values = {
            "id": c.slug(fields.get("id"), f"{path}.id"),
            "mode": c.enum(fields.get("mode"), f"{path}.mode", ADDITION_MODES),
            "name": c.text(fields.get("name"), f"{path}.name"),
            "sources": self._cite(fields.get("sources"), f"{path}.sources", min_items=1),
            "note": c.text(fields.get("note"), f"{path}.note"),
        }
        points, stations = self._addition_line(fields, node, path)
        if len(c.problems) > before or points is None:
            return None
        return NetworkAddition(points=points, stations=stations, line=node.line, **values)

    def _addition_line(self, fields: dict[str, YNode], node: YNode, path: str
                       ) -> tuple[tuple[tuple[float, float], ...] | None, tuple[Place, ...]]:
        """Read the line: its ``path`` points, or its ``stations`` (and their positions)."""
        given = [key for key in ("path", "stations") if key in fields]
        if len(given) != 1:
            problem = ("give 'path' or 'stations', not both" if given else
                       "missing the line: give 'path' (a list of {lat, lon} points) or 'stations' "
                       "(a list of places in order along the line)")
            self.check.error(fields[given[1]] if given else node, f"{path}.{given[1]}" if given else path,
                             problem)
            return None, ()
        key = given[0]
        if key == "path":
            stations: tuple[Place, ...] = ()
            points = tuple(self.check.items(fields[key], f"{path}.path", self._lat_lon))
        else:
            stations = tuple(self.check.items(fields[key], f"{path}.stations", self._place_ref))
            points = tuple((p.lat, p.lon) for p in stations)
        count = len(fields[key].value) if fields[key].is_seq else None
        if count is not None and count < 2:
            self.check.error(fields[key], f"{path}.{key}",
                             f"a line needs at least two points, found {count}")
            return None, ()
        return (points if count == len(points) else None), stations
