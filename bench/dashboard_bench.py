"""Dashboard page at scale: 1,000 vendors / 10,000 dependencies / 300 open incidents (budget: 100 ms).

Usage: .venv/bin/python bench/dashboard_bench.py [--vendors 1000] [--incidents 300] [--requests 20] [--db-url URL]
Populates a temp SQLite file (or an empty database at --db-url) as bench/report_bench.py does, plus 2,000 audit
events, then serves the app on 127.0.0.1 and times GET / over loopback: median and worst of --requests.
Also prints the CPU time of reading and rendering the page in-process (best of --requests): on a shared,
loaded machine the wall time mostly measures the queue for a core, the CPU time what the page costs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from report_bench import NOW, populate
from sqlalchemy import insert
from sqlmodel import Session

from registry.db import read_scope
from registry.models import AuditEvent
from vendorwatch.app import App
from vendorwatch.settings import Settings
from vendorwatch.web import dashboard
from vendorwatch.web.access import configure
from vendorwatch.web.app import create_app
from vendorwatch.web.server import start_in_thread

BUDGET_MS = 100.0


def _audit(session: Session, n: int) -> None:
    change = {"action": "task.completed", "entity": "task", "before": {"status": "open"}, "after": {"status": "done"}}
    rows = [{"at": NOW - timedelta(minutes=i), "actor": "alice", "entity_id": str(i), **change} for i in range(n)]
    session.execute(insert(AuditEvent), rows)
    session.commit()


def _time(url: str, n: int) -> list[float]:
    times = []
    with httpx.Client(timeout=30) as client:
        client.get(url).raise_for_status()  # warm: schema check, template compile
        for _ in range(n):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            response.raise_for_status()
    return times


def _cpu(vw: App, n: int) -> tuple[float, float]:
    env, build, render = dashboard.environment(), [], []
    for _ in range(n):
        t0 = time.process_time()
        with read_scope(vw.engine) as session:
            page = dashboard.build(session, vw.now())
        t1 = time.process_time()
        dashboard.render(env, page)
        build.append((t1 - t0) * 1000)
        render.append((time.process_time() - t1) * 1000)
    return min(build), min(render)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--deps", type=int, default=10000)
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--db-url", default=None, help="an empty database (default: a temp SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        vw = App(settings=Settings(database_url=url), clock=lambda: NOW)
        with Session(vw.engine) as session:
            populate(session, args.vendors, args.deps, args.incidents, random.Random(7))
            _audit(session, 2000)
        running = start_in_thread(create_app(vw, configure(vw.settings, "127.0.0.1")))
        try:
            page = httpx.get(running.url, timeout=30).text
            times = _time(running.url, args.requests)
        finally:
            running.stop()
        median, worst = statistics.median(times), max(times)
        incidents, tasks = page.count('class="incident"'), page.count('<tr id="task-')
        print(
            f"dashboard: {args.vendors} vendors, {incidents} open incidents, {tasks} open tasks, "
            f"{len(page) / 1024:.0f} KB HTML"
        )
        build, render = _cpu(vw, args.requests)
        print(f"CPU: read {build:.0f} ms + render {render:.0f} ms = {build + render:.0f} ms (best of {args.requests})")
        print(
            f"GET /: median {median:.0f} ms, worst {worst:.0f} ms over {len(times)} requests "
            f"(budget {BUDGET_MS:.0f} ms: {'ok' if median <= BUDGET_MS else 'OVER'})"
        )


if __name__ == "__main__":
    main()
