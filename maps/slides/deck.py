"""The briefing deck: a .pptx with a title, the overview, one slide per transfer and sources."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO

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
from routemap.maps.slides.aggregate import deck_sections
from routemap.maps.slides.plan import slide_specs
from routemap.maps.slides.render import render_slides
from routemap.maps.slides.spec import SlideSpec
from routemap.maps.style import BASEMAP_STYLE, CONFIDENCE_STYLES
from routemap.routes.routeset import RouteSet

__all__ = ["SOURCES_PER_SLIDE", "deck_notes", "render_deck", "write_deck"]

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
            text = wording.dated_text(c.text, c.period) if c.kind == "annotation" else c.text
            lines.append(f"{c.number}. {text}")
    if spec.more:
        lines.append(lang.ngettext("+{count} more callout {where} (no room on this slide)",
                                   "+{count} more callouts {where} (no room on this slide)",
                                   spec.more).format(count=lang.number(spec.more),
                                                     where=spec.more_where))
    if spec.more_text:
        lines.append(spec.more_text)
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
                   extra: Sequence[str] = ()) -> str:
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
    return str(slide.part.related_part(pic._element.blipFill.blip.rEmbed).partname)


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


def _write_normalised(src: IO[bytes], path: Path, images: _DeckImages) -> None:
    """Rewrite the deck's zip into ``path`` with fixed timestamps, so the same deck gives the
    same bytes, each placeholder picture replaced by the map image it stands for (read then,
    one at a time)."""
    with zipfile.ZipFile(src) as source, \
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            real = images.media.get("/" + info.filename)
            dst.writestr(fixed, source.read(info.filename) if real is None else images.read(real))


def _png_size(png: bytes) -> tuple[int, int]:
    """Return a PNG's width and height from its header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("slide image is not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _placeholder_png(number: int) -> bytes:
    """Return a one-pixel PNG told apart from the others by its ``number``: what the deck is
    built with before each is replaced by its map image in the written file."""
    return b"".join([b"\x89PNG\r\n\x1a\n",
                     _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)),
                     _png_chunk(b"tEXt", b"Comment\x00routemap placeholder %d" % number),
                     _png_chunk(b"IDAT", zlib.compress(b"\x00\x00")),
                     _png_chunk(b"IEND", b"")])


class _DeckImages:
    """The deck's map images, never all in memory: each is read to check it and to tell it
    apart (identical images share one picture, as python-pptx shares them), and a small
    placeholder goes into the deck instead; each is read again only to be written."""

    def __init__(self, images: Mapping[str, bytes], size: tuple[int, int]) -> None:
        self.images = images
        self.size = tuple(size)
        self.placeholders: dict[str, bytes] = {}  # image digest -> its placeholder
        self.media: dict[str, str] = {}  # the deck's media part -> the image it stands for

    def placeholder(self, name: str) -> bytes:
        """Return the placeholder for the image ``name`` (``slides/<id>``), checking it."""
        png = self.images[f"{name}.png"]
        if _png_size(png) != self.size:
            raise ValueError(f"slide image {name}.png is {_png_size(png)} pixels; the deck "
                             f"was asked for {self.size}")
        digest = hashlib.sha256(png).hexdigest()
        return self.placeholders.setdefault(digest, _placeholder_png(len(self.placeholders)))

    def read(self, name: str) -> bytes:
        return self.images[f"{name}.png"]


class _Either(Mapping[str, bytes]):
    """The images given, then the ones drawn for the deck where some were missing."""

    def __init__(self, given: Mapping[str, bytes], drawn: Mapping[str, bytes]) -> None:
        self.given, self.drawn = given, drawn

    def __getitem__(self, name: str) -> bytes:
        return self.given[name] if name in self.given else self.drawn[name]

    def __iter__(self):
        return iter(dict.fromkeys([*self.given, *self.drawn]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self.given, *self.drawn]))


def _slide_images(routeset: RouteSet, specs: Sequence[SlideSpec], options: RenderOptions,
                  slides: Mapping[str, bytes]) -> _DeckImages:
    """Return each map slide's PNG: the ones given where given, else drawn now (to a spool)."""
    images: Mapping[str, bytes] = slides
    if any(f"{s.name}.png" not in slides for s in specs):
        drawn = render_slides(routeset, replace(options, formats=("png",)), per_transfer=True)
        images = _Either(slides, drawn)
    return _DeckImages(images, options.size)


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
    """Return the briefing deck as .pptx bytes (see :func:`write_deck`, which streams it to
    a file without holding its images in memory).

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
    with tempfile.TemporaryDirectory(prefix="routemap-deck-") as folder:
        path = Path(folder) / "briefing.pptx"
        write_deck(routeset, options, slide_images, path)
        return path.read_bytes()


def write_deck(routeset: RouteSet, options: RenderOptions, slide_images: Mapping[str, bytes],
               path: Path) -> None:
    """Write the briefing deck as a .pptx file, holding one map image in memory at a time.

    Slides: a title slide, the overview map, one map per transfer, then the sources (as many
    slides as the list needs). Every slide's speaker notes carry its full citations. The deck
    is built with small placeholder pictures, each replaced by its map image as the file is
    written, so a deck of a thousand slides needs no more memory than one of ten.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario, its texts already in ``options.language``.
    options : RenderOptions
        Image size, dpi, language, and the workers that draw any map image not given.
    slide_images : mapping of str to bytes
        Map images by output name, read when needed (see :func:`render_deck`).
    path : Path
        The file to write (replaced if it exists).

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
    images = _slide_images(routeset, specs, options, slide_images)
    _resize(prs, _SLIDE_WIDTH, Emu(int(_SLIDE_WIDTH * size[1] / size[0])))
    _title_slide(prs, routeset, specs[0], lang)
    unshown = _unshown_callouts(routeset, specs[1:], lang)

    def picture(spec: SlideSpec, extra: Sequence[str] = ()) -> None:
        media = _picture_slide(prs, images.placeholder(spec.name), spec, extra)
        images.media.setdefault(media, spec.name)

    picture(specs[0], unshown)
    for section in deck_sections(routeset, specs, language=lang):
        if section.title:  # a divider (beyond a few dozen transfers: the slides by year)
            divider = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
            divider.shapes.title.text = section.title
            _text_box(prs, divider, section.lines)
            _set_notes(divider, "\n".join([section.title, *section.lines]))
        for spec in section.specs:
            picture(spec)
    _sources_slides(prs, routeset, specs[0].attributions, lang)
    _fix_properties(prs, routeset, lang)
    with tempfile.TemporaryFile() as raw:
        prs.save(raw)
        raw.seek(0)
        _write_normalised(raw, Path(path), images)
