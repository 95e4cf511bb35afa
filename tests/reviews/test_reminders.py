"""Review reminders reach Slack once per due review, mentioning the vendor's owner."""

from __future__ import annotations

from datetime import timedelta

from tests.reviews.conftest import START, Clock
from tests.slack_standin import SlackStandIn
from vendorwatch import reviews
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels


def _send(app: App) -> int:
    queued = reviews.send_review_reminders(app)
    # alerts.enqueue stamps next_attempt_at from the wall clock, not app.clock: dispatch on the wall clock.
    dispatcher = App(settings=app.settings)
    outbox.dispatch_until_idle(dispatcher, build_channels(app.settings), timeout=10)
    dispatcher.engine.dispose()
    return queued


def _titles(slack: SlackStandIn) -> list[str]:
    return [m.text for m in slack.root_messages("#identity-alerts")]


def _review_all(app: App) -> None:
    with app.session() as s:
        for name in ("Okta", "GitHub", "Zoom", "Vault"):
            reviews.record_review(s, name, by="alice", rating="low", now=app.now())


def test_never_reviewed_vendors_are_reminded_once(review_app: App, clock: Clock, slack_standin: SlackStandIn) -> None:
    assert _send(review_app) == 4
    clock.now = START + timedelta(days=1)
    assert _send(review_app) == 0
    okta = [m for m in _titles(slack_standin) if "Okta" in m]
    assert len(okta) == 1 and "never been reviewed" in okta[0]
    assert len(_titles(slack_standin)) == 4


def test_coming_due_then_overdue_each_remind_once(review_app: App, clock: Clock, slack_standin: SlackStandIn) -> None:
    _review_all(review_app)
    clock.now = START + timedelta(days=80)  # Okta due in 11 days; Vault (30d) overdue
    assert _send(review_app) == 2
    assert _send(review_app) == 0
    clock.now = START + timedelta(days=92)
    assert _send(review_app) == 1  # Okta now overdue; Vault's overdue reminder already went out
    texts = _titles(slack_standin)
    assert sum("Okta" in t and "due on 2026-04-06" in t for t in texts) == 1
    assert sum("Okta" in t and "overdue since 2026-04-06" in t for t in texts) == 1


def test_a_new_due_date_after_the_next_review_reminds_again(review_app: App, clock: Clock) -> None:
    _review_all(review_app)
    clock.now = START + timedelta(days=31)
    assert reviews.send_review_reminders(review_app) == 1  # Vault overdue
    with review_app.session() as s:
        reviews.record_review(s, "Vault", by="bob", rating="medium", now=review_app.now())
    clock.now = START + timedelta(days=62)
    assert reviews.send_review_reminders(review_app) == 1
    assert reviews.send_review_reminders(review_app) == 0


def test_reminder_mentions_the_owner(review_app: App, slack_standin: SlackStandIn) -> None:
    _send(review_app)
    [okta] = [m for m in slack_standin.root_messages("#identity-alerts") if "Okta" in m.text]
    assert "@iam-oncall" in str(okta.blocks) or "@iam-oncall" in okta.text
