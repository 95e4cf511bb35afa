"""A loopback HTTP server for a directory of feed files (the demo and the evaluation serve their feeds with it).

It answers conditional GETs (ETag and Last-Modified) like a well-behaved publisher, so a second poll of an
unchanged feed costs a 304. `switch(directory)` changes what it serves, e.g. phase 1 to phase 2.
"""

from __future__ import annotations

import hashlib
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any


class FeedServer:
    """Serves `<directory>/<name>` at `http://127.0.0.1:<port>/<name>` in a background thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers.items())))
                path = (server.directory / self.path.lstrip("/").split("?")[0]).resolve()
                if server.directory.resolve() not in path.parents or not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                modified = formatdate(path.stat().st_mtime, usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                kind = "application/json" if path.suffix == ".json" else "application/xml"
                for name, value in (("Content-Type", kind), ("ETag", etag), ("Last-Modified", modified)):
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # quiet: the caller reports
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="feedserver", daemon=True)

    @property
    def base_url(self) -> str:
        """The server's root URL."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def url(self, name: str) -> str:
        """The URL of one served file."""
        return self.base_url + name

    def switch(self, directory: Path) -> None:
        """Serve another directory from now on."""
        self.directory = directory

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
