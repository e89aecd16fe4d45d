"""Fonts for the slides: glyphs no font covers, and fonts that cannot be found or read."""

from __future__ import annotations

import pytest

from routemap.maps.slides.fonts import missing_glyphs, printable


@pytest.mark.parametrize(("text", "missing"), [
    ("Rajin port", ""), ("Хасан", ""), ("Ülkü café", ""), ("평양 Pyongyang", "평양"),
])
def test_missing_glyphs_are_found(text, missing):
    assert missing_glyphs(text, ["DejaVu Sans"]) == missing


def test_cyrillic_labels_pass_without_warning():
    assert printable(["Хасан", "Туманган"]) == {"Хасан": "Хасан", "Туманган": "Туманган"}


@pytest.fixture()
def fresh_font_caches():
    """Forget the fonts looked up so far, before and after the test (it fakes matplotlib)."""
    from routemap.maps.slides import fonts

    caches = (fonts.font_chain, fonts._charmap, fonts._coverage)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


def test_no_font_found_is_our_error(monkeypatch, fresh_font_caches):
    import matplotlib
    from matplotlib import font_manager

    from routemap.errors import RenderError
    from routemap.maps.slides import fonts

    def not_found(prop, *args, **kwargs):
        raise ValueError(f"Failed to find font {prop.get_family()[0]}:style=normal, and fallback "
                         "to the default font was disabled")

    monkeypatch.setattr(font_manager, "findfont", not_found)
    assert fonts.font_chain() == ("DejaVu Sans",)
    with pytest.raises(RenderError) as caught:
        printable(["Rajin port"])
    assert str(caught.value) == (
        "cannot draw the slides: the font 'DejaVu Sans' cannot be found or read; reinstall "
        "matplotlib, which ships it, or delete matplotlib's font cache "
        f"({matplotlib.get_cachedir()}) so that it is rebuilt (from matplotlib: Failed to find "
        "font DejaVu Sans:style=normal, and fallback to the default font was disabled)")


def test_an_unreadable_font_is_left_out_with_a_warning(monkeypatch, tmp_path, caplog,
                                                       fresh_font_caches):
    import logging

    import matplotlib
    from matplotlib import font_manager, ft2font

    from routemap.maps.slides import fonts

    broken = tmp_path / "NotoSans-Regular.ttf"
    broken.write_bytes(b"not a font")
    real_find, real_font = font_manager.findfont, ft2font.FT2Font

    def find(prop, *args, **kwargs):
        family = prop.get_family()[0]
        if family == "Noto Sans":
            return str(broken)
        if family == "DejaVu Sans":
            return real_find(prop, *args, **kwargs)
        raise ValueError(f"Failed to find font {family}")

    def open_font(path, *args, **kwargs):
        if str(path) == str(broken):
            raise RuntimeError("FT_Open_Face failed with error 0x55: invalid stream operation")
        return real_font(path, *args, **kwargs)

    monkeypatch.setattr(font_manager, "findfont", find)
    monkeypatch.setattr(ft2font, "FT2Font", open_font)
    with caplog.at_level(logging.WARNING, logger="routemap.maps.slides.fonts"):
        assert fonts.font_chain() == ("DejaVu Sans",)
    assert caplog.messages == [
        f"the font 'Noto Sans' ({broken}) cannot be read, so the slides are drawn without it; "
        f"reinstall it, or delete matplotlib's font cache ({matplotlib.get_cachedir()}) so that "
        "it is rebuilt (from matplotlib: FT_Open_Face failed with error 0x55: invalid stream "
        "operation)"]
    assert printable(["Хасан"]) == {"Хасан": "Хасан"}
