"""The command-line contract of DESIGN.md, driven end to end on a real SQLite file and loopback feeds."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.pipeline.feeds import CIRCLECI_BREACH, OKTA_BREACH, REGISTRY, write_feed
from vendorwatch.cli.main import app as cli
from vendorwatch.feedserver import FeedServer


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    return {"VENDORWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'vw.db'}", "VENDORWATCH_CONFIG": ""}


def _config(tmp_path: Path, server: FeedServer) -> Path:
    path = tmp_path / "vendorwatch.toml"
    path.write_text(
        f'channels = ["console"]\n[[sources]]\nid = "wire"\nurl = "{server.url("wire.xml")}"\n'
        f'[[sources]]\nid = "gone"\nurl = "{server.url("missing.xml")}"\n',
        encoding="utf-8",
    )
    return path


def test_init_import_poll_and_incidents_json(tmp_path: Path, env: dict[str, str], runner: CliRunner) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    write_feed(tmp_path / "feeds", "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    with FeedServer(tmp_path / "feeds") as server:
        config = ["--config", str(_config(tmp_path, server))]
        assert runner.invoke(cli, [*config, "init"], env=env).exit_code == 0
        assert runner.invoke(cli, [*config, "registry", "import", str(registry)], env=env).exit_code == 0
        polled = runner.invoke(cli, [*config, "poll", "--once"], env=env)
        listed = runner.invoke(cli, [*config, "incidents", "list", "--json"], env=env)
        sources = runner.invoke(cli, [*config, "sources", "list", "--json"], env=env)
    assert polled.exit_code == 0, polled.output
    assert "[NEW INCIDENT]" in polled.stdout and "gone: HTTP 404" in polled.stdout
    incidents = json.loads(listed.stdout)
    assert sorted(i["vendor"] for i in incidents) == ["CircleCI", "Okta"]
    for incident in incidents:
        assert {"id", "vendor", "title", "kind", "severity", "alerted", "first_seen", "references"} <= incident.keys()
        assert incident["alerted"] is True and incident["kind"] in ("breach", "credential-exposure")
        [ref] = incident["references"]
        assert {"url", "title", "source", "published"} <= ref.keys() and ref["source"] == "wire"
    health = {s["id"]: s for s in json.loads(sources.stdout)}
    assert health["wire"]["last_error"] is None and health["gone"]["consecutive_failures"] == 1


def test_incidents_show_prints_evidence_and_unknown_id_is_exit_2(
    tmp_path: Path, env: dict[str, str], runner: CliRunner
) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    write_feed(tmp_path / "feeds", "wire", [OKTA_BREACH])
    with FeedServer(tmp_path / "feeds") as server:
        config = ["--config", str(_config(tmp_path, server))]
        runner.invoke(cli, [*config, "registry", "import", str(registry)], env=env)
        runner.invoke(cli, [*config, "poll", "--once"], env=env)
        shown = runner.invoke(cli, [*config, "incidents", "show", "1"], env=env)
        missing = runner.invoke(cli, [*config, "incidents", "show", "99"], env=env)
    assert shown.exit_code == 0
    assert "Evidence" in shown.stdout and "rule " in shown.stdout and "Severity: critical" in shown.stdout
    assert "(class: " in shown.stdout  # every decision names the class of text that fired
    assert "Current assessment #0" in shown.stdout
    assert missing.exit_code == 2 and "no incident with id 99" in missing.stderr


def test_poll_without_once_is_a_usage_error(env: dict[str, str], runner: CliRunner) -> None:
    result = runner.invoke(cli, ["poll"], env=env)
    assert result.exit_code == 2 and "--once" in result.stderr


def test_hostile_feed_text_prints_as_data(tmp_path: Path, env: dict[str, str], runner: CliRunner) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text(REGISTRY, encoding="utf-8")
    title = "Okta confirms breach [/] [link=file:///etc/passwd]x[/link] \x1b[2J\x1b]0;owned\x07 of its support system"
    write_feed(tmp_path / "feeds", "wire", [(title, OKTA_BREACH[1])])
    with FeedServer(tmp_path / "feeds") as server:
        config = ["--config", str(_config(tmp_path, server))]
        runner.invoke(cli, [*config, "registry", "import", str(registry)], env=env)
        runner.invoke(cli, [*config, "poll", "--once"], env=env)
        listed = runner.invoke(cli, [*config, "incidents", "list"], env={**env, "COLUMNS": "200"})
        shown = runner.invoke(cli, [*config, "incidents", "show", "1"], env=env)
    for result in (listed, shown):
        assert result.exit_code == 0, result.output
        assert "[link=file:///etc/passwd]" in result.stdout and "\x1b" not in result.stdout


def test_an_unreachable_database_is_one_error_line_without_the_password(runner: CliRunner) -> None:
    env = {"VENDORWATCH_DATABASE_URL": "postgresql+psycopg://vw:s3cret-pw@127.0.0.1:1/vw", "VENDORWATCH_CONFIG": ""}
    result = runner.invoke(cli, ["vendors", "list"], env=env)
    assert result.exit_code == 1
    assert result.stderr == "error: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused\n"
    assert "s3cret-pw" not in result.output


class _RateLimited(BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(429)
        self.send_header("Retry-After", "3600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_poll_once_honours_retry_after_unless_forced(tmp_path: Path, env: dict[str, str], runner: CliRunner) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "vendorwatch.toml"
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    config.write_text(f'channels = ["console"]\n[[sources]]\nid = "busy"\nurl = "{url}"\n', encoding="utf-8")
    try:
        first = runner.invoke(cli, ["--config", str(config), "poll", "--once"], env=env)
        second = runner.invoke(cli, ["--config", str(config), "poll", "--once"], env=env)
        assert _RateLimited.hits == 1 and "busy: backing off until" in second.stdout
        runner.invoke(cli, ["--config", str(config), "poll", "--once", "--force"], env=env)
        assert _RateLimited.hits == 2
    finally:
        server.shutdown()
    assert "busy: HTTP 429 Too Many Requests (retry after 3600 s)" in first.stdout
