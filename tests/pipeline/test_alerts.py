"""Alerts end to end: one Slack root per incident, follow-ups threaded, never lost, never doubled."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.pipeline.feeds import CIRCLECI_BREACH, OKTA_BREACH, OKTA_FOLLOW_UP, write_feed
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.poll import pipeline

CHANNEL = "#identity-alerts"


def _cycle(app: App, timeout: float = 20) -> outbox.DispatchStats:
    pipeline.poll_once(app)
    return outbox.dispatch_until_idle(app, build_channels(app.settings), timeout=timeout)


def _fields(blocks: list[dict[str, Any]]) -> list[str]:
    """The texts of every section field, as Slack shows them (label line, then value)."""
    return [f["text"] for b in blocks if b.get("type") == "section" for f in b.get("fields", [])]


def test_one_root_per_incident_with_follow_ups_threaded_and_root_updated(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [])
    _cycle(slack_app)
    roots = slack_standin.root_messages(CHANNEL)
    assert len(roots) == 2
    okta = next(m for m in roots if "Okta" in m.text)
    assert "*Reports*\n1" in _fields(okta.blocks)

    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    _cycle(slack_app)
    assert len(slack_standin.root_messages(CHANNEL)) == 2, "a follow-up must not open a second thread"
    replies = slack_standin.replies(okta.ts)
    assert "all customer support users" in replies[0].text
    assert len(replies) == 2 and "Assessment 1" in replies[1].text, "the scope expansion reassesses the incident"
    assert slack_standin.updates(okta.ts), "the root message is kept current"
    assert "*Reports*\n2" in _fields(slack_standin.message(okta.ts).blocks), "the root counts both reports"


def test_rate_limits_and_server_errors_deliver_everything_exactly_once_in_order(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    slack_standin.fail_next([(429, {"Retry-After": "1"})] * 3 + [(500, {})] * 2)
    stats = _cycle(slack_app, timeout=60)
    assert stats.failed == 0 and outbox.pending_count(slack_app) == 0
    roots = slack_standin.root_messages(CHANNEL)
    assert len(roots) == 2 and sum("Okta" in m.text for m in roots) == 1
    okta = next(m for m in roots if "Okta" in m.text)
    replies = slack_standin.replies(okta.ts)
    assert sum("New report" in r.text for r in replies) == 1
    assert all(float(r.ts) > float(okta.ts) for r in replies), "the root is posted before its replies"
    delivered = [c for c in slack_standin.calls_to("chat.postMessage") if c.status == 200 and not c.error]
    assert len(delivered) == 2 + len(replies), "every root and reply exactly once"


def test_slack_unreachable_for_a_whole_poll_loses_nothing(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [])
    slack_standin.down()
    stats = _cycle(slack_app, timeout=2)
    assert stats.sent == 0 and outbox.pending_count(slack_app) == 2
    slack_standin.up()
    later = App(settings=slack_app.settings, clock=lambda: slack_app.now() + timedelta(days=366))
    stats = outbox.dispatch_until_idle(later, build_channels(later.settings), timeout=20)
    assert stats.sent == 2 and len(slack_standin.root_messages(CHANNEL)) == 2


def test_hostile_feed_text_pings_nobody_and_spoofs_no_link(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    title = "Okta breach: <!channel> <!here> <@U123> attackers stole session tokens, see <http://evil.example|okta.com>"
    write_feed(feeds_dir, "wire", [(title, OKTA_BREACH[1] + " <!everyone> <http://evil.example|click>")])
    write_feed(feeds_dir, "blog", [])
    stats = _cycle(slack_app)
    assert stats.failed == 0
    [root] = slack_standin.root_messages(CHANNEL)
    rendered = root.text + str(root.blocks)
    for forbidden in ("<!channel>", "<!here>", "<@U123>", "<!everyone>", "<http://evil.example|"):
        assert forbidden not in rendered
    assert "&lt;@U123&gt;" in rendered, "mention syntax from a feed shows literally"


def test_closing_a_task_updates_the_root_message_progress(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, db_url: str
) -> None:
    from typer.testing import CliRunner

    from vendorwatch.cli.main import app as cli

    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    _cycle(slack_app)
    [root] = slack_standin.root_messages(CHANNEL)
    total = int(re.search(r"0/(\d+) done", str(root.blocks)).group(1))  # type: ignore[union-attr]
    env = {
        "VENDORWATCH_DATABASE_URL": db_url,
        "VENDORWATCH_CONFIG": "",
        "SLACK_BOT_TOKEN": slack_standin.token,
        "VENDORWATCH_SLACK_API_URL": slack_standin.api_url,
    }
    done = CliRunner().invoke(cli, ["tasks", "done", "1", "--by", "alice", "--evidence", "CHG-1"], env=env)
    assert done.exit_code == 0, done.output
    outbox.dispatch_until_idle(slack_app, build_channels(slack_app.settings), timeout=20)
    assert f"1/{total} done" in str(slack_standin.message(root.ts).blocks)
