"""Safe rendering: hostile item text leaves no trace of local files; the fetcher serves only our assets."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from reports.board import board_html, write_board_report
from reports.fetcher import AssetFetcher, bundled_assets
from reports.metrics import board_metrics
from tests.reports.seed import NOW, at, import_registry, incident, item, task
from vendorwatch.app import App
from vendorwatch.settings import Settings

IMG = '<img src="file:///etc/passwd">'
LINK = '<link rel="attachment" href="file:///etc/hostname">'
LONG = "A" * 3000


@pytest.fixture
def hostile_app(sqlite_url: str, tmp_path: Path) -> App:
    app = App(settings=Settings(database_url=sqlite_url))
    with app.session() as session:
        ids = import_registry(session, tmp_path)
        inc = incident(session, ids["Okta"], f"Okta {IMG} breach {LONG}", disclosed=at(10, 1), alerted=at(10, 1, 6))
        item(session, inc, 1, f"Okta breach {IMG} {LINK}", summary=f"{LINK} {IMG}")
        item(session, inc, 2, f"{LONG}{LINK}")
        task(session, inc, f"k {IMG}", due=at(10, 1, 8), closed=None)
    return app


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every path requested."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _local_secrets() -> list[bytes]:
    found = [b"root:x:0:0"]
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() else b""
    return found + ([hostname] if len(hostname) >= 6 else [])


def test_hostile_item_text_leaves_no_trace_of_local_files(hostile_app: App, tmp_path: Path) -> None:
    out = tmp_path / "board.pdf"
    with hostile_app.session() as session:
        write_board_report(session, out, now=NOW)
    reader = PdfReader(out)
    assert reader.attachments == {}
    assert all(not page.images for page in reader.pages)
    text = "".join(page.extract_text() for page in reader.pages)
    raw = out.read_bytes()
    for secret in _local_secrets():
        assert secret.decode() not in text and secret not in raw
    assert "file:///etc/passwd" in text.replace("\n", "")  # shown as text, not followed


def test_hostile_text_is_escaped_in_the_html(hostile_app: App) -> None:
    with hostile_app.session() as session:
        html = board_html(board_metrics(session, now=NOW))
    assert IMG not in html and LINK not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html


def test_fetcher_refuses_file_http_and_data_urls(loopback: tuple[str, list[str]]) -> None:
    base, hits = loopback
    fetcher = AssetFetcher()
    for url in ("file:///etc/passwd", f"{base}/x.css", "data:text/css,body{}", "vwasset:../../etc/passwd"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert hits == []
    assert fetcher.fetch("vwasset:report.css").read().startswith(b"@page")
    assert set(bundled_assets()) == {"vwasset:report.css"}


def test_renderer_with_our_fetcher_ignores_unescaped_local_and_remote_references(
    loopback: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, hits = loopback
    html = f'<p>x</p>{IMG}{LINK}<link rel="stylesheet" href="{base}/evil.css"><img src="{base}/pixel.png">'
    out = tmp_path / "raw.pdf"
    HTML(string=html, url_fetcher=AssetFetcher()).write_pdf(out)
    reader = PdfReader(out)
    assert reader.attachments == {} and not reader.pages[0].images
    assert hits == []
