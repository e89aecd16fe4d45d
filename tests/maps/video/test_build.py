"""The animation through the command line: on request only, listed in the manifest."""

from __future__ import annotations

import io
import json

from PIL import Image

from routemap.cli import main
from routemap.maps.options import DEFAULT_FORMATS, parse_formats
from routemap.maps.output import output_names

DATED_FLIGHT = """\
version: 1
title: One dated flight
sources:
  - {id: src, title: A report, publisher: A publisher, date: 2024-03-25}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    period: {start: 2024-03-21, end: 2024-03-21}
    legs:
      - {mode: air, from: {lat: 39.22, lon: 125.67}, to: {lat: 43.40, lon: 132.15}}
"""


def test_the_animation_is_asked_for_by_name_and_never_by_default():
    assert parse_formats("mp4,gif") == ("mp4", "gif")
    assert not {"mp4", "gif"} & set(DEFAULT_FORMATS)
    assert output_names(("mp4", "gif"))[:2] == ["animation.mp4", "animation.gif"]


def test_build_formats_gif_writes_the_animation_and_lists_it(tmp_path, capsys):
    """A one-day flight: the GIF opens at 960x540, shows the flight's day for at least 2 s
    and is listed, with its hash, in the manifest."""
    scenario = tmp_path / "flight.yaml"
    scenario.write_text(DATED_FLIGHT)
    out = tmp_path / "out"
    code = main(["build", str(scenario), "--out", str(out), "--formats", "gif", "--quiet"])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["animation.gif", "manifest.json"]
    gif = Image.open(io.BytesIO((out / "animation.gif").read_bytes()))
    assert gif.size == (960, 540) and gif.n_frames > 2
    total = 0
    for index in range(gif.n_frames):
        gif.seek(index)
        total += gif.info["duration"]
    assert total >= 10_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert [o["name"] for o in manifest["outputs"]] == ["animation.gif"]
