"""SlackChannel against the loopback Slack stand-in: threads, updates, escaping, errors, secrets."""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any

import pytest

from notify.base import Alert, AlertField, DeliveryError
from notify.slack import SlackChannel, SlackSettings
from tests.slack_standin import TOKEN, Failure, SlackStandIn, block_errors

HOSTILE = "Okta <!channel> <!here> <@U123> <http://evil.example|click> &lt;!everyone&gt; *bold*"


def channel_for(standin: SlackStandIn, token: str = TOKEN) -> SlackChannel:
    return SlackChannel(SlackSettings(channel="#identity-alerts", token=token, api_url=standin.api_url))


def root_alert(**changes: Any) -> Alert:
    base = Alert(
        incident_id=7,
        kind="root",
        title="Okta breach",
        text="Support system accessed.",
        severity="high",
        vendor="Okta",
        url="https://sec.okta.example/advisory",
    )
    return dataclasses.replace(base, **changes)


def all_text(standin: SlackStandIn, method: str = "chat.postMessage") -> str:
    """Every text Slack would parse in the recorded calls: fallback text plus block texts."""
    return json.dumps([[c.args.get("text"), c.args.get("blocks")] for c in standin.calls_to(method)])


def test_one_root_then_threaded_reply_and_root_update(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    root = slack.send(root_alert(), delivery_id="d-1")
    follow = root_alert(kind="reply", title="Vendor confirms", channel=root.channel, thread_ref=root.ref)
    reply = slack.send(follow, delivery_id="d-2")
    update = root_alert(
        kind="update",
        title="Okta breach (contained)",
        channel=root.channel,
        thread_ref=root.ref,
        fields=(AlertField("Tasks", "3/5 done"),),
    )
    assert slack.send(update, delivery_id="d-3").ref == root.ref
    assert [m.ts for m in slack_standin.root_messages("#identity-alerts")] == [root.ref]
    assert [m.ts for m in slack_standin.replies(str(root.ref))] == [reply.ref]
    assert len(slack_standin.updates(str(root.ref))) == 1
    assert "3/5 done" in json.dumps(slack_standin.message(str(root.ref)).blocks)


def test_posts_carry_delivery_metadata_and_never_unfurl(slack_standin: SlackStandIn) -> None:
    channel_for(slack_standin).send(root_alert(), delivery_id="d-9")
    (call,) = slack_standin.calls_to("chat.postMessage")
    assert call.args["metadata"] == {
        "event_type": "vendorwatch_alert",
        "event_payload": {"delivery_id": "d-9", "incident_id": 7},
    }
    assert call.args["unfurl_links"] is False and call.args["unfurl_media"] is False
    assert call.args["text"] == "[HIGH] Okta: Okta breach"


def test_hostile_feed_text_pings_nobody_and_links_nowhere(slack_standin: SlackStandIn) -> None:
    hostile = root_alert(
        title=HOSTILE,
        text=HOSTILE,
        vendor=HOSTILE,
        url="javascript:alert(1)",
        fields=(AlertField(HOSTILE, HOSTILE),),
        links=((HOSTILE, "https://x.example/|<!here>"),),
    )
    channel_for(slack_standin).send(hostile, delivery_id="d-1")
    (call,) = slack_standin.calls_to("chat.postMessage")
    assert call.error is None and block_errors(call.args["blocks"]) == []
    sent = all_text(slack_standin)
    for token in ("<!", "<@", "<http://evil", "<#"):
        assert token not in sent
    assert "<https://x.example/%7C%3C!here%3E|Okta &lt;!channel&gt;" in sent


def test_owner_mentions_from_config_do_ping(slack_standin: SlackStandIn) -> None:
    channel_for(slack_standin).send(root_alert(mentions=("U0OWNER", "S0IAMTEAM")), delivery_id="d-1")
    sent = all_text(slack_standin)
    assert "<@U0OWNER>" in sent and "<!subteam^S0IAMTEAM>" in sent


def test_huge_text_is_truncated_into_valid_blocks(slack_standin: SlackStandIn) -> None:
    fields = tuple(AlertField(f"f{i}" * 50, "v" * 5000) for i in range(60))
    links = tuple((f"l{i}" * 100, f"https://x.example/{'a' * 400}") for i in range(60))
    huge = root_alert(title="T" * 1000, text="<&>" * 40_000, fields=fields, links=links, mentions=("U0OWNER1",) * 80)
    receipt = channel_for(slack_standin).send(huge, delivery_id="d-1")
    (call,) = slack_standin.calls_to("chat.postMessage")
    assert call.error is None and block_errors(call.args["blocks"]) == []
    assert slack_standin.message(str(receipt.ref)).blocks[1]["text"]["text"].endswith("…")


@pytest.mark.parametrize(
    ("failure", "retryable", "retry_after"),
    [
        ((429, {"Retry-After": "1"}), True, 1.0),
        ((500, {}), True, None),
        ((503, {}), True, None),
        ((200, {}, "invalid_auth"), False, None),
        ((200, {}, "channel_not_found"), False, None),
        ((200, {}, "invalid_blocks"), False, None),
    ],
)
def test_api_failures_map_to_retryable_or_final(
    slack_standin: SlackStandIn, failure: Failure, retryable: bool, retry_after: float | None
) -> None:
    slack_standin.fail_next([failure])
    with pytest.raises(DeliveryError) as caught:
        channel_for(slack_standin).send(root_alert(), delivery_id="d-1")
    assert (caught.value.retryable, caught.value.retry_after) == (retryable, retry_after)
    assert slack_standin.root_messages("#identity-alerts") == []


def test_wrong_token_is_final(slack_standin: SlackStandIn) -> None:
    with pytest.raises(DeliveryError, match="invalid_auth") as caught:
        channel_for(slack_standin, token="xoxb-wrong").send(root_alert(), delivery_id="d-1")
    assert not caught.value.retryable


@pytest.mark.parametrize("mode", ["refuse", "drop"])
def test_unreachable_slack_is_retryable_and_sdk_does_not_resend(slack_standin: SlackStandIn, mode: str) -> None:
    slack_standin.down(mode)
    with pytest.raises(DeliveryError) as caught:
        channel_for(slack_standin).send(root_alert(), delivery_id="d-1")
    assert caught.value.retryable
    assert len(slack_standin.calls_to("chat.postMessage")) == (1 if mode == "drop" else 0)
    slack_standin.up()
    assert channel_for(slack_standin).send(root_alert(), delivery_id="d-1").ref


def test_token_never_in_errors_or_logs(slack_standin: SlackStandIn, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    slack = channel_for(slack_standin)
    slack.send(root_alert(), delivery_id="d-0")
    slack_standin.fail_next([(429, {"Retry-After": "1"}), (500, {}), (200, {}, "invalid_auth")])
    errors = []
    for _ in range(3):
        with pytest.raises(DeliveryError) as caught:
            slack.send(root_alert(), delivery_id="d-1")
        errors.append(f"{caught.value!s} {caught.value!r} {caught.value.__cause__!r}")
    slack_standin.down()
    with pytest.raises(DeliveryError) as caught:
        slack.send(root_alert(), delivery_id="d-2")
    errors.append(f"{caught.value!s} {caught.value!r} {caught.value.__cause__!r}")
    assert TOKEN not in " ".join(errors) + caplog.text + repr(slack.settings) + str(slack.settings)


def test_find_sent_recovers_a_root_whose_receipt_was_lost(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    first = slack.send(root_alert(), delivery_id="d-lost")
    slack.send(root_alert(incident_id=8), delivery_id="d-other")
    cid = slack_standin.channel_id("#identity-alerts")
    assert slack.find_sent("d-lost", cid) == first
    assert slack.find_sent("d-never-sent", cid) is None
    assert slack.find_sent("d-lost", cid, oldest=first.ref) is None
    (call,) = slack_standin.calls_to("conversations.history")[:1]
    assert call.args["include_all_metadata"] in ("1", "true", True)


def test_find_sent_recovers_a_reply_in_its_thread(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    root = slack.send(root_alert(), delivery_id="d-root")
    reply = slack.send(root_alert(kind="reply", channel=root.channel, thread_ref=root.ref), delivery_id="d-r1")
    cid = str(root.channel)
    assert slack.find_sent("d-r1", cid, thread_ref=root.ref) == reply
    assert slack.find_sent("d-r2", cid, thread_ref=root.ref) is None
    assert slack.find_sent("d-r1", cid) is None  # replies are not in the channel history


def test_update_keeps_root_findable_by_its_delivery_id(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    root = slack.send(root_alert(), delivery_id="d-root")
    slack.send(root_alert(kind="update", channel=root.channel, thread_ref=root.ref), delivery_id="d-upd")
    assert slack.find_sent("d-root", str(root.channel)) == root


def test_update_or_reply_without_thread_ref_is_final(slack_standin: SlackStandIn) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for(slack_standin).send(root_alert(kind="reply"), delivery_id="d-1")
    assert not caught.value.retryable


def test_caller_fields_replace_defaults_and_links_appear_once(slack_standin: SlackStandIn) -> None:
    alert = root_alert(
        fields=(AlertField("Severity", "high (72)"), AlertField("Vendor", "Okta (critical)")),
        links=(("okta-feed", "https://sec.okta.example/advisory"), ("cisa", "https://cisa.example/a")),
    )
    channel_for(slack_standin).send(alert, delivery_id="d-1")
    sent = all_text(slack_standin)
    assert sent.count("Severity") == 1 and sent.count("*Vendor*") == 1 and "high (72)" in sent
    assert sent.count("https://sec.okta.example/advisory") == 1 and "https://cisa.example/a" in sent
