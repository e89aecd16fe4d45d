"""The ``routemap`` command: parses arguments, calls the pipeline, turns errors into exit codes."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routemap.about import version
from routemap.errors import PlaceError, RouteMapError, out_of_memory
from routemap.geo.model import MODES, Leg, Place, Scenario, Source, Transfer
from routemap.maps.options import DEFAULT_FORMATS, FORMATS, RenderOptions, parse_formats

if TYPE_CHECKING:
    from routemap.routes.routeset import RouteSet

# Each command imports what it needs when it runs, so that ``--help``, ``places`` and ``check``
# never load the drawing libraries (matplotlib, folium, python-pptx).

__all__ = ["main", "make_parser"]

log = logging.getLogger("routemap")

EXIT_OK, EXIT_BUG, EXIT_INPUT = 0, 1, 2

BUILD_EXAMPLE = """examples:
  routemap build                                  # the bundled DPRK-Russia scenario
  routemap build my.yaml --out my-maps --formats html,png,geojson
  routemap build my.yaml --size 3840x2160 --dpi 300
  routemap build --lang fr                        # every output in French
  routemap build --lang en,fr --out maps          # maps/en/ and maps/fr/, one build each
"""
ROUTE_EXAMPLE = """examples:
  routemap route Vladivostok Tikhoretsk --mode rail
  routemap route KPNJN RUVYP --mode sea --out leg.geojson
  routemap route dunai tikhoretsk-depot --mode rail --via khabarovsk --within RU
  routemap route 42.88,132.34 43.11,131.88 --mode air
  routemap route -33.92,18.43 KPNJN --mode sea
"""
CHECK_EXAMPLE = """examples:
  routemap check                 # QA report for the bundled scenario
  routemap check my.yaml
"""
OBSERVE_EXAMPLE = """examples:
  routemap observe aisdk-2024-03-01.csv aisdk-2024-03-02.csv --out observed
  routemap observe ais/*.parquet --out observed --scheduler tcp://10.0.0.5:8786
  routemap observe day.nmea --out observed --scheduler synchronous --gap-hours 12
"""
PLACES_EXAMPLE = """examples:
  routemap places najin
  routemap places "Tikhoretsk"
"""


# What argparse treats as a value rather than an option: its own negative numbers, and LAT,LON.
_NEGATIVE_NUMBER_OR_LAT_LON = re.compile(r"^-\d+$|^-\d*\.\d+$|^-\d*\.?\d+,\s*[-+]?\d*\.?\d+$")


class _UsageError(RouteMapError):
    """A bad command-line value (exit status 2)."""


def make_parser() -> argparse.ArgumentParser:
    """Return the argument parser for ``routemap`` and its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    common.add_argument("--rail-network", metavar="FILE", type=Path,
                        help="route rail legs on this OpenStreetMap .osm extract instead of the bundled network")
    common.add_argument("--no-cache", action="store_true",
                        help="route every leg and draw every slide and the web map's basemap afresh, "
                             "neither reading nor writing routemap's caches (also ROUTEMAP_ROUTE_CACHE=off)")
    parser = argparse.ArgumentParser(
        prog="routemap",
        description="Turn publicly reported logistics into cited maps: HTML, slides, GIS files.")
    parser.add_argument("--version", action="version", version=f"routemap {version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    fmt = argparse.RawDescriptionHelpFormatter

    build = sub.add_parser("build", parents=[common], formatter_class=fmt, epilog=BUILD_EXAMPLE,
                           help="build a scenario into a folder of maps and GIS files")
    build.add_argument("scenario", nargs="?", type=Path, help="scenario YAML (default: the bundled one)")
    build.add_argument("--out", type=Path, default=Path("routemap-out"), help="output folder (default: routemap-out)")
    build.add_argument("--formats", default=",".join(DEFAULT_FORMATS),
                       help=f"comma-separated from {', '.join(FORMATS)} (default: "
                            f"{', '.join(DEFAULT_FORMATS)}; kmz and the films on request; all: every one)")
    build.add_argument("--size", default="1920x1080", help="slide size in pixels, WIDTHxHEIGHT")
    build.add_argument("--dpi", type=int, default=150, help="slide resolution (default: 150)")
    build.add_argument("--lang", metavar="CODES",
                       help="output language, e.g. fr; several, comma-separated (en,fr), write one "
                            "complete build per language into OUT/<code>/ (default: the scenario's "
                            "language, else en; never the system locale)")

    route = sub.add_parser("route", parents=[common], formatter_class=fmt, epilog=ROUTE_EXAMPLE,
                           help="route one leg and print its distance")
    # argparse takes '-33.9,18.4' for an option; let a coordinate pair with a minus sign be FROM/TO.
    route._negative_number_matcher = _NEGATIVE_NUMBER_OR_LAT_LON
    route.add_argument("origin", metavar="FROM", help="place id, UN/LOCODE, name, or LAT,LON")
    route.add_argument("destination", metavar="TO", help="place id, UN/LOCODE, name, or LAT,LON")
    route.add_argument("--mode", required=True, choices=MODES)
    route.add_argument("--via", action="append", default=[], metavar="REF",
                       help="pass through (repeatable, in order)")
    route.add_argument("--within", action="append", default=None, metavar="ISO2",
                       help="stay inside (rail/road; repeatable)")
    route.add_argument("--avoid", action="append", default=[], metavar="X",
                       help="country (rail/road) or sea passage (sea) to avoid (repeatable)")
    route.add_argument("--out", type=Path, help="write the leg as a GeoJSON FeatureCollection")
    route.add_argument("--lang", metavar="CODE",
                       help="language of the text in --out: the leg's title, place names, "
                            "quantity text (default: en)")

    check = sub.add_parser("check", parents=[common], formatter_class=fmt, epilog=CHECK_EXAMPLE,
                           help="validate a scenario, route it, and print a QA report")
    check.add_argument("scenario", nargs="?", type=Path, help="scenario YAML (default: the bundled one)")
    check.add_argument("--lang", metavar="CODES",
                       help="also list what outputs in these languages lack (comma-separated, e.g. fr,ko)")

    observe = sub.add_parser("observe", parents=[common], formatter_class=fmt, epilog=OBSERVE_EXAMPLE,
                             help="summarise AIS files as trajectories, dark gaps, port calls and encounters")
    observe.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="AIS: DMA or MarineCadastre CSV, NMEA sentences, (Geo)Parquet")
    observe.add_argument("--out", type=Path, required=True, help="folder of the four GeoParquet files")
    observe.add_argument("--scheduler", metavar="ADDRESS",
                         help="a running Dask scheduler (tcp://host:8786), or 'synchronous' for this process "
                              "only (default: a local cluster of 2 worker processes)")
    for flag, default, text in (("--gap-hours", 6.0, "silence that makes a gap"),
                                ("--away-km", 10.0, "radius of a port"),
                                ("--encounter-m", 500.0, "distance of two ships that meet"),
                                ("--encounter-hours", 1.0, "shortest meeting")):
        observe.add_argument(flag, type=float, default=default, help=f"{text} (default: {default:g})")

    places = sub.add_parser("places", parents=[common], formatter_class=fmt, epilog=PLACES_EXAMPLE,
                            help="search the gazetteer")
    places.add_argument("query")
    places.add_argument("--limit", type=int, default=20)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bug, 2 bad input)."""
    args = make_parser().parse_args(argv)
    _configure_logging(quiet=args.quiet)
    handler = {"build": _cmd_build, "route": _cmd_route, "check": _cmd_check, "places": _cmd_places,
               "observe": _cmd_observe}
    try:
        with _terminate_as_interrupt():
            return handler[args.command](args)
    except RouteMapError as exc:
        for line in exc.messages():
            print(line, file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted; outputs already in place were left as they were", file=sys.stderr)
        return 130
    except MemoryError:  # outside the steps that name their output (see _memory_for)
        print(f"error: not enough memory to run routemap {args.command}; close other programs, "
              "or try a smaller scenario", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        else:
            print(f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                  file=sys.stderr)
        return EXIT_BUG


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (``kill``, ``timeout``, a cancelled CI job) like Ctrl-C while a command runs.

    The interrupt unwinds through the writer, which removes its temporary files.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Formatter(logging.Formatter):
    """Plain progress lines; warnings and errors say what they are."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        return text if record.levelno < logging.WARNING else f"{record.levelname.lower()}: {text}"


def _configure_logging(*, quiet: bool) -> None:
    """Show routemap's own progress (unless quiet) and everyone's warnings, on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("routemap").setLevel(logging.WARNING if quiet else logging.INFO)


def _say(args: argparse.Namespace, text: str) -> None:
    if not args.quiet:
        print(text, file=sys.stderr)


def _scenario(args: argparse.Namespace) -> tuple[Scenario, str]:
    from routemap.geo.scenario import bundled_scenario_path, load_scenario

    if args.scenario is None:
        path = bundled_scenario_path()
        return load_scenario(path), f"(bundled) {path.name}"
    with _memory_for(lambda: f"read {args.scenario}",
                     lambda: "close other programs, or split the scenario into smaller files"):
        return load_scenario(args.scenario), str(args.scenario)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    if args.rail_network is None:
        return {}
    from routemap.routes.osm import network_from_osm_xml

    if not args.rail_network.is_file():
        raise _UsageError(f"--rail-network '{args.rail_network}' is not a file")
    return {"rail": network_from_osm_xml(args.rail_network, mode="rail")}


def _route_all(args: argparse.Namespace, scenario: Scenario) -> RouteSet:
    from routemap.routes.builder import build, default_routers

    start = time.monotonic()
    total = sum(len(t.legs) for t in scenario.transfers)
    _say(args, f"routing {total} legs of {len(scenario.transfers)} transfers")

    def progress(done: int, count: int, label: str) -> None:
        if not args.quiet and sys.stderr.isatty():
            print(f"\r  [{done + 1}/{count}] {label[:90]:<90}", end="", file=sys.stderr, flush=True)

    routers = default_routers(_overrides(args), additions=scenario.network_additions)
    with _memory_for(lambda: f"route {_scale(scenario)}", lambda: "try fewer transfers"):
        routeset = build(scenario, routers=routers, progress=progress, cache=not args.no_cache)
    if not args.quiet and sys.stderr.isatty():
        print(file=sys.stderr)
    _say(args, f"routed in {time.monotonic() - start:.1f} s")
    return routeset


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise _UsageError(f"--size '{text}' is not WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= width <= 10000 and 240 <= height <= 10000):
        raise _UsageError(f"--size '{text}' is out of range (320x240 to 10000x10000)")
    return width, height


def _workers() -> int:
    """Processes for drawing slides: ``ROUTEMAP_WORKERS`` if set, else the cores (at most 4)."""
    text = os.environ.get("ROUTEMAP_WORKERS", "").strip()
    if text:
        if not text.isdigit() or not 1 <= int(text) <= 64:
            raise _UsageError(f"ROUTEMAP_WORKERS='{text}' is not a number of processes from 1 to 64")
        return int(text)
    return max(1, min(os.cpu_count() or 1, 4))


def _languages(text: str | None) -> list[str]:
    """Return the language codes of ``--lang`` (none given: an empty list), each checked.

    Raises
    ------
    _UsageError
        For an empty list or a language routemap cannot write, naming the ones it can.
    """
    if text is None:
        return []
    from routemap.maps.language import LanguageError, load_language

    codes = list(dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()))
    if not codes:
        raise _UsageError(f"--lang '{text}' names no language, e.g. --lang fr or --lang en,fr")
    for code in codes:
        try:
            load_language(code)
        except LanguageError as exc:
            raise _UsageError(f"--lang: {exc}") from None
    return codes


def _cmd_build(args: argparse.Namespace) -> int:
    try:
        formats = parse_formats(args.formats)
    except ValueError as exc:
        raise _UsageError(f"--formats: {exc}") from None
    if not 30 <= args.dpi <= 1200:
        raise _UsageError(f"--dpi {args.dpi} is out of range (30 to 1200)")
    languages = _languages(args.lang)
    options = RenderOptions(formats=formats, size=_size(args.size), dpi=args.dpi,
                            workers=_workers(), cache=not args.no_cache)
    from routemap.maps.folder import check_out_dir

    check_out_dir(args.out)
    from routemap.warmup import start_warmup, stop_warmup

    warmup = start_warmup(formats, processes=options.workers, build_caches=options.cache)
    try:
        return _build(args, options, formats, languages)
    finally:
        stop_warmup(warmup)


def _build(args: argparse.Namespace, options: RenderOptions, formats: tuple[str, ...],
           languages: list[str]) -> int:
    """Load, route and write a build (``routemap build`` once its arguments are read)."""
    from routemap.maps.output import default_language, write, write_languages

    scenario, label = _scenario(args)
    routeset = _route_all(args, scenario)

    from routemap.maps.progress import StreamProgress

    shown = None if args.quiet else StreamProgress(sys.stderr)  # a bar for the film's frames
    current = ["the outputs"]  # the output being rendered, named if memory runs out

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        if done is None:
            current[0] = step
        if shown is not None:
            shown(step, done, total)

    with _memory_for(lambda: f"write {current[0]} for {_scale(scenario)}",
                     lambda: _leave_out(current[0], formats)):
        if len(languages) > 1:
            written = write_languages(routeset, args.out, languages, options=options,
                                      scenario_label=label, progress=progress)
            folders = ", ".join(f"{args.out}/{code}/" for code in languages)
            _say(args, f"wrote {len(written)} files to {folders}")
            return EXIT_OK
        language = languages[0] if languages else default_language(routeset)
        written = write(routeset, args.out, options=options, language=language,
                        scenario_label=label, progress=progress)
    _say(args, f"wrote {len(written)} files to {args.out}/ ({language})")
    return EXIT_OK


@contextlib.contextmanager
def _memory_for(what: Callable[[], str], instead: Callable[[], str]) -> Iterator[None]:
    """Turn running out of memory in the block into one line naming what needed the memory.

    The new error is raised once the block's frames, and what they held, are let go; nothing
    is half-written, since outputs are staged and renamed into place only when all are made.
    """
    failed = False
    try:
        yield
    except MemoryError as exc:
        if isinstance(exc, RouteMapError):
            raise
        failed = True
    if failed:
        raise out_of_memory(what(), instead=instead())


def _scale(scenario: Scenario) -> str:
    """Return a scenario's size as a message gives it: ``1,000 transfers (2,004 legs)``."""
    transfers, legs = len(scenario.transfers), sum(len(t.legs) for t in scenario.transfers)
    return (f"{transfers:,} transfer{'s' * (transfers != 1)} "
            f"({legs:,} leg{'s' * (legs != 1)})")


def _leave_out(step: str, formats: Sequence[str]) -> str:
    """Return what to try when rendering ``step`` (an output's name) runs out of memory."""
    from routemap.maps.options import OUTPUT_NAMES

    name = step.rsplit("/", 1)[-1]  # "fr/briefing.pptx" in a build of several languages
    groups = {"slides": ("png", "svg", "pdf"), "video": ("mp4", "gif"), "legs.csv": ("csv",)}
    by_name = {output: (fmt,) for fmt, output in OUTPUT_NAMES.items()}
    dropped = [f for f in groups.get(name, by_name.get(name, ())) if f in formats]
    if not dropped:
        return "try fewer --formats, or fewer transfers"
    return f"try --formats without {' and '.join(dropped)}, or fewer transfers"


def _resolve(ref: str) -> Place:
    from routemap.geo.countries import country_at
    from routemap.geo.gazetteer import load_gazetteer, point_place

    parts = ref.split(",")
    if len(parts) == 2:
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise _UsageError(f"'{ref}': latitude must be in [-90, 90] and longitude in [-180, 180]")
            return point_place(lat, lon, country_at(lat, lon))
    return load_gazetteer().resolve(ref).place


def _cmd_route(args: argparse.Namespace) -> int:
    from routemap.geo.coincidence import collapsed_leg
    from routemap.geo.sealanes import PASSAGES
    from routemap.geo.validate import country_codes
    from routemap.maps.gis.geojson import render_geojson
    from routemap.routes.builder import build, default_routers

    origin, destination = _resolve(args.origin), _resolve(args.destination)
    via = tuple(_resolve(v) for v in args.via)
    within = tuple(c.upper() for c in args.within) if args.within else None
    avoid = tuple(a.lower() if args.mode == "sea" else a.upper() for a in args.avoid)
    known = PASSAGES if args.mode == "sea" else country_codes()
    for code in (*(within or ()), *avoid):
        if code not in known:
            raise _UsageError(f"'{code}' is not a known {'sea passage' if args.mode == 'sea' else 'ISO2 country code'}")
    if within and args.mode not in ("rail", "road"):
        raise _UsageError("--within applies to rail and road legs")
    from routemap.maps.language import DEFAULT_LANGUAGE

    languages = _languages(args.lang) or [DEFAULT_LANGUAGE]
    if len(languages) > 1:
        raise _UsageError(f"route --lang '{args.lang}': one language, e.g. --lang fr")
    if args.lang and args.out is None:
        raise _UsageError("route --lang applies to the GeoJSON that --out writes")
    leg = Leg(args.mode, origin, destination, via=via, within=within, avoid=avoid)
    collapsed = collapsed_leg(leg, via_key="--via")
    if collapsed is not None:
        raise _UsageError(f"route {_route_arguments(args)}: {collapsed}")
    source = Source("routemap", "Route computed by routemap", "routemap")
    titles = {code: _route_title(origin, destination, args.mode, code)
              for code in dict.fromkeys((DEFAULT_LANGUAGE, *languages))}
    transfer = Transfer("route", titles[DEFAULT_LANGUAGE], "estimated", ("routemap",), (leg,))
    places = tuple(dict.fromkeys((origin, *via, destination)))
    scenario = Scenario(1, transfer.label, (source,), places, (transfer,), path="(command line)",
                        translations={"title": titles, "transfers.route.label": titles})
    with _findings_not_logged():
        routeset = build(scenario, routers=default_routers(_overrides(args)))
    row = routeset.legs.iloc[0]
    print(f"{row['distance_km']:.1f} km {args.mode} {origin.name} -> {destination.name} ({row['geometry_kind']})")
    for finding in routeset.findings:
        if finding.level != "info":
            print(f"  {finding.level}: {finding.message}")
    if args.out is not None:
        from routemap.maps.folder import write_files

        code = languages[0]
        write_files({args.out.name: render_geojson(routeset.in_language(code), language=code)},
                    args.out.parent)
        _say(args, f"wrote {args.out}")
    return EXIT_OK


def _route_title(origin: Place, destination: Place, mode: str, code: str) -> str:
    """Return the title of a leg routed on the command line, in a language: ``Rajin → Vostochny
    · sea``, ``Rajin → Vostotchny · mer`` (place names as :func:`localize` writes them)."""
    from routemap.maps import wording
    from routemap.maps.language import DEFAULT_LANGUAGE, load_language
    from routemap.maps.style import MODE_STYLES

    language = load_language(code)
    names = [p.names.get(code, p.name) if code != DEFAULT_LANGUAGE else p.name for p in (origin, destination)]
    chain = wording.leg_chain([(names[0], names[1], False, False)], language=language)
    return f"{chain} · {language.noun(language.gettext(MODE_STYLES[mode].label))}"


def _route_arguments(args: argparse.Namespace) -> str:
    """Return the places of a ``route`` command as typed: ``FROM TO --via REF...``."""
    words = [args.origin, args.destination, *(f"--via {v}" for v in args.via)]
    return " ".join(repr(w) if " " in w and not w.startswith("--") else w for w in words)


def _drop_findings(record: logging.LogRecord) -> bool:
    return not hasattr(record, "finding")


@contextlib.contextmanager
def _findings_not_logged() -> Iterator[None]:
    """Hold back log lines that repeat a QA finding, for a command that prints the findings itself."""
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.addFilter(_drop_findings)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(_drop_findings)


def _cmd_check(args: argparse.Namespace) -> int:
    from routemap.report import qa_report
    from routemap.warmup import start_warmup, stop_warmup

    languages = _languages(args.lang)
    warmup = start_warmup((), processes=_workers())
    try:
        scenario, label = _scenario(args)
        with _findings_not_logged():
            routeset = _route_all(args, scenario)
    finally:
        stop_warmup(warmup)
    report, errors = qa_report(routeset, label, languages=languages)
    print(report)
    return EXIT_INPUT if errors else EXIT_OK


def _cmd_observe(args: argparse.Namespace) -> int:
    if not args.debug:  # the Dask cluster's own start and stop lines, in this process and its workers
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
    from routemap.routes.observed import Rules, port_frame
    from routemap.routes.observed.scale import observe, scheduler

    values = {"gap_hours": args.gap_hours, "away_km": args.away_km, "encounter_m": args.encounter_m,
              "encounter_hours": args.encounter_hours}
    for key, value in values.items():
        if not 0 < value < 1e6:
            raise _UsageError(f"--{key.replace('_', '-')} {value:g} is not a positive number")
    start = time.monotonic()
    with scheduler(args.scheduler) as get:
        done = observe(args.files, args.out, port_frame(), rules=Rules(**values), get=get)
    dropped = ", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in done.dropped.items()) or "none"
    _say(args, f"{done.positions} positions kept (dropped: {dropped}) in {time.monotonic() - start:.1f} s")
    for name, path in done.files.items():
        _say(args, f"  {path}: {done.rows[name]} rows")
    return EXIT_OK


def _cmd_places(args: argparse.Namespace) -> int:
    from routemap.geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    results = gazetteer.search(args.query, limit=args.limit)
    if not results:
        try:
            gazetteer.resolve(args.query)
        except PlaceError as exc:  # carries the "did you mean" of the closest names
            hint = str(exc).partition(f"'{args.query.strip()}'")[2]
            raise PlaceError(f"no place matches '{args.query}'{hint}") from None
        raise PlaceError(f"no place matches '{args.query}'")
    print(f"{'id':<28} {'name':<40} {'kind':<15} {'cc':<3} {'lat':>9} {'lon':>10}  source")
    for p in results:
        source = p.origin + (f" {p.locode}" if p.locode else "")
        print(f"{p.id:<28} {p.name[:40]:<40} {p.kind:<15} {p.country or '--':<3} {p.lat:>9.4f} "
              f"{p.lon:>10.4f}  {source}")
    return EXIT_OK
