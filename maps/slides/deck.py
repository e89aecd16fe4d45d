"""The briefing deck: a .pptx with a title, the overview, one slide per transfer and sources."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Mapping, Sequence

from pptx import Presentation
from pptx.exc import PythonPptxError
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Pt

from routemap.errors import RenderError, library_detail
from routemap.maps import wording
from routemap.maps.citations import citation, credit
from routemap.maps.language import Language, load_language
from routemap.maps.options import RenderOptions
from routemap.maps.slides.compose import compose_slides, slide_specs
from routemap.maps.slides.render import figure_bytes
from routemap.maps.slides.spec import SlideSpec
from routemap.maps.style import BASEMAP_STYLE, CONFIDENCE_STYLES
from routemap.routes.routeset import RouteSet

__all__ = ["SOURCES_PER_SLIDE", "deck_notes", "render_deck"]

SOURCES_PER_SLIDE = 12
_SLIDE_WIDTH = Emu(12192000)  # 13.333 in, PowerPoint's 16:9 width
_LAYOUT_TITLE, _LAYOUT_TITLE_ONLY = 0, 5
_TITLE_BAND = 0.08  # a map slide's title placeholder: this share of the slide's height, above it
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def deck_notes(spec: SlideSpec, extra: Sequence[str] = ()) -> str:
    """Return a map slide's speaker notes: what it shows, its callouts and full citations.

    ``extra`` lines (e.g. callouts no map slide shows) come before the sources. The notes
    are written in the spec's language.
    """
    lang = load_language(spec.language)
    _ = lang.gettext
    lines = [spec.title]
    if spec.subtitle:
        lines.append(spec.subtitle)
    if spec.callouts:
        lines += ["", _("{heading}:").format(heading=spec.callout_title)]
        for c in spec.callouts:
            period = f" ({c.period})" if c.period and c.kind == "annotation" else ""
            lines.append(f"{c.number}. {c.text}{period}")
    if spec.more:
        lines.append(lang.ngettext("+{count} more callout {where} (no room on this slide)",
                                   "+{count} more callouts {where} (no room on this slide)",
                                   spec.more).format(count=lang.number(spec.more),
                                                     where=spec.more_where))
    lines += list(extra)
    lines += ["", _("Sources:")] + [f"- {c}" for c in spec.citations]
    lines += ["", _("Data: ") + lang.series([credit(a, language=lang) for a in spec.attributions])]
    return "\n".join(lines)


def _set_notes(slide: Slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _title_slide(prs: PresentationType, routeset: RouteSet, overview: SlideSpec,
                 lang: Language) -> None:
    scenario = routeset.scenario
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE])
    slide.shapes.title.text = scenario.title
    n, m = len(scenario.transfers), len(scenario.sources)
    counts = " \u00b7 ".join([
        lang.ngettext("{count} transfer", "{count} transfers", n).format(count=lang.number(n)),
        lang.ngettext("{count} source", "{count} sources", m).format(count=lang.number(m))])
    bits = [scenario.subtitle or "", overview.as_of, counts]
    slide.placeholders[1].text = "\n".join(b for b in bits if b)
    heading = lang.gettext("{heading}:").format(heading=lang.gettext("Sources for this briefing"))
    _set_notes(slide, "\n".join([scenario.title, "", heading,
                                 *(f"- {citation(s, language=lang)}" for s in scenario.sources)]))


def _picture_slide(prs: PresentationType, png: bytes, spec: SlideSpec,
                   extra: Sequence[str] = ()) -> None:
    """Add a map slide: its title in the title placeholder, then the map over the whole slide.

    The title comes first in the shape tree, so screen readers read it first and the outline
    view lists it. It sits just above the slide, off it (Microsoft's advice for a title that
    must not take room from the content): the image already shows the same title in its
    header, and nothing is drawn over or under the map, where a title would show through
    wherever a viewer smooths the image.
    """
    slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
    title = slide.shapes.title
    title.text = spec.title
    band = Emu(int(prs.slide_height * _TITLE_BAND))
    title.left, title.top, title.width, title.height = Emu(0), Emu(-band), prs.slide_width, band
    pic = slide.shapes.add_picture(io.BytesIO(png), 0, 0, width=prs.slide_width,
                                   height=prs.slide_height)
    pic.name = spec.name
    descr = load_language(spec.language).gettext("Map: {title}. {subtitle}").format(
        title=spec.title, subtitle=spec.subtitle)
    pic._element.nvPicPr.cNvPr.set("descr", descr.strip())
    _set_notes(slide, deck_notes(spec, extra))


def _unshown_callouts(routeset: RouteSet, transfer_specs: Sequence[SlideSpec],
                      lang: Language) -> list[str]:
    """Return note lines for annotations that no transfer slide lists (scenario-wide ones)."""
    shown = {c.number for s in transfer_specs for c in s.callouts}
    rows = [(n, text) for n, text in enumerate(routeset.annotations["text"], start=1)
            if n not in shown]
    if not rows:
        return []
    return ["", lang.gettext("Other callouts (not on a transfer slide):"),
            *(f"{n}. {text}" for n, text in rows)]


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def _sources_slides(prs: PresentationType, routeset: RouteSet, attributions: Sequence[str],
                    lang: Language) -> None:
    _ = lang.gettext
    citations = [citation(s, language=lang) for s in routeset.scenario.sources]
    chunks = _chunks(citations, SOURCES_PER_SLIDE)
    data = _("Data: ") + lang.series([credit(a, language=lang) for a in attributions])
    for i, chunk in enumerate(chunks, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
        title = _("Sources")
        if len(chunks) > 1:
            title = _("Sources ({part} of {count})").format(part=lang.number(i),
                                                            count=lang.number(len(chunks)))
        slide.shapes.title.text = title
        lines = list(chunk)
        if i == len(chunks):
            lines += ["", data, "", *_confidence_key(lang)]
        _text_box(prs, slide, lines)
        _set_notes(slide, "\n".join([_("Full citations:"), *(f"- {c}" for c in chunk),
                                     "", data]))


def _confidence_key(lang: Language) -> list[str]:
    return [lang.gettext("How to read confidence:")] + [
        wording.confidence(key, explain=True, language=lang) or key for key in CONFIDENCE_STYLES]


def _text_box(prs: PresentationType, slide: Slide, lines: Sequence[str]) -> None:
    margin = Emu(int(prs.slide_width * 0.05))
    top = Emu(int(prs.slide_height * 0.2))
    box = slide.shapes.add_textbox(margin, top, prs.slide_width - 2 * margin,
                                   prs.slide_height - top - margin)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(11)
        para.font.color.rgb = _rgb(BASEMAP_STYLE.text)


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#"))


def _fix_properties(prs: PresentationType, routeset: RouteSet, lang: Language) -> None:
    scenario = routeset.scenario
    when = dt.datetime.combine(scenario.as_of or dt.date(2000, 1, 1), dt.time())
    props = prs.core_properties
    props.title = scenario.title
    props.author = props.last_modified_by = "routemap"
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.language = lang.code


def _normalised_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the same deck gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("slide image is not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _slide_pngs(routeset: RouteSet, specs: Sequence[SlideSpec], *, size: tuple[int, int],
                dpi: float, slides: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """Return each map slide's PNG: reused from ``slides`` where given, else drawn now."""
    given = {s.name: slides.get(f"{s.name}.png") for s in specs}
    pngs = {name: png for name, png in given.items() if png is not None}
    for name, png in pngs.items():
        if _png_size(png) != tuple(size):
            raise ValueError(f"slide image {name}.png is {_png_size(png)} pixels; the deck "
                             f"was asked for {tuple(size)}")
    if len(pngs) < len(specs):
        drawn = compose_slides(routeset, size=size, dpi=dpi, per_transfer=True,
                               language=language)
        pngs.update({name: figure_bytes(slide.figure, "png") for name, slide in drawn.items()
                     if name not in pngs})
    return {s.name: pngs[s.name] for s in specs}


def _resize(prs: PresentationType, width: Emu, height: Emu) -> None:
    """Set the slide size and scale the template's master and layouts to it.

    python-pptx's template is 4:3; without this its title slide and title bars keep 4:3
    positions on a 16:9 slide (off centre, the right third empty). A layout placeholder that
    inherits its position from the master is left to inherit the scaled one.
    """
    sx, sy = width / prs.slide_width, height / prs.slide_height
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    for owner in [*layouts, *prs.slide_masters]:
        for shape in owner.shapes:
            if shape._element.xfrm is None:
                continue
            left, top, w, h = shape.left, shape.top, shape.width, shape.height
            shape.left, shape.width = Emu(round(left * sx)), Emu(round(w * sx))
            shape.top, shape.height = Emu(round(top * sy)), Emu(round(h * sy))
    prs.slide_width, prs.slide_height = width, height


def _new_presentation() -> PresentationType:
    """Return an empty deck on python-pptx's built-in template.

    Raises
    ------
    RenderError
        If the template cannot be opened.
    """
    try:
        return Presentation()
    except (PythonPptxError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise RenderError(
            "cannot make briefing.pptx: python-pptx cannot open its built-in template; "
            "reinstall python-pptx, or leave pptx out of --formats"
            + library_detail("python-pptx", exc)
        ) from exc


def render_deck(routeset: RouteSet, options: RenderOptions, slide_images: Mapping[str, bytes]) -> bytes:
    """Return the briefing deck as .pptx bytes.

    Slides: a title slide, the overview map, one map per transfer, then the sources (as many
    slides as the list needs). Every slide's speaker notes carry its full citations.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in ``options.language``.
    options : RenderOptions
        The pixel size of the map images (the slide keeps their aspect ratio), their dpi and
        the language every word of the deck is written in.
    slide_images : mapping of str to bytes
        Map images already rendered by :func:`routemap.maps.slides.render.render_slides` for
        the same route set and options, by output name (``slide.png``,
        ``slides/<transfer-id>.png``...; other names are ignored). They are used as they are
        instead of drawing the maps again; any that is missing is drawn here.

    Returns
    -------
    bytes
        The .pptx file, identical for identical input.

    Raises
    ------
    ValueError
        If a given image is not a PNG of ``options.size`` pixels.
    RenderError
        If python-pptx cannot open its built-in template (a damaged install).
    """
    lang = load_language(options.language)
    specs = slide_specs(routeset, per_transfer=True, size=options.size, dpi=options.dpi,
                        language=lang.code)
    prs = _new_presentation()
    size = options.size
    pngs = _slide_pngs(routeset, specs, size=size, dpi=options.dpi, slides=slide_images,
                       language=lang.code)
    _resize(prs, _SLIDE_WIDTH, Emu(int(_SLIDE_WIDTH * size[1] / size[0])))
    _title_slide(prs, routeset, specs[0], lang)
    unshown = _unshown_callouts(routeset, specs[1:], lang)
    for i, spec in enumerate(specs):
        _picture_slide(prs, pngs[spec.name], spec, unshown if i == 0 else ())
    _sources_slides(prs, routeset, specs[0].attributions, lang)
    _fix_properties(prs, routeset, lang)
    buf = io.BytesIO()
    prs.save(buf)
    return _normalised_zip(buf.getvalue())
