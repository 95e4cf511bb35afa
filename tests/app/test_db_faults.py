"""A database that hangs, refuses, is missing or read-only: one line naming the cause, fast; workers recover."""

from __future__ import annotations

import shutil
import subprocess
import threading
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from registry import readonly
from registry.dberrors import describe
from tests.app.tcp import BlackHole, Proxy
from tests.app.test_health import wait_for
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.ops import metrics, scheduler
from vendorwatch.ops.health import NoAnswer, within
from vendorwatch.ops.heartbeat import Ledger
from vendorwatch.settings import Settings


def _env(url: str, **extra: str) -> dict[str, str]:
    return {"VENDORWATCH_DATABASE_URL": url, "VENDORWATCH_CONFIG": "", "VENDORWATCH_CHANNELS": '["console"]', **extra}


def test_status_against_a_database_that_never_answers_fails_naming_it(runner: CliRunner) -> None:
    with BlackHole() as hole:
        url = f"postgresql+psycopg://vw:s3cret-pw@127.0.0.1:{hole.port}/vw"
        result = runner.invoke(cli, ["status"], env=_env(url, VENDORWATCH_DB_CONNECT_TIMEOUT_S="2"))
    assert result.exit_code == 1
    assert (
        result.stderr == f"error: cannot connect to PostgreSQL at 127.0.0.1:{hole.port}: no answer (connect timeout)\n"
    )
    assert "s3cret-pw" not in result.output


def test_status_gives_its_answer_by_the_deadline_even_when_the_driver_would_wait_longer() -> None:
    with BlackHole() as hole:
        url = f"postgresql+psycopg://vw@127.0.0.1:{hole.port}/vw"
        vw = App(Settings(database_url=url, db_connect_timeout_s=60))
        with pytest.raises(NoAnswer, match=rf"the database at 127.0.0.1:{hole.port} did not answer in time \(1 s\)"):
            within(lambda: vw.engine, url, deadline_s=1)


def test_a_missing_postgresql_database_is_named(pg_admin_url: str, runner: CliRunner) -> None:
    url = make_url(pg_admin_url).set(database="vw_i24_missing").render_as_string(hide_password=False)
    result = runner.invoke(cli, ["vendors", "list"], env=_env(url))
    assert result.exit_code == 1
    host = make_url(pg_admin_url)
    assert result.stderr == f"error: database vw_i24_missing does not exist (PostgreSQL at {host.host}:{host.port})\n"


def _immutable(path: Path, on: bool) -> bool:
    tool = shutil.which("chattr")
    done = tool and subprocess.run([tool, "+i" if on else "-i", str(path)], capture_output=True).returncode == 0
    return bool(done)


def test_a_read_only_sqlite_file_is_named_and_the_worker_resumes_once_writable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "vw.db"
    first = App(Settings(database_url=f"sqlite:///{db}"))
    assert Ledger(first, "worker-rw:1").beat()
    first.engine.dispose()
    ledger = Ledger(App(Settings(database_url=f"sqlite:///{db}")), "worker-ro:2")  # started on a read-only file
    if not _immutable(db, True):  # root ignores file modes; the immutable flag binds even root
        pytest.skip("chattr +i not available here (needed to make the file read-only for root)")
    try:
        refused = ledger.beat()
    finally:
        _immutable(db, False)
    assert not refused
    assert [r.getMessage() for r in caplog.records] == [f"heartbeat: SQLite file {db} is read-only"]
    assert ledger.beat(), "a file made writable again is used on the next beat"


def test_fleet_metrics_are_gauges_for_state_and_pass_promtool(app: App) -> None:
    text = metrics.render(app)
    assert "# TYPE vendorwatch_deliveries gauge" in text and "# TYPE vendorwatch_tasks_open gauge" in text
    assert "vendorwatch_database_up 1.0" in text and "vendorwatch_sources_failing 0.0" in text
    _promtool(text)


def test_a_worker_resumes_when_postgresql_comes_back_and_gives_up_when_it_does_not(pg_url: str) -> None:
    target = make_url(pg_url)
    with Proxy((target.host or "127.0.0.1", target.port or 5432)) as proxy:
        url = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        vw = App(
            Settings(database_url=url, channels=["console"], heartbeat_s=0.5, give_up_after=4, db_connect_timeout_s=2)
        )
        stop, codes = threading.Event(), []
        thread = threading.Thread(target=lambda: codes.append(scheduler.run_forever(vw, stop=stop)), daemon=True)
        thread.start()
        assert wait_for(lambda: _beats(pg_url) > 0)
        proxy.cut()
        assert wait_for(lambda: not thread.is_alive() or _age(pg_url) > 1.5)
        proxy.restore()
        assert wait_for(lambda: _age(pg_url) < 1.0), "heartbeats resume once the database answers again"
        proxy.cut()
        thread.join(60)
    assert codes == [1], "a worker that cannot reach its database for give_up_after exits 1"


def _beats(url: str) -> int:
    with App(Settings(database_url=url)).session() as s:
        return len(readonly.workers(readonly.Reader.of_session(s)))


def _age(url: str) -> float:
    vw = App(Settings(database_url=url))
    with vw.session() as s:
        rows = readonly.workers(readonly.Reader.of_session(s))
    vw.engine.dispose()
    return (vw.now() - rows[0].last_beat_at).total_seconds() if rows else 1e9


def test_metrics_keep_answering_while_the_database_is_down_and_pass_promtool(tmp_path: Path) -> None:
    with BlackHole() as hole:
        vw = App(Settings(database_url=f"postgresql+psycopg://vw@127.0.0.1:{hole.port}/vw", db_connect_timeout_s=2))
        server = metrics.serve(vw, 0)
        try:
            port = server.server_address[1]
            body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30).read().decode()
        finally:
            server.shutdown()
            server.server_close()
    assert "vendorwatch_database_up 0.0" in body
    assert "process_cpu_seconds_total" in body and "python_info" in body
    assert "vendorwatch_worker_polls_total" in body
    _promtool(body)


def _promtool(text: str) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool not installed (Debian package prometheus)")
    checked = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_postgresql_statements_and_lock_waits_are_cut_short_and_named(pg_url: str) -> None:
    vw = App(Settings(database_url=pg_url, db_statement_timeout_s=1, db_lock_timeout_s=0.5))
    with pytest.raises(Exception) as slow, vw.session() as s:
        s.execute(text("SELECT pg_sleep(30)"))
    assert describe(slow.value, pg_url).endswith("a statement ran past statement_timeout")
    with vw.session() as holder:
        holder.execute(text("LOCK TABLE source IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(Exception) as waited, vw.session() as s:
            s.execute(text("SELECT count(*) FROM source"))
    assert describe(waited.value, pg_url).endswith("waited past lock_timeout for a lock")
    vw.engine.dispose()
