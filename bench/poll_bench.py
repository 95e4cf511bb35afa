"""Poll benchmark: N feeds x M items served over loopback, first poll vs feedparser, then all-304 polls.

Usage: python bench/poll_bench.py [--feeds 200] [--items 50] [--per-host 4]
The server runs in a child process so its work does not share our GIL.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import feedparser

from connectors import HttpSettings, PollResult, SourceConfig, poll_sources
from connectors.feed import FeedSource

PARA = "<p>The vendor found <b>unauthorised access</b> to its support system &amp; asks customers to rotate {}.</p>"


def rss(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Advisory {feed}-{i}: token exposure</title>"
        f"<link>https://vendor{feed}.example/advisories/{i}?utm_source=rss</link><guid>v{feed}-{i}</guid>"
        f"<description><![CDATA[{PARA.format('API tokens') * 3}]]></description>"
        f"<pubDate>Tue, 10 Jun 2025 04:{i % 60:02d}:00 GMT</pubDate></item>"
        for i in range(items)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Vendor {feed}</title>'
    return f"{head}{entries}</channel></rss>".encode()


def atom(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<entry><id>urn:v{feed}:{i}</id><title>Advisory {feed}-{i}: key rotation</title>"
        f'<link href="https://vendor{feed}.example/a/{i}#top"/><updated>2025-06-10T04:{i % 60:02d}:00Z</updated>'
        f'<summary type="html">{PARA.format("signing keys").replace("&", "&amp;").replace("<", "&lt;") * 3}</summary>'
        f"</entry>"
        for i in range(items)
    )
    head = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
    return f"{head}<title>Vendor {feed}</title><id>urn:v{feed}</id>{entries}</feed>".encode()


def build(feeds: int, items: int) -> list[tuple[bytes, str]]:
    return [
        (rss(n, items), "application/rss+xml") if n % 2 == 0 else (atom(n, items), "application/atom+xml")
        for n in range(feeds)
    ]


def serve(feeds: int, items: int, port_out: Any) -> None:
    bodies = build(feeds, items)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            index = int(self.path.rsplit("/", 1)[-1])
            body, ctype = bodies[index]
            etag = f'"feed-{index}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            for name, value in (("Content-Type", ctype), ("ETag", etag), ("Content-Length", str(len(body)))):
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=HttpSettings().per_host_limit)
    args = parser.parse_args()
    settings = HttpSettings(per_host_limit=args.per_host)

    ports: Any = multiprocessing.Queue()
    child = multiprocessing.Process(target=serve, args=(args.feeds, args.items, ports), daemon=True)
    child.start()
    port = ports.get(timeout=30)
    configs = [SourceConfig(id=f"f{n}", url=f"http://127.0.0.1:{port}/feed/{n}") for n in range(args.feeds)]
    try:
        rows = run(configs, build(args.feeds, args.items), settings)
    finally:
        child.terminate()
        child.join()
    print(f"\n{args.feeds} feeds x {args.items} items over loopback, one host, per-host limit {args.per_host}\n")
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    print(f"{'-' * width}  {'-' * 12}  ------")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


def run(
    configs: list[SourceConfig], bodies: list[tuple[bytes, str]], settings: HttpSettings
) -> list[tuple[str, str, str]]:
    start = time.perf_counter()
    first = poll_sources(configs, http_settings=settings)
    first_s = time.perf_counter() - start
    good = [r for r in first.values() if isinstance(r, PollResult)]
    items = sum(len(r.items) for r in good)
    if len(good) != len(configs):
        failed = [str(r) for r in first.values() if not isinstance(r, PollResult)]
        raise SystemExit(f"{len(failed)} sources failed, e.g. {failed[:3]}")

    start = time.perf_counter()
    for body, ctype in bodies:
        feedparser.parse(io.BytesIO(body), response_headers={"content-type": ctype})
    feedparser_s = time.perf_counter() - start

    source = FeedSource(configs[0])
    start = time.perf_counter()
    for body, ctype in bodies:
        source.parse(body, {"content-type": ctype})
    ours_s = time.perf_counter() - start

    states = {sid: r.state for sid, r in first.items() if isinstance(r, PollResult)}
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        again = poll_sources(configs, states, http_settings=settings)
        timings.append(time.perf_counter() - start)
        assert all(isinstance(r, PollResult) and r.not_modified for r in again.values())
    mb = sum(len(b) for b, _ in bodies) / 1e6
    return [
        ("bytes served (first poll)", f"{mb:.1f} MB", ""),
        ("first poll, wall time", f"{first_s:.2f} s", ""),
        ("first poll, items/s", f"{items / first_s:,.0f}", f"({items} items)"),
        ("feedparser.parse alone, same bytes", f"{feedparser_s:.2f} s", ""),
        ("FeedSource.parse alone, same bytes", f"{ours_s:.2f} s", ""),
        ("whole poll / feedparser parse", f"{first_s / feedparser_s:.2f}x", "<= 2x"),
        ("steady state, all 304 (best of 3)", f"{min(timings):.2f} s", "< 2 s"),
    ]


if __name__ == "__main__":
    main()
