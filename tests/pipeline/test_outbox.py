"""The outbox dispatcher's edge cases: roots that fail for good, crash recovery, names and ids, poison pills."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col
from typer.testing import CliRunner

from registry.models import AuditEvent, ChannelTarget, Delivery, Incident, Vendor
from tests.pipeline.feeds import CIRCLECI_BREACH, OKTA_BREACH, OKTA_FOLLOW_UP, write_feed
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import alerts
from vendorwatch.ops import status
from vendorwatch.poll import pipeline

CHANNEL = "#identity-alerts"


def _dispatch(app: App, timeout: float = 20) -> outbox.DispatchStats:
    return outbox.dispatch_until_idle(app, build_channels(app.settings), timeout=timeout)


def _rows(app: App) -> list[Delivery]:
    with app.session() as s:
        return list(s.execute(select(Delivery).order_by(col(Delivery.id))).scalars())


def _crash_after_send(app: App) -> None:
    """Put the sent root back the way a crash between send and mark-sent leaves it."""
    with app.session() as s:
        row = s.execute(select(Delivery).where(col(Delivery.kind) == "root")).scalar_one()
        row.status, row.ref, row.sent_at, row.target = "sending", None, None, None
        row.claimed_by, row.claimed_until = "crashed-worker", app.now() - timedelta(minutes=1)
        incident = s.get_one(Incident, row.incident_id)
        incident.thread_channel, incident.thread_ref = None, None


def _cli(app: App, slack_standin: SlackStandIn, *args: str) -> tuple[int, str]:
    env = {
        "VENDORWATCH_DATABASE_URL": app.settings.database_url,
        "VENDORWATCH_CONFIG": "",
        "SLACK_BOT_TOKEN": slack_standin.token,
        "VENDORWATCH_SLACK_API_URL": slack_standin.api_url,
        "VENDORWATCH_SLACK_CHANNEL": app.settings.slack.channel,
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def test_a_root_that_fails_for_good_holds_its_thread_until_an_operator_resends_it(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_app.settings.slack.channel = slack_standin.channel_id(CHANNEL)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    slack_standin.fail_next([(200, {}, "channel_not_found")], method="chat.postMessage")
    pipeline.poll_once(slack_app)
    stats = _dispatch(slack_app, timeout=60)

    root, *rest = _rows(slack_app)
    assert root.status == "failed" and root.last_error and "channel_not_found" in root.last_error
    assert rest and {r.status for r in rest} == {"pending"}, "its replies wait for the root, not fail"
    assert (stats.sent, stats.failed, stats.held) == (0, 1, len(rest))
    assert status.collect(slack_app).failed_deliveries == 1, "`vendorwatch status` shows it"

    code, output = _cli(slack_app, slack_standin, "dispatch", "--retry", str(root.id), "--by", "alice")
    assert code == 0, output
    assert f"{1 + len(rest)} sent" in output
    [posted] = slack_standin.root_messages(CHANNEL)
    assert len(slack_standin.replies(posted.ts)) == sum(r.kind == "reply" for r in rest), "in its thread"
    with slack_app.session() as s:
        [audit] = [e for e in s.execute(select(AuditEvent)).scalars() if e.action == "delivery.retried"]
    assert (audit.actor, audit.entity_id) == ("alice", str(root.id))


def test_dispatch_retry_refuses_a_delivery_that_has_not_failed(slack_app: App, slack_standin: SlackStandIn) -> None:
    code, output = _cli(slack_app, slack_standin, "dispatch", "--retry", "99")
    assert code == 2 and "no delivery 99" in output
    code, output = _cli(slack_app, slack_standin, "dispatch", "--retry")
    assert code == 2 and "--all-failed" in output


def test_a_failed_delivery_makes_dispatch_exit_non_zero_with_counts(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    slack_standin.fail_next([(200, {}, "invalid_blocks")], method="chat.postMessage")
    code, output = _cli(slack_app, slack_standin, "dispatch")
    assert code == 1
    assert "deliveries: 1 sent, 0 recovered, 0 waiting, 1 failed" in output and "invalid_blocks" in output


def test_a_rate_limit_costs_no_attempt_and_waits_however_long_it_says(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    slack_standin.fail_next([(429, {"Retry-After": "120"})], method="chat.postMessage")
    pipeline.poll_once(slack_app)
    stats = _dispatch(slack_app, timeout=5)
    assert stats.rate_limited == 1 and stats.failed == 0 and stats.waiting == len(_rows(slack_app))
    assert {(r.status, r.attempts) for r in _rows(slack_app)} == {("pending", 0)}, "no attempt used"
    later = App(settings=slack_app.settings, clock=lambda: slack_app.now() + timedelta(minutes=5))
    stats = _dispatch(later)
    assert stats.failed == 0 and stats.waiting == 0
    assert len(slack_standin.root_messages(CHANNEL)) == 1


def test_a_root_posted_before_a_crash_is_found_by_channel_id_and_not_posted_again(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_app.settings.slack.channel = slack_standin.channel_id(CHANNEL)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    assert _dispatch(slack_app).sent == 1
    [posted] = slack_standin.root_messages(CHANNEL)
    _crash_after_send(slack_app)

    stats = _dispatch(slack_app)
    assert stats.recovered == 1 and stats.failed == 0
    assert [m.ts for m in slack_standin.root_messages(CHANNEL)] == [posted.ts], "one root message"
    [row] = _rows(slack_app)
    assert row.status == "sent" and row.ref == posted.ts


def test_a_failed_recovery_lookup_that_may_succeed_later_is_retried_not_skipped(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_app.settings.slack.channel = slack_standin.channel_id(CHANNEL)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    _crash_after_send(slack_app)
    slack_standin.fail_next([(503, {})], method="conversations.history")

    stats = _dispatch(slack_app)
    assert stats.retried == 1 and stats.recovered == 1 and stats.failed == 0
    assert len(slack_standin.root_messages(CHANNEL)) == 1, "the retry looks again before it posts"


def test_a_root_posted_before_a_crash_to_a_channel_name_is_found_through_its_resolved_id(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    _crash_after_send(slack_app)

    stats = _dispatch(slack_app)
    assert stats.recovered == 1 and stats.sent == 0
    assert len(slack_standin.root_messages(CHANNEL)) == 1, "a #name channel doubles nothing either"
    with slack_app.session() as s:
        [cached] = s.execute(select(ChannelTarget)).scalars()
    assert (cached.name, cached.target_id) == (CHANNEL, slack_standin.channel_id(CHANNEL))


def test_without_the_scope_to_list_channels_status_names_the_risk(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_standin.scopes.discard("channels:read")
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    slack_standin.lose_next_response("chat.postMessage")
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    assert len(slack_standin.root_messages(CHANNEL)) == 2, "cannot look the lost answer up: sent again"
    problems = status.collect(slack_app).problems
    assert any("channels:read" in p and "double" in p for p in problems), problems


def test_a_root_whose_answer_was_lost_is_looked_up_before_it_is_posted_again(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    slack_standin.channel_id(CHANNEL)  # the channel exists; the settings name it by #name
    slack_standin.lose_next_response("chat.postMessage")  # Slack posts it, the answer never arrives
    pipeline.poll_once(slack_app)

    stats = _dispatch(slack_app)

    assert stats.recovered == 1 and stats.sent == 0
    [posted] = slack_standin.root_messages(CHANNEL)
    [row] = _rows(slack_app)
    assert row.status == "sent" and row.ref == posted.ts


def test_a_re_created_channel_is_resolved_again_instead_of_failing(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    new_id = slack_standin.recreate(CHANNEL)
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    pipeline.poll_once(slack_app)
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.sent >= 1
    assert [m.channel for m in slack_standin.root_messages(CHANNEL)] == [new_id]


def test_a_delivery_that_cannot_be_processed_is_quarantined_and_the_rest_carry_on(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    with slack_app.session() as s:
        first = s.execute(select(Delivery).order_by(col(Delivery.id))).scalars().first()
        assert first is not None
        first.payload = {**first.payload, "fields": [["only a label"]]}  # no longer renders
    stats = _dispatch(slack_app)
    assert stats.sent == 1 and len(slack_standin.root_messages(CHANNEL)) == 1, "the other alert went out"
    for _ in range(outbox.QUARANTINE_AFTER):
        later = App(settings=slack_app.settings, clock=lambda: slack_app.now() + timedelta(hours=1))
        _dispatch(later, timeout=1)
    bad = _rows(slack_app)[0]
    assert bad.status == "failed" and bad.attempts == outbox.QUARANTINE_AFTER
    assert bad.last_error and bad.last_error.startswith("quarantined after 5 processing errors: ValueError")


def test_poll_once_exits_non_zero_when_a_delivery_failed_for_good(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, tmp_path: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    sources = "".join(f'[[sources]]\nid = "{s.id}"\nurl = "{s.url}"\n' for s in slack_app.settings.sources)
    config = tmp_path / "vendorwatch.toml"
    config.write_text(f'channels = ["slack"]\n[slack]\nmin_interval_s = 0.1\n{sources}', encoding="utf-8")
    slack_standin.fail_next([(200, {}, "invalid_auth")], method="chat.postMessage")
    code, output = _cli(slack_app, slack_standin, "--config", str(config), "poll", "--once")
    assert code == 1, output
    assert "deliveries: 0 sent, 0 recovered, 0 waiting, 1 failed" in output and "invalid_auth" in output


def test_without_history_scope_a_lost_answer_is_sent_again_and_status_names_the_risk(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_standin.scopes.discard("channels:history")
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    slack_standin.lose_next_response("chat.postMessage")
    pipeline.poll_once(slack_app)
    assert _dispatch(slack_app).failed == 0
    assert len(slack_standin.root_messages(CHANNEL)) == 2, "at-least-once: a double rather than a loss"
    problems = status.collect(slack_app).problems
    assert any("channels:history" in p and "double" in p for p in problems), problems


def test_status_names_a_missing_scope_before_any_alert_needs_it(slack_app: App, slack_standin: SlackStandIn) -> None:
    slack_standin.scopes.discard("channels:history")
    _dispatch(slack_app)  # nothing to send: the dispatcher still checks what the bot may do
    problems = status.collect(slack_app).problems
    assert any("lacks the channels:history scope" in p and "double" in p for p in problems), problems


def test_a_new_incidents_alert_goes_out_before_a_backlog_of_another_incidents_replies(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    slack_app.settings.slack.channel = CHANNEL
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [], base="https://blog.example/")
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    with slack_app.session() as s:
        okta = s.execute(select(Incident)).scalar_one()
        vendor = s.get_one(Vendor, okta.vendor_id)
        for n in range(8):  # e.g. a round of task reminders, paced at the channel's rate
            reply = alerts.reply_alert(okta, vendor, f"Reminder {n}", "Rotate the token.", None, CHANNEL)
            alerts.enqueue(s, reply, ["slack"], f"reminder:{n}", now=slack_app.now())
    write_feed(feeds_dir, "blog", [CIRCLECI_BREACH], base="https://blog.example/")
    pipeline.poll_once(slack_app)
    _dispatch(slack_app)
    posted = [c.args for c in slack_standin.calls_to("chat.postMessage") if c.status == 200]
    roots = [n for n, args in enumerate(posted) if not args.get("thread_ts")]
    assert len(roots) == 2 and roots[1] == roots[0] + 1, "CircleCI's alert did not wait behind Okta's 8 replies"
    assert "CircleCI" in str(posted[roots[1]])
    assert len(posted) - 2 >= 8, "and the replies still went out, in their thread"
