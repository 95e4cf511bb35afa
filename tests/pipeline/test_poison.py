"""No poison pills: an item whose triage raises is recorded on the item, retried, quarantined, and never stops
the rest of the poll; `status` and `metrics` show it."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry.models import Item
from tests.pipeline.feeds import CIRCLECI_BREACH, OKTA_BREACH, write_feed
from vendorwatch.app import App
from vendorwatch.ops import metrics, status
from vendorwatch.poll import pipeline
from vendorwatch.poll.triage_pass import MAX_TRIES

RUNBOOK = """\
steps:
  - id: idp-revoke-admin-sessions
    scope: dependency
    title: "Revoke all {vendor:d} admin sessions ({dependency})"
    applies_to: {vendor_categories: [identity-provider], dependency_kinds: [sso]}
    due: revocation_sla
    owner: dependency
"""


def _poison_okta(app: App, tmp_path: Path) -> None:
    """A team runbook step for identity providers whose title cannot be formatted (a numeric format for a vendor
    name): triage of an Okta breach raises (CircleCI, a CI vendor, is untouched)."""
    folder = tmp_path / "runbooks"
    folder.mkdir()
    (folder / "idp.yaml").write_text(RUNBOOK, encoding="utf-8")
    app.settings.runbooks_dir = str(folder)


def _okta_item(app: App) -> Item:
    with app.session() as s:
        return s.execute(select(Item).where(col(Item.title) == OKTA_BREACH[0])).scalar_one()


def test_an_item_whose_triage_raises_is_set_aside_and_the_rest_alert(
    slack_app: App, feeds_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _poison_okta(slack_app, tmp_path)
    write_feed(feeds_dir, "wire", [OKTA_BREACH, CIRCLECI_BREACH])
    write_feed(feeds_dir, "blog", [])
    with caplog.at_level(logging.WARNING, logger="vendorwatch.poll.triage_pass"):
        report = pipeline.poll_once(slack_app)
    assert report.triage_failures == 1 and len(report.alerts) == 1, "CircleCI still alerts"
    item = _okta_item(slack_app)
    assert item.triaged_at is None and item.triage_failures == 1 and item.quarantined_at is None
    assert item.triage_error and item.triage_error.startswith("ValueError")
    assert [r.levelname for r in caplog.records if r.name == "vendorwatch.poll.triage_pass"] == ["WARNING"], (
        "logged once"
    )
    assert pipeline.poll_once(slack_app).triage_failures == 0, "no retry before its backoff is up"


def test_after_repeated_failures_the_item_is_quarantined_and_status_says_so(
    slack_app: App, feeds_dir: Path, tmp_path: Path
) -> None:
    _poison_okta(slack_app, tmp_path)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    start = slack_app.now()
    for n in range(MAX_TRIES):
        slack_app.clock = lambda n=n: start + timedelta(hours=n)  # type: ignore[misc]
        assert pipeline.poll_once(slack_app).triage_failures == 1
    item = _okta_item(slack_app)
    assert item.quarantined_at is not None and item.triage_failures == MAX_TRIES
    slack_app.clock = lambda: start + timedelta(days=1)
    assert pipeline.poll_once(slack_app).triage_failures == 0, "quarantined: not retried"
    health = status.collect(slack_app)
    assert health.quarantined_items == 1 and not health.healthy
    assert any("1 quarantined" in p for p in health.problems)
    assert "vendorwatch_items_quarantined 1.0" in metrics.render(slack_app)


def test_once_the_cause_is_fixed_items_retry_releases_the_item_and_it_alerts(
    slack_app: App, feeds_dir: Path, tmp_path: Path, db_url: str
) -> None:
    from typer.testing import CliRunner

    from vendorwatch.cli.main import app as cli

    _poison_okta(slack_app, tmp_path)
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    start = slack_app.now()
    for n in range(MAX_TRIES):
        slack_app.clock = lambda n=n: start + timedelta(hours=n)  # type: ignore[misc]
        pipeline.poll_once(slack_app)
    item = _okta_item(slack_app)
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": "", "COLUMNS": "120"}
    runner = CliRunner()
    listed = runner.invoke(cli, ["items", "list"], env=env)
    assert listed.exit_code == 0 and f"item {item.id} (wire)" in listed.output and "ValueError" in listed.output
    refused = runner.invoke(cli, ["items", "retry", "999999", "--by", "alice"], env=env)
    assert refused.exit_code != 0 and "not quarantined: item 999999" in refused.output
    slack_app.settings.runbooks_dir = None  # the cause is fixed: the broken team runbook is gone
    released = runner.invoke(cli, ["items", "retry", "--all", "--by", "alice"], env=env)
    assert released.exit_code == 0, released.output
    assert "released 1 item" in released.output
    assert status.collect(slack_app).quarantined_items == 0
    report = pipeline.poll_once(slack_app)
    assert report.triage_failures == 0 and len(report.alerts) == 1, "the Okta breach alerts at last"
    audit = runner.invoke(cli, ["audit", "list", "--entity", "item"], env=env)
    assert "item.released" in audit.output and "alice" in audit.output
