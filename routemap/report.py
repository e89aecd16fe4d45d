"""The QA report that ``routemap check`` prints: per-leg routing findings and scenario hygiene."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from routemap.geo.additions import length_km
from routemap.geo.languages import builtin_notes_missing, missing_names, missing_translations, text_keys
from routemap.geo.model import NetworkAddition, Scenario, Source
from routemap.geo.scenario import CURATED_LANGUAGE
from routemap.maps import wording
from routemap.maps.evidence import evidence_text
from routemap.routes.routeset import RouteSet

__all__ = ["addition_lines", "copied_links", "observed_lines", "qa_report", "translation_lines"]


def qa_report(routeset: RouteSet, label: str, *, languages: Sequence[str] = ()) -> tuple[str, int]:
    """Return the report text and the number of errors in it.

    The report lists every leg with its distance, geometry kind, both certainties (the
    claim's and the line's) and findings, each end the analyst assumed marked
    ``(assumed)``, then the
    track the scenario adds to the networks (:func:`addition_lines`), then the
    scenario's hygiene: sources never cited, places without sources, names that were resolved
    by passing over other candidates, links that go to a copy on another site; then, as notes,
    the texts and place names each language lacks (:func:`translation_lines`), for every
    language the scenario gives texts in and every one in ``languages`` (the ``--lang`` asked
    for).
    """
    scenario = routeset.scenario
    lines = [f"scenario: {label}", f"title: {scenario.title}",
             f"{len(scenario.transfers)} transfers, {len(routeset.legs)} legs, "
             f"{len(routeset.places)} places, {len(routeset.annotations)} annotations, "
             f"{len(scenario.sources)} sources", "", "legs:"]
    findings = _leg_finding_lines(routeset)
    for row in routeset.legs.itertuples(index=False):
        origin = wording.place_name(row.from_name, getattr(row, "origin_assumed", False))
        destination = wording.place_name(row.to_name, getattr(row, "destination_assumed", False))
        path = getattr(row, "path_confidence", None)
        lines.append(f"  {row.transfer_id} leg {row.leg_index + 1}: {row.mode} {origin} -> "
                     f"{destination}: {wording.distance(row.distance_km, decimals=1)} "
                     f"({row.geometry_kind}, {row.confidence}"
                     + (f", path {path})" if isinstance(path, str) else ")"))
        lines += [f"    {line}" for line in findings.get((row.transfer_id, row.leg_index), [])]
    if scenario.network_additions:
        lines += ["", "network additions:"] + [f"  {a}" for a in addition_lines(routeset)]
    if routeset.observed is not None:
        lines += ["", "observed (AIS):"] + [f"  {o}" for o in observed_lines(routeset)]
    hygiene = _hygiene(routeset)
    lines += ["", "scenario hygiene:"] + ([f"  {h}" for h in _grouped(hygiene)] or ["  nothing to report"])
    lines += ["", f"translations ({_language_name(scenario.language)} is the scenario's language):"]
    lines += [f"  {t}" for t in translation_lines(scenario, languages)]
    counts = Counter(f.level for f in routeset.findings)
    errors = counts.get("error", 0)
    warnings = counts.get("warning", 0) + sum(1 for h in hygiene if h.line.startswith("warning"))
    lines += ["", f"{errors} error(s), {warnings} warning(s)"]
    return "\n".join(lines), errors


SHOWN = 5
"""How many further occurrences a grouped note or warning names (errors name every one)."""
LISTED = 12
"""How many items a note's list names before ``and N more``."""


@dataclass(frozen=True)
class _Line:
    """A report line that may stand for others like it.

    Lines with the same ``kind`` say the same thing of different ``subject``s: the first is
    printed, the others counted after it and named (all of them for an error).
    """

    line: str
    kind: str
    subject: str


def _grouped(lines: Sequence[_Line]) -> list[str]:
    """Return the lines with those of one kind folded into the first: ``... (and 312 more like
    this: a, b, c, d, e, ...)``, in the order their first one comes."""
    groups: dict[str, list[_Line]] = {}
    for item in lines:
        groups.setdefault(item.kind, []).append(item)
    return [group[0].line + _more(group[0].line, [g.subject for g in group[1:]]) for group in groups.values()]


def _more(line: str, others: Sequence[str]) -> str:
    """Return the tail that counts and names the occurrences a line stands for (none: empty)."""
    if not others:
        return ""
    named = others if line.startswith("error") else others[:SHOWN]
    etc = ", ..." if len(named) < len(others) else ""
    return f" (and {len(others):,} more like this: {', '.join(named)}{etc})"


def _leg_finding_lines(routeset: RouteSet) -> dict[tuple[str, int], list[str]]:
    """Return each leg's findings as report lines, a finding said again word for word on a
    later leg printed once, under the first leg, with the others counted and named.

    An error is never left out: identical ones are one line naming every leg, and each still
    counts in the report's total.
    """
    order = {(row.transfer_id, row.leg_index): i
             for i, row in enumerate(routeset.legs[["transfer_id", "leg_index"]].itertuples(index=False))}
    findings = sorted(enumerate(routeset.findings),
                      key=lambda pair: (order.get((pair[1].transfer_id, pair[1].leg_index), len(order)), pair[0]))
    items = [(f, _Line(f"{f.level}: {f.code}: {f.message}", f"{f.level}\n{f.code}\n{f.message}",
                       f"{f.transfer_id} leg {f.leg_index + 1}")) for _, f in findings]
    others: dict[str, list[str]] = {}
    for _, item in items:
        others.setdefault(item.kind, []).append(item.subject)
    out: dict[tuple[str, int], list[str]] = {}
    for f, item in items:
        subjects = others[item.kind]
        if subjects[0] == item.subject:  # its first leg: the line, and the legs that say it again
            rest = [s for s in subjects[1:] if s != item.subject]
            out.setdefault((f.transfer_id, f.leg_index), []).append(item.line + _more(item.line, rest))
            subjects[0] = ""  # said
    return out


def _listed(items: Sequence[str]) -> str:
    """Return a list for a note: the first :data:`LISTED` items, then ``and N more``."""
    shown = ", ".join(items[:LISTED])
    return shown + (f", and {len(items) - LISTED:,} more" if len(items) > LISTED else "")


def _hygiene(routeset: RouteSet) -> list[_Line]:
    scenario = routeset.scenario
    cited: set[str] = set()
    for t in scenario.transfers:
        cited.update(t.sources)
        for leg in t.legs:
            cited.update(leg.sources)
    for a in scenario.annotations:
        cited.update(a.sources)
    for added in scenario.network_additions:
        cited.update(added.sources)
    for p in scenario.places:
        cited.update(p.sources)
    cited.update(scenario.observations.sources if scenario.observations else ())
    out = [_Line(f"warning: source '{s.id}' is never cited", "uncited", f"'{s.id}'")
           for s in scenario.sources if s.id not in cited]
    out += [_Line(f"warning: place '{p.id}' ({p.name}) cites no source", "unsourced", f"'{p.id}'")
            for p in scenario.places if not p.sources and p.origin in ("scenario", "builtin")]
    for text in scenario.passed_over:  # "<key path>: '<name>' -> <place> (...); passed over: ..."
        path, _, said = text.partition(": ")
        out.append(_Line(f"note: {text}", f"passed over: {said}", path))
    for source, text in zip(_copied(scenario.sources), copied_links(scenario.sources), strict=True):
        out.append(_Line(f"note: {text}", "copy: " + text.partition(": ")[2], f"'{source.id}'"))
    return out


def _copied(sources: Iterable[Source]) -> list[Source]:
    """Return the sources :func:`copied_links` writes a line for, in its order."""
    return [s for s in sources if s.site is None and s.is_copy]


def copied_links(sources: Iterable[Source]) -> list[str]:
    """Return one line per source whose link is on neither its publisher's site nor a declared one.

    Parameters
    ----------
    sources
        The scenario's sources.

    Returns
    -------
    list of str
        ``source 'id': link on example.org is not a site of 'Publisher'; cited as a copy ...``
        for each source without a ``site`` key whose link the publisher's names do not match.
    """
    return [f"source '{s.id}': link on {s.link_site} is not a site of '{s.publisher}'; cited as "
            f"\"via a copy on {s.link_site}\" (site: copy confirms it; site: original if it is the publisher's own)"
            for s in _copied(sources)]


def addition_lines(routeset: RouteSet) -> list[str]:
    """Return one line per network addition: its length and the legs routed along it.

    Parameters
    ----------
    routeset : RouteSet
        A built route set; its scenario's ``network_additions`` are listed.

    Returns
    -------
    list of str
        ``smolyaninovo-fokino-dunai (rail, Smolyaninovo - Fokino - Dunai freight branch):
        61.2 km, used by rajin-dunai-tikhoretsk leg 2`` (or ``used by no leg``).
    """
    out = []
    for added in routeset.scenario.network_additions:
        users = [f"{row.transfer_id} leg {row.leg_index + 1}"
                 for row in routeset.legs.itertuples(index=False)
                 if row.mode == added.mode and _runs_along(row.geometry, added)]
        used = f"used by {', '.join(users)}" if users else "used by no leg"
        out.append(f"{added.id} ({added.mode}, {added.name}): "
                   f"{wording.distance(length_km(added.points), decimals=1)}, {used}")
    return out


def _runs_along(geometry: object, added: NetworkAddition) -> bool:
    """Whether a routed line passes through a point of the added line (its vertices are nodes)."""
    if geometry is None:
        return False
    coords = shapely.get_coordinates(geometry)
    points = np.array([(lon, lat) for lat, lon in added.points])
    return bool(np.any(np.all(np.abs(coords[:, None, :] - points[None, :, :]) < 1e-9, axis=2)))


def translation_lines(scenario: Scenario, languages: Sequence[str] = ()) -> list[str]:
    """Return, per language, what an output in it lacks: texts and place names that fall back.

    Parameters
    ----------
    scenario : Scenario
        A loaded scenario (not localized).
    languages : sequence of str
        Output languages asked for, checked after every language the scenario's texts and
        place names are given in.

    Returns
    -------
    list of str
        ``note: fr (French): 2 of 14 texts fall back to English: subtitle, transfers.x.cargo``,
        ``note: fr (French): 3 of 5 place names keep their written form: dunai, ...`` (or
        ``fr (French): every text and place name translated``); for a scenario in one language
        and no language asked for, one line saying so.
    """
    codes = [c for c in dict.fromkeys((*scenario.languages, *languages)) if c != scenario.language]
    if not codes:
        return [f"every text is in {_language_name(scenario.language)} only; give a text as "
                f"{{{scenario.language}: ..., fr: ...}} to publish it in another language"]
    texts = missing_translations(scenario, codes)
    names = missing_names(scenario, codes)
    total = len(list(text_keys(scenario)))
    places = sum(1 for p in scenario.places if p.origin != "coordinates")
    fallback = _language_name(scenario.language)
    out = []
    for code in codes:
        who = f"{code} ({_language_name(code)})"
        if texts[code] and len(texts[code]) == total:
            out.append(f"note: {who}: no text given in it; all {total} fall back to {fallback}")
        elif texts[code]:
            out.append(f"note: {who}: {len(texts[code])} of {total} texts fall back to {fallback}: "
                       + _listed(texts[code]))
        if names[code]:
            out.append(f"note: {who}: {len(names[code])} of {places} place names keep their "
                       "written form: " + _listed(names[code]))
        if not texts[code] and not names[code]:
            out.append(f"{who}: every text and place name translated")
    for code, ids in builtin_notes_missing(scenario, codes).items():
        if ids:
            what = "the note of 1 built-in place is" if len(ids) == 1 else \
                f"the notes of {len(ids)} built-in places are"
            out.append(f"note: {code} ({_language_name(code)}): {what} in "
                       f"{_language_name(CURATED_LANGUAGE)} (the curated layer gives no "
                       "translation): " + _listed(ids))
    return out


def _language_name(code: str) -> str:
    """Return a language's English name (``fr`` -> ``French``), or its code if CLDR has none."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (UnknownLocaleError, ValueError):
        return code


def observed_lines(routeset: RouteSet) -> list[str]:
    """Return the observed layer's summary, then one line per verdict on a sea leg.

    ``observed: <transfer> leg <n>: <vessel>: <verdict>: <evidence>`` (the evidence in English, by
    ``routemap.maps.evidence``, the writer of every output); a sea leg whose carrier
    names no vessel of interest has none.
    """
    layer = routeset.observed
    if layer is None:
        return []
    spec = layer.spec
    dropped = ", ".join(f"{n:,} {reason.replace('_', ' ')}" for reason, n in layer.dropped if n)
    lines = [f"{layer.positions:,} positions of {len(spec.vessels)} vessel(s) from {len(spec.files)} file(s)"
             + (" (synthetic)" if spec.synthetic else "") + (f"; dropped: {dropped}" if dropped else ""),
             f"{len(layer.trajectories)} track(s), {len(layer.gaps)} dark gap(s), "
             f"{len(layer.port_calls)} port call(s), {layer.meetings} encounter(s)"]
    lines += [f"observed: {v.transfer_id} leg {v.leg_index + 1}: {v.vessel}: {v.verdict}: "
              f"{evidence_text(v.evidence, v.verdict)}" for v in layer.verdicts]
    if not layer.verdicts:
        lines.append("no sea leg names a vessel of interest as its carrier")
    return lines
