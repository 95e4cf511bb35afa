"""The application context: settings plus a lazily opened, migrated database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlmodel import Session

from registry.db import Engine, ensure_schema, make_engine, session_scope
from registry.types import utcnow
from vendorwatch.settings import Settings


@dataclass
class App:
    """What every command needs: settings, the store and a clock (controllable in tests)."""

    settings: Settings
    clock: Callable[[], datetime] = field(default=utcnow)

    @cached_property
    def engine(self) -> Engine:
        """The database engine, schema applied on first use."""
        s = self.settings
        engine = make_engine(s.database_url, timeouts=s.db_timeouts)
        ensure_schema(engine)
        return engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error."""
        with session_scope(self.engine) as session:
            yield session

    def now(self) -> datetime:
        """The current time by this app's clock."""
        return self.clock()
