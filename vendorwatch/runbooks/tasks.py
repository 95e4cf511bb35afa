"""Opening tasks for an incident from the runbook templates: per vendor, dependency, credential and artifact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.models import Incident, Task, Vendor
from registry.repo import artifacts
from registry.repo import tasks as task_rows
from registry.repo.vendors import credentials_of, dependencies_of
from registry.vocab import TaskStatus
from vendorwatch.runbooks import audit
from vendorwatch.runbooks.templates import Runbooks, Step, load_runbooks


@dataclass(frozen=True)
class Target:
    """What one task is about: the entity ids, names for the title and the SLAs its deadline uses."""

    key: str
    names: dict[str, str]
    owners: dict[str, str]
    revocation_sla_s: int | None
    rotation_sla_s: int | None = None
    dependency_id: int | None = None
    credential_id: int | None = None
    artifact_id: int | None = None


def open_tasks(session: Session, incident: Incident, *, now: datetime, runbooks: Runbooks | None = None) -> int:
    """Open the incident's tasks (idempotent per incident and key); returns how many were new.

    `runbooks` defaults to the built-in templates; pass `load_runbooks(settings.runbooks_dir)` for team ones.
    """
    book = runbooks or load_runbooks()
    vendor = session.get_one(Vendor, incident.vendor_id)
    deps = dependencies_of(session, vendor.id or 0)
    since = (incident.disclosed_at or incident.opened_at).strftime("%Y-%m-%d %H:%M UTC")
    base = {"vendor": vendor.name, "dependency": "", "credential": "", "artifact": "", "since": since}
    slas = [d.revocation_sla_s for d in deps if d.revocation_sla_s]
    vendor_target = Target("vendor", base, {"vendor": vendor.owner}, min(slas) if slas else None)
    opened = _apply(session, incident, book, "vendor", vendor_target, (None, None), vendor.category, now)
    for dep in deps:
        names = {**base, "dependency": dep.name}
        owners = {"vendor": vendor.owner, "dependency": dep.owner or vendor.owner}
        target = Target(f"dep:{dep.id}", names, owners, dep.revocation_sla_s, dependency_id=dep.id)
        opened += _apply(session, incident, book, "dependency", target, (dep.kind, None), vendor.category, now)
        for cred in credentials_of(session, dep.id or 0):
            target = Target(
                f"cred:{cred.id}",
                {**names, "credential": cred.name},
                {**owners, "credential": cred.owner or owners["dependency"]},
                dep.revocation_sla_s,
                cred.rotation_sla_s,
                dep.id,
                cred.id,
            )
            opened += _apply(session, incident, book, "credential", target, (dep.kind, cred.kind), vendor.category, now)
    for art in artifacts.of_vendor(session, vendor.id or 0):
        names = {**base, "artifact": f"{art.filename} (case {art.case_ref})"}
        target = Target(
            f"artifact:{art.id}", names, {"vendor": vendor.owner}, vendor_target.revocation_sla_s, artifact_id=art.id
        )
        opened += _apply(session, incident, book, "artifact", target, (None, None), vendor.category, now)
    return opened


def _apply(
    session: Session,
    incident: Incident,
    book: Runbooks,
    scope: str,
    target: Target,
    kinds: tuple[str | None, str | None],
    category: str,
    now: datetime,
) -> int:
    candidates = [s for s in book.steps if s.scope == scope and s.matches(incident.kind, category, *kinds)]
    chosen = [s for s in candidates if not s.fallback] or candidates
    return sum(_open(session, incident, step, target, now) for step in chosen)


def _open(session: Session, incident: Incident, step: Step, target: Target, now: datetime) -> int:
    owner = target.owners.get(step.owner) or target.owners.get("dependency") or target.owners.get("vendor", "")
    due = now + step.deadline().after(target.revocation_sla_s, target.rotation_sla_s)
    task_id = task_rows.insert_if_new(
        session,
        incident_id=incident.id,
        vendor_id=incident.vendor_id,
        dependency_id=target.dependency_id,
        credential_id=target.credential_id,
        artifact_id=target.artifact_id,
        key=f"{step.id}:{target.key}",
        step=step.id,
        title=step.title.format(**target.names),
        owner=owner,
        status=TaskStatus.open,
        created_at=now,
        due_at=due,
    )
    if task_id is None:
        return 0  # already opened for this incident (a follow-up report, or a re-run)
    task = session.get_one(Task, task_id)
    audit.record(
        session,
        at=now,
        actor="vendorwatch",
        action="task.opened",
        task_id=task_id,
        before=None,
        after=audit.snapshot(task),
    )
    return 1
