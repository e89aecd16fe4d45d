"""Which site a source's link is on, and whether it is its publisher's own (citations say where links go)."""

from __future__ import annotations

import pytest

from routemap.errors import ScenarioError
from routemap.geo.scenario import bundled_scenario_path, load_scenario, parse_scenario
from routemap.geo.sites import link_domain, publisher_names, site_matches
from routemap.maps.citations import citation


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.reuters.com/world/x", "reuters.com"),
        ("https://news.kbs.co.kr/news/pc/view/view.do?ncd=1", "kbs.co.kr"),
        ("https://en.yna.co.kr/view/AEN1", "yna.co.kr"),
        ("https://www.bbc.co.uk/news", "bbc.co.uk"),
        ("https://www.abc.net.au/news", "abc.net.au"),
        ("https://www.pravda.com.ua/eng/news/2024/09/21/7476166/", "pravda.com.ua"),
        ("https://thenews.com.pk/print/1", "thenews.com.pk"),
        ("https://transukr.dp.ua/2011/10/26/x.html", "transukr.dp.ua"),
        ("http://wikipedia.ddns.net:12345/content/x", "ddns.net"),
        ("https://WWW.Example.ORG./x", "example.org"),
        ("https://www.co.uk/", "www.co.uk"),  # www. is only dropped when a name is left
        ("https://dv.is/?p=964880", "dv.is"),
        ("https://192.0.2.7/report", "192.0.2.7"),
        ("https://localhost/x", "localhost"),
        (None, None),
        ("", None),
        ("not a url", None),
    ],
)
def test_link_domain_is_the_registrable_domain(url, expected):
    assert link_domain(url) == expected


def test_publisher_names_split_on_parentheses_and_joining_words():
    assert publisher_names("Reuters (via NV and Yahoo News Australia)") == (
        ("reuters",), ("nv", "and", "yahoo", "news", "australia"), ("nv",), ("yahoo", "news", "australia"))
    assert publisher_names("Ukrainska Pravda (Skhemy / RFE/RL)") == (
        ("ukrainska", "pravda"), ("skhemy", "rfe", "rl"), ("skhemy",), ("rfe",), ("rl",))
    assert publisher_names("Center for Strategic and International Studies") == (
        ("center", "for", "strategic", "and", "international", "studies"),
        ("center", "for", "strategic"), ("international", "studies"))
    assert publisher_names("Lloyd\u2019s List") == (("lloyds", "list"),)


# Real publisher/URL pairs from the bundled scenario (geo/data/dprk-russia-2023-2025.yaml) and the
# curated places (geo/data/places.yaml): True where the link is on the publisher's own site.
BUNDLED = [
    ("Yonhap News Agency (reporting the White House)", "https://en.yna.co.kr/view/AEN20231014000400315", True),
    ("MBN (via Daum)", "https://v.daum.net/v/20231014195853682", True),
    ("NK News (reporting the White House)", "https://www.nknews.org/2023/01/new-photos/", True),
    ("Ukrainian News Agency (reporting the US State Department)", "https://ukranews.com/en/news/986994", True),
    ("KBS World Radio (reporting the US State Department)",
     "http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=182393", True),
    ("The Washington Post", "https://newsrelease.online/russia-and-north-koreas-military-deal/", False),
    ("The Korea Herald (Yonhap)", "https://www.koreaherald.com/article/10382149", True),
    ("portail.free.fr (reporting ROK Defence Minister Shin Won-sik)",
     "https://portail.free.fr/actualites/monde/la-coree-du-nord", True),
    ("SBS News (reporting the ROK military)", "https://news.sbs.co.kr/news/endPage.do?news_id=N1007408763", True),
    ("The Kyiv Independent (reporting Yonhap and ROK military intelligence)",
     "https://kyivindependent.com/north-korea-could-have-sent/", True),
    ("JoongAng Ilbo (stored copy)", "https://jeongsimkim.tistory.com/archive/20250530", False),
    ("UPI (stored copy)", "https://news.charm-retirement.com/?p=190609", False),
    ("Lloyd's List", "https://www.lloydslist.com/LL1153718/The-Daily-View-The-other-dark-fleet", True),
    ("Dong-A Ilbo", "https://www.donga.com/en/article/all/20250703/5700364/1", True),
    ("RUSI", "https://www.wired-gov.net/wg/news.nsf/articles/the+orient+express", False),
    ("Kyiv Post (reporting RUSI)", "https://www.kyivpost.com/post/22852", True),
    ("bne IntelliNews (reporting RUSI)", "https://www.intellinews.com/north-korean-weapons-297275", True),
    ("CSIS Beyond Parallel", "https://beyondparallel.csis.org/ongoing-arms-transfer-activity-at-najin-port/", True),
    ("Associated Press (reporting CSIS Beyond Parallel)",
     "https://localnews8.com/news/national-world/ap-national/2023/10/08/a-surge", False),
    ("RBC-Ukraine (reporting CSIS Beyond Parallel)", "https://closetheskyoverukraine.com/latest-news/x", False),
    ("RBC-Ukraine (reporting NK Pro)", "https://newsukraine.rbc.ua/news/north-korea-1709331869.html", True),
    ("Verkkouutiset", "https://www.verkkouutiset.fi/a/venajan-tarkealla/", True),
    ("The Washington Post (with C4ADS)", "https://euromaidanpress.com/2024/06/23/the-washington-post/", False),
    ("Open Source Centre", "https://stories.opensourcecentre.org/red-passage", True),
    ("CNN (reporting the James Martin Center for Nonproliferation Studies)",
     "https://www.daily8.com/en/article/03f73f560835996ea933ed316762fa72", False),
    ("The Guardian (reporting UK Defence Intelligence)", "https://radiomoldova.md/p/28949/the-guardian", False),
    ("Babel.ua (reporting Reuters and RUSI)", "https://babel.ua/en/news/106438-reuters-china", True),
    ("The Atlas News", "https://theatlasnews.co/brief/2024/04/29/china-harboring/", True),
    ("Caliber.az (reporting NK Pro)", "https://caliber.az/en/post/media-russian-cargo-ship", True),
    ("Financial Times", "https://indebta.com/news/russian-ship-under-sanction", False),
    ("Reuters (with the Open Source Centre)", "https://news.mixedtimes.com/6XYA", False),
    ("Defence Blog (reporting NK News)", "https://defence-blog.com/russian-heavy-lift/", True),
    ("Financial Times (with RUSI)", "https://menafn.com/1108042829/Russia-challenges", False),
    ("Voice of America (stored copy)", "https://www.newsdirectory3.com/russian-company/", False),
    ("Seatrade Maritime", "https://www.seatrade-maritime.com/regulations/tankers", True),
    ("Army Recognition", "https://armyrecognition.com/focus-analysis-conflicts/army/x", True),
    ("Newsweek (stored copy)", "https://trendingfeeds.info/photo-shows-north-korean-artillery.html", False),
    ("Financial Times (via DV.is)", "https://dv.is/?p=964880", True),
    ("Euromaidan Press (reporting The Telegraph and The War Zone)", "https://euromaidanpress.com/?p=318213", True),
    ("Euromaidan Press (stored copy)", "https://like123.com/kyiv-weve-hit-n-korean-missile-depot", False),
    ("iMBC (reporting Defense Express)", "https://imnews.imbc.com/news/2025/world/article/6700265_36726.html", True),
    ("UNN (reporting the Kharkiv regional prosecutor's office)", "https://unn.ua/en/amp/regional-prosecutors", True),
    ("Reuters (via NV and Yahoo News Australia)", "https://au.news.yahoo.com/half-north-korean-missiles.html", True),
    ("Ukrainska Pravda (reporting the Ukrainian General Staff)",
     "https://www.pravda.com.ua/eng/news/2024/09/21/7476166/", True),
    ("Ukrainska Pravda (Skhemy / RFE/RL)", "https://www.pravda.com.ua/eng/news/2024/09/21/7476177/", True),
    ("Postimees (Teadus)", "https://teadus.postimees.ee/8102763/satelliidifotod", True),
    ("Insight News (reporting Andriy Kovalenko, Ukraine's Centre for Countering Disinformation)",
     "https://insightnews.media/destroyed-toropets-warehouse/", True),
    ("Defense Mirror", "https://defensemirror.com/news/37705/Explosions", True),
    ("AFP via The News (Pakistan)", "https://thenews.com.pk/print/1238570-ukraine-claims-strike", True),
    ("Censor.net", "https://censor.net/en/photonews/3511059/u_tverskiyi", True),
    ("The Moscow Times", "https://themoscowtimes.com/2024/09/29/ukraine-says-struck-a86509", True),
    ("Wikipedia", "https://en.wikipedia.org/wiki/Khasan_(urban-type_settlement)", True),
    ("Wikipedia (offline mirror)", "https://kiwix.lema.org/wikipedia_en_all_mini_2024-02/A/Rason", False),
    ("Wikipedia (German; offline mirror)", "http://wikipedia.ddns.net:12345/content/wikipedia_de/A/Fokino", False),
    ("Wikipedia (mirror)", "https://pt.qwe.wiki/wiki/Baranovsky%E2%80%93Khasan_line", False),
    ("transsib.eyand.de", "http://transsib.eyand.de/transsib_at_a_glance.html", True),
    ("xnico.com (encyclopaedia copy)", "https://xnico.com/?title=Far+Eastern+Railway", True),
    ("PortNews (stored copy)", "https://transukr.dp.ua/2011/10/26/rossiya.html", False),
    ("TASS", "http://tass.com/world/726955", True),
    ("Reuters via Zonebourse (reporting 38 North)", "https://www.zonebourse.com/actualite-bourse/x", True),
    ("ASIAPRESS (Rimjin-gang)", "https://www.asiapress.org/rimjin-gang/2025/09/photo/progressing", True),
    ("GlobalSecurity.org", "https://www.globalsecurity.org/military/world/russia/fokino.htm", True),
    ("Daily NK Japan", "https://dailynk.jp/archives/71304/2", True),
    ("Interfax-Ukraine (reporting Ukraine's Prosecutor General's Office; copy on The Informant)",
     "https://theinformant.co.nz/x", True),
]

# Made-up pairs: acronyms, joined words, two-label suffixes, and near misses that must not match.
MADE_UP = [
    ("Center for Strategic and International Studies", "https://www.csis.org/analysis/x", True),
    ("The White House", "https://www.whitehouse.gov/briefing-room/", True),
    ("Institute for the Study of War", "https://www.understandingwar.org/backgrounder/x", False),
    ("Institute for the Study of War", "https://isw.pub/x", True),
    ("The New York Times", "https://www.nytimes.com/2024/x", True),
    ("Financial Times", "https://www.ft.com/content/x", True),
    ("BBC News", "https://www.bbc.co.uk/news/world-x", True),
    ("Australian Broadcasting Corporation", "https://www.abc.net.au/news/x", True),
    ("US State Department", "https://www.state.gov/x", True),
    ("Reuters", "https://www.reuters.com/world/asia-pacific/x", True),
    ("Reuters", "https://example.org/reuters-copy", False),
    ("Reuters", "https://reuters.example.org/x", False),  # a subdomain named after it is not its site
    ("Yahoo News Australia", "https://www.news.com.au/x", False),  # a generic word alone is no match
    ("Kyiv Post", "https://www.post.com/x", False),
    ("Yonhap", "https://www.yna.co.kr/view/x", False),  # one word cannot spell an acronym of three
    ("Le Monde", "https://www.lemonde.fr/international/x", True),
    ("Süddeutsche Zeitung", "https://www.sueddeutsche.de/x", False),  # transliteration: needs site
    ("Süddeutsche Zeitung", "https://www.sz.de/x", True),
    ("Deutsche Welle (DW)", "https://www.dw.com/en/x", True),
    ("Radio Free Europe/Radio Liberty", "https://www.rferl.org/a/x", True),
    ("Radio Free Asia", "https://www.rfa.org/english/x", True),
    ("NHK World", "https://www3.nhk.or.jp/nhkworld/x", True),
    ("38 North", "https://www.38north.org/2024/x", True),
    ("Example", "https://192.0.2.7/x", False),
    ("Example", "https://127.0.0.1/x", False),
    ("A publisher", "https://example.org/r", False),
]


@pytest.mark.parametrize(("publisher", "url", "expected"), BUNDLED + MADE_UP)
def test_site_matches_publisher(publisher, url, expected):
    assert site_matches(url, publisher) is expected


@pytest.mark.parametrize("url", [None, "", "mailto:x"])
def test_no_link_cannot_be_judged(url):
    assert site_matches(url, "Reuters") is None


def test_every_bundled_copy_says_where_its_link_goes():
    """In the bundled scenario, a citation whose link is on another site names that site."""
    scenario = load_scenario(bundled_scenario_path())
    by_id = {s.id: s for s in scenario.sources}
    rusi = by_id["rusi-2023-10-16-orient-express"]
    assert citation(rusi).startswith("RUSI, via a copy on wired-gov.net, \u201cThe Orient Express")
    assert citation(by_id["csis-2023-10-najin"]).startswith("CSIS Beyond Parallel, \u201c")
    for source in scenario.sources:
        copy = site_matches(source.url, source.publisher) is False
        assert (f", via a copy on {source.link_site}," in citation(source)) is (copy and source.site != "original")


SCENARIO = """\
version: 1
title: One flight
sources:
  - {{id: src, title: A report, publisher: Reuters, url: "https://news.mixedtimes.com/6XYA"{site}}}
transfers:
  - id: flight
    label: Cargo flight
    confidence: reported
    sources: [src]
    legs:
      - {{mode: air, from: {{lat: 39.22, lon: 125.67}}, to: {{lat: 43.40, lon: 132.15}}}}
"""


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ("", "Reuters, via a copy on mixedtimes.com, \u201cA report\u201d. https://news.mixedtimes.com/6XYA"),
        (", site: copy", "Reuters, via a copy on mixedtimes.com, \u201cA report\u201d. https://news.mixedtimes.com/6XYA"),
        (", site: original", "Reuters, \u201cA report\u201d. https://news.mixedtimes.com/6XYA"),
    ],
)
def test_the_site_key_decides_where_the_rule_cannot(small_gazetteer, site, expected):
    scenario = parse_scenario(SCENARIO.format(site=site).encode(), "s.yaml", gazetteer=small_gazetteer)
    assert citation(scenario.sources[0]) == expected


def test_a_bad_site_value_is_one_located_error(small_gazetteer):
    text = SCENARIO.format(site=", site: mirror")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text.encode(), "s.yaml", gazetteer=small_gazetteer)
    assert info.value.messages() == [
        "error: s.yaml:4: sources[0].site: 'mirror' is not one of original, copy"]
