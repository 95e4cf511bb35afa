"""Where feeds are parsed: in worker processes (the default) or in threads of the polling process.

Parsing is CPU work under the GIL. In a separate process it runs on another core while the poll thread stores
and triages the sources that already answered. A worker is forked from a clean forkserver process (never
plain fork: the polling process has threads), receives the Source (its config) with the body and headers, and
sends back the advisories and warnings. What the isolation costs: the forkserver and one worker process,
each about the size of feedparser and our connectors in memory, started once per process (docs/scaling.md).

Robustness: a parse that raises is that source's SourceError, as in threads. A worker that dies (a crash, a
kill, or the parse timeout: the worker's own interval timer ends it with SIGALRM, which no Python code can
catch or delay) breaks the pool; the pool is replaced, and every source that was in the broken pool is parsed
once more, alone, in the fresh one, so only the source that kills the worker twice is blamed. A worker its own
timer cannot end (stopped, or wedged where no signal reaches it) is killed by the polling process once a parse
has waited BACKSTOP_S past the timeout, with the same outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
import time
import weakref
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from connectors.base import Advisory, Source, SourceError
from connectors.normalize import ParsedItems

# What the forkserver imports once, so that each worker forked from it starts with them. "__main__" is in
# multiprocessing's own default, but Python 3.11's forkserver never receives the main module's path: each worker
# imports the main module itself when it starts (for `vendorwatch`, the CLI package). Hence one pool per process
# (shared_pool), and a script that polls needs the `if __name__ == "__main__":` guard.
PRELOAD = ["__main__", "connectors.feed", "connectors.jsonfeed", "connectors.cisa_kev", "connectors.statuspage"]

# How long past the parse timeout the polling process waits before it kills the workers itself.
BACKSTOP_S = 5.0

# What a parse sends back: (advisories, warnings), or the message of the SourceError it raised.
Parsed = tuple[list[Advisory], list[str]] | str


def parse_source(source: Source, body: bytes, headers: dict[str, str]) -> Parsed:
    """Parse in this process: (advisories, warnings), or the SourceError's message. Other errors raise."""
    try:
        items = source.parse(body, headers)
    except SourceError as exc:
        return exc.message
    warnings = items.warnings if isinstance(items, ParsedItems) else []
    return list(items), list(warnings)


def _bounded_parse(source: Source, body: bytes, headers: dict[str, str], timeout: float) -> Parsed:
    """parse_source in a worker process, which the kernel ends (SIGALRM) if it takes over `timeout` seconds."""
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return parse_source(source, body, headers)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _init_worker() -> None:
    # The default action of SIGALRM ends the process; SIGINT is the polling process's to handle.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ParsePool:
    """Parses sources for one or many polls: `processes` worker processes, or 2 threads when 0.

    Use it as a context manager (or call `close`); `parse` may be awaited from several event loops (threads).
    """

    def __init__(self, processes: int = 1, timeout: float = 60.0) -> None:
        self.processes = processes
        self.timeout = timeout
        self.started = 0  # process pools started: 1, plus one per broken pool replaced
        self._pool: Executor | None = None
        self._starting = threading.Lock()  # `start` may run in another thread than the event loop
        self._counting = threading.Lock()  # not _starting: a cancelled future's callback runs inside `_replace`
        self._in_flight = 0  # parses submitted to the process pool and not ended
        self._progress = time.monotonic()  # when the last one ended (or the first of a busy spell was submitted)
        # Sources in a process pool at once: a few queued per worker keep it busy while the polling process
        # is slow to hand over the next body (its poll thread holds the GIL), and few enough innocent
        # sources are in a pool that a hostile one breaks (each is parsed again, alone, in the fresh pool).
        self._slots = 4 * processes
        # Per event loop: a pool may serve polls in several threads, each with its own loop.
        self._limits_of: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[asyncio.Semaphore, asyncio.Lock]]
        self._limits_of = weakref.WeakKeyDictionary()

    def start(self) -> None:
        """Start the worker processes now and wait until one answers (else they start at the first parse)."""
        if self.processes > 0:
            pool = self._executor()
            try:
                self._answer(pool)
            except BrokenProcessPool:  # its worker died (or was stopped) since the last poll
                self._replace(pool)
                self._answer(self._executor())

    def _answer(self, pool: Executor) -> None:
        """A trivial task through `pool`; a worker that does not answer within the backstop is killed."""
        future = pool.submit(int)
        try:
            future.result(timeout=self.timeout + BACKSTOP_S)
        except TimeoutError:
            _kill_workers(pool)  # stopped or wedged while idle: no parse of this poll would end it otherwise
            future.result()  # BrokenProcessPool, now that its worker is gone

    def _executor(self) -> Executor:
        with self._starting:
            return self._pool or self._new_pool()

    def _new_pool(self) -> Executor:
        if self.processes <= 0:
            # Two threads: feedparser holds the GIL, more would only add memory, not speed.
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vw-parse")
        else:
            context = multiprocessing.get_context("forkserver")
            # Effective until the forkserver starts (once per process): workers fork with these loaded.
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_worker)
            self.started += 1
        return self._pool

    def _replace(self, broken: Executor) -> None:
        with self._starting:
            if self._pool is broken:
                self._pool = None
                broken.shutdown(wait=False, cancel_futures=True)

    def _limits(self) -> tuple[asyncio.Semaphore, asyncio.Lock]:
        loop = asyncio.get_running_loop()
        with self._starting:
            limits = self._limits_of.get(loop)
            if limits is None:
                limits = self._limits_of[loop] = (asyncio.Semaphore(self._slots), asyncio.Lock())
            return limits

    async def parse(self, source: Source, body: bytes, headers: dict[str, str]) -> ParsedItems:
        """The source's advisories (with its warnings); SourceError when it is not this kind or kills the worker."""
        if self.processes <= 0:
            loop = asyncio.get_running_loop()
            parsed = await loop.run_in_executor(self._executor(), parse_source, source, body, headers)
        else:
            parsed = await self._in_process(source, body, headers)
        if isinstance(parsed, str):
            raise SourceError(parsed)
        return ParsedItems(*parsed)

    async def _in_process(self, source: Source, body: bytes, headers: dict[str, str]) -> Parsed:
        semaphore, solo = self._limits()
        async with semaphore:
            try:
                return await self._submit(source, body, headers)
            except BrokenProcessPool:
                pass  # this source, or another in the same pool, killed the worker: try once more, alone
        async with solo:
            taken = 0
            try:
                for _ in range(self._slots):
                    await semaphore.acquire()
                    taken += 1  # counted one by one: a cancelled poll gives back exactly what it took
                began = time.monotonic()
                return await self._submit(source, body, headers)
            except BrokenProcessPool:
                if time.monotonic() - began >= self.timeout:
                    raise SourceError(f"parsing took longer than {self.timeout:g} s (tried twice)") from None
                raise SourceError("the parser process died while parsing this source (tried twice)") from None
            finally:
                for _ in range(taken):
                    semaphore.release()

    async def _submit(self, source: Source, body: bytes, headers: dict[str, str]) -> Parsed:
        pool = self._executor()
        try:
            # In a thread: the first submit to a fresh pool starts its worker (and, after a crash, the forkserver:
            # up to 1.5 s), which must not stall the event loop that is fetching the other sources meanwhile.
            submitted = await asyncio.to_thread(pool.submit, _bounded_parse, source, body, headers, self.timeout)
            future = self._watched(submitted)
            waiting = asyncio.wrap_future(future)
            stalled = self.timeout + BACKSTOP_S  # no parse of the pool ended for this long: its workers are wedged
            while (left := self._progress + stalled - time.monotonic()) > 0:
                done, _ = await asyncio.wait({waiting}, timeout=left)  # waits without cancelling the parse
                if done:
                    return waiting.result()
            if waiting.done():
                return waiting.result()
            _kill_workers(pool)  # the pool breaks: this and every parse in it fail with BrokenProcessPool
            return await waiting
        except BrokenProcessPool:
            self._replace(pool)
            raise

    def _watched(self, future: Future[Parsed]) -> Future[Parsed]:
        """Count the parse in flight; the pool makes progress while one of them ends now and then."""

        def ended(_: Future[Parsed]) -> None:  # in the pool's thread, or in `_replace` (cancelled)
            with self._counting:
                self._in_flight -= 1
                self._progress = time.monotonic()

        with self._counting:
            if self._in_flight == 0:
                self._progress = time.monotonic()  # an idle pool starts its clock with this parse
            self._in_flight += 1
        future.add_done_callback(ended)
        return future

    def close(self) -> None:
        """Stop the workers (a parse in flight is abandoned)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _kill_workers(pool: Executor) -> None:
    """SIGKILL a process pool's workers (a stopped process too: no other signal acts on it before it continues)."""
    # ProcessPoolExecutor has no public way to reach its processes before Python 3.14 (kill_workers).
    processes: dict[int, multiprocessing.process.BaseProcess] = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)


_SHARED: dict[tuple[int, float], ParsePool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(processes: int, timeout: float) -> ParsePool:
    """This process's pool for these settings, for the polls given none: its worker starts at the first poll
    and serves every later one (the standard library stops it at exit)."""
    with _SHARED_LOCK:
        pool = _SHARED.get((processes, timeout))
        if pool is None:
            pool = _SHARED[(processes, timeout)] = ParsePool(processes, timeout)
        return pool
