"""Normalisation shared by every source kind: canonical URLs, plain text, UTC times, hashes."""

from __future__ import annotations

import calendar
import hashlib
import json
import time
import unicodedata
from collections.abc import Iterable
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from connectors.base import Advisory, SourceError

TITLE_MAX = 500
SUMMARY_MAX = 5000
GUID_MAX = 1000

# Query parameters that only track the click; dropping them makes one story one URL across sources.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src", "source", "_hsenc", "_hsmi"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
# Elements whose text is never shown to a reader.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title", "svg", "math", "iframe"})
_BLOCK = frozenset({"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})


class ParsedItems(list[Advisory]):
    """What `Source.parse` returns: the advisories plus non-fatal warnings (e.g. not well-formed XML)."""

    def __init__(self, items: Iterable[Advisory] = (), warnings: Iterable[str] = ()) -> None:
        super().__init__(items)
        self.warnings = list(warnings)


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop credentials, default port, fragment and tracking parameters.

    Returns "" for anything that is not an absolute http(s) URL, so a link can never be file: or javascript:.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return ""
    if ":" in host:  # IPv6 literal needs its brackets back
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    pairs.sort(key=lambda kv: kv[0])  # stable: repeated keys keep their order
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(pairs), ""))


def redact_url(url: str) -> str:
    """The URL without credentials or query string: safe for logs and error messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<invalid URL>"
    query = "?…" if parts.query else ""
    return f"{parts.scheme}://{host}{port}{parts.path}{query}"


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.parts.append(" ")  # <br/> separates words; void hidden tags must not nest

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


# Control characters (ESC starts terminal escape sequences) and bidi overrides can make feed text
# rewrite a terminal or disguise itself; whitespace controls become spaces, the rest go.
_UNSAFE = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
for _ws in "\t\n\r\f\v":
    _UNSAFE[ord(_ws)] = ord(" ")


def collapse(text: str) -> str:
    """NFC-normalise, drop control and bidi-override characters, collapse whitespace to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_UNSAFE).split())


def html_to_text(markup: str) -> str:
    """Markup to plain text: tags stripped, scripts/styles dropped, entities unescaped, spaces collapsed."""
    if "<" not in markup and "&" not in markup:
        return collapse(markup)
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return collapse("".join(parser.parts))


def truncate(text: str, limit: int) -> str:
    """Cut to at most `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def to_utc(value: datetime | date | time.struct_time | str | None) -> datetime | None:
    """A timestamp in UTC (naive values are taken as UTC); None when missing or unreadable."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, time.struct_time):  # feedparser's *_parsed fields are already UTC
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
        if isinstance(value, str):
            value = datetime.fromisoformat(value.strip())
        if not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def content_hash(title: str, summary: str, url: str) -> str:
    """sha256 over the normalised title, summary and canonical URL: changes when the story changes."""
    joined = "\x1f".join((collapse(title).casefold(), collapse(summary).casefold(), url))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def make_advisory(
    source_id: str,
    *,
    guid: str | None,
    link: str | None,
    title: str,
    summary: str,
    published: datetime | None,
) -> Advisory:
    """Build a normalised Advisory from raw fields (markup allowed in title and summary).

    guid falls back to the canonical link, then to the content hash; an over-long guid is hashed.
    """
    url = canonical_url(link or "")
    clean_title = truncate(html_to_text(title), TITLE_MAX)
    clean_summary = truncate(html_to_text(summary), SUMMARY_MAX)
    digest = content_hash(clean_title, clean_summary, url)
    ident = (guid or "").strip() or url or digest
    if len(ident) > GUID_MAX:
        ident = "sha256:" + hashlib.sha256(ident.encode("utf-8")).hexdigest()
    return Advisory(
        source_id=source_id,
        guid=ident,
        url=url,
        title=clean_title,
        summary=clean_summary,
        published=published,
        content_hash=digest,
    )


def load_json_object(body: bytes, what: str) -> dict[str, Any]:
    """Decode a JSON object or raise SourceError naming what was expected."""
    if not body.strip():
        raise SourceError("empty response")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested input
        head = body.lstrip()[:15].lower()
        if head.startswith((b"<!doctype html", b"<html")):
            raise SourceError("not a feed (HTML page)") from None
        raise SourceError(f"not {what}: invalid JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise SourceError(f"not {what}: expected a JSON object")
    return data


def text_field(record: dict[str, Any], key: str) -> str:
    """A field as a string ("" when missing or not scalar): JSON feeds put numbers and nulls anywhere."""
    value = record.get(key)
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""
