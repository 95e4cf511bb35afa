"""What `status` says about the workers: who beats, who is gone, which job keeps failing or hangs."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from registry.rows import WorkerBeat

LIVE_BEATS = 3  # a worker is live while its last beat is younger than this many of its intervals
JOB_FAILING_RUNS = 3  # a job that failed on its last this many runs needs attention
STATUS_DEADLINE_S = 9.5  # counted from the process's start where the OS says it, so `status` answers within 10 s
T = TypeVar("T")


@dataclass(frozen=True)
class WorkerStatus:
    """One worker as `status` shows it."""

    worker_id: str
    host: str
    pid: int
    started_at: datetime
    last_beat_at: datetime
    age_s: float
    state: str  # live, stopped or dead (no beat within 3 intervals, no clean stop)
    failing_jobs: dict[str, str]  # job id -> why, for jobs that failed on their last runs or hang


def workers_status(beats: list[WorkerBeat], now: datetime) -> list[WorkerStatus]:
    """Every recorded worker with its age and state, in the order given (newest beat first)."""
    return [_one(w, now) for w in beats]


def _one(w: WorkerBeat, now: datetime) -> WorkerStatus:
    age = (now - w.last_beat_at).total_seconds()
    state = "stopped" if w.stopped_at else "live" if age <= LIVE_BEATS * w.interval_s else "dead"
    failing = {
        job: f"failed on its last {r['failures_in_a_row']} runs ({r.get('last_error')})"
        for job, r in sorted(w.jobs.items())
        if int(r.get("failures_in_a_row", 0)) >= JOB_FAILING_RUNS
    }
    return WorkerStatus(w.worker_id, w.host, w.pid, w.started_at, w.last_beat_at, age, state, failing)


def worker_problems(ws: list[WorkerStatus]) -> list[str]:
    """No live worker (once any has run), and each job of a live worker failing on its last runs."""
    if not ws:
        return []  # no `run` has ever started here: one-off commands only
    problems = []
    live = [w for w in ws if w.state == "live"]
    if not live:
        last = ws[0]
        problems.append(f"workers: no live worker (last beat {last.age_s:.0f} s ago, {last.worker_id}, {last.state})")
    for w in live:
        problems += [f"worker {w.worker_id}: job {job} {why}" for job, why in w.failing_jobs.items()]
    return problems


def _process_age_s() -> float:
    """Seconds since this process started (Linux /proc; 0 elsewhere): imports can take seconds on a busy host."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat, open("/proc/uptime", encoding="ascii") as up:
            started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
            return max(0.0, float(up.read().split()[0]) - started)
    except (OSError, ValueError, IndexError):
        return 0.0


class NoAnswer(Exception):
    """The database did not answer within the deadline (the message names where)."""


def within(fn: Callable[[], T], url: str, deadline_s: float | None = None) -> T:
    """`fn()`, or NoAnswer after `deadline_s` (default: what is left of STATUS_DEADLINE_S), or a database error."""
    if deadline_s is None:
        deadline_s = max(4.0, STATUS_DEADLINE_S - _process_age_s())  # a long-lived caller (serve) waits 4 s
    result: list[T] = []
    failure: list[BaseException] = []

    def call() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=call, name="status", daemon=True)  # abandoned if the database hangs
    thread.start()
    thread.join(deadline_s)
    if thread.is_alive() or failure:
        from registry.dberrors import describe, is_store_error, where  # late: SQLAlchemy, needed only to explain
    if thread.is_alive():
        raise NoAnswer(f"the database at {where(url)} did not answer in time ({deadline_s:.0f} s)")
    if failure:
        if is_store_error(failure[0]):
            raise NoAnswer(describe(failure[0], url)) from None
        raise failure[0]
    return result[0]
