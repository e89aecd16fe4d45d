"""Reading a YAML document into plain values that remember their line numbers.

PyYAML's safe composer gives nodes with positions; this module turns them into ``YNode``
trees, refusing what a scenario file never needs and an attacker might send: files over a
size cap (read with a bound, so ``/dev/zero`` is refused too), invalid UTF-8, control
characters, nesting beyond a depth (checked on libyaml's event stream before anything is
composed: libyaml's own composer recurses and would overflow the C stack on a deep enough
file), recursive aliases, alias expansion beyond a budget, duplicate keys and non-string keys.

The budget bounds what aliases add, not what the file writes out: a plain file is already
bounded by the size cap, and a scenario of thousands of transfers holds hundreds of thousands of
values honestly, whereas ten lines of aliases can stand for billions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from routemap.errors import Problem
from routemap.geo.yamldepth import first_too_deep_line

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "YNode",
    "parse_yaml",
    "read_bytes",
    "read_yaml",
    "shorten",
]

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
"""How many values aliases may add to a document (each value an alias repeats counts once more)."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_YAML_TAG = "tag:yaml.org,2002:"
# The tags plain YAML resolves by itself (``merge`` is refused where it is used, as a key).
_PLAIN_TAGS = frozenset(_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                "seq", "map", "value", "yaml"))
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shorten(text: str, limit: int = 60) -> str:
    """Return text fit to quote in a one-line message: control characters escaped, cut to ``limit``.

    Newlines, escape sequences and bidirectional overrides in a hostile value can neither
    break the one-problem-per-line output nor rewrite the user's terminal.
    """
    text = _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, slots=True)
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


def read_bytes(path: Path, *, display: str | None = None) -> tuple[bytes | None, list[Problem]]:
    """Read a file of at most :data:`MAX_BYTES`, never more (a pipe or a device included).

    Returns
    -------
    tuple
        The bytes (None when unreadable or too big) and the problems found.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(name, None, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        return None, [Problem(name, None, "", "is a directory, expected a YAML file")]
    except OSError as exc:
        return None, [Problem(name, None, "", f"cannot read file: {exc.strerror or exc}")]
    if len(data) > MAX_BYTES:
        return None, [Problem(name, None, "", f"file is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,}")]
    return data, []


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
    data, problems = read_bytes(path, display=name)
    if data is None:
        return None, problems
    return parse_yaml(data, name)


def parse_yaml(data: bytes, name: str) -> tuple[YNode | None, list[Problem]]:
    """Parse YAML bytes (UTF-8, optional BOM) into a YNode tree.

    The loader's own limits (size, nesting, values, alias expansion) are checked before or
    instead of the parser's, and every parser error becomes one of this module's messages, so
    what the user reads does not change with the YAML library's version.

    Returns
    -------
    tuple
        The root node (None when it cannot be parsed) and the problems found.
    """
    text, problem = _decode(data, name)
    if text is None:
        return None, [problem]
    deep_line = first_too_deep_line(text, MAX_DEPTH)
    if deep_line is not None:
        return None, [_too_deep(name, deep_line)]
    composer = _Composer(name)
    try:
        root = composer.compose(text)
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, text, name)]
    except _TooBigError as exc:
        return None, [Problem(name, exc.line, "", str(exc))]
    if root is None:
        return None, [Problem(name, None, "", "empty document, expected a scenario mapping")]
    return root, composer.problems


def _too_deep(name: str, line: int | None) -> Problem:
    return Problem(name, line, "", f"YAML nesting deeper than {MAX_DEPTH} levels")


def _decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """Return the text of a document, or a problem saying why it is not UTF-8 YAML text."""
    if len(data) > MAX_BYTES:
        return None, Problem(name, None, "", f"document is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    if data.startswith(_UTF16_BOMS):
        return None, Problem(name, 1, "", "UTF-16 text (byte-order mark 0x"
                             f"{data[:2].hex()}); save the file as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(name, line, "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                             f"{exc.start}); save the file as UTF-8")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, Problem(name, line, "", "binary data (NUL byte), expected YAML text")
    return text, None


# The parser's problems, by the words libyaml and PyYAML open them with, as this tool says them.
# Longer openings first where one begins another; anything not listed gets _UNREADABLE.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "a ': ' inside a plain value; put the value in quotes"),
    ("block sequence entries are not allowed", "a '- ' list item where a plain value is expected"),
    ("found a tab character", "a tab in the indentation; indent with spaces"),
    ("found character '\\t'", "a tab in the indentation; indent with spaces"),
    ("found character", "a value starts with a character reserved by YAML; put the value in quotes"),
    ("did not find expected ',' or ']'", "a '[' list is not closed by ']' (or an item lacks its ',')"),
    ("did not find expected ',' or '}'", "a '{' mapping is not closed by '}' (or an entry lacks its ',')"),
    ("did not find expected key", "this line is not a 'key: value' at the indentation of its mapping"),
    ("did not find expected '-' indicator", "this line is not a '- item' at the indentation of its list"),
    ("did not find expected node content", "a value is missing, or starts with a character that cannot "
                                           "begin one"),
    ("could not find expected ':'", "a key without its ':'"),
    ("found unexpected end of stream", "the file ends before {inside} is closed"),
    ("found unexpected ':'", "a ':' where no key can stand; put the value in quotes"),
    ("found unexpected document indicator", "'---' or '...' inside a value"),
    ("found invalid unicode character escape code", "an invalid \\u or \\x escape in a double-quoted "
                                                    "string"),
    ("found unknown escape character", "an unknown backslash escape in a double-quoted string; write "
                                       "'\\\\' for a backslash, or use single quotes"),
    ("found undefined tag handle", "a YAML tag this file does not define"),
    ("exceeded maximum nesting depth", ""),  # the parser's own depth limit: reported as ours
    ("found incompatible yaml document", "a YAML version this tool does not read"),
    ("did not find expected comment or line break", "text after the end of a value on the same line"),
    ("did not find expected whitespace", "a ':' or '-' must be followed by a space"),
)
_UNREADABLE = "this line cannot be read as YAML"
# What the parser was reading when it stopped, in this tool's words.
_CONTEXTS: tuple[tuple[str, str], ...] = (
    ("flow sequence", "the '[' list"),
    ("flow mapping", "the '{' mapping"),
    ("block mapping", "the mapping"),
    ("block collection", "the list"),
    ("quoted scalar", "the quoted string"),
    ("plain scalar", "the value"),
    ("block scalar", "the '|' or '>' text"),
    ("simple key", "the key"),
    ("anchor", "the anchor"),
    ("alias", "the alias"),
    ("tag", "the tag"),
)


def _syntax_problem(exc: yaml.YAMLError, text: str, name: str) -> Problem:
    """Turn any PyYAML error into one located, one-line problem in this tool's words."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text[: exc.position].count("\n") + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        return Problem(name, line, "", f"character U+{char:04X} is not allowed in YAML text "
                                       "(control characters are not allowed); write it as an escape "
                                       "in a double-quoted string")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(name, None, "", f"YAML syntax error: {_UNREADABLE}")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    if _lookup(_PROBLEMS, exc.problem or "") == "":
        return _too_deep(name, line)
    return Problem(name, line, "", "YAML syntax error: " + _syntax_message(exc, text))


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem, context = exc.problem or "", exc.context or ""
    if problem == "but found another document":
        return "more than one YAML document (a second '---'); a scenario is one document"
    if problem == "found undefined alias":
        return f"alias '{_token_at(text, exc.problem_mark)}' refers to no anchor defined before it"
    if context.startswith("found duplicate anchor"):
        first = exc.context_mark.line + 1 if exc.context_mark else "?"
        return f"anchor '{_token_at(text, exc.problem_mark)}' is defined twice (first at line {first})"
    start, stop = exc.context_mark, exc.problem_mark
    if stop is not None and text[stop.index: stop.index + 1] == "\t":
        return "a tab in the indentation; indent with spaces"
    said = _lookup(_PROBLEMS, problem) or _UNREADABLE
    inside = _lookup(_CONTEXTS, context)
    if "{inside}" in said:
        said, inside = said.format(inside=inside or "the value"), inside and "it"
    if inside and start is not None and stop is not None and start.line != stop.line:
        return f"{said} ({inside} starts at line {start.line + 1})"
    return said


def _lookup(table: tuple[tuple[str, str], ...], words: str) -> str | None:
    """Return the message of the first entry whose key ``words`` contains (case ignored)."""
    words = words.lower()
    return next((said for key, said in table if key in words), None)


def _token_at(text: str, mark: yaml.Mark | None) -> str:
    """Return the anchor or alias token (``&x``, ``*x``) at a mark, or ``?``."""
    if mark is None:
        return "?"
    found = re.match(r"[&*][^\s,\[\]{}]+", text[mark.index: mark.index + 200])
    return shorten(found.group()) if found else "?"


class _TooBigError(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class _Anchor:
    """An anchored value: its node, how many values it stands for, where those values start."""

    node: YNode
    size: int
    origin: int
    mark: yaml.Mark


@dataclass
class _Open:
    """A collection being read: its items so far and what an alias to it would repeat.

    A mapping alternates between waiting for a key (``key_line`` 0) and for that key's
    value; ``key`` None while a value is awaited means the value is dropped (its key was
    refused), and nothing inside it is reported.
    """

    items: list[YNode] | dict[str, YNode]
    line: int
    anchor: str | None
    mark: yaml.Mark
    skipped: bool
    is_key: bool = False
    size: int = 1
    origin: int = 0
    key: str | None = None
    key_line: int = 0


class _Composer:
    """Build a YNode tree from libyaml's event stream, iteratively, in one pass.

    No PyYAML node tree is made: a value is a YNode as soon as it is read, an anchored one is
    shared by its aliases, and each alias adds the values it repeats to the budget.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, _Anchor] = {}
        self.added = 0
        self.root: YNode | None = None
        self.root_mark: yaml.Mark | None = None

    def compose(self, text: str) -> YNode | None:
        """Read every event of ``text``; return the root (None for an empty document).

        Raises
        ------
        yaml.YAMLError
            The parser's errors, and the composer's (undefined alias, duplicate anchor, a
            second document) in PyYAML's own terms.
        _TooBigError
            When aliases add more than :data:`MAX_NODES` values, an alias repeats the
            collection that holds it, or the nesting passes :data:`MAX_DEPTH`.
        """
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self._scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self._start(event, {} if kind is yaml.MappingStartEvent else [])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._end()
            elif kind is yaml.AliasEvent:
                self._alias(event)
            elif kind is yaml.DocumentStartEvent:
                if self.root_mark is not None:
                    raise yaml.composer.ComposerError("expected a single document in the stream",
                                                      self.root_mark, "but found another document",
                                                      event.start_mark)
                self.root_mark = event.start_mark
        return self.root

    def _skipping(self) -> bool:
        """Whether the value being read is dropped: inside a refused key or its value."""
        if not self.stack:
            return False
        top = self.stack[-1]
        return top.skipped or (top.key_line > 0 and top.key is None)

    def _problem(self, line: int, message: str) -> None:
        if not self._skipping():
            self.problems.append(Problem(self.name, line, "", message))

    def _check_tag(self, tag: str, line: int) -> None:
        if tag not in _PLAIN_TAGS:
            shown = shorten(tag.replace(_YAML_TAG, "!!", 1))
            self._problem(line, f"YAML tag '{shown}' is not supported; scenario files hold plain values")

    def _anchor(self, name: str | None, mark: yaml.Mark) -> None:
        if name is not None and name in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence",
                                              self.anchors[name].mark, "second occurrence", mark)

    def _is_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.items, dict) and top.key_line == 0

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        line = event.start_mark.line + 1
        self._anchor(event.anchor, event.start_mark)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _CONSTRUCTOR.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = YNode(_scalar(tag, event.value, event.start_mark), line, raw=event.value,
                     plain=not event.style)
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchor(node, 1, line, event.start_mark)
        if self._is_key():
            self._key(event.value, line, merge=tag == _MERGE_TAG)
            return
        self._check_tag(tag, line)
        self._add(node, 1, line)

    def _start(self, event: yaml.CollectionStartEvent, items: list[YNode] | dict[str, YNode]) -> None:
        line = event.start_mark.line + 1
        self._anchor(event.anchor, event.start_mark)
        if len(self.stack) >= MAX_DEPTH:
            raise _TooBigError(f"YAML nesting deeper than {MAX_DEPTH} levels", line)
        is_key = self._is_key()
        if is_key:
            self._problem(line, "mapping key must be a plain string")
        else:
            tag = event.tag
            if tag is None or tag == "!":
                tag = _MAP_TAG if isinstance(items, dict) else _SEQ_TAG
            self._check_tag(tag, line)
        self.stack.append(_Open(items, line, event.anchor, event.start_mark,
                                is_key or self._skipping(), is_key, origin=line))

    def _end(self) -> None:
        done = self.stack.pop()
        node = YNode(done.items, done.line)
        if done.anchor is not None:
            self.anchors[done.anchor] = _Anchor(node, done.size, done.origin, done.mark)
        if done.is_key:  # refused: its value is dropped
            self.stack[-1].key, self.stack[-1].key_line = None, done.line
            return
        self._add(node, done.size, done.origin)

    def _alias(self, event: yaml.AliasEvent) -> None:
        line = event.start_mark.line + 1
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            held = next((o for o in self.stack if o.anchor == event.anchor), None)
            if held is not None:
                raise _TooBigError("a YAML alias refers to a collection that contains it "
                                   "(recursive alias)", held.line)
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        if self._is_key():
            if anchor.node.is_scalar:
                self._key(anchor.node.raw or "", line, merge=False)
            else:
                self._problem(line, "mapping key must be a plain string")
                self.stack[-1].key, self.stack[-1].key_line = None, line
            return
        if not self._skipping():
            self.added += anchor.size
            if self.added > MAX_NODES:
                raise _TooBigError(f"document expands to more than {MAX_NODES:,} values (YAML aliases?)",
                                   anchor.origin)
        self._add(anchor.node, anchor.size, anchor.origin)

    def _key(self, key: str, line: int, *, merge: bool) -> None:
        """Take a mapping's key; a merge key or a repeated one is reported and its value dropped."""
        top = self.stack[-1]
        assert isinstance(top.items, dict)
        first = top.items.get(key)
        if merge:
            self._problem(line, "YAML merge keys ('<<') are not supported")
        elif first is not None:
            self._problem(line, f"duplicate key '{shorten(key)}' (first at line {first.line})")
        top.key = None if merge or first is not None else key
        top.key_line = line

    def _add(self, node: YNode, size: int, origin: int) -> None:
        """Put a finished value in the collection that holds it (or make it the root)."""
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        top.size += size
        top.origin = min(top.origin, origin)
        if isinstance(top.items, list):
            top.items.append(node)
            return
        if top.key is not None:
            top.items[top.key] = node
        top.key, top.key_line = None, 0


_CONSTRUCTOR = yaml.SafeLoader("")
_STR_TAG, _MAP_TAG, _SEQ_TAG, _MERGE_TAG = (_YAML_TAG + t for t in ("str", "map", "seq", "merge"))


def _scalar(tag: str, text: str, mark: yaml.Mark) -> Any:
    """Construct a scalar with YAML's safe rules; an impossible timestamp stays text."""
    if tag == _STR_TAG:  # most values: the text as written, nothing to construct
        return text
    try:
        value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, text, mark, mark), deep=True)
    except (ValueError, yaml.constructor.ConstructorError, OverflowError):
        return text
    if isinstance(value, (str, int, float, bool, dt.date, type(None))):
        return value
    return text
