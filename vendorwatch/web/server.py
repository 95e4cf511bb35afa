"""Running the app under uvicorn: in the foreground (`serve`) or in a thread (tests, the bench)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette


def config(app: Starlette, host: str, port: int, *, log_level: str = "warning") -> uvicorn.Config:
    """uvicorn settings; proxy headers off: the client address must be the peer's, not a header's claim."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
        access_log=log_level in ("info", "debug"),
        lifespan="off",
    )


@dataclass
class Running:
    """A server started in a thread; `url` ends with a slash."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str

    def stop(self) -> None:
        """Ask the server to exit and wait for it."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_in_thread(app: Starlette, host: str = "127.0.0.1", port: int = 0) -> Running:
    """Start on `host`:`port` (0: a free port) and return once it accepts connections."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    server = uvicorn.Server(config(app, host, bound))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    return Running(server, thread, f"http://{host}:{bound}/")
