"""The overview at scale: transfers bundled by corridor, widths by count, the busiest keyed."""

from __future__ import annotations

import itertools

import pytest

from routemap.maps.language import load_language
from routemap.maps.slides.aggregate import (
    AGGREGATE_ABOVE,
    KEYED_CORRIDORS,
    corridors,
    cut_key,
    deck_sections,
    overview,
    rest_text,
)
from routemap.maps.slides.spec import transfer_specs
from routemap.maps.style import CONFIDENCE_STYLES, MODE_STYLES

from .scale_routeset import many_transfers


@pytest.fixture(scope="module")
def routeset():
    """Sixty generated transfers: past the threshold, on fifteen corridors of uneven traffic."""
    return many_transfers(60, seed=3)


def test_every_leg_is_in_one_corridor_busiest_first(routeset):
    bundles = corridors(routeset.legs)
    assert sum(len(c.confidences) and sum(n for _, n in c.confidences) for c in bundles) \
        == len(routeset.legs)
    counts = [c.count for c in bundles]
    assert counts == sorted(counts, reverse=True)
    legs = routeset.legs
    for c in bundles:
        mine = legs[(legs["from_id"] == c.from_id) & (legs["to_id"] == c.to_id)
                    & (legs["mode"] == c.mode)]
        assert set(mine["transfer_id"]) == set(c.transfers)
        # drawn as sure as its least sure leg
        ranks = [list(CONFIDENCE_STYLES).index(v) for v in mine["confidence"]]
        assert c.confidence == list(CONFIDENCE_STYLES)[max(ranks)]


def test_a_corridor_is_one_mode_and_one_direction(routeset):
    keys = [(c.from_id, c.to_id, c.mode) for c in corridors(routeset.legs)]
    assert len(keys) == len(set(keys))
    assert ("rajin", "vostochny", "sea") in keys and ("vostochny", "rajin", "sea") in keys


@pytest.mark.parametrize(("n", "bundled"), [(12, False), (AGGREGATE_ABOVE, False),
                                            (AGGREGATE_ABOVE + 1, True)])
def test_the_overview_bundles_beyond_a_few_dozen_transfers(n, bundled):
    spec = overview(many_transfers(n))
    assert all(r.feature_id.startswith("corridor:") for r in spec.routes) == bundled
    assert all(c.kind == ("corridor" if bundled else "transfer") for c in spec.callouts)


def test_aggregation_can_be_forced_or_refused(routeset):
    assert overview(routeset, aggregate=False).routes[0].feature_id.startswith("leg:")
    assert overview(many_transfers(5), aggregate=True).routes[0].feature_id == "corridor:1"


def test_widths_count_transfers_and_the_legend_says_so(routeset):
    spec = overview(routeset)
    bundles = corridors(routeset.legs)
    by_id = {r.feature_id: r for r in spec.routes}
    for (i, a), (j, b) in itertools.combinations(enumerate(bundles, start=1), 2):
        if a.mode == b.mode and a.count > b.count:
            assert by_id[f"corridor:{i}"].width > by_id[f"corridor:{j}"].width
    top = bundles[0]
    assert by_id["corridor:1"].width == pytest.approx(3 * MODE_STYLES[top.mode].base_width)
    assert spec.widths.title == "Line width: transfers using the corridor (a count, not a quantity)"
    assert spec.widths.samples[0][1] == f"{top.count} transfers"
    assert spec.widths.samples[-1][1] == f"{bundles[-1].count} transfer" + (
        "s" if bundles[-1].count > 1 else "")


def test_the_busiest_corridors_are_keyed_with_their_counts(routeset):
    spec = overview(routeset)
    bundles = corridors(routeset.legs)
    assert len(spec.callouts) == min(KEYED_CORRIDORS, len(bundles))
    first = spec.callouts[0]
    assert first.text == f"Rajin \u2192 Vostochny \u00b7 sea \u00b7 {bundles[0].count} transfers"
    assert spec.kicker == "60 transfers, bundled by corridor"
    assert spec.subtitle.endswith("one line per corridor, drawn as sure as its least sure leg")


def test_a_cut_key_counts_the_corridors_and_transfers_it_leaves_out(routeset):
    spec = overview(routeset)
    bundles = corridors(routeset.legs)
    cut = cut_key(spec, 4, "unused")
    assert [c.number for c in cut.callouts] == [1, 2, 3, 4]
    left = {t for c in bundles[4:] for t in c.transfers}
    assert cut.more_text == (f"and {len(bundles) - 4} more corridors, with legs of "
                             f"{len(left)} transfers")
    assert cut.more == 0


@pytest.mark.parametrize(("language", "corridors_n", "transfers_n", "expected"), [
    ("en", 1, 1, "and 1 more corridor, with legs of 1 transfer"),
    ("fr", 2, 21, "et 2 autres corridors, avec des tronçons de 21 transferts"),
    ("ru", 5, 21, "и ещё 5 коридоров с участками 21 переброски"),
    ("ru", 2, 3, "и ещё 2 коридора с участками 3 перебросок"),
])
def test_the_rest_is_counted_in_the_language_plural_forms(language, corridors_n, transfers_n,
                                                          expected):
    rest = [[f"t{i}"] for i in range(corridors_n - 1)] + [
        [f"t{i}" for i in range(corridors_n - 1, transfers_n)]]
    assert rest_text(rest, load_language(language)) == expected


def test_the_deck_groups_transfer_slides_by_year_behind_an_index():
    routeset = many_transfers(AGGREGATE_ABOVE + 10, seed=5)
    specs = [overview(routeset), *transfer_specs(routeset)]
    sections = deck_sections(routeset, specs)
    index, years = sections[0], sections[1:]
    assert index.title == "Transfers by year" and not index.specs
    starts = {t.id: t.period.start.isoformat()[:4] for t in routeset.scenario.transfers}
    assert [s.title for s in years] == sorted(set(starts.values()))
    assert index.lines == tuple(f"{s.title}: {len(s.specs)} transfers" for s in years)
    assert sum(len(s.specs) for s in years) == len(routeset.scenario.transfers)
    for section in years:
        ids = [next(iter(s.focus)) for s in section.specs]
        assert {starts[i] for i in ids} == {section.title}
        assert ids == sorted(ids)  # scenario order within a year
        assert section.lines[0] == f"{len(ids)} transfers"
        # the year's busiest corridors, each with how many legs at each confidence
        rows = section.lines[section.lines.index("Busiest corridors") + 1:]
        assert 0 < len(rows) <= 5
        legs = routeset.legs[routeset.legs["transfer_id"].isin(ids)]
        top = corridors(legs)[0]
        levels = ", ".join(f"{c}: {n}" for c, n in top.confidences)
        assert rows[0].endswith(f"{top.count} transfer{'s' if top.count > 1 else ''}: {levels}")


def test_a_small_deck_keeps_its_order_without_dividers():
    small = many_transfers(12)
    specs = [overview(small), *transfer_specs(small)]
    assert deck_sections(small, specs) == [deck_sections(small, specs)[0]]
    assert deck_sections(small, specs)[0].title == ""
    assert deck_sections(small, specs)[0].specs == tuple(specs[1:])


def test_corridor_badges_are_placed_before_place_names(routeset):
    """A badge the key lists must find room on the map before the names of busy places."""
    from routemap.maps.slides.canvas import Canvas

    spec = overview(routeset)
    assert spec.places and max(p.priority for p in spec.places) < Canvas.badge_priority
    busiest = max(spec.places, key=lambda p: p.priority)
    assert busiest.place_id in {"rajin", "vostochny", "tikhoretsk"}
