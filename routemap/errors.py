"""The exceptions routemap raises: one base class, input errors also inherit their builtin."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NetworkDataError",
    "OutputError",
    "PlaceError",
    "Problem",
    "RenderError",
    "ResourceError",
    "RouteMapError",
    "ScenarioError",
    "UnroutableLegError",
    "library_detail",
    "out_of_memory",
]


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file.

    Attributes
    ----------
    file : str
        The file as the user named it.
    line : int or None
        1-based line number, when known.
    path : str
        The key path inside the document, e.g. ``transfers[2].legs[1].to``.
    message : str
        What was expected and what was found.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" {self.path}:" if self.path else ""
        return f"error: {where}:{key} {self.message}"


class RouteMapError(Exception):
    """Base class of every error routemap raises on purpose."""

    def messages(self) -> list[str]:
        """Return the lines to show the user, one per problem."""
        return [f"error: {self}"]


class ScenarioError(RouteMapError, ValueError):
    """A scenario file breaks the format; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


class PlaceError(RouteMapError, LookupError):
    """A place reference is unknown or ambiguous."""


class UnroutableLegError(RouteMapError, ValueError):
    """A leg's mode network cannot connect its ends (or honour its constraints).

    One instance may carry several legs' messages, one per line.
    """

    def messages(self) -> list[str]:
        return [f"error: {line}" for line in str(self).splitlines()]


class NetworkDataError(RouteMapError, OSError):
    """Bundled network data or its cache is missing or unreadable."""


class OutputError(RouteMapError, OSError):
    """The output folder cannot be written."""


class RenderError(RouteMapError):
    """An output cannot be made because a library it relies on failed (a damaged install, an
    unreadable font, a full temporary folder); the message names the output and what to do."""


class ResourceError(RouteMapError, MemoryError):
    """The machine lacks the memory a step of the work needs.

    The message names what needed it (the output being written, the scenario being read) and
    what to leave out; nothing of that step has been written.
    """


def out_of_memory(what: str, *, instead: str) -> ResourceError:
    """Return the error for a step that ran out of memory.

    Parameters
    ----------
    what : str
        The step, as a verb phrase naming its output and its size: ``write briefing.pptx for
        1,000 transfers (2,004 legs)``.
    instead : str
        What the user can do: ``try --formats without pptx, or fewer transfers``.

    Returns
    -------
    ResourceError
        ``not enough memory to <what>; <instead>``, to raise ``from`` the MemoryError.
    """
    return ResourceError(f"not enough memory to {what}; {instead}")


def library_detail(source: str, exc: BaseException) -> str:
    """Return a library's own words about a failure, to append after routemap's message.

    Parameters
    ----------
    source : str
        Who said it, e.g. ``GDAL`` or ``osmnx``.
    exc : BaseException
        The library's exception.

    Returns
    -------
    str
        `` (from SOURCE: text)`` on one line; the exception's class name when it has no text.
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f" (from {source}: {text})"
