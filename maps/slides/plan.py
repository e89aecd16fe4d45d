"""What each slide of a build shows, planned without drawing: the specs in deck order, the
texts they draw, and how many callouts each side panel keys (reckoned in points).

Nothing here loads matplotlib's figures or renderers, so a build whose slides all come from the
slide cache never loads them (:mod:`routemap.maps.slides.render`)."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable
from dataclasses import replace

from routemap.maps import wording
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.slides.aggregate import cut_key, overview
from routemap.maps.slides.canvas import PANEL_RECT
from routemap.maps.slides.fonts import printable
from routemap.maps.slides.furniture import LegendContent, draw_legend, fit_callout_list
from routemap.maps.slides.observed import with_observed
from routemap.maps.slides.spec import (
    CALLOUTS_TITLE,
    Callout,
    SlideSpec,
    callouts_spec,
    transfer_specs,
)
from routemap.maps.style import CONFIDENCE_STYLES, MODE_STYLES
from routemap.routes.routeset import RouteSet

__all__ = ["callout_text", "legend_content", "panel_capacity", "slide_specs", "slide_texts"]

log = logging.getLogger(__name__)


def legend_content(spec: SlideSpec) -> LegendContent:
    """Return what a slide's legend lists: only the modes, certainties, places and layers it shows."""
    focus = [r for r in spec.routes if spec.is_focus(r)]
    modes = tuple(m for m in MODE_STYLES if any(r.mode == m for r in focus))
    confs = tuple(c for c in CONFIDENCE_STYLES if any(r.confidence == c for r in focus))
    kinds = tuple(dict.fromkeys(p.kind for p in spec.places))
    paths = tuple(dict.fromkeys(r.path_confidence for r in spec.routes))
    return LegendContent(modes, confs, kinds, spec.widths, muted=bool(spec.focus), paths=paths,
                         connectors=any(r.connectors for r in focus), language=spec.language,
                         observed=spec.observed.kinds if spec.observed else (),
                         verdicts=spec.observed.verdicts if spec.observed else ())


def panel_capacity(spec: SlideSpec, *, size: tuple[int, int], dpi: float,
                   texts: dict[str, str]) -> int:
    """Return how many of a slide's callouts its panel keys, below the legend.

    The panel is reckoned as :func:`routemap.maps.slides.compose.compose_slide` lays it out
    (the locator inset only takes the room the callouts leave): the legend's and the key's
    layout are sums of points over estimated text widths, so nothing is drawn to measure them.

    Parameters
    ----------
    spec : SlideSpec
        The slide, with every callout it should key.
    size : tuple of int
        Width and height in pixels.
    dpi : float
        Dots per inch.
    texts : dict of str to str
        Text replacements from :func:`routemap.maps.slides.fonts.printable`.

    Returns
    -------
    int
    """
    if not spec.callouts and not spec.more and not spec.more_text:
        return 0  # draw_callout_list keys nothing, titles nothing
    s = size[0] / dpi / 12.8
    w_pt = PANEL_RECT[2] * (size[0] / dpi) * 72.0  # as _panel_axes measures the panel
    h_pt = PANEL_RECT[3] * (size[1] / dpi) * 72.0
    used = draw_legend(None, legend_content(spec), width=w_pt, scale=s)
    fit = fit_callout_list([callout_text(texts, c) for c in spec.callouts],
                           top=used + 2 * s, bottom=h_pt - 6 * s, width=w_pt, scale=s,
                           more=spec.more, more_where=spec.more_where,
                           language=load_language(spec.language), more_text=spec.more_text)
    return fit.shown


def callout_text(texts: dict[str, str], c: Callout) -> str:
    """Return a callout as its key writes it: its printable text, with its period if dated."""
    text = texts.get(c.text, c.text)
    return wording.dated_text(text, c.period) if c.kind == "annotation" else text


def _with_attributions(spec: SlideSpec, attributions: tuple[str, ...]) -> SlideSpec:
    return replace(spec, attributions=attributions)


def slide_texts(specs: Iterable[SlideSpec]) -> dict[str, str]:
    """Return every text the slides draw -> its printable form (see :func:`.fonts.printable`)."""
    values: list[str] = []
    for spec in specs:
        values += [spec.title, spec.subtitle, *(p.name for p in spec.places),
                   *(c.text for c in spec.callouts)]
    return printable(v for v in values if v)


def slide_specs(routeset: RouteSet, *, per_transfer: bool = True,
                size: tuple[int, int] = (1920, 1080), dpi: float = 150,
                language: str = DEFAULT_LANGUAGE, aggregate: bool | None = None
                ) -> list[SlideSpec]:
    """Return what each slide shows, in deck order, without drawing anything.

    The overview comes first, then (if ``per_transfer``) one spec per transfer and, if some
    callouts are on no transfer slide (tied to no one transfer, or more than its panel has
    room for at this ``size`` and ``dpi``), maps of those (``slides/callouts``,
    ``slides/callouts-2``...). Every callout is keyed on at least one slide. Each spec's
    attributions already name the context layers the map draws (the rail network), so notes
    built from a spec match the slide's footer.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    per_transfer : bool
        Also the transfer slides and the callouts slides.
    size : tuple of int
        Width and height in pixels the slides will be drawn at.
    dpi : float
        Dots per inch.
    language : str
        The code of the language the slides' furniture is written in (the routeset's texts
        are already in it: :meth:`RouteSet.in_language`).
    aggregate : bool, optional
        Bundle the overview's transfers by corridor (True), never (False), or beyond
        :data:`routemap.maps.slides.aggregate.AGGREGATE_ABOVE` of them (None).

    Returns
    -------
    list of SlideSpec
        The same specs for the same route set object and arguments as the call before (a
        build's slides and its deck ask for the same ones: they are built once).
    """
    key = (per_transfer, tuple(size), float(dpi), language, aggregate)
    last = _LAST_SPECS.get("last")
    if last is not None and last[0]() is routeset and last[1] == key:
        return list(last[2])
    specs = _build_specs(routeset, per_transfer=per_transfer, size=size, dpi=dpi,
                         language=language, aggregate=aggregate)
    _LAST_SPECS["last"] = (weakref.ref(routeset), key, tuple(specs))
    return specs


#: The specs of the last :func:`slide_specs` call: its route set (held weakly, so a new route
#: set at the same address is never taken for it), its arguments and its specs.
_LAST_SPECS: dict[str, tuple[weakref.ref, tuple, tuple[SlideSpec, ...]]] = {}


def _build_specs(routeset: RouteSet, *, per_transfer: bool, size: tuple[int, int], dpi: float,
                 language: str, aggregate: bool | None) -> list[SlideSpec]:
    """Build what :func:`slide_specs` returns."""
    lang = load_language(language)
    specs = [_fitted(overview(routeset, language=lang, aggregate=aggregate), size=size, dpi=dpi,
                     where=lang.gettext("transfers, each on its own slide"))]
    if per_transfer:
        specs += with_observed(_keyed_specs(routeset, size=size, dpi=dpi, language=lang), routeset, lang)
    extra = _context_attributions()
    return [_with_attributions(s, s.attributions + tuple(a for a in extra
                                                         if a not in s.attributions))
            for s in specs]


def _fitted(spec: SlideSpec, *, size: tuple[int, int], dpi: float, where: str) -> SlideSpec:
    """Return a slide keying the callouts its panel has room for; the rest counted as more."""
    fits = panel_capacity(spec, size=size, dpi=dpi, texts=slide_texts([spec]))
    return cut_key(spec, fits, where)


def _keyed_specs(routeset: RouteSet, *, size: tuple[int, int], dpi: float,
                 language: Language) -> list[SlideSpec]:
    """Return the transfer slides, each keying the callouts its panel has room for, then the
    callouts slides keying all the others (no callout is left off every slide)."""
    transfers = transfer_specs(routeset, language=language)
    texts = slide_texts([*transfers, *callouts_spec(routeset, [], language=language)])

    def capacity(spec: SlideSpec) -> int:
        return panel_capacity(spec, size=size, dpi=dpi, texts=texts)

    where = language.gettext("on the slide \u2018{title}\u2019").format(
        title=language.gettext(CALLOUTS_TITLE))
    kept = []
    for spec in transfers:
        # a panel with nothing to key needs no measuring (most slides of a big scenario)
        fits = capacity(spec) if spec.callouts else 0
        if fits < len(spec.callouts):
            spec = replace(spec, callouts=spec.callouts[:fits],
                           more=len(spec.callouts) - fits, more_where=where)
        kept.append(spec)
    return kept + callouts_spec(routeset, kept, capacity=capacity, language=language)


def _context_attributions() -> tuple[str, ...]:
    """Return the licence lines of the context layers every map draws (the rail network)."""
    try:
        from routemap.geo.network import load_rail_network

        return (load_rail_network().attribution,)
    except (ImportError, AttributeError, OSError) as exc:
        log.info("rail context layer skipped: %s", exc)
        return ()
