"""The ASGI app behind `vendorwatch serve`: routes, access checks and security headers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, generate_latest
from slack_sdk.webhook import WebhookClient
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from registry.db import read_scope
from vendorwatch.app import App
from vendorwatch.ops import metrics
from vendorwatch.ops import status as health
from vendorwatch.web import clicks, dashboard, slack_actions
from vendorwatch.web.access import Access, viewer

logger = logging.getLogger(__name__)
BODY_MAX = 64 * 1024  # Slack's interaction payloads are a few KB
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
Handler = Callable[[Request], Awaitable[Response]]
SERVE = CollectorRegistry()
CLICKS = Counter(
    "vendorwatch_serve_slack_actions",
    "Slack requests to /slack/actions by this server, by outcome.",
    ["outcome"],
    registry=SERVE,
)


def create_app(vw: App, access: Access) -> Starlette:
    """The app: `/` dashboard, `/slack/actions`, `/healthz`, `/metrics`, `/static`."""
    env = dashboard.environment()

    def guarded(handler: Handler) -> Handler:
        async def check(request: Request) -> Response:
            client = request.client.host if request.client else None
            if viewer(access, client, request.headers) is None:
                return PlainTextResponse("authentication required\n", status_code=401, headers=_challenge(access))
            return await handler(request)

        return check

    async def page(request: Request) -> Response:
        html = await run_in_threadpool(_render_page, vw, env)
        return HTMLResponse(html, headers=HEADERS)

    async def healthz(request: Request) -> Response:
        return await _healthz(vw, access, request)

    async def metrics_page(request: Request) -> Response:
        text = await run_in_threadpool(metrics.render, vw) + generate_latest(SERVE).decode()
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4", headers=HEADERS)

    async def actions(request: Request) -> Response:
        return await _slack_actions(vw, request)

    routes = [
        Route("/", guarded(page)),
        Route("/healthz", healthz),
        Route("/metrics", guarded(metrics_page)),
        Route("/slack/actions", actions, methods=["POST"]),
        Mount("/static", StaticFiles(directory=dashboard.TEMPLATES.parent / "static"), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=_hosts(vw, access))]
    return Starlette(routes=routes, middleware=middleware)


async def _healthz(vw: App, access: Access, request: Request) -> Response:
    st = await run_in_threadpool(health.collect, vw)
    client = request.client.host if request.client else None
    # Anonymous probes (load balancers) learn healthy or not; the details need the dashboard's access.
    body: dict[str, Any] = {"healthy": st.healthy}
    if viewer(access, client, request.headers) is not None:
        body = {**st.to_json(), "healthy": st.healthy}
    return JSONResponse(_jsonable(body), status_code=200 if st.healthy else 503, headers=HEADERS)


def _render_page(vw: App, env: Any) -> str:
    with read_scope(vw.engine) as session:
        page = dashboard.build(session, vw.now())
    return dashboard.render(env, page)


async def _slack_actions(vw: App, request: Request) -> Response:
    body = await request.body()
    secret = vw.settings.secret("slack_signing_secret")
    if len(body) > BODY_MAX or not slack_actions.verified(
        secret.get_secret_value() if secret else None, body, request.headers
    ):
        logger.warning("slack action refused: bad, missing or stale signature")
        CLICKS.labels("refused").inc()
        return PlainTextResponse("invalid signature\n", status_code=401)
    try:
        click = slack_actions.parse(body)
    except slack_actions.BadClick as exc:
        CLICKS.labels("malformed").inc()
        return PlainTextResponse(f"{exc}\n", status_code=400)
    if click.click.action == "vw_open":
        return Response(status_code=200)  # a link button: Slack opens the URL itself
    if not slack_actions.allowed(vw.settings, click.click.user_id):
        logger.info("slack action by %s refused: not allowed by serve.slack_actors", click.click.user_id)
        outcome = clicks.Outcome(False, "You are not allowed to act on vendorwatch tasks (see serve.slack_actors).")
        CLICKS.labels("not_allowed").inc()
    else:
        outcome = await run_in_threadpool(clicks.apply, vw, click.click)
        logger.info(
            "slack %s on %s %s by %s: %s",
            click.click.action,
            click.click.target,
            click.click.target_id,
            click.click.user_id,
            "changed" if outcome.changed else "no change",
        )
        CLICKS.labels("changed" if outcome.changed else "unchanged").inc()
    posts = slack_actions.answer(click, outcome)
    task = BackgroundTask(_post_answers, click.response_url, posts) if click.response_url and posts else None
    return Response(status_code=200, background=task)  # Slack wants 200 within 3 s; its messages follow


def _post_answers(url: str, posts: list[dict[str, Any]]) -> None:
    client = WebhookClient(url, timeout=5)
    for post in posts:
        try:
            client.send_dict(post)
        except Exception as exc:  # a lost note is not worth failing the click over: the change is made
            logger.warning("slack response_url post failed: %s", type(exc).__name__)


def _challenge(access: Access) -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="vendorwatch"'} if access.mode == "bearer" else {}


def _hosts(vw: App, access: Access) -> list[str]:
    """Host headers accepted: loopback names when open to loopback only (no DNS rebinding), else any."""
    if access.mode != "none":
        return ["*"]
    return ["127.0.0.1", "localhost", "[::1]", "::1"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value
