"""`vendorwatch run` parses in one worker process for all its polls, started once."""

from __future__ import annotations

from pathlib import Path

from registry.repo import sources as source_rows
from tests.pipeline.feeds import write_feed
from vendorwatch.app import App
from vendorwatch.ops.scheduler import Worker
from vendorwatch.poll import pipeline


def _posts(part: int) -> list[tuple[str, str]]:
    return [(f"Notes on our build cache, part {part}-{n}", "We made the build faster.") for n in range(5)]


def test_the_worker_keeps_one_parse_pool_across_polls(slack_app: App, feeds_dir: Path) -> None:
    write_feed(feeds_dir, "wire", _posts(1))
    write_feed(feeds_dir, "blog", _posts(2), base="https://blog.example/")
    worker = Worker(slack_app, channels={})
    try:
        worker.poll()
        write_feed(feeds_dir, "wire", _posts(3))  # new items: the next poll parses again
        report = pipeline.poll_cycle(slack_app, force=True, parser=worker.parser)
        assert report.new_items == 5 and not report.errors
        assert worker.parser.processes == 1 and worker.parser.started == 1
    finally:
        worker.close()
    with slack_app.session() as s:
        assert {sid: row.items_total for sid, row in source_rows.by_id(s, ["wire", "blog"]).items()} == {
            "wire": 10,
            "blog": 5,
        }
