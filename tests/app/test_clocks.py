"""Regulatory clocks: a recorded, audited decision starts each regime's deadlines; business days for the SEC."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from registry.holidays import add_business_days, federal_holidays
from registry.models import AuditEvent, Incident, Vendor
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.incidents import clocks

ALERTED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # the day before Thanksgiving


def _incident(app: App, *, alerted: bool = True) -> int:
    with app.session() as s:
        vendor = Vendor(name="Okta", criticality="critical")
        s.add(vendor)
        s.flush()
        incident = Incident(
            vendor_id=vendor.id or 0,
            kind="breach",
            title="Okta breach",
            alerted=alerted,
            alerted_at=ALERTED if alerted else None,
            opened_at=ALERTED,
        )
        s.add(incident)
        s.flush()
        return incident.id or 0


def test_us_federal_holidays_and_business_days() -> None:
    assert date(2026, 11, 26) in federal_holidays(2026)  # Thanksgiving: fourth Thursday
    assert date(2026, 7, 3) in federal_holidays(2026)  # July 4th on a Saturday, observed Friday
    assert date(2027, 12, 31) in federal_holidays(2027)  # 1 January 2028 is a Saturday
    # Wednesday before Thanksgiving: Fri, Mon, Tue, Wed (Thursday is the holiday).
    assert add_business_days(ALERTED, 4) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_decisions_start_each_regime_clock(app: App) -> None:
    incident_id = _incident(app)
    decided = ALERTED + timedelta(hours=30)
    with app.session() as s:
        clocks.record(s, incident_id, clocks.MAJOR, by="ciso", now=decided)
        clocks.record(s, incident_id, clocks.MATERIAL, by="general-counsel", now=decided)
    with app.session() as s:
        due = clocks.deadlines(s, s.get_one(Incident, incident_id), ["dora", "nis2", "sec"], decided)
        audited = [e.action for e in s.execute(select(AuditEvent)).scalars()]
    got = {(d["regime"], d["step"]): (d["due"], d["status"]) for d in due}
    # DORA: 4 h after classification but never later than 24 h after awareness (the alert): already overdue.
    assert got["dora", "initial"] == ((ALERTED + timedelta(hours=24)).isoformat(), "overdue")
    assert got["dora", "intermediate"][0] == (ALERTED + timedelta(hours=96)).isoformat()
    assert got["dora", "final"][0].startswith("2026-12-29")
    assert got["nis2", "early-warning"] == ((decided + timedelta(hours=24)).isoformat(), "due-soon")
    assert got["nis2", "notification"] == ((decided + timedelta(hours=72)).isoformat(), "pending")
    assert got["sec", "form-8-k"][0] == "2026-12-02T15:00:00+00:00"  # decided on Thanksgiving: Fri, Mon, Tue, Wed
    assert audited == [clocks.MAJOR, clocks.MATERIAL]


def test_cli_records_the_decision_and_show_json_has_deadlines(app: App, db_url: str, runner: CliRunner) -> None:
    incident_id = _incident(app)
    with app.session() as s:
        never = Incident(vendor_id=1, kind="outage", title="recorded only", opened_at=ALERTED)
        s.add(never)
        s.flush()
        never_id = never.id or 0
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": "", "VENDORWATCH_REGIMES": '["dora", "sec"]'}
    refused = runner.invoke(cli, ["incidents", "classify", str(incident_id), "--by", "ciso"], env=env)
    assert refused.exit_code == 2 and "--major is required" in refused.stderr
    ok = runner.invoke(cli, ["incidents", "classify", str(incident_id), "--major", "--by", "ciso"], env=env)
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(cli, ["incidents", "classify", str(incident_id), "--major", "--by", "ciso"], env=env)
    assert again.exit_code == 2 and "already recorded" in again.stderr
    unalerted = runner.invoke(cli, ["incidents", "materiality", str(never_id), "--material", "--by", "gc"], env=env)
    assert unalerted.exit_code == 2 and "never alerted" in unalerted.stderr
    shown = runner.invoke(cli, ["incidents", "show", str(incident_id), "--json"], env=env)
    deadlines = json.loads(shown.stdout)["deadlines"]
    assert [(d["regime"], d["step"]) for d in deadlines] == [
        ("dora", "initial"),
        ("dora", "intermediate"),
        ("dora", "final"),
    ]
    assert set(deadlines[0]) == {"regime", "step", "due", "status", "submitted_at"}
    off = {**env, "VENDORWATCH_REGIMES": "[]"}
    assert (
        json.loads(runner.invoke(cli, ["incidents", "show", str(incident_id), "--json"], env=off).stdout)["deadlines"]
        == []
    )


def test_a_recorded_submission_meets_its_step_and_later_steps_count_from_it(
    app: App, db_url: str, runner: CliRunner
) -> None:
    incident_id = _incident(app)
    decided = ALERTED + timedelta(hours=1)
    with app.session() as s:
        clocks.record(s, incident_id, clocks.MAJOR, by="ciso", now=decided)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": "", "VENDORWATCH_REGIMES": '["dora"]'}
    sent = (decided + timedelta(hours=2)).isoformat()
    args = ["incidents", "notified", str(incident_id), "--regime", "dora", "--step", "initial", "--by", "ciso"]
    ok = runner.invoke(cli, [*args, "--at", sent], env=env)
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(cli, args, env=env)
    assert again.exit_code == 2 and "already recorded" in again.stderr
    wrong = runner.invoke(cli, [*args[:5], "--step", "early-warning", "--by", "ciso"], env=env)
    assert wrong.exit_code == 2 and "no step 'early-warning'" in wrong.stderr
    unknown = runner.invoke(cli, [*args[:3], "--regime", "dorra", *args[5:]], env=env)
    assert unknown.exit_code == 2 and "unknown regime 'dorra' (allowed: dora, nis2, sec)" in unknown.stderr
    deadlines = json.loads(runner.invoke(cli, ["incidents", "show", str(incident_id), "--json"], env=env).stdout)
    initial, intermediate = deadlines["deadlines"][:2]
    assert (initial["status"], initial["submitted_at"]) == ("met", sent)
    # Delegated Regulation 2025/301 Art. 5: the intermediate report is due 72 h after the initial notification.
    assert intermediate["due"] == (decided + timedelta(hours=74)).isoformat()
    shown = runner.invoke(cli, ["incidents", "show", str(incident_id)], env=env).stdout
    assert f"Deadline: dora initial due {initial['due']} (met, submitted {sent})" in shown
    with app.session() as s:
        event = s.execute(select(AuditEvent).where(AuditEvent.action == clocks.NOTIFIED)).scalar_one()
    assert (event.actor, event.after) == ("ciso", {"regime": "dora", "step": "initial", "submitted_at": sent})


def test_a_submission_needs_a_started_clock(app: App, db_url: str, runner: CliRunner) -> None:
    incident_id = _incident(app)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    args = ["incidents", "notified", str(incident_id), "--regime", "sec", "--step", "form-8-k", "--by", "gc"]
    refused = runner.invoke(cli, args, env=env)
    assert refused.exit_code == 2 and "incidents materiality ID --material" in refused.stderr
