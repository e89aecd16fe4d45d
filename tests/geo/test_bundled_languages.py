"""The bundled scenario in French: every text of the file translated, the English left as it was.

The French must say what the English says and no more: the qualifiers that keep a figure or a
claim honest ("at least", "about", "estimated", "assumed", "says") are checked text by text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest

from routemap.geo.model import Scenario
from routemap.geo.scenario import (
    bundled_scenario_path,
    load_scenario,
    localize,
    missing_names,
    missing_translations,
)

FRENCH_TITLE = "Transferts d'armes et de pétrole entre la Corée du Nord et la Russie, 2022-2025"
FRENCH_SUBTITLE = (
    "Itinéraires rapportés publiquement, chacun avec ses sources et son degré de confiance\u202f;"
    " les corridors ferroviaires à travers la Russie sont estimés"
)
ENGLISH_TITLE = "North Korea-Russia arms and oil transfers, 2022-2025"
ENGLISH_LABELS = {
    "rajin-dunai-tikhoretsk":
        "Munitions containers by sea from Rajin to Dunai, then by rail to the Tikhoretsk depot",
    "rajin-vostochny-depots":
        "Containers by sea from Rajin to Vostochny; rail to depots such as Yegorlykskaya (link inferred)",
    "rail-to-mozdok":
        "DPRK munitions by rail to the Mozdok depot (port not reported; drawn from Vostochny)",
    "tumangang-khasan-wagner-2022":
        "Rockets and missiles for Wagner by rail over the Tumangang-Khasan bridge (Nov 2022)",
    "tumangang-khasan-surge-2023":
        "Rail traffic surge at the Tumangang-Khasan crossing (Oct 2023; munitions suspected)",
    "an124-pyongyang-vladivostok":
        "An-124 flight from Pyongyang to Vladivostok with presumed ballistic missiles (21 Mar 2024)",
    "oil-vostochny-chongjin":
        "Refined oil by North Korean tankers from Vostochny to Chongjin (Mar 2024)",
    "oil-vostochny-nampo": "Refined oil by North Korean tankers from Vostochny to Nampo (Apr 2024)",
    "oil-coal-rail-khasan-rajin":
        "Oil and, probably, coal by rail into the DPRK over the Tumangang-Khasan bridge (2024)",
    "pantsir-to-dprk": "Pantsir air defence to the DPRK from Nov 2024 - ROUTE ESTIMATED, not reported",
    "koksan-rail-krasnoyarsk":
        "North Korean 170 mm Koksan guns by rail across Russia (seen at Krasnoyarsk; entry assumed)",
    "troops-sea-dunai":
        "DPRK troops by Russian Navy landing ship to Dunai (Oct-Nov 2024; embarkation port assumed)",
}
# SHA-256 of every English text of the file (english_texts below): 19,956 bytes before the French
# was added, which the translation left untouched; 20,294 since the two cited "AIS off"
# callouts (Angara and Maria, Lady R) and their source. A translation must not change it.
ENGLISH_DIGEST = "0266bd22f7e390d669ce7b50c6420060dc9a0dce6c248b40c741995b43b98140"

# An English wording that limits a claim, and the French that must carry the same limit.
QUALIFIERS = [
    (r"\bat least\b", r"\bau moins\b"),
    (r"\babout\b", r"\benviron\b|\bvingtaine\b"),
    (r"\b(more than|over) \d", r"\bplus d"),
    (r"estimat", r"estim"),
    (r"\bassumed\b", r"suppos"),
    (r"\bnot reported\b", r"(non|pas) rapporté"),
    (r"\bclaim", r"affirm"),
    (r"\bprobabl|\blikely\b", r"probabl"),
    (r"\bsuspected\b", r"soupçonn"),
    (r"\binferr?e", r"dédu"),
]


@pytest.fixture(scope="module")
def bundled() -> Scenario:
    """The bundled scenario as loaded, in its own language (English)."""
    return load_scenario(bundled_scenario_path())


def english_texts(scenario: Scenario) -> Iterator[tuple[str, str | None]]:
    """Yield (text key, text) for every text the scenario file itself writes, in file order."""
    yield "title", scenario.title
    yield "subtitle", scenario.subtitle
    for place in scenario.places:
        if place.origin == "scenario":
            yield f"places.{place.id}.name", place.name
            yield f"places.{place.id}.note", place.note
    for transfer in scenario.transfers:
        for field in ("label", "cargo", "note"):
            yield f"transfers.{transfer.id}.{field}", getattr(transfer, field)
        for i, leg in enumerate(transfer.legs):
            yield f"transfers.{transfer.id}.legs.{i}.note", leg.note
    for annotation in scenario.annotations:
        yield f"annotations.{annotation.id}.text", annotation.text


def french_pairs(scenario: Scenario) -> list[tuple[str, str, str]]:
    """Return (key, English, French) for every text of the file that has a French form."""
    return [(key, texts[scenario.language], texts["fr"])
            for key, texts in scenario.translations.items() if "fr" in texts]


def _gazetteer_keys(scenario: Scenario) -> set[str]:
    return {f"places.{p.id}.note" for p in scenario.places if p.origin != "scenario"}


def test_every_text_the_file_writes_has_french(bundled: Scenario) -> None:
    missing = missing_translations(bundled, ["fr"])["fr"]
    assert [key for key in missing if key not in _gazetteer_keys(bundled)] == []
    own = [key for key, text in english_texts(bundled) if text and ".name" not in key]
    assert set(own) <= {key for key, _, _ in french_pairs(bundled)}


def test_the_file_s_own_places_have_french_names(bundled: Scenario) -> None:
    own = {p.id for p in bundled.places if p.origin == "scenario"}
    assert own == {"kharkiv-region", "kyiv-missile-target", "zaporizhzhia-missile-target"}
    assert [p for p in missing_names(bundled, ["fr"])["fr"] if p in own] == []
    french = {p.id: p.name for p in localize(bundled, "fr").places}
    assert french["kharkiv-region"] == "Région de Kharkiv"
    assert french["zaporizhzhia-missile-target"] == "Zaporijia (cible de missiles balistiques nord-coréens)"


def test_the_french_title_and_labels(bundled: Scenario) -> None:
    french = localize(bundled, "fr")
    assert french.language == "fr"
    assert french.title == FRENCH_TITLE
    assert french.subtitle == FRENCH_SUBTITLE
    assert french.transfers[0].label == (
        "Conteneurs de munitions par mer de Rajin à Dounaï, puis par rail au dépôt de Tikhoretsk")
    labels = {t.id: t.label for t in french.transfers}
    assert all(labels[tid] != english for tid, english in ENGLISH_LABELS.items())
    assert french.transfers[9].label.endswith("ITINÉRAIRE ESTIMÉ, non rapporté")


def test_the_english_is_byte_identical(bundled: Scenario) -> None:
    assert bundled.language == "en"
    assert bundled.title == ENGLISH_TITLE
    assert {t.id: t.label for t in bundled.transfers} == ENGLISH_LABELS
    assert localize(bundled, "en") is bundled
    blob = "\n".join(f"{key}\t{text}" for key, text in english_texts(bundled)).encode()
    assert (hashlib.sha256(blob).hexdigest(), len(blob)) == (ENGLISH_DIGEST, 20319)


@pytest.mark.parametrize(("english", "french"), QUALIFIERS, ids=[q for q, _ in QUALIFIERS])
def test_the_french_keeps_every_qualifier(bundled: Scenario, english: str, french: str) -> None:
    lost = [key for key, en, fr in french_pairs(bundled)
            if re.search(english, en, re.IGNORECASE) and not re.search(french, fr, re.IGNORECASE)]
    assert lost == []


def test_the_french_keeps_every_figure(bundled: Scenario) -> None:
    """Each number of the English is in the French (French thousands: a narrow no-break space)."""
    def figures(text: str, thousands: str) -> list[str]:
        found = re.findall(rf"\d{{1,3}}(?:{thousands}\d{{3}})+|\d+", text)
        return sorted(re.sub(r"\D", "", f) for f in found)
    changed = [key for key, en, fr in french_pairs(bundled)
               if figures(en, ",") != figures(fr, "\u202f")]
    assert changed == []


def test_the_french_typography(bundled: Scenario) -> None:
    """A narrow no-break space before ; : and inside guillemets, never an English comma in 1,000."""
    wrong = [key for key, _, fr in french_pairs(bundled)
             if re.search(r" [;:!?»]|« |\d,\d{3}|[“”\"]", fr)]
    assert wrong == []
