"""Connectors: turn configured sources into normalised advisories. Only `connectors.http` does I/O."""

from __future__ import annotations

from collections.abc import Callable

from connectors.backoff import next_poll_delay
from connectors.base import Advisory, FetchState, PollResult, Source, SourceConfig, SourceError
from connectors.cisa_kev import CisaKevSource
from connectors.feed import FeedSource
from connectors.http import Fetcher, HttpSettings
from connectors.jsonfeed import JsonFeedSource
from connectors.poll import poll_many, poll_sources, stream_sources
from connectors.statuspage import StatuspageSource

SOURCES: dict[str, Callable[[SourceConfig], Source]] = {
    "feed": FeedSource,
    "jsonfeed": JsonFeedSource,
    "cisa-kev": CisaKevSource,
    "statuspage": StatuspageSource,
}


def make_source(config: SourceConfig) -> Source:
    """The Source for `config.kind`; SourceError for an unknown kind."""
    factory = SOURCES.get(config.kind)
    if factory is None:
        raise SourceError(f"unknown source kind {config.kind!r} (known: {', '.join(sorted(SOURCES))})")
    return factory(config)


__all__ = [
    "SOURCES",
    "Advisory",
    "FetchState",
    "Fetcher",
    "HttpSettings",
    "PollResult",
    "Source",
    "SourceConfig",
    "SourceError",
    "make_source",
    "next_poll_delay",
    "poll_many",
    "poll_sources",
    "stream_sources",
]
