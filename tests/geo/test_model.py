"""The scenario model's own behaviour: how a source reads as a citation."""

from __future__ import annotations

import datetime as dt

import pytest

from routemap.geo.model import Source


@pytest.mark.parametrize(
    ("note", "url", "expected"),
    [
        (None, None, "RUSI, \u201cOrient Express\u201d, 2023-10-16."),
        (None, "https://rusi.org/x", "RUSI, \u201cOrient Express\u201d, 2023-10-16. https://rusi.org/x"),
        ("Stored copy", "https://rusi.org/x",
         "RUSI, \u201cOrient Express\u201d, 2023-10-16, Stored copy. https://rusi.org/x"),
        ("Stored copy, 17 Oct 2023.", "https://rusi.org/x",
         "RUSI, \u201cOrient Express\u201d, 2023-10-16, Stored copy, 17 Oct 2023. https://rusi.org/x"),
        ("Is the date right?", None, "RUSI, \u201cOrient Express\u201d, 2023-10-16, Is the date right?"),
    ],
)
def test_citation_ends_each_sentence_with_one_full_stop(note, url, expected):
    source = Source("rusi", "Orient Express", "RUSI", dt.date(2023, 10, 16), url, note)
    assert source.citation() == expected


@pytest.mark.parametrize(
    ("publisher", "url", "site", "expected"),
    [
        ("RUSI", "https://rusi.org/x", None, "RUSI, \u201cOrient Express\u201d, 2023-10-16. https://rusi.org/x"),
        ("RUSI", "https://www.wired-gov.net/wg/x", None,
         "RUSI, via a copy on wired-gov.net, \u201cOrient Express\u201d, 2023-10-16. https://www.wired-gov.net/wg/x"),
        ("RUSI", "https://www.wired-gov.net/wg/x", "original",
         "RUSI, \u201cOrient Express\u201d, 2023-10-16. https://www.wired-gov.net/wg/x"),
        ("RUSI", "https://rusi.org/x", "copy",
         "RUSI, via a copy on rusi.org, \u201cOrient Express\u201d, 2023-10-16. https://rusi.org/x"),
        ("RUSI", None, "copy", "RUSI, \u201cOrient Express\u201d, 2023-10-16."),
        ("Reuters (via NV and Yahoo News Australia)", "https://au.news.yahoo.com/x", None,
         "Reuters (via NV and Yahoo News Australia), \u201cOrient Express\u201d, 2023-10-16. https://au.news.yahoo.com/x"),
    ],
)
def test_citation_names_the_site_of_a_copy(publisher, url, site, expected):
    source = Source("rusi", "Orient Express", publisher, dt.date(2023, 10, 16), url, site=site)
    assert source.citation() == expected
    assert source.is_copy is (", via a copy on " in expected)
