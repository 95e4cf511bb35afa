"""/slack/actions: only Slack-signed clicks act; each click changes the store once, audited as the Slack user."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from registry.models import AuditEvent, Delivery, Incident, Task
from tests.web.conftest import NOW, OWNER, ResponseUrl, click_body, post_click, signed
from vendorwatch.app import App
from vendorwatch.runbooks.reminders import send_reminders
from vendorwatch.web.server import Running


def _task(app: App, task_id: int) -> Task:
    with app.session() as s:
        return s.get_one(Task, task_id)


def _audit(app: App, action: str) -> list[AuditEvent]:
    with app.session() as s:
        return list(s.execute(select(AuditEvent).where(col(AuditEvent.action) == action)).scalars())


def test_done_closes_the_task_audits_the_slack_user_queues_the_root_and_rewrites_the_reminder(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], response_url: ResponseUrl
) -> None:
    body = click_body("vw_done", f"task:{seeded['late']}", response_url=response_url.url)
    assert post_click(serve(), body, signed(body)).status_code == 200
    task = _task(web_app, seeded["late"])
    assert task.status == "done" and task.closed_by == f"alice (slack {OWNER})"
    [event] = _audit(web_app, "task.completed")
    assert event.actor == f"alice (slack {OWNER})"
    with web_app.session() as s:
        update = s.execute(select(Delivery).where(col(Delivery.kind) == "update")).scalars().one()
    assert ["Rotation tasks", "1/2 done"] in update.payload["fields"]
    rewritten, note = response_url.wait_for(2)
    assert rewritten["replace_original"] and all(b["type"] != "actions" for b in rewritten["blocks"])
    assert "marked done by alice" in rewritten["blocks"][-1]["elements"][0]["text"]
    assert note["response_type"] == "ephemeral"


def test_bad_missing_and_stale_signatures_get_401_and_change_nothing(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    running, body = serve(), click_body("vw_done", f"task:{seeded['late']}")
    stale = signed(body, at=time.time() - 6 * 60)
    tampered = signed(body)
    cases = [
        signed(body, secret="not-our-secret"),
        {},
        stale,
        {**tampered, "X-Slack-Request-Timestamp": "abc"},
        {**tampered, "X-Slack-Signature": "v0=" + "0" * 64},
    ]
    for headers in cases:
        assert post_click(running, body, headers).status_code == 401
    other = click_body("vw_done", f"task:{seeded['later']}")
    assert post_click(running, other, tampered).status_code == 401  # a signature of another body
    assert _task(web_app, seeded["late"]).status == "open" and not _audit(web_app, "task.completed")


def test_a_replayed_click_changes_nothing_the_second_time(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], response_url: ResponseUrl
) -> None:
    running, body = serve(), click_body("vw_done", f"task:{seeded['late']}", response_url=response_url.url)
    headers = signed(body)
    assert [post_click(running, body, headers).status_code for _ in range(2)] == [200, 200]
    assert len(_audit(web_app, "task.completed")) == 1
    assert "already done" in response_url.wait_for(3)[-1]["text"]


def test_acknowledge_is_recorded_once_per_user_and_shown_on_the_root(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    running, body = serve(), click_body("vw_acknowledge", f"incident:{seeded['incident']}")
    for _ in range(2):
        assert post_click(running, body, signed(body)).status_code == 200
    [ack] = _audit(web_app, "incident.acknowledged")
    assert ack.actor == f"alice (slack {OWNER})" and ack.after == {"slack_user_id": OWNER, "slack_user_name": "alice"}
    with web_app.session() as s:
        [update] = s.execute(select(Delivery).where(col(Delivery.kind) == "update")).scalars()
    assert ["Acknowledged by", f"alice (slack {OWNER})"] in update.payload["fields"]


def test_not_affected_dismisses_the_incident_and_waives_its_tasks(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    body = click_body("vw_not_affected", f"incident:{seeded['incident']}")
    assert post_click(serve(), body, signed(body)).status_code == 200
    with web_app.session() as s:
        assert s.get_one(Incident, seeded["incident"]).status == "dismissed"
        assert {t.status for t in s.execute(select(Task)).scalars()} == {"waived"}
    [event] = _audit(web_app, "incident.dismissed")
    assert event.actor == f"alice (slack {OWNER})" and event.after and event.after["reason"] == "not-affected"


def test_snooze_holds_reminders_for_4_hours_then_reminds_again_once(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    action_ts = NOW.timestamp()
    running, body = serve(), click_body("vw_snooze", f"task:{seeded['late']}", action_ts=f"{action_ts:.6f}")
    for _ in range(2):
        assert post_click(running, body, signed(body)).status_code == 200
    assert _task(web_app, seeded["late"]).snoozed_until == NOW + timedelta(hours=4)
    assert len(_audit(web_app, "task.snoozed")) == 1
    assert send_reminders(web_app) == 0  # the overdue task is snoozed; the other is not due soon
    web_app.clock = lambda: NOW + timedelta(hours=4, minutes=1)
    assert send_reminders(web_app) == 1 and send_reminders(web_app) == 0
    assert _task(web_app, seeded["late"]).escalated_at == NOW + timedelta(hours=4, minutes=1)


def test_a_user_not_mapped_in_owners_may_not_act(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], response_url: ResponseUrl
) -> None:
    body = click_body("vw_done", f"task:{seeded['late']}", user="U0STRANGER", response_url=response_url.url)
    assert post_click(serve(), body, signed(body)).status_code == 200
    assert _task(web_app, seeded["late"]).status == "open"
    assert "not allowed" in response_url.wait_for(1)[0]["text"]


def test_a_signed_request_that_is_not_our_button_is_refused(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    running = serve()
    bodies = [
        b"payload=%7B%7D",
        b"garbage",
        click_body("vw_done", "task:1; DROP TABLE task"),
        click_body("vw_delete_everything", "task:1"),
        click_body("vw_done", "task:1", user="nobody"),
    ]
    for body in bodies:
        assert post_click(running, body, signed(body)).status_code == 400
    assert post_click(running, b"x" * 70_000, signed(b"x" * 70_000)).status_code == 401
    assert _task(web_app, seeded["late"]).status == "open"


def test_the_click_time_is_slacks_action_ts() -> None:
    from vendorwatch.web.slack_actions import parse

    request = parse(click_body("vw_snooze", "task:7", action_ts="1795000000.5"))
    assert request.click.at == datetime.fromtimestamp(1795000000.5, UTC) and request.click.target_id == 7
