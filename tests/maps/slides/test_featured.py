"""The featured transfer stands out on its own slide: on top, in colour, cased, long enough to see."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from matplotlib.patches import PathPatch

from routemap.maps.slides.compose import ComposedSlide
from routemap.maps.slides.layers import HALO_PT
from routemap.maps.slides.spec import transfer_specs

MM = 1.0 / 25.4  # inches


def _patches(slide: ComposedSlide, prefix: str) -> dict[str, list[PathPatch]]:
    """Return the route patches whose gid starts with ``prefix``, by feature id, all axes."""
    out: dict[str, list[PathPatch]] = {}
    for ax in slide.figure.axes:
        if ax.get_label() != "map" and not ax.get_label().startswith("detail:"):
            continue
        for patch in ax.patches:
            gid = patch.get_gid() or ""
            if gid.startswith(prefix):
                out.setdefault(gid[len(prefix):], []).append(patch)
    return out


def _visible_mm(patch: PathPatch) -> float:
    """Return how long a route runs inside its axes, in millimetres on the slide."""
    ax, fig = patch.axes, patch.figure
    bb = ax.bbox
    total = 0.0
    for poly in patch.get_path().to_polygons(closed_only=False):
        d = ax.transData.transform(poly)
        seg = np.hypot(*np.diff(d, axis=0).T)
        mid = (d[1:] + d[:-1]) / 2
        inside = ((mid[:, 0] > bb.x0) & (mid[:, 0] < bb.x1)
                  & (mid[:, 1] > bb.y0) & (mid[:, 1] < bb.y1))
        total += float(seg[inside].sum())
    return total / fig.dpi / MM


def _check_featured(name: str, slide: ComposedSlide) -> None:
    """Fail unless every leg of the slide's transfer is on top, cased, wider than the others
    and at least 6 mm long on the map or a detail panel (a marker is about 2.5 mm)."""
    (transfer,) = slide.spec.focus
    own = [r.feature_id for r in slide.spec.routes if r.transfer_id == transfer]
    legs, halos = _patches(slide, "leg:"), _patches(slide, "halo:")
    context = [p for ps in _patches(slide, "context:").values() for p in ps]
    top = max((p.get_zorder() for p in context), default=-1.0)
    widest = max((p.get_linewidth() for p in context), default=0.0)
    for fid in own:
        assert fid in legs, f"{name}: leg {fid} is not drawn"
        for leg in legs[fid]:
            assert leg.get_zorder() > top, f"{name}: leg {fid} is under another transfer"
            assert leg.get_linewidth() > widest, f"{name}: leg {fid} no wider than the others"
            halo = next(h for h in halos[fid] if h.axes is leg.axes)
            assert halo.get_zorder() < leg.get_zorder()
            assert halo.get_zorder() > top, f"{name}: the casing of {fid} is under the others"
            assert halo.get_linewidth() >= leg.get_linewidth() + HALO_PT * 0.9
        longest = max(_visible_mm(p) for p in legs[fid])
        assert longest >= 6.0, f"{name}: leg {fid} runs {longest:.1f} mm, too short to see"


def test_the_sample_transfers_stand_out_on_their_slides(composed):
    for name, slide in composed.items():
        if slide.spec.focus and slide.spec.focus != frozenset({""}):
            _check_featured(name, slide)


@pytest.mark.network_data
def test_every_bundled_transfer_stands_out_on_its_slide(bundled_slides):
    """Both Tumangang-Khasan crossings (4.5 km) show a line; the Koksan leg is not buried."""
    checked = 0
    for name, slide in bundled_slides.items():
        if slide.spec.focus and slide.spec.focus != frozenset({""}):
            _check_featured(name, slide)
            checked += 1
    assert checked >= 10


@pytest.mark.parametrize(("end", "most_km"), [((130.64, 42.44), 15.0), ((131.5, 43.1), 120.0)])
def test_a_short_transfer_is_shown_close_enough_to_see(shared_routeset, end, most_km):
    """A 3.4 km crossing: its slide spans about three times the crossing, not 120 km; a
    150 km leg keeps the usual least span."""
    import geopandas as gpd
    from shapely.geometry import LineString

    transfer = shared_routeset.scenario.transfers[0].id
    legs = shared_routeset.legs
    geoms = [LineString([(130.60, 42.43), end]) if t == transfer else g
             for t, g in zip(legs["transfer_id"], legs.geometry, strict=True)]
    short = dataclasses.replace(shared_routeset, legs=gpd.GeoDataFrame(
        legs.drop(columns="geometry"), geometry=geoms, crs="EPSG:4326"))
    spec = next(s for s in transfer_specs(short) if s.focus == frozenset({transfer}))
    assert spec.min_span_m <= most_km * 1000.0
    assert spec.min_span_m >= 8_000.0
