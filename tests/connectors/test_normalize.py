"""Normalisation: one story, one URL; plain text only; UTC times; stable hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from connectors.normalize import (
    canonical_url,
    content_hash,
    html_to_text,
    make_advisory,
    redact_url,
    to_utc,
    truncate,
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://Sec.OKTA.com:443/Post?utm_source=x&utm_medium=y#top", "https://sec.okta.com/Post"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://x.example/a?b=2&fbclid=1&a=1&gclid=2&mc_cid=3&mc_eid=4&ref=tw", "https://x.example/a?a=1&b=2"),
        ("https://x.example/a?id=2&id=1", "https://x.example/a?id=2&id=1"),
        ("https://user:pw@x.example/", "https://x.example/"),
        ("javascript:alert(1)", ""),
        ("file:///etc/passwd", ""),
        ("/relative/only", ""),
        ("http://[::1", ""),
    ],
)
def test_canonical_url(raw, canonical):
    assert canonical_url(raw) == canonical


def test_markup_becomes_plain_text():
    markup = (
        "<p>Rotate&nbsp;<b>now</b> &amp; revoke</p><script>steal()</script><style>p{}</style>"
        '<img src="file:///etc/passwd"><br/>tokens\n\n  here'
    )
    assert html_to_text(markup) == "Rotate now & revoke tokens here"


def test_plain_text_with_angle_brackets_survives():
    assert html_to_text("versions < 2.1 & > 1.0") == "versions < 2.1 & > 1.0"


def test_caps_and_ellipsis():
    assert len(truncate("x" * 6000, 5000)) == 5000
    advisory = make_advisory("s", guid="g", link=None, title="t" * 900, summary="s" * 9000, published=None)
    assert len(advisory.title) == 500 and len(advisory.summary) == 5000 and advisory.title.endswith("…")


def test_times_become_utc():
    assert to_utc("2024-01-02T03:04:05+02:00") == datetime(2024, 1, 2, 1, 4, 5, tzinfo=UTC)
    assert to_utc("2024-01-02T03:04:05Z").tzinfo == UTC
    assert to_utc(datetime(2024, 1, 2, 3, tzinfo=timezone(timedelta(hours=-5)))).hour == 8
    assert to_utc("2024-03-01") == datetime(2024, 3, 1, tzinfo=UTC)
    assert to_utc(None) is None and to_utc("not a date") is None


def test_guid_falls_back_to_link_then_hash():
    linked = make_advisory("s", guid="", link="https://X.example/a#b", title="t", summary="", published=None)
    assert linked.guid == "https://x.example/a"
    bare = make_advisory("s", guid=None, link=None, title="t", summary="x", published=None)
    assert bare.guid == bare.content_hash == content_hash("t", "x", "")


def test_hash_ignores_markup_and_whitespace_differences():
    a = make_advisory(
        "a", guid="1", link="https://x.example/?utm_source=a", title="T", summary="<p>A  b</p>", published=None
    )
    b = make_advisory("b", guid="2", link="https://x.example/", title="T", summary="A b", published=None)
    assert a.content_hash == b.content_hash


def test_redacted_urls_keep_no_secrets():
    assert redact_url("https://u:p@h.example:8443/feed?token=abc") == "https://h.example:8443/feed?…"


def test_terminal_escapes_and_bidi_overrides_are_removed_from_feed_text() -> None:
    text = html_to_text("<p>Okta breach \x1b[2J\x1b]0;owned\x07 now \u202egnp.exe\ttab</p>")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert text == "Okta breach [2J]0;owned now gnp.exe tab"
