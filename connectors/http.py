"""The one HTTP layer: polite, bounded, conditional GETs (see PITFALLS.md, "HTTP polling")."""

from __future__ import annotations

import asyncio
import logging
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from types import TracebackType

import httpx

from connectors.base import FetchState, SourceError
from connectors.normalize import redact_url

logger = logging.getLogger(__name__)

try:
    _VERSION = version("vendorwatch")
except PackageNotFoundError:  # running from a checkout that is not installed
    _VERSION = "0"
USER_AGENT = f"vendorwatch/{_VERSION} (+https://github.com/vendorwatch/vendorwatch)"
ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, */*;q=0.5"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MB = 1024 * 1024


@dataclass(frozen=True)
class HttpSettings:
    """Limits for every fetch; the defaults suit public advisory feeds."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 30.0  # whole fetch, redirects included
    max_body_bytes: int = 10 * MB  # as sent on the wire
    max_decoded_bytes: int = 10 * MB  # after gzip/deflate: a gzip bomb stops here
    max_redirects: int = 5
    per_host_limit: int = 4
    max_concurrency: int = 32
    user_agent: str = USER_AGENT
    parse_processes: int = 1  # worker processes parsing bodies (connectors.parsing); 0: two threads instead
    parse_timeout: float = 60.0  # one body's parse in a worker process; past it the worker is replaced


@dataclass(frozen=True)
class FetchResponse:
    """A fetched body (empty when not modified), its lower-cased headers and the validators to keep."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    state: FetchState = field(default_factory=FetchState)

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to our conditional request."""
        return self.status == 304


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _size(limit: int) -> str:
    return f"{limit / MB:g} MB" if limit >= MB else f"{limit} bytes"


class _Decoder:
    """Decodes gzip/deflate incrementally, refusing to produce more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        if encoding not in ("", "identity", "gzip", "x-gzip", "deflate"):
            raise SourceError(f"unsupported content encoding {encoding!r}")
        self.identity = encoding in ("", "identity")
        self.wbits = 47 if encoding != "deflate" else zlib.MAX_WBITS  # 47: gzip or zlib header
        self.inflater = zlib.decompressobj(self.wbits)
        self.limit = limit
        self.size = 0
        self.raw_deflate_tried = encoding != "deflate"

    def feed(self, chunk: bytes) -> bytes:
        out = chunk if self.identity else self._inflate(chunk)
        self.size += len(out)
        if self.size > self.limit:
            raise SourceError(f"response larger than {_size(self.limit)} after decompression")
        return out

    def _inflate(self, chunk: bytes) -> bytes:
        room = self.limit - self.size + 1  # one byte over the limit proves the body is too large
        try:
            # Bytes after the end of the stream (padding, extra gzip members) land in unused_data: ignored.
            out = self.inflater.decompress(chunk, room)
        except zlib.error as exc:
            if self.raw_deflate_tried or self.size:
                raise SourceError("corrupt compressed body") from exc
            # Some servers send raw deflate without the zlib header.
            self.raw_deflate_tried, self.wbits = True, -zlib.MAX_WBITS
            self.inflater = zlib.decompressobj(self.wbits)
            return self._inflate(chunk)
        return out


class Fetcher:
    """Fetches URLs concurrently within HttpSettings limits; use as an async context manager."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        s = self.settings
        timeout = httpx.Timeout(s.read_timeout, connect=s.connect_timeout, pool=None)
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,  # followed by hand: count, loop check, http(s) only
            limits=httpx.Limits(max_connections=s.max_concurrency, max_keepalive_connections=None),
            headers={"User-Agent": s.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        self._all = asyncio.Semaphore(s.max_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, state: FetchState | None = None) -> FetchResponse:
        """GET `url` conditionally; raise SourceError with a readable message on any failure."""
        target = _checked_url(url)
        host = target.netloc.decode("ascii", "replace").lower()
        host_limit = self._hosts.setdefault(host, asyncio.Semaphore(self.settings.per_host_limit))
        safe, deadline = redact_url(url), self.settings.deadline
        async with self._all, host_limit:
            try:
                async with asyncio.timeout(deadline):
                    return await self._follow(target, state or FetchState())
            except TimeoutError:
                raise SourceError(f"timed out after {deadline:g} s", url=safe) from None
            except httpx.TimeoutException as exc:
                raise SourceError(_timeout_message(exc, self.settings), url=safe) from None
            except httpx.HTTPError as exc:
                raise SourceError(_transport_message(exc), url=safe) from None

    async def _follow(self, url: httpx.URL, state: FetchState) -> FetchResponse:
        seen = {str(url)}
        for _ in range(self.settings.max_redirects + 1):
            result = await self._get_once(url, state)
            if isinstance(result, FetchResponse):
                return result
            url = _checked_url(str(url.join(result)))
            if str(url) in seen:
                raise SourceError(f"redirect loop ({len(seen)} redirects)", url=redact_url(str(url)))
            seen.add(str(url))
        raise SourceError(f"too many redirects ({self.settings.max_redirects})", url=redact_url(str(url)))

    async def _get_once(self, url: httpx.URL, state: FetchState) -> FetchResponse | str:
        """One request: a response, or the Location to go to next."""
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag  # exactly as received: servers compare bytes
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        async with self._client.stream("GET", url, headers=headers) as response:
            status, safe = response.status_code, redact_url(str(url))
            if status in REDIRECTS and response.headers.get("location"):
                return response.headers["location"]
            if status == 304:
                return FetchResponse(str(url), status, state=_validators(response, state))
            if status in (429, 503):
                delay = parse_retry_after(response.headers.get("retry-after"))
                note = f" (retry after {delay:g} s)" if delay is not None else ""
                message = f"HTTP {status} {response.reason_phrase}{note}"
                raise SourceError(message, url=safe, retry_after=delay)
            if not 200 <= status < 300:
                raise SourceError(f"HTTP {status} {response.reason_phrase}".rstrip(), url=safe)
            body = await self._read_body(response)
            if not body.strip():
                raise SourceError("empty response", url=safe)
            headers_out = {k.lower(): v for k, v in response.headers.items()}
            headers_out.setdefault("content-location", str(url))  # lets feedparser resolve relative links
            headers_out.pop("content-encoding", None)  # the body we hand on is already decoded
            return FetchResponse(str(url), status, headers_out, body, _validators(response, FetchState()))

    async def _read_body(self, response: httpx.Response) -> bytes:
        raw_limit = self.settings.max_body_bytes
        too_large = SourceError(f"response larger than {_size(raw_limit)}", url=redact_url(str(response.url)))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > raw_limit:
            raise too_large
        encoding = response.headers.get("content-encoding", "").strip().lower()
        decoder = _Decoder(encoding, self.settings.max_decoded_bytes)
        chunks: list[bytes] = []
        raw = 0
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if raw > raw_limit:
                raise too_large
            chunks.append(decoder.feed(chunk))
        return b"".join(chunks)


def _validators(response: httpx.Response, previous: FetchState) -> FetchState:
    """ETag / Last-Modified as received; a 304 may omit them, so keep the previous ones."""
    return FetchState(
        etag=response.headers.get("etag") or previous.etag,
        last_modified=response.headers.get("last-modified") or previous.last_modified,
    )


def _checked_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise SourceError("invalid URL") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SourceError(f"refused: only http and https URLs are fetched (got {parsed.scheme or 'none'}:)")
    return parsed


def _timeout_message(exc: httpx.TimeoutException, s: HttpSettings) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connect timed out after {s.connect_timeout:g} s"
    return f"timed out after {s.read_timeout:g} s without data"


def _transport_message(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed ({exc})" if str(exc) else "connection failed"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "server broke the HTTP protocol or closed the connection"
    return f"HTTP error ({type(exc).__name__})"
