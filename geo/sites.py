"""Which site a source's link is on, and whether that site is its publisher's own.

A citation names a publisher; its link may point at the publisher's site or at a copy of the
article elsewhere (a syndication site, a mirror, an aggregator). The rule here compares the
link's registrable domain with the names in the publisher text:

- the registrable domain is the host without ``www.``, cut to its last two labels, or to its
  last three when the last two are a known two-label suffix (``co.uk``, ``or.kr``, ``com.au``);
- the publisher text is split into names: the main name, each name in parentheses, the parts
  joined by ``via``, ``with``, ``reporting``, ``copy on``, commas and semicolons, and each of
  those both whole and cut at ``and``, ``&`` and slashes (*Radio Free Europe/Radio Liberty*,
  *NV and Yahoo News Australia*);
- the site belongs to a name when the domain's first label (hyphens dropped) is spelled by
  the name's words in order, each word giving a prefix of itself: the whole word
  (``nknews`` for *NK News*, ``whitehouse`` for *The White House*), its initial (``csis`` for
  *Center for Strategic and International Studies*, ``yna`` for *Yonhap News Agency*) or a
  clipped start (``ukranews`` for *Ukrainian News Agency*); small words (*the*, *for*,
  *of*...) may be skipped. A spelling may also begin at a later word of a name when that
  word is given whole and is not a generic word such as *news* or *daily* (``pravda`` for
  *Ukrainska Pravda*);
- a publisher text that contains the host or its registrable domain (``portail.free.fr``,
  ``Caliber.az``) names the site itself.

When the rule cannot tell, the scenario's optional Source key ``site`` (``original`` or
``copy``) decides.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

__all__ = ["TWO_LABEL_SUFFIXES", "link_domain", "publisher_names", "site_matches"]

# Second-level suffixes under which names are registered (a pragmatic subset of the Public
# Suffix List, covering the countries whose media and institutions scenarios cite).
TWO_LABEL_SUFFIXES: frozenset[str] = frozenset(
    f"{second}.{top}"
    for top, seconds in {
        "uk": "co org ac gov me net ltd plc sch nhs police",
        "kr": "co or go ne re ac pe mil hs ms es sc kg",
        "jp": "co or ne go ac ad ed gr lg",
        "au": "com net org gov edu asn id",
        "nz": "co org net govt ac school geek gen kiwi maori",
        "za": "co org gov ac net web",
        "in": "co org net gov ac edu res nic",
        "cn": "com net org gov edu ac",
        "hk": "com org net gov edu idv",
        "tw": "com org net gov edu idv",
        "sg": "com org net gov edu",
        "my": "com org net gov edu",
        "ph": "com org net gov edu",
        "id": "co or go ac web net",
        "th": "co or go ac in net",
        "vn": "com org net gov edu",
        "pk": "com org net gov edu",
        "tr": "com org net gov edu av bel biz gen info k12 name web",
        "br": "com org net gov edu art blog",
        "ar": "com org net gov edu int",
        "mx": "com org net gob edu",
        "il": "co org net gov ac muni",
        "ua": "com org net gov edu in kiev kyiv dp lviv odessa kharkov kharkiv zp",
        "ru": "com org net msk spb",
        "by": "com org net gov",
        "kz": "com org net gov edu",
        "md": "com org net gov",
        "pl": "com org net gov edu waw",
        "eg": "com org net gov edu",
        "sa": "com org net gov edu",
        "ae": "co org net gov ac",
        "qa": "com org net gov edu",
        "ir": "co org net gov ac",
        "ng": "com org net gov edu",
        "ke": "co or go ac ne",
    }.items()
    for second in seconds.split()
)

_SEPARATORS = re.compile(r"[()\[\],;]|\b(?:via|with|reporting|(?:stored )?copy (?:on|at))\b", re.IGNORECASE)
_JOINERS = re.compile(r"/|&|\band\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_SMALL_WORDS = frozenset((
    "the", "of", "for", "and", "a", "an", "on", "in", "de", "du", "des", "la", "le", "les", "el",
    "del", "der", "die", "das",
))
_GENERIC_WORDS = frozenset((
    "news", "daily", "times", "post", "press", "world", "radio", "agency", "media", "online",
    "herald", "journal", "service", "international", "national", "global", "today", "tv", "mail",
    "express", "tribune", "weekly", "report",
))


def link_domain(url: str | None) -> str | None:
    """Return the registrable domain of a link (``reuters.com`` for ``https://www.reuters.com/x``).

    Parameters
    ----------
    url
        An ``http`` or ``https`` URL, or ``None``.

    Returns
    -------
    str or None
        The domain in lower case, the bare address for an IP host, ``None`` without a host.
    """
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host
    labels = host.split(".")
    if labels[0] == "www" and len(labels) > 2 and ".".join(labels[1:]) not in TWO_LABEL_SUFFIXES:
        labels = labels[1:]
    keep = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES and len(labels) >= 3 else 2
    return ".".join(labels[-keep:])


def _fold(text: str) -> str:
    """Lower-case text with accents and apostrophes removed (``Lloyd’s`` -> ``lloyds``)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"['\u2019\u02bc]", "", plain).lower()


def publisher_names(publisher: str) -> tuple[tuple[str, ...], ...]:
    """Split a publisher text into its names, each a tuple of folded words.

    ``"Reuters (via NV and Yahoo News Australia)"`` gives ``(("reuters",), ("nv", "and",
    "yahoo", "news", "australia"), ("nv",), ("yahoo", "news", "australia"))``: a name cut at
    *and* is kept whole too, for *Center for Strategic and International Studies*.
    """
    parts: list[str] = []
    for part in _SEPARATORS.split(publisher):
        pieces = _JOINERS.split(part)
        parts += [part, *pieces] if len(pieces) > 1 else [part]
    names = (tuple(_WORD.findall(_fold(part))) for part in parts)
    return tuple(dict.fromkeys(n for n in names if n))


@functools.lru_cache(maxsize=4096)
def _spells(label: str, words: tuple[str, ...], pos: int, index: int) -> bool:
    """Whether ``label[pos:]`` is spelled by prefixes of ``words[index:]`` in order."""
    if pos == len(label):
        return True
    if index == len(words):
        return False
    word = words[index]
    if word in _SMALL_WORDS and _spells(label, words, pos, index + 1):
        return True
    size = 1
    while size <= len(word) and label.startswith(word[:size], pos):
        if _spells(label, words, pos + size, index + 1):
            return True
        size += 1
    return False


def _name_spells(label: str, words: tuple[str, ...]) -> bool:
    """Whether a domain label is spelled by one name, from its start or a whole later word."""
    if _spells(label, words, 0, 0):
        return True
    return any(
        word not in _GENERIC_WORDS and word not in _SMALL_WORDS and label.startswith(word)
        and _spells(label, words, len(word), index + 1)
        for index, word in enumerate(words)
        if index > 0
    )


def site_matches(url: str | None, publisher: str) -> bool | None:
    """Return whether a link's site belongs to one of the names in a publisher text.

    Parameters
    ----------
    url
        The source's link.
    publisher
        The source's publisher, as written in the scenario.

    Returns
    -------
    bool or None
        ``True`` when the site is the publisher's (or one the publisher text names),
        ``False`` when it is not, ``None`` when there is no link to judge.
    """
    domain = link_domain(url)
    if domain is None:
        return None
    folded = _fold(publisher)
    host = (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.") if url else ""
    if any(re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", folded) for name in {domain, host}):
        return True
    label = re.sub(r"[^a-z0-9]", "", _fold(domain.split(".")[0]))
    if not label or label.isdigit():
        return False
    return any(_name_spells(label, words) for words in publisher_names(publisher))
