"""How deep a YAML text nests, measured from its characters before any YAML parser reads it.

The loader's depth limit must answer before a parser can trip on a limit of its own (libyaml
refuses documents nested about 1,000 deep with its own words, and its recursive composer
would overflow the C stack long before a million). This scanner is a small, iterative,
single-pass reading of YAML's layout: block collections open where a line's indentation
grows (a ``- `` entry and a ``key:`` each start at a column), flow collections open at ``[``
and ``{`` outside quoted strings and comments, and block texts (``|``, ``>``) are skipped.

Each open block collection is kept with its column and kind, so a list written at its parent
key's own column (``key:`` then ``- item``) counts as the level it is. On well-formed YAML the
measured depth is the depth of the composed tree; on broken YAML it is measured as far as the
layout goes, and the composed tree is checked again afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["first_too_deep_line"]

_FLOW_OPEN = "[{"
_FLOW_CLOSE = "]}"
_NODE_PROPERTIES = "&!"  # an anchor or a tag may stand before a node


@dataclass
class _State:
    """What is open at the end of a line: block columns, flow depth, a quote, a block text."""

    columns: list[tuple[int, str]] = field(default_factory=list)
    flow: int = 0
    quote: str = ""
    block_text_parent: int | None = None

    @property
    def depth(self) -> int:
        return len(self.columns) + self.flow


class _TooDeepError(Exception):
    pass


def first_too_deep_line(text: str, limit: int) -> int | None:
    """Return the 1-based line where the nesting of ``text`` first exceeds ``limit``, or None.

    Parameters
    ----------
    text : str
        A YAML document, already decoded.
    limit : int
        The deepest nesting allowed (collections inside collections).

    Returns
    -------
    int or None
        The line at which the depth passes ``limit``; None when it never does. Text that is
        not valid YAML is measured as far as its layout goes and never raises.
    """
    state = _State()
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            _read_line(line.rstrip("\r"), state, limit)
        except _TooDeepError:
            return number
    return None


def _read_line(line: str, state: _State, limit: int) -> None:
    """Advance ``state`` over one line; raise ``_TooDeepError`` when the depth passes ``limit``."""
    if state.block_text_parent is not None:
        if not line.strip() or _indent(line) > state.block_text_parent:
            return
        state.block_text_parent = None
    at = 0
    if state.quote:
        at = _skip_quoted(line, 0, state)
        if state.quote:
            return
    if state.flow:
        _read_flow(line, at, state, limit)
        return
    if at == 0:
        _read_block_line(line, state, limit)


def _read_block_line(line: str, state: _State, limit: int) -> None:
    indent = _indent(line)
    rest = line[indent:]
    if not rest or rest.startswith("#") or _is_marker(line):
        return
    while state.columns and state.columns[-1][0] > indent:
        state.columns.pop()
    at = indent
    while at < len(line):
        if _is_entry(line, at):  # "- item" or "? key": a collection opens at this column
            _open_column(at, "map" if line[at] == "?" else "seq", state, limit)
            at = _next_word(line, at + 1)
            continue
        key_end = _key_end(line, at)
        if key_end is not None:
            _open_column(at, "map", state, limit)
            at = _next_word(line, key_end + 1)
            if at >= len(line) or _is_entry(line, at):
                continue
        _read_value(line, at, state, limit)
        return


def _read_value(line: str, at: int, state: _State, limit: int) -> None:
    """Read the node that starts at ``at`` and runs to the end of the line."""
    at = _skip_properties(line, at)
    if at >= len(line) or line[at] == "#":
        return
    char = line[at]
    if char in _FLOW_OPEN:
        _read_flow(line, at, state, limit)
    elif char in "'\"":
        state.quote = char
        _skip_quoted(line, at + 1, state)
    elif char in "|>":
        state.block_text_parent = state.columns[-1][0] if state.columns else -1


def _read_flow(line: str, at: int, state: _State, limit: int) -> None:
    """Count ``[``/``{`` opening and ``]``/``}`` closing in flow context, quotes and comments aside."""
    previous = " " if at == 0 else line[at - 1]
    while at < len(line):
        char = line[at]
        if char in _FLOW_OPEN:
            state.flow += 1
            if state.depth > limit:
                raise _TooDeepError
        elif char in _FLOW_CLOSE:
            state.flow = max(0, state.flow - 1)
            if not state.flow:
                return
        elif char in "'\"" and previous in " \t[{,:":
            state.quote = char
            at = _skip_quoted(line, at + 1, state)
            if state.quote:
                return
            previous = char
            continue
        elif char == "#" and previous in " \t":
            return
        previous = char
        at += 1


def _skip_quoted(line: str, at: int, state: _State) -> int:
    """Return the index after the closing quote, clearing ``state.quote``; or the line's end."""
    quote = state.quote
    while at < len(line):
        char = line[at]
        if quote == '"' and char == "\\":
            at += 2
            continue
        if char == quote:
            if quote == "'" and line[at + 1: at + 2] == "'":
                at += 2
                continue
            state.quote = ""
            return at + 1
        at += 1
    return len(line)


def _open_column(column: int, kind: str, state: _State, limit: int) -> None:
    """Note a ``kind`` (``map`` or ``seq``) collection entry at ``column``, opening it if new.

    A list at its parent mapping's column is a level of its own, which ends where the next
    key of that mapping stands.
    """
    if state.columns and state.columns[-1] == (column, "seq") and kind == "map":
        state.columns.pop()
    top = state.columns[-1] if state.columns else None
    if top is None or top[0] < column or (top == (column, "map") and kind == "seq"):
        state.columns.append((column, kind))
        if state.depth > limit:
            raise _TooDeepError


def _key_end(line: str, at: int) -> int | None:
    """Return the index of the ``:`` ending a block mapping key that starts at ``at``, if any."""
    if at < len(line) and line[at] in _FLOW_OPEN + "#|>":
        return None
    index = at
    if at < len(line) and line[at] in "'\"":
        probe = _State(quote=line[at])
        index = _skip_quoted(line, at + 1, probe)
        if probe.quote:
            return None
    while index < len(line):
        char = line[index]
        if char == "#" and index > at and line[index - 1] in " \t":
            return None
        if char == ":" and (index + 1 == len(line) or line[index + 1] in " \t"):
            return index
        index += 1
    return None


def _skip_properties(line: str, at: int) -> int:
    """Skip anchors (``&a``) and tags (``!t``) before a node."""
    while at < len(line) and line[at] in _NODE_PROPERTIES:
        while at < len(line) and line[at] not in " \t":
            at += 1
        at = _next_word(line, at)
    return at


def _is_entry(line: str, at: int) -> bool:
    return line[at: at + 1] in ("-", "?") and line[at + 1: at + 2] in ("", " ", "\t")


def _is_marker(line: str) -> bool:
    """A directive (``%YAML``) or a document marker (``---``, ``...``) at the start of a line."""
    return line.startswith("%") or (line.startswith(("---", "...")) and line[3:4] in (" ", "\t", ""))


def _next_word(line: str, at: int) -> int:
    while at < len(line) and line[at] in " \t":
        at += 1
    return at


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
