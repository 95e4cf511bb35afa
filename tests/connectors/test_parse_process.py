"""Feeds parsed in a worker process: a parse that kills its worker, hangs or raises fails only its own source."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

import connectors
from connectors import HttpSettings, PollResult, SourceConfig, SourceError, parsing, poll_sources
from connectors.base import Advisory
from connectors.feed import FeedSource
from connectors.normalize import make_advisory
from connectors.parsing import ParsePool

FAST = HttpSettings(deadline=2.0, read_timeout=5.0, connect_timeout=2.0)


class MisbehavingSource:
    """A test-only kind: parses /rss as a feed unless its source id names how to misbehave in the worker."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        how = self.config.id.split("-")[0]
        if how == "exit":
            os._exit(3)
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "hang":
            time.sleep(3600)
        if how == "stop":  # as a debugger or the kernel can: no signal but SIGKILL acts on it until it continues
            os.kill(os.getpid(), signal.SIGSTOP)
        if how == "raise":
            raise ValueError("boom")
        if how == "pid":
            return [
                make_advisory(self.config.id, guid="pid", link="", title=str(os.getpid()), summary="", published=None)
            ]
        return FeedSource(self.config).parse(body, headers)


@pytest.fixture
def misbehaving(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(connectors.SOURCES, "misbehaving", MisbehavingSource)
    yield


def _configs(hostile, ids: list[str]) -> list[SourceConfig]:
    return [SourceConfig(id=i, url=hostile.url("/rss"), kind="misbehaving") for i in ids]


def _good(outcome: object) -> bool:
    return isinstance(outcome, PollResult) and [i.guid for i in outcome.items] == [
        "okta-1",
        "https://sec.okta.example/post/2",
    ]


def test_a_parse_that_kills_its_worker_fails_only_that_source(hostile, misbehaving):
    good = [f"good-{n}" for n in range(6)]
    with ParsePool(processes=1) as pool:
        results = poll_sources(_configs(hostile, ["exit-1", *good, "kill-1"]), http_settings=FAST, parser=pool)
        assert pool.started >= 3  # the first pool, and a fresh one each time a worker died

        for sid in ("exit-1", "kill-1"):
            outcome = results[sid]
            assert isinstance(outcome, SourceError), sid
            assert "parser process died while parsing this source" in outcome.message
            assert outcome.url.endswith("/rss")
        assert all(_good(results[sid]) for sid in good)

        again = poll_sources(_configs(hostile, ["good-again"]), http_settings=FAST, parser=pool)
        assert _good(again["good-again"])  # the pool that replaced the broken one goes on serving


def test_a_parse_that_hangs_is_ended_at_the_parse_timeout(hostile, misbehaving):
    settings = HttpSettings(deadline=2.0, read_timeout=5.0, connect_timeout=2.0, parse_timeout=1.0)
    results = poll_sources(_configs(hostile, ["hang-1", "good-1", "good-2"]), http_settings=settings)
    assert isinstance(results["hang-1"], SourceError)
    assert "parsing took longer than 1 s" in results["hang-1"].message
    assert _good(results["good-1"]) and _good(results["good-2"])


def test_a_worker_its_own_timer_cannot_end_is_killed_by_the_poll(hostile, misbehaving, monkeypatch):
    monkeypatch.setattr(parsing, "BACKSTOP_S", 1.0)  # the default waits 5 s past the parse timeout
    settings = HttpSettings(deadline=2.0, read_timeout=5.0, connect_timeout=2.0, parse_timeout=1.0)
    with ParsePool(processes=1, timeout=1.0) as pool, ThreadPoolExecutor(1) as runner:
        ids = ["stop-1", "good-1", "good-2"]
        polled = runner.submit(poll_sources, _configs(hostile, ids), http_settings=settings, parser=pool)
        results = polled.result(timeout=60)  # without the backstop the poll waits for the stopped worker forever
        assert pool.started >= 2, "the stopped worker's pool was replaced"
        assert _good(poll_sources(_configs(hostile, ["good-3"]), http_settings=settings, parser=pool)["good-3"])
    assert isinstance(results["stop-1"], SourceError)
    assert "parsing took longer than 1 s (tried twice)" in results["stop-1"].message
    assert _good(results["good-1"]) and _good(results["good-2"])


def test_a_parse_that_raises_is_its_source_error_and_keeps_the_worker(hostile, misbehaving):
    with ParsePool(processes=1) as pool:
        results = poll_sources(_configs(hostile, ["raise-1", "good-1"]), http_settings=FAST, parser=pool)
        assert pool.started == 1
    assert isinstance(results["raise-1"], SourceError)
    assert "internal error while reading the source (ValueError)" in results["raise-1"].message
    assert _good(results["good-1"])


def _worker_pid(hostile, pool: ParsePool) -> int:
    outcome = poll_sources(_configs(hostile, ["pid-1"]), http_settings=FAST, parser=pool)["pid-1"]
    assert isinstance(outcome, PollResult)
    return int(outcome.items[0].title)


def test_a_worker_killed_between_polls_is_replaced_by_the_next_poll(hostile, misbehaving):
    with ParsePool(processes=1) as pool:
        pid = _worker_pid(hostile, pool)
        assert pid != os.getpid()
        assert _worker_pid(hostile, pool) == pid  # one worker serves poll after poll

        os.kill(pid, signal.SIGKILL)  # as `kill -9` from outside
        deadline = time.monotonic() + 10
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
            time.sleep(0.05)

        results = poll_sources(_configs(hostile, ["good-1", "good-2"]), http_settings=FAST, parser=pool)
        assert _good(results["good-1"]) and _good(results["good-2"])
        assert _worker_pid(hostile, pool) != pid
        assert pool.started == 2


def test_a_worker_stopped_between_polls_is_replaced_when_the_next_poll_starts(hostile, misbehaving, monkeypatch):
    monkeypatch.setattr(parsing, "BACKSTOP_S", 1.0)
    with ParsePool(processes=1, timeout=1.0) as pool, ThreadPoolExecutor(1) as runner:
        pid = _worker_pid(hostile, pool)
        os.kill(pid, signal.SIGSTOP)  # idle: a poll that only gets 304s parses nothing that would notice it
        runner.submit(pool.start).result(timeout=60)  # what each poll does first, while its fetches are out
        assert pool.started == 2
        assert _worker_pid(hostile, pool) != pid


def test_threads_and_processes_give_the_same_outcomes(hostile):
    paths = ["/rss", "/atom", "/laughs", "/html", "/binary", "/empty", "/rss.gz"]
    configs = [SourceConfig(id=p.strip("/"), url=hostile.url(p)) for p in paths]

    def outcomes(processes: int) -> dict[str, object]:
        settings = HttpSettings(deadline=2.0, read_timeout=5.0, connect_timeout=2.0, parse_processes=processes)
        results = poll_sources(configs, http_settings=settings)
        return {sid: (o.items, o.warnings) if isinstance(o, PollResult) else str(o) for sid, o in results.items()}

    in_threads, in_process = outcomes(0), outcomes(1)
    assert in_process == in_threads
    assert len(in_process["rss"][0]) == 2 and "refused" in str(in_process["laughs"])
