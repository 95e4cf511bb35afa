"""The reviews commands: record, history, due; bad input exits 2."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.reviews.conftest import REGISTRY
from vendorwatch.cli.main import app as cli


def _env(tmp_path: Path, sqlite_url: str, runner: CliRunner) -> dict[str, str]:
    env = {"VENDORWATCH_DATABASE_URL": sqlite_url, "VENDORWATCH_CONFIG": ""}
    (tmp_path / "registry.yaml").write_text(REGISTRY, encoding="utf-8")
    assert runner.invoke(cli, ["registry", "import", str(tmp_path / "registry.yaml")], env=env).exit_code == 0
    return env


def test_record_then_history_and_due(tmp_path: Path, sqlite_url: str, runner: CliRunner) -> None:
    env = _env(tmp_path, sqlite_url, runner)
    args = [
        "reviews",
        "record",
        "Okta",
        "--by",
        "alice",
        "--rating",
        "high",
        "--notes",
        "SOC 2 read",
        "--evidence",
        "https://docs.example/soc2.pdf",
        "--next",
        "2099-01-31",
    ]
    result = runner.invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert "next due 2099-01-31" in result.stdout
    history = json.loads(runner.invoke(cli, ["reviews", "history", "Okta", "--json"], env=env).stdout)
    assert [(h["by"], h["rating"], h["evidence"]) for h in history] == [
        ("alice", "high", "https://docs.example/soc2.pdf")
    ]
    due = json.loads(runner.invoke(cli, ["reviews", "due", "--json"], env=env).stdout)
    assert {d["vendor"] for d in due} == {"GitHub", "Zoom", "Vault"}
    assert runner.invoke(cli, ["reviews", "due"], env=env).exit_code == 0


def test_unknown_vendor_bad_rating_and_bad_date_exit_2(tmp_path: Path, sqlite_url: str, runner: CliRunner) -> None:
    env = _env(tmp_path, sqlite_url, runner)
    for args, message in (
        (["reviews", "record", "Nope", "--by", "a", "--rating", "low"], "no vendor named 'Nope'"),
        (["reviews", "record", "Okta", "--by", "a", "--rating", "severe"], "rating 'severe'"),
        (["reviews", "record", "Okta", "--by", "a", "--rating", "low", "--next", "soon"], "not a date"),
        (["reviews", "history", "Nope"], "no vendor named"),
    ):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 2, args
        assert message in result.stderr
