"""Escaping untrusted text for Slack mrkdwn, links we build, mentions and truncation."""

from __future__ import annotations

from notify.mrkdwn import escape, escape_truncated, link, mention
from notify.text import strip_controls, truncate

HOSTILE = "<!channel> <!here> <!everyone> <@U123> <#C123> <http://evil.example|click> &lt;!here&gt; *bold*"


def test_escape_replaces_ampersand_first_then_angle_brackets() -> None:
    assert escape("a & <b> > c") == "a &amp; &lt;b&gt; &gt; c"
    # A pre-escaped entity from a feed must show literally, not decode into a control character.
    assert escape("&lt;!here&gt;") == "&amp;lt;!here&amp;gt;"


def test_hostile_feed_text_contains_no_control_characters_after_escaping() -> None:
    escaped = escape(HOSTILE)
    assert "<" not in escaped and ">" not in escaped
    assert "*bold*" in escaped  # formatting is cosmetic and left alone


def test_truncation_never_splits_an_entity() -> None:
    out = escape_truncated("&" * 5000, 3000)
    assert len(out) <= 3000 and out.endswith("…")
    assert out[:-1].replace("&amp;", "") == ""


def test_truncation_keeps_short_text_and_marks_cut_text() -> None:
    assert escape_truncated("short", 10) == "short"
    assert truncate("x" * 20, 10) == "x" * 9 + "…"
    assert escape_truncated("line one\nline two", 100, single_line=True) == "line one line two"


def test_links_are_http_only_with_url_delimiters_encoded_and_label_escaped() -> None:
    assert link("https://status.example/a|b<c>", "<!channel> status") == (
        "<https://status.example/a%7Cb%3Cc%3E|&lt;!channel&gt; status>"
    )
    assert link("javascript:alert(1)", "click") == "click"
    assert link("file:///etc/passwd", "x") == "x"
    assert link("https://a.example/ x", "spaces") == "spaces"
    assert link(None, "") == "link"


def test_mentions_only_for_slack_ids() -> None:
    assert mention("U123ABC") == "<@U123ABC>"
    assert mention("S0PLATFORM") == "<!subteam^S0PLATFORM>"
    assert mention("<!channel>") == "&lt;!channel&gt;"
    assert mention("here") == "here"


def test_control_characters_are_removed_but_lines_kept() -> None:
    assert strip_controls("red\x1b[31m\x07 text\r\nnext\u202e") == "red text\nnext"
