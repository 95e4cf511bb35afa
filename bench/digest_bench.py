"""What the daily digest costs on a busy store: building one, and the every-minute check once it is queued.

Seeds a fresh SQLite database with INCIDENTS alerted incidents over 30 days (a third closed) and TASKS tasks per
incident (half overdue), three routes with a digest each, then times `daily.build` for one route and
`daily.send_due_digests` (first call queues the digests; later calls find them queued and stop).
Usage: .venv/bin/python bench/digest_bench.py [--incidents 2000] [--tasks 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.models import Incident, Task, Vendor
from vendorwatch.app import App
from vendorwatch.incidents import daily
from vendorwatch.settings import DigestSettings, Route, Settings


def seed(app: App, incidents: int, tasks: int, now: datetime) -> None:
    """Vendors V0..V9 (critical), incidents alerted across 30 days, tasks half overdue."""
    with app.session() as s:
        vendors = [Vendor(name=f"V{n}", criticality="critical", owner="iam-team") for n in range(10)]
        s.add_all(vendors)
        s.flush()
        for n in range(incidents):
            at = now - timedelta(minutes=n * 30 * 24 * 60 // incidents)
            closed = at + timedelta(hours=6) if n % 3 == 0 else None
            incident = Incident(
                vendor_id=vendors[n % 10].id or 0,
                kind="breach",
                title=f"Breach {n}",
                alerted=True,
                severity="high",
                alerted_at=at,
                opened_at=at,
                closed_at=closed,
                status="closed" if closed else "open",
            )
            s.add(incident)
            s.flush()
            s.add_all(
                Task(
                    incident_id=incident.id or 0,
                    vendor_id=incident.vendor_id,
                    key=f"k{t}",
                    step="rotate",
                    title=f"Rotate {t}",
                    owner="platform-team",
                    due_at=at + timedelta(hours=4 + 40 * (t % 2)),
                )
                for t in range(tasks)
            )


def main() -> None:
    """Seed, then time one build and the job's first and later runs."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        routes = [Route(channel=f"#r{n}", vendors=[f"V{v}" for v in range(n, 10, 3)], digest=True) for n in range(3)]
        settings = Settings(
            database_url=f"sqlite:///{tmp}/vw.db",
            channels=["console"],
            routes=routes,
            digest=DigestSettings(at=f"{now - timedelta(minutes=1):%H:%M}"),
        )
        app = App(settings=settings, clock=lambda: now)
        seed(app, args.incidents, args.tasks, now)
        route = daily.digest_routes(settings)[0]
        started = time.perf_counter()
        with app.session() as s:
            alert = daily.build(s, settings, route, now.date(), now)
        built = time.perf_counter() - started
        started = time.perf_counter()
        queued = daily.send_due_digests(app)
        first = time.perf_counter() - started
        runs = []
        for _ in range(20):
            started = time.perf_counter()
            assert daily.send_due_digests(app) == 0
            runs.append(time.perf_counter() - started)
        print(
            f"{args.incidents} incidents, {args.incidents * args.tasks} tasks: build {built * 1000:.0f} ms "
            f"({alert.title}); job queuing {queued} digests {first * 1000:.0f} ms; "
            f"job once queued: median {sorted(runs)[10] * 1000:.1f} ms"
        )
        app.engine.dispose()


if __name__ == "__main__":
    main()
