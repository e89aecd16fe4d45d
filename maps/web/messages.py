"""The web map's own words in an output's language: popup row labels, and the words its
script writes (the ``messages`` object of the data document).

Every message id is the English text and lives in ``locale/<code>/LC_MESSAGES/web.po``
(or in ``routemap.po`` when every product shares it). The script reads a message by its key
(``t('hint')`` in ``static/base.js``); a message with a count is sent as its plural forms by
CLDR plural category, and the browser picks the form with ``Intl.PluralRules``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.plural import PluralRule

from routemap.maps.language import Language

__all__ = ["COUNTED_MESSAGES", "SCRIPT_MESSAGES", "plural_forms", "position", "script_messages"]


def _(message: str) -> str:
    """Mark a message id for the catalog; it is translated where it is used."""
    return message


#: The script's words by key; the English text is the message id.
SCRIPT_MESSAGES: dict[str, str] = {
    "as_of": _("As of {date}"),
    "hint": _("Click a route, place or note for details and sources."),
    "transfers": _("Transfers"),
    "places": _("Places"),
    "notes_toggle": _("Notes (dated callouts)"),
    "legend": _("Legend"),
    "mode": _("Mode"),
    "confidence": _("Confidence"),
    "line": _("Line"),
    "widths": _("Line width: quantity moved"),
    "arrows": _("Arrows show the direction of movement."),
    "circle": _("Dashed circle: how far the site may lie from its marker."),
    "background": _("Background"),
    "offline_basemap": _("Offline basemap only (Natural Earth)"),
    "online_note": _("Online layers load tiles from the internet; the offline basemap stays "
                     "underneath."),
    "panel": _("Map panel: legend, layers and notes"),
    "hide_panel": _("Hide the panel"),
    "show_panel": _("Show the panel"),
    "full_screen": _("Full screen"),
    "measure_title": _("Measure a distance: click points, double-click to finish"),
    "measure": _("Measure distance"),
    "measure_next": _("Click the next point"),
    "km": _("{distance} km"),
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "notes": _("Notes"),
    "note_list": _("Every note, in scenario order"),
    "note_number": _("Note {number}"),
    "not_tied": _("Not tied to one transfer"),
    "notes_of_transfer": _("Show notes of one transfer"),
    "all_transfers": _("All transfers"),
    "notes_of_confidence": _("Show notes of one confidence"),
    "all_confidences": _("All confidences"),
    "outside": _("Outside the period shown"),
    "outside_aside": _("outside the period shown"),
    "notes_hidden": _("notes are hidden"),
    "period": _("Period"),
    "transfer_leg": _("Transfer leg"),
    "play": _("Play timeline"),
    "pause": _("Pause timeline"),
    "slider": _("Timeline: choose a period"),
    "all_periods": _("All periods"),
    "all": _("All"),
    "nothing_moving": _("Nothing reported moving in this period."),
    "more": _("+{count} more"),
    "label_meaning": _("{label}: {meaning}"),
    "quoted": _("\u201c{title}\u201d"),
    "not_link": _("{url} (not a web link)"),
}

#: The script's words with a count, by key: (singular, plural) message ids.
COUNTED_MESSAGES: dict[str, tuple[str, str]] = {
    "transfers_count": (_("{count} transfer"), _("{count} transfers")),
    "legs": (_("{count} leg"), _("{count} legs")),
    "places_count": (_("{count} place"), _("{count} places")),
    "notes_count": (_("{count} note"), _("{count} notes")),
    "notes_listed": (_("{listed} of {count} note"), _("{listed} of {count} notes")),
    "notes_outside": (_("{count} outside {period} (greyed)"), _("{count} outside {period} (greyed)")),
    "legs_shown": (_("{count} leg shown"), _("{count} legs shown")),
    "routes_here": (_("{count} route here: choose one"), _("{count} routes here: choose one")),
    "sources": (_("Source"), _("Sources")),
    "nmi": (_("{distance} nmi"), _("{distance} nmi")),
}


def plural_forms(language: Language, singular: str, plural: str) -> dict[str, str]:
    """Return a counted message by CLDR plural category (``one``, ``few``, ``other``...).

    Each category's form is the catalog's form for the smallest whole count in that category,
    so the browser's ``Intl.PluralRules`` (the same CLDR rules) picks the right one.

    Parameters
    ----------
    language : Language
        The output language.
    singular, plural : str
        The English message ids.

    Returns
    -------
    dict
        Category to text; always holds ``other``.
    """
    rule: PluralRule = language.locale.plural_form
    forms: dict[str, str] = {}
    for n in range(200):
        forms.setdefault(rule(n), language.ngettext(singular, plural, n))
    forms.setdefault("other", language.ngettext(singular, plural, 2))
    return dict(sorted(forms.items()))


def script_messages(language: Language) -> dict[str, Any]:
    """Return every word the map's script writes, in a language, for the data document.

    Parameters
    ----------
    language : Language
        The output language.

    Returns
    -------
    dict
        ``locale`` (the BCP 47 tag the browser's number and plural rules use), ``series``
        (what separates the items of a series: ``"; "``, in French ``"\u202f; "``), then one
        key per :data:`SCRIPT_MESSAGES` entry (text) and per :data:`COUNTED_MESSAGES` entry
        (plural forms by category).
    """
    out: dict[str, Any] = {"locale": _bcp47(language), "series": language.series(("", ""))}
    out.update((key, language.gettext(text)) for key, text in SCRIPT_MESSAGES.items())
    out.update((key, plural_forms(language, *pair)) for key, pair in COUNTED_MESSAGES.items())
    return out


def _bcp47(language: Language) -> str:
    """Return the locale's tag for the browser ("en-GB", "fr-FR")."""
    return str(language.locale).replace("_", "-")


def position(lat: float, lon: float, language: Language) -> str:
    """Return a position in degrees with hemisphere letters: "48.8566° N, 2.3522° E".

    The decimal sign and the letters follow the language ("48,8566° N, 2,3522° O" is west in
    French).
    """
    text: Callable[[str], str] = language.gettext
    ns = text("{degrees}° N") if lat >= 0 else text("{degrees}° S")
    ew = text("{degrees}° E") if lon >= 0 else text("{degrees}° W")
    return (ns.format(degrees=language.number(abs(lat), 4)) + ", "
            + ew.format(degrees=language.number(abs(lon), 4)))
