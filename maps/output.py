"""Rendering a build: the registry of renderers by format, and writing their files with a
manifest, in one output language or in several (one subfolder each)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from routemap.maps.folder import check_out_dir, write_files
from routemap.maps.manifest import MANIFEST, build_manifest
from routemap.maps.options import FORMATS, OUTPUT_NAMES, RenderOptions
from routemap.maps.progress import Progress, counting
from routemap.maps.spool import Outputs, Spool
from routemap.routes.routeset import RouteSet

__all__ = ["RENDERERS", "Renderer", "default_language", "output_names", "render_build",
           "render_outputs", "write", "write_languages"]

log = logging.getLogger(__name__)

#: A renderer takes the route set, the options, the files rendered before it (the deck
#: reuses the slide images) and the build's progress callback (a renderer counting its work
#: tells it); it returns output name -> bytes.
Renderer = Callable[[RouteSet, RenderOptions, Mapping[str, bytes], Progress | None], Mapping[str, bytes]]
_SLIDE_FORMATS = ("png", "svg", "pdf")


def _render_html(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                 progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.web.html import render_html

    return {OUTPUT_NAMES["html"]: render_html(routeset, language=options.language, cache=options.cache)}


def _render_slides(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                   progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.slides.render import render_slides

    if "pptx" in options.formats and "png" not in options.formats:
        # the deck's images; left out of the folder unless asked for
        options = replace(options, formats=(*options.formats, "png"))
    return render_slides(routeset, options)


def _render_deck(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                 progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.slides.deck import write_deck

    pngs = [name for name in earlier if name.endswith(".png")]
    images = earlier.select(pngs) if isinstance(earlier, Outputs) else {n: earlier[n] for n in pngs}
    spool = Spool(prefix="routemap-deck-")
    path = spool.new_path(".pptx")
    write_deck(routeset, options, images, path)  # the images read one at a time
    spool.add_file(OUTPUT_NAMES["pptx"], path)
    return spool


def _render_geojson(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                    progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.gis.geojson import render_geojson

    return {OUTPUT_NAMES["geojson"]: render_geojson(routeset, language=options.language)}


def _render_gpkg(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                 progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.gis.gpkg import render_gpkg

    return {OUTPUT_NAMES["gpkg"]: render_gpkg(routeset, language=options.language)}


def _render_kml(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.gis.kml import render_kml

    return {OUTPUT_NAMES["kml"]: render_kml(routeset, language=options.language)}


def _render_kmz(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.gis.kml import render_kmz

    return {OUTPUT_NAMES["kmz"]: render_kmz(routeset, language=options.language)}


def _render_csv(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.gis.legs_csv import render_csv
    from routemap.maps.gis.observations_csv import OBSERVATIONS_CSV, render_observations_csv

    observed = render_observations_csv(routeset, language=options.language)
    return {OUTPUT_NAMES["csv"]: render_csv(routeset, language=options.language),
            **({OBSERVATIONS_CSV: observed} if observed is not None else {})}


def _render_video(routeset: RouteSet, options: RenderOptions, earlier: Mapping[str, bytes],
                  progress: Progress | None) -> Mapping[str, bytes]:
    from routemap.maps.video.render import render_video

    return render_video(routeset, options, progress=progress)


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
    "video": _render_video,
}


#: The steps that run after the slides are drawn: the deck reads their images, and the film,
#: drawn in its own process, comes last.
_LAST_STEPS = ("slides", "pptx", "video")


def _steps(formats: Sequence[str]) -> list[str]:
    """The registry entries a build runs, in order: slides when any slide format or the deck is
    asked, after the formats that do not need them."""
    wanted = set(formats)
    if wanted & {*_SLIDE_FORMATS, "pptx"}:
        wanted.add("slides")
    if wanted & {"mp4", "gif"}:
        wanted.add("video")
    return ([step for step in RENDERERS if step in wanted and step not in _LAST_STEPS]
            + [step for step in _LAST_STEPS if step in wanted])


def _slides_meanwhile(steps: list[str], routeset: RouteSet, options: RenderOptions,
                      background: ThreadPoolExecutor) -> Future | None:
    """Start drawing the slides in ``background`` when their worker processes can draw while
    this process renders the other formats (the web map, the GIS files); None otherwise.

    On two cores the build otherwise leaves one idle while it renders the web map. The slides'
    thread only hands jobs to the worker processes and waits, so the two share little; each
    format's bytes are the same as when they run one after the other.
    """
    if "slides" not in steps or options.workers <= 1 or steps[0] == "slides":
        return None
    return background.submit(RENDERERS["slides"], routeset, options, Outputs(), None)


def render_outputs(routeset: RouteSet, options: RenderOptions,
                   progress: Progress | None = None) -> Outputs:
    """Render every requested format, in the options' language (slides and deck spooled on disk).

    The formats that need no slides run first, then the slides, the deck and the film. When the
    slides have worker processes of their own (``options.workers`` above 1), they are drawn
    from the start, in a thread that hands the workers their jobs, while this process renders
    the web map and the GIS files.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; its texts are written in ``options.language`` where the
        scenario gives them in it (:meth:`RouteSet.in_language`), else in its own language.
    options : RenderOptions
        Formats, slide size, workers and language.
    progress : callable, optional
        Called with the name of each output before it is rendered, and by a renderer
        counting its work (the films' frames) with how much of it is done.

    Returns
    -------
    Outputs
        Relative output name (``map.html``, ``slides/<id>.png``...) to file bytes, sorted;
        only the formats asked for (slide images drawn for the deck alone are left out).
        The slides and the deck stay in temporary files, read one at a time when asked for.
    """
    routeset = routeset.in_language(options.language)
    progress = None if progress is None else counting(progress)  # steps-only callbacks too
    files = Outputs()
    steps = _steps(options.formats)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="routemap-slides") as background:
        drawing = _slides_meanwhile(steps, routeset, options, background)
        for step in steps:
            if progress is not None:
                progress(OUTPUT_NAMES.get(step, step))
            if step == "slides" and drawing is not None:
                files.merge(drawing.result())  # drawn meanwhile: waited for here
                continue
            files.merge(RENDERERS[step](routeset, options, files, progress))
    asked = set(options.formats)
    return files.select(sorted(name for name in files if name.rsplit(".", 1)[-1] not in _SLIDE_FORMATS
                               or name.rsplit(".", 1)[-1] in asked))


def default_language(routeset: RouteSet) -> str:
    """Return the language a build is written in when none is asked for: the scenario's own
    ``language`` if routemap can write it, else English (never the machine's locale)."""
    from routemap.maps.language import DEFAULT_LANGUAGE, available_languages

    wanted = routeset.scenario.language
    if wanted in available_languages():
        return wanted
    log.warning("routemap does not write '%s' yet; its furniture words are in English, the "
                "scenario's texts as the scenario gives them", wanted)
    return DEFAULT_LANGUAGE


def render_build(routeset: RouteSet, options: RenderOptions, *, scenario_label: str,
                 progress: Progress | None = None) -> Outputs:
    """Render one build: every requested output, then ``manifest.json``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    options : RenderOptions
        Formats, slide size, workers and the build's language.
    scenario_label : str
        How the manifest names the scenario file.
    progress : callable, optional
        Called with the name of each output before it is rendered.

    Returns
    -------
    Outputs
        Relative output name to bytes, ``manifest.json`` last.
    """
    routeset = routeset.in_language(options.language)
    files = render_outputs(routeset, options, progress)
    files[MANIFEST] = build_manifest(routeset, files, scenario_label=scenario_label,
                                     language=options.language)
    return files


def write(routeset: RouteSet, out_dir: str | Path, *, options: RenderOptions | None = None,
          language: str | None = None, scenario_label: str | None = None,
          progress: Progress | None = None) -> list[Path]:
    """Render the requested formats and write them, with ``manifest.json``, into ``out_dir``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    out_dir : str or Path
        The output folder (created if missing).
    options : RenderOptions, optional
        Formats, slide size and language (default: every default format, in the scenario's
        language if routemap writes it, else English).
    language : str, optional
        The output language (``en``, ``fr``); it replaces ``options.language``.
    scenario_label : str, optional
        How the manifest names the scenario file (default: its path).
    progress : callable, optional
        Called with the name of each output before it is rendered.

    Returns
    -------
    list of Path
        The files written, manifest last.

    Raises
    ------
    LanguageError
        If routemap cannot write ``language``.
    OutputError
        If the folder cannot hold the outputs.
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    options = _with_language(routeset, options, language)
    label = scenario_label or routeset.scenario.path or ""
    return write_files(render_build(routeset, options, scenario_label=label, progress=progress),
                       out_dir)


def write_languages(routeset: RouteSet, out_dir: str | Path, languages: Sequence[str], *,
                    options: RenderOptions | None = None, scenario_label: str | None = None,
                    progress: Progress | None = None) -> list[Path]:
    """Write one complete build per language into its own subfolder (``out/en/``, ``out/fr/``).

    Every build is rendered first (slides and decks into temporary files) and all are
    written together, each file staged
    and renamed into place (``routemap.maps.folder``): an interrupted run leaves every
    subfolder as it was. Each subfolder has its own ``manifest.json``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario (routed once, written in each language).
    out_dir : str or Path
        The output folder that holds one subfolder per language.
    languages : sequence of str
        The language codes, in the order they are rendered; repeats are written once.
    options : RenderOptions, optional
        Formats, slide size and workers (its language is replaced by each of ``languages``).
    scenario_label : str, optional
        How the manifests name the scenario file (default: its path).
    progress : callable, optional
        Called with ``<code>/<output name>`` before each output is rendered.

    Returns
    -------
    list of Path
        The files written, language by language, each manifest after its outputs.

    Raises
    ------
    LanguageError
        If routemap cannot write one of the languages (checked before anything is rendered).
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    codes = list(dict.fromkeys(languages))
    builds = [_with_language(routeset, options, code) for code in codes]  # all checked first
    label = scenario_label or routeset.scenario.path or ""
    files = Outputs()
    for code, build_options in zip(codes, builds, strict=True):
        told = None if progress is None else (
            lambda step, done=None, total=None, code=code: progress(f"{code}/{step}", done, total))
        build = render_build(routeset, build_options, scenario_label=label, progress=told)
        files.merge(build, prefix=f"{code}/")
    return write_files(files, out_dir)


def _with_language(routeset: RouteSet, options: RenderOptions | None,
                   language: str | None) -> RenderOptions:
    """Return the options of one build: the language given, else the options', else the
    scenario's (:func:`default_language`)."""
    if language is not None:
        return replace(options or RenderOptions(), language=language)
    if options is not None:
        return options
    return RenderOptions(language=default_language(routeset))


def output_names(formats: Sequence[str]) -> list[str]:
    """Return the fixed file names the given formats produce (per-transfer slides aside)."""
    return [OUTPUT_NAMES[f] for f in FORMATS if f in formats] + [MANIFEST]
