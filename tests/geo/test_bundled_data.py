"""The data shipped with routemap: curated places, the bundled scenario and the tutorial example.

Most tests read the YAML files directly (``yaml.safe_load``) and check the editorial rules that
the loader does not: every source complete and cited, every place and transfer sourced and
graded, the reported routes of issue 3 present, town-centre stand-ins marked as uncertain. The
last tests load the files through :func:`routemap.geo.scenario.load_scenario` and route the bundled one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml

from routemap.geo.gazetteer import curated_path, read_curated
from routemap.geo.model import CONFIDENCES, MODES, PLACE_KINDS
from routemap.geo.scenario import bundled_scenario_path, load_scenario

ROOT = Path(__file__).resolve().parents[2]
PLACES_FILE = ROOT / "geo" / "data" / "places.yaml"
SCENARIO_FILE = ROOT / "geo" / "data" / "dprk-russia-2023-2025.yaml"
TUTORIAL_FILE = ROOT / "docs" / "examples" / "tutorial.yaml"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}\Z")


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return _own_language(yaml.safe_load(fh))


def _own_language(doc: dict) -> dict:
    """Write each text given by language (``{en: ..., fr: ...}``) in the file's own language."""
    own = doc.get("language", "en")
    items = [doc, *(i for k in ("places", "transfers", "annotations") for i in doc.get(k) or []),
             *(leg for t in doc.get("transfers") or [] for leg in t.get("legs") or [])]
    for item in items:
        for key in ("title", "subtitle", "label", "cargo", "note", "text"):
            if isinstance(item.get(key), dict):
                item[key] = item[key][own]
    return doc


CURATED = _load(PLACES_FILE)
BUNDLED = _load(SCENARIO_FILE)
TUTORIAL = _load(TUTORIAL_FILE)
SCENARIOS = {"bundled": BUNDLED, "tutorial": TUTORIAL}
ALL_FILES = {"curated": CURATED, **SCENARIOS}
CURATED_PLACES = {p["id"]: p for p in CURATED["places"]}


def _legs(doc: dict) -> Iterator[tuple[dict, int, dict]]:
    for transfer in doc["transfers"]:
        for i, leg in enumerate(transfer["legs"]):
            yield transfer, i, leg


def _citations(doc: dict) -> set[str]:
    """Every source id cited anywhere in a document."""
    cited: set[str] = set()
    for place in doc.get("places") or []:
        cited.update(place.get("sources") or [])
    for transfer in doc.get("transfers") or []:
        cited.update(transfer["sources"])
        quantity = transfer.get("quantity") or []
        for q in quantity if isinstance(quantity, list) else [quantity]:
            cited.update([q["source"]] if "source" in q else [])
        for leg in transfer["legs"]:
            cited.update(leg.get("sources") or [])
            cited.update((leg.get("corridor") or {}).get("sources") or [])
    for note in doc.get("annotations") or []:
        cited.update(note["sources"])
    for addition in doc.get("network_additions") or []:
        cited.update(addition["sources"])
    return cited


def _refs(doc: dict) -> Iterator[tuple[str, object]]:
    """Every place reference in a scenario, with where it occurs."""
    for transfer, i, leg in _legs(doc):
        where = f"{transfer['id']} leg {i + 1}"
        yield f"{where}.from", leg["from"]
        yield f"{where}.to", leg["to"]
        for ref in leg.get("via") or []:
            yield f"{where}.via", ref
    for note in doc.get("annotations") or []:
        yield f"{note['id']}.at", note["at"]


def _place(doc: dict, ref: str) -> dict:
    own = {p["id"]: p for p in doc.get("places") or []}
    return own.get(ref) or CURATED_PLACES[ref]


def _transfers(pred) -> list[dict]:
    return [t for t in BUNDLED["transfers"] if pred(t)]


def _has_leg(transfer: dict, mode: str, origin: str | None = None, dest: str | None = None,
             carriers: tuple[str, ...] = ()) -> bool:
    for leg in transfer["legs"]:
        if leg["mode"] != mode:
            continue
        if origin is not None and leg["from"] != origin:
            continue
        if dest is not None and leg["to"] != dest:
            continue
        if all(c.lower() in (leg.get("carrier") or "").lower() for c in carriers):
            return True
    return False


# --- ids, sources and citations ---------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_version_is_1(name):
    assert ALL_FILES[name]["version"] == 1


@pytest.mark.parametrize("name,key", [(n, k) for n in sorted(ALL_FILES)
                                      for k in ("sources", "places", "transfers", "annotations")
                                      if ALL_FILES[n].get(k)])
def test_ids_are_unique_slugs(name, key):
    ids = [item["id"] for item in ALL_FILES[name][key]]
    assert [i for i in ids if not SLUG.match(i)] == []
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_every_source_has_title_publisher_url_and_a_date_or_note(name):
    """A source without a link must say so (the seed article's address is not known)."""
    for source in ALL_FILES[name]["sources"]:
        assert source.get("title", "").strip(), source["id"]
        assert _english(source.get("publisher", "")).strip(), source["id"]
        if "url" in source:
            assert re.match(r"https?://\S+\Z", source["url"]), source["id"]
        else:
            assert "no url" in _english(source.get("note", "")).lower(), source["id"]
        assert isinstance(source.get("date"), dt.date) or _english(source.get("note", "")).strip(), source["id"]


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_every_source_is_cited_in_its_own_file(name):
    doc = ALL_FILES[name]
    defined = {s["id"] for s in doc["sources"]}
    assert sorted(defined - _citations(doc)) == []


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_every_citation_is_defined(name):
    doc = ALL_FILES[name]
    defined = {s["id"] for s in doc["sources"]}
    assert sorted(_citations(doc) - defined) == []


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_every_link_off_the_publishers_site_is_declared(name):
    """A copy on another site says so (``site: copy``), so a citation never passes it off as the original."""
    from routemap.geo.sites import site_matches

    undeclared = [s["id"] for s in ALL_FILES[name]["sources"]
                  if "site" not in s and site_matches(s.get("url"), _english(s["publisher"])) is False]
    assert undeclared == []
    assert {s["site"] for s in ALL_FILES[name]["sources"] if "site" in s} <= {"original", "copy"}


def test_bundled_has_at_least_15_sources_from_distinct_publishers():
    sources = BUNDLED["sources"]
    outlets = {re.sub(r"\s*\(.*\)\s*$", "", _english(s["publisher"])).strip().lower() for s in sources}
    assert len(sources) >= 15
    assert len(outlets) >= 15, sorted(outlets)


@pytest.mark.parametrize("originator", [
    "White House", "State Department", "RUSI", "CSIS Beyond Parallel", "Open Source Centre",
    "Reuters", "MSMT", "UK Defence Intelligence", "Washington Post", "C4ADS",
])
def test_bundled_cites_the_key_originators(originator):
    texts = [" ".join(str(s.get(k, "")) for k in ("title", "publisher", "note"))
             for s in BUNDLED["sources"]]
    assert any(originator.lower() in t.lower() for t in texts)


def test_sources_shared_with_the_curated_file_are_identical():
    curated = {s["id"]: s for s in CURATED["sources"]}
    shared = [s for s in BUNDLED["sources"] if s["id"] in curated]
    assert shared, "expected the scenario to repeat some curated sources"
    for source in shared:  # the same in English (the scenario may add other languages)
        english = {k: _english(v) for k, v in curated[source["id"]].items()}
        assert {k: _english(v) for k, v in source.items()} == english, source["id"]


# --- places -------------------------------------------------------------------------------------


def _all_places() -> list[tuple[str, dict]]:
    return [(name, p) for name, doc in ALL_FILES.items() for p in doc.get("places") or []]


@pytest.mark.parametrize("name,place", _all_places(), ids=lambda v: v["id"] if isinstance(v, dict) else v)
def test_every_place_is_sourced_graded_and_explained(name, place):
    assert place["kind"] in PLACE_KINDS
    assert re.fullmatch(r"[A-Z]{2}", place["country"])
    assert -90 <= place["lat"] <= 90 and -180 <= place["lon"] <= 180
    assert place.get("confidence") in CONFIDENCES
    assert place.get("sources"), "a place needs at least one source"
    assert len(place.get("note", "")) > 20, "a place needs a note on its coordinate"
    if "locode" in place:
        assert LOCODE.match(place["locode"]) and place["locode"][:2] == place["country"]


def test_curated_has_the_places_the_issue_names():
    required = {
        "rajin", "chongjin", "nampo", "dunai", "vostochny", "vladivostok-port", "tumangang",
        "khasan", "friendship-bridge", "smolyaninovo", "baranovsky", "ussuriysk", "khabarovsk",
        "chita", "irkutsk", "novosibirsk", "omsk", "yekaterinburg", "tikhoretsk-depot",
        "mozdok-depot", "yegorlykskaya-depot", "toropets-arsenal", "karachev-arsenal",
        "soldatskoye-depot", "pyongyang-sunan", "vladivostok-knevichi",
    }
    assert sorted(required - set(CURATED_PLACES)) == []
    assert CURATED_PLACES["rajin"]["locode"] == "KPNJN"
    assert CURATED_PLACES["vostochny"]["locode"] == "RUVYP"
    assert {"Najin", "Rason"} <= set(CURATED_PLACES["rajin"]["aliases"])
    assert "Dunay" in CURATED_PLACES["dunai"]["aliases"]
    assert "Vrangel" in CURATED_PLACES["vostochny"]["aliases"]


def test_depot_coordinates_are_not_presented_as_exact():
    depots = [p for p in CURATED["places"] if p["kind"] == "depot"]
    assert len(depots) >= 6
    for depot in depots:
        assert depot.get("uncertainty_km", 0) > 0, depot["id"]
        if "centre" in depot["note"] or "low-confidence" in depot["note"].lower():
            assert depot["uncertainty_km"] >= 10, depot["id"]


def test_claimed_depots_are_graded_claimed():
    for pid in ("toropets-arsenal", "karachev-arsenal", "soldatskoye-depot"):
        assert CURATED_PLACES[pid]["confidence"] == "claimed"


def test_places_lie_in_their_country():
    """A land place lies inside its country's Natural Earth polygon (a port may sit on the water)."""
    from routemap.geo.countries import country_codes_at, load_countries

    places = [p for _, p in _all_places()]
    codes = country_codes_at(load_countries(), np.array([p["lon"] for p in places]),
                             np.array([p["lat"] for p in places]))
    wrong = [(p["id"], p["country"], code) for p, code in zip(places, codes, strict=False)
             if code != p["country"] and not (code == "" and p["kind"] in ("port", "other"))]
    assert wrong == []


# --- the bundled scenario's transfers -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_transfer_and_leg_is_well_formed(name):
    for transfer in SCENARIOS[name]["transfers"]:
        assert transfer["label"].strip()
        assert transfer["confidence"] in CONFIDENCES
        assert transfer["sources"]
        assert transfer["period"]["start"] <= transfer["period"]["end"]
        legs = transfer["legs"]
        for leg in legs:
            assert leg["mode"] in MODES
            assert leg.get("confidence", transfer["confidence"]) in CONFIDENCES
        for a, b in itertools.pairwise(legs):
            assert a["to"] == b["from"], transfer["id"]


def test_bundled_refers_to_places_by_id_only():
    own = {p["id"] for p in BUNDLED.get("places") or []}
    for where, ref in _refs(BUNDLED):
        assert isinstance(ref, str) and (ref in own or ref in CURATED_PLACES), where


def test_annotations_are_complete_and_tied_to_existing_transfers():
    transfer_ids = {t["id"] for t in BUNDLED["transfers"]}
    for note in BUNDLED["annotations"]:
        assert note["text"].strip() and note["confidence"] in CONFIDENCES and note["sources"]
        assert not ("date" in note and "period" in note)
        if "transfer" in note:
            assert note["transfer"] in transfer_ids


def test_route_1_rajin_dunai_then_rail_to_tikhoretsk():
    found = _transfers(lambda t: _has_leg(t, "sea", "rajin", "dunai", ("Angara", "Maria"))
                       and _has_leg(t, "rail", "dunai", "tikhoretsk-depot"))
    assert len(found) == 1
    assert found[0]["confidence"] == "confirmed"
    assert found[0]["quantity"]["value"] > 0


def test_route_2_rajin_vostochny_then_rail_to_a_named_depot():
    found = _transfers(lambda t: _has_leg(t, "sea", "rajin", "vostochny", ("Maia-1", "Lady R")))
    assert len(found) == 1
    rail = [leg for leg in found[0]["legs"] if leg["mode"] == "rail"]
    assert rail and CURATED_PLACES[rail[-1]["to"]]["kind"] == "depot"
    mozdok = _transfers(lambda t: _has_leg(t, "rail", dest="mozdok-depot"))
    assert len(mozdok) == 1


def test_route_3_tumangang_khasan_rail_in_2022_and_2023():
    crossings = _transfers(lambda t: any(leg["mode"] == "rail" and {leg["from"], leg["to"]} == {"tumangang", "khasan"}
                                         for leg in t["legs"]))
    starts = sorted(t["period"]["start"] for t in crossings)
    assert [d.strftime("%Y-%m") for d in starts] == ["2022-11", "2023-10"]


def test_route_4_an124_pyongyang_vladivostok():
    found = _transfers(lambda t: _has_leg(t, "air", "pyongyang-sunan", "vladivostok-knevichi", ("An-124",)))
    assert len(found) == 1
    assert found[0]["period"]["start"] == dt.date(2024, 3, 21)


def test_route_5_reverse_flow():
    oil_sea = {leg["to"] for t in BUNDLED["transfers"] for leg in t["legs"]
               if leg["mode"] == "sea" and leg["from"] == "vostochny" and "oil" in t["cargo"]}
    assert {"chongjin", "nampo"} <= oil_sea
    oil_rail = _transfers(lambda t: _has_leg(t, "rail", "khasan", "rajin") and "oil" in t["cargo"]
                          and "coal" in t["cargo"])
    assert len(oil_rail) == 1
    pantsir = _transfers(lambda t: "pantsir" in (t["label"] + t.get("cargo", "")).lower())
    assert len(pantsir) == 1
    assert pantsir[0]["confidence"] == "estimated"
    assert "estimated" in pantsir[0]["label"].lower()
    assert pantsir[0]["period"]["start"] == dt.date(2024, 11, 1)


def test_route_6_koksan_guns_by_rail_to_krasnoyarsk():
    found = _transfers(lambda t: "170 mm" in t.get("cargo", "") and _has_leg(t, "rail", dest="krasnoyarsk"))
    assert len(found) == 1


@pytest.mark.parametrize("figure", ["9 million rounds", "100 ballistic missiles", "20,000 containers",
                                    "64 voyages", "49 vessel movements", "300 containers", "43"])
def test_totals_are_annotated(figure):
    assert any(figure in note["text"] for note in BUNDLED["annotations"])


def test_disagreements_are_recorded_not_resolved():
    by_id = {t["id"]: t for t in BUNDLED["transfers"]}
    first = by_id["rajin-dunai-tikhoretsk"]
    assert "disagree" in first["note"] and "49" in first["note"] and "11" in first["note"]
    owners = first["legs"][0]["note"]
    assert "M Leasing" in owners and "Oboronlogistika" in owners
    depot = CURATED_PLACES["tikhoretsk-depot"]["note"]
    assert "290 km" in depot and "200 km" in depot


def test_rail_legs_say_which_countries_they_stay_in():
    for doc in SCENARIOS.values():
        for transfer, i, leg in _legs(doc):
            if leg["mode"] != "rail" or "path" in leg:
                continue
            countries = {_place(doc, leg[k])["country"] for k in ("from", "to")
                         if isinstance(leg[k], str) and (leg[k] in CURATED_PLACES
                                                         or leg[k] in {p["id"] for p in doc.get("places") or []})}
            if countries == {"RU"}:
                assert leg.get("within") == ["RU"], (transfer["id"], i)
            else:
                assert leg.get("within") or leg.get("avoid"), (transfer["id"], i)


def test_long_rail_corridors_are_pinned_and_explained():
    for transfer, i, leg in _legs(BUNDLED):
        if leg["mode"] == "rail" and {"dunai", "vostochny", "khasan"} & {leg["from"]} and len(leg.get("via", [])) > 5:
            text = (leg.get("note", "") + transfer.get("note", "")).lower()
            assert "estimate" in text, (transfer["id"], i)
            assert "khabarovsk" in leg["via"] and "irkutsk" in leg["via"]


# --- the seed article's claims -------------------------------------------------------------------

SEED = "seed-article-fr"

# Each claim of the French-language seed article -> the ids (annotations, transfers, or
# "transfer-id#leg-number") that cover it, the phrases their text must contain between them, and
# whether the claim is made by a party to the war (then one covering item is graded `claimed`).
SEED_CLAIMS = [
    ("122 mm and 152 mm calibres",
     ["msmt-totals", "rok-container-estimates", "rajin-dunai-tikhoretsk", "rajin-vostochny-depots"],
     ["122 mm", "152 mm"], False),
    ("about 9 million rounds in 2024", ["msmt-totals"], ["about 9 million rounds", "in 2024"], False),
    ("Russian-flagged ships delivering from March to December 2024", ["ships-mar-dec-2024"],
     ["Russian-flagged", "March to December 2024"], False),
    ("at least 100 ballistic missiles in 2024", ["msmt-missiles"],
     ["at least 100 ballistic missiles", "2024"], False),
    ("Hwasong-11A/11B (KN-23/24)", ["msmt-missiles", "kharkiv-missile-debris", "ukraine-missile-counts"],
     ["Hwasong-11A", "Hwasong-11B", "KN-23/KN-24"], False),
    ("launched at Kyiv, Zaporizhzhia and other cities", ["msmt-missiles", "ukraine-missile-counts"],
     ["Kyiv", "Zaporizhzhia", "other Ukrainian cities"], False),
    ("missile debris identified in Kharkiv, Korean markings, components dated 2024",
     ["kharkiv-missile-debris", "kharkiv-missile-identified"],
     ["Kharkiv", "Korean-script markings", "components dated 2024"], True),
    ("Ukraine's assessment that the missiles' accuracy improved", ["missiles-accuracy-claim"],
     ["accuracy and effectiveness improved"], True),
    ("170 mm self-propelled guns", ["koksan-rail-krasnoyarsk", "msmt-heavy-equipment"],
     ["170 mm self-propelled guns"], False),
    ("240 mm multiple rocket launchers", ["koksan-rail-krasnoyarsk", "msmt-heavy-equipment"],
     ["240 mm multiple rocket launchers"], False),
    ("more than 200 pieces of equipment including support vehicles", ["msmt-heavy-equipment"],
     ["more than 200 pieces", "vehicles for maintenance, reloading and transport"], False),
    ("Bulsae-4 anti-tank missiles and anti-tank grenade launchers",
     ["bulsae4-kharkiv", "msmt-heavy-equipment"], ["Bulsae-4", "anti-tank grenade launchers"], False),
    ("foreign parts bought through intermediaries (not mapped)", ["foreign-parts-not-mapped"],
     ["foreign parts", "intermediaries", "Not mapped"], False),
    ("the monitoring team formed by 11 UN member states", ["msmt-totals"],
     ["Multilateral Sanctions Monitoring Team (MSMT)", "11 UN member states"], False),
    ("short-range air defence, electronic warfare and Pantsir to the DPRK from November 2024",
     ["pantsir-to-dprk"], ["Pantsir", "short-range air", "electronic-warfare", "November 2024"], False),
]


def _covering_item(ref: str) -> tuple[str, set[str], set[str]]:
    """Return the text, sources and confidences of an annotation, transfer or transfer leg."""
    notes = {a["id"]: a for a in BUNDLED["annotations"]}
    transfers = {t["id"]: t for t in BUNDLED["transfers"]}
    if ref in notes:
        note = notes[ref]
        return note["text"], set(note["sources"]), {note["confidence"]}
    tid, _, leg_no = ref.partition("#leg-")
    transfer = transfers[tid]
    legs = [transfer["legs"][int(leg_no) - 1]] if leg_no else transfer["legs"]
    text = " ".join([transfer["label"], transfer.get("cargo", ""), transfer.get("note", "")]
                    + [leg.get("note", "") for leg in legs])
    sources = set(transfer["sources"]).union(*(leg.get("sources") or [] for leg in legs))
    grades = {transfer["confidence"]} | {leg["confidence"] for leg in legs if "confidence" in leg}
    return " ".join(text.split()), sources, grades


@pytest.mark.parametrize("claim,refs,phrases,by_a_party", SEED_CLAIMS, ids=[c[0] for c in SEED_CLAIMS])
def test_each_seed_claim_is_covered_with_sources(claim, refs, phrases, by_a_party):
    defined = {s["id"] for s in BUNDLED["sources"]}
    items = [_covering_item(ref) for ref in refs]
    for ref, (_, sources, _) in zip(refs, items, strict=True):
        assert sources and sources <= defined, ref
    text = " ".join(t for t, _, _ in items)
    assert [p for p in phrases if p not in text] == [], claim
    assert any(SEED in sources for _, sources, _ in items), f"{claim}: cite the seed article too"
    if by_a_party:
        assert any("claimed" in grades for _, _, grades in items), f"{claim}: a party's claim"


def test_the_seed_article_is_cited_as_of_unknown_publisher():
    seed = {s["id"]: s for s in BUNDLED["sources"]}[SEED]
    assert "unknown publisher" in _english(seed["publisher"]).lower()
    assert "url" not in seed and "date" not in seed


def test_a_claim_only_the_seed_makes_says_so():
    for note in BUNDLED["annotations"]:
        if note["sources"] == [SEED]:
            assert "seed article" in note["text"], note["id"]


def test_the_monitoring_team_is_named_in_full_exactly_once():
    texts = [a["text"] for a in BUNDLED["annotations"]] + [
        " ".join([t["label"], t.get("note", ""), t.get("cargo", "")]) for t in BUNDLED["transfers"]]
    spelled = [t for t in texts if "Multilateral Sanctions Monitoring Team" in " ".join(t.split())]
    assert len(spelled) == 1


# --- titles say only what the sources say -------------------------------------------------------


def test_transfer_2_is_not_titled_as_a_link_to_yegorlykskaya():
    transfer = {t["id"]: t for t in BUNDLED["transfers"]}["rajin-vostochny-depots"]
    assert "link inferred" in transfer["label"] and "such as Yegorlykskaya" in transfer["label"]
    rail = transfer["legs"][-1]
    assert rail["to"] == "yegorlykskaya-depot" and "16 sites" in rail["note"]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_labels_fit_a_slide_title(name):
    """A transfer's label is its slide's title: past about 95 characters the slide cuts it short."""
    assert [t["id"] for t in SCENARIOS[name]["transfers"] if len(t["label"]) > 95] == []


# The title of each transfer with an inferred end or cargo, and the words in which it says so.
INFERRED_TITLES = {
    "rajin-vostochny-depots": "link inferred",
    "rail-to-mozdok": "port not reported",
    "troops-sea-dunai": "embarkation port assumed",
    "koksan-rail-krasnoyarsk": "entry assumed",
    "pantsir-to-dprk": "ROUTE ESTIMATED",
    "tumangang-khasan-surge-2023": "suspected",
}


@pytest.mark.parametrize("tid,phrase", sorted(INFERRED_TITLES.items()))
def test_titles_with_an_inferred_endpoint_say_so(tid, phrase):
    assert phrase in {t["id"]: t for t in BUNDLED["transfers"]}[tid]["label"]


# --- quantities as claims, inferred ends, corridors ------------------------------------------------


def _english(text: str | dict) -> str:
    """Return a text as written in the file: a plain string, or a mapping's English."""
    return text["en"] if isinstance(text, dict) else text


def _quantities(transfer: dict) -> list[dict]:
    """Return a transfer's quantity claims as written, their texts in English (``unit`` and
    ``basis`` may be mappings by language)."""
    q = transfer.get("quantity")
    claims = [] if q is None else q if isinstance(q, list) else [q]
    return [{k: v["en"] if isinstance(v, dict) and "en" in v else v for k, v in c.items()}
            for c in claims]


def test_quantities_keep_their_qualifier_window_and_source():
    by_id = {t["id"]: t for t in BUNDLED["transfers"]}
    white_house = _quantities(by_id["rajin-dunai-tikhoretsk"])
    assert white_house == [{"value": 1000, "unit": "containers", "qualifier": "more than",
                            "basis": "whole flow",
                            "window": {"start": dt.date(2023, 9, 7), "end": dt.date(2023, 10, 13)},
                            "source": "yonhap-wh-2023-10-14"}]
    for transfer in BUNDLED["transfers"]:
        for q in _quantities(transfer):
            assert q.get("source") and q.get("basis"), transfer["id"]


def test_transfer_2_gives_the_whole_flow_counts_that_disagree_and_says_what_one_ship_carried():
    """Issue 13: the 2,000 counts Maia-1 alone; the counts of the whole flow are 10,000-20,000."""
    transfer = {t["id"]: t for t in BUNDLED["transfers"]}["rajin-vostochny-depots"]
    counts = _quantities(transfer)
    by_value = {q["value"]: q for q in counts}
    assert sorted(by_value) == [10000, 16000, 20000]
    assert {q["basis"] for q in counts} == {"all ships and both ports"}
    assert len({q["source"] for q in counts}) == len(counts)
    assert by_value[10000]["qualifier"] == by_value[20000]["qualifier"] == "more than"
    assert "Maia-1 alone carried about 2,000 containers" in " ".join(transfer["note"].split())


# The leg ends that are the analyst's choice, not a source's.
ASSUMED_ENDS = {
    ("rajin-vostochny-depots", 1): ["to"],
    ("rail-to-mozdok", 0): ["from"],
    ("koksan-rail-krasnoyarsk", 0): ["from"],
    ("troops-sea-dunai", 0): ["from"],
    ("pantsir-to-dprk", 0): ["from", "to"],
}


def test_inferred_leg_ends_are_marked_assumed_and_no_others():
    marked = {(t["id"], i): leg["assumed"] for t, i, leg in _legs(BUNDLED) if "assumed" in leg}
    assert marked == ASSUMED_ENDS
    assert {tid for tid, _ in marked} <= set(INFERRED_TITLES), "the title must say what is assumed"


def test_only_a_line_a_source_names_is_a_corridor():
    """The bridge crossing is named by CSIS; the cross-Russia rail corridors stay estimated."""
    defined = {s["id"] for s in BUNDLED["sources"]}
    with_corridor = []
    for transfer, i, leg in _legs(BUNDLED):
        assert leg.get("path_confidence", "estimated") == "estimated" or "corridor" in leg or "path" in leg
        if "corridor" in leg:
            with_corridor.append(transfer["id"])
            assert leg["corridor"]["sources"] and set(leg["corridor"]["sources"]) <= defined
            assert "friendship-bridge" in leg.get("via", []), (transfer["id"], i)
        if leg["mode"] == "rail" and len(leg.get("via", [])) > 5:
            assert "corridor" not in leg and "path" not in leg, (transfer["id"], i)
    assert sorted(with_corridor) == ["tumangang-khasan-surge-2023", "tumangang-khasan-wagner-2022"]


# --- through the loader -------------------------------------------------------------------------------


def test_the_package_ships_these_files():
    assert bundled_scenario_path().resolve() == SCENARIO_FILE.resolve()
    assert curated_path().resolve() == PLACES_FILE.resolve()


def test_curated_file_loads_through_the_gazetteer_reader():
    places, sources, _ = read_curated(PLACES_FILE)
    assert len(places) == len(CURATED["places"]) and len(sources) == len(CURATED["sources"])
    assert all(p.origin == "builtin" for p in places)


@pytest.mark.parametrize("path", [SCENARIO_FILE, TUTORIAL_FILE], ids=["bundled", "tutorial"])
def test_scenario_loads_through_load_scenario(path):
    scenario = load_scenario(path)
    doc = _load(path)
    assert len(scenario.transfers) == len(doc["transfers"])
    assert len(scenario.annotations) == len(doc.get("annotations") or [])
    cited = {sid for t in scenario.transfers for sid in t.sources}
    assert cited <= {s.id for s in scenario.sources}


def test_tutorial_uses_every_kind_of_place_reference():
    scenario = load_scenario(TUTORIAL_FILE)
    refs = [ref for _, ref in _refs(TUTORIAL)]
    assert any(isinstance(r, dict) for r in refs)                      # inline coordinates
    assert any(isinstance(r, str) and LOCODE.match(r) for r in refs)    # UN/LOCODE
    assert any(isinstance(r, str) and r in CURATED_PLACES for r in refs)  # id
    assert "Tikhoretsk" in refs                                          # name
    assert {t.confidence for t in scenario.transfers} | {leg.confidence for t in scenario.transfers
                                                         for leg in t.legs if leg.confidence} \
        | {a.confidence for a in scenario.annotations} == set(CONFIDENCES)


def test_tutorial_shows_both_certainties_assumed_ends_corridors_and_quantity_claims():
    legs = [leg for _, _, leg in _legs(TUTORIAL)]
    assert any(leg.get("path_confidence") == "estimated" for leg in legs)
    assert any(leg.get("assumed") for leg in legs)
    assert any("corridor" in leg and "path" in leg for leg in legs)
    quantities = [t["quantity"] for t in TUTORIAL["transfers"] if "quantity" in t]
    assert any({"basis", "window", "source"} <= set(q) for q in quantities)
    scenario = load_scenario(TUTORIAL_FILE)
    assert any(leg.destination_assumed for t in scenario.transfers for leg in t.legs)


@pytest.mark.network_data
def test_bundled_scenario_routes_on_the_real_networks():
    from routemap.routes.builder import build

    routeset = build(load_scenario(SCENARIO_FILE))
    assert len(routeset.legs) == sum(len(t["legs"]) for t in BUNDLED["transfers"])
    by_code: dict[str, list] = {}
    for f in routeset.findings:
        by_code.setdefault(f.code, []).append(f)
    assert all(f.value == pytest.approx(0.0, abs=0.5) for f in by_code.get("km_outside_within", []))
    assert all(f.value < 5.0 for f in by_code.get("km_over_land", []))
    unexpected = [str(f) for f in routeset.findings if f.level == "warning" and f.code != "snap_distance"]
    assert unexpected == []
    first = routeset.legs[routeset.legs["transfer_id"] == "rajin-dunai-tikhoretsk"]
    assert 9_000 < first["distance_km"].max() < 11_000
