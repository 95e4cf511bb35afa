"""Fuzzing the HAR reader's entry point: any file is scanned or refused with a HarError, nothing else."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, TEXT, mutated
from tests.har.conftest import KEY
from vendorwatch.har import HarError, scan_har

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
)
NAME = st.sampled_from(["Authorization", "Cookie", "X-Api-Key"]) | TEXT
HEADER = st.fixed_dictionaries({"name": NAME, "value": TEXT})
ENTRY = st.fixed_dictionaries(
    {},
    optional={
        "request": st.fixed_dictionaries(
            {}, optional={"url": TEXT, "headers": st.lists(HEADER, max_size=2), "other": JSON}
        ),
        "response": st.fixed_dictionaries({}, optional={"content": st.dictionaries(TEXT, JSON, max_size=2)}),
        "extra": JSON,
    },
)
HAR = st.fixed_dictionaries({"log": st.fixed_dictionaries({"entries": st.lists(ENTRY, max_size=3)})}) | JSON


def _scan(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.har"
        path.write_bytes(data)
        try:
            findings = list(scan_har(path, KEY))
        except HarError as exc:
            assert str(exc).startswith(str(path))
            event(f"refused: {exc.reason[:40]}")
            return
        event(f"read, {'some' if findings else 'no'} findings")


@FUZZ
@given(st.data(), HAR)
def test_har_reader(data: st.DataObject, har: Any) -> None:
    _scan(data.draw(mutated(json.dumps(har).encode())))


@FUZZ
@given(st.binary(max_size=200))
def test_har_reader_any_bytes(data: bytes) -> None:
    _scan(data)
