"""FeedSource: RSS, Atom and RDF bytes in, plain-text advisories out; hostile documents refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connectors import SourceConfig, SourceError
from connectors.feed import FeedSource
from connectors.normalize import ParsedItems

SOURCE = FeedSource(SourceConfig(id="okta", url="https://sec.okta.example/feed"))

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://jvn.example/"><title>JVN</title><link>https://jvn.example/</link></channel>
<item rdf:about="https://jvn.example/vu/1"><title>Vulnerability in SSO agent</title>
<link>https://jvn.example/vu/1</link><dc:date>2024-02-03T04:05:06+09:00</dc:date></item>
</rdf:RDF>"""


def test_rss_item_is_normalised():
    body = b"""<rss version="2.0"><channel><title>t</title><item><title>A &amp; B</title>
    <link>/post/1?utm_campaign=x#c</link><guid isPermaLink="false">p-1</guid>
    <description>&lt;p&gt;Hi &lt;script&gt;x()&lt;/script&gt;&lt;img src="file:///etc/passwd"&gt;there&lt;/p&gt;</description>
    <pubDate>Tue, 10 Jun 2003 04:00:00 +0200</pubDate></item></channel></rss>"""
    [item] = SOURCE.parse(body, {"Content-Location": "https://sec.okta.example/feed"})
    assert (item.guid, item.title, item.summary) == ("p-1", "A & B", "Hi there")
    assert item.url == "https://sec.okta.example/post/1"
    assert item.published == datetime(2003, 6, 10, 2, 0, tzinfo=UTC)


def test_rdf_feed_parses():
    [item] = SOURCE.parse(RDF, {})
    assert item.guid == "https://jvn.example/vu/1" and item.published == datetime(2024, 2, 2, 19, 5, 6, tzinfo=UTC)


def test_missing_date_stays_none_for_first_seen():
    [item] = SOURCE.parse(b"<rss version='2.0'><channel><item><title>x</title></item></channel></rss>", {})
    assert item.published is None and item.guid == item.content_hash


def test_not_well_formed_with_entries_is_a_warning():
    body = b"<rss version='2.0'><channel><item><title>x &nbsp; y</title><link>https://a.example/</link></item>"
    items = SOURCE.parse(body, {})
    assert isinstance(items, ParsedItems) and items[0].title == "x y"
    assert items.warnings and "not well-formed" in items.warnings[0]


def test_an_empty_but_valid_feed_is_fine():
    assert SOURCE.parse(b"<rss version='2.0'><channel><title>quiet</title></channel></rss>", {}) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'<!DOCTYPE rss [<!ENTITY big "xxxxxxxxxx">]><rss version="2.0"/>', "declares entities"),
        (b'<!DOCTYPE rss [ <!ATTLIST rss a CDATA "x"> ]><rss version="2.0"/>', "declares entities"),
        ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("utf-16"), "entities"),
        (b"<html><head><title>x</title></head><body>blog</body></html>", "HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a feed"),
        (b'{"items": []}', "not a feed"),
        (b"<?xml version='1.0'?><note>hi</note>", "not a feed"),
        (b"   ", "empty response"),
    ],
)
def test_hostile_or_wrong_documents_raise_source_error(body, message):
    with pytest.raises(SourceError, match=message):
        SOURCE.parse(body, {})


def test_a_body_is_never_taken_for_a_path():
    # feedparser.parse(b"/etc/passwd") would open that file; we hand it a stream instead.
    with pytest.raises(SourceError, match="not a feed"):
        SOURCE.parse(b"/etc/passwd", {})


def test_an_xhtml_doctype_in_front_of_rss_is_still_a_feed():
    body = (
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x">'
        b'<rss version="2.0"><channel><item><title>ok</title></item></channel></rss>'
    )
    assert [item.title for item in SOURCE.parse(body, {})] == ["ok"]


def test_an_empty_channel_that_is_not_well_formed_is_quiet_not_broken():
    items = SOURCE.parse(b"<rss version='2.0'><channel><title>a &zwnj; b</title></channel></rss>", {})
    assert items == [] and isinstance(items, ParsedItems) and items.warnings


def test_an_article_quoting_an_entity_declaration_does_not_block_its_feed() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Sec blog</title>'
        b"<item><title>How XXE works</title><link>https://blog.example/xxe</link>"
        b'<description><![CDATA[Attackers send <!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>]]>'
        b"</description></item></channel></rss>"
    )
    items = FeedSource(SourceConfig("blog", "https://blog.example/feed")).parse(body, {})
    assert [i.title for i in items] == ["How XXE works"]
