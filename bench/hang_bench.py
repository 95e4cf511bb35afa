"""A source that never answers beside one with a breach: time until the alert is in the outbox and at Slack.

The worker's own jobs run as `vendorwatch run` runs them: the poll job, and the dispatch job every second.
Usage: .venv/bin/python bench/hang_bench.py [--db sqlite|postgresql] [--timeout 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select

from bench.whole_poll_bench import database
from registry import api
from registry.models import Delivery
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.ops.scheduler import Worker
from vendorwatch.settings import Settings, SourceSettings


class Silent(BaseHTTPRequestHandler):
    """Accepts the request and never answers."""

    def do_GET(self) -> None:
        time.sleep(3600)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--timeout", type=float, default=10.0, help="fetch_timeout_s (the hang ends at 1.5x)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vw-hang-"))
    (tmp / "feeds").mkdir()
    (tmp / "feeds" / "okta.xml").write_text(fleet.rss([("okta-breach", fleet.breach_title("Okta"))]))
    (tmp / "registry.yaml").write_text(fleet.registry_yaml())
    silent = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    silent.daemon_threads = True
    threading.Thread(target=silent.serve_forever, daemon=True).start()
    slack = SlackStandIn().start()
    os.environ["SLACK_BOT_TOKEN"] = slack.token
    with database(args.db, tmp) as url, FeedServer(tmp / "feeds") as feeds:
        hung = SourceSettings(id="silent", url=f"http://127.0.0.1:{silent.server_address[1]}/feed")
        good = SourceSettings(id="okta", url=feeds.url("okta.xml"), vendor="Okta", trust="vendor")
        app = App(Settings(database_url=url, sources=[hung, good], channels=["slack"], fetch_timeout_s=args.timeout))
        app.settings.slack.api_url, app.settings.slack.channel = slack.api_url, "#alerts"
        with app.session() as s:
            api.import_file(s, tmp / "registry.yaml")
        worker, probe, stop = Worker(app), create_engine(url), threading.Event()
        worker.parser.start()  # as `vendorwatch run` does at start-up, before its first poll

        def dispatching() -> None:  # the scheduler's dispatch job: every second
            while not stop.wait(1.0):
                worker.dispatch()

        start = time.monotonic()
        poll = threading.Thread(target=worker.poll)
        poll.start()
        threading.Thread(target=dispatching, daemon=True).start()
        in_outbox = at_slack = None
        while (in_outbox is None or at_slack is None) and time.monotonic() - start < args.timeout * 2:
            if in_outbox is None:
                with probe.connect() as conn:
                    if conn.execute(select(func.count()).select_from(Delivery.__table__)).scalar():  # type: ignore[attr-defined]
                        in_outbox = time.monotonic() - start
            if at_slack is None and slack.root_messages("#alerts"):
                at_slack = time.monotonic() - start
            time.sleep(0.02)
        poll.join()
        poll_s = time.monotonic() - start
        stop.set()
        probe.dispose()
        app.engine.dispose()
    slack.stop()
    silent.shutdown()
    print(f"{args.db}: one source silent (fetch deadline {args.timeout * 1.5:.0f} s), breach on the other")
    print(f"  in the outbox after {in_outbox:.2f} s   (target < 2 s)" if in_outbox else "  never in the outbox")
    print(f"  at Slack after      {at_slack:.2f} s   (target < 5 s)" if at_slack else "  never at Slack")
    print(f"  the poll itself ended after {poll_s:.1f} s (the silent source's deadline)")


if __name__ == "__main__":
    main()
