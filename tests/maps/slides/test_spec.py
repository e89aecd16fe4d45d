"""What a slide shows, before drawing: line widths by the main unit, and the width legend."""

from __future__ import annotations

import pytest

from routemap.maps.slides.spec import overview_spec, transfer_specs
from routemap.maps.style import MODE_STYLES, line_width


def test_only_the_main_unit_widens_lines_on_slides(mixed_units_routeset):
    """2 Koksan guns are drawn at the air mode's base width, not as thick as 300 containers."""
    spec = overview_spec(mixed_units_routeset)
    widths = {r.feature_id: r.width for r in spec.routes}
    assert widths["leg:najin-dunai-tikhoretsk:0"] == pytest.approx(line_width("sea", 300, 300))
    assert widths["leg:najin-dunai-tikhoretsk:1"] == pytest.approx(line_width("rail", 300, 300))
    assert widths["leg:air-estimate:0"] == pytest.approx(MODE_STYLES["air"].base_width)


def test_width_legend_samples_the_main_unit_and_names_the_others(mixed_units_routeset):
    spec = overview_spec(mixed_units_routeset)
    assert [t for _, t in spec.widths.samples] == ["300 containers", "75 containers"]
    assert spec.widths.others == (
        (MODE_STYLES["air"].base_width,
         "Other unit (Koksan guns): base width; see popups/notes"),)
    guns = next(s for s in transfer_specs(mixed_units_routeset) if s.focus == {"air-estimate"})
    assert guns.widths.samples == ()
    assert [t for _, t in guns.widths.others] == [
        "Other unit (Koksan guns): base width; widths scale only for containers; "
        "see popups/notes"]
