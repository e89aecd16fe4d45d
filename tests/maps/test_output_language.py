"""A build's language: RenderOptions.language, write(language=), one subfolder per language
written together, the scenario's language by default, and the manifest saying which."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from routemap.errors import RouteMapError
from routemap.maps import output
from routemap.maps.language import DEFAULT_LANGUAGE, LanguageError, available_languages
from routemap.maps.options import RenderOptions

GIS = RenderOptions(formats=("geojson", "csv"))


def _in_language(routeset, code):
    """The route set as if its scenario were written in ``code``."""
    return dataclasses.replace(routeset, scenario=dataclasses.replace(routeset.scenario, language=code))


def test_render_options_default_to_english_and_check_the_language():
    assert RenderOptions().language == DEFAULT_LANGUAGE == "en"
    assert RenderOptions(language="fr").language == "fr"
    with pytest.raises(LanguageError) as info:
        RenderOptions(language="xx")
    assert isinstance(info.value, RouteMapError) and isinstance(info.value, ValueError)
    assert str(info.value) == f"no output language 'xx': routemap writes {', '.join(available_languages())}"


def test_write_in_one_language_records_it_in_the_manifest(sample_routeset, tmp_path):
    out = tmp_path / "out"
    written = output.write(sample_routeset, out, options=GIS, language="fr")
    assert [p.name for p in written] == ["legs.csv", "routes.geojson", "manifest.json"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["language"] == "fr"
    english = output.write(sample_routeset, tmp_path / "en", options=GIS)
    assert json.loads(english[-1].read_text(encoding="utf-8"))["language"] == "en"


def test_write_languages_writes_one_complete_build_per_subfolder(sample_routeset, tmp_path):
    out = tmp_path / "out"
    written = output.write_languages(sample_routeset, out, ["en", "fr", "en"], options=GIS)
    assert [p.relative_to(out).as_posix() for p in written] == [
        "en/legs.csv", "en/routes.geojson", "en/manifest.json",
        "fr/legs.csv", "fr/routes.geojson", "fr/manifest.json"]
    for code in ("en", "fr"):
        manifest = json.loads((out / code / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["language"] == code
        assert [o["name"] for o in manifest["outputs"]] == ["legs.csv", "routes.geojson"]
    alone = output.write(sample_routeset, tmp_path / "alone", options=GIS, language="fr")
    assert [p.read_bytes() for p in alone] == [p.read_bytes() for p in written[3:]]


def test_an_unknown_language_among_several_writes_nothing(sample_routeset, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(LanguageError, match="no output language 'xx'"):
        output.write_languages(sample_routeset, out, ["fr", "xx"], options=GIS)
    assert not out.exists()


def test_an_interrupted_run_leaves_every_subfolder_as_it_was(sample_routeset, tmp_path, monkeypatch):
    out = tmp_path / "out"
    output.write_languages(sample_routeset, out, ["en", "fr"], options=GIS)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    render = output.render_build

    def interrupted(routeset, options, **kwargs):
        if options.language == "fr":
            raise KeyboardInterrupt
        return {name: data + b" " for name, data in render(routeset, options, **kwargs).items()}

    monkeypatch.setattr(output, "render_build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_languages(sample_routeset, out, ["en", "fr"], options=GIS)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # en/ untouched, no staged file left


@pytest.mark.parametrize(("scenario_language", "expected", "warned"), [
    ("en", "en", False),
    ("fr", "fr", False),
    ("es", "en", True),  # a language routemap cannot write yet: English, and it says so
])
def test_without_a_language_the_scenario_language_else_english(sample_routeset, caplog, monkeypatch,
                                                                 scenario_language, expected, warned):
    routeset = _in_language(sample_routeset, scenario_language)
    with caplog.at_level(logging.WARNING, logger="routemap"):
        assert output.default_language(routeset) == expected
    assert any("does not write 'es'" in r.getMessage() for r in caplog.records) is warned
    asked = []
    monkeypatch.setattr(output, "render_build", lambda rs, options, **kw: asked.append(options) or {})
    monkeypatch.setattr(output, "write_files", lambda files, out_dir: [])
    output.write(routeset, "unused")
    assert asked == [RenderOptions(language=expected)]  # every default format, in that language
