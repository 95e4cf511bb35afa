"""Robustness run: every file under PATH through FeedSource.parse, each in a time and memory budget.

Usage: python bench/connectors_corpus.py PATH [--budget 10] [--memory-mb 1024] [--workers 4]
Counts ok / SourceError / crash (any other exception) / hang (over budget); crashes and hangs are listed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import signal
import time
from collections import Counter
from pathlib import Path
from types import FrameType

from connectors import SourceConfig, SourceError
from connectors.feed import FeedSource

SOURCE = FeedSource(SourceConfig(id="corpus", url="https://corpus.invalid/feed"))
HEADERS = {"content-location": "https://corpus.invalid/feed"}


class Hang(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in a parser can swallow it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def _init_worker(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)


def check(job: tuple[str, float]) -> tuple[str, str, str, float]:
    """Parse one file: (path, outcome, detail, seconds)."""
    path, budget = job
    body = Path(path).read_bytes()
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        items = SOURCE.parse(body, HEADERS)
        outcome, detail = "ok", f"{len(items)} items"
    except SourceError as exc:
        outcome, detail = "SourceError", exc.message
    except Hang:
        outcome, detail = "hang", f"over {budget:g} s"
    except Exception as exc:  # exactly what this run exists to find
        outcome, detail = "crash", f"{type(exc).__name__}: {exc}"[:300]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return path, outcome, detail, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per file")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address-space limit per worker")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    files = sorted(str(p) for p in args.path.rglob("*") if p.is_file() and p.suffix != ".md")
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    bad: list[str] = []
    slowest = (0.0, "")
    start = time.perf_counter()
    with multiprocessing.Pool(args.workers, _init_worker, (args.memory_mb,)) as pool:
        results = pool.imap_unordered(check, [(f, args.budget) for f in files], chunksize=8)
        for path, outcome, detail, seconds in results:
            counts[outcome] += 1
            slowest = max(slowest, (seconds, path))
            if outcome == "SourceError":
                reasons[detail.split(":")[0][:60]] += 1
            elif outcome in ("crash", "hang"):
                bad.append(f"{outcome}: {path}: {detail}")
    elapsed = time.perf_counter() - start
    print(f"\n{len(files)} files under {args.path} in {elapsed:.1f} s ({args.workers} workers)\n")
    print(f"{'outcome':<12} {'files':>6}")
    for outcome in ("ok", "SourceError", "crash", "hang"):
        print(f"{outcome:<12} {counts[outcome]:>6}")
    print(f"\nslowest file: {slowest[0]:.2f} s ({Path(slowest[1]).name})")
    print("\nSourceError reasons:")
    for reason, n in reasons.most_common(10):
        print(f"  {n:>5}  {reason}")
    for line in bad:
        print(line)
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
