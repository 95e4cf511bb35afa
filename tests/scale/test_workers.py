"""Several `vendorwatch run` workers on one PostgreSQL database: polled once per interval, alerted exactly once,
and a worker killed with SIGKILL mid-cycle loses nothing and doubles nothing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from registry import api
from registry.models import Delivery, Incident, Item
from tests.scale import fleet
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.feedserver import FeedServer
from vendorwatch.settings import Settings

CHANNEL = "#identity-alerts"
INTERVAL_S = 2.0


def _wait(condition: Callable[[], bool], timeout: float, *, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _root_statuses(pg_url: str) -> list[str]:
    app = App(Settings(database_url=pg_url))
    try:
        with app.session() as s:
            return sorted(d.status for d in s.execute(select(Delivery)).scalars() if d.kind == "root")
    finally:
        app.engine.dispose()


def _publish(feeds: Path, vendors: tuple[str, ...]) -> None:
    for vendor in vendors:
        s = fleet.slug(vendor)
        (feeds / f"{s}.xml").write_text(fleet.rss([(f"{s}-breach", fleet.breach_title(vendor))]))


def _polls(server: FeedServer) -> Counter[str]:
    return Counter(path.lstrip("/").removesuffix(".xml") for path, _ in list(server.requests))


@pytest.fixture
def fleet_setup(
    pg_url: str, tmp_path: Path, slack_standin: SlackStandIn
) -> Iterator[tuple[FeedServer, dict[str, str]]]:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for vendor in fleet.VENDORS:
        (feeds / f"{fleet.slug(vendor)}.xml").write_text(fleet.rss([]))
    (tmp_path / "registry.yaml").write_text(fleet.registry_yaml())
    app = App(Settings(database_url=pg_url))
    with app.session() as s:
        api.import_file(s, tmp_path / "registry.yaml")
    app.engine.dispose()
    with FeedServer(feeds) as server:
        config = tmp_path / "vendorwatch.toml"
        # By channel id, as the README asks: the crash-recovery lookup (conversations.history) needs one.
        channel_id = slack_standin.channel_id(CHANNEL)
        config.write_text(fleet.settings_toml(pg_url, server.base_url, fleet.VENDORS, f"{INTERVAL_S:.0f}s", channel_id))
        yield server, fleet.worker_env(config, slack_standin.api_url, slack_standin.token)


@pytest.mark.slow
def test_three_workers_poll_once_per_interval_and_alert_exactly_once_through_a_sigkill(
    fleet_setup: tuple[FeedServer, dict[str, str]], slack_standin: SlackStandIn, pg_url: str, tmp_path: Path
) -> None:
    server, env = fleet_setup
    feeds = server.directory
    logs = [tmp_path / f"worker{i}.log" for i in range(3)]
    workers = [fleet.start_worker(env, log) for log in logs]
    try:
        assert _wait(lambda: len(_polls(server)) == len(fleet.VENDORS), 20), "workers did not start polling"
        before, t0 = _polls(server), time.monotonic()
        time.sleep(3 * INTERVAL_S)
        after, elapsed = _polls(server), time.monotonic() - t0
        ceiling = elapsed / (INTERVAL_S * 0.95) + 1  # jitter is 5%: more than this means a doubled poll
        for vendor in fleet.VENDORS:
            polls = after[fleet.slug(vendor)] - before[fleet.slug(vendor)]
            assert 1 <= polls <= ceiling, f"{vendor}: {polls} polls in {elapsed:.1f} s"

        _publish(feeds, fleet.VENDORS[:3])
        assert _wait(lambda: len(slack_standin.root_messages(CHANNEL)) >= 3, 20)

        # Three more breaches; kill a worker as soon as the fleet starts posting them. Whether the kill lands
        # between a post and its mark-sent varies from run to run: the assertions hold either way.
        _publish(feeds, fleet.VENDORS)
        _wait(lambda: len(slack_standin.root_messages(CHANNEL)) >= 4, 20, step=0.01)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(10)
        workers[0] = fleet.start_worker(env, logs[0])
        # SIGTERM before its handler is installed would kill it uncleanly: wait until it runs (2nd start line).
        assert _wait(lambda: logs[0].read_text().count("vendorwatch run: ") >= 2, 20), "restarted worker never ran"
        # Done when every incident's root row is sent (a killed worker's claim expires, then it is recovered).
        assert _wait(lambda: _root_statuses(pg_url) == ["sent"] * len(fleet.VENDORS), 40), _root_statuses(pg_url)

        roots = slack_standin.root_messages(CHANNEL)
        per_incident = Counter(m.metadata["event_payload"]["incident_id"] for m in roots if m.metadata)
        assert sorted(per_incident.values()) == [1] * len(fleet.VENDORS), "exactly one root message per incident"
        for vendor in fleet.VENDORS:
            assert sum(vendor in m.text for m in roots) == 1, f"{vendor}: expected one root message"
        app = App(Settings(database_url=pg_url))
        with app.session() as s:
            incidents = list(s.execute(select(Incident)).scalars())
            items = list(s.execute(select(Item)).scalars())
            root_rows = [d for d in s.execute(select(Delivery)).scalars() if d.kind == "root"]
        app.engine.dispose()
        assert len(incidents) == len(fleet.VENDORS) and all(i.alerted for i in incidents)
        assert sorted(per_incident) == sorted(i.id for i in incidents)
        assert len(items) == len(fleet.VENDORS) and all(i.triaged_at for i in items)
        assert sorted(d.status for d in root_rows) == ["sent"] * len(fleet.VENDORS)
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        codes = [w.wait(20) for w in workers]
    assert codes == [0, 0, 0], "workers must stop cleanly on SIGTERM"
    assert not [log for log in logs if " ERROR " in log.read_text()], "a worker logged an error"


def test_a_second_run_on_the_same_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    config = tmp_path / "vendorwatch.toml"
    db = tmp_path / "vw.db"
    config.write_text(f'database_url = "sqlite:///{db}"\nchannels = ["console"]\n')
    env = fleet.worker_env(config, "http://127.0.0.1:9/api/", "unused")
    first = fleet.start_worker(env, tmp_path / "first.log")
    try:
        assert _wait(lambda: (tmp_path / "vw.db.lock").exists() and bool((tmp_path / "vw.db.lock").read_text()), 20)
        second = subprocess.run(
            [sys.executable, "-m", "vendorwatch", "run"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert second.returncode == 1
        assert f"another vendorwatch run is using {db} (pid {first.pid})" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(20) == 0
