"""`vendorwatch demo`: the whole job end to end on bundled sample data, SQLite, no Slack token."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from registry import api as registry_api
from vendorwatch.app import App
from vendorwatch.bundled import bundled
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.feedserver import FeedServer
from vendorwatch.incidents.alerts import refresh_root
from vendorwatch.poll import pipeline
from vendorwatch.settings import Settings, SourceSettings

DEMO_START = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)


@dataclass(frozen=True)
class DemoPaths:
    """Where the demo reads its sample data and writes its outputs."""

    workdir: Path
    data: Path = field(default_factory=lambda: bundled("demo"))

    @property
    def registry(self) -> Path:
        """The demo registry file."""
        return self.data / "registry.yaml"

    @property
    def database_url(self) -> str:
        """A fresh SQLite file in the work directory."""
        return f"sqlite:///{self.workdir / 'demo.db'}"

    def phase(self, n: int) -> Path:
        """The feed directory as a poller sees it at phase n."""
        return self.data / "feeds" / f"phase{n}"


def demo_settings(paths: DemoPaths, server: FeedServer) -> Settings:
    """Settings for the demo: its sources served over loopback, alerts to the console."""
    feeds = json.loads((paths.data / "feeds.json").read_text(encoding="utf-8"))
    sources = [
        SourceSettings(id=sid, url=server.url(f"{sid}.xml"), vendor=meta["vendor"], trust=meta["trust"])
        for sid, meta in sorted(feeds.items())
    ]
    return Settings(database_url=paths.database_url, channels=["console"], sources=sources, lookback_days=30)


def fresh_app(paths: DemoPaths, settings: Settings) -> App:
    """A new App on an empty demo database, its clock at the moment the sample feeds describe."""
    paths.workdir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (paths.workdir / f"demo.db{suffix}").unlink(missing_ok=True)
    # The sample feeds are a snapshot of 22 November 2026 (phase 1) and three days later (phase 2): a
    # fixed clock makes the demo tell the same story whatever day it runs.
    return App(settings=settings, clock=lambda: DEMO_START)


def import_registry(app: App, paths: DemoPaths) -> registry_api.ImportChanges:
    """Import the demo registry."""
    with app.session() as session:
        return registry_api.import_file(session, paths.registry, now=app.now())


def record_support_artifact(app: App, paths: DemoPaths) -> tuple[Path, int]:
    """A HAR file the help desk uploaded to an Okta support case: fingerprints go into the ledger."""
    from vendorwatch.har.artifacts import distinct_tokens, fingerprint_key, record_artifact

    har = paths.data / "okta-support-case-4711.har"
    quiet = logging.getLogger("vendorwatch.har.artifacts")
    level, quiet.level = quiet.level, logging.ERROR  # the demo's key file is new by design: no warning
    try:
        key = fingerprint_key(app.settings)
    finally:
        quiet.setLevel(level)
    with app.session() as session:
        artifact = record_artifact(session, "Okta", "4711", har, key=key, by="helpdesk", now=app.now())
        return har, distinct_tokens(artifact)


def poll_and_alert(app: App, stream: TextIO) -> tuple[pipeline.PollReport, outbox.DispatchStats]:
    """One poll cycle, then send its alerts to the console.

    Not streamed: items are triaged oldest report first, so every run tells the same story (the vendor's own
    notice opens its incident, whichever feed answers first).
    """
    report = pipeline.poll_once(app, stream=False)
    sent = outbox.dispatch_until_idle(app, build_channels(app.settings, stream=stream), timeout=30)
    return report, sent


def later(app: App, hours: float) -> None:
    """Move the demo's clock forward (phase 2 happens days after phase 1)."""
    start = app.clock()
    app.clock = lambda: start + timedelta(hours=hours)


@dataclass(frozen=True)
class Worked:
    """What happened to the tasks in the demo's third act."""

    done: int
    waived: int
    reminders: int


def work_tasks(app: App) -> Worked:
    """A few hours in: the IdP's tasks are done, one task is waived, then the reminder job runs."""
    from registry.repo.incidents import with_vendors
    from vendorwatch.runbooks.actions import complete, list_tasks, waive
    from vendorwatch.runbooks.reminders import send_reminders

    later(app, 3)
    with app.session() as s:
        tasks = list_tasks(s, open_only=True, now=app.now())
        critical = {i.id for i, v in with_vendors(s) if v.category == "identity-provider"}
        done = [t for t in tasks if t.incident_id in critical]
        for task in done:
            complete(s, task.id or 0, by="alice", evidence="INC-4711: done, see change log", now=app.now())
        others = [t for t in tasks if t.incident_id not in critical]
        if others:
            waive(s, others[-1].id or 0, by="bob", reason="integration already decommissioned", now=app.now())
        for incident_id in {t.incident_id for t in tasks}:
            refresh_root(s, app.settings, incident_id, reason="demo-tasks-worked", now=app.now())
    later(app, 3)
    # The reminder job on the demo's clock: tasks now past due are escalated, those due soon are reminded.
    return Worked(len(done), 1 if others else 0, send_reminders(app))


def close_quiet_incidents(app: App) -> int:
    """The scheduler's quiet-period check: recorded outages with no news for days close themselves."""
    from vendorwatch.incidents.lifecycle import close_quiet

    return close_quiet(app)


def write_board(app: App, paths: DemoPaths) -> Path:
    """Write the quarterly board report for the demo data."""
    from reports.board import render_board
    from reports.metrics import board_metrics

    target = paths.workdir / "board-report.pdf"
    with app.session() as session:
        metrics = board_metrics(session, now=app.now(), regimes=app.settings.regimes)
    render_board(metrics, target)  # no transaction open while rendering
    return target


def write_config(paths: DemoPaths, settings: Settings) -> Path:
    """Settings pointing at the demo database and listing its sources, so other commands can explore it."""
    target = paths.workdir / "vendorwatch.toml"
    database_url = f"sqlite:///{(paths.workdir / 'demo.db').resolve()}"
    lines = [
        "# Written by `vendorwatch demo`: the demo database, its sample sources, alerts to the console.",
        "# The sources were served on a loopback port for the demo's run: `poll` finds nothing there now.",
        f"database_url = {json.dumps(database_url)}",
        'channels = ["console"]',
        f"lookback_days = {settings.lookback_days}",
    ]
    for src in settings.sources:
        vendor = f"vendor = {json.dumps(src.vendor)}\n" if src.vendor else ""
        lines.append(
            f"\n[[sources]]\nid = {json.dumps(src.id)}\nurl = {json.dumps(src.url)}\n{vendor}"
            f"trust = {json.dumps(src.trust)}"
        )
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target
