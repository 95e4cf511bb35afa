"""The source contract: a configured source turns fetched bytes into normalised advisories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class SourceError(Exception):
    """A source could not be fetched or parsed; the message is safe to show and store."""

    def __init__(self, message: str, *, url: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {message}" if url else message)
        self.message = message  # without the URL, for a per-source "last error" column
        self.url = url
        self.retry_after = retry_after


@dataclass(frozen=True)
class SourceConfig:
    """One configured source (from settings); `kind` selects the module that reads it."""

    id: str
    url: str
    kind: str = "feed"
    vendor: str | None = None
    trust: str = "news"  # a registry.vocab.Trust word; connectors carry it and do not read it
    interval_seconds: int = 300


@dataclass(frozen=True)
class Advisory:
    """A normalised item: plain-text title and summary, canonical URL, UTC times."""

    source_id: str
    guid: str
    url: str
    title: str
    summary: str
    published: datetime | None
    content_hash: str


@dataclass(frozen=True)
class FetchState:
    """What a source remembers between polls for conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class PollResult:
    """The outcome of one poll: items (empty when not modified) and the validators to keep."""

    items: list[Advisory] = field(default_factory=list)
    state: FetchState = field(default_factory=FetchState)
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)


class Source(Protocol):
    """A kind of source. `parse` is pure; only `connectors.http` performs I/O."""

    config: SourceConfig

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        """Turn a fetched body into advisories; raise SourceError when it is not this kind."""
        ...
