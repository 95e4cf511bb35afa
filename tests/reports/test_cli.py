"""The report commands: PDFs written, metrics exported, bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.reports.seed import seed
from vendorwatch.app import App
from vendorwatch.cli import app as cli
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
