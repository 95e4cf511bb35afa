"""Opening tasks: the exact set per dependency and credential, owners and SLA due times, idempotent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import col

from registry.models import AuditEvent, Incident, Task
from tests.runbooks.conftest import T0, make_incident
from vendorwatch.app import App
from vendorwatch.runbooks import load_runbooks, open_tasks
from vendorwatch.settings import ConfigError

H = timedelta(hours=1)
EXPECTED = {
    ("purge-support-artifacts", "Find and purge support artifacts (HAR files) shared with Okta", "iam-team", 24 * H),
    (
        "idp-review-system-log",
        "Review the Okta system log since 2026-10-01 12:00 UTC (start of the exposure window)",
        "iam-team",
        4 * H,
    ),
    ("idp-revoke-admin-sessions", "Revoke all Okta admin sessions (Workforce SSO)", "iam-team", 2 * H),
    ("rotate-credential", "Rotate SAML signing certificate (Workforce SSO)", "iam-team", 72 * H),
    ("rotate-credential", "Rotate Super admin sessions (Workforce SSO)", "iam-team", 2 * H),
    ("revoke-access", "Revoke Okta sessions and tokens of SCIM provisioning", "iam-team", 8 * H),
    ("idp-rotate-scim-token", "Rotate SCIM bearer token (SCIM token)", "platform-team", 24 * H),
    ("revoke-access", "Revoke Okta sessions and tokens of Service accounts", "platform-team", 12 * H),
    ("idp-rotate-service-account", "Rotate Deploy bot password (service account)", "secops", 48 * H),
    ("idp-rotate-service-account", "Rotate Deploy bot key (service account)", "platform-team", 24 * H),
}


def _tasks(app: App) -> set[tuple[str, str, str, timedelta]]:
    with app.session() as s:
        return {(t.step, t.title, t.owner, t.due_at - T0) for t in s.execute(select(Task)).scalars()}


def test_breach_opens_the_expected_tasks_with_owners_and_sla_due_times(app: App, incident: Incident) -> None:
    with app.session() as s:
        assert open_tasks(s, s.get_one(Incident, incident.id), now=T0) == 10
    assert _tasks(app) == EXPECTED


def test_follow_up_opens_nothing_new_and_every_opened_task_is_audited(app: App, incident: Incident) -> None:
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
    with app.session() as s:
        assert open_tasks(s, s.get_one(Incident, incident.id), now=T0 + H) == 0
        ids = {str(t.id) for t in s.execute(select(Task)).scalars()}
        events = s.execute(select(AuditEvent).where(col(AuditEvent.action) == "task.opened")).scalars().all()
    assert len(ids) == 10
    assert {e.entity_id for e in events} == ids
    assert all(e.entity == "task" and e.actor == "vendorwatch" and e.before is None for e in events)


def test_exploited_vuln_uses_its_own_runbook(app: App, tmp_path: Path) -> None:
    inc = make_incident(app, tmp_path, kind="exploited-vuln")
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, inc.id), now=T0)
    steps = sorted(step for step, *_ in _tasks(app))
    assert steps.count("confirm-patched") == 3 and steps.count("rotate-credential") == 5
    assert "hunt-exploitation" in steps and "idp-revoke-admin-sessions" not in steps


def test_team_templates_override_builtin_steps_by_id(app: App, tmp_path: Path) -> None:
    team = tmp_path / "runbooks"
    team.mkdir()
    (team / "ours.yaml").write_text(
        "steps:\n  - id: idp-revoke-admin-sessions\n    scope: dependency\n    title: 'Kill {dependency} now'\n"
        "    applies_to: {dependency_kinds: [sso]}\n    due: 30m\n    owner: vendor\n",
        encoding="utf-8",
    )
    inc = make_incident(app, tmp_path)
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, inc.id), now=T0, runbooks=load_runbooks(team))
    assert ("idp-revoke-admin-sessions", "Kill Workforce SSO now", "iam-team", timedelta(minutes=30)) in _tasks(app)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("steps:\n  - {id: x, scope: credential, title: t, due: soon, owner: credential}", "steps.0.due"),
        ("steps:\n  - {id: x, scope: credential, title: '{secret}', due: 4h, owner: credential}", "steps.0.title"),
        ("steps:\n  - {id: x, scope: planet, title: t, due: 4h, owner: credential}", "steps.0.scope"),
        ("steps:\n  - {id: x, scope: dependency, title: t, due: rotation_sla, owner: dependency}", "steps.x.due"),
    ],
)
def test_a_bad_template_is_a_config_error_naming_file_and_field(tmp_path: Path, body: str, field: str) -> None:
    (tmp_path / "bad.yaml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"bad\.yaml: {field}"):
        load_runbooks(tmp_path)


def test_the_database_refuses_to_edit_or_delete_audit_events(app: App, incident: Incident) -> None:
    with app.session() as s:
        open_tasks(s, s.get_one(Incident, incident.id), now=T0)
    for sql in ("UPDATE auditevent SET actor = 'mallory'", "DELETE FROM auditevent"):
        with pytest.raises(Exception, match=r"(?i)append-only|not allowed|refuse|prohibit"), app.session() as s:
            s.execute(text(sql))
