"""The interactive HTML map: a folium map with every script, style and basemap inlined.

``make_map`` returns the ``folium.Map`` (it displays inline in Jupyter); ``render_html`` returns
the complete page as bytes. The page loads nothing from the network unless the reader turns on
an online tile layer; its element ids are derived from its content, so the same route set always
gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections import OrderedDict
from typing import Any, ClassVar

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from routemap.errors import RenderError
from routemap.geo.countries import load_countries
from routemap.maps.language import DEFAULT_LANGUAGE, load_language
from routemap.maps.web.assets import WebAssets, load_web_assets
from routemap.maps.web.basemapcache import BasemapCache
from routemap.maps.web.data import build_map_data
from routemap.maps.web.packing import pack_map_data
from routemap.maps.web.tiles import TILE_HOSTS
from routemap.maps.web.vector_basemap import load_world_backdrop
from routemap.routes.routeset import RouteSet

__all__ = [
    "build_folium_map",
    "data_island_json",
    "make_map",
    "render_html",
    "with_security_policy",
]

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_CHARSET_META = re.compile(r"<meta\b[^>]*\bcharset\b[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


class _OfflineMap(folium.Map):
    """A folium map that links no CDN: Leaflet and the rest are inlined by ``_InlineAssets``."""

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []


class _Verbatim(Element):
    """Text that goes into the page exactly as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _VerbatimMacro(MacroElement):
    """A macro element whose rendered header, body and script go into the page as they are.

    branca reads what a macro renders as a new Jinja template: a ``{{``, ``{%`` or ``{#`` in a
    scenario's text (or in a packed line) would be evaluated or break the page. Here the
    rendered parts are never read again.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise RenderError("cannot make map.html: a map element is outside its page")
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in macros:
                getattr(figure, part).add_child(_Verbatim(macros[part](self, kwargs)),
                                                name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class _InlineAssets(_VerbatimMacro):
    """The viewport declaration, page title, stylesheets and scripts, written into the head."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{{ this.title }}</title>
        {% for style in this.assets.styles %}<style>{{ style }}</style>
        {% endfor %}
        {% for script in this.assets.scripts %}<script>{{ script }}</script>
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, assets: WebAssets, title: str) -> None:
        super().__init__()
        self._name = "InlineAssets"
        self.assets = assets
        self.title = html.escape(title)


class _RouteLayers(_VerbatimMacro):
    """The map's data (packed, ``routemap.maps.web.packing``) as an inert JSON island, and the
    call that draws it."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id="{{ this.get_name() }}">{{ this.json }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            routemap.draw({{ this._parent.get_name() }}, {{ this.get_name()|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()
        self._name = "RouteLayers"
        self.json = data_island_json(data)


def data_island_json(data: dict[str, Any]) -> str:
    """Return JSON that is inert inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``... so no scenario text can close the
    element or open another; ``JSON.parse`` restores them.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def build_folium_map(data: dict[str, Any], assets: WebAssets) -> folium.Map:
    """Return a folium map drawing a map data document with inlined assets.

    Parameters
    ----------
    data : dict
        As returned by ``routemap.maps.web.data.build_map_data``.
    assets : WebAssets
        The stylesheets and scripts to inline.

    Returns
    -------
    folium.Map
        With element ids derived from ``data``, so rendering it twice gives the same text.
    """
    (south, west), (north, east) = data["bounds"]
    fmap = _OfflineMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=3,
        tiles=None,
        zoom_control="topright",
        world_copy_jump=False,
        zoom_snap=0.25,
    )
    _InlineAssets(assets, data["title"]).add_to(fmap)
    layers = _RouteLayers(pack_map_data(data)).add_to(fmap)
    seed = hashlib.sha256(layers.json.encode("utf-8")).hexdigest()[:10]
    _set_ids(fmap.get_root(), seed)
    return fmap


def _set_ids(root: Element, seed: str) -> None:
    """Replace every element's random id with ``seed`` and its position in the tree."""
    elements = _walk(root)
    old_names = {id(e): e.get_name() for e in elements}
    for i, element in enumerate(elements):
        element._id = f"{seed}{i:03d}"
    for element in elements:
        element._children = OrderedDict(
            (child.get_name() if key == old_names[id(child)] else key, child)
            for key, child in element._children.items()
        )


def _walk(element: Element) -> list[Element]:
    """Return an element and everything under it, depth first, in a stable order."""
    out = [element]
    if isinstance(element, Figure):
        for part in (element.header, element.html, element.script):
            out.extend(_walk(part))
    for child in element._children.values():
        out.extend(_walk(child))
    return out


def make_map(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE, cache: bool = True) -> folium.Map:
    """Return the interactive map of a route set as a ``folium.Map`` (displays in Jupyter).

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified. Its texts are drawn as they are
        (:meth:`RouteSet.in_language` puts them in a language first).
    language : str
        The language of every word the map itself writes (``en``, ``fr``...).
    cache : bool
        Read and keep the drawn basemap in routemap's cache folder
        (``routemap.maps.web.basemapcache``); False neither reads nor writes it.

    Returns
    -------
    folium.Map
        Self-contained: Leaflet, routemap's script, the data and an offline Natural Earth
        basemap are inlined; online tile layers are offered, off by default.

    Raises
    ------
    LanguageError
        If routemap cannot write ``language``.
    """
    basemaps = BasemapCache.default() if cache else None
    world = basemaps.world() if basemaps else load_world_backdrop()
    data = build_map_data(routeset, load_countries(), world=world, language=load_language(language),
                          basemaps=basemaps)
    return build_folium_map(data, load_web_assets())


def render_html(routeset: RouteSet, *, language: str = DEFAULT_LANGUAGE, cache: bool = True) -> bytes:
    """Return the interactive map as one self-contained, byte-reproducible HTML file.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario; not modified.
    language : str
        The language of every word the map itself writes; the page's ``lang``.
    cache : bool
        As for :func:`make_map`: the same bytes either way, drawn faster from the cache.

    Returns
    -------
    bytes
        UTF-8 HTML. A content security policy lets only the page's own scripts run and
        images load only from the page itself or the optional tile servers.

    Raises
    ------
    LanguageError
        If routemap cannot write ``language``.
    """
    page = make_map(routeset, language=language, cache=cache).get_root().render()
    return with_security_policy(page, language=language).encode("utf-8")


def with_security_policy(page: str, *, language: str = DEFAULT_LANGUAGE) -> str:
    """Return a rendered page with a content security policy naming its own inline scripts,
    and the page's language on ``<html lang>``.

    The policy goes right after the page's charset declaration, or, if the page has none,
    opens the ``<head>`` together with one, so it does not depend on how folium writes it.

    Raises
    ------
    RenderError
        If the page has no ``<head>`` to hold the policy.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(page)
    )
    policy = (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        f"img-src data: blob: {' '.join(TILE_HOSTS)}; "
        "base-uri 'none'; form-action 'none'"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}" />'
    head = _HEAD.search(page)
    if head is None:
        raise RenderError(
            "cannot make map.html: the page folium rendered has no <head> to hold its content "
            "security policy; install the folium version routemap was tested with, or leave "
            "html out of --formats")
    charset = _CHARSET_META.search(page, head.end())
    if charset is None:
        at, meta = head.end(), f'<meta charset="UTF-8" />\n    {meta}'
    else:
        at = charset.end()
    page = f"{page[:at]}\n    {meta}{page[at:]}"
    code = html.escape(language, quote=True)
    return page.replace("<html>", f'<html lang="{code}">', 1)
