"""Reading a YAML document into plain values that remember their line numbers.

PyYAML's safe composer gives nodes with positions; this module turns them into ``YNode``
trees, refusing what a scenario file never needs and an attacker might send: files over a
size cap, invalid UTF-8, nesting beyond a depth, alias expansion beyond a node budget,
duplicate keys and non-string keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from geo.errors import Problem

__all__ = ["YNode", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "read_yaml", "parse_yaml"]

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YNode:
    """A YAML value with its 1-based line.

    ``value`` is a ``dict[str, YNode]``, a ``list[YNode]`` or a scalar (str, int, float, bool,
    None, date, datetime); ``raw`` keeps a scalar's text as written (``NO`` stays ``"NO"``
    where YAML 1.1 would read a boolean); ``plain`` is False for quoted scalars.
    """

    value: Any
    line: int
    raw: str | None = None
    plain: bool = True

    @property
    def is_map(self) -> bool:
        """Whether the node is a mapping."""
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        """Whether the node is a sequence."""
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        """Whether the node is a scalar."""
        return not (self.is_map or self.is_seq)


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0


def read_yaml(path: Path, *, display: str | None = None) -> tuple[YNode | None, list[Problem]]:
    """Read and parse a YAML file.

    Parameters
    ----------
    path : Path
        The file.
    display : str, optional
        How to name the file in messages (default: ``str(path)``).

    Returns
    -------
    tuple
        The root node (None when unreadable) and the problems found.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(name, None, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        data = path.read_bytes()
    except IsADirectoryError:
        return None, [Problem(name, None, "", "is a directory, expected a YAML file")]
    except OSError as exc:
        return None, [Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(data, name)


def parse_yaml(data: bytes, name: str) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML bytes (UTF-8, optional BOM) into a YNode tree.

    Returns
    -------
    tuple
        The root node (None when it cannot be parsed) and the problems found.
    """
    if len(data) > MAX_BYTES:
        return None, [Problem(name, None, "", f"document is {len(data):,} bytes; the limit is {MAX_BYTES:,}")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(name, line, "", "binary data (NUL byte), expected YAML text")]
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, [Problem(name, line, "", f"YAML syntax error: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, None, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(name, None, "", f"YAML nesting too deep (limit {MAX_DEPTH})")]
    if root is None:
        return None, [Problem(name, None, "", "empty document, expected a scenario mapping")]
    problems: list[Problem] = []
    try:
        node = _convert(root, name, 0, _Budget(), problems)
    except _TooBig as exc:
        return None, [Problem(name, exc.line, "", str(exc))]
    return node, problems


class _TooBig(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _convert(node: yaml.Node, name: str, depth: int, budget: _Budget, problems: list[Problem]) -> YNode:
    line = node.start_mark.line + 1
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise _TooBig(f"document expands to more than {MAX_NODES:,} values (YAML aliases?)", line)
    if depth > MAX_DEPTH:
        raise _TooBig(f"YAML nesting deeper than {MAX_DEPTH} levels", line)
    if isinstance(node, yaml.MappingNode):
        return YNode(_convert_map(node, name, depth, budget, problems), line)
    if isinstance(node, yaml.SequenceNode):
        return YNode([_convert(n, name, depth + 1, budget, problems) for n in node.value], line)
    return YNode(_scalar(node), line, raw=node.value, plain=not node.style)


def _convert_map(node: yaml.MappingNode, name: str, depth: int, budget: _Budget,
                 problems: list[Problem]) -> dict[str, YNode]:
    out: dict[str, YNode] = {}
    for key_node, value_node in node.value:
        kline = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(name, kline, "", "YAML merge keys ('<<') are not supported"))
            continue
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(name, kline, "", "mapping key must be a plain string"))
            continue
        key = key_node.value
        if key in out:
            problems.append(Problem(name, kline, "", f"duplicate key '{key}' (first at line {out[key].line})"))
            continue
        out[key] = _convert(value_node, name, depth + 1, budget, problems)
    return out


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalar(node: yaml.ScalarNode) -> Any:
    """Construct a scalar with YAML's safe rules; an impossible timestamp stays text."""
    try:
        value = _CONSTRUCTOR.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError, OverflowError):
        return node.value
    if isinstance(value, (str, int, float, bool, dt.date, type(None))):
        return value
    return node.value
