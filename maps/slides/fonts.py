"""Slide fonts: a fallback chain over the installed fonts, and a loud check for missing glyphs."""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from collections.abc import Iterable, Sequence

import matplotlib
from matplotlib import font_manager, ft2font

from routemap.errors import RenderError, library_detail

__all__ = ["CANDIDATE_FAMILIES", "GlyphWarning", "ensure_families", "font_advice", "font_chain",
           "missing_glyphs", "printable", "refresh_fonts", "text_setting"]

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
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_FC_TIMEOUT_S = 20.0

# What to install for a script, keyed by the first word of its characters' Unicode names:
# (the script as a reader calls it, the Debian/Ubuntu package, the Noto family for macOS/Windows).
_SCRIPT_FONTS: dict[str, tuple[str, str, str]] = {
    "HANGUL": ("Korean", "fonts-noto-cjk", "Noto Sans KR"),
    "CJK": ("Chinese", "fonts-noto-cjk", "Noto Sans SC"),
    "HIRAGANA": ("Japanese", "fonts-noto-cjk", "Noto Sans JP"),
    "KATAKANA": ("Japanese", "fonts-noto-cjk", "Noto Sans JP"),
    "ARABIC": ("Arabic", "fonts-noto-core", "Noto Sans Arabic"),
    "DEVANAGARI": ("Devanagari", "fonts-noto-core", "Noto Sans Devanagari"),
    "HEBREW": ("Hebrew", "fonts-noto-core", "Noto Sans Hebrew"),
    "THAI": ("Thai", "fonts-noto-core", "Noto Sans Thai"),
    "GEORGIAN": ("Georgian", "fonts-noto-core", "Noto Sans Georgian"),
    "ARMENIAN": ("Armenian", "fonts-noto-core", "Noto Sans Armenian"),
    "CYRILLIC": ("Cyrillic", "fonts-dejavu-core", "DejaVu Sans"),
    "GREEK": ("Greek", "fonts-dejavu-core", "DejaVu Sans"),
}
_OTHER_SCRIPT = ("other scripts", "fonts-noto", "the Noto font for the script")


class GlyphWarning(UserWarning):
    """A label holds characters that no installed font can draw."""


@functools.lru_cache(maxsize=1)
def font_chain() -> tuple[str, ...]:
    """Return the installed families of :data:`CANDIDATE_FAMILIES` whose files can be read.

    A family installed but unreadable (a damaged file, a stale font cache) is left out with a
    warning that names its file and what to do; ``DejaVu Sans`` is the last resort.
    """
    found = []
    for family in dict.fromkeys((*CANDIDATE_FAMILIES, *_SEARCH.families)):
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


def text_setting() -> tuple[object, ...]:
    """Return what a text's measured size depends on besides its string, font properties and
    dpi: the fonts installed and the matplotlib settings that choose and hint them.

    Returns
    -------
    tuple
        Comparable and hashable; the same while nothing changes a text's measures.
    """
    return (len(font_manager.fontManager.ttflist),
            *(str(matplotlib.rcParams[k]) for k in _MEASURE_PARAMS))


_MEASURE_PARAMS = ("font.family", "font.sans-serif", "font.serif", "font.monospace",
                   "font.style", "font.weight", "font.stretch", "font.variant",
                   "text.hinting", "text.antialiased")
"""The matplotlib settings a text's measures depend on (none that matplotlib 3.11 deprecates:
reading text.kerning_factor or text.hinting_factor warns)."""


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

    When some characters are in no font of the chain, the fonts installed since matplotlib
    listed its fonts are looked for first (:func:`refresh_fonts`). Characters no installed font
    covers become U+FFFD (a visible replacement mark), and a :class:`GlyphWarning` names the
    label, the characters and what to install (:func:`font_advice`), so nothing turns silently
    into empty boxes.
    """
    texts = list(dict.fromkeys(texts))
    missing_all = "".join(dict.fromkeys(ch for text in texts for ch in missing_glyphs(text)))
    if missing_all:
        refresh_fonts(missing_all)
    out: dict[str, str] = {}
    for text in texts:
        missing = missing_glyphs(text)
        if missing:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing)
            message = (f"label {text!r} has characters no installed font covers ({codes}); "
                       f"{font_advice(missing)} (fonts tried: {', '.join(font_chain())})")
            log.warning(message)
            warnings.warn(message, GlyphWarning, stacklevel=2)
            text_out = "".join(_REPLACEMENT if ch in missing else ch for ch in text)
        else:
            text_out = text
        out[text] = text_out
    return out


def font_advice(chars: str) -> str:
    """Return what to install so that the slides can draw ``chars``, script by script.

    Parameters
    ----------
    chars : str
        Characters no installed font covers.

    Returns
    -------
    str
        E.g. ``install a font for Korean: on Debian/Ubuntu 'sudo apt install fonts-noto-cjk',
        on macOS or Windows Noto Sans KR (https://fonts.google.com/noto); then build again``.
    """
    needs = dict.fromkeys(_SCRIPT_FONTS.get(unicodedata.name(ch, "?").split()[0], _OTHER_SCRIPT)
                          for ch in chars)
    scripts = " and ".join(dict.fromkeys(script for script, _, _ in needs))
    packages = " ".join(dict.fromkeys(package for _, package, _ in needs))
    families = ", ".join(dict.fromkeys(family for _, _, family in needs))
    return (f"install a font for {scripts}: on Debian/Ubuntu 'sudo apt install {packages}', "
            f"on macOS or Windows {families} (https://fonts.google.com/noto); then build again")


# -- fonts installed after matplotlib listed its fonts ------------------------------------------


class _FontSearch:
    """What this process has looked for among the installed fonts, so each search runs once."""

    def __init__(self) -> None:
        self.chars: set[str] = set()
        self.names: set[str] = set()
        self.families: list[str] = []


_SEARCH = _FontSearch()


def refresh_fonts(chars: str) -> tuple[str, ...]:
    """Make the fonts installed since matplotlib's font cache was built that cover ``chars`` usable.

    matplotlib lists the system's fonts once and caches the list on disk, so a font installed
    later (e.g. Noto CJK, after the glyph warning) stays unknown to it. The font files fontconfig
    lists for the characters (``fc-list :charset=...``), or else the new files of the system font
    folders that cover them, are added to matplotlib's font list, and their families join the
    chain. Each character is looked for once per process.

    Parameters
    ----------
    chars : str
        Characters no font of the chain covers.

    Returns
    -------
    tuple of str
        The families added to the chain (empty when nothing new covers the characters).
    """
    wanted = [ch for ch in dict.fromkeys(chars) if ch not in _SEARCH.chars]
    _SEARCH.chars.update(wanted)
    if not wanted:
        return ()
    # One fontconfig query per 256-character block (a font must cover all of a query's characters).
    blocks = list(dict.fromkeys(ord(ch) // 0x100 for ch in wanted))[:8]
    patterns = [":charset=" + " ".join([f"{ord(ch):x}" for ch in wanted if ord(ch) // 0x100 == b][:16])
                for b in blocks]
    files = _fontconfig_files(patterns)
    if files is None:
        files = [f for f in _new_folder_files() if _covers_any(f, wanted)]
    before = font_chain()
    added = _add_fonts(files)
    if not added:
        return ()
    # A candidate family may now be installed; others join only for what it leaves uncovered.
    _SEARCH.families.extend(_families_covering({ord(ch) for ch in wanted} - _chain_coverage(), added))
    font_chain.cache_clear()
    log.info("fonts installed since matplotlib listed its fonts: %d families added; the slides "
             "draw with %s", len(added), ", ".join(font_chain()))
    return tuple(f for f in font_chain() if f not in before)


def _chain_coverage() -> set[int]:
    """Return the code points the chain covers."""
    return {code for family in font_chain() for code in _coverage_of(family)}


def _families_covering(codes: set[int], families: Sequence[str]) -> tuple[str, ...]:
    """Pick few of ``families`` that cover ``codes``: sans before serif and mono, then by name."""
    order = sorted(families, key=lambda f: (any(w in f for w in ("Serif", "Mono")), f))
    chosen: list[str] = []
    while codes:
        best = max(order, key=lambda f: len(codes & _coverage_of(f)))
        if not codes & _coverage_of(best):
            break
        chosen.append(best)
        codes -= _coverage_of(best)
    return tuple(chosen)


def ensure_families(families: Sequence[str]) -> None:
    """Make sure matplotlib knows every family of a chain (in a process drawing slides).

    A worker process reads matplotlib's font cache afresh; a family the parent found with
    :func:`refresh_fonts` is looked for again here, by name, once per process.

    Parameters
    ----------
    families : sequence of str
        A font chain, e.g. the parent's :func:`font_chain`.
    """
    known = {f.name for f in font_manager.fontManager.ttflist}
    unknown = [f for f in families if f not in known and f not in _SEARCH.names]
    _SEARCH.names.update(unknown)
    if not unknown:
        return
    files = _fontconfig_files([re.sub(r"([\\\-:,])", r"\\\1", family) for family in unknown])
    _add_fonts(_new_folder_files() if files is None else files)


def _add_fonts(files: Iterable[str]) -> tuple[str, ...]:
    """Add the font files matplotlib does not know yet; return the families they bring."""
    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    before = len(manager.ttflist)
    for path in sorted(set(files) - known):
        try:
            manager.addfont(path)
        except (RuntimeError, OSError, ValueError) as exc:
            log.warning("the font file %s cannot be read, so the slides are drawn without it%s",
                        path, library_detail("matplotlib", exc))
    if len(manager.ttflist) > before:
        for cache in (font_chain, _coverage):
            cache.cache_clear()
    return tuple(dict.fromkeys(f.name for f in manager.ttflist[before:]))


def _coverage_of(family: str) -> frozenset[int]:
    """Return the code points a family covers, or none if it cannot be read."""
    try:
        return _coverage(family)
    except RenderError:
        return frozenset()


def _covers_any(path: str, chars: Sequence[str]) -> bool:
    try:
        covered = _charmap(path)
    except (RuntimeError, OSError, ValueError):
        return False
    return any(ord(ch) in covered for ch in chars)


def _fc_list() -> str | None:
    """Return fontconfig's ``fc-list`` command, if installed."""
    return shutil.which("fc-list")


def _fontconfig_files(patterns: Sequence[str]) -> list[str] | None:
    """Return the font files fontconfig lists for the patterns (None without fontconfig)."""
    command = _fc_list()
    if command is None:
        return None
    files: list[str] = []
    for pattern in patterns:
        try:
            done = subprocess.run([command, pattern, "--format=%{file}\\n"], capture_output=True,
                                  text=True, timeout=_FC_TIMEOUT_S, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            log.info("fc-list could not list the fonts (%s)", exc)
            return None
        files.extend(line for line in done.stdout.splitlines()
                     if line.lower().endswith(_FONT_SUFFIXES))
    return files


def _font_directories() -> list[str]:
    """Return the system's font folders (the ones matplotlib scans) for this platform."""
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        local = os.environ.get("LOCALAPPDATA", "")
        return [os.path.join(windir, "Fonts"), os.path.join(local, "Microsoft", "Windows", "Fonts")]
    if sys.platform == "darwin":
        return list(font_manager.OSXFontDirectories)
    return list(font_manager.X11FontDirectories)


def _new_folder_files() -> list[str]:
    """Return the font files of the system font folders that matplotlib does not know yet."""
    known = {f.fname for f in font_manager.fontManager.ttflist}
    found = (font_manager.findSystemFonts(fontpaths=[d]) for d in _font_directories()
             if os.path.isdir(d))
    return sorted({f for files in found for f in files
                   if f not in known and f.lower().endswith(_FONT_SUFFIXES)})
