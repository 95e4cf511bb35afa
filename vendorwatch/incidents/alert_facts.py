"""What a responder needs on an incident's root: who and what of ours is affected, artifacts, first steps."""

from __future__ import annotations

import textwrap

from sqlmodel import Session

from notify.base import AlertField
from notify.text import ELLIPSIS, truncate
from registry.models import Assessment, Credential, Dependency, Incident, Task
from registry.repo import affected as repo
from registry.vocab import TaskStatus
from vendorwatch.assessments import latest as latest_assessment
from vendorwatch.wording import percent

SHOWN = 5  # first few of a list, then "and N more"
FIRST_ACTIONS = 3
NAME_MAX = 40  # a registry name longer than this is shortened at a word boundary; owners and due times never are
FIELD_BUDGET = 290  # Slack shows a field's first 300 characters: the "and N more" line must fit in them


def confidence_figure(session: Session, incident: Incident) -> str:
    """The one confidence figure (0-100 %) shown in alerts and `incidents show`: the current assessment's."""
    return confidence_of(incident, latest_assessment(session, incident.id or 0))


def confidence_of(incident: Incident, current: Assessment | None) -> str:
    """confidence_figure, given the incident's current assessment (None before the baseline)."""
    return percent(current.confidence / 100 if current is not None else incident.confidence)


def open_command(incident_id: int) -> str:
    """The command that opens an incident, as printed in its alerts."""
    return f"vendorwatch incidents show {incident_id}"


def short(name: str, limit: int = NAME_MAX) -> str:
    """A name cut at a word boundary (`Okta Workforce…`), a single overlong word cut where it must."""
    if len(name) <= limit:
        return name
    shortened = textwrap.shorten(name, limit, placeholder=ELLIPSIS)
    return shortened if shortened != ELLIPSIS else truncate(name, limit)


def first_few(lines: list[str]) -> str:
    """The first entries (at most SHOWN, whole, within FIELD_BUDGET), then "and N more"; one entry a line."""
    shown: list[str] = []
    for line in lines[:SHOWN]:
        tail = len(lines) - len(shown) - 1
        more = len(f"and {tail} more") + 1 if tail else 0
        if shown and sum(len(s) + 1 for s in shown) + len(line) + more > FIELD_BUDGET:
            break
        shown.append(line)
    extra = len(lines) - len(shown)
    return "\n".join(shown + ([f"and {extra} more"] if extra > 0 else []))


def _who(owner: str, due: str | None) -> str:
    parts = [owner or "no owner", *([f"due {due}"] if due else [])]
    return ", ".join(parts)


def affected(deps: list[Dependency], creds: list[Credential], tasks: list[Task]) -> tuple[list[str], set[str]]:
    """One line per affected dependency and credential (owner, due time) and the owners named."""
    due: dict[tuple[str, int], str] = {}
    for task in tasks:
        when = task.due_at.strftime("%Y-%m-%d %H:%M UTC")
        for kind, ref in (("credential", task.credential_id), ("dependency", task.dependency_id)):
            if ref is not None:
                due.setdefault((kind, ref), when)
    lines = [f"{short(d.name)} ({d.kind}): {_who(d.owner, due.get(('dependency', d.id or 0)))}" for d in deps]
    lines += [f"credential {short(c.name)}: {_who(c.owner, due.get(('credential', c.id or 0)))}" for c in creds]
    owners = {d.owner for d in deps if d.owner} | {c.owner for c in creds if c.owner}
    return lines, owners


def root_fields(session: Session, incident: Incident) -> tuple[list[AlertField], set[str]]:
    """Fields for the root: affected things, matched support artifacts, first runbook actions; plus owners."""
    deps, creds, tasks = repo.footprint(session, incident)
    lines, owners = affected(deps, creds, tasks)
    fields = [AlertField("Affected", first_few(lines))] if lines else []
    if artifacts := repo.vendor_artifacts(session, incident.vendor_id):
        cases = [f"case {short(a.case_ref)} ({short(a.filename)})" for a in artifacts]
        fields.append(AlertField("Support artifacts", first_few(cases)))
    first = [t for t in tasks if t.status == TaskStatus.open][:FIRST_ACTIONS]
    if first:
        fields.append(AlertField("First actions", "\n".join(f"{short(t.title, 80)} (task {t.id})" for t in first)))
    return fields, owners
