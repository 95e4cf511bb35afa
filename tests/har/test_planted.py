"""Issue #17 acceptance: 80+ planted secrets in every place a HAR holds text; after sanitising, none is left.

Each secret is asserted by value, in the raw output and in every decoded view of it (JSON strings,
URL-decoding twice, base64 bodies and frames), and so is a 16-character core of it (no partial survivor).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.har.conftest import KEY
from tests.har.planted_bodies import planted_har80
from vendorwatch.har import sanitize_har, scan_har

HAR, SECRETS = planted_har80()


def views(node: object) -> list[str]:
    """Every string of the parsed output, URL-decoded twice and base64-decoded where that works."""
    if isinstance(node, dict):
        return [s for v in node.values() for s in views(v)]
    if isinstance(node, list):
        return [s for v in node for s in views(v)]
    if not isinstance(node, str):
        return []
    out = [node, unquote(node), unquote(unquote(node))]
    if node[:1] in "{[":
        with contextlib.suppress(ValueError):
            out += views(json.loads(node))
    with contextlib.suppress(binascii.Error, ValueError):
        out.append(base64.b64decode(node, validate=True).decode("latin-1"))
    return out


@pytest.fixture(scope="module")
def sanitized(tmp_path_factory: pytest.TempPathFactory) -> str:
    src = tmp_path_factory.mktemp("planted") / "planted.har"
    src.write_text(json.dumps(HAR, indent=1), encoding="utf-8")
    dst = src.with_name("clean.har")
    sanitize_har(src, dst, KEY)
    text = dst.read_text(encoding="utf-8")
    return "\n".join([text, *views(json.loads(text))])


def test_there_are_at_least_80_distinct_secrets_all_present_before():
    raw = json.dumps(HAR)
    assert len({v for _, v in SECRETS}) == len(SECRETS) >= 80
    assert [place for place, v in SECRETS if v not in "\n".join([raw, *views(HAR)])] == []


@pytest.mark.parametrize(("place", "value"), SECRETS, ids=[place for place, _ in SECRETS])
def test_secret_does_not_survive(sanitized: str, place: str, value: str):
    core = value[len(value) // 2 - 8 : len(value) // 2 + 8] if len(value) >= 24 else value
    assert value not in sanitized and core not in sanitized


def test_scan_reports_every_place_and_nothing_after(tmp_path: Path):
    src, dst = tmp_path / "p.har", tmp_path / "c.har"
    src.write_text(json.dumps(HAR), encoding="utf-8")
    assert len(list(scan_har(src, KEY))) >= len(SECRETS)
    sanitize_har(src, dst, KEY)
    assert list(scan_har(dst, KEY)) == []


def test_output_mode_is_the_stricter_of_input_and_0600(tmp_path: Path):
    for mode, expected in ((0o644, 0o600), (0o600, 0o600), (0o400, 0o400), (0o640, 0o600)):
        src, dst = tmp_path / f"{mode:o}.har", tmp_path / f"{mode:o}.clean.har"
        src.write_text(json.dumps(HAR), encoding="utf-8")
        os.chmod(src, mode)
        sanitize_har(src, dst, KEY)
        assert (dst.stat().st_mode & 0o777) == expected
