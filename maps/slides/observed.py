"""What a transfer slide shows of the observed layer (AIS): the carrier's track, its dark gaps,
port calls and meetings at sea, and the verdict on the leg; built and drawn.

Only a transfer whose sea leg names a vessel of interest as its carrier gets them, on its own
slide; the overview and the other slides are unchanged. Styles are ``OBSERVED_STYLE``'s, in the
slides' units (one style unit is ``SLIDE_WIDTH_PT`` points).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch

from routemap.maps.evidence import evidence_text, verdict_word
from routemap.maps.language import Language
from routemap.maps.observed import observed_records
from routemap.maps.records import FeatureRecord
from routemap.maps.slides.canvas import Canvas
from routemap.maps.slides.layers import SLIDE_WIDTH_PT, Z, lines_path
from routemap.maps.slides.observed_marks import ObservedMarks
from routemap.maps.slides.spec import SlideSpec
from routemap.maps.style import OBSERVED_STYLE
from routemap.routes.routeset import RouteSet

__all__ = ["draw_observed", "observed_legend_rows", "with_observed"]

_Z_TRACK = Z["routes"] + 0.2  # over the legs, under their arrows and the places
_Z_POINTS = Z["places"] + 0.2  # a port call marks its port: over the port symbol, under the labels


def _parts(record: FeatureRecord) -> list[np.ndarray]:
    geom = record.geometry
    return [np.asarray(g.coords)[:, :2] for g in getattr(geom, "geoms", [geom])]


def _points(records: Sequence[FeatureRecord]) -> np.ndarray:
    return np.asarray([r.geometry.coords[0][:2] for r in records], dtype=float).reshape(-1, 2)


def _thinned(parts: list[np.ndarray]) -> np.ndarray:
    points = np.concatenate(parts)
    keep = np.unique(np.linspace(0, len(points) - 1, min(len(points), OBSERVED_STYLE.max_dots)).round().astype(int))
    return points[keep]


def _marks(routeset: RouteSet, transfer_id: str, language: Language) -> ObservedMarks | None:
    layer = routeset.observed
    verdicts = [v for v in (layer.verdicts if layer else ()) if v.transfer_id == transfer_id]
    if not verdicts:
        return None
    vessels = {v.vessel for v in verdicts}
    found = observed_records(routeset, language=language)
    groups = {k: [r for r in recs if r.properties["vessel"] in vessels] for k, recs in found.items()}
    tracks = [p for r in groups["observed_tracks"] for p in _parts(r)]
    gaps = [(p, r.properties["label"]) for r in groups["gaps"] for p in _parts(r)]
    said = language.gettext("{label}: {meaning}")
    lines = [text for v in verdicts for text in (
        said.format(label=v.vessel, meaning=verdict_word(v.verdict, language=language)),
        evidence_text(v.evidence, v.verdict, language=language, tied=True))]
    if layer is not None and layer.spec.synthetic:
        lines.append(language.gettext(OBSERVED_STYLE.synthetic_label))
    kinds = tuple(k for k, present in (("track", tracks), ("gap", gaps), ("port_call", groups["port_calls"]),
                                       ("encounter", groups["encounters"])) if present)
    return ObservedMarks(tuple(tracks), _thinned(tracks) if tracks else np.zeros((0, 2)),
                         tuple(p for p, _ in gaps), tuple(label for _, label in gaps),
                         _points(groups["port_calls"]), _points(groups["encounters"]), kinds, tuple(lines))


def with_observed(specs: Sequence[SlideSpec], routeset: RouteSet, language: Language) -> list[SlideSpec]:
    """Return the slide specs with the observed layer on each transfer slide that has a verdict.

    The verdicts and their evidence are listed in the legend's observed section (their own lines,
    wrapped to the panel: the subtitle keeps the transfer's own words whole), so the slide says
    what the positions show about its leg in words as well as in lines; the map's extent takes in
    the observed features, so a track that contradicts the leg (the ship was elsewhere) is on it.
    """
    out = []
    for spec in specs:
        transfer_id = spec.name.removeprefix("slides/") if spec.name.startswith("slides/") else None
        marks = _marks(routeset, transfer_id, language) if transfer_id else None
        if marks is not None:
            seen = [marks.dots, *marks.gaps, marks.port_calls, marks.encounters]
            extent = np.vstack([np.asarray(spec.extent, dtype=float).reshape(-1, 2), *seen])
            spec = replace(spec, observed=marks, extent=extent)
        out.append(spec)
    return out


def _project(canvas: Canvas, points: np.ndarray) -> np.ndarray:
    x, y = canvas.frame.forward(points[:, 0], points[:, 1])
    return np.column_stack([x, y])


def draw_observed(canvas: Canvas, spec: SlideSpec) -> None:
    """Draw a slide's observed layer: tracks with their dots, gaps dashed and labelled, points."""
    marks = spec.observed
    if marks is None:
        return
    s, ax, scale = OBSERVED_STYLE, canvas.ax, canvas.scale
    if marks.tracks:
        ax.add_artist(PathPatch(lines_path([_project(canvas, p) for p in marks.tracks]), fill=False,
                                edgecolor=s.color, alpha=s.opacity, linewidth=s.width * SLIDE_WIDTH_PT * scale,
                                zorder=_Z_TRACK, capstyle="round", joinstyle="round", gid="observed:tracks"))
        dots = _project(canvas, marks.dots)
        ax.add_line(Line2D(dots[:, 0], dots[:, 1], marker="o", markersize=s.dot_size * scale, linestyle="none",
                           markerfacecolor=s.color, markeredgewidth=0, alpha=s.opacity, zorder=_Z_TRACK,
                           gid="observed:dots"))
    width = s.gap_width * SLIDE_WIDTH_PT * scale
    for part, label in zip(marks.gaps, marks.gap_labels, strict=True):
        xy = _project(canvas, part)
        ax.add_artist(PathPatch(lines_path([xy]), fill=False, edgecolor=s.gap_color, linewidth=width,
                                linestyle=(0, s.gap_dash), zorder=_Z_TRACK, capstyle="butt", gid="observed:gap"))
        mid = xy.mean(axis=0)
        ax.text(mid[0], mid[1], label, fontsize=7.5 * scale, color="#5B1F44", ha="center", va="center",
                zorder=Z["labels"], gid="observed:gap-label",
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": s.gap_color,
                      "linewidth": 0.6 * scale, "alpha": 0.92})
    for points, marker, color, gid in ((marks.port_calls, s.port_call_marker, s.color, "observed:port-call"),
                                       (marks.encounters, s.encounter_marker, s.gap_color, "observed:encounter")):
        if len(points):
            xy = _project(canvas, points)
            ax.add_line(Line2D(xy[:, 0], xy[:, 1], marker=marker, markersize=s.marker_size * scale, linestyle="none",
                               markerfacecolor=color, markeredgecolor="white", markeredgewidth=0.9 * scale,
                               zorder=_Z_POINTS, gid=gid))


def observed_legend_rows(kinds: Sequence[str], scale: float, language: Language,
                         verdicts: Sequence[str] = ()) -> list[tuple[tuple, str]]:
    """Return the legend rows for the observed kinds a slide draws, as the legend's rows are made,
    then one row per verdict line (no symbol: the verdict, its evidence, the synthetic warning)."""
    s, word = OBSERVED_STYLE, language.gettext
    rows = {
        "track": (("line", {"color": s.color, "linewidth": s.width * SLIDE_WIDTH_PT * scale, "marker": "o",
                            "markersize": s.dot_size * scale}), word(s.track_label)),
        "gap": (("line", {"color": s.gap_color, "linewidth": s.gap_width * SLIDE_WIDTH_PT * scale,
                          "linestyle": (0, s.gap_dash)}), word(s.gap_label)),
        "port_call": (("marker", {"marker": s.port_call_marker, "markersize": s.marker_size * scale,
                                  "markerfacecolor": s.color, "markeredgecolor": "white",
                                  "markeredgewidth": 0.9 * scale}), word(s.port_call_label)),
        "encounter": (("marker", {"marker": s.encounter_marker, "markersize": s.marker_size * scale,
                                  "markerfacecolor": s.gap_color, "markeredgecolor": "white",
                                  "markeredgewidth": 0.9 * scale}), word(s.encounter_label)),
    }
    return [rows[k] for k in kinds] + [(("marker", {"marker": "none"}), line) for line in verdicts]
