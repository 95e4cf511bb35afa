"""Three `vendorwatch run` workers delivering to a `#name` channel through a rate-limit storm and lost answers,
one of them killed with SIGKILL mid-send: every alert exactly once, every thread in order."""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from registry import api
from registry.models import Delivery
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings

CHANNEL = "#identity-alerts"


def _wait(condition: Callable[[], bool], timeout: float, *, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _rows(pg_url: str) -> list[Delivery]:
    app = App(Settings(database_url=pg_url))
    try:
        with app.session() as s:
            return list(s.execute(select(Delivery).order_by(Delivery.id)).scalars())  # type: ignore[arg-type]
    finally:
        app.engine.dispose()


def _publish(feeds: Path, vendors: tuple[str, ...], updates: int = 0) -> None:
    for vendor in vendors:
        s = fleet.slug(vendor)
        items = [(f"{s}-breach", fleet.breach_title(vendor))]
        items += [(f"{s}-update-{n}", fleet.breach_title(vendor, n)) for n in range(1, updates + 1)]
        (feeds / f"{s}.xml").write_text(fleet.rss(items))


def _posted(standin: SlackStandIn) -> Counter[str]:
    roots = standin.root_messages(CHANNEL)
    ids = [m.metadata["event_payload"]["delivery_id"] for m in roots if m.metadata]
    ids += [m.metadata["event_payload"]["delivery_id"] for r in roots for m in standin.replies(r.ts) if m.metadata]
    return Counter(ids)


@pytest.mark.slow
def test_three_workers_deliver_every_alert_once_in_order_through_storms_and_a_sigkill(
    pg_url: str, tmp_path: Path, slack_standin: SlackStandIn
) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for vendor in fleet.VENDORS:
        (feeds / f"{fleet.slug(vendor)}.xml").write_text(fleet.rss([]))
    (tmp_path / "registry.yaml").write_text(fleet.registry_yaml())
    app = App(Settings(database_url=pg_url))
    with app.session() as s:
        api.import_file(s, tmp_path / "registry.yaml")
    app.engine.dispose()
    slack_standin.channel_id(CHANNEL)  # the channel exists; the settings name it by #name
    with FeedServer(feeds) as server:
        config = tmp_path / "vendorwatch.toml"
        toml = fleet.settings_toml(pg_url, server.base_url, fleet.VENDORS, "1s", CHANNEL)
        config.write_text(toml.replace("timeout_s = 3", "timeout_s = 2\nmin_interval_s = 0.2"))
        env = fleet.worker_env(config, slack_standin.api_url, slack_standin.token)
        env["VENDORWATCH_REPLY_WINDOW_MINUTES"] = "0"  # every follow-up its own reply: this tests the outbox
        logs = [tmp_path / f"worker{i}.log" for i in range(3)]
        workers = [fleet.start_worker(env, log) for log in logs]
        try:
            assert _wait(lambda: len(server.requests) >= len(fleet.VENDORS), 30), "workers did not start polling"
            slack_standin.phase("429", 3, retry_after=1)
            _publish(feeds, fleet.VENDORS[:3], updates=1)
            assert _wait(lambda: len(slack_standin.root_messages(CHANNEL)) >= 1, 30)
            slack_standin.phase("drop_after_store", 3, methods=["chat.postMessage"])
            _publish(feeds, fleet.VENDORS, updates=2)
            _wait(lambda: len(slack_standin.root_messages(CHANNEL)) >= 4, 30, step=0.01)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(10)
            workers[0] = fleet.start_worker(env, logs[0])
            finished = {"sent", "superseded"}  # an update overtaken by a newer one of the same root is skipped
            done = _wait(lambda: {r.status for r in _rows(pg_url)} <= finished and len(_rows(pg_url)) > 12, 90)
            rows = _rows(pg_url)
            assert done, Counter(r.status for r in rows)
        finally:
            for w in workers:
                w.send_signal(signal.SIGTERM)
            codes = [w.wait(20) for w in workers]
    posted = Counter(f"vw-{r.id}" for r in rows if r.kind != "update")  # updates edit the root in place
    assert _posted(slack_standin) == posted, "every root and reply exactly once"
    for root in slack_standin.root_messages(CHANNEL):
        ids = [int(m.metadata["event_payload"]["delivery_id"][3:]) for m in slack_standin.replies(root.ts)]
        assert ids == sorted(ids), "replies in the order they were decided"
    assert codes[1:] == [0, 0]
