"""Sea legs: searoute lanes between water-snapped ends, repaired on a water grid off land."""

from __future__ import annotations

import itertools
import logging
import weakref
from dataclasses import dataclass, replace

import numpy as np
import shapely

from routemap.errors import UnroutableLegError
from routemap.geo.sealanes import (
    CANAL_PASSAGES,
    NORTHERN_SEA_ROUTE,
    SeaNetwork,
    in_northern_sea_route,
    passage_tags,
)
from routemap.routes import qa
from routemap.routes.geodesy import (
    densify_linear,
    geodesic_length_km,
    segment_lengths_km,
    to_lonlat_geometry,
    unwrap,
)
from routemap.routes.lanegraph import Lanes, lane_graph, nearest_node, nearest_nodes, shortest_lane_nodes
from routemap.routes.leg import LegRequest, RoutedLeg, Stop
from routemap.routes.watergrid import (
    build_grid,
    grid_resolution,
    land_km_of_segments,
    local_land,
    segments_over_land,
    smooth,
    snap_to_water,
    water_path,
)

__all__ = [
    "END_ZONE_KM",
    "MAX_LAND_KM",
    "MAX_SNAP_KM",
    "check_leg",
    "route_leg",
]

logger = logging.getLogger(__name__)

#: Land within this distance (along the route) of a stop is not counted: ports sit on the coast.
END_ZONE_KM = 2.0
#: A stop farther than this from both open water and the lanes cannot be routed by sea.
MAX_SNAP_KM = 100.0
#: A route still crossing more land than this after repair is not a sea route at all.
MAX_LAND_KM = 25.0
#: Vertex spacing of the drawn geometry.
DRAW_STEP_KM = 10.0
#: Largest box (square degrees) a water grid may cover.
_MAX_BOX_DEG2 = 1200.0
#: A stop this much nearer a lane node (a river's) than open water still starts at sea: a port
#: at a river mouth (Sulina) routes on the sea, one upriver (Rostov-on-Don) on the river.
_COAST_KM = 5.0
#: How many nearby lane nodes a water end may join.
_ENTRY_NODES = 6
_ENTRY_SLACK_KM = 100.0
_CONNECTOR_COST = 1.5
#: Cost per km of land a connector crosses: repairing it may take a long way round.
_LAND_COST = 10.0
#: Ends this close (km) whose lane path is this many times longer are tried on the water grid.
_GRID_TRY_KM, _ROUNDABOUT = 600.0, 1.5
#: Least margin (degrees) round a stretch when looking for a detour.
_MIN_PAD_DEG = 0.15

# Segment kinds along a path.
_SEA = "sea"  # open-water route (lane connectors, repairs, water-grid routes)
_LANE = "lane"  # a searoute lane edge
_CANAL = "canal"  # a lane edge tagged as a canal passage (Suez, Panama)
_INLAND = "inland"  # lane edges over land that no water path can replace: rivers, canals
_RIVER = "river"  # a river or canal of the waterways file
_SNAP = "snap"  # from a stop to where it joins the water or the lanes
_EXEMPT = (_CANAL, _INLAND, _RIVER)

Point = tuple[float, float]

#: The water paths found per network, by stretch, growth and limit (see :func:`_grid_path`).
_GRID_PATHS: weakref.WeakKeyDictionary[SeaNetwork, dict[tuple, list[Point] | None]] = (
    weakref.WeakKeyDictionary())
_GRID_PATHS_KEPT = 4096
#: The km of land each connector crosses, per network, by water point and lane node.
_CONNECTOR_LAND: weakref.WeakKeyDictionary[SeaNetwork, dict[tuple[Point, int], float]] = (
    weakref.WeakKeyDictionary())
_CONNECTOR_LAND_KEPT = 16384
#: Where each stop joins the water, per lane graph (the graph decides which lane nodes count).
_ENDS: weakref.WeakKeyDictionary[Lanes, dict[Point, _End]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class _End:
    """Where a stop joins the sea: an open-water point, or a lane node (``node``)."""

    stop: Stop
    point: Point
    snap_km: float
    node: int | None


@dataclass(frozen=True)
class _Path:
    """An unwrapped lon/lat path and the kind of each of its segments."""

    coords: list[Point]
    kinds: list[str]


def route_leg(request: LegRequest, network: SeaNetwork) -> RoutedLeg:
    """Route a sea leg through its stops on water.

    Each pair of consecutive stops is joined on searoute's lanes; every stretch that crosses
    Natural Earth land is replaced by a shortest path on a fine water grid, and where the lanes
    cannot connect the ends (or lie far from them) the whole pair is routed on a water grid.
    Lane stretches over land that no water path can replace (canals, rivers such as the Volga)
    are kept and reported as inland waterways.

    Parameters
    ----------
    request : LegRequest
        ``avoid`` holds passage names (see :data:`routemap.geo.sealanes.PASSAGES`).
    network : SeaNetwork
        From :func:`routemap.geo.sealanes.load_sea_network`.

    Returns
    -------
    RoutedLeg
        ``geometry_kind='routed'``, with ``snap_distance``, ``km_over_land`` and
        ``km_inland_waterway`` findings.

    Raises
    ------
    UnroutableLegError
        For an unknown passage name, a stop far from the sea, or ends the sea cannot join
        (e.g. when an avoided passage was the only way).
    """
    lanes, ends, chose = _ends(request, network)
    paths = [
        _with_snaps(a, b, _route_pair(network, lanes, a, b, request=request, chose=chose))
        for a, b in itertools.pairwise(ends)
    ]
    return _assemble(network, ends, paths)


def check_leg(request: LegRequest, network: SeaNetwork) -> None:
    """Find cheaply whether a sea leg cannot be routed: a passage unknown, a stop far from water.

    The stops are joined to the water as :func:`route_leg` joins them (and kept for it). A leg
    that passes may still find no way between its ends.

    Parameters
    ----------
    request : LegRequest
        The leg.
    network : SeaNetwork
        The sea network.

    Raises
    ------
    UnroutableLegError
        With the message routing would give, starting with ``request.label``.
    """
    _ends(request, network)


def _ends(request: LegRequest, network: SeaNetwork) -> tuple[Lanes, list[_End], bool]:
    """Return a leg's lane graph, where each stop joins the water, and whether it avoids passages.

    Raises
    ------
    UnroutableLegError
        For fewer than two stops, an unknown passage name or a stop far from the sea.
    """
    if len(request.stops) < 2:
        raise UnroutableLegError(f"{request.label}: a leg needs at least two stops")
    try:
        tags = passage_tags(request.avoid)
    except UnroutableLegError as exc:
        raise UnroutableLegError(f"{request.label}: {exc}") from None
    lanes = lane_graph(network, tags | _arctic_default(request))
    ends = [_snap(network, lanes, stop, request.label) for stop in request.stops]
    return lanes, ends, bool(tags - passage_tags(()))


def _arctic_default(request: LegRequest) -> frozenset[str]:
    """Return the Northern Sea Route's tag unless a stop of the leg lies in its waters.

    Through traffic keeps off the ice-bound Arctic, as searoute's defaults intend, so that a
    Rotterdam-Singapore leg avoiding Suez goes round Africa; a leg to, from or via an Arctic
    stop (Pevek, Tiksi, Dikson) uses it.
    """
    lon = [stop.lon for stop in request.stops]
    lat = [stop.lat for stop in request.stops]
    return frozenset() if in_northern_sea_route(lon, lat).any() else frozenset({NORTHERN_SEA_ROUTE})


def _snap(network: SeaNetwork, lanes: Lanes, stop: Stop, label: str) -> _End:
    """Return :func:`_snap_now`'s end, computed once per lane graph and position."""
    memo = _ENDS.setdefault(lanes, {})
    found = memo.get((stop.lon, stop.lat))
    if found is None:
        found = memo[(stop.lon, stop.lat)] = _snap_now(network, lanes, stop, label)
    return replace(found, stop=stop)


def _snap_now(network: SeaNetwork, lanes: Lanes, stop: Stop, label: str) -> _End:
    """Join a stop to open water, or straight to the lanes when they are nearer (rivers)."""
    here = (stop.lon, stop.lat)
    water = snap_to_water(network.tiles, network.land, here, max_km=MAX_SNAP_KM)
    node, node_km = nearest_node(network, lanes, here)
    if water is not None and water[1] <= node_km + _COAST_KM:
        return _End(stop=stop, point=water[0], snap_km=water[1], node=None)
    if node_km <= MAX_SNAP_KM:
        return _End(stop=stop, point=_near_lon(network.lanes.nodes[node], stop.lon),
                    snap_km=node_km, node=node)
    raise UnroutableLegError(
        f"{label}: {stop.name} ({stop.lat:.3f}, {stop.lon:.3f}) is more than "
        f"{MAX_SNAP_KM:.0f} km from the sea and from any sea lane"
    )


def _near_lon(point: np.ndarray, lon: float) -> Point:
    """Return ``point`` shifted by whole turns so that its longitude is near ``lon``."""
    x, y = float(point[0]), float(point[1])
    return x + 360.0 * round((lon - x) / 360.0), y


def _route_pair(
    network: SeaNetwork, lanes: Lanes, a: _End, b: _End, *, request: LegRequest, chose: bool
) -> _Path:
    """Route between two ends: lanes then repair, or a water grid where lanes do not serve.

    The water grid alone is used when both ends are in open water and either the lanes do not
    join them or the repaired lane path still crosses land (an enclosed sea the lanes miss, a
    connector no detour can fix). It is not used when the leg avoids passages, since the grid
    knows nothing of them (``chose``: the leg names passages to avoid).
    """
    lane_path = _lane_path(network, lanes, a, b)
    repaired = None if lane_path is None else _repaired(network, lane_path)
    grid_allowed = a.node is None and b.node is None and not chose
    stray = repaired is None or _still_on_land(network, repaired)
    if grid_allowed and (stray or _roundabout(a, b, repaired)):
        direct = _grid_route(network, a.point, b.point)
        if direct is not None:
            direct = _repaired(network, _Path(direct, [_SEA] * (len(direct) - 1)))
            if repaired is None or _better(network, direct, repaired, shorter=not stray):
                logger.debug("%s: routed on the water grid alone", request.label)
                repaired = direct
    if repaired is None:
        raise _no_route(request, a, b, "the sea lanes do not join them")
    stranded = _land_km_beyond_ends(network, repaired, a.snap_km, b.snap_km)
    if stranded > MAX_LAND_KM:
        raise _no_route(request, a, b, f"the best path found crosses {stranded:.0f} km of land")
    return repaired


def _roundabout(a: _End, b: _End, path: _Path | None) -> bool:
    """Tell whether a lane path between near ends is much longer than the way between them.

    Where the lanes are sparse (the north-west Black Sea) a short coastal leg may run out to a
    lane node far offshore and back; the water grid is then tried as well.
    """
    if path is None:
        return False
    direct = geodesic_length_km([a.point, _near_lon(np.asarray(b.point), a.point[0])])
    return direct <= _GRID_TRY_KM and geodesic_length_km(path.coords) > _ROUNDABOUT * direct


def _better(network: SeaNetwork, grid: _Path, lanes: _Path, *, shorter: bool) -> bool:
    """Tell whether the water-grid path beats the lane path: less land, or shorter if asked.

    A shorter grid path may clip a little more land than the lanes, up to the amount the QA
    report lets pass without a warning.
    """
    if not shorter:
        return _stray_km(network, grid) <= _stray_km(network, lanes)
    if _stray_km(network, grid) > _stray_km(network, lanes) + qa.LAND_WARNING_KM:
        return False
    return geodesic_length_km(grid.coords) < geodesic_length_km(lanes.coords)


def _no_route(request: LegRequest, a: _End, b: _End, why: str) -> UnroutableLegError:
    if request.avoid:
        return UnroutableLegError(
            f"{request.label}: avoiding {', '.join(request.avoid)} leaves no sea route "
            f"between {a.stop.name} and {b.stop.name} ({why})"
        )
    return UnroutableLegError(
        f"{request.label}: no sea route joins {a.stop.name} and {b.stop.name} ({why})"
    )


def _stray_km(network: SeaNetwork, path: _Path) -> float:
    """Return km over land along the open-water segments of a path."""
    return _land_km_beyond_ends(network, path, 0.0, 0.0)


def _still_on_land(network: SeaNetwork, path: _Path) -> bool:
    """Tell whether open-water segments of a path (not canals, not rivers) cross land."""
    bad = segments_over_land(path.coords, network.land)
    return bool((bad & ~np.isin(path.kinds, _EXEMPT)).any())


def _lane_path(network: SeaNetwork, lanes: Lanes, a: _End, b: _End) -> _Path | None:
    """Return the shortest lane path between two ends (with connectors), or ``None``.

    A water end may join the lanes at any of its few nearest nodes: the straight connector
    counts in the path length, so the route does not run past the port and back.
    """
    starts, stops = _entries(network, lanes, a), _entries(network, lanes, b)
    nodes = shortest_lane_nodes(lanes, starts, stops)
    if nodes is None:
        return None
    tags = [network.lanes.passage[lanes.edge_ids[u, v] - 1] for u, v in itertools.pairwise(nodes)]
    kinds = [_edge_kind(network, tag) for tag in tags]
    coords = [tuple(map(float, network.lanes.nodes[i])) for i in nodes]
    if a.node is None:
        coords, kinds = [a.point, *coords], [_SEA, *kinds]
    if b.node is None:
        coords, kinds = [*coords, b.point], [*kinds, _SEA]
    return _Path(unwrap(coords), kinds)


def _edge_kind(network: SeaNetwork, tag: str) -> str:
    """Return the kind of a lane edge from its tag: river or canal, searoute canal, or lane."""
    if tag in network.inland_tags:
        return _RIVER
    return _CANAL if tag in CANAL_PASSAGES else _LANE


def _entries(network: SeaNetwork, lanes: Lanes, end: _End) -> list[tuple[int, float]]:
    """Return the lane nodes an end may join, with the cost of the straight connector.

    Connectors cost more than their length, so that the lanes win wherever they serve, and
    much more over land; only nodes not much farther than the nearest are offered.
    """
    if end.node is not None:
        return [(end.node, 0.0)]
    found = nearest_nodes(network, lanes, end.point, count=_ENTRY_NODES)
    reach = found[0][1] + _ENTRY_SLACK_KM
    return [
        (node, km * _CONNECTOR_COST + _connector_land_km(network, end.point, node) * _LAND_COST)
        for node, km in found if km <= reach
    ]


def _connector_land_km(network: SeaNetwork, point: Point, node: int) -> float:
    """Return the km of land the straight connector from a water point to a lane node crosses.

    A connector across a peninsula (Novorossiysk to a lane node in the Kerch Strait, over
    Taman) costs far more than its length, so a node reached over water wins. Measured once
    per network, point and node: legs from the same port offer the same nodes.
    """
    memo = _CONNECTOR_LAND.setdefault(network, {})
    key = ((float(point[0]), float(point[1])), int(node))
    found = memo.get(key)
    if found is None:
        target = _near_lon(network.lanes.nodes[node], point[0])
        found = float(land_km_of_segments(np.array([[point, target]], dtype=float), network.land,
                                          tiles=network.tiles)[0])
        if len(memo) >= _CONNECTOR_LAND_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = found
    return found


def _repaired(network: SeaNetwork, path: _Path, *, passes: int = 5) -> _Path:
    """Repair a path again while it still crosses land and repairs still help.

    A detour found on a coarse grid may clip a headland between two cell centres; the next
    pass repairs that short stretch on a finer grid. Stretches that found no detour are not
    tried again.
    """
    failed: set[tuple[Point, Point]] = set()
    for _ in range(passes):
        if not _still_on_land(network, path):
            break
        fixed = _repair(network, path, failed)
        if fixed.coords == path.coords and fixed.kinds == path.kinds:
            break
        path = fixed
    return path


def _repair(network: SeaNetwork, path: _Path, failed: set[tuple[Point, Point]]) -> _Path:
    """Replace every stretch of a path that crosses land with a water-grid detour."""
    coords, kinds = list(path.coords), list(path.kinds)
    bad = segments_over_land(coords, network.land) & ~np.isin(kinds, _EXEMPT)
    for first, last in reversed(_runs(bad)):
        span = _widen(network, coords, first, last + 1)
        ends = None if span is None else (coords[span[0]], coords[span[1]])
        detour = None
        if span is not None and ends not in failed:
            detour = _detour(network, coords[span[0]:span[1] + 1])
        if detour is None:
            failed.add(ends)
            i, j = span or (first, last + 1)
            if all(kind in (_LANE, _CANAL) for kind in kinds[i:j]):
                kinds[i:j] = [_CANAL if k == _CANAL else _INLAND for k in kinds[i:j]]
            continue
        i, j = span
        coords[i:j + 1] = detour
        kinds[i:j] = [_SEA] * (len(detour) - 1)
    return _Path(coords, kinds)


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Return (first, last) index pairs of each run of True values."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.diff(padded)
    return list(zip(np.nonzero(edges == 1)[0].tolist(), (np.nonzero(edges == -1)[0] - 1).tolist(), strict=False))


def _widen(
    network: SeaNetwork, coords: list[Point], i: int, j: int
) -> tuple[int, int] | None:
    """Move vertex indices ``i`` back and ``j`` on until both lie in water (``None`` if never)."""
    on_land = _on_land(network, coords)
    while i > 0 and on_land[i]:
        i -= 1
    while j < len(coords) - 1 and on_land[j]:
        j += 1
    return None if on_land[i] or on_land[j] else (i, j)


def _on_land(network: SeaNetwork, coords: list[Point]) -> np.ndarray:
    arr = np.asarray(coords, dtype=float)
    lon = ((arr[:, 0] + 180.0) % 360.0) - 180.0
    return shapely.contains_xy(network.land, lon, arr[:, 1])


def _detour(network: SeaNetwork, stretch: list[Point]) -> list[Point] | None:
    """Return a water path between a stretch's ends, not much longer than the stretch."""
    along = geodesic_length_km(stretch)
    limit = max(3.0 * along, along + 200.0)
    for grow in (0.25, 1.0):
        path = _grid_path(network, stretch, grow=grow, limit_km=limit)
        if path is not None:
            return path
    return None


def _grid_route(network: SeaNetwork, start: Point, end: Point) -> list[Point] | None:
    """Route between two water points on water grids of growing size alone."""
    end = _near_lon(np.asarray(end), start[0])
    limit = 5.0 * geodesic_length_km([start, end]) + 300.0
    for grow in (0.5, 1.5, 4.0):
        path = _grid_path(network, [start, end], grow=grow, limit_km=limit)
        if path is not None:
            return path
    return None


def _grid_path(
    network: SeaNetwork, stretch: list[Point], *, grow: float, limit_km: float
) -> list[Point] | None:
    """Return :func:`_grid_path_now`'s path, found once per network and question.

    Legs from the same port repair the same stretches near it: a thousand transfers ask about
    900 grid paths, of which about 300 differ.
    """
    memo = _GRID_PATHS.setdefault(network, {})
    key = (tuple(map(tuple, stretch)), grow, limit_km)
    if key not in memo:
        if len(memo) >= _GRID_PATHS_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = _grid_path_now(network, stretch, grow=grow, limit_km=limit_km)
    found = memo[key]
    return None if found is None else list(found)


def _grid_path_now(
    network: SeaNetwork, stretch: list[Point], *, grow: float, limit_km: float
) -> list[Point] | None:
    """Find and smooth a water path between a stretch's ends over its padded bounding box."""
    arr = np.asarray(stretch, dtype=float)
    (west, south), (east, north) = arr.min(axis=0), arr.max(axis=0)
    pad = max(_MIN_PAD_DEG, grow * max(east - west, north - south))
    bbox = (west - pad, max(south - pad, -85.0), east + pad, min(north + pad, 85.0))
    if (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]) > _MAX_BOX_DEG2:
        return None
    grid = build_grid(network.tiles, bbox, grid_resolution(bbox))
    path = water_path(grid, stretch[0], stretch[-1], limit_km=limit_km)
    return None if path is None else smooth(path, local_land(network.land, bbox, tiles=network.tiles))


def _with_snaps(a: _End, b: _End, path: _Path) -> _Path:
    """Open and close a pair's path at the stops themselves."""
    coords, kinds = list(path.coords), list(path.kinds)
    start = _near_lon(np.array([a.stop.lon, a.stop.lat]), coords[0][0])
    end = _near_lon(np.array([b.stop.lon, b.stop.lat]), coords[-1][0])
    if start != coords[0]:
        coords, kinds = [start, *coords], [_SNAP, *kinds]
    if end != coords[-1]:
        coords, kinds = [*coords, end], [*kinds, _SNAP]
    return _Path(coords, kinds)


def _assemble(network: SeaNetwork, ends: list[_End], paths: list[_Path]) -> RoutedLeg:
    coords: list[Point] = list(paths[0].coords[:1])
    for path in paths:
        coords.extend(path.coords[1:])
    dense = densify_linear(unwrap(coords), step_km=DRAW_STEP_KM)
    over_land = sum(
        _land_km_beyond_ends(network, path, a.snap_km, b.snap_km)
        for path, a, b in zip(paths, ends[:-1], ends[1:], strict=False)
    )
    inland = sum(_exempt_land_km(network, path) for path in paths)
    snaps = [qa.sea_snap_finding(end.stop.name, end.snap_km, on_lanes=end.node is not None)
             for end in ends]
    return RoutedLeg(
        geometry=to_lonlat_geometry(dense),
        distance_km=geodesic_length_km(dense),
        geometry_kind="routed",
        snap_km=tuple(end.snap_km for end in ends),
        network=network.name,
        attribution=_attribution(network, paths),
        findings=(*snaps, qa.land_finding(over_land, end_zone_km=END_ZONE_KM),
                  *qa.inland_findings(inland)),
    )


def _attribution(network: SeaNetwork, paths: list[_Path]) -> str:
    """Return the network's licence lines, with the waterways' when the leg uses a river."""
    if network.waterway_attribution and any(_RIVER in path.kinds for path in paths):
        return f"{network.attribution}; {network.waterway_attribution}"
    return network.attribution


def _land_km_beyond_ends(network: SeaNetwork, path: _Path, snap_a: float, snap_b: float) -> float:
    """Return km of a pair's path over land, outside canals, inland waters and the end zones."""
    arr = np.asarray(path.coords, dtype=float)
    lengths = segment_lengths_km(arr)
    start = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    low, high = max(END_ZONE_KM, snap_a), lengths.sum() - max(END_ZONE_KM, snap_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        t0 = np.clip((low - start) / lengths, 0.0, 1.0)
        t1 = np.clip((high - start) / lengths, 0.0, 1.0)
    keep = (t1 > t0) & (lengths > 0) & ~np.isin(path.kinds, _EXEMPT)
    a, b = arr[:-1][keep], arr[1:][keep]
    pieces = np.stack([a + (b - a) * t0[keep, None], a + (b - a) * t1[keep, None]], axis=1)
    return float(land_km_of_segments(pieces, network.land, tiles=network.tiles).sum())


def _exempt_land_km(network: SeaNetwork, path: _Path) -> float:
    """Return km over land along canal and inland-waterway segments."""
    exempt = np.isin(path.kinds, _EXEMPT)
    if not exempt.any():
        return 0.0
    arr = np.asarray(path.coords, dtype=float)
    pieces = np.stack([arr[:-1][exempt], arr[1:][exempt]], axis=1)
    return float(land_km_of_segments(pieces, network.land, tiles=network.tiles).sum())
