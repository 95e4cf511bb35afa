"""Plain rows and store constants that need no ORM: shared by the ORM queries and the read-only reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

REMINDER_TRIES = 3  # failed reminder runs before a task is set aside (no longer reminded)
REMINDER_FAILED = "task.reminder_failed"  # audited on each failed reminder run
REMINDERS_RESUMED = "task.reminders_resumed"  # an operator's fresh start once the cause is fixed (`tasks resume`)


@dataclass(frozen=True)
class WorkerBeat:
    """One worker as it last reported itself; `jobs` maps a job id to its last results."""

    worker_id: str
    host: str
    pid: int
    started_at: datetime
    last_beat_at: datetime
    interval_s: float
    stopped_at: datetime | None
    jobs: dict[str, dict[str, Any]]
