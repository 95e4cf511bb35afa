"""Engine and session handling for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as Engine  # re-exported: the app names the engine's type from the store
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from registry.connect import BUSY_TIMEOUT_MS, MIGRATIONS, Timeouts, head_from_files, pg_connect_args

logger = logging.getLogger(__name__)


def make_engine(url: str, *, echo: bool = False, timeouts: Timeouts = Timeouts()) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, echo=echo, pool_pre_ping=True, pool_timeout=timeouts.connect_s, connect_args=pg_connect_args(timeouts)
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling issues a deferred BEGIN, which lets two writers deadlock
    # on upgrade ("database is locked" even in WAL, see PITFALLS.md); we emit BEGIN IMMEDIATE ourselves.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A read-only scope (see read_scope) takes no write lock: a page view never makes a worker wait.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


READ_ONLY = "vendorwatch_read_only"


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """A session for reads only, one snapshot throughout, rolled back at the end.

    SQLite: a deferred BEGIN (a WAL snapshot, no write lock). PostgreSQL: a REPEATABLE READ, READ ONLY transaction.
    """
    options: dict[str, Any] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with Session(engine.execution_options(**options)) as session:
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config(stdout=sys.stdout)  # the default is bound at import time, to a stream that may be gone
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None when uninitialised)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        rev: str | None = MigrationContext.configure(conn).get_current_revision()
        return rev


def head_revision() -> str:
    """The newest migration shipped with this version."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config(stdout=sys.stdout)  # the default is bound at import time, to a stream that may be gone
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def _stamped(engine: Engine) -> str | None:
    """The revision in the alembic_version table, read with one SELECT; None if it cannot be read so.

    A database that cannot be reached raises here, as Alembic's own check would (not twice the connect timeout).
    """
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SQLAlchemyError:
            return None  # no such table yet: Alembic creates the schema
    return str(rows[0]) if len(rows) == 1 else None


def ensure_schema(engine: Engine) -> None:
    """Apply migrations on first use or after an upgrade of the tool.

    An up-to-date database is recognised without Alembic; Alembic loads only to check further or upgrade.
    """
    head = head_from_files()
    if head is not None and _stamped(engine) == head:
        return
    if current_revision(engine) != head_revision():
        logger.info("upgrading database schema to %s", head_revision())
        upgrade(engine)


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database)
    return None
