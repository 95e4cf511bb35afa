"""RSS 0.9x/1.0 (RDF)/2.0 and Atom feeds, parsed by feedparser from bytes we fetched ourselves."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urljoin

import feedparser

from connectors.base import Advisory, SourceConfig, SourceError
from connectors.normalize import ParsedItems, make_advisory, to_utc
from connectors.xmlsafe import refuse_entities, refuse_html


def _reason(exc: Any) -> str:
    if hasattr(exc, "getMessage") and hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        return f"{exc.getMessage()} (line {exc.getLineNumber()})"
    text = " ".join(str(exc).split())[:200]
    return text or type(exc).__name__


def _absolute(base: str, link: str) -> str:
    try:
        return urljoin(base, link) if base and link else link
    except ValueError:  # e.g. a malformed IPv6 host: canonical_url will drop it
        return link


class FeedSource:
    """An RSS, Atom or RDF feed. See Source.parse; refuses entity declarations and HTML pages."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        """Parse feed bytes into advisories; a not-well-formed feed with entries is only a warning."""
        if not body.strip():
            raise SourceError("empty response")
        headers = {k.lower(): v for k, v in headers.items()}
        # Relative links are resolved below, not by feedparser: given a base URL it also rewrites RSS
        # guids such as "okta-1" into URLs, and guids must not change when the feed URL does.
        base = headers.pop("content-location", "")
        refuse_entities(body, headers)
        refuse_html(body)
        # BytesIO, never raw bytes: feedparser treats a bare string as a URL or a file path to open.
        # Sanitising is off because every field is reduced to plain text by our own normaliser.
        parsed = feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
        warnings: list[str] = []
        if parsed.get("bozo"):
            # Not well-formed is only a warning while feedparser still recognised a feed: an empty
            # channel with an HTML entity in its title is a quiet source, not a broken one.
            exc = parsed.get("bozo_exception")
            if not parsed.entries and not parsed.get("version"):
                raise SourceError(f"not a feed: {_reason(exc)}")
            warnings.append(f"feed is not well-formed: {_reason(exc)}")
        elif not parsed.entries and not parsed.get("version"):
            raise SourceError("not a feed (no RSS, Atom or RDF document found)")
        items = [self._advisory(entry, base) for entry in parsed.entries]
        return ParsedItems(items, warnings)

    def _advisory(self, entry: Any, base: str) -> Advisory:
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value") or ""
        stamp = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("created_parsed")
        return make_advisory(
            self.config.id,
            guid=entry.get("id"),
            link=_absolute(base, entry.get("link") or ""),
            title=entry.get("title") or "",
            summary=summary,
            published=to_utc(stamp),
        )
