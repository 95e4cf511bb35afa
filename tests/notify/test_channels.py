"""Contract tests over every registered channel: same behaviour, a test module each, masked settings."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from notify import CHANNELS
from notify.base import Alert, AlertKind, Channel, Receipt
from notify.console import ConsoleChannel
from tests.notify.conftest import Mailbox, WebhookReceiver
from tests.notify.teams_standin import TeamsStandIn
from tests.slack_standin import TOKEN, SlackStandIn

HERE = Path(__file__).parent


def build(name: str, request: pytest.FixtureRequest) -> Channel:
    """A channel of kind `name` built from a config mapping, wired to its loopback backend."""
    if name == "slack":
        standin: SlackStandIn = request.getfixturevalue("slack_standin")
        return CHANNELS["slack"].from_config({"channel": "#c", "token": TOKEN, "api_url": standin.api_url})
    if name == "webhook":
        receiver: WebhookReceiver = request.getfixturevalue("webhook_receiver")
        return CHANNELS["webhook"].from_config({"url": receiver.url, "secret": "k"})
    if name == "teams":
        teams: TeamsStandIn = request.getfixturevalue("teams_standin")
        return CHANNELS["teams"].from_config({"url": teams.url})
    if name == "email":
        box: Mailbox = request.getfixturevalue("smtp_server")
        config = {"host": box.host, "port": box.port, "starttls": False, "sender": "a@b.example"}
        return CHANNELS["email"].from_config({**config, "recipients": ["c@d.example"]})
    return ConsoleChannel(stream=io.StringIO())


@pytest.mark.parametrize("name", sorted(CHANNELS))
def test_channel_is_registered_under_its_name_and_has_a_test_module(name: str) -> None:
    cls = CHANNELS[name]
    assert cls.name == name
    assert callable(cls.from_config) and callable(cls.send)
    assert (HERE / f"test_{name}.py").is_file()


@pytest.mark.parametrize("name", sorted(CHANNELS))
def test_root_update_reply_round_trip(
    name: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    channel = build(name, request)
    root = channel.send(Alert(1, "root", "Okta <!here>", "text"), delivery_id="dlv-root")
    assert isinstance(root, Receipt) and root.ref
    kinds: tuple[AlertKind, ...] = ("update", "reply")
    for kind in kinds:
        later = Alert(1, kind, "later", "more", channel=root.channel, thread_ref=root.ref)
        assert isinstance(channel.send(later, delivery_id=f"dlv-{kind}"), Receipt)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


@pytest.mark.parametrize("name", sorted(CHANNELS))
def test_a_message_tied_to_no_incident_is_sent_on_its_own(
    name: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    # A daily digest (or a review reminder): a root with incident id 0, no thread, no buttons.
    text = "0 new incidents; 1 task overdue; 0 closed.\nOverdue:\n• task 6 Rotate <!here> token: owner iam-team"
    digest = Alert(0, "root", "[DAILY DIGEST] #c 2026-12-01: 0 new incidents; 1 task overdue; 0 closed", text)
    receipt = build(name, request).send(digest, delivery_id="vw-digest")
    assert isinstance(receipt, Receipt) and receipt.ref
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_channel_names_settings_accept_are_the_registered_ones():
    from notify import NAMES

    assert sorted(NAMES) == sorted(CHANNELS)
