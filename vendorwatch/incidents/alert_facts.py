"""What a responder needs on an incident's root: who and what of ours is affected, artifacts, first steps."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from notify.base import AlertField
from notify.text import truncate
from registry.models import Artifact, Credential, Dependency, Incident, Task
from vendorwatch.assessments import latest as latest_assessment

SHOWN = 5  # first few of a list, then "and N more"
FIRST_ACTIONS = 3


def confidence_figure(session: Session, incident: Incident) -> str:
    """The one confidence figure (0-100 %) shown in alerts and `incidents show`: the current assessment's."""
    current = latest_assessment(session, incident.id or 0)
    value = current.confidence if current is not None else round(incident.confidence * 100)
    return f"{value}%"


def open_command(incident_id: int) -> str:
    """The command that opens an incident, as printed in its alerts."""
    return f"vendorwatch incidents show {incident_id}"


def _first(lines: list[str]) -> str:
    extra = len(lines) - SHOWN
    return "\n".join([truncate(line, 55) for line in lines[:SHOWN]] + ([f"and {extra} more"] if extra > 0 else []))


def _who(owner: str, due: str | None) -> str:
    parts = [owner or "no owner", *([f"due {due}"] if due else [])]
    return ", ".join(parts)


def affected(session: Session, incident: Incident) -> tuple[list[str], set[str]]:
    """One line per affected dependency and credential (owner, due time) and the owners named."""
    due: dict[tuple[str, int], str] = {}
    for task in session.execute(select(Task).where(col(Task.incident_id) == incident.id).order_by(col(Task.due_at))):
        when = task[0].due_at.strftime("%Y-%m-%d %H:%M UTC")
        for key in (("credential", task[0].credential_id), ("dependency", task[0].dependency_id)):
            if key[1] is not None:
                due.setdefault((key[0], key[1]), when)
    deps = list(session.execute(select(Dependency).where(col(Dependency.vendor_id) == incident.vendor_id)
                                .order_by(col(Dependency.name))).scalars())  # fmt: skip
    creds = list(session.execute(select(Credential).where(col(Credential.dependency_id).in_([d.id for d in deps]))
                                 .order_by(col(Credential.name))).scalars())  # fmt: skip
    lines = [f"{d.name} ({d.kind}): {_who(d.owner, due.get(('dependency', d.id or 0)))}" for d in deps]
    lines += [f"credential {c.name}: {_who(c.owner, due.get(('credential', c.id or 0)))}" for c in creds]
    owners = {x.owner for x in [*deps, *creds] if x.owner}
    return lines, owners


def root_fields(session: Session, incident: Incident) -> tuple[list[AlertField], set[str]]:
    """Fields for the root: affected things, matched support artifacts, first runbook actions; plus owners."""
    lines, owners = affected(session, incident)
    fields = [AlertField("Affected", _first(lines))] if lines else []
    artifacts = session.execute(select(Artifact).where(col(Artifact.vendor_id) == incident.vendor_id)
                                .order_by(col(Artifact.id))).scalars().all()  # fmt: skip
    if artifacts:
        fields.append(AlertField("Support artifacts", _first([f"case {a.case_ref} ({a.filename})" for a in artifacts])))
    tasks = session.execute(select(Task).where(col(Task.incident_id) == incident.id, col(Task.status) == "open")
                            .order_by(col(Task.due_at), col(Task.id)).limit(FIRST_ACTIONS)).scalars().all()  # fmt: skip
    if tasks:
        fields.append(AlertField("First actions", "\n".join(f"{t.title} (task {t.id})" for t in tasks)))
    return fields, owners
