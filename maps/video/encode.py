"""Encoding the frames: H.264 MP4 through the ffmpeg that imageio-ffmpeg ships, GIF through
Pillow; the same frames give the same bytes, and neither file carries a timestamp."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import numpy as np
from PIL import Image

from routemap.errors import RenderError

__all__ = ["GifWriter", "Mp4Writer", "ffmpeg_exe", "hold_filters", "mp4_command"]

_PRESET = "ultrafast"  # frames are mostly still: a slower preset saves little but time
_CRF = "20"


def ffmpeg_exe() -> str:
    """Return the path of the ffmpeg binary imageio-ffmpeg ships.

    Raises
    ------
    RenderError
        If imageio-ffmpeg is not installed or has no binary for this platform.
    """
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        raise RenderError(f"cannot encode the animation: no ffmpeg from imageio-ffmpeg ({exc}); "
                          f"reinstall routemap with its dependencies") from exc


def mp4_command(exe: str, size: tuple[int, int], fps: int, out: Path,
                filters: Path | None = None, frames: int | None = None) -> list[str]:
    """Return the ffmpeg command reading RGBA frames on stdin and writing an MP4 to ``out``.

    H.264 (libx264) in yuv420p at ``fps`` frames a second, the index at the front
    (``+faststart``, so a browser plays it while it loads), bit-exact, with no metadata and
    no creation time, on two encoder threads (the bytes do not depend on the machine's cores).

    Parameters
    ----------
    exe : str
        The ffmpeg binary.
    size : tuple of int
        Width and height in pixels (both even).
    fps : int
        Frames per second.
    out : Path
        The file to write.
    filters : Path, optional
        A file holding the video filters applied to the frames read (as
        :func:`hold_filters` writes them: each picture held until the next).
    frames : int, optional
        Stop after this many frames.

    Returns
    -------
    list of str
    """
    held = [] if filters is None else ["-/filter:v", str(filters)]
    count = [] if frames is None else ["-frames:v", str(frames)]
    return [exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{size[0]}x{size[1]}",
            "-r", str(fps), "-i", "-", *held,
            "-c:v", "libx264", "-preset", _PRESET, "-crf", _CRF, "-pix_fmt", "yuv420p",
            "-profile:v", "high", "-threads", "2", "-r", str(fps),
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
            "-metadata", "creation_time=", "-movflags", "+faststart", *count, "-f", "mp4", str(out)]


def hold_filters(runs: Sequence[int], fps: int) -> str:
    """Return the video filters that show the n-th picture read for ``runs[n]`` frames.

    Each distinct picture is read once; ``setpts`` gives the n-th the index of the first
    frame it fills, looked up by the picture's number ``N`` in a balanced tree of ``if``
    (ffmpeg's expressions nest about a hundred deep at most, so a flat sum of steps fails
    past that), and ``fps`` repeats each until the next one's time, so the encoder receives
    every frame of a constant-rate film. A last copy of the last picture, one frame past the
    end, closes its run (the command stops after ``sum(runs)`` frames).

    Parameters
    ----------
    runs : sequence of int
        How many frames each picture fills, in order (each at least 1).
    fps : int
        Frames per second.

    Returns
    -------
    str

    Examples
    --------
    >>> print(hold_filters([3, 1, 2], 30))
    setpts=if(lt(N\\,2)\\,if(lt(N\\,1)\\,0\\,3)\\,if(lt(N\\,3)\\,4\\,6)),fps=30
    """
    if not runs or min(runs) < 1:
        raise ValueError(f"every picture fills at least one frame, not {list(runs)}")
    starts = [0]
    for length in runs:
        starts.append(starts[-1] + length)  # the closing copy's, last

    def lookup(lo: int, hi: int) -> str:
        """The start of picture N, for N from lo to hi - 1."""
        if hi - lo == 1:
            return str(starts[lo])
        mid = (lo + hi) // 2
        return f"if(lt(N\\,{mid})\\,{lookup(lo, mid)}\\,{lookup(mid, hi)})"

    return f"setpts={lookup(0, len(starts))},fps={fps}"


class Mp4Writer:
    """Pictures in, MP4 bytes out: an ffmpeg process fed each distinct RGBA picture once on
    its stdin, with how many frames it fills; the film keeps its constant rate.

    Parameters
    ----------
    size : tuple of int
        Width and height in pixels.
    fps : int
        Frames per second.
    runs : sequence of int
        How many frames each picture written fills, in order.
    """

    def __init__(self, size: tuple[int, int], fps: int, runs: Sequence[int]) -> None:
        self.size = size
        self.runs = tuple(runs)
        self.frames = sum(self.runs)
        self._dir = tempfile.TemporaryDirectory(prefix="routemap-video-")
        self._out = Path(self._dir.name) / "animation.mp4"
        script = Path(self._dir.name) / "hold.txt"
        script.write_text(hold_filters(self.runs, fps), encoding="ascii")
        command = mp4_command(ffmpeg_exe(), size, fps, self._out, script, self.frames)
        self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pictures = 0
        self._last: np.ndarray | None = None

    def write(self, rgba: np.ndarray) -> None:
        """Append the next picture, a (height, width, 4) uint8 array."""
        if rgba.shape != (self.size[1], self.size[0], 4):
            raise ValueError(f"frame of shape {rgba.shape}, expected {self.size[1]}x{self.size[0]}x4")
        if self.pictures >= len(self.runs):
            raise ValueError(f"more pictures than the {len(self.runs)} planned")
        self._send(rgba)
        self.pictures += 1
        if self.pictures == len(self.runs):
            self._send(rgba)  # the last run's closing copy

    def _send(self, rgba: np.ndarray) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(memoryview(np.ascontiguousarray(rgba)).cast("B"))
        except BrokenPipeError:
            self._fail()

    def close(self) -> bytes:
        """Finish the file and return its bytes."""
        if self.pictures != len(self.runs):
            self._proc.kill()
            self._proc.communicate()
            self._dir.cleanup()
            raise ValueError(f"{self.pictures} pictures written of the {len(self.runs)} planned")
        try:
            _, err = self._proc.communicate()
        except BrokenPipeError:
            err = b""
        if self._proc.returncode != 0:
            self._fail(err)
        data = self._out.read_bytes()
        self._dir.cleanup()
        return data

    def _fail(self, err: bytes | None = None) -> None:
        if err is None:
            self._proc.kill()
            _, err = self._proc.communicate()
        detail = err.decode("utf-8", "replace").strip().splitlines()
        self._dir.cleanup()
        raise RenderError("cannot encode the animation: ffmpeg stopped"
                          + (f" ({detail[-1]})" if detail else ""))

    def __enter__(self) -> Mp4Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.communicate()
            self._dir.cleanup()


class GifWriter:
    """Frames in, GIF bytes out: each frame halved, consecutive equal frames merged, one
    palette for the whole film taken from a sample of its frames, no dithering (so a still
    part of the map is the same pixels from frame to frame and costs nothing).

    Parameters
    ----------
    reduce : int
        Each side is divided by this (2: a 1920x1080 film gives a 960x540 GIF).
    """

    def __init__(self, reduce: int = 2) -> None:
        self.reduce = reduce
        self._frames: list[Image.Image] = []
        self._durations: list[int] = []
        self._last: bytes | None = None

    def write(self, rgba: np.ndarray, duration_ms: int) -> None:
        """Append a frame shown ``duration_ms`` milliseconds."""
        image = Image.fromarray(np.ascontiguousarray(rgba[:, :, :3]), "RGB")
        if self.reduce > 1:
            image = image.reduce(self.reduce)
        data = image.tobytes()
        if data == self._last:
            self._durations[-1] += duration_ms
            return
        self._last = data
        self._frames.append(image)
        self._durations.append(duration_ms)

    def close(self) -> bytes:
        """Return the GIF's bytes (looping forever)."""
        if not self._frames:
            raise ValueError("a GIF needs at least one frame")
        palette = _palette(self._frames)
        frames = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in self._frames]
        buf = io.BytesIO()
        frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:],
                       duration=self._durations, loop=0, optimize=False, disposal=1)
        return buf.getvalue()


def _palette(frames: Sequence[Image.Image], samples: int = 24) -> Image.Image:
    """Return one 256-colour palette image from evenly spaced frames, side by side."""
    step = max(1, len(frames) // samples)
    picked = frames[::step]
    w, h = picked[0].size
    sheet = Image.new("RGB", (w, h * len(picked)))
    for i, frame in enumerate(picked):
        sheet.paste(frame, (0, i * h))
    return sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
