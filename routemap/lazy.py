"""Lazy package exports: a package names its public objects without importing their modules.

``import geo`` (and ``routemap --help``) then costs nothing until a name is used; a heavy
module such as geopandas or matplotlib loads on the first attribute that needs it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["lazy_exports", "package_folder"]


def lazy_exports(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a module-level ``__getattr__`` and ``__dir__`` serving ``exports`` on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (for error messages).
    exports : Mapping[str, str]
        Public name -> the module that defines it (e.g. ``"load_scenario": "routemap.geo.scenario"``).

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` to assign at the package's top level.

    Raises
    ------
    AttributeError
        From ``__getattr__``, for a name the package does not export.
    """
    def __getattr__(name: str) -> Any:  # noqa: N807 - the module-level hook must have this name
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:  # noqa: N807 - likewise
        return sorted(exports)

    return __getattr__, __dir__


def package_folder(name: str) -> Path:
    """Return the folder of an installed package, found without importing it.

    For reading a library's data files where its ``__init__`` would load more than they need
    (searoute's loads networkx, about a second).

    Raises
    ------
    ModuleNotFoundError
        If no package of that name is installed.
    """
    spec = importlib.util.find_spec(name)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        raise ModuleNotFoundError(f"No module named '{name}'", name=name)
    return Path(folders[0])
