"""Bad input: a typed HarError naming the file and where, never the content around the error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.har.builders import secret
from tests.har.conftest import KEY
from vendorwatch.har import HarError, sanitize_har, scan_har

LEAK = secret("Leak1")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b'{"log": {"entries": [{"a": ' + LEAK.encode() + b"}]}}", "invalid JSON"),
        (b'{"log": {"entries": [{"a": "' + LEAK.encode(), "invalid JSON"),
        (b'{"log": {"entries": []}} trailing ' + LEAK.encode(), "invalid JSON"),
        (b'["' + LEAK.encode() + b'"]', "not a HAR"),
        (b'{"log": {"version": "1.2"}}', "not a HAR"),
        (b'{"log": {"entries": {"a": 1}}}', "not a HAR"),
        (b'{"log": {"entries": ["' + LEAK.encode() + b'"]}}', "not a HAR"),
        (b'{"other": "' + LEAK.encode() + b'"}', "not a HAR"),
    ],
)
def test_bad_input_raises_har_error_without_content(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.har"
    path.write_bytes(content)
    with pytest.raises(HarError) as info:
        list(scan_har(path, KEY))
    message = str(info.value)
    assert str(path) in message and reason in message
    assert LEAK not in message and LEAK not in repr(info.value)
    # Nothing chained (ijson's own message quotes the input) may surface in a traceback either.
    chained = info.value.__cause__ or (None if info.value.__suppress_context__ else info.value.__context__)
    assert chained is None


def test_invalid_json_names_the_entry_and_a_byte_offset(tmp_path: Path):
    path = tmp_path / "bad.har"
    path.write_bytes(b'{"log": {"entries": [{"a": 1}, {"a": 2}, {"b": ' + LEAK.encode() + b"}]}}")
    with pytest.raises(HarError) as info:
        list(scan_har(path, KEY))
    assert info.value.where == "log.entries[2]"
    assert info.value.offset is not None and 0 < info.value.offset <= path.stat().st_size


def test_missing_file_is_a_har_error(tmp_path: Path):
    with pytest.raises(HarError, match="cannot read"):
        list(scan_har(tmp_path / "absent.har", KEY))


def test_sanitize_of_bad_input_leaves_no_output(tmp_path: Path):
    src, dst = tmp_path / "bad.har", tmp_path / "out.har"
    src.write_bytes(b'{"log": {"entries": [{"a": "' + LEAK.encode())
    with pytest.raises(HarError):
        sanitize_har(src, dst, KEY)
    assert list(tmp_path.iterdir()) == [src]
