"""Mistakes a new user makes are said out loud: no settings, Slack without a token, a missing directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.pipeline.feeds import OKTA_BREACH, write_feed
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.cli.status import banner
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings, SourceSettings


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with no vendorwatch settings anywhere."""
    monkeypatch.chdir(tmp_path)
    for var in ("VENDORWATCH_CONFIG", "VENDORWATCH_DATABASE_URL", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_no_settings_file_warns_naming_where_it_looked_and_init_writes_a_starter(bare: Path, runner: CliRunner) -> None:
    listed = runner.invoke(cli, ["incidents", "list"])
    assert listed.exit_code == 0 and "warning: no settings file found" in listed.stderr
    assert "VENDORWATCH_CONFIG not set" in listed.stderr and "./config/vendorwatch.toml" in listed.stderr
    init = runner.invoke(cli, ["init"])
    assert init.exit_code == 0 and "wrote starter settings config/vendorwatch.toml" in init.stdout
    assert 'channels = ["console"]' in (bare / "config" / "vendorwatch.toml").read_text(encoding="utf-8")
    again = runner.invoke(cli, ["incidents", "list"])
    assert again.exit_code == 0 and "warning" not in again.stderr and "no incidents yet" in again.stdout


def test_slack_without_a_token_fails_status(bare: Path, runner: CliRunner) -> None:
    (bare / "vw.toml").write_text('database_url = "sqlite:///vw.db"\nchannels = ["slack"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["--config", "vw.toml", "status"])
    assert result.exit_code == 1 and "SLACK_BOT_TOKEN is not set" in result.stdout
    console = runner.invoke(cli, ["--config", "vw.toml", "status"], env={"VENDORWATCH_CHANNELS": '["console"]'})
    assert console.exit_code == 0, console.output


def test_a_missing_output_directory_is_one_error_line(bare: Path, runner: CliRunner) -> None:
    (bare / "vw.toml").write_text('database_url = "sqlite:///vw.db"\nchannels = ["console"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["--config", "vw.toml", "report", "board", "-o", "missing-dir/board.pdf"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: missing-dir/board.pdf: directory missing-dir does not exist (create it or choose another -o)"
    ]


def test_poll_exits_1_when_every_source_failed_and_warns_when_some_did(bare: Path, runner: CliRunner) -> None:
    write_feed(bare / "feeds", "wire", [OKTA_BREACH])
    with FeedServer(bare / "feeds") as server:
        for name, ids in (("all", ("gone", "lost")), ("some", ("wire", "gone"))):
            sources = "".join(f'[[sources]]\nid = "{i}"\nurl = "{server.url(i + ".xml")}"\n' for i in ids)
            (bare / f"{name}.toml").write_text(
                f'database_url = "sqlite:///{name}.db"\nchannels = ["console"]\n{sources}', encoding="utf-8"
            )
        every = runner.invoke(cli, ["--config", "all.toml", "poll", "--once"])
        some = runner.invoke(cli, ["--config", "some.toml", "poll", "--once"])
    assert every.exit_code == 1 and "error: 2 of 2 sources failed" in every.stderr
    assert some.exit_code == 0 and "warning: 1 of 2 sources failed" in some.stderr


def test_run_banner_says_what_it_watches_and_where_alerts_go(tmp_path: Path) -> None:
    sources = [SourceSettings(id=f"s{n}", url=f"https://feeds.example/{n}") for n in range(2)]
    app = App(settings=Settings(database_url=f"sqlite:///{tmp_path / 'vw.db'}", channels=["console"], sources=sources))
    line = banner(app)
    assert "\n" not in line and "2 sources" in line and "alerts to console" in line and "vw.db" in line
