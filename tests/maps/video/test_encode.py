"""The animation's files: they decode with the right size, codec, pixel format and rate, carry
no timestamp, and are the same across runs, hash seeds and numbers of processes."""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from routemap.maps.options import RenderOptions
from routemap.maps.video.encode import GifWriter, Mp4Writer, hold_filters
from routemap.maps.video.pacing import Pace
from routemap.maps.video.render import PROGRESS_STEP, SQUARE_NAME, film_for, pictures, render_video

SIZES = {"animation.mp4": (240, 134), SQUARE_NAME: (134, 134)}
#: A quicker pace than the real one (the cards and the map's ends are shorter): the files'
#: checks do not need its seconds.
QUICK = Pace(title_s=0.5, closing_s=0.5, lead_s=0.2, tail_s=0.3, min_total_s=4.0)

_AGAIN = """
import pickle, sys
from routemap.maps.options import RenderOptions
from routemap.maps.video.pacing import Pace
from routemap.maps.video.render import render_video

if __name__ == "__main__":
    with open(sys.argv[1], "rb") as handle:
        routeset = pickle.load(handle)
    pace = Pace(title_s=0.5, closing_s=0.5, lead_s=0.2, tail_s=0.3, min_total_s=4.0)
    files = render_video(routeset, RenderOptions(formats=("mp4", "gif"), workers=2), shrink=8,
                         pace=pace)
    with open(sys.argv[2], "wb") as handle:
        pickle.dump(files, handle)
"""


@pytest.fixture(scope="module")
def told() -> list[tuple]:
    """What the renderer told its progress callback while drawing ``files``."""
    return []


@pytest.fixture(scope="module")
def files(shared_routeset, told) -> dict[str, bytes]:
    """The sample's three files, an eighth of their size at a quick pace, drawn in this process."""
    return render_video(shared_routeset, RenderOptions(formats=("mp4", "gif"), workers=1), shrink=8,
                        pace=QUICK, progress=lambda *args: told.append(args))


@pytest.fixture(scope="module")
def quick_film(sample_content):
    """The film those files hold."""
    return film_for(sample_content, pace=QUICK)


@pytest.fixture(scope="module")
def files_again(shared_routeset, tmp_path_factory) -> dict[str, bytes]:
    """The same files from another Python, with another hash seed and two processes."""
    folder = tmp_path_factory.mktemp("again")
    (folder / "again.py").write_text(_AGAIN)
    with (folder / "routeset.pkl").open("wb") as handle:
        pickle.dump(shared_routeset, handle)
    done = subprocess.run([sys.executable, str(folder / "again.py"), str(folder / "routeset.pkl"),
                           str(folder / "files.pkl")], env={**os.environ, "PYTHONHASHSEED": "4242"},
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    with (folder / "files.pkl").open("rb") as handle:
        return pickle.load(handle)


def _decode(data: bytes, tmp_path: Path, name: str) -> tuple[dict, list[bytes]]:
    """Return the decoder's description of an MP4 and its frames as RGB bytes.

    imageio-ffmpeg leaves its ffmpeg's pipes to the garbage collector (a ResourceWarning, an
    error here); they are collected inside this function, with that warning ignored.
    """
    path = tmp_path / name
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        reader = imageio_ffmpeg.read_frames(str(path))
        try:
            meta = next(reader)
            frames = [bytes(frame) for frame in reader]
        finally:
            reader.close()
            del reader
            gc.collect()
    return meta, frames


def test_the_renderer_writes_the_three_files_on_request(files, shared_routeset):
    assert sorted(files) == ["animation-square.mp4", "animation.gif", "animation.mp4"]
    assert render_video(shared_routeset, RenderOptions(formats=("png",))) == {}


@pytest.mark.parametrize("name", ["animation.mp4", SQUARE_NAME])
def test_the_mp4_decodes_as_h264_yuv420p_at_30_fps(files, quick_film, tmp_path, name):
    meta, frames = _decode(files[name], tmp_path, name)
    assert meta["size"] == SIZES[name]
    assert meta["codec"] == "h264"
    assert meta["pix_fmt"].startswith("yuv420p")
    assert meta["fps"] == 30
    assert len(frames) == len(quick_film.frames)
    assert meta["duration"] == pytest.approx(quick_film.duration_s, abs=0.05)


def _boxes(data: bytes, start: int = 0, end: int | None = None):
    """Yield (type, payload offset, payload end) of the MP4 boxes between start and end."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start:start + 8])
        head = 8
        if size == 1:
            size, head = struct.unpack(">Q", data[start + 8:start + 16])[0], 16
        size = size or end - start
        yield kind.decode("latin-1"), start + head, start + size
        start += size


def test_the_mp4_carries_no_timestamp_and_starts_with_its_index(files):
    data = files["animation.mp4"]
    top = [kind for kind, _, _ in _boxes(data)]
    assert top.index("moov") < top.index("mdat")  # +faststart: plays while it loads
    times = []
    moov = next((a, b) for kind, a, b in _boxes(data) if kind == "moov")
    for kind, a, _ in _boxes(data, *moov):
        if kind == "mvhd":
            times.append(struct.unpack(">II", data[a + 4:a + 12]))  # version 0: creation, modification
    assert times == [(0, 0)]
    assert b"creation_time" not in data and b"Lavf" not in data


def test_the_gif_is_the_same_bytes_across_runs_hash_seeds_and_processes(files, files_again):
    assert files["animation.gif"] == files_again["animation.gif"]


@pytest.mark.parametrize("name", ["animation.mp4", SQUARE_NAME])
def test_the_mp4_decodes_to_the_same_frames_across_runs(files, files_again, tmp_path, name):
    _, first = _decode(files[name], tmp_path, "first.mp4")
    _, second = _decode(files_again[name], tmp_path, "second.mp4")
    assert [hashlib.sha256(f).hexdigest() for f in first] == [hashlib.sha256(f).hexdigest() for f in second]


def test_the_gif_is_half_the_wide_film_at_10_fps(files, quick_film):
    gif = Image.open(io.BytesIO(files["animation.gif"]))
    assert gif.size == (120, 67)
    total = 0
    for index in range(gif.n_frames):
        gif.seek(index)
        total += gif.info["duration"]
    assert total == pytest.approx(quick_film.duration_s * 1000, abs=100)
    assert gif.info.get("loop") == 0


def test_the_gif_writer_merges_equal_frames_and_keeps_one_palette():
    writer = GifWriter(reduce=1)
    still = np.full((8, 8, 4), 255, dtype=np.uint8)
    moved = still.copy()
    moved[2:4, 2:4, :3] = (200, 30, 30)
    for frame in (still, still, moved):
        writer.write(frame, 100)
    gif = Image.open(io.BytesIO(writer.close()))
    assert gif.n_frames == 2
    durations = []
    for index in range(gif.n_frames):
        gif.seek(index)
        durations.append(gif.info["duration"])
    assert durations == [200, 100]
    with pytest.raises(ValueError, match="at least one frame"):
        GifWriter().close()


def test_the_progress_counts_both_films_frames_drawn_in_one_process(files, told, quick_film):
    total = 2 * len(quick_film.frames)
    assert told and {step for step, _, _ in told} == {PROGRESS_STEP}
    assert {t for _, _, t in told} == {total}
    done = [d for _, d, _ in told]
    assert done == sorted(done) and done[-1] == total and done[0] == 0  # told before drawing
    # one call per picture drawn, not per frame: the held frames are counted at once
    assert len(told) - 1 == 2 * len(pictures(quick_film)) < total


@pytest.mark.parametrize("runs", [[5, 1, 1, 3, 10, 1, 7], [1 + i % 3 for i in range(400)]],
                         ids=["seven", "four-hundred"])
def test_each_picture_is_sent_once_and_held_for_its_frames(tmp_path, runs):
    """Flat pictures filling 5, 1, 1, 3, 10, 1 and 7 frames: the MP4 holds 28 frames at
    30 fps, each the grey of its picture; and as many pictures as a real film sends (a
    flat expression of steps failed past a hundred)."""
    greys = [(30 * i) % 250 for i in range(len(runs))]
    with Mp4Writer((64, 48), 30, runs) as writer:
        for grey in greys:
            writer.write(np.full((48, 64, 4), grey, dtype=np.uint8))
        data = writer.close()
    meta, frames = _decode(data, tmp_path, "held.mp4")
    assert meta["fps"] == 30 and len(frames) == sum(runs)
    seen = [float(np.frombuffer(f, dtype=np.uint8).mean()) for f in frames]
    expected = [g for g, n in zip(greys, runs, strict=True) for _ in range(n)]
    assert np.abs(np.array(seen) - np.array(expected)).max() <= 2


def test_a_writer_refuses_pictures_other_than_planned():
    with pytest.raises(ValueError, match="at least one frame"):
        hold_filters([2, 0], 30)
    writer = Mp4Writer((16, 16), 30, [2, 3])
    writer.write(np.zeros((16, 16, 4), dtype=np.uint8))
    with pytest.raises(ValueError, match="1 pictures written of the 2 planned"):
        writer.close()


def test_the_pictures_of_a_film_fill_its_frames(quick_film):
    runs = pictures(quick_film)
    assert sum(n for _, n in runs) == len(quick_film.frames)
    starts = np.cumsum([0] + [n for _, n in runs[:-1]])
    assert [f.index for f, _ in runs] == starts.tolist()
    assert len(runs) < len(quick_film.frames) / 2  # a still map is drawn once
    assert runs[0][0].phase == "title" and runs[-1][0].phase == "closing"
