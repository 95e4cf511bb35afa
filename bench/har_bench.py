"""Benchmark HAR scan and sanitise on a generated ~100 MB HAR: seconds and peak RSS, each in a child.

Usage: .venv/bin/python bench/har_bench.py [--mb 100] [--har EXISTING.har] [--keep]
Target (issue #8): a 100 MB HAR scans and sanitises within 300 MB resident.
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


def generate(path: Path, mb: int) -> int:
    """Write a HAR of about `mb` megabytes entry by entry; return the number of entries."""
    rng, limit, count = random.Random(8), mb * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [\n')
        while out.tell() < limit:
            out.write((",\n" if count else "") + json.dumps(_entry(count, rng)))
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
    parser.add_argument("--har", type=Path, help="benchmark this HAR instead of generating one")
    parser.add_argument("--child", nargs=3, metavar=("STEP", "SRC", "DST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        src = args.har or Path(tmp) / "bench.har"
        entries = generate(src, args.mb) if not args.har else "-"
        size = src.stat().st_size / 1024 / 1024
        print(f"HAR: {size:.1f} MB, {entries} entries\n")
        print("| step | seconds | MB/s | peak RSS (MB) | secrets | within 300 MB |")
        print("|---|---:|---:|---:|---:|:---:|")
        for step in ("scan", "sanitize"):
            r = run_child(step, src, Path(tmp) / "clean.har")
            ok = "yes" if r["rss_mb"] <= TARGET_MB else "NO"
            print(
                f"| {step} | {r['seconds']:.1f} | {size / r['seconds']:.1f} | {r['rss_mb']:.0f} | {r['count']} | {ok} |"
            )


if __name__ == "__main__":
    main()
