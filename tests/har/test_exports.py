"""Sanitised DevTools (Chrome, Firefox), Charles and Fiddler exports stay valid HAR 1.2 and open in haralyzer."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from haralyzer import HarParser

from tests.har.conftest import KEY
from tests.har.exports import EXPORTS, SID, TOKEN
from vendorwatch.har import sanitize_har, scan_har

SCHEMA = json.loads((Path(__file__).parent / "har12.schema.json").read_text())


@pytest.fixture(params=sorted(EXPORTS))
def export(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    src, dst = tmp_path / f"{request.param}.har", tmp_path / "clean.har"
    src.write_text(json.dumps(EXPORTS[request.param](), indent=2), encoding="utf-8")
    sanitize_har(src, dst, KEY)
    assert list(scan_har(dst, KEY)) == []
    return json.loads(src.read_text()), json.loads(dst.read_text())


def test_input_and_output_are_valid_har_1_2(export):
    before, after = export
    jsonschema.validate(before, SCHEMA)
    jsonschema.validate(after, SCHEMA)


def requests_of(har: dict[str, object]) -> list[tuple[str, int, str]]:
    """(url, status, MIME type) of each entry, as haralyzer reads them, in its page order."""
    pages = HarParser(har).pages
    return sorted((e.request.url, e.response.status, e.response.mimeType) for p in pages for e in p.entries)


def test_output_opens_in_haralyzer_with_the_same_requests(export):
    before, after = export
    assert requests_of(after) == requests_of(before) and len(requests_of(after)) >= 3


def test_secrets_go_and_everything_else_stays(export):
    before, after = export
    text = json.dumps(after)
    assert TOKEN not in text and SID not in text and "Wq7%23zL9pXv" not in text
    assert after["log"]["creator"] == before["log"]["creator"]
    assert "page=2" in text and '"/home"' in text and "alpha" in text
