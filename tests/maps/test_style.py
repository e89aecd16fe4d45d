"""The one width rule (maps/style.py): which unit scales line width, and what the legend says."""

from __future__ import annotations

import math

import pytest

from routemap.maps.style import (
    MODE_STYLES,
    PATH_LEGEND,
    PATH_STYLES,
    LegQuantity,
    WidthLegend,
    WidthScale,
    line_width,
    place_priority,
    width_legend,
    width_scale,
)


def _legs(*rows: tuple[str, str, float | None, str | None]) -> list[LegQuantity]:
    """Return legs from (transfer id, mode, value, unit) rows."""
    return [LegQuantity(t, mode, value, unit) for t, mode, value, unit in rows]


# The bundled scenario's units: containers and tanker voyages tie on two transfers each;
# containers carry the larger total.
BUNDLED = _legs(
    ("c1", "sea", 1000, "containers"), ("c1", "rail", 1000, "containers"),
    ("c2", "sea", 2000, "containers"),
    ("rc", "rail", 73, "railcars"),
    ("v1", "sea", 2, "tanker voyages"), ("v2", "sea", 4, "tanker voyages"),
    ("tc", "rail", 66, "tank cars"),
    ("kg", "rail", 2, "Koksan guns"),
    ("air", "air", None, None),
)


@pytest.mark.parametrize(("legs", "unit", "top"), [
    (BUNDLED, "containers", 2000.0),
    # Most transfers wins, however large the other unit's numbers.
    (_legs(("a", "rail", 5, "railcars"), ("b", "rail", 7, "railcars"),
           ("c", "sea", 9000, "containers")), "railcars", 7.0),
    # Transfers count once each, not once per leg.
    (_legs(("a", "sea", 10, "containers"), ("a", "rail", 10, "containers"),
           ("a", "road", 10, "containers"), ("b", "rail", 3, "railcars"),
           ("c", "rail", 4, "railcars")), "railcars", 4.0),
    # A tie on transfers and totals goes to the unit first in alphabetical order.
    (_legs(("a", "rail", 5, "wagons"), ("b", "rail", 5, "railcars")), "railcars", 5.0),
    (_legs(("a", "rail", 5, "Wagons"), ("b", "rail", 5, "railcars")), "railcars", 5.0),
    # Legs without a value or a unit (None or NaN) do not count.
    (_legs(("a", "air", None, "guns"), ("b", "air", math.nan, "guns"), ("c", "sea", 1, None),
           ("d", "sea", 3, "barrels")), "barrels", 3.0),
    (_legs(("a", "air", None, None)), None, None),
    ([], None, None),
])
def test_main_unit_is_carried_by_most_transfers_then_larger_total_then_name(legs, unit, top):
    scale = width_scale(legs)
    assert scale.unit == unit
    assert scale.max_quantity == (pytest.approx(top) if top is not None else None)


def test_units_are_ranked_by_the_same_rule():
    assert width_scale(BUNDLED).units == (
        "containers", "tanker voyages", "railcars", "tank cars", "Koksan guns")


def test_only_the_main_unit_widens_lines():
    scale = width_scale(BUNDLED)
    base = MODE_STYLES["rail"].base_width
    assert scale.width("sea", 2000, "containers") == pytest.approx(
        3 * MODE_STYLES["sea"].base_width)
    assert scale.width("rail", 1000, "containers") == pytest.approx(
        line_width("rail", 1000, 2000))
    assert base < scale.width("rail", 1000, "containers") < 3 * base
    for value, unit in ((2, "Koksan guns"), (66, "tank cars"), (73, "railcars"),
                        (4, "tanker voyages"), (None, None)):
        assert scale.width("rail", value, unit) == pytest.approx(base), unit


def test_without_quantities_every_leg_has_its_base_width():
    scale = width_scale(_legs(("a", "air", None, None)))
    assert scale == WidthScale(None, None)
    assert scale.width("air", 5, "containers") == pytest.approx(MODE_STYLES["air"].base_width)
    assert width_legend(scale, _legs(("a", "air", None, None))) == WidthLegend()


def test_legend_samples_the_main_unit_and_names_the_others_at_base_width():
    scale = width_scale(BUNDLED)
    legend = width_legend(scale, BUNDLED)
    assert [text for _, text in legend.samples] == ["2,000 containers", "1,000 containers"]
    assert [w for w, _ in legend.samples] == pytest.approx(
        [scale.width("sea", 2000, "containers"), scale.width("sea", 1000, "containers")])
    ((width, text),) = legend.others
    assert width == pytest.approx(MODE_STYLES["rail"].base_width)
    assert text == ("Other units (tanker voyages, railcars, ...): base width; "
                    "see popups/notes")
    assert legend.rows == legend.samples + legend.others


def test_legend_of_a_view_names_only_the_units_it_shows():
    scale = width_scale(BUNDLED)
    containers = width_legend(scale, [leg for leg in BUNDLED if leg.transfer_id == "c1"])
    assert [t for _, t in containers.rows] == ["2,000 containers", "1,000 containers"]
    assert containers.others == ()
    single = width_legend(scale, [leg for leg in BUNDLED if leg.transfer_id == "c2"])
    assert [t for _, t in single.rows] == ["2,000 containers", "500 containers"]
    guns = width_legend(scale, [leg for leg in BUNDLED if leg.transfer_id == "kg"])
    assert guns.samples == ()
    assert [t for _, t in guns.others] == [
        "Other unit (Koksan guns): base width; widths scale only for containers; "
        "see popups/notes"]


def test_legend_lists_every_other_unit_when_asked():
    text = width_legend(width_scale(BUNDLED), BUNDLED, max_units=10).others[0][1]
    assert "(tanker voyages, railcars, tank cars, Koksan guns)" in text


# --- width only where counts compare ---------------------------------------------------------


def _claim(t: str, value: float, **kw) -> LegQuantity:
    return LegQuantity(t, "sea", value, "containers", **kw)


@pytest.mark.parametrize(("legs", "reason"), [
    ([_claim("a", 1000), _claim("b", 2000)], None),
    ([_claim("a", 1000, basis="one voyage"), _claim("b", 2000, basis="one voyage")], None),
    ([_claim("a", 1000, window_days=30), _claim("b", 2000, window_days=60)], None),  # factor 2: compare
    ([_claim("a", 1000, basis="one voyage"), _claim("b", 2000, basis="whole flow")],
     "the counts measure different things"),
    ([_claim("a", 1000, basis="one voyage"), _claim("b", 2000)], "the counts measure different things"),
    ([_claim("a", 1000, window_days=30), _claim("b", 2000, window_days=61)], "the counts cover different windows"),
    ([_claim("a", 1000, window_days=30), _claim("b", 2000)], "the counts cover different windows"),
    ([_claim("a", 1000), _claim("b", 10000, disagree=True)], "sources disagree on a count"),
    ([_claim("a", 1000), _claim("b", 10000, is_range=True)], "a count is given as a range"),
    # only the main unit's counts need to compare; other units are at base width anyway
    ([_claim("a", 1000), _claim("b", 2000), LegQuantity("c", "rail", 5, "trains", basis="x")], None),
])
def test_width_scales_only_where_counts_compare(legs, reason):
    scale = width_scale(legs)
    assert scale.reason == reason
    widths = {scale.width(leg.mode, leg.value, leg.unit) for leg in legs if leg.unit == "containers"}
    if reason is None:
        assert len(widths) == 2
    else:
        assert scale.unit is None and widths == {MODE_STYLES["sea"].base_width}
        assert width_legend(scale, legs).rows == (
            (MODE_STYLES["sea"].base_width, f"Line width not scaled: {reason}"),)


def test_issue_example_one_voyage_against_the_whole_flow_is_not_drawn_twice_as_wide():
    """Issue 13: 2,000 containers on one ship against 'more than 1,000' over another window."""
    legs = [_claim("t1", 1000, window_days=25), _claim("t2", 2000, basis="one voyage")]
    scale = width_scale(legs)
    assert scale.width("sea", 2000, "containers") == scale.width("sea", 1000, "containers")
    assert width_legend(scale, legs).rows[0][1].startswith("Line width not scaled: ")


def test_a_view_of_other_units_only_does_not_give_the_main_units_reason():
    """Issue 13: a railcar slide said 'sources disagree on a count' about the containers."""
    legs = [_claim("a", 1000), _claim("b", 10000, disagree=True),
            LegQuantity("c", "rail", 73, "freight railcars")]
    scale = width_scale(legs)
    assert width_legend(scale, legs[2:]).rows == (
        (MODE_STYLES["rail"].base_width, "Line width not scaled: freight railcars not compared with containers"),)
    assert width_legend(scale, legs[:1]).rows[0][1] == "Line width not scaled: sources disagree on a count"


@pytest.mark.parametrize(("props", "expected"), [
    ({"transfer_id": "t", "mode": "rail", "quantity_value": 1000.0, "quantity_unit": "containers",
      "quantity_basis": "one voyage", "quantity_window_start": "2023-09-07",
      "quantity_window_end": "2023-09-20", "quantity_max": None, "quantities_disagree": False},
     LegQuantity("t", "rail", 1000.0, "containers", "one voyage", 14, False, False)),
    ({"transfer_id": "t", "mode": "boat", "quantity_value": 10000, "quantity_unit": "containers",
      "quantity_max": 20000, "quantities_disagree": True},
     LegQuantity("t", "road", 10000.0, "containers", None, None, True, True)),
    ({"transfer_id": "t", "mode": "sea", "quantity_value": float("nan"), "quantity_unit": None,
      "quantity_max": float("nan"), "quantities_disagree": float("nan")},
     LegQuantity("t", "sea", None, None)),
])
def test_leg_quantity_from_record_properties(props, expected):
    assert LegQuantity.from_properties(props) == expected


def test_path_styles_keep_a_modelled_line_apart_from_a_reported_one():
    assert set(PATH_STYLES) == {"reported", "estimated"}
    assert not PATH_STYLES["reported"].band and PATH_STYLES["estimated"].band
    assert PATH_STYLES["estimated"].band_factor > 2 and 0 < PATH_STYLES["estimated"].band_opacity < 0.5
    assert set(PATH_LEGEND) == {"confidence", "path"}


def test_place_priority_puts_the_places_a_story_ends_at_before_the_junctions_it_passes():
    """A depot no leg ends at (a note's place) still comes before a corridor's junction; each
    leg ending at a place adds 2, up to five legs; an unknown kind counts as 'other'."""
    assert place_priority("depot", 0) == 6.0 > place_priority("rail_junction", 0) == 3.0
    assert place_priority("port", 3) == 11.0
    assert place_priority("city", 9) == place_priority("city", 5) == 12.0
    assert place_priority("no such kind", 0) == 1.0
