"""JsonFeedSource: JSON Feed 1.0 and 1.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors import SourceConfig, SourceError
from connectors.jsonfeed import JsonFeedSource

SOURCE = JsonFeedSource(SourceConfig(id="jf", url="https://vendor.example/feed.json", kind="jsonfeed"))


def doc(version: str, items: list[dict]) -> bytes:
    return json.dumps({"version": version, "title": "Vendor", "items": items}).encode()


def test_json_feed_1_1_item():
    body = doc(
        "https://jsonfeed.org/version/1.1",
        [
            {
                "id": "a1",
                "url": "https://Vendor.example/a?utm_source=jf",
                "title": "Breach notice",
                "content_html": "<p>Rotate <em>API</em> keys</p>",
                "date_published": "2024-05-01T12:00:00-04:00",
            }
        ],
    )
    [item] = SOURCE.parse(body, {})
    assert (item.guid, item.url, item.summary) == ("a1", "https://vendor.example/a", "Rotate API keys")
    assert item.published == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)


def test_json_feed_1_0_numeric_id_and_text_only():
    body = doc("https://jsonfeed.org/version/1", [{"id": 42, "content_text": "Plain note", "summary": "short"}])
    [item] = SOURCE.parse(body, {})
    assert item.guid == "42" and item.summary == "Plain note" and item.title == "short" and item.published is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "invalid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({"version": "2", "items": []}).encode(), "unknown version"),
        (json.dumps({"version": "https://jsonfeed.org/version/1.1"}).encode(), "no items"),
        (b"[" * 100_000, "invalid JSON"),
    ],
)
def test_wrong_documents_raise_source_error(body, message):
    with pytest.raises(SourceError, match=message):
        SOURCE.parse(body, {})
