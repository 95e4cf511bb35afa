"""Fuzzing the three registry importers: any file is either read or refused with a located
RegistryImportError, never an unexpected exception; what is read round-trips through its own writer."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from registry.errors import RegistryImportError
from registry.fileformat import CSV_COLUMNS, load_file
from registry.writers import dump_csv, dump_json, dump_yaml
from tests.fuzzing import DURATION, FUZZ, SCALAR, TEXT, mutated

# Mostly valid names, so that files are often read and their round trip is checked too.
NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=20) | TEXT
ANY = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3))
LISTS = st.lists(TEXT, max_size=3) | SCALAR
CREDENTIAL = st.fixed_dictionaries(
    {"name": NAME, "kind": NAME},
    optional={"owner": TEXT, "rotation_sla": DURATION, "rotate_command": TEXT, "rotate_webhook_env": TEXT},
)
DEPENDENCY = st.fixed_dictionaries(
    {"name": NAME, "kind": NAME},
    optional={
        "revocation_sla": DURATION,
        "users": SCALAR,
        "trust_width": SCALAR,
        "reaches": LISTS,
        "token_binding": TEXT,
        "privilege_scope": TEXT,
        "credentials": st.lists(CREDENTIAL, max_size=2),
    },
)
VENDOR = st.fixed_dictionaries(
    {"name": NAME},
    optional={
        "criticality": st.sampled_from(["critical", "high", "low", "severe"]),
        "aliases": LISTS,
        "domains": LISTS,
        "users": SCALAR,
        "review_cadence": DURATION,
        "notes": TEXT,
        "owner": TEXT,
        "dependencies": st.lists(DEPENDENCY, max_size=2),
        "colour": ANY,
    },
)
DOCUMENT = st.fixed_dictionaries({"vendors": st.lists(VENDOR, max_size=3)}, optional={"other": ANY}) | ANY


def _load(data: bytes, suffix: str) -> list[Any] | None:
    """The specs read from `data`, or None when refused; anything else than a located refusal fails."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"registry.{suffix}"
        path.write_bytes(data)
        try:
            specs = load_file(path)
        except RegistryImportError as exc:
            assert str(exc).startswith(str(path)) and exc.reason
            assert str(exc).isprintable(), "no control character of the input reaches the terminal"
            event(f"refused: {exc.reason.split(' (')[0].split(chr(39))[0][:40]}")  # the rule, not the value
            return None
        event("read")
        return specs


def _round_trips(specs: list[Any] | None, dump: Any, suffix: str) -> None:
    if specs is not None:
        again = _load(dump(specs).encode(), suffix)
        assert again is not None and dump_yaml(again) == dump_yaml(specs)


@FUZZ
@given(st.data(), DOCUMENT)
def test_yaml_importer(data: st.DataObject, doc: Any) -> None:
    text = yaml.safe_dump(doc, allow_unicode=data.draw(st.booleans()))
    _round_trips(_load(data.draw(mutated(text.encode())), "yaml"), dump_yaml, "yaml")


@FUZZ
@given(st.data(), DOCUMENT)
def test_json_importer(data: st.DataObject, doc: Any) -> None:
    text = json.dumps(doc, ensure_ascii=data.draw(st.booleans()), allow_nan=True)
    _round_trips(_load(data.draw(mutated(text.encode())), "json"), dump_json, "json")


@FUZZ
@given(
    st.data(),
    st.lists(st.sampled_from([*CSV_COLUMNS, "colour", ""]), min_size=1, max_size=8),
    st.lists(st.lists(TEXT | DURATION.map(str), max_size=10), max_size=4),
)
def test_csv_importer(data: st.DataObject, extra: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=data.draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(["vendor", "criticality", "dependency", "dependency_kind", "credential", "credential_kind", *extra])
    writer.writerows(rows)
    _round_trips(_load(data.draw(mutated(out.getvalue().encode())), "csv"), dump_csv, "csv")


@FUZZ
@given(st.binary(max_size=200), st.sampled_from(["yaml", "json", "csv"]))
def test_any_bytes(data: bytes, suffix: str) -> None:
    _load(data, suffix)


VALID_NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12)
SLA = st.sampled_from(["1m", "30m", "4h", "2d", "1w", "730d"])
VALID_VENDOR = st.fixed_dictionaries(
    {"name": VALID_NAME, "criticality": st.sampled_from(["critical", "high", "medium", "low"])},
    optional={
        "aliases": st.lists(VALID_NAME, max_size=2),
        "notes": st.text(max_size=30),
        "users": st.integers(0, 9),
        "review_cadence": st.sampled_from(["1d", "90d"]),
        "owner": VALID_NAME,
        "dependencies": st.lists(
            st.fixed_dictionaries(
                {"name": VALID_NAME, "kind": VALID_NAME},
                optional={
                    "revocation_sla": SLA,
                    "reaches": st.lists(VALID_NAME, max_size=2),
                    "credentials": st.lists(
                        st.fixed_dictionaries({"name": VALID_NAME, "kind": VALID_NAME}, optional={"rotation_sla": SLA}),
                        max_size=2,
                    ),
                },
            ),
            max_size=2,
        ),
    },
)


@FUZZ
@given(st.lists(VALID_VENDOR, max_size=3))
def test_what_one_format_reads_every_format_writes_back_unchanged(vendors: list[Any]) -> None:
    specs = _load(yaml.safe_dump({"vendors": vendors}).encode(), "yaml")
    for dump, suffix in ((dump_csv, "csv"), (dump_json, "json"), (dump_yaml, "yaml")):
        _round_trips(specs, dump, suffix)
