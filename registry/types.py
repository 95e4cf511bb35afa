"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel.sql.sqltypes import AutoString

from registry.vocab import parse


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every dialect (SQLite keeps no zone, so we add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time in UTC (the one clock the store uses)."""
    return datetime.now(UTC)


class VocabType(TypeDecorator[StrEnum]):
    """A column holding one vocabulary's words as plain strings (the schema is unchanged: VARCHAR)."""

    impl = AutoString
    cache_ok = True

    def __init__(self, vocabulary: type[StrEnum], where: str) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.where = where  # "task.status": named by the error when the database holds another word

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return parse(self.vocabulary, str(value), where=self.where).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        if value is None:
            return None
        return parse(self.vocabulary, str(value), where=f"the database's {self.where}")
