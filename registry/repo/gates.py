"""Per-channel gates (when the next send may start) and channel names resolved to ids, shared by all workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from registry.models import ChannelGate, ChannelTarget
from registry.queries import insert_ignoring_conflicts

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def reserve(session: Session, key: str, now: datetime, hold: timedelta) -> ChannelGate | datetime:
    """Take the gate's next send slot (held for `hold`), or return when it opens if it is not open yet.

    One send per channel at a time across workers: PostgreSQL locks the gate row, SQLite's BEGIN IMMEDIATE
    already serialises writers. The caller must `release` it (a killed worker's hold simply runs out).
    """
    session.execute(insert_ignoring_conflicts(session, ChannelGate).values(key=key, next_send_at=now, failures=0))
    query = select(ChannelGate).where(col(ChannelGate.key) == key)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    gate: ChannelGate = session.execute(query).scalar_one()
    if gate.next_send_at > now:
        return gate.next_send_at
    gate.next_send_at = now + hold
    return gate


def release(
    session: Session, key: str, next_send_at: datetime, *, failures: int | None = None, error: str | None = None
) -> None:
    """Set when the gate opens next; `failures` (None: unchanged) > 0 keeps the breaker open."""
    gate = session.get_one(ChannelGate, key)
    gate.next_send_at = next_send_at
    if failures is not None:
        gate.failures = failures
        gate.last_error = error[:500] if error else None


def warn(session: Session, key: str, warning: str | None) -> None:
    """Record (or clear, with None) a capability problem of a channel, for `status`."""
    session.execute(insert_ignoring_conflicts(session, ChannelGate).values(key=key, next_send_at=_EPOCH, failures=0))
    session.get_one(ChannelGate, key).warning = warning[:500] if warning else None


def all_gates(session: Session) -> list[ChannelGate]:
    """Every channel gate, by key."""
    return list(session.execute(select(ChannelGate).order_by(col(ChannelGate.key))).scalars())


def cached_target(session: Session, kind: str, name: str) -> ChannelTarget | None:
    """What `name` resolved to last time (an id, or a problem), if it was resolved before."""
    return session.get(ChannelTarget, (kind, name))


def store_target(
    session: Session, kind: str, name: str, target_id: str | None, now: datetime, problem: str | None = None
) -> None:
    """Remember that `name` is `target_id` (or could not be resolved, and why)."""
    row = session.get(ChannelTarget, (kind, name))
    if row is None:
        row = ChannelTarget(kind=kind, name=name)
        session.add(row)
    row.target_id, row.resolved_at, row.problem = target_id, now, problem[:500] if problem else None


def forget_target(session: Session, kind: str, name: str) -> None:
    """Drop a resolved id that the channel no longer knows (renamed or re-created channel)."""
    row = session.get(ChannelTarget, (kind, name))
    if row is not None:
        session.delete(row)
