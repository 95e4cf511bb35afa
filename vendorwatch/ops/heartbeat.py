"""The worker's side of health: each job runs within a budget, its results are kept, and a beat writes them.

A job that raises or hangs past its budget is recorded (and counted) as a failure; a hung job is abandoned
(its thread is left to finish on its own, and the job is not started again until it has). A database error
drops the pooled connections, so a database that comes back, or a SQLite file made writable again, is used
afresh on the next tick instead of through a connection opened read-only or broken.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from registry.dberrors import describe, is_store_error
from registry.repo import workers
from vendorwatch.app import App
from vendorwatch.ops import metrics

logger = logging.getLogger(__name__)
URL = re.compile(r"[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
FORGET_AFTER_S = 7 * 24 * 3600  # rows of workers gone for a week are dropped by the next beat


def _reason(exc: BaseException, url: str) -> str:
    if is_store_error(exc):
        return describe(exc, url)
    first = str(exc).splitlines()[0][:200] if str(exc) else ""
    # A message may quote a URL, and a webhook URL is a secret: keep the words, drop the address.
    return f"{type(exc).__name__}: {URL.sub('<url>', first)}".rstrip(": ")


class Ledger:
    """This worker's jobs and heartbeat: last results per job, and when the database last took a beat."""

    def __init__(self, app: App, worker_id: str) -> None:
        self.app = app
        self.worker_id = worker_id
        self.started_at = app.now()
        self.last_beat_ok = self.started_at
        self.jobs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._threads: dict[str, threading.Thread] = {}

    def run(self, job_id: str, budget_s: float, fn: Callable[[], None]) -> None:
        """Run `fn` for at most `budget_s`, recording success, failure or a hang."""
        previous = self._threads.get(job_id)
        if previous is not None and previous.is_alive():
            self._failed(job_id, f"still hung past its budget of {budget_s:g} s; not started again", hung=True)
            return
        outcome: list[BaseException | None] = []
        thread = threading.Thread(target=self._call, args=(fn, outcome), name=f"job-{job_id}", daemon=True)
        self._begin(job_id)
        thread.start()
        thread.join(budget_s)
        if thread.is_alive():
            self._threads[job_id] = thread
            self._failed(job_id, f"hung past its budget of {budget_s:g} s; abandoned", hung=True)
        elif outcome and outcome[0] is not None:
            self._failed(job_id, _reason(outcome[0], self.app.settings.database_url), outcome[0])
        else:
            self._ok(job_id)

    @staticmethod
    def _call(fn: Callable[[], None], outcome: list[BaseException | None]) -> None:
        try:
            fn()
            outcome.append(None)
        except Exception as exc:  # recorded by the caller: one failed tick must not stop the scheduler
            logger.debug("job traceback", exc_info=True)
            outcome.append(exc)

    def _begin(self, job_id: str) -> None:
        with self._lock:
            job = self.jobs.setdefault(job_id, {"runs": 0, "failures_in_a_row": 0, "last_error": None})
            job.update(runs=job["runs"] + 1, running_since=self.app.now().isoformat())

    def _ok(self, job_id: str) -> None:
        with self._lock:
            now = self.app.now().isoformat()
            self.jobs[job_id].update(failures_in_a_row=0, last_ok_at=now, last_run_at=now, running_since=None)

    def _failed(self, job_id: str, reason: str, exc: BaseException | None = None, *, hung: bool = False) -> None:
        logger.error("job %s failed: %s", job_id, reason)
        metrics.JOB_FAILURES.labels(job_id).inc()
        if exc is not None and is_store_error(exc):
            metrics.DB_ERRORS.inc()
            self.app.engine.dispose()  # reconnect afresh next tick (read-only SQLite, restarted PostgreSQL)
        with self._lock:
            job = self.jobs.setdefault(job_id, {"runs": 1, "failures_in_a_row": 0})
            now = self.app.now().isoformat()
            job.update(
                failures_in_a_row=job["failures_in_a_row"] + 1,
                last_error=reason,
                last_failed_at=now,
                last_run_at=now,
                running_since=job.get("running_since") if hung else None,
            )

    def beat(self, *, stopped: bool = False) -> bool:
        """Write this worker's heartbeat; False (logged, counted) when the database did not take it."""
        now = self.app.now()
        with self._lock:
            jobs = {k: dict(v) for k, v in self.jobs.items()}
        row = workers.WorkerBeat(
            self.worker_id,
            socket.gethostname(),
            os.getpid(),
            self.started_at,
            now,
            self.app.settings.heartbeat_s,
            now if stopped else None,
            jobs,
        )
        try:
            with self.app.session() as s:
                workers.beat(s, row)
                workers.forget_before(s, datetime.fromtimestamp(now.timestamp() - FORGET_AFTER_S, now.tzinfo))
        except Exception as exc:
            if not is_store_error(exc):
                raise
            logger.error("heartbeat: %s", describe(exc, self.app.settings.database_url))
            metrics.DB_ERRORS.inc()
            self.app.engine.dispose()
            return False
        self.last_beat_ok = now
        return True

    def unable_for_s(self) -> float:
        """Seconds since the database last took this worker's heartbeat."""
        return (self.app.now() - self.last_beat_ok).total_seconds()


def beat_until(ledger: Ledger, stop: threading.Event) -> None:
    """Beat now and every `heartbeat_s` until `stop` is set (the heartbeat thread of `run`)."""
    while True:
        ledger.beat()
        if stop.wait(ledger.app.settings.heartbeat_s):
            return


def wait_or_give_up(ledger: Ledger, stop: threading.Event) -> bool:
    """Wait for `stop`; True (and `stop` set) once the database took no beat for `give_up_after` seconds."""
    limit = ledger.app.settings.give_up_after
    while not stop.wait(1.0):
        if ledger.unable_for_s() > limit:
            logger.error(
                "giving up: the database took no heartbeat for %.0f s (give_up_after = %d s); exiting 1 "
                "so a supervisor restarts this worker",
                ledger.unable_for_s(),
                limit,
            )
            stop.set()
            return True
    return False
