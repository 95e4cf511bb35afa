"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/)."""

from __future__ import annotations

from typing import Any

from connectors.base import Advisory, SourceConfig, SourceError
from connectors.normalize import load_json_object, make_advisory, text_field, to_utc


class JsonFeedSource:
    """A JSON Feed. See Source.parse; items need an `id`, the rest is optional."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        """Parse a JSON Feed document into advisories."""
        data = load_json_object(body, "a JSON Feed")
        if not text_field(data, "version").startswith("https://jsonfeed.org/version/1"):
            raise SourceError("not a JSON Feed: missing or unknown version")
        items = data.get("items")
        if not isinstance(items, list):
            raise SourceError("not a JSON Feed: no items list")
        return [self._advisory(item) for item in items if isinstance(item, dict)]

    def _advisory(self, item: dict[str, Any]) -> Advisory:
        # content_html beats content_text: it is the fuller text; summary is the teaser.
        body = text_field(item, "content_html") or text_field(item, "content_text")
        summary = body or text_field(item, "summary")
        published = text_field(item, "date_published") or text_field(item, "date_modified")
        return make_advisory(
            self.config.id,
            guid=text_field(item, "id"),  # 1.0 feeds sometimes use numbers
            link=text_field(item, "url") or text_field(item, "external_url"),
            title=text_field(item, "title") or text_field(item, "summary")[:200],
            summary=summary,
            published=to_utc(published),
        )
