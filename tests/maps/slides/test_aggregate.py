"""The overview at scale: transfers bundled by corridor, widths by count, the busiest keyed."""

from __future__ import annotations

import itertools

import numpy as np
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


def _route_of(spec, bundle):
    """Return the overview's line of a corridor (its id follows the key, not the rank)."""
    return next(r for r in spec.routes if np.array_equal(r.parts[0], bundle.parts[0]))


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
    width = [_route_of(spec, b).width for b in bundles]
    for (i, a), (j, b) in itertools.combinations(enumerate(bundles), 2):
        if a.mode == b.mode and a.count > b.count:
            assert width[i] > width[j]
    top = bundles[0]
    assert width[0] == pytest.approx(3 * MODE_STYLES[top.mode].base_width)
    assert spec.widths.title == "Line width: transfers using the corridor (a count, not a quantity)"
    assert spec.widths.samples[0][1] == f"{top.count} transfers"
    assert spec.widths.samples[-1][1] == f"{bundles[-1].count} transfer" + (
        "s" if bundles[-1].count > 1 else "")


def test_the_busiest_corridors_are_keyed_with_their_counts(routeset):
    spec = overview(routeset)
    bundles = corridors(routeset.legs)
    # as many as can be placed on their own lines (issue 18), at most KEYED_CORRIDORS
    assert 0 < len(spec.callouts) <= min(KEYED_CORRIDORS, len(bundles))
    first = spec.callouts[0]
    assert first.text == f"Rajin \u2192 Vostochny \u00b7 sea \u00b7 {bundles[0].count} transfers"
    assert spec.kicker == "60 transfers, bundled by corridor"
    assert spec.subtitle.endswith("one line per corridor, drawn as sure as its least sure leg")


def test_a_cut_key_counts_the_corridors_and_transfers_it_leaves_out(routeset):
    spec = overview(routeset)
    bundles = corridors(routeset.legs)
    cut = cut_key(spec, 4, "unused")
    assert [c.number for c in cut.callouts] == [1, 2, 3, 4]
    left = {t for ids in spec.corridors[4:] for t in ids}
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


@pytest.fixture(scope="module")
def thousand():
    """A generated 1,000-transfer scenario's aggregated overview: its map and labels drawn
    once, as the slide draws them (at scale 1 on a third-size slide: the layout is in points,
    so it is the full slide's; without the furniture, which only takes room)."""
    import matplotlib

    from routemap.maps.slides.canvas import draw_map, setup_canvas, slide_rc
    from routemap.maps.slides.labelling import draw_labels

    routeset = many_transfers(1000, seed=0)
    with matplotlib.rc_context(slide_rc()):
        spec = cut_key(overview(routeset), 8, "unused")
        canvas = setup_canvas(spec, (640, 360), 50, {})
        layers = draw_map(canvas, spec, frozenset())
        placed, dropped = draw_labels(canvas, spec, layers, [])
    yield routeset, spec, canvas, placed, dropped
    canvas.fig.clear()


def _badge_faults(placed, canvas_lines, bound):
    """Return what breaks the badges' rule: a leader over ``bound``, or a badge as near
    another keyed corridor's line as its own."""
    from routemap.maps.slides.labels import box_distances

    out = []
    for p in placed:
        n = int(p.key.split(":")[1])
        if p.leader_length() > bound + 1e-6:
            out.append(f"{p.key}: leader {p.leader_length():.0f} px > {bound:.0f}")
        mine = float(box_distances(p.box, canvas_lines[n]).min())
        for m, line in canvas_lines.items():
            if m != n and len(line) and float(box_distances(p.box, line).min()) < mine + 0.5:
                out.append(f"{p.key}: as near corridor {m} as its own")
    return out


def test_every_keyed_badge_sits_on_its_own_corridor(thousand):
    """Issue 18: badges of short Far East corridors landed far off (1 near Nagoya, 3 in China)."""
    from routemap.maps.slides.canvas import setup_canvas
    from routemap.maps.slides.corridor_badges import (
        MAX_BADGE_LEADER_PT,
        corridor_placements,
        display_lines,
        marker_boxes,
    )

    _, spec, canvas, placed, dropped = thousand
    assert spec.callouts, "the overview keys some corridors"
    numbers = [c.number for c in spec.callouts]
    assert numbers == list(range(1, len(numbers) + 1))
    badges = [p for p in placed if p.key.startswith("corridor:")]
    assert sorted(p.key for p in badges) == sorted(f"corridor:{n}" for n in numbers)
    assert not [k for k in dropped if k.startswith("corridor:")]
    routes = {int(r.feature_id.split(":")[1]): r.parts for r in spec.routes}
    lines = display_lines(canvas, {n: routes[n] for n in numbers})
    bound = MAX_BADGE_LEADER_PT * canvas.px_per_pt * canvas.scale
    assert _badge_faults(badges, lines, bound) == []
    # laid out again on the full slide, as the overview chose its keyed corridors
    full = setup_canvas(spec, (1920, 1080), 150, {})
    placed, lost = corridor_placements(full, spec, marker_boxes(full, spec))
    assert lost == [] and len(placed) == len(numbers)
    full_lines = display_lines(full, {n: routes[n] for n in numbers})
    assert _badge_faults(placed, full_lines, MAX_BADGE_LEADER_PT * full.px_per_pt) == []


def test_a_corridor_whose_badge_finds_no_place_gives_its_rank_to_the_next(thousand):
    routeset, spec, *_ = thousand
    bundles = corridors(routeset.legs)
    lines = {r.feature_id: r.parts[0] for r in spec.routes}
    keyed = [next((b.from_id, b.to_id, b.mode) for b in bundles
                  if np.array_equal(b.parts[0], lines[f"corridor:{c.number}"]))
             for c in spec.callouts]
    # the second busiest corridor, Rajin to Dunai by sea, is a short line among the Far
    # East's: its badge cannot be nearer it than its neighbours', so it is not keyed
    assert ("rajin", "dunai", "sea") not in keyed
    assert len(keyed) == len(spec.callouts)
    # the keyed are the busiest that could be placed, in order; the rest counted exactly
    ranks = [next(i for i, b in enumerate(bundles) if (b.from_id, b.to_id, b.mode) == k)
             for k in keyed]
    assert ranks == sorted(ranks)
    left = {t for ids in spec.corridors[len(spec.callouts):] for t in ids}
    assert spec.more_text == (f"and {len(bundles) - len(keyed)} more corridors, with legs of "
                              f"{len(left)} transfers")
    assert sorted(map(len, spec.corridors)) == sorted(b.count for b in bundles)
