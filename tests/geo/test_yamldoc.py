"""The YAML reader's budget bounds what aliases add, never what a plain file writes out."""

from __future__ import annotations

import pytest

from routemap.errors import Problem
from routemap.geo import yamldoc
from routemap.geo.yamldoc import parse_yaml


@pytest.fixture()
def small_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    """A budget of 100 values added by aliases, so that tests stay small."""
    monkeypatch.setattr(yamldoc, "MAX_NODES", 100)
    return 100


def _plain(n: int) -> bytes:
    """A document that writes ``n`` items out, one per line, with no alias."""
    return ("items:\n" + "".join(f"  - {{id: item-{i}, n: {i}}}\n" for i in range(n))).encode()


def test_a_plain_document_far_over_the_budget_is_read_in_full(small_budget):
    node, problems = parse_yaml(_plain(2_000), "plain.yaml")  # 6,002 values, 60 times the budget
    assert problems == []
    items = node.value["items"].value
    assert len(items) == 2_000
    assert (items[-1].value["id"].value, items[-1].value["n"].value, items[-1].line) == ("item-1999", 1999, 2001)


def _aliased(repeats: int) -> bytes:
    """An anchored mapping of 10 values (the mapping and 9 scalars) repeated ``repeats`` times."""
    return ("base: &b {a: 1, b: 2, c: 3, d: [1, 2, 3, 4, 5]}\n"
            "copies:\n" + "  - *b\n" * repeats).encode()


@pytest.mark.parametrize("repeats, refused", [(10, False), (11, True)])
def test_the_budget_counts_every_value_an_alias_repeats(small_budget, repeats, refused):
    """Ten repeats of a 10-value mapping add exactly 100 values; one more is over the budget."""
    node, problems = parse_yaml(_aliased(repeats), "a.yaml")
    if refused:
        assert (node, problems) == (None, [Problem("a.yaml", 1, "", "document expands to more than 100 "
                                                                    "values (YAML aliases?)")])
    else:
        assert problems == []
        copies = node.value["copies"].value
        assert [c.value["d"].value[4].value for c in copies] == [5] * repeats


def test_plain_values_do_not_use_up_the_aliases_budget(small_budget):
    text = _plain(500) + b"base: &b [1, 2, 3, 4]\ncopies: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
    node, problems = parse_yaml(text, "mixed.yaml")
    assert problems == [] and len(node.value["copies"].value) == 10


def test_text_values_keep_what_was_written_and_other_scalars_are_constructed():
    node, problems = parse_yaml(b"a: NO\nb: '07'\nc: 2023-09-07\nd: 1_000\ne: ~\nf: 0.5\ng: yes\n", "s.yaml")
    values = {k: (v.value, v.raw, v.plain) for k, v in node.value.items()}
    assert problems == []
    assert values["b"] == ("07", "07", False)
    assert str(values["c"][0]) == "2023-09-07" and values["d"][0] == 1000 and values["e"][0] is None
    assert values["f"][0] == 0.5 and values["a"][1] == "NO" and values["g"][1] == "yes"


def test_a_generated_scenario_of_5000_transfers_loads():
    """About 2 MB and 220,000 values of honest YAML (it was refused as an expansion)."""
    from routemap.geo.scenario import parse_scenario
    from routemap.geo.synthetic import synthetic_scenario

    text = synthetic_scenario(5_000).encode()
    assert len(text) > 2_000_000
    scenario = parse_scenario(text, "synthetic-5000.yaml")
    assert len(scenario.transfers) == 5_000
    assert scenario.transfers[-1].legs and all(t.sources for t in scenario.transfers)
