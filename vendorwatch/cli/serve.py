"""`vendorwatch serve`: the dashboard, Slack buttons, /healthz and /metrics on one port."""

from __future__ import annotations

from typing import Annotated

import typer

from vendorwatch.cli.common import get_app, handle_errors, logger


@handle_errors
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to bind.", show_default="serve.host, 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.", show_default="serve.port, 8080")] = None,
) -> None:
    """Serve the read-only dashboard, Slack buttons (/slack/actions), /healthz and /metrics."""
    import uvicorn  # late, like every heavy import of the CLI: start-up stays fast

    from vendorwatch.web.access import configure
    from vendorwatch.web.app import create_app
    from vendorwatch.web.server import config

    vw = get_app(ctx)
    bind, listen = host or vw.settings.serve.host, vw.settings.serve.port if port is None else port
    access = configure(vw.settings, bind)  # refuses a public bind without an auth mode
    if vw.settings.secret("slack_signing_secret") is None:
        logger.warning("SLACK_SIGNING_SECRET is not set: every /slack/actions request will be refused (401)")
    shown = f"[{bind}]" if ":" in bind else bind
    typer.echo(f"vendorwatch serve: http://{shown}:{listen}/ (access: {access.mode}); Ctrl-C stops", err=True)
    level = "info" if logger.getEffectiveLevel() <= 20 else "warning"
    uvicorn.Server(config(create_app(vw, access), bind, listen, log_level=level)).run()


def register(app: typer.Typer) -> None:
    """Attach `serve` to the root app."""
    app.command()(serve)
