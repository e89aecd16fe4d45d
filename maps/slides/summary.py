"""How a slide writes places, transfers and sources in few words: short names, a transfer's
route in one line, a source in its footer form."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from routemap.geo.model import Source
from routemap.maps import wording
from routemap.maps.language import DEFAULT_LANGUAGE, Language, load_language
from routemap.maps.style import MODE_STYLES

__all__ = ["in_language", "key_name", "legs_period", "missing", "mode_word", "period_words",
           "route_summary", "short_citation", "short_name"]



def missing(value: object) -> bool:
    """Return True for a cell with no value (None, NaN, NA); a list is a value."""
    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))


def in_language(language: Language | None) -> Language:
    """Return the language to write in: ``language``, English when None."""
    return load_language(DEFAULT_LANGUAGE) if language is None else language


def period_words(start: object, end: object, language: Language | None = None) -> str:
    """Return a period in words ('7 Sep – 1 Oct 2023'), '' when both ends are missing."""
    return wording.period(*(None if missing(v) else v for v in (start, end)),
                          language=language) or ""


def short_citation(source: Source, *, language: Language | None = None) -> str:
    """Return 'Publisher (13 Oct 2023)', the footer form of a source, its date in ``language``."""
    if source.date is None:
        return source.publisher
    return f"{source.publisher} ({wording.day(source.date, language=language)})"


def short_name(name: str) -> str:
    """Return a place name without its parenthesised detail: 'Rajin (Najin) port' -> 'Rajin port'."""
    shorter = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return re.sub(r"\s{2,}", " ", shorter) or name


# Words that say what kind of place an English curated name is, after the place itself
# ('Mozdok ammunition depot', 'Karachev 67th GRAU arsenal'); an ordinal ('67th') starts that part too
_KIND_WORDS = frozenset({
    "port", "naval", "commercial", "station", "junction", "depot", "ammunition", "arsenal", "grau",
    "airport", "airfield", "airbase", "air", "base", "area", "bridge", "terminal", "yard", "facility",
    "storage", "site", "plant", "refinery", "harbour", "harbor", "anchorage", "crossing",
})
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)


def key_name(name: str, language: Language | None = None) -> str:
    """Return the shortest form of a place name a slide writes.

    In English, the words before the first word saying what kind of place it is ('Mozdok
    ammunition depot' -> 'Mozdok', 'Pyongyang Sunan airport' -> 'Pyongyang Sunan', as the
    curated English names put the place first); a name with no such word is whole ('Saint
    Petersburg', 'Mineralnye Vody': a first word alone may name nothing). In any other language,
    the name without its bracketed detail ('Port de Rajin (Najin)' -> 'Port de Rajin'), as the
    generic word may come first ('Port', 'Порт')."""
    shorter = short_name(name)
    if language is not None and language.code != DEFAULT_LANGUAGE:
        return shorter
    words = shorter.split(" ")
    for i, word in enumerate(words[1:], start=1):
        bare = word.strip(",").lower()
        if bare in _KIND_WORDS or _ORDINAL.match(bare):
            return " ".join(words[:i]).rstrip(",")
    return shorter


def route_summary(legs: pd.DataFrame, *, language: Language | None = None) -> str:
    """Return 'Rajin → Dunai → Tikhoretsk · sea, rail · Sep 2023' for a transfer's legs, each
    assumed end marked ('Vostochny (assumed)'); the modes are not bracketed, so a marked end
    never reads 'Tikhoretsk (assumed) (sea, rail)'."""
    def word(name: object) -> str:
        return key_name(str(name), language)

    flags = [legs[c] if c in legs else [False] * len(legs) for c in ("origin_assumed", "destination_assumed")]
    lang = in_language(language)
    modes = ", ".join(dict.fromkeys(mode_word(m, lang) for m in legs["mode"]))
    text = wording.leg_chain(zip(map(word, legs["from_name"]), map(word, legs["to_name"]), *flags,
                                 strict=True), language=language) + f" · {modes}"
    starts = sorted(str(v)[:10] for v in legs["period_start"] if not missing(v))
    if starts:
        first = dt.date.fromisoformat(starts[0])
        text += f" · {wording.month(first, language=language)}"
    return text


def mode_word(mode: object, language: Language) -> str:
    """Return a mode as a lower-case word in the language ('sea', 'mer'), the mode key if
    the style table does not know it."""
    style = MODE_STYLES.get(str(mode))
    return str(mode) if style is None else language.noun(language.gettext(style.label))


def legs_period(legs: pd.DataFrame, language: Language | None = None) -> str:
    """Return the period spanning some legs ('' when none has one)."""
    starts = [v for v in legs["period_start"] if not missing(v)]
    ends = [v for v in legs["period_end"] if not missing(v)]
    return period_words(min(starts) if starts else None, max(ends) if ends else None, language)
