"""Delivery through Slack's bad days, at Slack's real pace (1 message/s per channel), against the stand-in.

Scenarios (each on a fresh SQLite database, alerts to `#identity-alerts` by name, as the default settings):
- storm: INCIDENTS roots with REPLIES replies each, while every call gets 429 + Retry-After 1 for STORM s;
- outage: the same while every call gets HTTP 500 for OUTAGE s;
- lost: answers dropped after Slack stored the message for LOST s;
- slow: answers 4 s late (the client times out after 3 s) for SLOW s;
- follow-ups: roots out first, then REPLIES replies per thread while chat.postMessage gets Retry-After 2.
Prints, per scenario: delivered/expected, duplicates, threads out of order, failed, the first root after the
phase ended and the drain time (last message after the phase ended) with its rate.
Usage: .venv/bin/python bench/delivery_bench.py [--incidents 13] [--replies 2] [--storm 30] [--outage 60]
       [--lost 10] [--slow 20] [--only SCENARIO]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from notify.base import Alert
from registry import api
from registry.models import Incident, Vendor
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import alerts
from vendorwatch.settings import Settings

CHANNEL = "#identity-alerts"
SCENARIOS = ["storm", "outage", "lost", "slow", "follow-ups"]


def _app(tmp: Path, slack: SlackStandIn) -> App:
    import os

    os.environ["SLACK_BOT_TOKEN"] = slack.token
    settings = Settings(database_url=f"sqlite:///{tmp / 'vw.db'}", channels=["slack"])
    settings.slack.api_url, settings.slack.channel, settings.slack.timeout_s = slack.api_url, CHANNEL, 3
    (tmp / "registry.yaml").write_text(fleet.registry_yaml())
    app = App(settings=settings)
    with app.session() as s:
        api.import_file(s, tmp / "registry.yaml")
    return app


def _queue(app: App, incidents: int, replies: int, *, roots: bool = True, tag: str = "") -> None:
    with app.session() as s:
        vendor = s.execute(select(Vendor)).scalars().first()
        assert vendor is not None
        existing = list(s.execute(select(Incident)).scalars())
        targets = existing if not roots else []
        for n in range(incidents if roots else 0):
            incident = Incident(vendor_id=vendor.id or 0, kind="breach", title=f"Breach {n}", alerted=True)
            s.add(incident)
            s.flush()
            alerts.enqueue(
                s,
                Alert(incident.id or 0, "root", f"Breach {n}", "x", channel=CHANNEL),
                ["slack"],
                f"i{incident.id}:root",
            )
            targets.append(incident)
        for incident in targets:
            for r in range(replies):
                reply = Alert(incident.id or 0, "reply", f"Follow-up {r}", "y", channel=CHANNEL)
                alerts.enqueue(s, reply, ["slack"], f"i{incident.id}:reply{tag}:{r}")


def _report(name: str, slack: SlackStandIn, expected: int, phase_end: float, failed: int) -> None:
    roots = slack.root_messages(CHANNEL)
    ids = [m.metadata["event_payload"]["delivery_id"] for m in roots if m.metadata]
    disorder = 0
    for root in roots:
        thread = [m.metadata["event_payload"]["delivery_id"] for m in slack.replies(root.ts) if m.metadata]
        ids += thread
        numbers = [int(i[3:]) for i in thread]
        disorder += numbers != sorted(numbers)
    dupes = sum(n - 1 for n in Counter(ids).values())
    ok = [c for c in slack.calls if c.method == "chat.postMessage" and c.status == 200 and not c.error]
    after = [c.at - phase_end for c in ok if c.at >= phase_end]
    roots_after = [c.at - phase_end for c in ok if c.at >= phase_end and "thread_ts" not in c.args]
    first_root = min(roots_after, default=float("nan"))
    drain = max(after, default=float("nan"))
    rate = len(after) / drain if after and drain > 0 else float("nan")
    print(
        f"{name:11} delivered {len(set(ids))}/{expected}, duplicates {dupes}, threads out of order {disorder}, "
        f"failed {failed}; first root {first_root:.1f} s after the phase, drained in {drain:.1f} s "
        f"({rate:.2f} msg/s)"
    )


def scenario(name: str, args: argparse.Namespace) -> None:
    """Run one scenario on a fresh database and stand-in, print its figures."""
    tmp = Path(tempfile.mkdtemp(prefix=f"vw-delivery-{name}-"))
    slack = SlackStandIn().start()
    slack.channel_id(CHANNEL)
    app = _app(tmp, slack)
    channels = build_channels(app.settings)
    expected = args.incidents * (1 + args.replies)
    if name == "follow-ups":
        _queue(app, args.incidents, 0)
        outbox.dispatch_until_idle(app, channels, timeout=600)
        _queue(app, 0, args.replies, roots=False, tag="late")
        slack.phase("429", 6, retry_after=2, methods=["chat.postMessage"])
        seconds = 6.0
    else:
        _queue(app, args.incidents, args.replies)
        mode, seconds = {
            "storm": ("429", args.storm),
            "outage": ("500", args.outage),
            "slow": ("slow", args.slow),
            "lost": ("drop_after_store", args.lost),
        }[name]
        slack.phase(mode, seconds, retry_after=1, delay=4.0)
    phase_end = time.monotonic() + seconds
    stats = outbox.dispatch_until_idle(app, channels, timeout=seconds + 5 * expected + 60)
    _report(name, slack, expected, phase_end, stats.failed)
    slack.stop()
    app.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=13)
    parser.add_argument("--replies", type=int, default=2)
    parser.add_argument("--storm", type=float, default=30)
    parser.add_argument("--outage", type=float, default=60)
    parser.add_argument("--lost", type=float, default=10)
    parser.add_argument("--slow", type=float, default=20)
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # each 429 and retry logs a warning: thousands of lines in a storm
    for name in args.only or SCENARIOS:
        scenario(name, args)


if __name__ == "__main__":
    main()
