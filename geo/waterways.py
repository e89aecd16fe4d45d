"""Rivers and canals sea legs may use: curated, cited courses read from ``data/waterways.yaml``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from routemap.errors import ScenarioError
from routemap.geo.validate import Checker
from routemap.geo.yamldoc import YNode, read_yaml

__all__ = [
    "WATERWAY_KINDS",
    "Waterway",
    "WaterwayData",
    "load_waterways",
    "read_waterways",
    "waterways_path",
]

#: What a course may be: a river, or a canal (a passage a leg's ``avoid`` can name).
WATERWAY_KINDS: tuple[str, ...] = ("river", "canal")

_TOP_KEYS = {"version": True, "attribution": True, "sources": True, "waterways": True}
_WATERWAY_KEYS = {"id": True, "name": True, "kind": True, "passage": False, "sources": True,
                  "course": True}


@dataclass(frozen=True)
class Waterway:
    """One river or canal course.

    Attributes
    ----------
    id, name : str
        A slug and the name shown to people.
    kind : str
        One of :data:`WATERWAY_KINDS`.
    course : tuple of (lon, lat)
        From upstream to the sea; the last position joins the sea lanes.
    sources : tuple of str
        Ids of the sources the positions come from.
    passage : str or None
        The name a sea leg's ``avoid`` uses for a canal.
    """

    id: str
    name: str
    kind: str
    course: tuple[tuple[float, float], ...]
    sources: tuple[str, ...]
    passage: str | None = None


@dataclass(frozen=True)
class WaterwayData:
    """The courses of a waterways file and the licence line that travels with legs using them."""

    waterways: tuple[Waterway, ...]
    attribution: str


def waterways_path() -> Path:
    """Return the path of the waterways file shipped in the package."""
    return Path(str(resources.files("routemap.geo").joinpath("data", "waterways.yaml")))


def read_waterways(path: Path) -> WaterwayData:
    """Read and check a waterways file (``version``, ``attribution``, ``sources``, ``waterways``).

    Parameters
    ----------
    path : Path
        The YAML file.

    Returns
    -------
    WaterwayData

    Raises
    ------
    ScenarioError
        With every problem found, located by line and key path.
    """
    root, problems = read_yaml(path)
    check = Checker(str(path))
    check.problems.extend(problems)
    waterways: list[Waterway] = []
    attribution = ""
    fields = None if root is None else check.mapping(root, "", _TOP_KEYS)
    if fields is not None:
        attribution = check.text(fields.get("attribution"), "attribution") or ""
        sources = {s.id for s in check.items(fields.get("sources"), "sources", check.source)}
        waterways = check.items(fields.get("waterways"), "waterways",
                                lambda node, where: _waterway(check, node, where, sources))
        check.unique_ids(fields["waterways"].value if "waterways" in fields else None, "waterways")
        _unique_passages(check, waterways, fields.get("waterways"))
    if check.problems:
        raise ScenarioError(check.problems)
    return WaterwayData(tuple(waterways), attribution)


def _waterway(check: Checker, node: YNode, where: str, sources: set[str]) -> Waterway | None:
    """Read one waterway; ``None`` when it has problems (recorded on ``check``)."""
    before = len(check.problems)
    fields = check.mapping(node, where, _WATERWAY_KEYS)
    if fields is None:
        return None
    kind = check.enum(fields.get("kind"), f"{where}.kind", WATERWAY_KINDS)
    passage = check.slug(fields.get("passage"), f"{where}.passage") if "passage" in fields else None
    if kind == "canal" and passage is None and "passage" not in fields:
        check.error(node, f"{where}.passage", "a canal needs the passage name avoid uses")
    if kind == "river" and "passage" in fields:
        check.error(fields["passage"], f"{where}.passage", "only a canal is a named passage")
    cited = check.str_list(fields.get("sources"), f"{where}.sources", check.slug)
    for i, ref in enumerate(cited):
        if ref not in sources:
            check.error(fields["sources"].value[i], f"{where}.sources[{i}]", f"unknown source '{ref}'")
    course = check.items(fields.get("course"), f"{where}.course",
                         lambda n, p: _position(check, n, p), min_items=2)
    values = (check.slug(fields.get("id"), f"{where}.id"), check.text(fields.get("name"), f"{where}.name"))
    if len(check.problems) > before or None in values or kind is None:
        return None
    return Waterway(id=str(values[0]), name=str(values[1]), kind=kind, course=tuple(course),
                    sources=tuple(cited), passage=passage)


def _position(check: Checker, node: YNode, where: str) -> tuple[float, float] | None:
    """Read one ``[lon, lat]`` pair."""
    pair = check.seq(node, where)
    if pair is None:
        return None
    if len(pair) != 2:
        check.error(node, where, f"expected [lon, lat], found {len(pair)} value(s)")
        return None
    lon = check.number(pair[0], f"{where}[0]", low=-180.0, high=180.0, hint=" (longitude comes first)")
    lat = check.number(pair[1], f"{where}[1]", low=-90.0, high=90.0, hint=" (latitude comes second)")
    return None if lon is None or lat is None else (lon, lat)


def _unique_passages(check: Checker, waterways: list[Waterway], node: YNode | None) -> None:
    """Record a passage name given to two canals."""
    seen: set[str] = set()
    for waterway in waterways:
        if waterway.passage is not None and waterway.passage in seen:
            check.error(node, "waterways", f"passage '{waterway.passage}' names two canals")
        if waterway.passage is not None:
            seen.add(waterway.passage)


@functools.lru_cache(maxsize=1)
def load_waterways() -> WaterwayData:
    """Return the waterways shipped with routemap (read once)."""
    return read_waterways(waterways_path())
