"""ConsoleChannel: readable plain text on a stream, synthetic refs so threading still works."""

from __future__ import annotations

import io

from notify.base import Alert, AlertField
from notify.console import ConsoleChannel, ConsoleSettings


def test_root_and_reply_are_readable_and_threaded() -> None:
    out = io.StringIO()
    console = ConsoleChannel(stream=out)
    root = console.send(
        Alert(
            1,
            "root",
            "Okta support breach",
            "Attacker read HAR files.",
            severity="critical",
            vendor="Okta",
            url="https://sec.okta.example/x",
            mentions=("U0IAM",),
            fields=(AlertField("Tasks", "0/3"),),
        ),
        delivery_id="dlv-1",
    )
    reply = console.send(Alert(1, "reply", "Token rotated", "Done by alice.", thread_ref=root.ref), delivery_id="d2")
    text = out.getvalue()
    assert "[NEW INCIDENT] CRITICAL · Okta\nOkta support breach\n\nAttacker read HAR files." in text
    assert "Tasks: 0/3" in text and "Source: https://sec.okta.example/x" in text and "Owners: U0IAM" in text
    assert "  | [FOLLOW-UP] INFO" in text
    assert root.ref == "console:dlv-1" and reply.ref == "console:d2"


def test_terminal_control_sequences_from_feeds_are_removed() -> None:
    out = io.StringIO()
    ConsoleChannel(stream=out).send(Alert(1, "root", "Evil\x1b]0;owned\x07 title", "\x1b[2Jcleared?"), delivery_id="d")
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
    assert "Evil title" in out.getvalue() and "cleared?" in out.getvalue()


def test_long_lines_wrap_to_the_width_and_replies_keep_their_gutter() -> None:
    out = io.StringIO()
    words = "Attackers used OAuth tokens stolen from the Drift integration to export data. " * 8
    console = ConsoleChannel(ConsoleSettings(width=60), stream=out)
    console.send(Alert(1, "reply", "New report: " + words[:150], words, url="https://x.example/a"), delivery_id="d")
    lines = out.getvalue().splitlines()
    assert len(lines) > 8 and max(len(line) for line in lines) <= 60
    assert all(line.startswith("  |") for line in lines[1:])
    assert "  | Source: https://x.example/a" in lines


def test_affected_entries_stay_whole_at_80_columns_and_the_rest_is_counted() -> None:
    from vendorwatch.incidents.alert_facts import first_few, short

    names = [f"Okta Workforce Identity Cloud production tenant number {n} for contractors" for n in range(12)]
    lines = [f"{short(name)} (sso): platform-team, due 2026-12-01 14:00 UTC" for name in names]
    out = io.StringIO()
    alert = Alert(1, "root", "Okta breach", "", fields=(AlertField("Affected", first_few(lines)),))
    ConsoleChannel(ConsoleSettings(width=80), stream=out).send(alert, delivery_id="d")
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    listed = text.split("Affected:\n")[1]
    entries = [" ".join(e.split()) for e in listed.split("  - ")[1:]]  # wrapped lines hang under their entry
    *whole, more = entries
    assert whole and all(
        e == "Okta Workforce Identity Cloud… (sso): platform-team, due 2026-12-01 14:00 UTC" for e in whole
    ), "names cut at a word boundary, owner and due time never"
    assert more == f"and {12 - len(whole)} more"


def test_a_digest_is_a_notice_and_its_bullets_hang_under_their_first_line() -> None:
    task = "task 2 Revoke admin sessions (#1 Okta): owner iam-team, due 2026-12-01 16:17 UTC"
    text = f"Overdue:\n• {task}: `vendorwatch tasks done 2 --by NAME`"
    out = io.StringIO()
    ConsoleChannel(ConsoleSettings(width=80), stream=out).send(
        Alert(0, "root", "[DAILY DIGEST] #a: 1 task overdue", text, severity="medium"), delivery_id="d"
    )
    lines = out.getvalue().splitlines()
    assert lines[1:3] == ["[NOTICE]", "[DAILY DIGEST] #a: 1 task overdue"], "no incident behind it, nor its severity"
    assert lines[-1] == "  UTC: `vendorwatch tasks done 2 --by NAME`" and max(map(len, lines)) <= 80
