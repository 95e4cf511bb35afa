"""Worker heartbeats: each `vendorwatch run` upserts its row every beat; `status` reads them all."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Float, Integer, String, Table, update
from sqlmodel import Session, SQLModel

from registry.rows import WorkerBeat
from registry.types import UTCDateTime

__all__ = ["WorkerBeat", "beat", "forget_before", "heartbeat"]

# A Core table in the models' metadata (so `alembic check` sees it; migration 0004_i24 creates it), used only here.
heartbeat = Table(
    "worker_heartbeat",
    SQLModel.metadata,
    Column("worker_id", String, primary_key=True),
    Column("host", String, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", UTCDateTime(timezone=True), nullable=False),
    Column("last_beat_at", UTCDateTime(timezone=True), nullable=False),
    Column("interval_s", Float, nullable=False),
    Column("stopped_at", UTCDateTime(timezone=True), nullable=True),
    Column("jobs", JSON, nullable=False),
)


def beat(session: Session, w: WorkerBeat) -> None:
    """Insert or refresh this worker's row (one row per worker id)."""
    values = {
        "host": w.host,
        "pid": w.pid,
        "started_at": w.started_at,
        "last_beat_at": w.last_beat_at,
        "interval_s": w.interval_s,
        "stopped_at": w.stopped_at,
        "jobs": w.jobs,
    }
    done = session.execute(update(heartbeat).where(heartbeat.c.worker_id == w.worker_id).values(**values))
    if not getattr(done, "rowcount", 0):
        session.execute(heartbeat.insert().values(worker_id=w.worker_id, **values))


def forget_before(session: Session, cutoff: datetime) -> int:
    """Drop workers that last beat before `cutoff` (long stopped or dead): they are history, not health."""
    done = session.execute(heartbeat.delete().where(heartbeat.c.last_beat_at < cutoff))
    return int(getattr(done, "rowcount", 0) or 0)
