"""Every registered source kind honours the Source contract and has its own test module."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from connectors import SOURCES, SourceConfig, SourceError, make_source

HERE = Path(__file__).parent


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_kind_has_a_test_module(kind):
    module = inspect.getmodule(SOURCES[kind])
    assert module is not None
    assert (HERE / f"test_{module.__name__.rsplit('.', 1)[-1]}.py").exists()


@pytest.mark.parametrize("kind", sorted(SOURCES))
@pytest.mark.parametrize("body", [b"", b"\x00\xff\xfe garbage", b"<html><body>hi</body></html>", b"{}", b"[]", b"null"])
def test_garbage_raises_source_error_only(kind, body):
    source = make_source(SourceConfig(id="c", url="https://example.com/", kind=kind))
    assert source.config.kind == kind
    with pytest.raises(SourceError):
        source.parse(body, {})


def test_unknown_kind_is_a_source_error():
    with pytest.raises(SourceError, match="unknown source kind"):
        make_source(SourceConfig(id="c", url="https://example.com/", kind="nope"))


def test_the_kinds_settings_accept_are_the_registered_ones():
    from connectors import KINDS

    assert sorted(KINDS) == sorted(SOURCES)
