"""The loader's own YAML limits answer before the parser, in the loader's own words.

The YAML library's wording and limits change between releases (PyYAML 6.0.4's libyaml refuses
1,000 levels with "exceeded maximum nesting depth"); these tests pin what the user reads
whatever the parser says, by making the parser fail loudly if it is consulted at all.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routemap.geo import yamldoc
from routemap.geo.yamldepth import first_too_deep_line
from routemap.geo.yamldoc import MAX_DEPTH, parse_yaml

TOO_DEEP = f"YAML nesting deeper than {MAX_DEPTH} levels"


def _flow(depth: int) -> str:
    return "version: 1\ntitle: " + "[" * depth + "]" * depth + "\n"


def _blocks(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "end\n"


def _dashes(depth: int) -> str:
    return "- " * depth + "x\n"


def _items_of_maps(depth: int) -> str:
    return "".join("  " * i + "- k:\n" for i in range(depth)) + "  " * depth + "  v\n"


def _quoted_brackets(depth: int) -> str:
    return "title: '" + "[" * depth + "'\nnote: \"" + "{" * depth + "\" # [[[[\n"


DEEP = [  # (text, the line where the depth first passes MAX_DEPTH)
    (_flow(10_000), 2),
    (_flow(1_000_000), 2),
    (_blocks(1000), MAX_DEPTH + 1),
    (_dashes(5000), 1),
    (_items_of_maps(1000), MAX_DEPTH // 2 + 1),
    ("a:\n  b: [\n" + "  [\n" * 200 + "]" * 200 + "]\n", MAX_DEPTH),
]


def _refuse(*args, **kwargs):
    raise AssertionError("the YAML parser was consulted")


@pytest.mark.parametrize("text, line", DEEP, ids=["flow-10k", "flow-1m", "blocks", "dashes", "items", "lines"])
def test_deep_documents_are_refused_in_our_words_before_any_parser_runs(text, line, monkeypatch):
    monkeypatch.setattr(yamldoc.yaml, "parse", _refuse)
    monkeypatch.setattr(yamldoc.yaml, "compose", _refuse)
    assert parse_yaml(text.encode(), "d.yaml") == (None, [yamldoc.Problem("d.yaml", line, "", TOO_DEEP)])


@pytest.mark.parametrize("make", [_flow, _blocks, _dashes, _items_of_maps])
def test_the_scan_finds_the_line_the_parsers_events_find(make):
    """Where libyaml can still read the document (under 1,000 levels), both agree on the line."""
    text = make(100)
    with pytest.raises(yamldoc._TooBigError) as info:
        yamldoc._Composer("e.yaml").compose(text)
    assert first_too_deep_line(text, MAX_DEPTH) == info.value.line


@pytest.mark.parametrize("depth", [1, 2, MAX_DEPTH - 1, MAX_DEPTH])
@pytest.mark.parametrize("style", [_flow, _blocks, _dashes])
def test_documents_within_the_limit_pass_the_scan(style, depth):
    text = style(depth - 1 if style is _flow else depth)  # _flow nests under a top-level mapping
    assert first_too_deep_line(text, MAX_DEPTH) is None
    assert first_too_deep_line(style(depth + 1), depth) is not None


def test_brackets_in_strings_comments_and_block_texts_do_not_count():
    text = _quoted_brackets(500) + "body: |\n  " + "[" * 500 + "\n  {{{{\nend: x # {{{{{{\n"
    assert first_too_deep_line(text, MAX_DEPTH) is None
    assert parse_yaml(text.encode(), "q.yaml")[1] == []


@pytest.mark.parametrize("words", [
    "exceeded maximum nesting depth",
    "Exceeded Maximum Nesting Depth (new wording)",
])
def test_the_parsers_own_depth_limit_is_reported_as_ours(words, monkeypatch):
    def parser_limit(text, Loader):  # noqa: N803 - yaml.parse's own keyword
        raise yaml.MarkedYAMLError(problem=words, problem_mark=yaml.Mark("x", 0, 1, 0, None, None))

    monkeypatch.setattr(yamldoc.yaml, "parse", parser_limit)
    assert parse_yaml(b"a: [[1]]\n", "p.yaml")[1] == [yamldoc.Problem("p.yaml", 2, "", TOO_DEEP)]


def test_unknown_parser_words_never_reach_the_user(monkeypatch):
    def new_words(text, Loader):  # noqa: N803 - yaml.parse's own keyword
        raise yaml.MarkedYAMLError(context="while frobnicating", problem="found a gremlin",
                                   problem_mark=yaml.Mark("x", 0, 0, 0, None, None))

    monkeypatch.setattr(yamldoc.yaml, "parse", new_words)
    [problem] = parse_yaml(b"a: 1\n", "p.yaml")[1]
    assert problem.message == "YAML syntax error: this line cannot be read as YAML"


def _nest(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


@settings(max_examples=80, deadline=None)
@given(depth=st.integers(1, 3 * MAX_DEPTH), flow=st.booleans(), wrap=st.booleans())
def test_the_scan_measures_the_depth_of_the_composed_tree(depth, flow, wrap):
    """Lists in mappings in lists, flow or block (PyYAML writes lists at their key's column)."""
    data: object = _nest(depth)
    for _ in range(depth // 3 if wrap else 0):
        data = {"k": [data]}
    true_depth = depth + 2 * (depth // 3 if wrap else 0)
    text = yaml.safe_dump(data, default_flow_style=flow)
    assert (first_too_deep_line(text, MAX_DEPTH) is not None) == (true_depth > MAX_DEPTH)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("-?:[]{}'\"#|>&!*, \t\nab\\"), max_size=300))
def test_the_scan_reads_any_text_without_failing(text):
    line = first_too_deep_line(text, 3)
    assert line is None or 1 <= line <= text.count("\n") + 1
