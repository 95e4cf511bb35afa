"""Regulatory clocks at scale: N incidents with DORA, NIS2 and SEC clocks started, in a temp SQLite file.

Usage: .venv/bin/python bench/clocks_bench.py [--incidents 1000]
Prints the time to compute every step's deadline (what `status` and the board report read) and the time of
the deadline-reminder job: its first run (queues every message due) and a second run (queues nothing).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from registry.models import Incident, Vendor
from registry.repo import clocks as store
from vendorwatch.app import App
from vendorwatch.incidents import clocks
from vendorwatch.incidents.deadlines import send_deadline_reminders
from vendorwatch.settings import Settings

NOW = datetime(2026, 12, 1, tzinfo=UTC)
REGIMES = ["dora", "nis2", "sec"]


def seed(app: App, n: int) -> None:
    """n incidents an hour apart, each classified major and material; every other one's DORA initial sent."""
    with app.session() as s:
        vendor = Vendor(name="Okta", criticality="critical")
        s.add(vendor)
        s.flush()
        for k in range(n):
            at = NOW - timedelta(hours=k)
            incident = Incident(
                vendor_id=vendor.id or 0,
                kind="breach",
                title=f"incident {k}",
                alerted=True,
                alerted_at=at,
                opened_at=at,
            )
            s.add(incident)
            s.flush()
            for action in (clocks.MAJOR, clocks.MATERIAL):
                clocks.record(s, incident.id or 0, action, by="bench", now=at + timedelta(minutes=30))
            if k % 2:
                clocks.submitted(s, incident.id or 0, "dora", "initial", by="bench", now=at + timedelta(hours=2))


def main() -> None:
    """Seed, then time the deadline computation and two runs of the reminder job."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=1000)
    n = parser.parse_args().incidents
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        app = App(settings=Settings(database_url=url, channels=["console"], regimes=REGIMES))
        seed(app, n)
        app.clock = lambda: NOW
        with app.session() as s:
            start = time.perf_counter()
            steps = store.deadlines(s, REGIMES, skip_dismissed=True)
            print(f"deadlines: {len(steps)} steps of {n} incidents in {time.perf_counter() - start:.2f} s")
        for label in ("first reminder run", "second reminder run"):
            start = time.perf_counter()
            queued = send_deadline_reminders(app)
            print(f"{label}: {queued} messages queued in {time.perf_counter() - start:.2f} s")
        app.engine.dispose()


if __name__ == "__main__":
    main()
