"""The dashboard over loopback HTTP: what it shows, escaping, access modes, /healthz and /metrics."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from markupsafe import escape

from tests.web.conftest import HOSTILE, OWNER
from vendorwatch.app import App
from vendorwatch.ops.status import collect
from vendorwatch.settings import ConfigError, ServeSettings
from vendorwatch.web.access import configure
from vendorwatch.web.server import Running
from vendorwatch.web.slack_actions import allowed


def test_the_page_lists_incidents_timeline_tasks_overdue_first_vendors_and_escapes_feed_text(
    seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    response = httpx.get(serve().url)
    assert response.status_code == 200 and "default-src 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert HOSTILE not in page and "<script>document" not in page and str(escape(HOSTILE)) in page
    assert f'id="incident-{seeded["incident"]}"' in page and "first report" in page
    late, later = page.index(f'id="task-{seeded["late"]}"'), page.index(f'id="task-{seeded["later"]}"')
    assert late < later and f'<tr id="task-{seeded["late"]}" class="overdue">' in page
    assert f'<tr id="task-{seeded["later"]}" class="">' in page
    assert "<td>Okta</td>" in page and "1 overdue" in page


def test_static_css_is_served_locally(serve: Callable[..., Running]) -> None:
    response = httpx.get(serve().url + "static/dashboard.css")
    assert response.status_code == 200 and "tr.overdue" in response.text


def test_loopback_without_auth_refuses_foreign_host_headers(serve: Callable[..., Running]) -> None:
    running = serve()
    assert httpx.get(running.url, headers={"Host": "attacker.example"}).status_code == 400  # DNS rebinding


def test_a_public_bind_needs_an_auth_mode(web_app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match=r"0\.0\.0\.0 is not loopback"):
        configure(web_app.settings, "0.0.0.0")
    web_app.settings.serve = ServeSettings(auth="bearer")
    monkeypatch.delenv("VENDORWATCH_SERVE_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="VENDORWATCH_SERVE_TOKEN"):
        configure(web_app.settings, "0.0.0.0")
    web_app.settings.serve = ServeSettings(auth="proxy", trusted_proxies=["not-an-ip"])
    with pytest.raises(ConfigError, match=r"trusted_proxies\[0\]"):
        configure(web_app.settings, "0.0.0.0")


def test_bearer_mode_wants_the_token(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDORWATCH_SERVE_TOKEN", "s3cret-token")
    web_app.settings.serve = ServeSettings(auth="bearer")
    running = serve(host="0.0.0.0")
    assert httpx.get(running.url).status_code == 401
    assert httpx.get(running.url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(running.url + "metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = httpx.get(running.url, headers={"Authorization": "Bearer s3cret-token"})
    assert ok.status_code == 200 and "s3cret-token" not in ok.text


def test_proxy_mode_believes_the_identity_header_only_from_the_proxy(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running]
) -> None:
    web_app.settings.serve = ServeSettings(auth="proxy", trusted_proxies=["127.0.0.1/32"])
    running = serve(host="0.0.0.0")
    assert httpx.get(running.url).status_code == 401  # from the proxy, but nobody signed in
    assert httpx.get(running.url, headers={"X-Forwarded-User": "alice@example.com"}).status_code == 200
    web_app.settings.serve = ServeSettings(auth="proxy", trusted_proxies=["10.0.0.0/8"])
    elsewhere = serve(host="0.0.0.0")
    headers = {"X-Forwarded-User": "alice@example.com", "X-Forwarded-For": "10.1.1.1"}
    assert httpx.get(elsewhere.url, headers=headers).status_code == 401  # not from the proxy: header ignored


def test_healthz_says_what_status_says(
    web_app: App, seeded: dict[str, int], serve: Callable[..., Running], monkeypatch: pytest.MonkeyPatch
) -> None:
    running = serve()
    response = httpx.get(running.url + "healthz")
    assert response.status_code == 503 and response.json()["problems"] == collect(web_app).problems
    assert "tasks: 1 overdue" in response.json()["problems"]
    monkeypatch.setenv("VENDORWATCH_SERVE_TOKEN", "t0ken")
    web_app.settings.serve = ServeSettings(auth="bearer")
    anonymous = httpx.get(serve(host="0.0.0.0").url + "healthz")
    assert anonymous.status_code == 503 and anonymous.json() == {"healthy": False}


def test_metrics_are_prometheus_text(seeded: dict[str, int], serve: Callable[..., Running]) -> None:
    response = httpx.get(serve().url + "metrics")
    assert response.status_code == 200 and "vendorwatch_incidents_alerted 1.0" in response.text
    assert "# TYPE vendorwatch_serve_slack_actions_total counter" in response.text  # this server's own clicks


def test_who_may_act_is_configurable(web_app: App) -> None:
    assert allowed(web_app.settings, OWNER) and not allowed(web_app.settings, "U0OTHER")
    web_app.settings.serve = ServeSettings(slack_actors="all")
    assert allowed(web_app.settings, "U0OTHER")
    web_app.settings.serve = ServeSettings(slack_actors="list", slack_users=["U0OTHER"])
    assert allowed(web_app.settings, "U0OTHER") and not allowed(web_app.settings, OWNER)
