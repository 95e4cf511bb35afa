"""`status` tells the truth about workers: live ones listed with their age, none left, jobs failing or hung."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from prometheus_client import generate_latest
from typer.testing import CliRunner

from registry.models import Delivery
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.ops import metrics, scheduler
from vendorwatch.ops.heartbeat import Ledger
from vendorwatch.settings import Settings


def wait_for(check: Callable[[], bool], limit_s: float = 30.0) -> bool:
    """Poll `check` until true or `limit_s` passed (a bound for a stuck test, not a speed assert)."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def _env(db_url: str) -> dict[str, str]:
    return {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": "", "VENDORWATCH_CHANNELS": '["console"]'}


def test_status_lists_the_running_worker_and_says_when_none_is_left(db_url: str, runner: CliRunner) -> None:
    vw = App(Settings(database_url=db_url, channels=["console"], heartbeat_s=1))
    stop, codes = threading.Event(), []
    thread = threading.Thread(target=lambda: codes.append(scheduler.run_forever(vw, stop=stop)))
    thread.start()
    try:
        assert wait_for(lambda: _states(runner, db_url) == ["live"])
        shown = runner.invoke(cli, ["status"], env=_env(db_url))
    finally:
        stop.set()
        thread.join()
    after = runner.invoke(cli, ["status"], env=_env(db_url))
    assert shown.exit_code == 0, shown.output
    assert "Workers" in shown.stdout and "live" in shown.stdout and " s ago" in shown.stdout
    assert codes == [0]
    assert after.exit_code == 1
    assert "attention: workers: no live worker" in after.stdout and "stopped" in after.stdout


def test_a_worker_that_stopped_beating_is_dead_and_status_fails(db_url: str, runner: CliRunner) -> None:
    then = App(Settings(database_url=db_url), clock=lambda: App(Settings()).now() - timedelta(minutes=7))
    assert Ledger(then, "worker-a:41").beat()
    result = runner.invoke(cli, ["status"], env=_env(db_url))
    assert result.exit_code == 1
    # 420 s, or a second more when the machine is slow between the beat and the check
    assert re.search(r"attention: workers: no live worker \(last beat 42[01] s ago, worker-a:41, dead\)", result.stdout)


def test_a_job_failing_on_its_last_runs_is_named_with_its_cause_and_counted(db_url: str, runner: CliRunner) -> None:
    ledger = Ledger(App(Settings(database_url=db_url)), "worker-b:42")
    before = _job_failures("poll")

    def broken() -> None:
        raise RuntimeError("parser exploded on https://hooks.example.test/T000/secret-path")

    for _ in range(3):
        ledger.run("poll", 5, broken)
    assert ledger.beat()
    result = runner.invoke(cli, ["status"], env=_env(db_url))
    assert result.exit_code == 1
    assert (
        "worker worker-b:42: job poll failed on its last 3 runs (RuntimeError: parser exploded on <url>)"
        in result.stdout
    )
    assert "secret-path" not in result.stdout
    assert _job_failures("poll") == before + 3
    ledger.run("poll", 5, lambda: None)
    assert ledger.beat() and runner.invoke(cli, ["status"], env=_env(db_url)).exit_code == 0


def test_a_job_hung_past_its_budget_is_abandoned_and_reported_not_skipped_silently(sqlite_url: str) -> None:
    ledger = Ledger(App(Settings(database_url=sqlite_url)), "worker-c:43")
    release = threading.Event()
    ledger.run("dispatch", 0.2, lambda: _wait(release))
    assert ledger.jobs["dispatch"]["last_error"] == "hung past its budget of 0.2 s; abandoned"
    assert ledger.jobs["dispatch"]["running_since"] is not None
    ledger.run("dispatch", 0.2, lambda: None)  # the hung run still holds it: not started twice
    assert ledger.jobs["dispatch"]["last_error"].startswith("still hung past its budget")
    assert ledger.jobs["dispatch"]["failures_in_a_row"] == 2
    release.set()
    assert wait_for(lambda: not ledger._threads["dispatch"].is_alive())
    ledger.run("dispatch", 5, lambda: None)
    assert ledger.jobs["dispatch"]["failures_in_a_row"] == 0


def _states(runner: CliRunner, db_url: str) -> list[str]:
    shown = json.loads(runner.invoke(cli, ["status", "--json"], env=_env(db_url)).stdout or "{}")
    return [w["state"] for w in shown.get("workers", [])]


def _wait(event: threading.Event) -> None:
    event.wait(30)


def _job_failures(job: str) -> float:
    text = generate_latest(metrics.PROCESS).decode()
    line = next(
        (x for x in text.splitlines() if x.startswith(f'vendorwatch_worker_job_failures_total{{job="{job}"}}')), ""
    )
    return float(line.split()[-1]) if line else 0.0


def test_a_delivery_that_failed_for_good_days_ago_still_needs_attention(db_url: str, runner: CliRunner) -> None:
    vw = App(Settings(database_url=db_url))
    long_ago = vw.now() - timedelta(days=3)
    with vw.session() as s:
        s.add(Delivery(channel="slack", dedupe_key="root:1", status="failed", created_at=long_ago, failed_at=long_ago))
    result = runner.invoke(cli, ["status"], env=_env(db_url))
    assert result.exit_code == 1
    assert "attention: outbox: 1 delivery failed for good (until resent or dismissed)" in result.stdout


def test_only_the_exporting_worker_serves_the_fleet_figures(sqlite_url: str) -> None:
    vw = App(Settings(database_url=sqlite_url))
    quiet = generate_latest(metrics.worker_registry(vw, exports_fleet=lambda: False)).decode()
    leader = generate_latest(metrics.worker_registry(vw, exports_fleet=lambda: True)).decode()
    assert "vendorwatch_worker_polls_total" in quiet and "process_cpu_seconds_total" in quiet
    assert "vendorwatch_deliveries" not in quiet and "vendorwatch_database_up" not in quiet
    assert "vendorwatch_database_up 1.0" in leader and "# TYPE vendorwatch_items gauge" in leader
