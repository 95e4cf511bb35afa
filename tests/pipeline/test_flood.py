"""Sixty outlets retelling one story over two hours: a handful of thread replies, every report still kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from tests.pipeline.feeds import OKTA_BREACH, OKTA_FOLLOW_UP, write_feed
from tests.pipeline.test_alerts import CHANNEL, _fields
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.poll import pipeline

RETELLINGS = [
    (f"Outlet {n}: Okta confirms breach of its support case system, customer session tokens stolen", OKTA_BREACH[1])
    for n in range(60)
]


def _reported(text: str) -> int:
    """How many reports a thread reply stands for ("12 more reports: ..." or one "New report")."""
    if (match := re.search(r"(\d+) more reports", text)) is not None:
        return int(match.group(1))
    return 1 if "New report" in text else 0


def test_sixty_retellings_in_two_hours_make_at_most_ten_replies_and_lose_no_report(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, db_url: str
) -> None:
    skew = [timedelta(0)]  # the app's clock runs (Slack pacing needs it) and jumps ten minutes a step
    app = App(settings=slack_app.settings, clock=lambda: datetime.now(UTC) + skew[0])
    channels = build_channels(app.settings)
    start = app.now() - timedelta(days=3)
    write_feed(feeds_dir, "blog", [])
    for step in range(13):  # every 10 minutes for two hours, five new retellings each time
        write_feed(feeds_dir, "wire", [OKTA_BREACH, *RETELLINGS[: 5 * step]], start=start)
        pipeline.poll_once(app)
        outbox.dispatch_until_idle(app, channels, timeout=20)
        skew[0] += timedelta(minutes=10)
    skew[0] += timedelta(minutes=15)  # the last digest's window ends
    outbox.dispatch_until_idle(app, channels, timeout=20)
    [root] = slack_standin.root_messages(CHANNEL)
    replies = [r.text for r in slack_standin.replies(root.ts)]
    reports = [r for r in replies if _reported(r)]
    assert len(replies) <= 10, replies
    counted = next(f for f in _fields(slack_standin.message(root.ts).blocks) if f.startswith("*Reports*"))
    total = int(counted.split("\n")[1])
    assert total >= 60, "the root counts every report"
    assert sum(_reported(r) for r in reports) == total - 1, "every report after the first is named in a reply"
    assert any(re.search(r"\d+ more reports: wire", r) for r in reports)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    shown = CliRunner().invoke(cli, ["incidents", "show", "1"], env=env).output
    assert all(f"Outlet {n}:" in shown for n in range(60)), "incidents show lists every report"
    app.engine.dispose()


def test_a_report_that_fires_an_assessment_trigger_is_threaded_at_once(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    channels = build_channels(slack_app.settings)
    write_feed(feeds_dir, "blog", [])
    write_feed(feeds_dir, "wire", [OKTA_BREACH, RETELLINGS[0]])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    write_feed(feeds_dir, "wire", [OKTA_BREACH, RETELLINGS[0], RETELLINGS[1]])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    [root] = slack_standin.root_messages(CHANNEL)
    quiet = len(slack_standin.replies(root.ts))
    assert quiet == 1, "the second retelling within the window waits in the digest"
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    replies = [r.text for r in slack_standin.replies(root.ts)]
    assert any("Assessment" in r for r in replies[quiet:]), "the fired trigger is posted at once"
    assert any("2 more reports: wire, blog" in r for r in replies[quiet:]), "with the reports held so far"


def test_status_counts_the_follow_ups_collecting_for_their_window(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, db_url: str
) -> None:
    channels = build_channels(slack_app.settings)
    write_feed(feeds_dir, "blog", [])
    write_feed(feeds_dir, "wire", [OKTA_BREACH, RETELLINGS[0]])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    write_feed(feeds_dir, "wire", [OKTA_BREACH, *RETELLINGS[:3]])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    shown = CliRunner().invoke(cli, ["status"], env=env).output
    data = CliRunner().invoke(cli, ["status", "--json"], env=env).output
    assert "1 collecting (0 due)" in shown, shown
    assert '"collecting": 1' in data and '"collecting_due": 0' in data
