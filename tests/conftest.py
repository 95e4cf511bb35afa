"""Shared fixtures: real databases (SQLite file and PostgreSQL), the app, the CLI runner."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.slack_standin import slack_standin  # noqa: F401 (fixture for every test package)
from vendorwatch.app import App
from vendorwatch.settings import Settings

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _pg_admin_url() -> str | None:
    url = os.environ.get("VENDORWATCH_TEST_DATABASE_URL", PG_DEFAULT)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but PostgreSQL is not reachable at {make_url(url).host}: {exc.__class__.__name__}")
        return None
    return url


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """An admin URL for PostgreSQL, or skip when none answers (never skipped with CI=true)."""
    url = _pg_admin_url()
    if url is None:
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432 (set VENDORWATCH_TEST_DATABASE_URL)")
    return url


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"vw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A real SQLite file in a temporary directory."""
    return f"sqlite:///{tmp_path / 'vendorwatch.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    """An App on a fresh database of each kind."""
    vw = App(settings=Settings(database_url=db_url))
    yield vw
    vw.engine.dispose()


@pytest.fixture
def runner() -> CliRunner:
    """Runs the CLI in-process."""
    return CliRunner()
