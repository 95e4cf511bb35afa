"""Benchmark HAR scan and sanitise on generated HARs: seconds and peak RSS, each step in a child process.

Usage: .venv/bin/python bench/har_bench.py [--mb 100] [--big-mb 60] [--har EXISTING.har]
Targets: a 100 MB HAR (issue #8), and a 100 MB HAR whose largest body is 60 MB (issue #17), each
scanned and sanitised (sanitise includes its verifying rescan) within 300 MB peak resident memory.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KEY = b"bench-key"
TARGET_MB = 300


def _entry(i: int, rng: random.Random) -> dict[str, object]:
    token = f"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLXtpfSJ9.sig{i:08d}{rng.getrandbits(64):x}"
    size = 20_000 if i % 50 == 25 else rng.randint(50, 400)  # every 50th body is ~2.5 MB
    records = [{"id": n, "name": f"item-{n}", "note": "lorem ipsum " * 8} for n in range(size)]
    body = json.dumps({"data": records, "access_token": token, "refresh_token": f"rt-{i}-{rng.getrandbits(96):x}"})
    content: dict[str, object] = {"size": len(body), "mimeType": "application/json", "text": body}
    if i % 10 == 0:  # some binary bodies, base64 like browsers store them
        blob = rng.randbytes(60_000) + f"?access_token=tok{i}{rng.getrandbits(64):x}".encode()
        content = {
            "size": len(blob),
            "mimeType": "image/png",
            "encoding": "base64",
            "text": base64.b64encode(blob).decode(),
        }
    headers = [
        {"name": "Authorization", "value": f"Bearer {token}"},
        {"name": "Cookie", "value": f"sid=s{i}{rng.getrandbits(64):x}; theme=dark"},
        {"name": "Accept", "value": "application/json"},
    ]
    return {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 10.5,
        "request": {
            "method": "GET",
            "url": f"https://api.example.com/v1/items?page={i}&code=c{i}x9",
            "httpVersion": "HTTP/2",
            "headers": headers,
            "queryString": [],
            "cookies": [],
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/2",
            "cookies": [],
            "headers": [{"name": "Set-Cookie", "value": f"session=x{i}{rng.getrandbits(64):x}; Path=/"}],
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"send": 0.1, "wait": 9.9, "receive": 0.5},
    }


def _big_body(mb: int, rng: random.Random) -> str:
    """A JSON document of about `mb` MB (an API export), with a few tokens inside it."""
    row = '{"id": %d, "name": "user-%d", "email": "u%d@example.org", "note": "lorem ipsum dolor sit amet"}'
    rows, size, n = [], 0, 0
    while size < mb * 1024 * 1024:
        text = row % (n, n, n)
        if n % 100_000 == 7:
            text = text[:-1] + f', "api_token": "tk{rng.getrandbits(128):x}"}}'
        rows.append(text)
        size += len(text) + 2
        n += 1
    return '{"users": [' + ", ".join(rows) + "]}"


def generate(path: Path, mb: int, big_mb: int = 0) -> int:
    """Write a HAR of about `mb` megabytes entry by entry (the second one with a `big_mb` MB body)."""
    rng, limit, count = random.Random(8), mb * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [\n')
        while out.tell() < limit:
            item = _entry(count, rng)
            if big_mb and count == 1:
                body = _big_body(big_mb, rng)
                item["response"]["content"] = {"size": len(body), "mimeType": "application/json", "text": body}  # type: ignore[index]
                del body
            out.write((",\n" if count else "") + json.dumps(item))
            del item
            count += 1
        out.write("\n]}}\n")
    return count


def child(step: str, src: Path, dst: Path) -> None:
    """Run one step in this process and print seconds, peak RSS (MB) and the count as JSON."""
    from vendorwatch.har import sanitize_har, scan_har

    start = time.perf_counter()
    scan = step == "scan"
    count = sum(1 for _ in scan_har(src, KEY)) if scan else sanitize_har(src, dst, KEY).replaced
    seconds = time.perf_counter() - start
    hwm = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM"))
    print(json.dumps({"seconds": seconds, "rss_mb": int(hwm.split()[1]) / 1024, "count": count}))


def run_child(step: str, src: Path, dst: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", step, str(src), str(dst)]
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--big-mb", type=int, default=60, help="size of the one large body (0: none)")
    parser.add_argument("--only", choices=("plain", "big"), help="run only one of the two HARs")
    parser.add_argument("--har", type=Path, help="benchmark this HAR instead of generating one")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SRC", "DST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.har:
        report(args.har, "-")
        return
    for name, big in (("plain", 0), ("big", args.big_mb)):
        if args.only in (None, name) and (big or name == "plain"):
            with tempfile.TemporaryDirectory() as tmp:
                src = Path(tmp) / "bench.har"
                report(src, generate(src, args.mb, big), big)


def report(src: Path, entries: object, big_mb: int = 0) -> None:
    """Run scan and sanitise on `src` in child processes and print a Markdown table."""
    size = src.stat().st_size / 1024 / 1024
    largest = f", one {big_mb} MB body" if big_mb else ""
    print(f"\nHAR: {size:.1f} MB, {entries} entries{largest}\n")
    print("| step | seconds | MB/s | peak RSS (MB) | secrets | within 300 MB |")
    print("|---|---:|---:|---:|---:|:---:|")
    for step in ("scan", "sanitize"):
        r = run_child(step, src, src.with_name("clean.har"))
        ok = "yes" if r["rss_mb"] <= TARGET_MB else "NO"
        print(f"| {step} | {r['seconds']:.1f} | {size / r['seconds']:.1f} | {r['rss_mb']:.0f} | {r['count']} | {ok} |")
    src.with_name("clean.har").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
