"""`vendorwatch status` is a health check: exit 0 when all is well, 1 with the reasons when not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from registry.models import Source, Vendor
from tests.app.test_status_reads import alerted_incident
from tests.pipeline.feeds import write_feed
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.feedserver import FeedServer
from vendorwatch.incidents import clocks
from vendorwatch.poll.sources import sync_sources
from vendorwatch.settings import Settings, SourceSettings


def test_status_turns_unhealthy_when_a_source_keeps_failing(tmp_path: Path, runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'vw.db'}", "VENDORWATCH_CONFIG": ""}
    write_feed(tmp_path / "feeds", "good", [("Okta ships a new admin console", "Product news.")])
    with FeedServer(tmp_path / "feeds") as server:
        config = tmp_path / "vendorwatch.toml"
        sources = "".join(f'[[sources]]\nid = "{n}"\nurl = "{server.url(n + ".xml")}"\n' for n in ("good", "gone"))
        config.write_text(f'channels = ["console"]\n{sources}', encoding="utf-8")
        args = ["--config", str(config)]
        runner.invoke(cli, [*args, "poll", "--once"], env=env)
        healthy = runner.invoke(cli, [*args, "status", "--json"], env=env)
        for _ in range(2):
            runner.invoke(cli, [*args, "poll", "--once", "--force"], env=env)
        unhealthy = runner.invoke(cli, [*args, "status"], env=env)
    assert healthy.exit_code == 0 and json.loads(healthy.stdout)["healthy"] is True
    assert unhealthy.exit_code == 1
    assert "source gone: 3 failures in a row (HTTP 404 Not Found)" in unhealthy.stdout


def test_status_lists_regulatory_deadlines_within_24_hours_and_the_overdue_ones(
    tmp_path: Path, runner: CliRunner
) -> None:
    url = f"sqlite:///{tmp_path / 'vw.db'}"
    app = App(settings=Settings(database_url=url))
    now = datetime.now(UTC)
    with app.session() as s:
        vendor = Vendor(name="Okta", criticality="critical")
        s.add(vendor)
        s.flush()
        ids = []
        for alerted in (now - timedelta(hours=30), now):  # aware 30 h ago: the DORA initial (24 h) is overdue
            ids.append(alerted_incident(s, vendor.id or 0, alerted))
            clocks.record(s, ids[-1], clocks.MAJOR, by="ciso", now=now)
    late, soon = ids
    app.engine.dispose()
    env = {
        "VENDORWATCH_DATABASE_URL": url,
        "VENDORWATCH_CONFIG": "",
        "VENDORWATCH_CHANNELS": '["console"]',
        "VENDORWATCH_REGIMES": '["dora"]',
        "COLUMNS": "80",
    }
    shown = runner.invoke(cli, ["status"], env=env)
    data = json.loads(runner.invoke(cli, ["status", "--json"], env=env).stdout)
    assert shown.exit_code == 1 and "attention: deadlines: 1 regulatory deadline passed unrecorded" in shown.stdout
    lines = shown.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if "Regulatory deadlines" in line)
    table = lines[start : start + 5]  # title, header, rule, two rows
    assert max(len(line) for line in table) <= 80 and table[3].startswith(f"{late} ") and "overdue" in table[3]
    rows = [(d["incident_id"], d["step"], d["status"]) for d in data["deadlines"]]
    assert rows == [(late, "initial", "overdue"), (soon, "initial", "due-soon")]
    assert datetime.fromisoformat(data["deadlines"][1]["due"]) - now == timedelta(hours=4)


def test_an_error_text_cannot_forge_attention_lines_or_drive_the_terminal(tmp_path: Path, runner: CliRunner) -> None:
    url = f"sqlite:///{tmp_path / 'vw.db'}"
    settings = Settings(
        database_url=url, channels=["console"], sources=[SourceSettings(id="evil", url="https://evil.example/f.xml")]
    )
    app = App(settings=settings)
    with app.session() as s:
        sync_sources(s, settings.sources)
        row = s.get_one(Source, "evil")
        # What a hostile or broken server can put in an error: a line break, terminal escapes, a whole page.
        row.last_error = "HTTP 500\nattention: all clear\r\x1b[2K\x1b[31mred\x07 " + "x" * 5000
        row.consecutive_failures = 3
    app.engine.dispose()
    env = {"VENDORWATCH_DATABASE_URL": url, "VENDORWATCH_CONFIG": "", "VENDORWATCH_CHANNELS": '["console"]'}
    config = tmp_path / "vw.toml"
    config.write_text('[[sources]]\nid = "evil"\nurl = "https://evil.example/f.xml"\n', encoding="utf-8")
    shown = runner.invoke(cli, ["--config", str(config), "status"], env={**env, "VENDORWATCH_CONFIG": str(config)})
    assert shown.exit_code == 1
    attention = [line for line in shown.stdout.splitlines() if line.startswith("attention:")]
    assert len(attention) == 1 and attention[0].startswith("attention: source evil: 3 failures in a row (HTTP 500")
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout and "\r" not in shown.stdout
    assert len(attention[0]) <= len("attention: ") + 500 and attention[0].endswith("…")
