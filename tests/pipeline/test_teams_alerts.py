"""Teams end to end: the root, a follow-up, a reminder, an escalation and the daily digest, each a valid card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.notify.teams_standin import TeamsStandIn
from tests.pipeline.feeds import OKTA_BREACH, OKTA_FOLLOW_UP, write_feed
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import daily
from vendorwatch.poll import pipeline
from vendorwatch.runbooks.reminders import send_reminders
from vendorwatch.settings import DigestSettings


def _titles(standin: TeamsStandIn) -> list[str]:
    return [standin.texts(n)[1] for n in range(len(standin.cards))]


def _drain(app: App) -> None:
    stats = outbox.dispatch_until_idle(app, build_channels(app.settings), timeout=20)
    assert stats.failed == 0, stats.errors


def test_every_kind_of_message_reaches_teams_as_a_valid_card(
    slack_app: App, teams_standin: TeamsStandIn, feeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDORWATCH_TEAMS_WEBHOOK_URL", teams_standin.url)
    slack_app.settings.channels = ["teams"]
    tomorrow = datetime.now(UTC) + timedelta(hours=20)  # the digest a minute after its time covers the alert
    slack_app.settings.digest = DigestSettings(at=f"{tomorrow - timedelta(minutes=1):%H:%M}", default_route=True)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    pipeline.poll_once(slack_app)
    _drain(slack_app)
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    pipeline.poll_once(slack_app)
    _drain(slack_app)
    for hours in (1, 5):  # the 4 h revocation task: reminded before its deadline, escalated after it
        later = App(settings=slack_app.settings, clock=lambda h=hours: datetime.now(UTC) + timedelta(hours=h))
        send_reminders(later)
        _drain(later)
    daily.send_due_digests(App(settings=slack_app.settings, clock=lambda: tomorrow))
    _drain(App(settings=slack_app.settings, clock=lambda: tomorrow))
    assert teams_standin.refused == []
    titles = _titles(teams_standin)
    contexts = [teams_standin.texts(n)[0] for n in range(len(titles))]
    assert contexts[0] == "NEW INCIDENT · CRITICAL" and titles[0].startswith("\\#1 Okta confirms breach")
    assert any(c.startswith("FOLLOW-UP") and "incident \\#1" in c for c in contexts), "follow-ups name the incident"
    assert any(t.startswith("\\[REMINDER\\] ") for t in titles)
    assert any(t.startswith("\\[ESCALATION\\] ") for t in titles)
    [digest] = [t for t in titles if t.startswith("\\[DAILY DIGEST\\]")]
    assert "1 new incident; " in digest and "tasks overdue" in digest
