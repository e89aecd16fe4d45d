"""Labels you can trust, measured on every slide from the placement data.

A label with no leader is nearer its own symbol than any other; no label covers another
place's symbol; the featured transfer's endpoints are labelled (on the map or in a detail);
depots and ports are drawn above junction dots.
"""

from __future__ import annotations

import numpy as np
import pytest

from routemap.maps.slides.compose import ComposedSlide
from routemap.maps.slides.labels import Box, LabelRequest, box_distances, place_labels
from routemap.maps.style import PLACE_STYLES


def _symbols(slide: ComposedSlide, axes_label: str) -> dict[str, tuple[float, float, float, float]]:
    """Return key -> (x, y, radius, zorder) of the place markers drawn in one axes, in view."""
    fig = slide.figure
    (ax,) = [a for a in fig.axes if a.get_label() == axes_label]
    bb = ax.bbox
    out = {}
    for line in ax.get_lines():
        gid = line.get_gid() or ""
        if gid.startswith("place:"):
            (x, y), = ax.transData.transform(np.column_stack(line.get_data()))
            if bb.x0 <= x <= bb.x1 and bb.y0 <= y <= bb.y1:
                r = line.get_markersize() / 2 * fig.dpi / 72
                out[gid] = (float(x), float(y), r, line.get_zorder())
    return out


def _layers(slide: ComposedSlide) -> list[tuple[str, tuple, dict]]:
    """Return (axes name, placements, symbols) for the map and each detail panel."""
    out = [("map", slide.labels, _symbols(slide, "map"))]
    for n, detail in enumerate(slide.details, start=1):
        out.append((f"detail:{n}", detail.labels, _symbols(slide, f"detail:{n}")))
    return out


def label_violations(name: str, slide: ComposedSlide) -> list[str]:
    """Return every broken label rule on a slide, as 'slide: axes: label: rule'."""
    found = []
    kinds = {f"place:{p.place_id}": p.kind for p in slide.spec.places}
    labelled: set[str] = set()
    for axes, placements, symbols in _layers(slide):
        keys = list(symbols)
        xy = np.array([symbols[k][:2] for k in keys]).reshape(-1, 2)
        for p in placements:
            own = {p.key, *p.members}
            labelled |= set(p.named)  # a shorter form may name fewer places
            if p.key.startswith("country:") or not len(xy):
                continue
            d = box_distances(p.box.padded(-0.5), xy)
            mask = np.array([k in own for k in keys])
            anchor = float(box_distances(p.box, np.array([p.anchor]))[0])
            mine = min(float(d[mask].min()), anchor) if mask.any() else anchor
            if not p.leader and (d[~mask] < mine - 1.0).any():
                other = keys[int(np.argmin(np.where(mask, np.inf, d)))]
                found.append(f"{name}: {axes}: {p.key}: nearer {other} than its own symbol, "
                             "and no leader")
            for k in keys:
                x, y, r, _ = symbols[k]
                if k not in own and p.box.padded(-0.5).overlaps(Box(x - r, y - r, x + r, y + r)):
                    found.append(f"{name}: {axes}: {p.key}: covers the symbol of {k}")
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                (xa, ya, ra, za), (xb, yb, rb, zb) = symbols[a], symbols[b]
                if np.hypot(xa - xb, ya - yb) >= ra + rb:
                    continue
                pa, pb = (PLACE_STYLES.get(kinds.get(k, ""), PLACE_STYLES["other"]).rank
                          for k in (a, b))
                if pa != pb and (za > zb) != (pa > pb):
                    low = a if pa < pb else b
                    found.append(f"{name}: {axes}: {low}: a {kinds.get(low)} drawn over a "
                                 "more important symbol")
    # every transfer badge in view is drawn somewhere (map or detail): one lost leaves its
    # transfer unkeyed on the map
    drawn = {p.key for _, placements, _ in _layers(slide) for p in placements}
    lost = {k for k in (*slide.dropped, *(k for d in slide.details for k in d.dropped))
            if k.startswith("transfer:")}
    found += [f"{name}: {k}: a transfer badge with no room" for k in sorted(lost - drawn)]
    featured = slide.spec.endpoints
    for place in featured:
        key = f"place:{place}"
        if key in kinds and key not in labelled:
            found.append(f"{name}: {key}: an end of the featured transfer, unlabelled")
    return found


def _check(slides: dict[str, ComposedSlide]) -> None:
    found = [v for name, slide in slides.items() for v in label_violations(name, slide)]
    assert not found, f"{found[0]} ({len(found)} label rule(s) broken in all)"


def test_sample_slides_keep_the_label_rules(composed):
    _check(composed)


@pytest.mark.network_data
def test_bundled_slides_keep_the_label_rules(bundled_slides):
    """Irkutsk and Ulan-Ude over each other's dots, Tikhoretsk under its junction... none."""
    _check(bundled_slides)


def test_a_label_nearer_another_symbol_moves_out_with_a_leader():
    """Two dots 20 px apart, no room right of B: left of B is nearer A. Without the rule B's
    label sits there with no leader (read as A's); with it, it moves out with a leader."""
    symbols = {"place:a": (100.0, 100.0), "place:b": (120.0, 100.0)}
    blocked = [Box(124, 0, 300, 300)]
    req = LabelRequest("place:b", 120.0, 100.0, 40.0, 10.0, clearance=3.0)
    points = np.array(list(symbols.values()))
    kw = {"obstacles": blocked, "bounds": Box(0, 0, 300, 300), "gap": 2.0, "step": 10.0,
          "max_distance": 80.0}
    (loose,), _ = place_labels([req], **kw)
    d = box_distances(loose.box, points)
    assert not loose.leader and d[0] < d[1]
    (kept,), _ = place_labels([req], symbols=symbols, **kw)
    d = box_distances(kept.box, points)
    assert kept.leader or d[1] <= d[0]
