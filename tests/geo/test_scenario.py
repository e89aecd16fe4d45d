"""The scenario loader: every SCENARIO.md rule, each broken file with its exact message."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.errors import ScenarioError
from routemap.geo.model import Corridor, Period, Quantity
from routemap.geo.scenario import load_scenario, parse_scenario

VALID = """\
version: 1
title: Reported ammunition transfers, DPRK to Russia
as_of: 2025-06-01
sources:
  - id: wh-2023-10
    title: Press briefing with imagery of container transfers
    publisher: The White House
    date: 2023-10-13
    url: https://www.whitehouse.gov/briefing-room/
  - id: rusi-2023
    title: Arms shipments by sea
    publisher: RUSI
places:
  - id: dunai
    name: Dunai naval port
    kind: port
    country: RU
    lat: 42.880
    lon: 132.338
    sources: [wh-2023-10]
transfers:
  - id: najin-dunai-tikhoretsk
    label: Containers by sea to Dunai, then by rail to Tikhoretsk
    cargo: artillery ammunition
    quantity: {value: 300, unit: containers}
    period: {start: 2023-09-07, end: 2023-10-01}
    confidence: confirmed
    sources: [wh-2023-10]
    legs:
      - {mode: sea, from: KPNJN, to: dunai, carrier: Angara}
      - {mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}
annotations:
  - id: containers
    text: About 300 containers at the pier
    at: Najin
    date: 2023-09-08
    transfer: najin-dunai-tikhoretsk
    confidence: confirmed
    sources: [wh-2023-10, rusi-2023]
"""


def _load(text: str, gazetteer):
    return parse_scenario(text.encode("utf-8"), "s.yaml", gazetteer=gazetteer)


def _messages(text: str, gazetteer) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        _load(text, gazetteer)
    return info.value.messages()


def test_valid_scenario_resolves_every_reference(small_gazetteer):
    s = _load(VALID, small_gazetteer)
    assert s.title.startswith("Reported ammunition")
    assert s.as_of == dt.date(2025, 6, 1)
    t = s.transfers[0]
    assert [leg.mode for leg in t.legs] == ["sea", "rail"]
    assert t.legs[0].origin.id == "rajin"  # UN/LOCODE: curated layer before the port list
    assert t.legs[1].destination.id == "tikhoretsk-depot"  # alias in the curated layer wins
    assert t.legs[1].via[0].id == "khabarovsk"
    assert t.legs[1].within == ("RU",)
    assert t.quantity.value == 300 and t.quantity.unit == "containers"
    assert s.annotations[0].period.start == s.annotations[0].period.end == dt.date(2023, 9, 8)
    assert [p.id for p in s.places] == ["dunai", "rajin", "khabarovsk", "tikhoretsk-depot"]
    # curated places bring their own sources along
    assert [src.id for src in s.sources] == ["wh-2023-10", "rusi-2023", "wh"]
    assert len(s.sha256) == 64


def test_passed_over_names_are_listed(small_gazetteer):
    s = _load(VALID, small_gazetteer)
    assert any("Tikhoretsk" in line and "geonames" in line for line in s.passed_over)


def test_scenario_place_overrides_builtin_with_same_id(small_gazetteer):
    text = VALID.replace("  - id: dunai\n", "  - id: khabarovsk\n    aliases: [Khab]\n").replace(
        "to: dunai", "to: khabarovsk").replace("from: dunai", "from: khabarovsk").replace(
        "via: [khabarovsk], ", "")
    s = _load(text, small_gazetteer)
    assert s.transfers[0].legs[0].destination.name == "Dunai naval port"
    assert s.transfers[0].legs[0].destination.origin == "scenario"


@pytest.mark.parametrize("ref, expected_id", [
    ("rajin", "rajin"),                      # id
    ("KPNJN", "rajin"),                      # UN/LOCODE, curated first
    ("RUVYP", "port-ruvyp"),                 # UN/LOCODE from the port list
    ("Najin", "rajin"),                      # alias
    ("RAJIN (najin) PORT", "rajin"),         # case and punctuation
    ("Moscow", "geonames-1"),                # dominant by population
    ("Москва", "geonames-1"),                # other scripts
    ("Zurich", "geonames-6"),                # diacritics ignored
    ("Vostochny", "port-ruvyp"),             # name in the port list
])
def test_place_reference_rules(small_gazetteer, ref, expected_id):
    assert small_gazetteer.resolve(ref).place.id == expected_id


def test_inline_coordinates(small_gazetteer):
    text = VALID.replace("to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "to: {lat: 45.85, lon: 40.13}}")
    s = _load(text, small_gazetteer)
    leg = s.transfers[0].legs[1]
    assert leg.destination.origin == "coordinates"
    assert leg.destination.country == "RU"
    assert leg.destination.lat == pytest.approx(45.85)


def test_path_and_avoid_and_leg_overrides(small_gazetteer):
    text = VALID.replace(
        "{mode: sea, from: KPNJN, to: dunai, carrier: Angara}",
        "{mode: sea, from: KPNJN, to: dunai, avoid: [Suez], confidence: reported, sources: [rusi-2023],"
        " period: {start: 2023-09-08, end: 2023-09-12}, path: [{lat: 42.5, lon: 131.0}]}")
    s = _load(text, small_gazetteer)
    leg = s.transfers[0].legs[0]
    assert leg.avoid == ("suez",)
    assert leg.path == ((42.5, 131.0),)
    assert s.leg_confidence(s.transfers[0], leg) == "reported"
    assert s.leg_sources(s.transfers[0], leg) == ("wh-2023-10", "rusi-2023")
    assert s.leg_period(s.transfers[0], leg).end == dt.date(2023, 9, 12)


def test_norway_stays_a_country_code(small_gazetteer):
    text = VALID.replace("country: RU", "country: NO")
    assert _load(text, small_gazetteer).places[0].country == "NO"


def test_bom_is_accepted(small_gazetteer):
    s = parse_scenario(b"\xef\xbb\xbf" + VALID.encode(), "bom.yaml", gazetteer=small_gazetteer)
    assert s.title


# Each case: (what to replace, replacement, the expected message lines, exactly).
BROKEN = [
    ("version: 1", "version: 2", ["error: s.yaml:1: version: unsupported version 2; this tool reads version 1"]),
    ("version: 1", "version: one", ["error: s.yaml:1: version: expected an integer, found 'one'"]),
    ("version: 1\n", "", ["error: s.yaml:1: version: missing required key"]),
    ("title: Reported ammunition transfers, DPRK to Russia\n", "", ["error: s.yaml:1: title: missing required key"]),
    ("title: Reported ammunition transfers, DPRK to Russia", "title: ''", ["error: s.yaml:2: title: expected text, found an empty string"]),
    ("title: Reported ammunition transfers, DPRK to Russia", "title: [a, b]", ["error: s.yaml:2: title: expected text, found a list"]),
    ("as_of: 2025-06-01", "as_of: 2025-13-01", ["error: s.yaml:3: as_of: invalid date '2025-13-01': month must be in 1..12"]),
    ("as_of: 2025-06-01", "as_of: June 2025", ["error: s.yaml:3: as_of: expected a date YYYY-MM-DD, found 'June 2025'"]),
    ("as_of: 2025-06-01", "as_of: 2025-06-01 10:00:00", ["error: s.yaml:3: as_of: expected a date YYYY-MM-DD, found a date and time (2025-06-01 10:00:00)"]),
    ("as_of: 2025-06-01", "as_of: 2025-06-01\ncolour: red", ["error: s.yaml:4: colour: unknown key 'colour'"]),
    ("    url: https://www.whitehouse.gov/briefing-room/", "    url: javascript:alert(1)", ["error: s.yaml:9: sources[0].url: 'javascript:alert(1)' is not an http or https URL"]),
    ("    url: https://www.whitehouse.gov/briefing-room/", "    url: ftp://example.org/x", ["error: s.yaml:9: sources[0].url: 'ftp://example.org/x' is not an http or https URL"]),
    ("    publisher: The White House\n", "", ["error: s.yaml:5: sources[0].publisher: missing required key"]),
    ("  - id: rusi-2023", "  - id: wh-2023-10", ["error: s.yaml:10: sources[1].id: duplicate id 'wh-2023-10' (first at sources[0])",
                                                 "error: s.yaml:39: annotations[0].sources[1]: unknown source id 'rusi-2023'"]),
    ("  - id: rusi-2023", "  - id: RUSI 2023", ["error: s.yaml:10: sources[1].id: 'RUSI 2023' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)",
                                                "error: s.yaml:39: annotations[0].sources[1]: unknown source id 'rusi-2023'"]),
    ("    date: 2023-10-13", "    date: 13/10/2023", ["error: s.yaml:8: sources[0].date: expected a date YYYY-MM-DD, found '13/10/2023'"]),
    ("    lat: 42.880", "    lat: 95", ["error: s.yaml:18: places[0].lat: expected a number in [-90, 90], found 95"]),
    ("    lon: 132.338", "    lon: -181", ["error: s.yaml:19: places[0].lon: expected a number in [-180, 180], found -181"]),
    ("    lat: 42.880", "    lat: '42.88'", ["error: s.yaml:18: places[0].lat: expected a number, found '42.88'"]),
    ("    lat: 42.880", "    lat: .nan", ["error: s.yaml:18: places[0].lat: expected a finite number, found .nan"]),
    ("    kind: port", "    kind: harbour", ["error: s.yaml:16: places[0].kind: 'harbour' is not one of port, rail_station, rail_junction, depot, airfield, border_crossing, city, other"]),
    ("    country: RU", "    country: RUS", ["error: s.yaml:17: places[0].country: 'RUS' is not an ISO 3166-1 alpha-2 country code"]),
    ("    country: RU", "    country: ru", ["error: s.yaml:17: places[0].country: 'ru' is not an ISO 3166-1 alpha-2 country code (did you mean 'RU'?)"]),
    ("    sources: [wh-2023-10]\ntransfers", "    sources: [wh-2023-1O]\ntransfers", ["error: s.yaml:20: places[0].sources[0]: 'wh-2023-1O' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)"]),
    ("    sources: [wh-2023-10]\ntransfers", "    sources: [wh-2023]\ntransfers", ["error: s.yaml:20: places[0].sources[0]: unknown source id 'wh-2023' (did you mean 'wh-2023-10'?)"]),
    ("    sources: [wh-2023-10]\ntransfers", "    uncertainty_km: -1\n    sources: [wh-2023-10]\ntransfers", ["error: s.yaml:20: places[0].uncertainty_km: expected a number >= 0, found -1"]),
    ("    sources: [wh-2023-10]\ntransfers", "    confidence: certain\n    sources: [wh-2023-10]\ntransfers", ["error: s.yaml:20: places[0].confidence: 'certain' is not one of confirmed, reported, claimed, estimated"]),
    ("    period: {start: 2023-09-07, end: 2023-10-01}", "    period: {start: 2023-10-07, end: 2023-10-01}", ["error: s.yaml:26: transfers[0].period.end: end 2023-10-01 is before start 2023-10-07"]),
    ("    period: {start: 2023-09-07, end: 2023-10-01}", "    period: {start: 2023-09-07}", ["error: s.yaml:26: transfers[0].period.end: missing required key"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: -3, unit: containers}", ["error: s.yaml:25: transfers[0].quantity.value: expected a number >= 0, found -3"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: 300", ["error: s.yaml:25: transfers[0].quantity: expected a mapping, found a number (300)"]),
    ("    confidence: confirmed\n    sources: [wh-2023-10]\n    legs", "    confidence: sure\n    sources: [wh-2023-10]\n    legs", ["error: s.yaml:27: transfers[0].confidence: 'sure' is not one of confirmed, reported, claimed, estimated"]),
    ("    confidence: confirmed\n    sources: [wh-2023-10]\n    legs", "    confidence: confirmed\n    sources: []\n    legs", ["error: s.yaml:28: transfers[0].sources: expected at least 1 item(s), found 0"]),
    ("    confidence: confirmed\n    sources: [wh-2023-10]\n    legs", "    confidence: confirmed\n    legs", ["error: s.yaml:22: transfers[0].sources: missing required key"]),
    ("  - id: najin-dunai-tikhoretsk", "  - id: Najin_Dunai", ["error: s.yaml:22: transfers[0].id: 'Najin_Dunai' is not a valid id (lowercase letters, digits and '-', starting with a letter or digit)",
                                                          "error: s.yaml:37: annotations[0].transfer: unknown transfer id 'najin-dunai-tikhoretsk'"]),
    ("{mode: sea, from: KPNJN", "{mode: ship, from: KPNJN", ["error: s.yaml:30: transfers[0].legs[0].mode: 'ship' is not one of sea, rail, road, air"]),
    ("{mode: sea, from: KPNJN, to: dunai, carrier: Angara}", "{mode: sea, to: dunai}", ["error: s.yaml:30: transfers[0].legs[0].from: missing required key"]),
    ("to: Tikhoretsk,", "to: Tikhoretks,", ["error: s.yaml:31: transfers[0].legs[1].to: unknown place 'Tikhoretks' (did you mean 'Tikhoretsk'?)"]),
    ("to: Tikhoretsk,", "to: Springfield,", ["error: s.yaml:31: transfers[0].legs[1].to: place 'Springfield' is ambiguous: Springfield (city, US, 37.2000, -93.3000, id geonames-3); Springfield (city, US, 39.8000, -89.6400, id geonames-4); use an id, a UN/LOCODE or coordinates"]),
    ("to: Tikhoretsk,", "to: Twin Harbour,", ["error: s.yaml:31: transfers[0].legs[1].to: place 'Twin Harbour' is ambiguous: Twin Harbour (port, US, 40.0000, -70.0000, id port-xxa); Twin Harbour (port, CA, 45.0000, -60.0000, id port-xxb); use an id, a UN/LOCODE or coordinates"]),
    ("{mode: rail, from: dunai", "{mode: rail, from: KPNJN", ["error: s.yaml:31: transfers[0].legs[1].from: legs do not chain: the previous leg ends at 'Dunai naval port' but this one starts at 'Rajin (Najin) port'"]),
    ("within: [RU]", "within: [Russia]", ["error: s.yaml:31: transfers[0].legs[1].within[0]: 'Russia' is not an ISO 3166-1 alpha-2 country code"]),
    ("within: [RU]", "within: []", ["error: s.yaml:31: transfers[0].legs[1].within: expected at least 1 item(s), found 0"]),
    ("carrier: Angara}", "carrier: Angara, within: [RU]}", ["error: s.yaml:30: transfers[0].legs[0].within: 'within' applies to rail and road legs, not sea"]),
    ("carrier: Angara}", "carrier: Angara, avoid: [suezz]}", ["error: s.yaml:30: transfers[0].legs[0].avoid[0]: unknown sea passage 'suezz' (did you mean 'suez'?); known: bab-el-mandeb, bering, bosporus, cape-horn, cape-of-good-hope, dardanelles, gibraltar, hormuz, malacca, northern-sea-route, northwest, panama, suez, sunda, volga-don"]),
    ("carrier: Angara}", "carrier: Angara, path: [{lat: 42.5}]}", ["error: s.yaml:30: transfers[0].legs[0].path[0].lon: missing required key"]),
    ("carrier: Angara}", "carrier: Angara, path: []}", ["error: s.yaml:30: transfers[0].legs[0].path: expected at least 1 item(s), found 0"]),
    ("carrier: Angara}", "carrier: Angara, speed: 12}", ["error: s.yaml:30: transfers[0].legs[0].speed: unknown key 'speed'"]),
    ("      - {mode: sea, from: KPNJN, to: dunai, carrier: Angara}\n      - {mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}\n", "      {mode: sea}\n", ["error: s.yaml:30: transfers[0].legs: expected a list, found a mapping"]),
    ("    legs:\n      - {mode: sea, from: KPNJN, to: dunai, carrier: Angara}\n      - {mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}\n", "    legs: []\n", ["error: s.yaml:29: transfers[0].legs: expected at least 1 item(s), found 0"]),
    ("    at: Najin", "    at: Atlantis", ["error: s.yaml:35: annotations[0].at: unknown place 'Atlantis'"]),
    ("    transfer: najin-dunai-tikhoretsk", "    transfer: najin-dunai", ["error: s.yaml:37: annotations[0].transfer: unknown transfer id 'najin-dunai' (did you mean 'najin-dunai-tikhoretsk'?)"]),
    ("    date: 2023-09-08", "    date: 2023-09-08\n    period: {start: 2023-09-07, end: 2023-09-08}", ["error: s.yaml:37: annotations[0].period: give 'date' or 'period', not both"]),
    ("    text: About 300 containers at the pier\n", "", ["error: s.yaml:33: annotations[0].text: missing required key"]),
    ("sources:\n  - id: wh", "sources:\n  - id: wh\n  - id: wh", ["error: s.yaml:5: sources[0].title: missing required key",
                                                           "error: s.yaml:5: sources[0].publisher: missing required key"]),
    # quantities as claims
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, qualifier: approximately}", ["error: s.yaml:25: transfers[0].quantity.qualifier: 'approximately' is not one of about, at least, more than, up to"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, qualifier: at lest}", ["error: s.yaml:25: transfers[0].quantity.qualifier: 'at lest' is not one of about, at least, more than, up to (did you mean 'at least'?)"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, max: 200}", ["error: s.yaml:25: transfers[0].quantity.max: max 200 is below value 300 (max is the upper end of a range)"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, window: {start: 2023-10-01, end: 2023-09-01}}", ["error: s.yaml:25: transfers[0].quantity.window.end: end 2023-09-01 is before start 2023-10-01"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, source: rusi}", ["error: s.yaml:25: transfers[0].quantity.source: unknown source id 'rusi' (did you mean 'rusi-2023'?)"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: {value: 300, unit: containers, basis: ''}", ["error: s.yaml:25: transfers[0].quantity.basis: expected text, found an empty string"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity:\n      - {value: 300, unit: containers, source: wh-2023-10}\n      - {value: 900, unit: containers}", ["error: s.yaml:27: transfers[0].quantity[1].source: missing required key"]),
    ("    quantity: {value: 300, unit: containers}", "    quantity: []", ["error: s.yaml:25: transfers[0].quantity: expected at least 1 item(s), found 0"]),
    # two certainties, corridors and assumed ends
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, path_confidence: reported}", ["error: s.yaml:31: transfers[0].legs[1].path_confidence: the leg (rail, Dunai naval port -> Tikhoretsk ammunition depot) is marked 'reported' but has neither a 'path' nor a 'corridor' with sources; give the path or corridor a source reports, or write 'estimated'"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], path_confidence: reported}", ["error: s.yaml:31: transfers[0].legs[1].path_confidence: the leg (rail, Dunai naval port -> Tikhoretsk ammunition depot) is marked 'reported' but has neither a 'path' nor a 'corridor' with sources; give the path or corridor a source reports, or write 'estimated'"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, path_confidence: modelled}", ["error: s.yaml:31: transfers[0].legs[1].path_confidence: 'modelled' is not one of reported, estimated"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, corridor: {name: Trans-Siberian Railway}}", ["error: s.yaml:31: transfers[0].legs[1].corridor.sources: missing required key"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, corridor: {name: Trans-Siberian Railway, sources: []}}", ["error: s.yaml:31: transfers[0].legs[1].corridor.sources: expected at least 1 item(s), found 0"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, corridor: {name: Trans-Siberian Railway, sources: [rusi]}}", ["error: s.yaml:31: transfers[0].legs[1].corridor.sources[0]: unknown source id 'rusi' (did you mean 'rusi-2023'?)"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, corridor: Trans-Siberian}", ["error: s.yaml:31: transfers[0].legs[1].corridor: expected a mapping, found 'Trans-Siberian'"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, assumed: [origin]}", ["error: s.yaml:31: transfers[0].legs[1].assumed[0]: 'origin' is not a leg end: write 'from' (the origin is assumed) or 'to' (the destination is assumed)"]),
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", "{mode: rail, from: dunai, to: Tikhoretsk, assumed: to}", ["error: s.yaml:31: transfers[0].legs[1].assumed: expected a list, found 'to'"]),
    ("as_of: 2025-06-01", "as_of: 2025-06-01\nas_of: 2025-06-02", ["error: s.yaml:4: duplicate key 'as_of' (first at line 3)"]),
    ("as_of: 2025-06-01", "as_of: [2025-06-01", ["error: s.yaml:4: YAML syntax error: a '[' list is not closed by ']' (or an item lacks its ',') (the '[' list starts at line 3)"]),
]


@pytest.mark.parametrize("old, new, expected", BROKEN, ids=[f"{i:02d}-{c[1][:24]}" for i, c in enumerate(BROKEN)])
def test_broken_scenarios_give_exact_messages(small_gazetteer, old, new, expected):
    assert old in VALID, "the test case no longer matches the valid scenario"
    assert _messages(VALID.replace(old, new, 1), small_gazetteer) == expected


def test_every_problem_is_reported_not_only_the_first(small_gazetteer):
    text = (VALID.replace("    lat: 42.880", "    lat: 95")
            .replace("title: Reported ammunition transfers, DPRK to Russia", "title: ''")
            .replace("to: Tikhoretsk,", "to: Tikhoretks,"))
    messages = _messages(text, small_gazetteer)
    assert len(messages) == 3
    assert [m.split(":")[2] for m in messages] == ["2", "18", "31"]


@pytest.mark.parametrize("data, expected", [
    (b"", "error: e.yaml: empty document, expected a scenario mapping"),
    (b"\xef\xbb\xbf", "error: e.yaml: empty document, expected a scenario mapping"),
    (b"- a\n- b\n", "error: e.yaml:1: expected a mapping, found a list"),
    (b"title: \xff\xfe\n", "error: e.yaml:1: not UTF-8 text (byte 0xff at offset 7); save the file as UTF-8"),
    (b"\x00\x01\x02binary", "error: e.yaml:1: binary data (NUL byte), expected YAML text"),
    (b"a: [" * 200 + b"]" * 200, "error: e.yaml:1: YAML nesting deeper than 64 levels"),
])
def test_unreadable_documents(small_gazetteer, data, expected):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(data, "e.yaml", gazetteer=small_gazetteer)
    assert info.value.messages()[0] == expected


def test_alias_bomb_is_refused_quickly(small_gazetteer):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(ScenarioError) as info:
        parse_scenario("\n".join(lines).encode(), "bomb.yaml", gazetteer=small_gazetteer)
    assert "expands to more than 200,000 values" in info.value.messages()[0]


def test_file_errors(tmp_path, small_gazetteer):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "missing.yaml", gazetteer=small_gazetteer)
    assert info.value.messages()[0].startswith(f"error: {tmp_path / 'missing.yaml'}: cannot read file")
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.seek(9 * 1024 * 1024)
        fh.write(b"\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(big, gazetteer=small_gazetteer)
    assert "the limit is 8,388,608" in info.value.messages()[0]


def test_error_is_also_a_value_error(small_gazetteer):
    with pytest.raises(ValueError):
        _load("version: 1", small_gazetteer)


# --- two certainties, assumed ends, quantities as claims -------------------------------------


def test_version_1_files_keep_their_meaning(small_gazetteer):
    """No new key given: one plain quantity, routed legs estimated, no end assumed."""
    s = _load(VALID, small_gazetteer)
    t = s.transfers[0]
    assert t.quantity == Quantity(300, "containers")
    assert t.quantities == () and t.quantity_claims == (t.quantity,) and not t.quantities_disagree
    assert [s.leg_path_confidence(t, leg) for leg in t.legs] == ["estimated", "estimated"]
    assert [(leg.origin_assumed, leg.destination_assumed) for leg in t.legs] == [(False, False)] * 2
    assert all(leg.corridor is None for leg in t.legs)


@pytest.mark.parametrize("leg, expected", [
    ("{mode: rail, from: dunai, to: Tikhoretsk}", "estimated"),                 # routed: a model
    ("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk]}", "estimated"),  # a sourced via is not a corridor
    ("{mode: rail, from: dunai, to: Tikhoretsk, path: [{lat: 43, lon: 132}, {lat: 46, lon: 40}]}", "reported"),
    ("{mode: rail, from: dunai, to: Tikhoretsk, corridor: {name: Trans-Siberian Railway, sources: [rusi-2023]}}", "reported"),
    ("{mode: rail, from: dunai, to: Tikhoretsk, corridor: {name: Trans-Siberian Railway, sources: [rusi-2023]}, path_confidence: estimated}", "estimated"),
    ("{mode: rail, from: dunai, to: Tikhoretsk, path: [{lat: 43, lon: 132}, {lat: 46, lon: 40}], path_confidence: estimated}", "estimated"),
])
def test_path_confidence_defaults_and_overrides(small_gazetteer, leg, expected):
    text = VALID.replace("{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}", leg)
    s = _load(text, small_gazetteer)
    t = s.transfers[0]
    assert s.leg_path_confidence(t, t.legs[1]) == expected
    assert s.leg_path_confidence(t, t.legs[0]) == "estimated"  # a sea leg on the lanes


def test_corridor_and_assumed_ends_are_read(small_gazetteer):
    text = VALID.replace(
        "{mode: rail, from: dunai, to: Tikhoretsk, via: [khabarovsk], within: [RU]}",
        "{mode: rail, from: dunai, to: Tikhoretsk, assumed: [to, from, to],"
        " corridor: {name: Trans-Siberian Railway, sources: [rusi-2023]}}")
    s = _load(text, small_gazetteer)
    t = s.transfers[0]
    leg = t.legs[1]
    assert leg.corridor == Corridor("Trans-Siberian Railway", ("rusi-2023",))
    assert leg.assumed == ("to", "from")
    assert leg.origin_assumed and leg.destination_assumed
    # the source naming the corridor is one the leg rests on
    assert s.leg_sources(t, leg) == ("wh-2023-10", "rusi-2023")
    assert s.leg_sources(t, t.legs[0]) == ("wh-2023-10",)


def test_quantity_claim_keeps_qualifier_range_basis_window_and_source(small_gazetteer):
    text = VALID.replace(
        "    quantity: {value: 300, unit: containers}",
        "    quantity: {value: 1000, unit: containers, qualifier: more than, max: 1500,\n"
        "               basis: one voyage, window: {start: 2023-09-07, end: 2023-09-08},"
        " source: rusi-2023}")
    s = _load(text, small_gazetteer)
    t = s.transfers[0]
    assert t.quantity == Quantity(1000, "containers", "more than", 1500, "one voyage",
                                  Period(dt.date(2023, 9, 7), dt.date(2023, 9, 8)), "rusi-2023")
    assert t.quantity.is_range and t.quantity.window.days == 2
    assert s.leg_sources(t, t.legs[0]) == ("wh-2023-10", "rusi-2023")


def test_disagreeing_quantities_are_all_kept_in_file_order(small_gazetteer):
    text = VALID.replace(
        "    quantity: {value: 300, unit: containers}",
        "    quantity:\n"
        "      - {value: 20000, unit: containers, basis: whole flow, source: rusi-2023}\n"
        "      - {value: 10000, unit: containers, basis: whole flow, source: wh-2023-10}")
    t = _load(text, small_gazetteer).transfers[0]
    assert t.quantity is None  # nobody picks one silently
    assert [(q.value, q.source) for q in t.quantity_claims] == [(20000, "rusi-2023"), (10000, "wh-2023-10")]
    assert t.quantities_disagree


def test_a_list_of_one_quantity_is_the_quantity(small_gazetteer):
    text = VALID.replace("    quantity: {value: 300, unit: containers}",
                         "    quantity:\n      - {value: 300, unit: containers}")
    t = _load(text, small_gazetteer).transfers[0]
    assert t.quantity == Quantity(300, "containers") and not t.quantities_disagree
