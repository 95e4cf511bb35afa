"""A loopback HTTP server that answers like the worst of the internet, plus two well-behaved feeds."""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Okta security</title><link>https://sec.okta.example/</link>
<item><title>Okta support system breach</title>
<link>https://sec.okta.example/post/1?utm_source=rss&amp;utm_medium=feed</link><guid>okta-1</guid>
<description>&lt;p&gt;Session tokens from HAR files were stolen.&lt;/p&gt;</description>
<pubDate>Fri, 20 Oct 2023 17:00:00 GMT</pubDate></item>
<item><title>Okta rotates signing keys</title><link>https://sec.okta.example/post/2</link>
<description>Keys rotated.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Vendor status</title><id>urn:vendor</id>
<updated>2024-01-02T03:04:05Z</updated>
<entry><id>urn:vendor:1</id><title>Incident: token leak</title>
<link href="https://status.vendor.example/incidents/1#details"/>
<updated>2024-01-02T03:04:05+02:00</updated><summary type="html">&lt;b&gt;Revoke&lt;/b&gt; tokens</summary></entry>
</feed>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"""

HTML = b"<!DOCTYPE html><html><head><title>Blog</title></head><body><p>Not a feed</p></body></html>"
GOOD = {"/rss": (RSS, "application/rss+xml"), "/atom": (ATOM, "application/atom+xml")}
ETAG, LAST_MODIFIED = '"v1-abc"', "Wed, 01 May 2024 10:00:00 GMT"
MB = 1024 * 1024


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True  # handlers that sleep 120 s must not hold up teardown

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.stop = threading.Event()
        self.seen: list[tuple[str, dict[str, str]]] = []

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hang up mid-request on purpose here; a traceback would only be noise

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for seen_path, headers in self.seen if seen_path == path]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostileServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self.server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            return self._reply(404, b"no such route")
        # The client hanging up mid-body is the behaviour under test, not a server error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def _reply(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, chunks: Iterator[bytes], **headers: str) -> None:
        """Close-delimited body generated on the fly, so nothing large is held in memory."""
        self.send_response(200)
        self.send_header("Connection", "close")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.close_connection = True
        for chunk in chunks:
            if self.server.stop.is_set():
                return
            self.wfile.write(chunk)
            self.wfile.flush()

    def good(self) -> None:
        body, ctype = GOOD[self.path.split("?")[0]]
        if self.headers.get("If-None-Match") == ETAG or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return self._reply(304, ETag=ETAG)
        self._reply(200, body, Content_Type=ctype, ETag=ETAG, Last_Modified=LAST_MODIFIED)

    def slow(self) -> None:
        self.server.stop.wait(120)
        self._reply(200, RSS, Content_Type="application/rss+xml")

    def drip(self) -> None:
        def one_byte_a_second() -> Iterator[bytes]:
            for byte in RSS:
                yield bytes([byte])
                self.server.stop.wait(1)

        self._stream(one_byte_a_second(), Content_Type="application/rss+xml")

    def huge(self) -> None:
        chunk = b"<!-- padding -->" * 4096  # 64 KiB
        self._stream((chunk for _ in range(200 * MB // len(chunk))), Content_Type="application/rss+xml")

    def gzip_bomb(self) -> None:
        def inflating_to_2gb() -> Iterator[bytes]:
            packer, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(MB)
            for _ in range(2048):
                if out := packer.compress(zeros):
                    yield out
            yield packer.flush()

        self._stream(inflating_to_2gb(), Content_Type="application/rss+xml", Content_Encoding="gzip")

    def gzipped_feed(self) -> None:
        self._reply(200, zlib.compress(RSS, wbits=31), Content_Type="application/rss+xml", Content_Encoding="gzip")

    def chain(self) -> None:
        step = int(self.path.rsplit("/", 1)[-1])
        self._reply(302, Location=f"/chain/{step + 1}")


def _redirect(location: str) -> Callable[[Handler], None]:
    return lambda h: h._reply(302, Location=location)


def _fixed(status: int, body: bytes = b"", **headers: str) -> Callable[[Handler], None]:
    return lambda h: h._reply(status, body, **headers)


ROUTES: dict[str, Callable[[Handler], None]] = {
    "/rss": Handler.good,
    "/atom": Handler.good,
    "/500": _fixed(500, b"oops"),
    "/429": _fixed(429, b"slow down", Retry_After="3600"),
    "/slow": Handler.slow,
    "/drip": Handler.drip,
    "/laughs": _fixed(200, LAUGHS, Content_Type="application/rss+xml"),
    "/huge": Handler.huge,
    "/gzip-bomb": Handler.gzip_bomb,
    "/binary": _fixed(200, bytes(range(256)) * 64, Content_Type="application/octet-stream"),
    "/html": _fixed(200, HTML, Content_Type="text/html"),
    "/loop": _redirect("/loop-back"),
    "/loop-back": _redirect("/loop"),
    "/empty": _fixed(200, b"", Content_Type="application/rss+xml"),
    "/moved": _redirect("/rss"),
    "/rss.gz": Handler.gzipped_feed,
    **{f"/chain/{n}": Handler.chain for n in range(20)},
}


@pytest.fixture(scope="session")
def hostile() -> Iterator[HostileServer]:
    """The loopback server; `hostile.url("/500")` is a source that always fails."""
    server = HostileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stop.set()
    server.shutdown()
    server.server_close()
    time.sleep(0.05)
