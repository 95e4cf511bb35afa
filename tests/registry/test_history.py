"""registry/repo/history.py: a snapshot after each import, checked at most daily by polls, read as of a moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from registry import api
from registry.models import Vendor
from registry.repo import history
from vendorwatch.app import App
from vendorwatch.poll import pipeline
from vendorwatch.settings import Settings

T0 = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
ONE = "vendors:\n  - name: Okta\n    users: 40\n    dependencies: [{name: SSO, kind: sso, privilege_scope: admin}]\n"
TWO = ONE + "  - name: Duo\n    dependencies: [{name: MFA, kind: api-token, reaches: [Okta]}]\n"


def _import(app: App, tmp_path: Path, text: str, when: datetime, *, dry_run: bool = False) -> None:
    (tmp_path / "registry.yaml").write_text(text, encoding="utf-8")
    with app.session() as s:
        api.import_file(s, tmp_path / "registry.yaml", now=when, dry_run=dry_run)


def test_each_import_that_changes_the_registry_adds_a_snapshot_read_back_as_of_a_moment(
    app: App, tmp_path: Path
) -> None:
    _import(app, tmp_path, TWO, T0 - timedelta(days=1), dry_run=True)  # a dry run records nothing
    _import(app, tmp_path, ONE, T0)
    _import(app, tmp_path, ONE, T0 + timedelta(days=2))  # unchanged: the same snapshot, checked again
    _import(app, tmp_path, TWO, T0 + timedelta(days=5))
    with app.session() as s:
        assert history.count(s) == 2
        assert history.before(s, T0) is None  # nothing was known before the first import
        then = history.before(s, T0 + timedelta(days=5))
        now = history.before(s, T0 + timedelta(days=6))
    assert then is not None and now is not None and then.taken_at == T0
    assert [(t.name, t.users, t.deps, t.admin_deps) for t in then.tallies] == [("Okta", 40, 1, 1)]
    assert [(t.name, t.reaches) for t in now.tallies] == [("Duo", ("Okta",)), ("Okta", ())]


def test_polls_check_the_registry_at_most_daily_and_record_what_changed_in_between(tmp_path: Path) -> None:
    clock = [T0]
    app = App(settings=Settings(database_url=f"sqlite:///{tmp_path / 'vw.db'}"), clock=lambda: clock[0])
    _import(app, tmp_path, ONE, T0)
    with app.session() as s:  # a change no import recorded (e.g. an edit in the database)
        s.execute(update(Vendor).values(users=90))
    for hours in (1, 23, 25, 30):
        clock[0] = T0 + timedelta(hours=hours)
        pipeline.poll_cycle(app)
    with app.session() as s:
        assert history.count(s) == 2
        snap = history.latest(s)
        assert snap is not None and snap.taken_at == T0 + timedelta(hours=25)  # found by the first poll a day on
        assert snap.checked_at == T0 + timedelta(hours=25)  # 30 h: younger than a day, not even read
    app.engine.dispose()
