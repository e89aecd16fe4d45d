"""Slide fonts: a fallback chain over the installed fonts, and a loud check for missing glyphs."""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Iterable

import matplotlib
from matplotlib import font_manager, ft2font

from routemap.errors import RenderError, library_detail

__all__ = ["CANDIDATE_FAMILIES", "GlyphWarning", "font_chain", "missing_glyphs", "printable"]

log = logging.getLogger(__name__)

# Tried in order; the first is shipped with matplotlib (Latin, Greek, Cyrillic), the others
# cover further scripts when installed (e.g. Debian's fonts-noto-cjk gives Korean).
CANDIDATE_FAMILIES: tuple[str, ...] = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "NanumGothic",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Noto Sans Arabic",
    "Noto Sans Devanagari",
)
_REPLACEMENT = "\ufffd"


class GlyphWarning(UserWarning):
    """A label holds characters that no installed font can draw."""


@functools.lru_cache(maxsize=1)
def font_chain() -> tuple[str, ...]:
    """Return the installed families of :data:`CANDIDATE_FAMILIES` whose files can be read.

    A family installed but unreadable (a damaged file, a stale font cache) is left out with a
    warning that names its file and what to do; ``DejaVu Sans`` is the last resort.
    """
    found = []
    for family in CANDIDATE_FAMILIES:
        try:
            path = _font_file(family)
        except ValueError:  # not installed
            continue
        try:
            _charmap(path)
        except (RuntimeError, OSError) as exc:
            log.warning("the font '%s' (%s) cannot be read, so the slides are drawn without it; "
                        "reinstall it, or delete matplotlib's font cache (%s) so that it is "
                        "rebuilt%s", family, path, matplotlib.get_cachedir(),
                        library_detail("matplotlib", exc))
            continue
        found.append(family)
    return tuple(found) or ("DejaVu Sans",)


def _font_file(family: str) -> str:
    """Return the file matplotlib draws a family from (ValueError when it has none)."""
    return font_manager.findfont(font_manager.FontProperties(family=[family]),
                                 fallback_to_default=False)


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    """Return the code points a font file covers (FreeType's errors pass through)."""
    return frozenset(ft2font.FT2Font(path).get_charmap())


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    """Return the code points a family covers.

    Raises
    ------
    RenderError
        If matplotlib finds no file for the family or cannot read it.
    """
    try:
        return _charmap(_font_file(family))
    except (ValueError, RuntimeError, OSError) as exc:
        fix = "reinstall matplotlib, which ships it" if family == "DejaVu Sans" else "install it"
        raise RenderError(
            f"cannot draw the slides: the font '{family}' cannot be found or read; {fix}, or "
            f"delete matplotlib's font cache ({matplotlib.get_cachedir()}) so that it is rebuilt"
            + library_detail("matplotlib", exc)
        ) from exc


def missing_glyphs(text: str, families: Iterable[str] | None = None) -> str:
    """Return the characters of ``text`` that no font of the chain has, without repeats.

    Parameters
    ----------
    text : str
        A label.
    families : iterable of str, optional
        Font families to consult; default :func:`font_chain`.

    Raises
    ------
    RenderError
        If a family's font cannot be found or read.
    """
    covered = [_coverage(f) for f in (families or font_chain())]
    missing = (ch for ch in text if not ch.isspace() and not any(ord(ch) in c for c in covered))
    return "".join(dict.fromkeys(missing))


def printable(texts: Iterable[str]) -> dict[str, str]:
    """Map each text to one the fonts can draw, warning once for each text that loses glyphs.

    Characters no installed font covers become U+FFFD (a visible replacement mark), and a
    :class:`GlyphWarning` names the label and the characters, so nothing turns silently
    into empty boxes.
    """
    out: dict[str, str] = {}
    for text in dict.fromkeys(texts):
        missing = missing_glyphs(text)
        if missing:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing)
            message = (f"label {text!r} has characters no installed font covers ({codes}); "
                       f"install a font for them (fonts tried: {', '.join(font_chain())})")
            log.warning(message)
            warnings.warn(message, GlyphWarning, stacklevel=2)
            text_out = "".join(_REPLACEMENT if ch in missing else ch for ch in text)
        else:
            text_out = text
        out[text] = text_out
    return out
