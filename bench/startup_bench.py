"""Start-up cost of the commands a user and a health check run most: `--help` and a no-op `status`.

Each command runs as the console script does, in a fresh process, `--runs` times (wall time: interpreter start,
imports, settings, the database read, output); the figure is min / median / max, with `python -c pass` beside it
for the machine's own floor. `status` runs on a current schema (the first run, not counted, creates it): on
SQLite, and on PostgreSQL when `--pg` names a server (a scratch database is created and dropped there).
Usage: .venv/bin/python bench/startup_bench.py [--runs 15] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.whole_poll_bench import PG_ADMIN, database

CLI = Path(sys.executable).with_name("vendorwatch")


def timed(args: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[float, float, float, str]:
    """min, median and max wall seconds of `runs` runs, and the last run's first output line."""
    times, first_line = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        first_line = (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else ""
    return min(times), statistics.median(times), max(times), first_line


def report(label: str, figures: tuple[float, float, float, str]) -> None:
    """One line: the label and min / median / max."""
    low, mid, high, _ = figures
    print(f"{label:<34} min {low:.2f} s  median {mid:.2f} s  max {high:.2f} s")


def main() -> None:
    """Print each command's start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pg", help="a PostgreSQL URL to create a scratch database on")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, {args.runs} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        env = {**os.environ, "VENDORWATCH_CONFIG": "", "VENDORWATCH_CHANNELS": '["console"]'}
        report("python -c pass", timed([sys.executable, "-c", "pass"], env, cwd, args.runs))
        report("vendorwatch --help", timed([str(CLI), "--help"], env, cwd, args.runs))
        kinds = ["sqlite", "postgresql"] if args.pg else ["sqlite"]
        for name in kinds:
            with database(name, cwd, admin_url=args.pg or PG_ADMIN) as url:
                db_env = {**env, "VENDORWATCH_DATABASE_URL": url}
                subprocess.run([str(CLI), "status"], env=db_env, cwd=cwd, capture_output=True, check=False)
                report(f"vendorwatch status ({name})", timed([str(CLI), "status"], db_env, cwd, args.runs))
        print(f"load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
