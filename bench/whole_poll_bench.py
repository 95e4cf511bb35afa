"""Whole-poll benchmark: what `vendorwatch poll --once` costs (fetch over loopback, parse, store, triage, outbox)
beside feedparser's parse of the same bytes, in one process run.

Ordinary blog posts from N feeds x M items, 5% naming a registry vendor (a few of those breach reports).
Usage: .venv/bin/python bench/whole_poll_bench.py [--db sqlite|postgresql] [--shapes 200x50,400x25]
The feed server runs in a child process so its work does not share our GIL.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import random
import resource
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import feedparser
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from registry import api
from registry.types import utcnow
from tests.scale import fleet
from vendorwatch.app import App
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.poll import pipeline
from vendorwatch.settings import Settings, SourceSettings

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VENDORS = (*fleet.VENDORS, "Ping Identity", "BeyondTrust", "Keeper Security", "Twilio", "Cloudflare", "GitHub")
TOPICS = (
    "Kubernetes upgrades",
    "our on-call rota",
    "Postgres vacuum tuning",
    "a faster CI cache",
    "Rust in prod",
    "hiring juniors",
    "feature flags",
    "the office move",
    "cost of logging",
    "Terraform modules",
)
WORDS = (
    "team",
    "build",
    "release",
    "latency",
    "budget",
    "deploy",
    "review",
    "planning",
    "coffee",
    "design",
    "metric",
    "outage-free",
    "quarter",
)


def post(rng: random.Random, feed: int, n: int) -> tuple[str, str]:
    """(title, summary) of one post; 5% name a registry vendor, one in ten of those a breach of it."""
    body = " ".join(rng.choice(WORDS) for _ in range(60))
    if rng.random() < 0.05:
        vendor = rng.choice(VENDORS[:7])
        if rng.random() < 0.1:
            return fleet.breach_title(vendor), f"{vendor} said attackers used a stolen credential. {body}"
        return f"How we rolled out {vendor} to {rng.randint(20, 900)} people", f"Notes on {vendor}: {body}"
    return f"{rng.choice(TOPICS).capitalize()}, part {feed}-{n}", body


def rss(feed: int, items: int, seed: int) -> bytes:
    """One RSS 2.0 feed of blog posts published within the last day."""
    rng = random.Random(seed * 100_003 + feed)
    now = utcnow().timestamp()
    entries = []
    for i in range(items):
        title, summary = post(rng, feed, i)
        when = format_datetime(datetime.fromtimestamp(now - rng.uniform(0, 86400), UTC), usegmt=True)
        entries.append(
            f"<item><title>{title}</title><link>https://blog{feed}.example/p/{seed}-{i}</link>"
            f"<guid>b{feed}-{seed}-{i}</guid><description><![CDATA[<p>{summary}</p>]]></description>"
            f"<pubDate>{when}</pubDate></item>"
        )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog {feed}</title>'
    return f"{head}{''.join(entries)}</channel></rss>".encode()


def build(total: int, feeds: int, seed: int = 1) -> list[bytes]:
    """The same `total` posts cut into `feeds` feeds (the seed picks the posts, not the cut)."""
    per = total // feeds
    return [rss(n, per, seed) for n in range(feeds)]


def serve(bodies: list[bytes], port_out: Any, hosts: int = 1) -> None:
    """Serve /feed/<n> (a 304 for its ETag).

    With `hosts` > 1, one server per loopback address 127.0.0.2, 127.0.0.3, ... (all loopback on Linux): the
    fetcher's per-host limit then applies as it does to feeds spread over many sites.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            index = int(self.path.rsplit("/", 1)[-1])
            body, etag = bodies[index], f'"feed-{index}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            for name, value in (
                ("Content-Type", "application/rss+xml"),
                ("ETag", etag),
                ("Content-Length", str(len(body))),
            ):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    addresses = ["127.0.0.1"] if hosts <= 1 else [f"127.0.0.{2 + n}" for n in range(hosts)]
    servers = [ThreadingHTTPServer((address, 0), Handler) for address in addresses]
    for server in servers:
        server.daemon_threads = True
    port_out.put(
        [f"http://{address}:{server.server_address[1]}" for address, server in zip(addresses, servers, strict=True)]
    )
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


@contextmanager
def feed_servers(bodies: list[bytes], *, hosts: int = 1) -> Iterator[list[str]]:
    """A child process serving the feeds on `hosts` loopback addresses; yields their base URLs."""
    ports: Any = multiprocessing.Queue()
    child = multiprocessing.Process(target=serve, args=(bodies, ports, hosts), daemon=True)
    child.start()
    try:
        yield ports.get(timeout=30)
    finally:
        child.terminate()
        child.join()


@contextmanager
def database(kind: str, tmp: Path, *, admin_url: str = PG_ADMIN) -> Iterator[str]:
    """A fresh SQLite file or PostgreSQL database (on the server of `admin_url`), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / f'vw-{uuid.uuid4().hex[:8]}.db'}"
        return
    name = f"vw_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(
    db_url: str, base: str | list[str], feeds: int, tmp: Path, extra: list[SourceSettings] | None = None
) -> App:
    """An App polling every feed (dealt round the servers `base` names), console alerts, the registry imported."""
    bases = [base] if isinstance(base, str) else base
    sources = [SourceSettings(id=f"b{n}", url=f"{bases[n % len(bases)]}/feed/{n}") for n in range(feeds)] + (
        extra or []
    )
    app = App(Settings(database_url=db_url, sources=sources, channels=["console"], fetch_timeout_s=5))
    registry = tmp / "registry.yaml"
    registry.write_text(fleet.registry_yaml(VENDORS))
    with app.session() as s:
        api.import_file(s, registry)
    return app


def whole_poll(app: App) -> tuple[float, pipeline.PollReport, int]:
    """Time what `poll --once` does: poll_once, then dispatch the outbox; (seconds, report, messages sent)."""
    start = time.perf_counter()
    report = pipeline.poll_once(app)
    sent = outbox.dispatch_until_idle(app, build_channels(app.settings, stream=io.StringIO()), timeout=60)
    return time.perf_counter() - start, report, sent.sent


def feedparser_s(bodies: list[bytes]) -> float:
    """Seconds feedparser takes to parse the same bytes."""
    start = time.perf_counter()
    for body in bodies:
        feedparser.parse(io.BytesIO(body), response_headers={"content-type": "application/rss+xml"})
    return time.perf_counter() - start


def run_shape(kind: str, total: int, feeds: int, tmp: Path, hosts: int = 1) -> dict[str, float]:
    """One shape on one database: feedparser, whole first poll, then the all-304 steady state.

    feedparser runs just before and just after the poll (on a shared machine the load drifts): their mean.
    """
    bodies = build(total, feeds)
    before = feedparser_s(bodies)
    r = _polls(kind, total, feeds, tmp, bodies, hosts)
    r["feedparser"] = (before + feedparser_s(bodies)) / 2
    return r


def _polls(kind: str, total: int, feeds: int, tmp: Path, bodies: list[bytes], hosts: int) -> dict[str, float]:
    with feed_servers(bodies, hosts=hosts) as base, database(kind, tmp) as url:
        app = make_app(url, base, feeds, tmp)
        first_s, report, sent = whole_poll(app)
        steady_s, _, _ = whole_poll(app)
        app.engine.dispose()
    if report.errors or report.new_items != total:
        raise SystemExit(f"bad run: {report.new_items} items, errors {list(report.errors.items())[:3]}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    return {"whole": first_s, "steady": steady_s, "peak_mb": peak_mb, "alerts": len(report.alerts), "sent": sent}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--shapes", default="200x50,400x25", help="feeds x items per feed, comma-separated")
    spread = "loopback addresses the feeds are dealt over (127.0.0.2, ...): per-host limits as on many sites"
    parser.add_argument("--hosts", type=int, default=1, help=spread)
    parser.add_argument("--repeat", type=int, default=1, help="runs per shape; the run with the median ratio is shown")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vw-bench-"))
    hosts = f"{args.hosts} loopback hosts" if args.hosts > 1 else "one loopback host"
    print(f"whole `poll --once` on {args.db}, feeds on {hosts} (peak MB: this process's max RSS so far)\n")
    print(
        f"{'shape':>10} {'items':>6} {'feedparser':>10} {'whole poll':>10} {'ratio':>6} {'vs first':>8} "
        f"{'all-304':>8} {'peak MB':>8} {'alerts':>6}"
    )
    first: float | None = None
    for shape in args.shapes.split(","):
        feeds, per = (int(x) for x in shape.split("x"))
        runs = [run_shape(args.db, feeds * per, feeds, tmp, args.hosts) for _ in range(args.repeat)]
        runs.sort(key=lambda run: run["whole"] / run["feedparser"])
        r = runs[len(runs) // 2]
        if args.repeat > 1:
            ratios = " ".join(f"{run['whole'] / run['feedparser']:.2f}" for run in runs)
            print(f"{shape:>10} whole poll / feedparser in {args.repeat} runs: {ratios} (the median run below)")
        first = first or r["whole"]
        print(
            f"{shape:>10} {feeds * per:>6} {r['feedparser']:>9.2f}s {r['whole']:>9.2f}s "
            f"{r['whole'] / r['feedparser']:>5.2f}x {r['whole'] / first:>7.2f}x {r['steady']:>7.2f}s "
            f"{r['peak_mb']:>8.0f} {int(r['alerts']):>6}"
        )
    print("\ntargets: ratio <= 2x (SQLite), <= 3x (PostgreSQL); twice the sources <= 1.3x; all-304 < 3 s")


if __name__ == "__main__":
    main()
