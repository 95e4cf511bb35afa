"""Shared command-line plumbing: the app context, error reporting and output helpers."""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from registry.errors import NotFoundError, RegistryError, RegistryImportError
from vendorwatch.bundled import bundled
from vendorwatch.cli.starter import places_looked

if TYPE_CHECKING:
    from vendorwatch.app import App
    from vendorwatch.settings import Settings

P = ParamSpec("P")
DEFAULT_CATALOG = bundled("catalog.yaml")
R = TypeVar("R")
# Markup off: table cells and messages carry feed text and server replies, which must print as data
# ("[/]" or "[link=...]" in a title is not ours to interpret). Styles are passed explicitly instead.
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, markup=False, emoji=False)
logger = logging.getLogger("vendorwatch")


_opened: list[Settings] = []  # for error messages: which database the failing command used


class UserError(Exception):
    """A command cannot do what was asked; the message says why (exit code 2)."""


def get_settings(ctx: typer.Context) -> Settings:
    """The settings for this invocation, read once from --config (without the store: see get_app)."""
    from vendorwatch.settings import config_path, load_settings

    root = ctx.find_root()
    obj = root.obj
    if obj is not None and not isinstance(obj, dict):  # an App: get_app ran, or a test put one there
        given: Settings = obj.settings
        return given
    if isinstance(obj, dict) and "settings" in obj:
        loaded: Settings = obj["settings"]
        return loaded
    explicit = obj.get("config") if isinstance(obj, dict) else None
    path = config_path(explicit)
    if unconfigured(path):
        typer.echo(
            f"warning: no settings file found ({places_looked()}); using "
            "defaults: database sqlite:///vendorwatch.db, no sources. `vendorwatch init` writes a starter "
            "config/vendorwatch.toml.",
            err=True,
        )
    settings = load_settings(path)
    root.obj = {**(obj if isinstance(obj, dict) else {}), "settings": settings}
    _opened[:] = [settings]
    return settings


def get_clock(ctx: typer.Context) -> Callable[[], datetime]:
    """The invocation's clock: the App's (a test controls it), else the wall clock in UTC."""
    obj = ctx.find_root().obj
    if obj is not None and not isinstance(obj, dict):
        clock: Callable[[], datetime] = obj.now
        return clock
    return lambda: datetime.now(UTC)


def get_app(ctx: typer.Context) -> App:
    """The App for this invocation, built once from --config."""
    # Late: the store (SQLAlchemy) and settings (pydantic) load only for commands that use them.
    from vendorwatch.app import App

    obj = ctx.find_root().obj
    if isinstance(obj, App):
        return obj
    app = App(settings=get_settings(ctx))
    ctx.find_root().obj = app
    _opened[:] = [app.settings]
    return app


def unconfigured(path: Path | None) -> bool:
    """No settings file and no database from the environment: every default is a guess."""
    return path is None and not os.environ.get("VENDORWATCH_DATABASE_URL")


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the errors users meet into one `error:` line and an exit code (2: bad input, 1: failure)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (RegistryImportError, UserError, NotFoundError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except RegistryError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            from registry.dberrors import describe, is_store_error  # late: they load SQLAlchemy
            from vendorwatch.settings import ConfigError

            if isinstance(exc, ConfigError):
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            if is_store_error(exc):
                # The driver's message can quote SQL and parameters: we say the cause in our own words.
                logger.debug("database error", exc_info=True)
                typer.echo(f"error: {describe(exc, _database_url())}", err=True)
                raise typer.Exit(1) from None
            logger.debug("unexpected error", exc_info=True)
            first = str(exc).splitlines()[0][:200] if str(exc) else ""
            typer.echo(f"error: unexpected {type(exc).__name__}: {first} (run with -vv for the traceback)", err=True)
            raise typer.Exit(1) from None

    return wrapper


def _database_url() -> str:
    return _opened[-1].database_url if _opened else "sqlite:///vendorwatch.db"


def parse_date(value: str | None, option: str) -> datetime | None:
    """A date or time given on the command line (UTC unless it says otherwise)."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"{option}: {value!r} is not a date (use YYYY-MM-DD)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return str(value)


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (times in ISO 8601, durations in seconds)."""
    typer.echo(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False))
