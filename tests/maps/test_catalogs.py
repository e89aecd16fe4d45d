"""Every message the code asks for is in the catalogs of every output language.

The message ids are extracted from the package's sources with Babel's own extractor (the calls
``gettext``, ``ngettext``, ``_``, ``N_`` and the renderers' ``word`` helpers, methods included:
``language.gettext("Confidence")``), and the style table's labels and meanings are added (the
renderers and ``routemap.maps.wording`` translate them by value). A missing message fails here
with the file and line that asks for it and the catalog it belongs in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

import routemap
from routemap.maps import style
from routemap.maps.language import DEFAULT_LANGUAGE, available_languages, catalog_files

MAPS = Path(style.__file__).parent
CORE = Path(routemap.__file__).parent
KEYWORDS = {**DEFAULT_KEYWORDS, "word": None}
PRODUCTS = ("web", "slides", "gis", "video")
LANGUAGES = [code for code in available_languages() if code != DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class Asked:
    """One message the code asks for: its ids (two for a plural) and where it is asked."""

    ids: tuple[str, ...]
    where: str
    part: str  # "routemap" for the shared modules and the style table, else the product

    @property
    def home(self) -> str:
        """Return the catalog it belongs in (a product's words may also be shared ones)."""
        return "routemap.po" if self.part == "routemap" else f"{self.part}.po or routemap.po"


def _extracted(folder: Path, label: str) -> Iterator[Asked]:
    for filename, line, message, _comments, _context in extract_from_dir(
            folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
        ids = tuple(m for m in message if m) if isinstance(message, tuple) else (message,)
        first = filename.split("/", 1)[0]
        yield Asked(ids, f"{label}/{filename}:{line}", first if first in PRODUCTS else "routemap")


def _style_words() -> Iterator[Asked]:
    """The style table's texts: every label and meaning a legend or a sentence writes."""
    where = "maps/style.py"
    for table in (style.CONFIDENCE_STYLES, style.PATH_STYLES):
        for entry in table.values():
            yield Asked((entry.label,), where, "routemap")
            yield Asked((entry.meaning,), where, "routemap")
    for entry in (*style.MODE_STYLES.values(), *style.PLACE_STYLES.values()):
        yield Asked((entry.label,), where, "routemap")
    yield from (Asked((title,), where, "routemap") for title in style.PATH_LEGEND.values())
    yield Asked((style.CONNECTOR_STYLE.label,), where, "routemap")
    yield Asked((style.CONNECTOR_STYLE.meaning,), where, "routemap")


@functools.cache
def _asked() -> tuple[Asked, ...]:
    """Every message the package asks for, extracted once per run (about 1.5 s) and shared by
    the tests of every language."""
    return (*_extracted(MAPS, "maps"), *_style_words())


def _catalogs(code: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """Return catalog file name -> message id (the singular: gettext's lookup key) -> every id
    of its entry (two for a plural)."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in catalog_files(code):
        with path.open("rb") as handle:
            entries = [m for m in read_po(handle, locale=code) if m.id]
        out[path.name] = {ids[0]: ids for ids in
                          (m.id if isinstance(m.id, tuple) else (m.id,) for m in entries)}
    return out


def test_the_extractor_finds_the_calls_of_every_part():
    """The test can fail: it sees wording's method calls, its plurals and the style table."""
    asked = _asked()
    ids = {a.ids for a in asked}
    assert ("more than {quantity}",) in ids  # language.gettext(...) in wording
    assert ("{distance} nmi", "{distance} nmi") in ids  # a plural, both forms
    assert ("Confirmed",) in ids and ("straight join, not track",) in ids  # the style table
    assert {a.part for a in asked} >= {"routemap"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_asked_for_is_in_the_catalogs(code):
    catalogs = _catalogs(code)
    every = {i: name for name, entries in catalogs.items() for i in entries}
    # a plural form marked on its own (a table of both forms, later given to ngettext)
    plurals = {ids[1]: name for name, entries in catalogs.items()
               for ids in entries.values() if len(ids) == 2}
    problems = []
    for asked in _asked():
        message = asked.ids[0]  # a plural is looked up by its singular
        home = every.get(message, plurals.get(message))
        if home is None:
            problems.append(f"{asked.where}: {message!r} is not in {code}/{asked.home}")
        elif asked.part == "routemap" and home != "routemap.po":
            problems.append(f"{asked.where}: {message!r} is shared but in {code}/{home}, "
                            f"not {code}/routemap.po")
        elif asked.part != "routemap" and home not in {"routemap.po", f"{asked.part}.po"}:
            problems.append(f"{asked.where}: {message!r} is in {code}/{home}, not {code}/{asked.home}")
    assert sorted(set(problems)) == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_plural_message_is_a_plural_entry(code):
    """``ngettext`` needs an entry with both forms; a singular entry would never give the plural."""
    catalogs = _catalogs(code)
    every = {i: ids for entries in catalogs.values() for i, ids in entries.items()}
    wrong = [f"{a.where}: {a.ids[0]!r}" for a in _asked()
             if len(a.ids) == 2 and a.ids[0] in every and every[a.ids[0]] != a.ids]
    assert wrong == []


def test_the_command_line_writes_no_translated_words():
    """Messages on the terminal stay English: nothing in the core package asks a catalog."""
    assert [a.where for a in _extracted(CORE, "routemap")] == []


def test_a_missing_message_is_named_with_its_catalog(tmp_path):
    """What the failure says, on a source asking for a message no catalog has."""
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "panel.py").write_text(
        'def title(language):\n    return language.gettext("No such words anywhere")\n')
    (asked,) = list(_extracted(tmp_path, "maps"))
    assert asked == Asked(("No such words anywhere",), "maps/web/panel.py:2", "web")
    assert asked.home == "web.po or routemap.po"
    assert "No such words anywhere" not in {i for c in _catalogs("fr").values() for i in c}


def test_french_punctuation_is_spaced_as_french_prints_it():
    """A no-break space before ':' and a narrow one before ';', '!' and '?', so that none of
    them starts a line (Imprimerie nationale, Lexique des règles typographiques)."""
    wrong = []
    for path in catalog_files("fr"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not message.id:  # the header
                    continue
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in forms:
                    if not all(_spaced_in_french(text, i) for i in range(len(text))):
                        wrong.append((path.name, text))
    assert wrong == []


def _spaced_in_french(text: str, i: int) -> bool:
    """Return False when the mark at ``i`` lacks its French space: a no-break one before ':',
    a narrow one before ';', '!' and '?' (a ';' opening a message joins it to another)."""
    before = text[i - 1] if i else ""
    if text[i] == ":":
        return before in ("\u00a0", "\u202f")
    if text[i] in ";!?":
        return before == "\u202f" or (i == 0 and text[i] == ";")
    return True
