"""TeamsChannel against a loopback Teams webhook that checks each card against the Adaptive Card schema."""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from notify.base import Alert, AlertField, DeliveryError
from notify.teams import TeamsChannel, TeamsSettings
from notify.teams_card import escape
from tests.notify.teams_standin import TeamsStandIn, problems

ROOT = Alert(
    incident_id=12,
    kind="root",
    title="#12 Okta confirms breach of its support case system",
    text="An attacker used a stolen credential.\nHAR files with session tokens were viewed.",
    severity="critical",
    vendor="Okta",
    url="https://sec.okta.example/advisory",
    fields=(
        AlertField("Incident", "#12: `vendorwatch incidents show 12`"),
        AlertField("Affected", "Workforce SSO (sso): iam-team, due 2026-12-01 14:00 UTC\nand 9 more"),
    ),
    mentions=("U0IAM",),
    links=(("wire", "https://wire.example/okta"),),
)


def channel_for(standin: TeamsStandIn, url: str | None = None) -> TeamsChannel:
    return TeamsChannel(TeamsSettings(url=url or standin.url, timeout=2))


def test_a_root_is_a_valid_adaptive_card_with_its_facts_and_link_buttons(teams_standin: TeamsStandIn) -> None:
    receipt = channel_for(teams_standin).send(ROOT, delivery_id="vw-1")
    assert teams_standin.refused == [] and receipt.ref == "vw-1"
    [card] = teams_standin.cards
    texts = teams_standin.texts()
    assert texts[0] == "NEW INCIDENT · CRITICAL" and texts[1] == "\\#12 Okta confirms breach of its support case system"
    assert "An attacker used a stolen credential.\n\nHAR files" in texts[2], "one paragraph a line"
    assert "Incident: \\#12: \\`vendorwatch incidents show 12\\`" in texts
    assert "Affected: Workforce SSO (sso): iam-team, due 2026-12-01 14:00 UTC\n\nand 9 more" in texts
    assert [a["url"] for a in card["actions"]] == ["https://sec.okta.example/advisory", "https://wire.example/okta"]


def test_follow_ups_say_which_incident_they_belong_to(teams_standin: TeamsStandIn) -> None:
    channel = channel_for(teams_standin)
    root = channel.send(ROOT, delivery_id="vw-1")
    reply = Alert(
        12,
        "reply",
        "[REMINDER] Rotate Okta admin API token",
        "`vendorwatch tasks done 6 --by NAME`",
        thread_ref=root.ref,
    )
    update = Alert(12, "update", ROOT.title, ROOT.text, fields=(AlertField("Reports", "2"),), thread_ref=root.ref)
    channel.send(reply, delivery_id="vw-2")
    channel.send(update, delivery_id="vw-3")
    assert teams_standin.refused == []
    assert teams_standin.texts(1)[:2] == [
        "FOLLOW-UP · INFO · incident \\#12",
        "\\[REMINDER\\] Rotate Okta admin API token",
    ]
    assert teams_standin.texts(1)[2] == "\\`vendorwatch tasks done 6 --by NAME\\`"
    assert teams_standin.texts(2)[0] == "UPDATED · INFO · incident \\#12" and "Reports: 2" in teams_standin.texts(2)


@pytest.mark.parametrize(
    ("hostile", "inert"),
    [
        ("[Reset your password](https://evil.example)", "\\[Reset your password\\](https://evil.example)"),
        ("<at>Security Team</at> **urgent**", "\\<at\\>Security Team\\</at\\> \\*\\*urgent\\*\\*"),
        ("&lt;at&gt;x&lt;/at&gt; ![img](https://evil.example/x.png)", "\\&lt;at\\&gt;x"),
        ("- fake bullet\n# Fake heading\n1. fake list", "\\- fake bullet\n\\# Fake heading\n1\\. fake list"),
        ("evil\u202e\x1b[31mred\x07", "evilred"),
    ],
)
def test_feed_text_cannot_forge_links_mentions_or_markup(hostile: str, inert: str, teams_standin: TeamsStandIn) -> None:
    assert inert in escape(hostile)
    alert = Alert(
        1, "root", hostile, hostile, fields=(AlertField(hostile, hostile),), links=((hostile, "javascript:x"),)
    )
    channel_for(teams_standin).send(alert, delivery_id="vw-1")
    assert teams_standin.refused == [] and "actions" not in teams_standin.cards[0], "only http(s) links are buttons"
    shown = "\n".join(teams_standin.texts())
    assert all(line in shown for line in inert.splitlines()), "title, text and fact all reach the card escaped"
    assert hostile not in shown and "\x1b" not in shown


@pytest.mark.parametrize("char", ["&", "ü"])  # each escapes to 2 bytes (\\&) or JSON's 6 (\\u00fc)
def test_oversized_text_is_cut_within_what_teams_takes(char: str, teams_standin: TeamsStandIn) -> None:
    fields = tuple(AlertField(f"F{n}", char * 5000) for n in range(40))
    links = tuple((f"l{n}", f"https://e.example/{n}{'x' * 400}") for n in range(10))
    huge = Alert(1, "root", char * 5000, char * 50000, fields=fields, links=links)
    channel_for(teams_standin).send(huge, delivery_id="vw-1")
    assert teams_standin.refused == [] and len(teams_standin.posted) == 1, "under 28 KB and schema-valid"
    assert len(teams_standin.texts()[2]) > 100, "the text is cut, not dropped"


@pytest.mark.parametrize(
    ("status", "headers", "body", "retryable", "retry_after"),
    [
        (429, {"Retry-After": "3"}, "", True, 3.0),
        (429, {}, "", True, 1.0),
        (
            200,
            {},
            "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429",
            True,
            1.0,
        ),
        (502, {}, "", True, None),
        (400, {}, "Bad payload", False, None),
        (404, {}, "", False, None),
    ],
)
def test_http_failures_map_to_retryable_or_final(
    teams_standin: TeamsStandIn,
    status: int,
    headers: dict[str, str],
    body: str,
    retryable: bool,
    retry_after: float | None,
) -> None:
    teams_standin.answers.append((status, headers, body))
    with pytest.raises(DeliveryError) as caught:
        channel_for(teams_standin).send(ROOT, delivery_id="vw-1")
    assert (caught.value.retryable, caught.value.retry_after) == (retryable, retry_after)
    assert caught.value.maybe_delivered is False, "Teams answered: it said no, nothing is out"


def test_a_workflow_answering_202_is_a_success(teams_standin: TeamsStandIn) -> None:
    teams_standin.answers.append((202, {}, ""))
    assert channel_for(teams_standin).send(ROOT, delivery_id="vw-7").ref == "vw-7"


def test_a_lost_answer_may_have_posted_and_the_url_stays_secret(
    teams_standin: TeamsStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts, never answers: a timeout after the request went out
    held: list[object] = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/webhookb2/0000-secret-path/x"
    channel = TeamsChannel(TeamsSettings(url=url, timeout=0.5))
    with pytest.raises(DeliveryError) as caught:
        channel.send(ROOT, delivery_id="vw-1")
    silent.close()
    refused = channel_for(teams_standin, url="http://127.0.0.1:9/webhookb2/0000-secret-path/y")
    with pytest.raises(DeliveryError) as down:
        refused.send(ROOT, delivery_id="vw-2")
    assert caught.value.retryable and caught.value.maybe_delivered
    assert down.value.retryable and not down.value.maybe_delivered
    shown = caplog.text + str(caught.value) + str(down.value) + repr(channel.settings) + repr(refused)
    assert "secret-path" not in shown


def test_the_stand_in_refuses_what_teams_would() -> None:
    assert problems(b'{"type": "message", "attachments": []}')
    assert problems(b'{"type": "message", "text": "x", "attachments": [{"contentType": "x", "content": {}}]}')


def test_a_notice_is_headed_as_on_the_console_without_an_incidents_severity(teams_standin: TeamsStandIn) -> None:
    digest = Alert(0, "root", "[DAILY DIGEST] #a: 1 task overdue", "Overdue: task 2", severity="medium")
    channel_for(teams_standin).send(digest, delivery_id="vw-9")
    assert teams_standin.texts()[:2] == ["NOTICE", "\\[DAILY DIGEST\\] \\#a: 1 task overdue"]
