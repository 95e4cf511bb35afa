"""Connectors: turn configured sources into normalised advisories. Only `connectors.http` does I/O.

The source modules (feedparser, httpx) load on first use of `SOURCES`, `make_source` or the polling
functions, not on `import connectors`: a command that polls nothing starts without them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from connectors.base import Advisory, FetchState, PollResult, Source, SourceConfig, SourceError

if TYPE_CHECKING:
    from connectors.backoff import next_poll_delay
    from connectors.http import Fetcher, HttpSettings
    from connectors.poll import poll_many, poll_sources, stream_sources

    SOURCES: dict[str, Callable[[SourceConfig], Source]]

# The kinds SOURCES registers, known without loading them (settings check a source's kind at start-up).
KINDS = ("feed", "jsonfeed", "cisa-kev", "statuspage")
_LATE = {
    "next_poll_delay": "connectors.backoff",
    "Fetcher": "connectors.http",
    "HttpSettings": "connectors.http",
    "poll_many": "connectors.poll",
    "poll_sources": "connectors.poll",
    "stream_sources": "connectors.poll",
}


@functools.cache
def _sources() -> dict[str, Callable[[SourceConfig], Source]]:
    from connectors.cisa_kev import CisaKevSource
    from connectors.feed import FeedSource
    from connectors.jsonfeed import JsonFeedSource
    from connectors.statuspage import StatuspageSource

    return {"feed": FeedSource, "jsonfeed": JsonFeedSource, "cisa-kev": CisaKevSource, "statuspage": StatuspageSource}


def __getattr__(name: str) -> object:
    """SOURCES and the polling functions, imported on first use."""
    if name == "SOURCES":
        value: object = _sources()
    elif name in _LATE:
        value = getattr(importlib.import_module(_LATE[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def make_source(config: SourceConfig) -> Source:
    """The Source for `config.kind`; SourceError for an unknown kind."""
    sources = _sources()
    factory = sources.get(config.kind)
    if factory is None:
        raise SourceError(f"unknown source kind {config.kind!r} (known: {', '.join(sorted(sources))})")
    return factory(config)


__all__ = [
    "KINDS",
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
