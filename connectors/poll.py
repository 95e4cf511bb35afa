"""Poll many sources concurrently; each source's fetch and parse is isolated from the others."""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping

from connectors.base import FetchState, PollResult, Source, SourceConfig, SourceError
from connectors.http import Fetcher, HttpSettings
from connectors.normalize import redact_url
from connectors.parsing import ParsePool, shared_pool

logger = logging.getLogger(__name__)

Outcome = PollResult | SourceError


async def poll_one(fetcher: Fetcher, source: Source, state: FetchState, parser: ParsePool) -> PollResult:
    """Fetch one source conditionally and parse it; raises SourceError."""
    response = await fetcher.fetch(source.config.url, state)
    if response.not_modified:
        return PollResult(state=response.state, not_modified=True)
    # Parsing is CPU work: a worker process (or thread) keeps the event loop serving the other sockets meanwhile.
    items = await parser.parse(source, response.body, response.headers)
    return PollResult(items=list(items), state=response.state, warnings=items.warnings)


async def _guarded(fetcher: Fetcher, config: SourceConfig, state: FetchState, parser: ParsePool) -> Outcome:
    from connectors import make_source  # late: connectors/__init__ imports this module

    safe_url = redact_url(config.url)
    try:
        result = await poll_one(fetcher, make_source(config), state, parser)
    except SourceError as exc:
        logger.warning("source %s: %s", config.id, exc)
        return exc if exc.url else SourceError(exc.message, url=safe_url, retry_after=exc.retry_after)
    except Exception as exc:  # one broken parser must never stop the other sources
        logger.exception("source %s: unexpected error", config.id)
        return SourceError(f"internal error while reading the source ({type(exc).__name__})", url=safe_url)
    for warning in result.warnings:
        logger.info("source %s: %s", config.id, warning)
    return result


async def poll_many(
    configs: Iterable[SourceConfig],
    states: Mapping[str, FetchState] | None = None,
    http_settings: HttpSettings | None = None,
    on_outcome: Callable[[str, Outcome], None] | None = None,
    parser: ParsePool | None = None,
) -> dict[str, Outcome]:
    """Poll every source once, concurrently; map source id to its PollResult or SourceError.

    `on_outcome` hears of each source as soon as it is done, in the event loop's thread. `parser` parses the
    bodies; without it, the process's shared pool for `http_settings` does (`connectors.parsing.shared_pool`).
    """
    configs = list(configs)
    states = states or {}

    settings = http_settings or HttpSettings()
    pool = parser or shared_pool(settings.parse_processes, settings.parse_timeout)

    async def one(config: SourceConfig) -> Outcome:
        outcome = await _guarded(fetcher, config, states.get(config.id, FetchState()), pool)
        if on_outcome is not None:
            on_outcome(config.id, outcome)
        return outcome

    # The worker starts (or, killed since the last poll, is replaced) while the first fetches are on the wire.
    starting = asyncio.create_task(asyncio.to_thread(pool.start)) if configs else None
    try:
        async with Fetcher(settings) as fetcher:
            outcomes = await asyncio.gather(*(one(c) for c in configs))
    finally:
        if starting is not None:  # a worker that cannot start: each parse says so
            await asyncio.gather(starting, return_exceptions=True)
    return {config.id: outcome for config, outcome in zip(configs, outcomes, strict=True)}


def poll_sources(
    configs: Iterable[SourceConfig],
    states: Mapping[str, FetchState] | None = None,
    http_settings: HttpSettings | None = None,
    parser: ParsePool | None = None,
) -> dict[str, Outcome]:
    """Synchronous poll_many for callers without an event loop (CLI, scheduler jobs)."""
    return asyncio.run(poll_many(configs, states, http_settings, parser=parser))


def stream_sources(
    configs: Iterable[SourceConfig],
    states: Mapping[str, FetchState] | None = None,
    http_settings: HttpSettings | None = None,
    parser: ParsePool | None = None,
) -> Iterator[list[tuple[str, Outcome]]]:
    """Poll every source once, concurrently, yielding (source id, outcome) pairs as sources finish: each yield
    holds every source done since the previous one (never waiting for more).

    The fetches run in a background thread, so the caller can store and triage some sources while the others
    are still on the wire: a slow source delays nobody else.
    """
    done: queue.Queue[tuple[str, Outcome] | None] = queue.Queue()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(poll_many(configs, states, http_settings, lambda sid, o: done.put((sid, o)), parser))
        except BaseException as exc:  # re-raised in the caller's thread below
            failure.append(exc)
        finally:
            done.put(None)

    thread = threading.Thread(target=run, name="vw-fetch", daemon=True)
    thread.start()
    try:
        finished = False
        while not finished:
            batch = [done.get()]
            while not done.empty():
                batch.append(done.get_nowait())
            finished = batch[-1] is None
            ready = [got for got in batch if got is not None]
            if ready:
                yield ready
    finally:
        thread.join()  # every fetch has a deadline: this ends
    if failure:
        raise failure[0]
