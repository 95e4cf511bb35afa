"""The report commands: PDFs written, metrics exported, bad input exits 2."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.reports.seed import seed
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.cli.reports import scheduled_board_report
from vendorwatch.settings import Settings


def _env(sqlite_url: str, tmp_path: Path) -> dict[str, str]:
    """Seed the database; the CLI builds its own App from the environment (quarters are given explicitly)."""
    app = App(settings=Settings(database_url=sqlite_url))
    with app.session() as session:
        seed(session, tmp_path)
    app.engine.dispose()
    return {"VENDORWATCH_DATABASE_URL": sqlite_url, "VENDORWATCH_CONFIG": ""}


def test_board_and_vendor_reports_are_pdfs(sqlite_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = _env(sqlite_url, tmp_path)
    board, one = tmp_path / "board.pdf", tmp_path / "okta.pdf"
    result = runner.invoke(cli, ["report", "board", "--quarter", "2026Q4", "-o", str(board)], env=env)
    assert result.exit_code == 0, result.output
    assert "2026Q4: 2 incidents" in result.stdout
    assert board.read_bytes().startswith(b"%PDF")
    result = runner.invoke(cli, ["report", "vendor", "okta", "-o", str(one)], env=env)
    assert result.exit_code == 0, result.output
    assert one.read_bytes().startswith(b"%PDF")


def test_metrics_json_and_csv(sqlite_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = _env(sqlite_url, tmp_path)
    rows = json.loads(
        runner.invoke(cli, ["report", "metrics", "--quarter", "2026Q4", "--format", "json"], env=env).stdout
    )
    assert {
        "quarter": "2026Q4",
        "section": "concentration",
        "subject": "registry",
        "metric": "hhi",
        "value": 3750,
    } in rows
    csv_out = runner.invoke(cli, ["report", "metrics", "--quarter", "2026Q3", "--format", "csv"], env=env).stdout
    assert "2026Q3,trends,2026Q3,incidents,1" in csv_out


def test_unknown_vendor_and_bad_quarter_exit_2(sqlite_url: str, tmp_path: Path, runner: CliRunner) -> None:
    env = _env(sqlite_url, tmp_path)
    result = runner.invoke(cli, ["report", "vendor", "Nobody", "-o", str(tmp_path / "x.pdf")], env=env)
    assert result.exit_code == 2 and "no vendor named 'Nobody'" in result.stderr
    result = runner.invoke(cli, ["report", "board", "--quarter", "Q4-2026", "-o", str(tmp_path / "x.pdf")], env=env)
    assert result.exit_code == 2 and "2026Q4" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def _try_write(sqlite_url: str) -> str:
    """Another writer (a second command, the scheduler) that waits at most 1 s for the write lock."""
    conn = sqlite3.connect(make_url(sqlite_url).database or "", timeout=1, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE vendor SET owner = 'new-owner' WHERE name = 'Okta'")
        conn.execute("COMMIT")
        return "written"
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        conn.close()


def _write_while_rendering(sqlite_url: str, out: Path, report: Callable[[], Any]) -> tuple[Any, bytes, str]:
    """Run `report`; while its renderer is blocked writing the PDF (a pipe we read), try another write."""
    # The renderer writes into this partial file first (reports.render); a FIFO there pauses it mid-render.
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    os.mkfifo(partial)
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = report()
        finally:  # if the renderer never wrote, opening and closing the pipe wakes our select (hang-up)
            with contextlib.suppress(OSError):
                os.close(os.open(partial, os.O_WRONLY | os.O_NONBLOCK))

    fd = os.open(partial, os.O_RDONLY | os.O_NONBLOCK)
    # A one-page pipe buffer: the renderer blocks after 4 KiB, so neither it nor its caller can finish until we read.
    fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 4096)
    thread = threading.Thread(target=run)
    thread.start()
    select.select([fd], [], [], 120)  # the renderer has written: the report is being rendered (120 s: hang guard)
    outcome = _try_write(sqlite_url)
    os.set_blocking(fd, True)
    with open(fd, "rb") as pipe:
        pdf = pipe.read()
    thread.join()
    return box.get("result"), pdf, outcome


def test_rendering_the_board_report_leaves_the_database_writable(
    sqlite_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    env, board = _env(sqlite_url, tmp_path), tmp_path / "board.pdf"
    args = ["report", "board", "--quarter", "2026Q4", "-o", str(board)]
    result, pdf, outcome = _write_while_rendering(sqlite_url, board, lambda: runner.invoke(cli, args, env=env))
    assert outcome == "written" and result.exit_code == 0 and pdf.startswith(b"%PDF") and len(pdf) > 4096


def test_rendering_the_vendor_report_leaves_the_database_writable(
    sqlite_url: str, tmp_path: Path, runner: CliRunner
) -> None:
    env, one = _env(sqlite_url, tmp_path), tmp_path / "okta.pdf"
    args = ["report", "vendor", "okta", "-o", str(one)]
    result, pdf, outcome = _write_while_rendering(sqlite_url, one, lambda: runner.invoke(cli, args, env=env))
    assert outcome == "written" and result.exit_code == 0 and pdf.startswith(b"%PDF") and len(pdf) > 4096


def test_the_scheduled_board_report_leaves_the_database_writable(sqlite_url: str, tmp_path: Path) -> None:
    _env(sqlite_url, tmp_path)
    out_dir = tmp_path / "reports-out"
    out_dir.mkdir()
    app = App(
        settings=Settings(database_url=sqlite_url, reports_dir=str(out_dir)),
        clock=lambda: datetime(2027, 1, 15, tzinfo=UTC),
    )
    target = out_dir / "board-2026Q4.pdf"
    _, pdf, outcome = _write_while_rendering(sqlite_url, target, lambda: scheduled_board_report(app))
    app.engine.dispose()
    assert outcome == "written" and pdf.startswith(b"%PDF") and len(pdf) > 4096
