"""A small registry with known values and a hand-computable incident history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from registry import api
from registry.models import Assessment, Delivery, Incident, IncidentReference, Item, Review, Task, Vendor

REGISTRY = """
vendors:
  - name: Okta
    category: identity-provider
    criticality: critical
    users: 100
    dependencies:
      - {name: SSO, kind: sso, revocation_sla: 4h, users: 100, token_binding: none, privilege_scope: write,
         trust_width: 10, reaches: [GitHub, Jira]}
      - {name: Admin API, kind: api-token, revocation_sla: 4h, token_binding: device, privilege_scope: admin,
         trust_width: 2}
  - name: GitHub
    category: source-control
    criticality: high
    users: 50
    dependencies:
      - {name: Org OAuth, kind: oauth-grant, revocation_sla: 8h, token_binding: network, privilege_scope: read,
         trust_width: 3}
  - name: Duo
    category: identity-provider
    criticality: medium
    users: 20
    dependencies:
      - {name: MFA push, kind: api-token, privilege_scope: read, trust_width: 1}
"""
NOW = datetime(2026, 11, 15, tzinfo=UTC)
# Last quarter: Okta in front of half of our people, and its SSO reached no other vendor.
Q3_REGISTRY = (
    REGISTRY.replace("users: 100", "users: 50")
    .replace("criticality: high\n    users: 50", "criticality: high\n    users: 100")
    .replace(", reaches: [GitHub, Jira]", "")
)


def at(month: int, day: int, hour: int = 0, year: int = 2026) -> datetime:
    """A UTC moment."""
    return datetime(year, month, day, hour, tzinfo=UTC)


def import_registry(session: Session, tmp_path: Path) -> dict[str, int]:
    """Import REGISTRY; vendor ids by name."""
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY, encoding="utf-8")
    api.import_file(session, path, now=NOW)
    session.flush()
    return {v.name: v.id or 0 for v in session.execute(select(Vendor)).scalars()}


def incident(
    session: Session,
    vendor_id: int,
    title: str,
    *,
    disclosed: datetime | None,
    alerted: datetime | None,
    alerted_flag: bool = True,
) -> Incident:
    """An incident row."""
    inc = Incident(
        vendor_id=vendor_id,
        kind="breach",
        title=title,
        severity="critical",
        alerted=alerted_flag,
        opened_at=alerted or NOW,
        disclosed_at=disclosed,
        alerted_at=alerted,
    )
    session.add(inc)
    session.flush()
    return inc


def task(session: Session, inc: Incident, key: str, due: datetime, closed: datetime | None) -> None:
    """A rotation task of an incident."""
    session.add(
        Task(
            incident_id=inc.id or 0,
            vendor_id=inc.vendor_id,
            key=key,
            step="rotate",
            title=f"Rotate {key}",
            owner="iam",
            status="done" if closed else "open",
            created_at=inc.alerted_at or NOW,
            due_at=due,
            closed_at=closed,
        )
    )


def item(
    session: Session, inc: Incident, n: int, title: str, summary: str = "", *, first_seen: datetime | None = None
) -> None:
    """An item in the incident's timeline, first seen by the poll that alerted (unless told otherwise)."""
    published = inc.disclosed_at or inc.opened_at
    it = Item(
        source_id="feed",
        guid=f"g{inc.id}-{n}",
        url=f"https://news.example/{inc.id}/{n}",
        title=title,
        summary=summary,
        published=published,
        first_seen=first_seen or inc.alerted_at or published,
    )
    session.add(it)
    session.flush()
    session.add(IncidentReference(incident_id=inc.id or 0, item_id=it.id or 0, role="report"))


def watching_since(session: Session, when: datetime) -> None:
    """vendorwatch's first poll: an unrelated item of the feed first seen then."""
    session.add(
        Item(
            source_id="feed",
            guid=f"start-{when:%Y%m%d}",
            url="https://news.example/start",
            title="Weekly",
            published=when,
            first_seen=when,
        )
    )


def seed(session: Session, tmp_path: Path) -> dict[str, int]:
    """The registry plus: Okta A (Q4, delivered alert), Okta B (Q3), GitHub C (Q4, overdue), reviews.

    vendorwatch has polled since 1 July 2026: Q3 and Q4 have data, Q1 and Q2 have none.
    """
    ids = import_registry(session, tmp_path)
    watching_since(session, at(7, 1))
    a = incident(session, ids["Okta"], "Okta support system breach", disclosed=at(10, 1), alerted=at(10, 1, 7))
    # The first sent root delivery (06:00) wins over incident.alerted_at (07:00): TTD 6 h.
    session.add(
        Delivery(incident_id=a.id, channel="slack", kind="root", dedupe_key="a", status="sent", sent_at=at(10, 1, 6))
    )
    task(session, a, "a1", due=at(10, 1, 10), closed=at(10, 1, 9))
    task(session, a, "a2", due=at(10, 2, 6), closed=at(10, 1, 18))  # TTR 12 h, SLA 24 h, met
    item(session, a, 1, "Okta confirms breach")
    session.add(
        Assessment(
            incident_id=a.id or 0, seq=0, confidence=40, impact=50, likelihood=30, key_judgments=["Baseline judgment"]
        )
    )
    session.add(
        Assessment(
            incident_id=a.id or 0,
            seq=1,
            confidence=80,
            impact=70,
            likelihood=60,
            key_judgments=["Scope widened to all support customers"],
            fired=[{"trigger": "scope-expansion", "item_id": 1}],
        )
    )
    b = incident(session, ids["Okta"], "Okta earlier incident", disclosed=at(8, 1), alerted=at(8, 1, 10))
    task(session, b, "b1", due=at(8, 1, 14), closed=at(8, 1, 20))  # TTD 10 h, TTR 10 h, missed
    c = incident(session, ids["GitHub"], "GitHub tokens leaked", disclosed=None, alerted=at(11, 1))
    task(session, c, "c1", due=at(11, 1, 8), closed=None)  # open past due: overdue; SLA 8 h
    incident(session, ids["Duo"], "Duo rumour", disclosed=at(11, 2), alerted=None, alerted_flag=False)
    session.add(Review(vendor_id=ids["Okta"], reviewed_at=at(7, 1), by="al", rating="high", next_due=at(10, 1)))
    session.add(
        Review(vendor_id=ids["GitHub"], reviewed_at=at(10, 1), by="al", rating="low", next_due=at(4, 1, 0, 2027))
    )
    session.flush()
    return ids
