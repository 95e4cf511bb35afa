"""sanitize_har: a valid HAR of the same shape in which no planted secret survives, in any encoding."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path

from tests.har.builders import Planted, entry, header, secret
from tests.har.conftest import KEY
from vendorwatch.har import fingerprints_of, sanitize_har, scan_har


def sanitized(planted: tuple[Path, list[Planted]]) -> tuple[Path, bytes]:
    src, _ = planted
    dst = src.with_name("clean.har")
    sanitize_har(src, dst, KEY)
    return dst, dst.read_bytes()


def with_decoded_bodies(out: bytes) -> bytes:
    """The output bytes plus every base64 response body decoded."""
    entries = json.loads(out)["log"]["entries"]
    contents = [e["response"]["content"] for e in entries]
    return out + b"".join(base64.b64decode(c["text"]) for c in contents if c.get("encoding") == "base64")


def key_shape(node: object) -> object:
    if isinstance(node, dict):
        return {k: key_shape(v) for k, v in node.items()}
    if isinstance(node, list):
        return [key_shape(v) for v in node]
    return type(node).__name__


def test_output_is_a_har_of_the_same_shape(planted):
    src, _ = planted
    _, out = sanitized(planted)
    before, after = json.loads(src.read_bytes()), json.loads(out)
    assert after["log"]["version"] == "1.2"
    assert len(after["log"]["entries"]) == len(before["log"]["entries"])
    assert key_shape(after) == key_shape(before)


def test_rescan_finds_nothing(planted):
    dst, _ = sanitized(planted)
    assert list(scan_har(dst, KEY)) == []


def test_no_planted_secret_remains_in_the_bytes_or_decoded_bodies(planted):
    _, secrets = planted
    _, out = sanitized(planted)
    everything = with_decoded_bodies(out)
    assert [p.value for p in secrets if p.value.encode() in everything] == []
    jwt_payloads = [p.value.split(".")[1] for p in secrets if p.value.startswith("eyJ")]
    assert jwt_payloads and [jp for jp in jwt_payloads if jp.encode() in out] == []


def test_same_token_gets_the_same_placeholder_everywhere(planted):
    _, out = sanitized(planted)
    callback = json.loads(out)["log"]["entries"][0]
    in_url = callback["request"]["url"].split("code=")[1].split("&")[0]
    assert in_url.startswith("REDACTED-oauth-code-")
    assert callback["request"]["queryString"][0]["value"] == in_url
    token = json.loads(json.loads(out)["log"]["entries"][1]["response"]["content"]["text"])["access_token"]
    assert json.loads(out)["log"]["entries"][2]["request"]["headers"][0]["value"] == f"Bearer {token}"


def test_only_the_secret_part_of_a_string_is_replaced(planted):
    _, out = sanitized(planted)
    callback = json.loads(out)["log"]["entries"][0]
    assert callback["request"]["headers"][0]["value"].endswith("; consent=1")
    set_cookie = callback["response"]["headers"][0]
    assert set_cookie["name"] == "Set-Cookie" and set_cookie["value"].endswith("; Path=/; HttpOnly")
    assert "&token_type=bearer&" in callback["response"]["redirectURL"]


def test_placeholders_carry_the_scan_fingerprints(planted):
    src, _ = planted
    _, out = sanitized(planted)
    everything = with_decoded_bodies(out)
    assert [fp for _, fp in fingerprints_of(src, KEY) if fp.encode() not in everything] == []


def test_report_counts_and_logs_hold_no_secret(planted, caplog):
    src, secrets = planted
    caplog.set_level(logging.DEBUG)
    report = sanitize_har(src, src.with_name("out.har"), KEY)
    assert report.entries == len(json.loads(src.read_text())["log"]["entries"])
    assert report.replaced == len([p for p in secrets if p.kind])
    assert [p.value for p in secrets if p.value in repr(report) + caplog.text] == []


def test_sanitizing_in_place_works(tmp_path):
    token = secret("InPlace1")
    path = tmp_path / "a.har"
    path.write_text(
        json.dumps(
            {"log": {"version": "1.2", "entries": [entry({"headers": [header("Authorization", f"Bearer {token}")]})]}}
        )
    )
    sanitize_har(path, path, KEY)
    assert token not in path.read_text() and list(scan_har(path, KEY)) == []


def test_kept_binary_body_round_trips_except_the_secret(tmp_path):
    token = secret("Binary1")
    body = b"\x89PNG\x00\xff" + f"?access_token={token}&x=1".encode() + bytes(range(256))
    content = {
        "size": len(body),
        "mimeType": "image/png",
        "encoding": "base64",
        "text": base64.b64encode(body).decode(),
    }
    src, dst = tmp_path / "b.har", tmp_path / "c.har"
    src.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry({}, {"content": content})]}}))
    sanitize_har(src, dst, KEY, keep_binary=True)
    out = base64.b64decode(json.loads(dst.read_text())["log"]["entries"][0]["response"]["content"]["text"])
    assert token.encode() not in out
    assert out.startswith(b"\x89PNG\x00\xff?access_token=REDACTED-") and out.endswith(b"&x=1" + bytes(range(256)))


def one_entry_har(tmp_path: Path, request: dict[str, object], response: dict[str, object]) -> Path:
    path = tmp_path / "edge.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry(request, response)]}}))
    return path


def test_encoded_and_split_forms_are_found_and_removed(tmp_path):
    pw, code, c1, c2, at = (secret(n) for n in ("Pct1", "H2Path1", "Multi1", "Multi2", "Slash1"))
    request = {
        "headers": [header(":path", f"/cb?code={code}")],
        "postData": {"mimeType": "application/x-www-form-urlencoded", "text": f"password=a%40{pw}%21"},
    }
    body = '{"access_token":"' + at + '\\/x"}'  # PHP-style escaped slash inside the value
    response = {
        "headers": [header("set-cookie", f"a={c1}; Path=/\nb={c2}; Secure")],
        "content": {"size": 1, "mimeType": "application/json", "text": body},
    }
    src, dst = one_entry_har(tmp_path, request, response), tmp_path / "out.har"
    kinds = sorted(f.kind for f in scan_har(src, KEY))
    assert kinds == ["access-token", "oauth-code", "password", "set-cookie", "set-cookie"]
    sanitize_har(src, dst, KEY)
    assert [s for s in (pw, code, c1, c2, at) if s in dst.read_text()] == []


def test_sanitizing_twice_gives_the_same_bytes(planted):
    src, _ = planted
    a, b = src.with_name("a.har"), src.with_name("b.har")
    sanitize_har(src, a, KEY)
    sanitize_har(src, b, KEY)
    assert a.read_bytes() == b.read_bytes()


def test_strict_mode_replaces_binary_and_unknown_encodings_and_stays_valid(tmp_path):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + secret("Qr1").encode() + bytes(range(256))).decode()
    contents = [
        {"size": 9, "mimeType": "image/png", "encoding": "base64", "text": png},
        {"size": 9, "mimeType": "text/plain", "encoding": "quoted-printable", "text": f"k={secret('Qp1')}"},
    ]
    frame = {"type": "receive", "time": 1.0, "opcode": 2, "data": base64.b64encode(b"\xff\xfe" + bytes(64)).decode()}
    src, dst = tmp_path / "s.har", tmp_path / "d.har"
    har = {"log": {"version": "1.2", "entries": [entry({}, {"content": c}) for c in contents]}}
    har["log"]["entries"][0]["_webSocketMessages"] = [frame]
    src.write_text(json.dumps(har))
    report = sanitize_har(src, dst, KEY)
    out = json.loads(dst.read_text())["log"]["entries"]
    assert base64.b64decode(out[0]["response"]["content"]["text"]).startswith(b"REDACTED-binary-body-")
    assert base64.b64decode(out[0]["_webSocketMessages"][0]["data"]).startswith(b"REDACTED-binary-frame-")
    assert out[1]["response"]["content"]["text"].startswith("REDACTED-unknown-encoding-")
    assert "encoding" not in out[1]["response"]["content"]
    assert dict(report.by_kind) == {"binary-body": 1, "binary-frame": 1, "unknown-encoding": 1}
