"""Fonts installed after matplotlib listed its fonts: found for the labels that need them.

The scene: matplotlib's font cache was built before the user installed Noto CJK (after the
glyph warning told them to). Each test hides every CJK font from matplotlib's list, then puts a
copy of an installed CJK font file in a temporary font folder, and checks that a Korean label
is drawn with it on the next build, without any download and without the system's own state
(the folders searched and fontconfig are replaced).
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

KOREAN = "평양 순안"  # Pyongyang Sunan


def _installed_cjk_font() -> Path | None:
    """Return an installed font file that covers Hangul (fontconfig's answer), if any."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    done = subprocess.run([fc_list, ":charset=d3c9", "--format=%{file}\\n"], capture_output=True,
                          text=True, timeout=30, check=False)
    files = sorted(f for f in done.stdout.splitlines() if f.lower().endswith((".ttf", ".otf", ".ttc")))
    return Path(files[0]) if files else None


@pytest.fixture()
def font_without_cjk(monkeypatch):
    """matplotlib's font list without any font covering Hangul; the module's state reset."""
    from matplotlib import font_manager

    from routemap.maps.slides import fonts

    manager = font_manager.fontManager
    kept = [f for f in manager.ttflist if not fonts._covers_any(f.fname, ["\ud3c9"])]
    monkeypatch.setattr(manager, "ttflist", kept)
    monkeypatch.setattr(fonts, "_SEARCH", fonts._FontSearch())
    caches = (fonts.font_chain, fonts._coverage, manager._findfont_cached)
    for cache in caches:
        cache.cache_clear()
    yield fonts
    for cache in caches:
        cache.cache_clear()


@pytest.fixture()
def new_font_folder(tmp_path, monkeypatch):
    """A font folder holding a copy of an installed CJK font, added after matplotlib loaded."""
    source = _installed_cjk_font()
    if source is None:
        pytest.skip("no installed font covers Hangul (fc-list :charset=d3c9 lists none)")
    folder = tmp_path / "fonts"
    folder.mkdir()
    copy = folder / source.name
    shutil.copyfile(source, copy)
    return copy


def test_without_the_font_the_label_warns_with_what_to_install(font_without_cjk, monkeypatch, tmp_path):
    fonts = font_without_cjk
    monkeypatch.setattr(fonts, "_fc_list", lambda: None)
    monkeypatch.setattr(fonts, "_font_directories", lambda: [str(tmp_path)])
    with pytest.warns(fonts.GlyphWarning) as caught:
        out = fonts.printable([KOREAN])
    assert out[KOREAN] == "\ufffd\ufffd \ufffd\ufffd"
    message = str(caught[0].message)
    assert "install a font for Korean: on Debian/Ubuntu 'sudo apt install fonts-noto-cjk', on " \
           "macOS or Windows Noto Sans KR (https://fonts.google.com/noto); then build again" in message
    assert fonts._SEARCH.chars == set("평양순안")


def test_a_font_in_a_font_folder_is_found(font_without_cjk, new_font_folder, monkeypatch):
    from matplotlib import font_manager

    fonts = font_without_cjk
    monkeypatch.setattr(fonts, "_fc_list", lambda: None)
    monkeypatch.setattr(fonts, "_font_directories", lambda: [str(new_font_folder.parent)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.printable([KOREAN]) == {KOREAN: KOREAN}
    chain = fonts.font_chain()
    assert fonts.refresh_fonts("평") == ()  # looked for once
    korean = [f for f in chain if ord("평") in fonts._coverage(f)]
    assert korean, chain
    found = font_manager.findfont(font_manager.FontProperties(family=[korean[0]]),
                                  fallback_to_default=False)
    assert Path(found) == new_font_folder
    assert fonts.missing_glyphs(KOREAN) == ""


def test_a_font_fontconfig_lists_is_found(font_without_cjk, new_font_folder, monkeypatch):
    from matplotlib import font_manager

    fonts = font_without_cjk
    asked = []

    def fake_fontconfig(patterns):
        asked.extend(patterns)
        return [str(new_font_folder)]

    monkeypatch.setattr(fonts, "_fontconfig_files", fake_fontconfig)
    monkeypatch.setattr(fonts, "_font_directories", list)
    added = fonts.refresh_fonts(KOREAN)
    assert added and set(added) <= set(fonts.font_chain())
    assert all(ord("평") in fonts._coverage(f) for f in added)
    assert fonts.printable([KOREAN]) == {KOREAN: KOREAN}
    assert asked and all(p.startswith(":charset=") for p in asked)
    assert "d3c9" in " ".join(asked)
    assert str(new_font_folder) in {f.fname for f in font_manager.fontManager.ttflist}
    # once per process: the same characters are not looked for again
    asked.clear()
    fonts.printable(["순안"])
    assert asked == []


def test_a_worker_finds_the_parents_family_by_name(font_without_cjk, new_font_folder, monkeypatch):
    from matplotlib import font_manager

    fonts = font_without_cjk
    monkeypatch.setattr(fonts, "_fc_list", lambda: None)
    monkeypatch.setattr(fonts, "_font_directories", lambda: [str(new_font_folder.parent)])
    family = font_manager.get_font(str(new_font_folder)).family_name
    assert family not in {f.name for f in font_manager.fontManager.ttflist}
    fonts.ensure_families(("DejaVu Sans", family))
    assert family in {f.name for f in font_manager.fontManager.ttflist}


def test_nothing_is_searched_when_nothing_is_missing(font_without_cjk, monkeypatch):
    fonts = font_without_cjk

    def fail(*args, **kwargs):
        raise AssertionError("searched for fonts although every glyph was covered")

    monkeypatch.setattr(fonts, "_fontconfig_files", fail)
    monkeypatch.setattr(fonts, "_new_folder_files", fail)
    assert fonts.printable(["Хасан", "Rajin"]) == {"Хасан": "Хасан", "Rajin": "Rajin"}
    fonts.ensure_families(fonts.font_chain())


@pytest.mark.parametrize("chars, advice", [
    ("평", "install a font for Korean: on Debian/Ubuntu 'sudo apt install fonts-noto-cjk', on macOS "
           "or Windows Noto Sans KR (https://fonts.google.com/noto); then build again"),
    ("平ب", "install a font for Chinese and Arabic: on Debian/Ubuntu 'sudo apt install "
            "fonts-noto-cjk fonts-noto-core', on macOS or Windows Noto Sans SC, Noto Sans Arabic "
            "(https://fonts.google.com/noto); then build again"),
])
def test_font_advice(chars, advice):
    from routemap.maps.slides.fonts import font_advice

    assert font_advice(chars) == advice
