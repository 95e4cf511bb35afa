"""Fixtures: a planted HAR on disk and the key used to fingerprint it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.har.builders import Planted, planted_har

KEY = b"test-fingerprint-key"


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, list[Planted]]:
    har, secrets = planted_har()
    path = tmp_path / "support-case.har"
    path.write_text(json.dumps(har, indent=2), encoding="utf-8")
    return path, secrets
