"""Alert latency: a new breach item on a loopback feed (10 s poll interval) to the Slack stand-in's root message.

Runs `vendorwatch run` as subprocesses (one on SQLite, or --workers N on PostgreSQL); each trial publishes one
new breach at a random moment on a different vendor's feed and times until the stand-in receives the root message.
Usage: .venv/bin/python bench/alert_latency.py [--trials 8] [--interval 10] [--db postgresql --workers 3]
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.whole_poll_bench import database
from registry import api
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings

VENDORS = (*fleet.VENDORS, "Ping Identity", "BeyondTrust", "Keeper Security", "Twilio")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--interval", type=int, default=10)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="PostgreSQL only: several `run` processes")
    args = parser.parse_args()
    vendors = VENDORS[: args.trials]
    tmp = Path(tempfile.mkdtemp(prefix="vw-latency-"))
    feeds = tmp / "feeds"
    feeds.mkdir()
    for v in vendors:
        (feeds / f"{fleet.slug(v)}.xml").write_text(fleet.rss([]))
    (tmp / "registry.yaml").write_text(fleet.registry_yaml(vendors))
    with database(args.db, tmp) as db:
        run(args, vendors, tmp, feeds, db)


def run(args: argparse.Namespace, vendors: tuple[str, ...], tmp: Path, feeds: Path, db: str) -> None:
    """The trials against one database."""
    app = App(Settings(database_url=db))
    with app.session() as s:
        api.import_file(s, tmp / "registry.yaml")
    app.engine.dispose()
    slack = SlackStandIn().start()
    latencies: list[float] = []
    with FeedServer(feeds) as server:
        config = tmp / "vendorwatch.toml"
        config.write_text(fleet.settings_toml(db, server.base_url, vendors, f"{args.interval}s", "#alerts"))
        env = fleet.worker_env(config, slack.api_url, slack.token)
        workers = [fleet.start_worker(env, tmp / "run.log") for _ in range(max(1, args.workers))]
        try:
            while len({p for p, _ in server.requests}) < len(vendors):  # every feed polled once: steady state
                time.sleep(0.1)
            for i, vendor in enumerate(vendors):
                time.sleep(random.uniform(0, args.interval))
                s = fleet.slug(vendor)
                (feeds / f"{s}.xml").write_text(fleet.rss([(f"{s}-breach", fleet.breach_title(vendor))]))
                start = time.monotonic()
                while len(slack.root_messages("#alerts")) <= i:
                    if time.monotonic() - start > 60:
                        sys.exit(f"no alert for {vendor} within 60 s; see {tmp / 'run.log'}")
                    time.sleep(0.02)
                latencies.append(time.monotonic() - start)
                print(f"trial {i + 1}: {vendor}: {latencies[-1]:.2f} s")
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(30)
            slack.stop()
    q = statistics.quantiles(latencies, n=20, method="inclusive")
    print(f"\n{len(latencies)} trials, poll interval {args.interval} s, {args.db}, {len(workers)} worker(s)")
    print(f"{'p50':>6} {statistics.median(latencies):6.2f} s   (target <= 6 s)")
    print(f"{'p95':>6} {q[18]:6.2f} s   (target <= 11 s)")
    print(f"{'max':>6} {max(latencies):6.2f} s")


if __name__ == "__main__":
    main()
