"""`vendorwatch demo` tells its whole story at 80 columns, and its hints work as printed."""

from __future__ import annotations

import json
import shlex
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reports.decide import board_summary
from reports.metrics import board_metrics
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.demo import DEMO_START
from vendorwatch.settings import Settings

ENV = {"COLUMNS": "80", "VENDORWATCH_CONFIG": "", "SLACK_BOT_TOKEN": ""}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The demo's output and its work directory (run once: it takes a few seconds)."""
    workdir = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--workdir", str(workdir)], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout, workdir


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_section_three_shows_reminders_and_escalations_on_the_demo_clock(demo: tuple[str, Path]) -> None:
    third = _section(demo[0], "3. Six hours later", "4. Three days later")
    assert "  | [ESCALATION] " in third and "  | [REMINDER] " in third
    assert "was due 2026-11-23 02:30 UTC" in third and "--by NAME" in third


def test_every_line_fits_80_columns_and_wrapped_alerts_keep_the_gutter(demo: tuple[str, Path]) -> None:
    lines = demo[0].splitlines()
    long = [line for line in lines if len(line) > 80]
    assert all("http" in line or line.startswith("  vendorwatch --config") for line in long)  # copyable as one line
    assert "1 incidents" not in demo[0] and "Rotate Okta API token Okta" not in demo[0]
    replies = [n for n, line in enumerate(lines) if line.startswith("  | [FOLLOW-UP]")]
    assert replies and all(lines[n + 1].startswith("  |") for n in replies)


def test_recorded_outages_close_in_section_four(demo: tuple[str, Path]) -> None:
    fourth = " ".join(_section(demo[0], "4. Three days later", "5. Board report").split())
    assert "2 recorded outages closed after two quiet days" in fourth and "resolved" in fourth


def test_the_settings_file_lists_the_sources_and_every_hint_runs(demo: tuple[str, Path], runner: CliRunner) -> None:
    text, workdir = demo
    config = str(workdir / "vendorwatch.toml")
    sources = runner.invoke(cli, ["--config", config, "status", "--json"], env=ENV)
    assert len(json.loads(sources.stdout)["sources"]) == 6
    hints = [line.strip() for line in text.splitlines() if line.startswith("  vendorwatch --config")]
    assert len(hints) >= 5
    for hint in hints:
        result = runner.invoke(cli, shlex.split(hint)[1:], env=ENV)
        assert result.exit_code == 0, (hint, result.output)
        assert "no incidents" not in result.stdout and "warning" not in result.stderr
    listed = runner.invoke(cli, ["--config", config, "sources", "list"], env=ENV)
    assert "okta-security" in listed.stdout and "11-25 22:30" in listed.stdout


def test_the_board_report_measures_time_to_detect_on_the_one_live_detection(demo: tuple[str, Path]) -> None:
    app = App(settings=Settings(database_url=f"sqlite:///{demo[1] / 'demo.db'}"))
    with app.session() as s:
        m = board_metrics(s, now=DEMO_START + timedelta(hours=72))  # the demo's clock at its last poll
    app.engine.dispose()
    live = {r.incident.vendor: r.incident.ttd_hours for r in m.incidents if not r.incident.backfilled}
    assert live == {"Twilio": pytest.approx(40 / 60)}  # reported 21:50, alerted by the 22:30 poll
    assert (m.current.incidents, m.current.backfilled) == (5, 4)  # the first poll's finds: not detection latency
    assert board_summary(m).indicators[0].value == "40 min"
