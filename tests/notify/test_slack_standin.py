"""The Slack stand-in behaves like Slack where our tests depend on it."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.slack_standin import TOKEN, SlackStandIn


def client(standin: SlackStandIn, token: str = TOKEN) -> WebClient:
    return WebClient(token=token, base_url=standin.api_url, retry_handlers=[])


def test_rejects_blocks_over_slack_limits(slack_standin: SlackStandIn) -> None:
    too_many = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    for blocks in (too_many, too_long):
        with pytest.raises(SlackApiError) as caught:
            client(slack_standin).chat_postMessage(channel="#c", text="t", blocks=blocks)
        assert caught.value.response["error"] == "invalid_blocks"


def test_requires_the_bearer_token(slack_standin: SlackStandIn) -> None:
    assert client(slack_standin).auth_test()["ok"]
    with pytest.raises(SlackApiError) as caught:
        client(slack_standin, token="xoxb-other").auth_test()
    assert caught.value.response["error"] == "invalid_auth"


def test_scripted_failures_can_target_one_method_and_ts_increase(slack_standin: SlackStandIn) -> None:
    slack_standin.fail_next([(500, {})], method="chat.postMessage")
    web = client(slack_standin)
    assert web.auth_test()["ok"]
    with pytest.raises(SlackApiError):
        web.chat_postMessage(channel="#c", text="first")
    ts = [web.chat_postMessage(channel="#c", text=str(i))["ts"] for i in range(3)]
    assert ts == sorted(ts) and len(set(ts)) == 3
    assert [c.status for c in slack_standin.calls_to("chat.postMessage")] == [500, 200, 200, 200]


def test_update_needs_a_channel_id_like_slack(slack_standin: SlackStandIn) -> None:
    posted = client(slack_standin).chat_postMessage(channel="#c", text="root")
    with pytest.raises(SlackApiError) as caught:
        client(slack_standin).chat_update(channel="#c", ts=posted["ts"], text="new")
    assert caught.value.response["error"] == "channel_not_found"
    client(slack_standin).chat_update(channel=posted["channel"], ts=posted["ts"], text="new")
    assert slack_standin.message(posted["ts"]).text == "new"
