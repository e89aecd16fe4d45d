"""The language an output is written in: its message catalog, and its CLDR dates, numbers and
country names (through Babel).

Every word the tool writes into an output goes through a :class:`Language`: the renderers ask it
for their furniture words (``language.gettext("Confidence")``), and ``routemap.maps.wording``
asks it to write dates and numbers. Messages on the terminal stay English and never pass here.

The catalogs are gettext ``.po`` files in this package, ``locale/<code>/LC_MESSAGES/<part>.po``:
one per part of the tool that writes words (``routemap.po`` for the shared words, ``slides.po``,
``web.po``, ``gis.po``...), so translators work on them with any PO editor and without reading
code, and each product's words stay with each other. A language's catalogs are compiled in
memory on first use (Babel's ``read_po`` and ``write_mo``) and chained into one; nothing is
written to disk. English needs no catalog: its messages are the message ids themselves.

Nothing here reads the system locale: the same scenario gives the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from routemap.errors import RouteMapError

__all__ = [
    "DEFAULT_LANGUAGE",
    "Language",
    "LanguageError",
    "available_languages",
    "catalog_files",
    "load_language",
]

#: The language of an output when neither ``--lang`` nor the scenario names one.
DEFAULT_LANGUAGE = "en"

_DOMAIN = "routemap"
_LOCALE_PACKAGE = "routemap.maps.locale"


class LanguageError(RouteMapError, ValueError):
    """An output language that routemap cannot write (unknown code, or no catalog for it)."""


def available_languages() -> tuple[str, ...]:
    """Return the codes of the languages routemap can write, English first, then sorted.

    A language is available when its shared catalog ``locale/<code>/LC_MESSAGES/routemap.po``
    is in the package; English always is.
    """
    codes = {DEFAULT_LANGUAGE}
    root = resources.files(_LOCALE_PACKAGE)
    for entry in root.iterdir():
        if entry.is_dir() and entry.joinpath("LC_MESSAGES", f"{_DOMAIN}.po").is_file():
            codes.add(entry.name)
    return (DEFAULT_LANGUAGE, *sorted(codes - {DEFAULT_LANGUAGE}))


@dataclass(frozen=True)
class Language:
    """One output language: its catalog and its CLDR locale.

    Attributes
    ----------
    code : str
        The language's code as the user wrote it (``fr``, ``ko``), a BCP 47 language subtag.
    locale : babel.Locale
        The CLDR locale whose patterns write its dates and numbers. English is written with
        ``en_GB`` patterns ("1 October 2025", "1,000"), as every output was before languages.
    translations : gettext.NullTranslations
        The compiled catalog (NullTranslations for English: messages are their own ids).
    """

    code: str
    locale: Locale
    translations: gettext.NullTranslations = field(compare=False, repr=False)

    def gettext(self, message: str) -> str:
        """Return ``message`` in this language (the English id itself when it has none)."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Return the form of a message for the count ``n``, by this language's plural rules."""
        return self.translations.ngettext(singular, plural, n)

    def date(self, day: dt.date) -> str:
        """Return a date in full: "1 October 2025", "1er octobre 2025", "1. Oktober 2025".

        CLDR's long date pattern, with one rule CLDR does not carry: French writes the first
        day of a month as an ordinal, "1er" (Imprimerie nationale, *Lexique des règles
        typographiques*).
        """
        text = format_date(day, format="long", locale=self.locale)
        if self.locale.language == "fr" and day.day == 1 and text.startswith("1 "):
            text = "1er " + text[2:]
        return text

    def month(self, day: dt.date) -> str:
        """Return a month and year, short: "Sep 2023", "oct. 2023", "2023년 9월", "май 2023 г.".

        CLDR's month-and-year pattern of the language (skeleton ``yMMM``): its order, and the
        month's stand-alone form (Russian "май", not the "мая" of a full date). English takes
        CLDR's ``en`` abbreviations ("Sep"), as every English date routemap writes; ``en_GB``
        alone abbreviates September "Sept".
        """
        locale = Locale.parse("en") if self.code == DEFAULT_LANGUAGE else self.locale
        return format_skeleton("yMMM", day, locale=locale)

    def number(self, value: float, decimals: int | None = None) -> str:
        """Return a number with this language's separators: "1,000", "1 000" (narrow no-break
        space in French), "1.000" (German).

        Parameters
        ----------
        value : float
            The number.
        decimals : int, optional
            Exactly this many decimals; by default whole numbers from 10 up and up to three
            significant decimals below.
        """
        if decimals is None:
            pattern = "#,##0" if abs(value) >= 10 else "#,##0.###"
        else:
            pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def series(self, items: Iterable[str]) -> str:
        """Join items into a series separated by semicolons, spaced as the language writes them:
        "a; b" in English and German, "a ; b" in French.

        French sets a narrow no-break space (U+202F) before a semicolon, so that it never
        starts a line (Imprimerie nationale, *Lexique des règles typographiques en usage à
        l'Imprimerie nationale*); CLDR does not carry this rule.
        """
        separator = "\u202f; " if self.locale.language == "fr" else "; "
        return separator.join(items)

    def noun(self, label: str) -> str:
        """Return a label (a legend's "Sea", "Schiene") as a common noun inside a sentence:
        lower-cased ("sea", "mer", "море"), except in German, which capitalises every noun
        ("See", "Schiene")."""
        return label if self.locale.language == "de" else label.lower()

    def country(self, code: str) -> str | None:
        """Return a country's name from its ISO 3166-1 alpha-2 code ("KP" -> "Corée du Nord"),
        or None if CLDR does not know the code."""
        return self.locale.territories.get(code.upper())


@functools.cache
def load_language(code: str) -> Language:
    """Return the :class:`Language` for a code, its catalog compiled once per process.

    Parameters
    ----------
    code : str
        A language code among :func:`available_languages` (``en``, ``fr``...).

    Returns
    -------
    Language

    Raises
    ------
    LanguageError
        If the code is not a language CLDR knows, or routemap has no catalog for it; the
        message lists the languages it can write.
    """
    known = available_languages()
    if code not in known:
        raise LanguageError(f"no output language '{code}': routemap writes {', '.join(known)}")
    try:
        locale = Locale.parse("en_GB" if code == DEFAULT_LANGUAGE else code)
    except (UnknownLocaleError, ValueError) as exc:
        raise LanguageError(f"'{code}' is not a language code CLDR knows ({exc})") from exc
    if code == DEFAULT_LANGUAGE:
        return Language(code, locale, gettext.NullTranslations())
    return Language(code, locale, _compile(code))


def catalog_files(code: str) -> list[Traversable]:
    """Return a language's ``.po`` files, the shared ``routemap.po`` first, then by name."""
    folder = resources.files(_LOCALE_PACKAGE).joinpath(code, "LC_MESSAGES")
    files = [f for f in folder.iterdir() if f.name.endswith(".po")]
    return sorted(files, key=lambda f: (f.name != f"{_DOMAIN}.po", f.name))


def _compile(code: str) -> gettext.GNUTranslations:
    """Compile a language's ``.po`` catalogs in memory and chain them, the shared one first
    (fuzzy entries left out, as msgfmt does)."""
    chain: gettext.GNUTranslations | None = None
    for source in catalog_files(code):
        with source.open("rb") as handle:
            catalog = read_po(handle, locale=code, domain=source.name[:-3])
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        buffer.seek(0)
        part = gettext.GNUTranslations(buffer)
        if chain is None:
            chain = part
        else:
            chain.add_fallback(part)
    assert chain is not None  # available_languages() found routemap.po
    return chain
