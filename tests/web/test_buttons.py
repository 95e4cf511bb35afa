"""Slack buttons: the root carries the incident's, a reminder its task's; values are our ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import col

from notify.slack_render import render
from registry.models import Delivery, Incident
from tests.slack_standin import block_errors
from vendorwatch.app import App
from vendorwatch.incidents.alerts import alert_from_payload, incident_alert
from vendorwatch.runbooks.reminders import send_reminders
from vendorwatch.settings import ServeSettings


def _buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    [actions] = [b for b in blocks if b["type"] == "actions"]
    return [(e["action_id"], e["value"], e.get("url")) for e in actions["elements"]]


def _root_blocks(app: App, incident_id: int) -> list[dict[str, Any]]:
    with app.session() as s:
        return render(incident_alert(s, app.settings, s.get_one(Incident, incident_id), "root")).blocks


def test_the_root_has_acknowledge_not_affected_and_open(web_app: App, seeded: dict[str, int]) -> None:
    blocks, target = _root_blocks(web_app, seeded["incident"]), f"incident:{seeded['incident']}"
    link = f"https://vw.example.com/#incident-{seeded['incident']}"
    assert _buttons(blocks) == [
        ("vw_acknowledge", target, None),
        ("vw_not_affected", target, None),
        ("vw_open", target, link),
    ]
    assert block_errors(blocks) == []


def test_no_buttons_without_a_public_dashboard_or_on_a_closed_incident(web_app: App, seeded: dict[str, int]) -> None:
    with web_app.session() as s:
        s.get_one(Incident, seeded["incident"]).status = "resolved"
    assert not [b for b in _root_blocks(web_app, seeded["incident"]) if b["type"] == "actions"]
    web_app.settings.serve = ServeSettings()
    with web_app.session() as s:
        s.get_one(Incident, seeded["incident"]).status = "open"
    assert not [b for b in _root_blocks(web_app, seeded["incident"]) if b["type"] == "actions"]


def test_an_escalation_reply_has_done_not_affected_snooze_and_open(web_app: App, seeded: dict[str, int]) -> None:
    assert send_reminders(web_app) == 1  # the overdue task escalates
    with web_app.session() as s:
        row = s.execute(select(Delivery).where(col(Delivery.kind) == "reply")).scalars().one()
    blocks, target = render(alert_from_payload(row.payload, "1795000000.000001")).blocks, f"task:{seeded['late']}"
    assert _buttons(blocks) == [
        ("vw_done", target, None),
        ("vw_not_affected", target, None),
        ("vw_snooze", target, None),
        ("vw_open", target, f"https://vw.example.com/#task-{seeded['late']}"),
    ]
