"""A dismissed incident keeps its timeline, quietly: retellings post no thread reply; a report that fires an
assessment trigger is threaded once, with the command that reopens the incident."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from registry.models import Incident
from tests.pipeline.feeds import OKTA_BREACH, OKTA_FOLLOW_UP, write_feed
from tests.pipeline.test_alerts import CHANNEL
from tests.pipeline.test_flood import RETELLINGS
from tests.slack_standin import SlackStandIn
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli
from vendorwatch.delivery import outbox
from vendorwatch.delivery.channels import build_channels
from vendorwatch.incidents import lifecycle
from vendorwatch.incidents.reasons import DismissReason
from vendorwatch.poll import pipeline


def test_a_dismissed_incident_hears_retellings_quietly_and_a_fired_trigger_once(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, db_url: str
) -> None:
    channels = build_channels(slack_app.settings)
    write_feed(feeds_dir, "blog", [])
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    [root] = slack_standin.root_messages(CHANNEL)
    with slack_app.session() as s:
        [incident] = s.execute(select(Incident)).scalars().all()
        lifecycle.dismiss(
            s, slack_app.settings, incident.id or 0, by="alice", reason=DismissReason.not_affected, now=slack_app.now()
        )
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    before = len(slack_standin.replies(root.ts))
    write_feed(feeds_dir, "wire", [OKTA_BREACH, *RETELLINGS[:5]])
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    assert len(slack_standin.replies(root.ts)) == before, "retellings of a dismissed incident post nothing"
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    shown = CliRunner().invoke(cli, ["incidents", "show", str(incident.id)], env=env).output
    assert all(f"Outlet {n}:" in shown for n in range(5)), "they are still on its timeline"
    write_feed(feeds_dir, "blog", [OKTA_FOLLOW_UP], base="https://blog.example/")
    pipeline.poll_once(slack_app)
    outbox.dispatch_until_idle(slack_app, channels, timeout=20)
    new = slack_standin.replies(root.ts)[before:]
    assert len(new) == 1 and "Assessment" in new[0].text, [r.text for r in new]
    assert f"vendorwatch incidents reopen {incident.id} --by NAME" in json.dumps(new[0].blocks)
    slack_app.engine.dispose()
