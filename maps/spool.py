"""Rendered files kept on disk until a build writes them: output names to bytes, read back one
file at a time, so a build of a thousand slides never holds them all in memory."""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["Outputs", "Spool"]


class Spool(Mapping[str, bytes]):
    """Files rendered into a private temporary folder, by output name, in the order added.

    Reading an entry reads its file; nothing is cached. The folder and everything in it are
    removed when the spool is closed or garbage-collected (and at interpreter exit).

    Parameters
    ----------
    prefix : str
        The start of the temporary folder's name (it says which output it holds).
    """

    def __init__(self, prefix: str = "routemap-") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self._paths: dict[str, Path] = {}
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)

    def new_path(self, suffix: str = "") -> Path:
        """Return a fresh file path inside the spool's folder (for a writer that streams)."""
        return self.folder / f"{len(self._paths):06d}-{os.urandom(4).hex()}{suffix}"

    def add(self, name: str, data: bytes) -> None:
        """Write ``data`` as the output ``name`` (replacing an earlier one of that name)."""
        path = self.new_path()
        path.write_bytes(data)
        self.add_file(name, path)

    def add_file(self, name: str, path: Path) -> None:
        """Take a file written inside the spool's folder as the output ``name``."""
        if Path(path).parent != self.folder:
            raise ValueError(f"{path} is not in the spool folder {self.folder}")
        old = self._paths.pop(name, None)
        if old is not None and old != Path(path):
            old.unlink(missing_ok=True)
        self._paths[name] = Path(path)

    def path(self, name: str) -> Path:
        """Return the file holding the output ``name``."""
        return self._paths[name]

    def size(self, name: str) -> int:
        """Return the size in bytes of the output ``name``, without reading it."""
        return self._paths[name].stat().st_size

    def close(self) -> None:
        """Remove the folder and every file in it; the spool is empty afterwards."""
        self._paths.clear()
        self._finalizer()

    def __getitem__(self, name: str) -> bytes:
        return self._paths[name].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, name: object) -> bool:
        return name in self._paths


class Outputs(Mapping[str, bytes]):
    """A build's files by output name: bytes held in memory, or entries of spools read from
    disk only when asked for. Merging a spool keeps its entries on disk.
    """

    def __init__(self) -> None:
        self._entries: dict[str, bytes | tuple[Mapping[str, bytes], str]] = {}

    def merge(self, files: Mapping[str, bytes], *, prefix: str = "") -> None:
        """Add every file of ``files`` (its name after ``prefix``), lazily from a spool or an
        other :class:`Outputs`, as bytes otherwise."""
        for name in files:
            self._entries[prefix + name] = self._reference(files, name)

    @staticmethod
    def _reference(files: Mapping[str, bytes], name: str) -> bytes | tuple[Mapping[str, bytes], str]:
        if isinstance(files, Outputs):
            return files._entries[name]
        if isinstance(files, Spool):
            return (files, name)
        return files[name]

    def select(self, names: list[str]) -> Outputs:
        """Return the entries named, in the order given, still unread."""
        out = Outputs()
        out._entries = {name: self._entries[name] for name in names}
        return out

    def __setitem__(self, name: str, data: bytes) -> None:
        self._entries[name] = data

    def __getitem__(self, name: str) -> bytes:
        entry = self._entries[name]
        if isinstance(entry, tuple):
            files, key = entry
            return files[key]
        return entry

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries
