"""The daily digest: what opened, what is overdue, what closed, once per route and day, even when nothing did."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from registry.repo import deliveries
from tests.pipeline.feeds import OKTA_BREACH, write_feed
from tests.pipeline.test_alerts import CHANNEL, _cycle
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import daily, lifecycle
from vendorwatch.settings import ConfigError, DigestSettings, Route, Settings, load_settings


def _digests(standin: SlackStandIn, channel: str = CHANNEL) -> list[str]:
    return [m.text for m in standin.root_messages(channel) if "[DAILY DIGEST]" in m.text]


def _at(app: App, when: datetime) -> App:
    return App(settings=app.settings, clock=lambda: when)


def _ending_now(name: str, now: datetime) -> tuple[daily.DigestRoute, date]:
    """A route whose digest time is just ahead: its digest covers the 24 h up to `now`."""
    soon = now + timedelta(minutes=2)
    return daily.DigestRoute(name, soon.time().replace(second=0, microsecond=0), ZoneInfo("UTC")), soon.date()


def _send(app: App) -> int:
    queued = daily.send_due_digests(app)
    outbox.dispatch_until_idle(app, build_channels(app.settings), timeout=20)
    return queued


def test_a_quiet_day_still_sends_its_digest_once_however_often_the_job_runs(
    slack_app: App, slack_standin: SlackStandIn
) -> None:
    slack_app.settings.digest = DigestSettings(at="08:00", timezone="Europe/Berlin", default_route=True)
    day = datetime.now(UTC).date() - timedelta(days=1)
    early = datetime.combine(day, time(7, 59), ZoneInfo("Europe/Berlin")).astimezone(UTC)  # summer or winter
    assert _send(_at(slack_app, early)) == 0, "not before its local time"
    for minutes in (1, 2, 90):  # the job runs every minute; a restart runs it again
        _send(_at(slack_app, early + timedelta(minutes=minutes)))
    [digest] = _digests(slack_standin)
    assert f"{day:%Y-%m-%d}: 0 new incidents; 0 tasks overdue; 0 closed" in digest


def test_the_digest_lists_what_opened_and_the_overdue_tasks_with_owners_and_the_command(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    _cycle(slack_app)
    later = datetime.now(UTC) + timedelta(hours=23)  # the 4 h revocation deadline has passed
    route, day = _ending_now(CHANNEL, later)
    with slack_app.session() as s:
        alert = daily.build(s, slack_app.settings, route, day, later)
    assert "1 new incident;" in alert.title and "0 closed" in alert.title
    assert "Opened:\n• #1 Okta: breach" in alert.text
    assert "Overdue:\n• task " in alert.text and "owner iam-team, due " in alert.text
    assert "--by NAME`" in alert.text and alert.severity == "medium"
    with slack_app.session() as s:
        lifecycle.resolve(s, slack_app.settings, 1, by="alice", note=None, now=later - timedelta(hours=1))
        closed = daily.build(s, slack_app.settings, route, day, later)
    assert "0 closed" not in closed.title and "Closed:\n• #1 Okta: breach" in closed.text


def test_an_incident_routed_elsewhere_is_in_that_routes_digest_only(slack_app: App, feeds_dir: Path) -> None:
    slack_app.settings.routes = [Route(channel="#okta", vendors=["Okta"], digest=True, timezone="America/New_York")]
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    _cycle(slack_app)
    now = datetime.now(UTC) + timedelta(minutes=1)
    with slack_app.session() as s:
        okta = daily.build(s, slack_app.settings, *_ending_now("#okta", now), now)
        other = daily.build(s, slack_app.settings, *_ending_now(CHANNEL, now), now)
    assert "1 new incident" in okta.title and okta.channel == "#okta"
    assert "0 new incidents" in other.title
    assert [r.name for r in daily.digest_routes(slack_app.settings)] == ["#okta"], "only routes that ask for one"


def test_the_cli_sends_a_routes_digest_and_a_second_run_sends_nothing(
    slack_app: App, slack_standin: SlackStandIn, db_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "digest.toml"
    settings = f'channels = ["slack"]\n[slack]\napi_url = "{slack_standin.api_url}"\nmin_interval_s = 0\n'
    config.write_text(settings, encoding="utf-8")
    env = {"VENDORWATCH_DATABASE_URL": db_url}
    args = ["--config", str(config), "digest", "--route", "identity-alerts"]
    first = CliRunner().invoke(cli, args, env=env)
    again = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert "queued on slack: [DAILY DIGEST] #identity-alerts" in first.output
    assert "already queued (once a day)" in again.output
    assert len(_digests(slack_standin)) == 1
    bad = CliRunner().invoke(cli, [*args[:3], "--route", "#nowhere"], env=env)
    assert bad.exit_code == 2 and "no route '#nowhere' (routes: #identity-alerts)" in bad.output


def test_two_workers_racing_queue_one_digest_per_channel(slack_app: App) -> None:
    slack_app.settings.digest = DigestSettings(default_route=True)
    when = datetime.now(UTC).replace(hour=8, minute=30)
    workers = [App(settings=slack_app.settings, clock=lambda: when) for _ in range(4)]  # an engine each
    start = threading.Barrier(len(workers))

    def run(worker: App) -> int:
        start.wait()
        return daily.send_due_digests(worker)

    with ThreadPoolExecutor(len(workers)) as pool:
        assert sum(pool.map(run, workers)) == 1
    for worker in workers:
        worker.engine.dispose()
    with slack_app.session() as s:
        key = "slack:" + daily.key(daily.digest_routes(slack_app.settings)[0], when.date())
        assert deliveries.count_with_keys(s, [key]) == 1


def test_a_digest_missed_while_down_is_sent_late_within_twelve_hours_not_after() -> None:
    route = daily.DigestRoute("#a", datetime(2026, 1, 1, 8, 0).time(), ZoneInfo("Europe/Berlin"))
    berlin = ZoneInfo("Europe/Berlin")
    assert daily.due_day(route, datetime(2026, 3, 29, 7, 59, tzinfo=berlin)) is None  # DST starts that night
    assert daily.due_day(route, datetime(2026, 3, 29, 8, 0, tzinfo=berlin)) == date(2026, 3, 29)
    assert daily.due_day(route, datetime(2026, 3, 29, 19, 59, tzinfo=berlin)) == date(2026, 3, 29)
    assert daily.due_day(route, datetime(2026, 3, 29, 20, 1, tzinfo=berlin)) is None


def test_a_bad_time_zone_or_time_is_refused_naming_the_setting(tmp_path: Path) -> None:
    config = tmp_path / "vw.toml"
    config.write_text('[[routes]]\nchannel = "#a"\ndigest = true\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"routes\.0\.timezone: .*unknown time zone 'Mars/Olympus'"):
        load_settings(config)
    with pytest.raises(ValueError, match="digest"):
        Settings(digest={"at": "25:00"})


def test_run_schedules_the_digest_job_on_one_worker_and_it_sends_the_digest(
    slack_app: App, slack_standin: SlackStandIn
) -> None:
    from vendorwatch.ops.scheduler import JOBS, Worker

    [job] = [j for j in JOBS if j.id == "daily_digest"]
    assert job.singleton and job.every_s <= 60, "checked every minute, by the worker holding the lock"
    now = datetime.now(UTC)
    slack_app.settings.digest = DigestSettings(at=f"{now - timedelta(minutes=1):%H:%M}", default_route=True)
    worker = Worker(slack_app, build_channels(slack_app.settings))
    worker.daily_digest()
    worker.daily_digest()
    worker.singleton.release()
    assert len(_digests(slack_standin)) == 1
