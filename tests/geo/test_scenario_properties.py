"""Property-based tests of the scenario loader.

Valid scenarios drawn from strategies load and keep their values; one field made invalid is
reported at exactly its key path; any bytes, text or YAML structure either loads or raises
ScenarioError, never anything else.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routemap.errors import ScenarioError
from routemap.geo.coincidence import same_point
from routemap.geo.gazetteer import Gazetteer, Layer, point_place
from routemap.geo.model import CONFIDENCES, PLACE_KINDS
from routemap.geo.scenario import parse_scenario

EMPTY = Gazetteer([Layer("builtin", ())])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,11}", fullmatch=True)
words = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789-,.()'"), min_size=1,
                max_size=40).filter(lambda s: s.strip() == s and s != "")
lats = st.floats(min_value=-90, max_value=90, allow_nan=False)
lons = st.floats(min_value=-180, max_value=180, allow_nan=False)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
countries = st.sampled_from(["RU", "KP", "CN", "US", "NO", "UA", "IR", "BY"])


def _unique(items: list[dict]) -> list[dict]:
    return list({item["id"]: item for item in items}.values())


@st.composite
def periods(draw) -> dict:
    start = draw(dates)
    return {"start": start, "end": start + dt.timedelta(days=draw(st.integers(0, 900)))}


@st.composite
def scenarios(draw) -> dict:
    """A valid scenario as plain data: its own sources and places, legs by id or coordinates."""
    sources = _unique(draw(st.lists(st.fixed_dictionaries(
        {"id": slugs, "title": words, "publisher": words},
        optional={"date": dates, "url": st.sampled_from(["https://example.org/a", "http://x.test/b?c=d"]),
                  "note": words}), min_size=1, max_size=3)))
    source_ids = [s["id"] for s in sources]
    places = _unique(draw(st.lists(st.fixed_dictionaries(
        {"id": slugs, "name": words, "kind": st.sampled_from(PLACE_KINDS), "country": countries,
         "lat": lats, "lon": lons},
        optional={"uncertainty_km": st.floats(0, 500), "confidence": st.sampled_from(CONFIDENCES),
                  "sources": st.lists(st.sampled_from(source_ids), max_size=2)}), min_size=2, max_size=4)))
    stops = st.one_of(st.sampled_from([p["id"] for p in places]),
                      st.fixed_dictionaries({"lat": lats, "lon": lons}))
    transfers = []
    for tid in draw(st.lists(slugs, min_size=1, max_size=3, unique=True)):
        chain = draw(st.lists(stops, min_size=2, max_size=4).filter(lambda c: _moves(c, places)))
        legs = [{"mode": draw(st.sampled_from(["sea", "rail", "road", "air"])), "from": a, "to": b}
                for a, b in itertools.pairwise(chain)]
        transfer = {"id": tid, "label": draw(words), "confidence": draw(st.sampled_from(CONFIDENCES)),
                    "sources": draw(st.lists(st.sampled_from(source_ids), min_size=1, max_size=2)),
                    "legs": legs}
        if draw(st.booleans()):
            transfer["period"] = draw(periods())
        if draw(st.booleans()):
            transfer["quantity"] = {"value": draw(st.floats(0, 1e6)), "unit": draw(words)}
        transfers.append(transfer)
    doc = {"version": 1, "title": draw(words), "sources": sources, "places": places, "transfers": transfers}
    if draw(st.booleans()):
        doc["annotations"] = [{"id": "note-1", "text": draw(words), "at": places[0]["id"],
                               "confidence": "reported", "sources": source_ids[:1],
                               "transfer": transfers[0]["id"], "date": draw(dates)}]
    return doc


def _moves(chain: list, places: list[dict]) -> bool:
    """Return True if every leg of a chain goes somewhere (a leg at one place is an error)."""
    at = {p["id"]: (p["lat"], p["lon"]) for p in places}
    points = [at[s] if isinstance(s, str) else (s["lat"], s["lon"]) for s in chain]
    ids = [s if isinstance(s, str) else point_place(s["lat"], s["lon"]).id for s in chain]
    return all(ia != ib and not same_point(a, b)
               for (ia, a), (ib, b) in itertools.pairwise(zip(ids, points, strict=True)))


def _load(doc: dict):
    data = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()
    return parse_scenario(data, "p.yaml", gazetteer=EMPTY)


@SETTINGS
@given(scenarios())
def test_valid_scenarios_load_and_keep_their_values(doc):
    s = _load(doc)
    assert s.title == doc["title"]
    assert [src.id for src in s.sources] == [src["id"] for src in doc["sources"]]
    assert [t.id for t in s.transfers] == [t["id"] for t in doc["transfers"]]
    places = {p["id"]: p for p in doc["places"]}
    for transfer, raw in zip(s.transfers, doc["transfers"], strict=False):
        assert transfer.confidence == raw["confidence"]
        assert transfer.period == (None if "period" not in raw else
                                   type(transfer.period)(raw["period"]["start"], raw["period"]["end"]))
        for leg, raw_leg in zip(transfer.legs, raw["legs"], strict=True):
            assert leg.mode == raw_leg["mode"]
            for place, ref in ((leg.origin, raw_leg["from"]), (leg.destination, raw_leg["to"])):
                expected = places[ref] if isinstance(ref, str) else ref
                assert place.lat == pytest.approx(expected["lat"])
                assert place.lon == pytest.approx(expected["lon"])
                if isinstance(ref, str):
                    assert (place.id, place.name, place.kind) == (ref, expected["name"], expected["kind"])
    assert len(s.sha256) == 64


def _set(doc: dict, path: tuple, value) -> dict:
    """Return a copy of ``doc`` with the value at ``path`` (keys and indexes) replaced."""
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def _key_path(path: tuple) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


@st.composite
def one_bad_field(draw) -> tuple[dict, str]:
    """A valid scenario with one field made invalid, and that field's key path."""
    doc = draw(scenarios())
    t = draw(st.integers(0, len(doc["transfers"]) - 1))
    p = draw(st.integers(0, len(doc["places"]) - 1))
    leg = draw(st.integers(0, len(doc["transfers"][t]["legs"]) - 1))
    choices = [
        (("version",), draw(st.integers(2, 99))),
        (("title",), draw(st.sampled_from(["", "  ", None, [1, 2], {"a": 1}]))),
        (("sources", 0, "url"), draw(st.sampled_from(["ftp://x.org", "javascript:alert(1)", "x", "https://"]))),
        (("sources", 0, "date"), draw(st.sampled_from(["2023-02-30", "13/10/2023", "soon", 2023]))),
        (("places", p, "lat"), draw(st.one_of(st.floats(90.001, 1e9), st.floats(-1e9, -90.001), st.just("north")))),
        (("places", p, "lon"), draw(st.one_of(st.floats(180.001, 1e9), st.just(float("nan"))))),
        (("places", p, "kind"), draw(st.sampled_from(["harbour", "Port", "", "bunker"]))),
        (("places", p, "country"), draw(st.sampled_from(["RUS", "ru", "XX", "Russia", "1"]))),
        (("transfers", t, "confidence"), draw(st.sampled_from(["sure", "Confirmed", "maybe"]))),
        (("transfers", t, "sources"), []),
        (("transfers", t, "legs", leg, "mode"), draw(st.sampled_from(["ship", "train", "truck", "AIR"]))),
        (("transfers", t, "quantity"), draw(st.sampled_from([-1, "300", {"value": -5, "unit": "t"}]))),
    ]
    path, value = draw(st.sampled_from(choices))
    bad = _set(doc, path, value)
    if path[-1] == "quantity" and isinstance(value, dict):
        path = (*path, "value")
    return bad, _key_path(path)


@SETTINGS
@given(one_bad_field())
def test_one_invalid_field_is_reported_at_its_key_path(case):
    doc, path = case
    with pytest.raises(ScenarioError) as info:
        _load(doc)
    assert [p.path for p in info.value.problems] == [path], info.value.messages()
    assert all(m.startswith("error: p.yaml:") and "\n" not in m for m in info.value.messages())


@SETTINGS
@given(scenarios(), st.data())
def test_any_value_anywhere_loads_or_fails_cleanly(doc, data):
    """Replace one value somewhere in a valid scenario with anything: no crash."""
    path: tuple = ()
    target = doc
    while isinstance(target, (dict, list)) and target and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(target) if isinstance(target, dict) else range(len(target))))
        path, target = (*path, key), target[key]
    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), dates)
    value = data.draw(st.recursive(scalar, lambda inner: st.lists(inner, max_size=3)
                                   | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8))
    mutated = _set(doc, path, value) if path else value
    try:
        _load(mutated)
    except ScenarioError as exc:
        assert exc.problems and all("\n" not in m for m in exc.messages())


@SETTINGS
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_scenario_error(data):
    with pytest.raises(ScenarioError):
        parse_scenario(data, "b.yaml", gazetteer=EMPTY)


@SETTINGS
@given(st.text(st.sampled_from("{}[]:,-?&*!|>'\"#%@` \n\tabvx1.\\\u00e9\u202e\x07"), max_size=300))
def test_arbitrary_yaml_like_text_never_raises_anything_but_scenario_error(text):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text.encode("utf-8", "surrogatepass"), "t.yaml", gazetteer=EMPTY)
    assert all("\n" not in m for m in info.value.messages())
