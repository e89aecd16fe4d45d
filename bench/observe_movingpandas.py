"""The plain movingpandas pipeline ``bench/observe.py`` compares routemap against.

What a user would write with movingpandas and geopandas for the same four results:
``TrajectoryCollection`` per MMSI, ``ObservationGapSplitter`` at 6 h (trajectories; a gap between
two consecutive pieces of a vessel, both ends more than 10 km from every port), a
``TrajectoryStopDetector`` (at least 1 h within 1 km, on tracks generalised to one position per
5 minutes by ``MinTimeDeltaGeneralizer``: on the raw 30 s reports it takes about 2 ms a position)
whose stops within 10 km of a port are port calls, and for encounters each piece's position at the
10-minute marks (pandas time interpolation of the piece's frame: ``interpolate_position_at`` takes
about 10 ms a call) self-joined with geopandas ``dwithin``, runs of marks of at least 1 h kept.
Same thresholds as ``routemap.routes.observed.rules``; not the same code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from routemap.geo.ais import haversine_m
from routemap.routes.observed import port_frame

AWAY_M = 10_000.0
MEET_M = 500.0


def _near_port(points: gpd.GeoSeries, ports: gpd.GeoDataFrame) -> np.ndarray:
    """Whether each point is within 10 km of a port (nearest port in degrees, then metres checked)."""
    joined = gpd.sjoin_nearest(gpd.GeoDataFrame(geometry=points.reset_index(drop=True), crs=4326), ports,
                               how="left", max_distance=0.5)
    joined = joined[~joined.index.duplicated()]
    lat_p = ports.geometry.y.reindex(joined["index_right"]).to_numpy()
    lon_p = ports.geometry.x.reindex(joined["index_right"]).to_numpy()
    dist = haversine_m(points.y.to_numpy(), points.x.to_numpy(), lat_p, lon_p)
    return np.nan_to_num(dist, nan=np.inf) <= AWAY_M


def movingpandas_pipeline(files: list[Path], out: Path) -> dict:
    """Run the pipeline on Parquet files of canonical positions and write the four GeoParquet files."""
    warnings.simplefilter("ignore")  # movingpandas' own deprecation warnings, one per call
    import movingpandas as mpd

    frame = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    frame = frame.drop_duplicates(["mmsi", "time"]).sort_values(["mmsi", "time"])
    frame["time"] = frame["time"].dt.tz_localize(None)
    points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
    ports = port_frame()
    collection = mpd.TrajectoryCollection(points, traj_id_col="mmsi", t="time")
    pieces = mpd.ObservationGapSplitter(collection).split(gap=dt.timedelta(hours=6))
    out.mkdir(parents=True, exist_ok=True)
    tracks = pd.DataFrame([{"mmsi": _mmsi(t), "start": t.get_start_time(), "end": t.get_end_time(),
                            "n_positions": len(t.df), "length_km": t.get_length() / 1000.0,
                            "geometry": t.to_linestring()} for t in pieces.trajectories])
    gpd.GeoDataFrame(tracks, geometry="geometry", crs=4326).to_parquet(out / "trajectories.parquet")
    _gaps(tracks, pieces, ports).to_parquet(out / "gaps.parquet")
    _calls(mpd, pieces, ports).to_parquet(out / "port_calls.parquet")
    _encounters(pieces, ports).to_parquet(out / "encounters.parquet")
    return {"positions": len(frame)}


def _mmsi(piece) -> int:
    """Return a split piece's MMSI: the splitter names pieces ``MMSI_n`` (and int() would read the ``_``)."""
    return int(str(piece.id).split("_")[0])


def _utc(values: pd.Series) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(pd.Series(list(values), dtype="datetime64[ns]"))).tz_localize("UTC")


def _gaps(tracks: pd.DataFrame, pieces, ports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rows = []
    by_vessel: dict[int, list] = {}
    for t in pieces.trajectories:
        by_vessel.setdefault(_mmsi(t), []).append(t)
    for mmsi, items in by_vessel.items():
        items.sort(key=lambda t: t.get_start_time())
        for before, after in itertools.pairwise(items):
            rows.append({"mmsi": mmsi, "start": before.get_end_time(), "end": after.get_start_time(),
                         "last": before.get_end_location(), "first": after.get_start_location()})
    frame = pd.DataFrame(rows, columns=["mmsi", "start", "end", "last", "first"])
    if len(frame):
        away = ~_near_port(gpd.GeoSeries(frame["last"], crs=4326), ports) \
            & ~_near_port(gpd.GeoSeries(frame["first"], crs=4326), ports)
        frame = frame[away]
    lines = [shapely.LineString([a, b]) for a, b in zip(frame["last"], frame["first"], strict=True)]
    return gpd.GeoDataFrame({"mmsi": frame["mmsi"].to_numpy(), "start": _utc(frame["start"]),
                             "end": _utc(frame["end"])}, geometry=lines, crs=4326)


def _calls(mpd, pieces, ports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    coarse = mpd.MinTimeDeltaGeneralizer(pieces).generalize(tolerance=dt.timedelta(minutes=5))
    stops = mpd.TrajectoryStopDetector(coarse).get_stop_points(min_duration=dt.timedelta(hours=1), max_diameter=1000)
    stops = stops.reset_index(drop=True)
    if not len(stops):
        return gpd.GeoDataFrame({"mmsi": [], "arrival": [], "departure": []}, geometry=[], crs=4326)
    mmsi = [int(str(i).split("_")[0]) for i in stops["traj_id"]]  # pieces are named MMSI_n
    at = _near_port(stops.geometry, ports)
    return gpd.GeoDataFrame({"mmsi": np.asarray(mmsi)[at], "arrival": _utc(stops["start_time"])[at],
                             "departure": _utc(stops["end_time"])[at]},
                            geometry=stops.geometry.to_numpy()[at], crs=4326)


def _encounters(pieces, ports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frames = []
    for t in pieces.trajectories:
        when = pd.date_range(pd.Timestamp(t.get_start_time()).ceil("10min"), t.get_end_time(), freq="10min")
        xy = pd.DataFrame({"x": t.df.geometry.x, "y": t.df.geometry.y}, index=t.df.index)
        xy = xy[~xy.index.duplicated()]
        at = xy.reindex(xy.index.union(when)).interpolate(method="time").loc[when]
        frames.append(pd.DataFrame({"mmsi": _mmsi(t), "mark": when, "x": at["x"].to_numpy(),
                                    "y": at["y"].to_numpy()}))
    table = pd.concat(frames, ignore_index=True)
    marks = gpd.GeoDataFrame(table[["mmsi", "mark"]], geometry=gpd.points_from_xy(table["x"], table["y"]), crs=4326)
    marks = marks[~_near_port(marks.geometry, ports)].reset_index(drop=True)
    pairs = gpd.sjoin(marks, marks, predicate="dwithin", distance=MEET_M / 111_000 * 3)
    pairs = pairs[(pairs["mark_left"] == pairs["mark_right"]) & (pairs["mmsi_left"] < pairs["mmsi_right"])]
    other = marks.geometry.reindex(pairs["index_right"]).to_numpy()
    dist = haversine_m(pairs.geometry.y.to_numpy(), pairs.geometry.x.to_numpy(),
                       shapely.get_y(other), shapely.get_x(other))
    pairs = pairs.assign(distance=dist)[dist <= MEET_M].sort_values(["mmsi_left", "mmsi_right", "mark_left"])
    step = pairs["mark_left"].diff() != pd.Timedelta(minutes=10)
    new = step | (pairs["mmsi_left"].diff() != 0) | (pairs["mmsi_right"].diff() != 0)
    pairs["run"] = new.cumsum()
    runs = pairs.groupby("run").agg(mmsi_a=("mmsi_left", "first"), mmsi_b=("mmsi_right", "first"),
                                    start=("mark_left", "min"), end=("mark_left", "max"),
                                    min_distance_m=("distance", "min"), geometry=("geometry", "first"))
    runs = runs[(runs["end"] - runs["start"]) >= pd.Timedelta(hours=1)]
    return gpd.GeoDataFrame({"mmsi_a": runs["mmsi_a"].to_numpy(), "mmsi_b": runs["mmsi_b"].to_numpy(),
                             "start": _utc(runs["start"]), "end": _utc(runs["end"]),
                             "min_distance_m": runs["min_distance_m"].to_numpy()},
                            geometry=runs["geometry"].to_numpy(), crs=4326)
