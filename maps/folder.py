"""The output folder: files staged and renamed into place, never half-written, leftovers cleared."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from routemap.errors import OutputError

__all__ = ["check_out_dir", "write_files"]

log = logging.getLogger(__name__)


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


