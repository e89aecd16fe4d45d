"""The HTML map's scripts and stylesheets, read from installed packages to be inlined.

Leaflet comes from ``django-js-lib-leaflet`` (its static files, located with importlib.resources);
routemap's own stylesheet and script live in ``maps/web/static``, the script in parts by concept,
joined into one in the order ``SCRIPT_PARTS`` gives. Nothing is fetched.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from routemap.errors import RenderError, library_detail

__all__ = ["SCRIPT_PARTS", "WebAssets", "inline_css_images", "load_web_assets", "strip_source_map"]

#: routemap's script parts in ``maps/web/static``, in the order they are joined: ``base.js`` opens
#: the function they all run in and ``start.js`` closes it. Listed, not globbed, so the page's
#: bytes never depend on how a file system orders a folder.
SCRIPT_PARTS: tuple[str, ...] = (
    "base.js",
    "packing.js",
    "popups.js",
    "layers.js",
    "legmarks.js",
    "legpaths.js",
    "basemappaths.js",
    "picking.js",
    "notes.js",
    "noteroom.js",
    "notelist.js",
    "panel.js",
    "timeline.js",
    "observed.js",
    "furniture.js",
    "start.js",
)

_LEAFLET_DIR = ("static", "js_lib_leaflet")
_CSS_URL = re.compile(r"url\(\s*['\"]?(images/[A-Za-z0-9_.-]+\.png)['\"]?\s*\)")
_SOURCE_MAP = re.compile(r"^\s*//[#@] sourceMappingURL=.*$", re.MULTILINE)


@dataclass(frozen=True)
class WebAssets:
    """Everything the page inlines: stylesheets and scripts, in the order they must appear."""

    styles: tuple[str, ...]
    scripts: tuple[str, ...]


def inline_css_images(css: str, images: Mapping[str, bytes]) -> str:
    """Return a stylesheet with its ``url(images/...png)`` references made ``data:`` URIs.

    Parameters
    ----------
    css : str
        The stylesheet text.
    images : mapping of str to bytes
        PNG contents by the relative path the stylesheet uses (``images/layers.png``).

    Returns
    -------
    str
        The stylesheet; references to images not in ``images`` are left as they were.
    """

    def replace(match: re.Match[str]) -> str:
        data = images.get(match.group(1))
        if data is None:
            return match.group(0)
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    return _CSS_URL.sub(replace, css)


def strip_source_map(script: str) -> str:
    """Return a script without its ``sourceMappingURL`` comment (a file the page would ask for)."""
    return _SOURCE_MAP.sub("", script).rstrip() + "\n"


def _check_inlinable(text: str, tag: str) -> str:
    """Return the text, or raise if it would close its own inline element early."""
    if f"</{tag}" in text.lower():
        raise ValueError(f"cannot inline a {tag} that contains '</{tag}'")
    return text


def _read_leaflet() -> tuple[str, str]:
    """Return Leaflet's stylesheet (its images inlined) and script, from the installed package.

    Raises
    ------
    RenderError
        If the package or its files are missing or unreadable, or a file holds its own end tag.
    """
    try:
        leaflet = resources.files("js_lib_leaflet").joinpath(*_LEAFLET_DIR)
        images = {
            f"images/{item.name}": item.read_bytes()
            for item in leaflet.joinpath("images").iterdir()
            if item.name.endswith(".png")
        }
        css = leaflet.joinpath("leaflet.css").read_text("utf-8")
        js = leaflet.joinpath("leaflet.js").read_text("utf-8")
    except (ImportError, OSError, UnicodeDecodeError) as exc:
        raise RenderError(
            "cannot make map.html: Leaflet's files cannot be read from the django-js-lib-leaflet "
            "package; reinstall it, or leave html out of --formats"
            + library_detail("importlib", exc)
        ) from exc
    for name, text, tag in (("leaflet.css", css, "style"), ("leaflet.js", js, "script")):
        if f"</{tag}" in text.lower():
            raise RenderError(
                f"cannot make map.html: the installed Leaflet's {name} contains '</{tag}', so it "
                f"cannot be inlined; install the django-js-lib-leaflet version routemap was "
                f"tested with, or leave html out of --formats")
    return inline_css_images(css, images), strip_source_map(js)


@functools.lru_cache(maxsize=1)
def load_web_assets() -> WebAssets:
    """Return Leaflet's and routemap's stylesheets and scripts (read once per process).

    routemap's script is its parts (``SCRIPT_PARTS``) joined into one, so the page holds one
    inline script of routemap's, hashed once by the page's content security policy.

    Raises
    ------
    RenderError
        If Leaflet's files are missing, or would end their inline element early.
    """
    leaflet_css, leaflet_js = _read_leaflet()
    ours = resources.files("routemap.maps.web").joinpath("static")
    css = _check_inlinable(ours.joinpath("routemap.css").read_text("utf-8"), "style")
    js = "\n".join(ours.joinpath(name).read_text("utf-8") for name in SCRIPT_PARTS)
    js = _check_inlinable(js, "script")
    return WebAssets((leaflet_css, css), (leaflet_js, js))
