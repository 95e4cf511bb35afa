"""What the root says: the incident id and its command, what of ours is affected, first actions, one confidence."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from tests.pipeline.feeds import OKTA_BREACH, write_feed
from tests.pipeline.test_alerts import CHANNEL, _cycle, _fields
from tests.slack_standin import SlackStandIn, block_errors
from vendorwatch.app import App
from vendorwatch.cli.main import app as cli


def _show(db_url: str, incident_id: int) -> str:
    env = {"VENDORWATCH_DATABASE_URL": db_url, "VENDORWATCH_CONFIG": ""}
    result = CliRunner().invoke(cli, ["incidents", "show", str(incident_id)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_root_names_the_incident_what_is_affected_and_what_to_do_first(
    slack_app: App, slack_standin: SlackStandIn, feeds_dir: Path, db_url: str
) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [])
    _cycle(slack_app)
    [root] = slack_standin.root_messages(CHANNEL)
    assert block_errors(root.blocks) == []
    fields = _fields(root.blocks)
    incident = next(f for f in fields if f.startswith("*Incident*"))
    number = int(re.search(r"#(\d+)", incident).group(1))  # type: ignore[union-attr]
    assert f"vendorwatch incidents show {number}" in incident
    assert f"#{number} " in root.text, "the notification itself carries the id"
    affected = next(f for f in fields if f.startswith("*Affected*"))
    assert "Workforce SSO (sso): iam-team" in affected or "Workforce SSO (sso): no owner" in affected
    assert "credential Okta admin API token: platform-team, due " in affected
    assert any(f.startswith("*First actions*") and "(task " in f for f in fields)
    confidence = next(f for f in fields if f.startswith("*Confidence*")).split("\n")[1]
    shown = _show(db_url, number)
    assert f"Confidence: {confidence}" in shown, "one figure, named the same in the alert and incidents show"
    assert sum(f.count("onfidence") for f in fields) == 1, "no second, different confidence on the alert"
    reason = re.search(r"Alerted: yes \((.*)\)", shown).group(1)  # type: ignore[union-attr]
    assert re.search(r"classification confidence \d+%$", reason), "the classifier's figure written the same way"
