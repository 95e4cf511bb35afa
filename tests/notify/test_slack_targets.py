"""SlackChannel's optional capabilities: channel names resolved to ids, lookups of lost sends, rate-limit pauses."""

from __future__ import annotations

import pytest

from notify.base import DeliveryError, Recoverable, Targeted
from notify.console import ConsoleChannel
from notify.slack import SlackChannel, SlackSettings
from tests.notify.test_slack import channel_for, root_alert
from tests.slack_standin import SlackStandIn


def test_slack_declares_targets_and_recovery_and_the_console_neither(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    assert isinstance(slack, Targeted) and isinstance(slack, Recoverable)
    assert slack.default_target == "#identity-alerts" and slack.min_interval_s == 1.0
    assert not isinstance(ConsoleChannel(), Targeted) and not isinstance(ConsoleChannel(), Recoverable)


def test_a_channel_name_resolves_to_its_id_across_list_pages(slack_standin: SlackStandIn) -> None:
    for n in range(5):
        slack_standin.channel_id(f"#other-{n}")
    wanted = slack_standin.channel_id("#identity-alerts")
    slack_standin.list_page = 2
    slack = channel_for(slack_standin)
    assert slack.resolve_target("#identity-alerts") == wanted
    assert slack.resolve_target("#no-such-channel") is None
    assert len(slack_standin.calls_to("conversations.list")) == 6, "three pages, read to the end for a miss"
    assert slack.is_target_id(wanted) and not slack.is_target_id("#identity-alerts")


def test_without_channels_read_resolving_fails_for_good_naming_the_scope(slack_standin: SlackStandIn) -> None:
    slack_standin.scopes.discard("channels:read")
    with pytest.raises(DeliveryError) as caught:
        channel_for(slack_standin).resolve_target("#identity-alerts")
    assert not caught.value.retryable and caught.value.code == "missing_scope"
    assert "channels:read" in str(caught.value)


def test_a_rate_limit_without_retry_after_still_pauses_a_second(slack_standin: SlackStandIn) -> None:
    slack_standin.fail_next([(429, {})])
    with pytest.raises(DeliveryError) as caught:
        channel_for(slack_standin).send(root_alert(), delivery_id="d1")
    assert caught.value.retryable and caught.value.retry_after == 1.0


def test_a_post_to_an_id_slack_does_not_know_is_channel_not_found(slack_standin: SlackStandIn) -> None:
    settings = SlackSettings(channel="C0GONE0001", token=slack_standin.token, api_url=slack_standin.api_url)
    with pytest.raises(DeliveryError) as caught:
        SlackChannel(settings).send(root_alert(), delivery_id="d1")
    assert not caught.value.retryable and caught.value.code == "channel_not_found"


def test_missing_scopes_are_named_with_their_risk(slack_standin: SlackStandIn) -> None:
    slack = channel_for(slack_standin)
    assert slack.problems() == []
    slack_standin.scopes = {"chat:write", "groups:history"}  # a private channel's history scope counts
    [problem] = slack.problems()
    assert "channels:read" in problem and "double" in problem
