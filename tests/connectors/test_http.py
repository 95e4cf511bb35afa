"""The HTTP layer on its own: headers we send, redirects, compression and refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from connectors import FetchState, HttpSettings, SourceError
from connectors.http import USER_AGENT, Fetcher, parse_retry_after


def fetch(url: str, state: FetchState | None = None, **settings):
    async def run():
        async with Fetcher(HttpSettings(deadline=5.0, **settings)) as fetcher:
            return await fetcher.fetch(url, state)

    return asyncio.run(run())


def test_sends_a_user_agent_naming_the_tool(hostile):
    fetch(hostile.url("/rss?ua"))
    agent = hostile.headers_for("/rss?ua")[-1]["user-agent"]
    assert agent == USER_AGENT and agent.startswith("vendorwatch/")
    assert "(+https://github.com/vendorwatch/vendorwatch)" in agent


def test_follows_a_redirect_to_the_feed(hostile):
    response = fetch(hostile.url("/moved"))
    assert response.url.endswith("/rss") and response.body.startswith(b"<?xml")


def test_decodes_gzip(hostile):
    assert b"Okta support system breach" in fetch(hostile.url("/rss.gz")).body


def test_stops_after_the_redirect_limit(hostile):
    with pytest.raises(SourceError, match=r"too many redirects \(3\)"):
        fetch(hostile.url("/chain/0"), max_redirects=3)


def test_answers_304_for_matching_validators(hostile):
    response = fetch(hostile.url("/atom"), FetchState(etag='"v1-abc"'))
    assert response.not_modified and response.body == b""


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"])
def test_refuses_anything_but_http(url):
    with pytest.raises(SourceError, match="only http and https"):
        fetch(url)


def test_a_closed_port_is_a_readable_error():
    with pytest.raises(SourceError, match="connection failed"):
        fetch("http://127.0.0.1:9/feed")


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert parse_retry_after("3600") == 3600
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 3600
    assert parse_retry_after("Wed, 01 May 2024 09:00:00 GMT", now) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
