"""scan_har: every planted secret is found with its kind and location; the secret never leaks."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from pathlib import Path

import pytest

from tests.har.builders import Planted, entry, header, planted_har, secret
from tests.har.conftest import KEY
from vendorwatch.har import fingerprints_of, scan_har, scan_summary


def hmac16(key: bytes, value: str) -> str:
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def write_har(tmp_path: Path, entries: list[dict[str, object]]) -> Path:
    path = tmp_path / "one.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def test_finds_every_planted_secret_with_kind_location_and_fingerprint(planted: tuple[Path, list[Planted]]):
    path, secrets = planted
    found = {(f.kind, f.location, f.fingerprint) for f in scan_har(path, KEY)}
    expected = {(p.kind, p.location, hmac16(KEY, p.value)) for p in secrets if p.kind}
    assert len(expected) >= 25
    assert expected - found == set()


def test_reports_nothing_beyond_the_planted_secrets(planted: tuple[Path, list[Planted]]):
    path, secrets = planted
    expected = {(p.kind, p.location) for p in secrets if p.kind}
    assert {(f.kind, f.location) for f in scan_har(path, KEY)} == expected


def test_findings_reprs_and_logs_never_hold_a_secret(planted, caplog):
    path, secrets = planted
    caplog.set_level(logging.DEBUG)
    text = repr(list(scan_har(path, KEY))) + str(scan_summary(path, KEY)) + caplog.text
    assert [p.value for p in secrets if p.value in text] == []


def test_same_token_in_two_places_has_one_fingerprint(planted):
    path, _ = planted
    codes = {f.fingerprint for f in scan_har(path, KEY) if f.location.startswith("entries[0]") and "code" in f.location}
    assert len(codes) == 1


def test_a_different_key_gives_different_fingerprints(planted):
    path, _ = planted
    ours, theirs = fingerprints_of(path, KEY), fingerprints_of(path, b"another-key")
    assert {fp for _, fp in ours}.isdisjoint({fp for _, fp in theirs})
    assert {kind for kind, _ in ours} == {kind for kind, _ in theirs}


def test_summary_counts_findings_and_distinct_secrets(planted):
    path, secrets = planted
    summary = scan_summary(path, KEY)
    assert summary.total == len([p for p in secrets if p.kind])
    assert summary.distinct < summary.total  # repeated tokens count once
    assert dict(summary.by_kind)["password"] == 3


@pytest.mark.parametrize(
    "value",
    ["", "REDACTED", "********", "[REDACTED]", "REDACTED-cookie-0123456789abcdef", "xxxxxxxx"],
)
def test_placeholders_and_masked_values_are_not_findings(tmp_path, value):
    request = {
        "headers": [header("Cookie", f"sid={value}"), header("Authorization", f"Bearer {value}")],
        "queryString": [header("access_token", value)],
        "url": f"https://a.example/?code={value}",
    }
    assert list(scan_har(write_har(tmp_path, [entry(request)]), KEY)) == []


def test_error_codes_in_json_are_not_oauth_codes(tmp_path):
    body = json.dumps({"code": "invalid_request_parameter", "state": "pending-approval"})
    response = {"content": {"size": 1, "mimeType": "application/json", "text": body}}
    assert list(scan_har(write_har(tmp_path, [entry({}, response)]), KEY)) == []


def test_pages_and_other_log_fields_are_scanned_too(tmp_path):
    har, _ = planted_har()
    har["log"]["pages"][0]["title"] = f"https://app.example.com/cb?access_token={secret('PageTok')}"
    path = tmp_path / "pages.har"
    path.write_text(json.dumps(har))
    assert "pages[0].title ?access_token" in {f.location for f in scan_har(path, KEY)}


def test_unreadable_content_is_a_finding_unless_kept_and_never_a_ledger_token(tmp_path):
    png = {"size": 9, "mimeType": "image/png", "encoding": "base64", "text": "iVBORw0KGgoAAAANSUhEUgAA"}
    odd = {"size": 9, "mimeType": "text/plain", "encoding": "x-gzip", "text": "H4sIAAAAAAAAA8tIzcnJBwCGphA2"}
    path = write_har(tmp_path, [entry({}, {"content": png}), entry({}, {"content": odd})])
    assert sorted(f.kind for f in scan_har(path, KEY)) == ["binary-body", "unknown-encoding"]
    assert list(scan_har(path, KEY, keep_binary=True)) == []
    assert fingerprints_of(path, KEY) == set()


def test_fingerprints_are_stable_across_runs(planted):
    path, _ = planted
    first = [(f.kind, f.location, f.fingerprint) for f in scan_har(path, KEY)]
    assert first == [(f.kind, f.location, f.fingerprint) for f in scan_har(path, KEY)]
    planted_fps = {hmac16(KEY, p.value) for p in planted[1] if p.kind}
    assert planted_fps <= {fp for _, _, fp in first}  # HMAC-SHA256(key, secret)[:16], the ledger's contract
