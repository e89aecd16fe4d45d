"""How a source is cited in an output, and how the data's licences are credited: the words of a
citation and of a credit line, in the output's language.

``routemap.geo`` keeps what a source is (publisher, title, date, note, link, and whether the link
is a copy on another site); this module writes it as one line, with its words from the catalogs
and its date by CLDR:

    Reuters, via a copy on example.org, “Title”, 15 April 2024, p. 3. https://example.org/x
    Reuters, via une copie sur example.org, « Title », 15 avril 2024, p. 3. https://example.org/x

Every output that prints a citation (slides and deck, web map, KML balloons, GeoPackage, the
``citations`` property of GeoJSON and CSV, the manifest) writes it here.

A credit line (``RouteSet.attributions``, a feature's ``attribution``) is one or more credits
joined by ``; ``, each ``<what>: <credit>`` (``Rail network: (c) OpenStreetMap contributors,
ODbL``) as ``routemap.geo`` writes them: :func:`credit` writes the label of what is credited
through the catalogs; the credit itself, names and licences, stays as the licensor asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from routemap.geo.model import Scenario, Source
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.style import N_

__all__ = ["CREDIT_LABELS", "citation", "citations", "credit"]

#: What routemap's data credits name, as ``routemap.geo`` writes them before a colon.
CREDIT_LABELS: tuple[str, ...] = (
    N_("Sea lanes"), N_("land"), N_("Rail network"), N_("Road network"), N_("Ports"),
    N_("Cities"), N_("Rivers and canals"),
)
_LABELLED = re.compile(r"(?P<label>[^:;]+): (?P<credit>.+)\Z", re.DOTALL)

_SENTENCE_ENDS = (".", "!", "?", "\u2026")


def citation(source: Source, *, language: Language | None = None) -> str:
    """Return a source as a one-line citation in a language.

    The publisher (and, when the link is a copy on another site, that site), the title in the
    language's quotation marks, the date in full, and the note: a note that begins with a
    capital is sentences of its own ("…, 13 October 2023. Stored copy."), one that does not is
    a detail of the reference ("…, 13 October 2023, p. 3."). Each sentence ends with one full
    stop (its own, or one added); then the link.

    Parameters
    ----------
    source : Source
        The source.
    language : Language, optional
        The output's language; English when None.

    Returns
    -------
    str
        ``The White House, “Briefing”, 13 October 2023. https://...``
    """
    lang = load_language(DEFAULT_LANGUAGE) if language is None else language
    publisher = source.publisher
    if source.is_copy:
        publisher = lang.gettext("{publisher}, via a copy on {site}").format(
            publisher=publisher, site=source.link_site)
    parts = [publisher, lang.gettext("\u201c{title}\u201d").format(title=source.title)]
    if source.date is not None:
        parts.append(lang.date(source.date))
    note = source.note or ""
    if note and not note[:1].isupper():
        parts.append(note)
        note = ""
    text = _sentence(", ".join(parts))
    if note:
        text += " " + _sentence(note)
    return f"{text} {source.url}" if source.url else text


def _sentence(text: str) -> str:
    """Return text ending as a sentence does: with its own full stop, or one added."""
    return text if text.endswith(_SENTENCE_ENDS) else text + "."


def citations(scenario: Scenario, ids: Iterable[str], *, language: Language | None = None) -> list[str]:
    """Return the citations of the scenario's sources with these ids, in order (unknown ids
    are left out).

    Parameters
    ----------
    scenario : Scenario
        The scenario whose ``sources`` the ids name.
    ids : iterable of str
        Source ids, e.g. a leg's ``sources``.
    language : Language, optional
        The output's language; English when None.
    """
    known = {s.id: s for s in scenario.sources}
    return [citation(known[i], language=language) for i in ids if i in known]


def credit(line: str, *, language: Language | None = None) -> str:
    """Return a data credit line with the words that name what is credited in a language.

    ``Sea lanes: Eurostat SeaRoute marnet (EUPL); land: Made with Natural Earth`` becomes
    ``Voies maritimes : Eurostat SeaRoute marnet (EUPL) ; terres : Made with Natural Earth``:
    each credit's label (one of :data:`CREDIT_LABELS`) and the punctuation come from the
    catalogs; names, licences and the licensors' own wording are kept. A part without a known
    label is kept as it is.

    Parameters
    ----------
    line : str
        A credit line, credits joined by ``; ``.
    language : Language, optional
        The output's language; English when None.
    """
    lang = load_language(DEFAULT_LANGUAGE) if language is None else language
    parts = []
    for part in line.split("; "):
        found = _LABELLED.match(part)
        if found is not None and found["label"] in CREDIT_LABELS:
            part = lang.gettext("{label}: {credit}").format(
                label=lang.gettext(found["label"]), credit=found["credit"])
        parts.append(part)
    text = parts[0]
    for part in parts[1:]:
        text = lang.gettext("{credits}; {credit}").format(credits=text, credit=part)
    return text
