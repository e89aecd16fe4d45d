"""Routing many legs at once: each distinct leg routed once, kept between builds, failures first.

A scenario of a thousand transfers asks the same few legs many times (port to railhead, depot
to depot). :func:`route_requests` routes each distinct request once, takes what the route cache
already holds, checks every remaining leg with each router's cheap pass (stops too far from
their network, on parts of it that do not join, in a country the leg may not use) before the
long work starts, and routes what is left grouped by mode, constraints and origin, so that a
constrained graph, a search tree or a water grid built for one leg serves the next.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from routemap.errors import UnroutableLegError
from routemap.geo.model import NetworkAddition
from routemap.routes.leg import LegRequest, RoutedLeg
from routemap.routes.routecache import RouteCache, request_digest, shipped_version

__all__ = ["ModeRouter", "Outcome", "Progress", "route_requests"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


class ModeRouter:
    """The router of one mode: its network loaded on first use, its data version, its cheap pass.

    Calling it routes a leg (``router(request) -> RoutedLeg``), as any router does.

    Parameters
    ----------
    mode : str
        ``sea``, ``rail``, ``road`` or ``air``.
    route_leg : callable
        ``route_leg(request, network) -> RoutedLeg``.
    load_network : callable or None
        Loads the bundled network (None: the mode needs none, or ``network`` is given).
    network : object, optional
        A network to use instead of the bundled one (a user's extract).
    additions : tuple of NetworkAddition
        The scenario's additions for this mode, joined to the network before its first leg.
    check_leg : callable, optional
        ``check_leg(request, network)``: raises :class:`UnroutableLegError` for a leg that
        cannot be routed, cheaply, with the message routing would give.
    """

    def __init__(self, mode: str, route_leg: Callable[[LegRequest, Any], RoutedLeg],
                 load_network: Callable[[], Any] | None, *, network: Any = None,
                 additions: tuple[NetworkAddition, ...] = (),
                 check_leg: Callable[[LegRequest, Any], None] | None = None) -> None:
        self.mode = mode
        self._route_leg, self._load, self._check = route_leg, load_network, check_leg
        self._network, self._given = network, network is not None
        self._additions, self._added = additions, not additions

    def network(self) -> Any:
        """Return the network, loading it and joining the additions on first use."""
        if self._network is None and self._load is not None:
            log.info("loading the %s network", self.mode)
            self._network = self._load()
        if not self._added:
            from routemap.geo.additions import augment

            log.info("adding %d scenario line(s) to the %s network", len(self._additions), self.mode)
            self._network, self._added = augment(self._network, self._additions), True
        return self._network

    def __call__(self, request: LegRequest) -> RoutedLeg:
        """Route one leg."""
        return self._route_leg(request, self.network())

    def check(self, request: LegRequest) -> None:
        """Raise :class:`UnroutableLegError` if the cheap pass finds the leg cannot be routed."""
        if self._check is not None:
            self._check(request, self.network())

    def data_version(self) -> str:
        """Return what the mode's legs are routed on, without loading the bundled network.

        The shipped data's versions and file hashes, or a given network's checksum, and the
        scenario's additions for the mode (their lines and sources, not where the file has them).
        """
        parts = [shipped_version(self.mode)]
        if self._given:
            parts.append(f"network {getattr(self._network, 'checksum', '') or id(self._network)}")
        if self._additions:
            text = repr(tuple(replace(a, line=None) for a in self._additions))
            parts.append(hashlib.sha256(text.encode()).hexdigest())
        return "|".join(parts)


@dataclass(frozen=True)
class Outcome:
    """What became of each requested leg: its route, or the reason it has none (same order)."""

    routed: tuple[RoutedLeg | None, ...]
    failures: tuple[str | None, ...]
    routed_now: int
    from_cache: int


def _same_leg(request: LegRequest) -> tuple:
    """Return what makes two requests one leg to route (everything but the label)."""
    return request.mode, request.stops, request.within, request.avoid


def _order(request: LegRequest) -> tuple:
    """Group legs that share work: mode, constraints, then origin."""
    first = request.stops[0]
    return (request.mode, request.within or (), request.avoid, first.lon, first.lat)


def route_requests(requests: Sequence[LegRequest], routers: Mapping[str, Callable[[LegRequest], RoutedLeg]],
                   *, cache: RouteCache | None = None, progress: Progress | None = None) -> Outcome:
    """Route legs, each distinct one once, from the cache where it holds them.

    When legs were routed, the land tiles their water grids rasterised are saved to the cache
    folder (:func:`routemap.geo.landtiles.save_land_tiles`) for the next build.

    Parameters
    ----------
    requests : sequence of LegRequest
        The legs, in the order results are returned.
    routers : mapping
        A router per mode; a :class:`ModeRouter` also offers its cheap pass and its data
        version (other callables are neither checked first nor cached).
    cache : RouteCache, optional
        Where routed legs are kept between builds (None: route everything).
    progress : callable, optional
        Called as ``progress(done, total, label)`` before each leg routed.

    Returns
    -------
    Outcome
        Per request, its route or its failure message; when the cheap pass finds failures,
        those are returned and nothing is routed (every such leg is named).
    """
    first: dict[tuple, int] = {}
    for i, request in enumerate(requests):
        first.setdefault(_same_leg(request), i)
    unique = sorted(first.values(), key=lambda i: _order(requests[i]))
    keys = {i: _cache_key(requests[i], routers, cache) for i in unique}
    found: dict[int, RoutedLeg] = {}
    for i, key in keys.items():
        hit = cache.get(key) if cache is not None and key is not None else None
        if hit is not None:
            found[i] = hit
    todo = [i for i in unique if i not in found]
    failures = _cheap_pass(requests, routers, todo)
    if not failures:
        for n, i in enumerate(todo):
            if progress is not None:
                progress(n, len(todo), requests[i].label)
            try:
                found[i] = routers[requests[i].mode](requests[i])
            except UnroutableLegError as exc:
                failures[i] = str(exc)
                continue
            if cache is not None and keys[i] is not None:
                cache.put(keys[i], found[i])
        if todo:
            from routemap.geo.landtiles import save_land_tiles  # shapely, for routes made now

            save_land_tiles()  # the land tiles rasterised now serve the next build
    return _spread(requests, first, found, failures, routed_now=len(todo) - len(failures),
                   from_cache=len(unique) - len(todo))


def _cache_key(request: LegRequest, routers: Mapping[str, Any], cache: RouteCache | None) -> str | None:
    router = routers.get(request.mode)
    if cache is None or not isinstance(router, ModeRouter):
        return None
    return request_digest(request, router.data_version())


def _cheap_pass(requests: Sequence[LegRequest], routers: Mapping[str, Any], todo: list[int]) -> dict[int, str]:
    """Return the failure message of each leg the routers' cheap passes find unroutable."""
    failures: dict[int, str] = {}
    for i in todo:
        router = routers.get(requests[i].mode)
        if not isinstance(router, ModeRouter):
            continue
        try:
            router.check(requests[i])
        except UnroutableLegError as exc:
            failures[i] = str(exc)
    return failures


def _spread(requests: Sequence[LegRequest], first: dict[tuple, int], found: dict[int, RoutedLeg],
            failures: dict[int, str], *, routed_now: int, from_cache: int) -> Outcome:
    """Return each request's result, a repeated leg's taken from the first of its kind.

    A repeated leg's failure names the leg itself: the message begins with the label of the
    leg that was routed, which is replaced by the repeat's own.
    """
    routed: list[RoutedLeg | None] = []
    failed: list[str | None] = []
    for request in requests:
        i = first[_same_leg(request)]
        routed.append(found.get(i))
        message = failures.get(i)
        if message is not None and message.startswith(requests[i].label):
            message = request.label + message[len(requests[i].label):]
        failed.append(message)
    return Outcome(tuple(routed), tuple(failed), routed_now, from_cache)
