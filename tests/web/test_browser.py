"""The dashboard in a real headless browser (Debian's chromium): it renders, overdue is red, feed text is text."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from tests.web.conftest import HOSTILE, NOW
from vendorwatch.app import App
from vendorwatch.runbooks import actions
from vendorwatch.web.server import Running

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1280,1400",
]


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """The browser sees HTML: one database kind is enough here (the actions run on both)."""
    return sqlite_url


@pytest.fixture
def browser(tmp_path: Path) -> Callable[..., str]:
    """Run chromium headless on a URL with extra flags; returns stdout. Skips without chromium (not in CI)."""
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is missing (.ci/run installs it with apt-get)")
        pytest.skip("chromium is not installed (apt-get install chromium)")

    def run(url: str, *extra: str) -> str:
        args = [exe, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra, url]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True, cwd=tmp_path)
        return done.stdout

    return run


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _dom(html: str) -> _Elements:
    parsed = _Elements()
    parsed.feed(html)
    return parsed


def _red_pixels(path: Path) -> int:
    data = Image.open(path).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i] > 170 and data[i + 1] < 50 and data[i + 2] < 50)


def test_pages_render_and_hostile_feed_text_shows_as_text(
    seeded: dict[str, int], serve: Callable[..., Running], browser: Callable[..., str]
) -> None:
    dom = _dom(browser(serve().url, "--dump-dom"))
    ids = {attrs.get("id") for _, attrs in dom.tags}
    assert {f"incident-{seeded['incident']}", f"task-{seeded['late']}", "vendors", "reviews", "audit"} <= ids
    assert not any(tag == "script" for tag, _ in dom.tags)  # the feed's <script> never became an element
    assert not any(tag == "img" for tag, _ in dom.tags)
    assert HOSTILE in "".join(dom.text)  # ...it is shown, character for character, as text
    assert "pwned" not in next(t for t in dom.text if "open incident" in t)  # the title the page set, not the feed


def test_an_overdue_task_shows_red_until_it_is_done(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], browser: Callable[..., str], tmp_path: Path
) -> None:
    running = serve()
    before, after = tmp_path / "before.png", tmp_path / "after.png"
    browser(running.url, f"--screenshot={before}")
    assert _red_pixels(before) > 500
    with web_app.session() as s:
        actions.complete(s, seeded["late"], by="alice", evidence=None, now=NOW)
    browser(running.url, f"--screenshot={after}")
    assert _red_pixels(after) == 0
