"""How long `vendorwatch status` takes against a PostgreSQL that accepts connections and never answers.

A loopback TCP server accepts and stays silent; `status` runs as a subprocess with the default connect timeout
and with a 60 s one (then the 10 s status deadline is what stops it). Both must exit 1 naming the cause.
Usage: .venv/bin/python bench/status_deadline.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

CLI = Path(sys.executable).with_name("vendorwatch")


def main() -> None:
    """Print exit code, wall time and the error line for each case."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            held.append(server.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    env = {
        **os.environ,
        "VENDORWATCH_DATABASE_URL": f"postgresql+psycopg://vw@127.0.0.1:{port}/vw",
        "VENDORWATCH_CONFIG": "",
        "VENDORWATCH_CHANNELS": '["console"]',
    }
    for label, extra in (
        ("default connect timeout", {}),
        ("connect timeout 60 s", {"VENDORWATCH_DB_CONNECT_TIMEOUT_S": "60"}),
    ):
        start = time.monotonic()
        done = subprocess.run([str(CLI), "status"], env={**env, **extra}, capture_output=True, text=True)
        print(f"{label}: exit {done.returncode} in {time.monotonic() - start:.1f} s: {done.stderr.strip()}")


if __name__ == "__main__":
    main()
