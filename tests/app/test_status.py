"""`vendorwatch status` is a health check: exit 0 when all is well, 1 with the reasons when not."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.pipeline.feeds import write_feed
from vendorwatch.cli.main import app as cli
from vendorwatch.feedserver import FeedServer


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
