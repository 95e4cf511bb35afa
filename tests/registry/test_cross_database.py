"""The example registry exports byte-identical YAML from SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from registry import api
from vendorwatch.app import App
from vendorwatch.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "registry.example.yaml"


def _export(url: str) -> str:
    app = App(settings=Settings(database_url=url))
    with app.session() as s:
        api.import_file(s, EXAMPLE)
    with app.session() as s:
        text = api.export(s, "yaml")
    app.engine.dispose()
    return text


def test_example_registry_exports_identically_from_sqlite_and_postgres(sqlite_url: str, pg_url: str) -> None:
    from_sqlite = _export(sqlite_url)
    assert "name: Okta" in from_sqlite
    assert _export(pg_url) == from_sqlite


def test_migrations_match_the_models_and_downgrade_cleanly(db_url: str) -> None:
    from alembic import command

    from registry.db import _alembic_config, make_engine, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    command.check(_alembic_config(engine))  # raises when the models and the migrations disagree
    command.downgrade(_alembic_config(engine), "base")
    upgrade(engine)
    engine.dispose()
