"""What this tool is called and which release is running (the distribution is routemap-osint)."""

from __future__ import annotations

from importlib import metadata

__all__ = ["DISTRIBUTION", "NAME", "version"]

NAME = "routemap"
DISTRIBUTION = "routemap-osint"  # the name on PyPI; "routemap" there is another project


def version() -> str:
    """Return the installed release of routemap, or ``"unknown"`` when run from a bare checkout."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"
