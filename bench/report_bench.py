"""Board report at scale: 1,000 vendors / 10,000 dependencies / 300 incidents in a temp SQLite file.

Usage: .venv/bin/python bench/report_bench.py [--vendors 1000] [--deps 10000] [--incidents 300]
Prints seconds for metrics and for the whole report, and peak RSS of this process and the render child; also
what the registry history costs (a snapshot, a daily check of an unchanged registry, a poll within the day).
By default every incident falls in the reported quarter (--spread-days 50 before 20 Nov 2026); the report
details the top 25 of them and counts the rest, as PITFALLS.md advises for WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import insert
from sqlmodel import Session

from registry.db import ensure_schema, make_engine
from registry.models import Delivery, Dependency, Incident, IncidentReference, Item, Task, Vendor
from registry.repo import history
from reports.board import write_board_report
from reports.metrics import board_metrics

NOW = datetime(2026, 11, 20, tzinfo=UTC)
CATEGORIES = ["identity-provider", "mfa", "pam", "ci-cd", "password-manager", "saas", "cloud", "source-control"]


def populate(
    session: Session, n_vendors: int, n_deps: int, n_incidents: int, rng: random.Random, spread_days: float = 50
) -> None:
    """Bulk-insert a synthetic registry and a year of incidents with tasks, items and deliveries."""
    names = [f"Vendor {i:04d}" for i in range(n_vendors)]
    session.execute(
        insert(Vendor),
        [
            {
                "id": i + 1,
                "name": n,
                "category": rng.choice(CATEGORIES),
                "users": rng.randint(10, 5000),
                "criticality": rng.choice(["critical", "high", "medium", "low"]),
                "aliases": [],
                "domains": [],
            }
            for i, n in enumerate(names)
        ],
    )
    deps = [
        {
            "id": d + 1,
            "vendor_id": d % n_vendors + 1,
            "name": f"dep {d}",
            "kind": "oauth-grant",
            "revocation_sla_s": rng.choice([4, 8, 24]) * 3600,
            "users": rng.randint(0, 500),
            "token_binding": rng.choice(["none", "network", "device"]),
            "privilege_scope": rng.choice(["read", "write", "admin"]),
            "trust_width": rng.randint(1, 20),
            "reaches": rng.sample(names, rng.randint(0, 3)),
        }
        for d in range(n_deps)
    ]
    session.execute(insert(Dependency), deps)
    incidents, tasks, items, refs, deliveries = [], [], [], [], []
    for i in range(1, n_incidents + 1):
        vid = rng.randint(1, n_vendors)
        alert = NOW - timedelta(days=rng.uniform(1, spread_days))
        disclosed = alert - timedelta(hours=rng.uniform(0.5, 96))
        incidents.append(
            {
                "id": i,
                "vendor_id": vid,
                "kind": "breach",
                "title": f"Incident {i} at {names[vid - 1]}",
                "severity": "high",
                "alerted": True,
                "opened_at": alert,
                "disclosed_at": disclosed,
                "alerted_at": alert,
                "last_activity_at": alert,
            }
        )
        deliveries.append(
            {
                "incident_id": i,
                "channel": "slack",
                "kind": "root",
                "dedupe_key": f"r{i}",
                "status": "sent",
                "sent_at": alert,
                "payload": {},
                "next_attempt_at": alert,
                "created_at": alert,
            }
        )
        for d in deps[vid - 1 :: n_vendors]:
            due = alert + timedelta(seconds=d["revocation_sla_s"])
            closed = alert + timedelta(hours=rng.uniform(1, 48)) if rng.random() < 0.8 else None
            tasks.append(
                {
                    "incident_id": i,
                    "vendor_id": vid,
                    "dependency_id": d["id"],
                    "key": f"dep:{d['id']}",
                    "step": "revoke",
                    "title": f"Revoke {d['name']}",
                    "owner": "iam",
                    "status": "done" if closed else "open",
                    "created_at": alert,
                    "due_at": due,
                    "closed_at": closed,
                }
            )
        for n in range(3):
            iid = len(items) + 1
            items.append(
                {
                    "id": iid,
                    "source_id": "bench",
                    "guid": f"{i}-{n}",
                    "url": f"https://x.example/{i}/{n}",
                    "title": f"Report {n} on incident {i}",
                    "published": disclosed + timedelta(hours=n),
                    "first_seen": disclosed + timedelta(hours=n),
                    "also_in": [],
                    "evidence": [],
                    "subjects": [],
                }
            )
            refs.append({"incident_id": i, "item_id": iid, "role": "report", "added_at": alert})
    for model, rows in (
        (Incident, incidents),
        (Delivery, deliveries),
        (Task, tasks),
        (Item, items),
        (IncidentReference, refs),
    ):
        session.execute(insert(model), rows)
    session.commit()


def snapshot(session: Session) -> None:
    """A registry snapshot in 2026Q3 (so page 1 shows changes), then the poll path's two cheap cases."""
    t0 = time.perf_counter()
    snap = history.record(session, datetime(2026, 9, 1, tzinfo=UTC))
    taken = time.perf_counter() - t0
    t0 = time.perf_counter()
    history.record(session, NOW, at_most_every=history.DAILY)  # unchanged: the row is marked checked
    checked = time.perf_counter() - t0
    t0 = time.perf_counter()
    history.record(session, NOW + timedelta(hours=1), at_most_every=history.DAILY)  # within the day: one read
    skipped = time.perf_counter() - t0
    session.commit()
    size = len(json.dumps(snap.tallies)) / 1024
    within = f"poll within the day {skipped * 1000:.1f} ms"
    print(f"registry snapshot: {taken:.2f} s ({size:.0f} KB); daily check {checked:.2f} s; {within}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--deps", type=int, default=10000)
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--spread-days", type=float, default=50, help="incidents fall in the last N days")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        ensure_schema(engine)
        with Session(engine) as session:
            t0 = time.perf_counter()
            populate(session, args.vendors, args.deps, args.incidents, random.Random(7), args.spread_days)
            print(f"populate: {time.perf_counter() - t0:.1f} s")
            snapshot(session)
            t0 = time.perf_counter()
            m = board_metrics(session, now=NOW)
            print(f"metrics: {time.perf_counter() - t0:.2f} s ({m.current.incidents} incidents in {m.quarter})")
            t0 = time.perf_counter()
            out = Path(tmp) / "board.pdf"
            write_board_report(session, out, now=NOW)
            elapsed = time.perf_counter() - t0
        self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = [page.extract_text() for page in PdfReader(out).pages]
        appendix = next((n for n, text in enumerate(pages, 1) if "Appendix" in text[:300]), None)
        print(
            f"board report: {elapsed:.1f} s, {out.stat().st_size / 1024:.0f} KB PDF, {len(pages)} pages, "
            f"appendix from page {appendix}"
        )
        print(f"peak RSS: this process {self_mb:.0f} MB, render child {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
