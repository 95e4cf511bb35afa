"""Delivery through Slack's bad days: rate-limit storms, lost and slow answers, outages. Every alert once, in order.

Durations are scaled down (Retry-After 1 s, storms of a few seconds, a 0.1 s pace); bench/delivery_bench.py
runs the same phases at Slack's real pace and measures drain times.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlmodel import col

from notify.base import Alert
from registry.models import Delivery, Incident, Vendor
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import alerts

CHANNEL = "#identity-alerts"


def _threads(app: App, incidents: int, replies: int) -> None:
    """Queue `incidents` roots, each followed by `replies` thread replies, as triage would."""
    with app.session() as s:
        vendor = s.execute(select(Vendor)).scalars().first()
        assert vendor is not None
        for n in range(incidents):
            incident = Incident(vendor_id=vendor.id or 0, kind="breach", title=f"Breach {n}", alerted=True)
            s.add(incident)
            s.flush()
            iid = incident.id or 0
            alerts.enqueue(s, Alert(iid, "root", f"Breach {n}", "text", channel=CHANNEL), ["slack"], f"i{iid}:root")
            for r in range(replies):
                reply = Alert(iid, "reply", f"Follow-up {n}.{r}", "more", channel=CHANNEL)
                alerts.enqueue(s, reply, ["slack"], f"i{iid}:reply:{r}")


def _dispatch(app: App, timeout: float = 60) -> outbox.DispatchStats:
    return outbox.dispatch_until_idle(app, build_channels(app.settings), timeout=timeout)


def _assert_exactly_once_in_order(app: App, standin: SlackStandIn) -> None:
    with app.session() as s:
        rows = list(s.execute(select(Delivery).order_by(col(Delivery.id))).scalars())
    assert {r.status for r in rows} == {"sent"}, Counter(r.status for r in rows)
    roots = standin.root_messages(CHANNEL)
    posted = Counter(m.metadata["event_payload"]["delivery_id"] for m in roots if m.metadata)
    for root in roots:
        posted.update(m.metadata["event_payload"]["delivery_id"] for m in standin.replies(root.ts) if m.metadata)
    assert posted == Counter(f"vw-{r.id}" for r in rows), "every delivery exactly once, nothing else"
    for root in roots:
        ids = [int(m.metadata["event_payload"]["delivery_id"][3:]) for m in standin.replies(root.ts) if m.metadata]
        assert ids == sorted(ids), f"thread {root.ts}: replies out of order {ids}"


def test_a_rate_limit_storm_delays_alerts_but_loses_none_and_uses_no_attempt(
    slack_app: App, slack_standin: SlackStandIn
) -> None:
    _threads(slack_app, incidents=6, replies=2)
    slack_standin.phase("429", 3, retry_after=1)
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.waiting == 0 and stats.rate_limited >= 1
    _assert_exactly_once_in_order(slack_app, slack_standin)
    assert len([c for c in slack_standin.calls if c.status == 429]) <= 6, "the channel waits, it is not hammered"
    with slack_app.session() as s:
        assert {d.attempts for d in s.execute(select(Delivery)).scalars()} == {1}, "a 429 costs no attempt"


def test_answers_lost_after_slack_stored_the_message_double_nothing_on_a_name_channel(
    slack_app: App, slack_standin: SlackStandIn
) -> None:
    assert slack_app.settings.slack.channel == CHANNEL
    _threads(slack_app, incidents=5, replies=1)
    slack_standin.channel_id(CHANNEL)  # the channel exists; the settings name it, as the default does
    slack_standin.phase("drop_after_store", 2, methods=["chat.postMessage"])
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.recovered >= 1
    _assert_exactly_once_in_order(slack_app, slack_standin)


def test_answers_slower_than_the_client_timeout_double_nothing(slack_app: App, slack_standin: SlackStandIn) -> None:
    slack_app.settings.slack.timeout_s = 1
    _threads(slack_app, incidents=4, replies=1)
    slack_standin.phase("slow", 2, delay=1.5, methods=["chat.postMessage"])
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.recovered >= 1
    _assert_exactly_once_in_order(slack_app, slack_standin)


def test_retry_after_during_follow_ups_keeps_every_thread_in_order(slack_app: App, slack_standin: SlackStandIn) -> None:
    _threads(slack_app, incidents=5, replies=0)
    _dispatch(slack_app)
    _threads_follow_ups(slack_app, replies=3)
    slack_standin.fail_next([(429, {"Retry-After": "2"})] * 2, method="chat.postMessage")
    slack_standin.phase("429", 2, retry_after=1, methods=["chat.postMessage"])
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.waiting == 0
    _assert_exactly_once_in_order(slack_app, slack_standin)


def _threads_follow_ups(app: App, replies: int) -> None:
    with app.session() as s:
        for incident in s.execute(select(Incident)).scalars():
            for r in range(replies):
                reply = Alert(incident.id or 0, "reply", f"Follow-up {r}", "later", channel=CHANNEL)
                alerts.enqueue(s, reply, ["slack"], f"i{incident.id}:later:{r}")


def test_an_outage_is_probed_not_hammered_and_everything_waiting_follows_in_order(
    slack_app: App, slack_standin: SlackStandIn
) -> None:
    _threads(slack_app, incidents=6, replies=2)
    slack_standin.phase("500", 3)
    stats = _dispatch(slack_app)
    assert stats.failed == 0 and stats.waiting == 0
    _assert_exactly_once_in_order(slack_app, slack_standin)
    failed_calls = [c for c in slack_standin.calls if c.status == 500]
    assert len(failed_calls) <= 6, f"{len(failed_calls)} calls during a 3 s outage: one probe at a time"
    first = next(c for c in slack_standin.calls if c.status == 200 and c.method == "chat.postMessage")
    assert "thread_ts" not in first.args, "the first message after recovery is the oldest waiting root"
