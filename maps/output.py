"""Rendering a build: the registry of renderers by format, and writing their files with a manifest."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from routemap.maps.folder import check_out_dir, write_files
from routemap.maps.manifest import MANIFEST, build_manifest
from routemap.maps.options import FORMATS, OUTPUT_NAMES, RenderOptions
from routemap.routes.routeset import RouteSet

__all__ = ["RENDERERS", "Renderer", "output_names", "render_outputs", "write"]

log = logging.getLogger(__name__)

#: A renderer takes the route set, the options, and the files rendered before it (the deck
#: reuses the slide images); it returns output name -> bytes.
Renderer = Callable[[RouteSet, RenderOptions, Mapping[str, bytes]], dict[str, bytes]]
_SLIDE_FORMATS = ("png", "svg", "pdf")


def _render_html(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.web.html import render_html

    return {OUTPUT_NAMES["html"]: render_html(routeset)}


def _render_slides(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from dataclasses import replace

    from routemap.maps.slides.render import render_slides

    if "pptx" in options.formats and "png" not in options.formats:
        # the deck's images; left out of the folder unless asked for
        options = replace(options, formats=(*options.formats, "png"))
    return render_slides(routeset, options)


def _render_deck(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.slides.deck import render_deck

    images = {name: data for name, data in earlier.items() if name.endswith(".png")}
    return {OUTPUT_NAMES["pptx"]: render_deck(routeset, options, images)}


def _render_geojson(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.gis.geojson import render_geojson

    return {OUTPUT_NAMES["geojson"]: render_geojson(routeset)}


def _render_gpkg(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.gis.gpkg import render_gpkg

    return {OUTPUT_NAMES["gpkg"]: render_gpkg(routeset)}


def _render_kml(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.gis.kml import render_kml

    return {OUTPUT_NAMES["kml"]: render_kml(routeset)}


def _render_kmz(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.gis.kml import render_kmz

    return {OUTPUT_NAMES["kmz"]: render_kmz(routeset)}


def _render_csv(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes]) -> dict[str, bytes]:
    from routemap.maps.gis.legs_csv import render_csv

    return {OUTPUT_NAMES["csv"]: render_csv(routeset)}


#: Format (or group of formats drawn together) -> renderer, in the order they run. Each
#: renderer imports its product when it runs, so a build loads only what it writes.
RENDERERS: dict[str, Renderer] = {
    "html": _render_html,
    "slides": _render_slides,
    "pptx": _render_deck,
    "geojson": _render_geojson,
    "gpkg": _render_gpkg,
    "kml": _render_kml,
    "kmz": _render_kmz,
    "csv": _render_csv,
}


def _steps(formats: Sequence[str]) -> list[str]:
    """The registry entries a build runs: slides when any slide format or the deck is asked."""
    wanted = set(formats)
    if wanted & {*_SLIDE_FORMATS, "pptx"}:
        wanted.add("slides")
    return [step for step in RENDERERS if step in wanted]


def render_outputs(routeset: RouteSet, options: RenderOptions,
                   progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Render every requested format in memory.

    Returns
    -------
    dict
        Relative output name (``map.html``, ``slides/<id>.png``...) to file bytes, sorted;
        only the formats asked for (slide images drawn for the deck alone are left out).
    """
    files: dict[str, bytes] = {}
    for step in _steps(options.formats):
        if progress is not None:
            progress(OUTPUT_NAMES.get(step, step))
        files.update(RENDERERS[step](routeset, options, files))
    asked = set(options.formats)
    return dict(sorted((name, data) for name, data in files.items()
                       if name.rsplit(".", 1)[-1] not in _SLIDE_FORMATS or name.rsplit(".", 1)[-1] in asked))


def write(routeset: RouteSet, out_dir: str | Path, *, options: RenderOptions | None = None,
          scenario_label: str | None = None,
          progress: Callable[[str], None] | None = None) -> list[Path]:
    """Render the requested formats and write them, with ``manifest.json``, into ``out_dir``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    out_dir : str or Path
        The output folder (created if missing).
    options : RenderOptions, optional
        Formats and slide size.
    scenario_label : str, optional
        How the manifest names the scenario file (default: its path).
    progress : callable, optional
        Called with the name of each output before it is rendered.

    Returns
    -------
    list of Path
        The files written, manifest last.
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    files = render_outputs(routeset, options or RenderOptions(), progress)
    label = scenario_label or routeset.scenario.path or ""
    files[MANIFEST] = build_manifest(routeset, files, scenario_label=label)
    return write_files(files, out_dir)


def output_names(formats: Sequence[str]) -> list[str]:
    """Return the fixed file names the given formats produce (per-transfer slides aside)."""
    return [OUTPUT_NAMES[f] for f in FORMATS if f in formats] + [MANIFEST]
