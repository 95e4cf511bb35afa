"""The ledger of support artifacts given to vendors: fingerprints of the tokens they hold, never the tokens."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from registry.db import sqlite_file
from registry.durations import clamp_sla
from registry.models import Artifact, AuditEvent, Incident, Vendor
from registry.repo import artifacts, tasks
from registry.repo.vendors import find_vendor, shortest_revocation_sla_s
from registry.vocab import TaskStatus
from vendorwatch.har import scan_har
from vendorwatch.har.model import UNREAD_KINDS
from vendorwatch.settings import Settings

logger = logging.getLogger(__name__)

KEY_FILE = ".vendorwatch-fingerprint.key"
DEFAULT_REVOKE_SLA = timedelta(hours=4)


def key_file_path(settings: Settings) -> Path:
    """Where the generated fingerprint key lives: beside the SQLite database, else the working directory."""
    database = sqlite_file(settings.database_url)
    return database.parent / KEY_FILE if database is not None else Path(KEY_FILE)


def fingerprint_key(settings: Settings) -> bytes:
    """The key for token fingerprints: VENDORWATCH_FINGERPRINT_KEY, else a random key created once (mode 0600)."""
    secret = settings.secret("fingerprint_key")
    if secret is not None:
        return secret.get_secret_value().encode("utf-8")
    path = key_file_path(settings)
    try:
        # O_EXCL: two processes starting together must not each write a different key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip().encode("utf-8")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    logger.warning("created fingerprint key file %s (keep it: fingerprints depend on it)", path)
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def record_artifact(
    session: Session, vendor_name: str, case_ref: str, path: Path, *, key: bytes, by: str, now: datetime
) -> Artifact:
    """Record an artifact given to a vendor: its sha256 and the fingerprints of the tokens in it (HarError if bad)."""
    vendor = find_vendor(session, vendor_name)
    seen: set[tuple[str, str, str]] = set()
    tokens: list[dict[str, Any]] = []
    for f in scan_har(path, key):
        if f.kind in UNREAD_KINDS:  # a binary body the sanitiser would drop is no token to revoke
            continue
        if (f.kind, f.fingerprint, f.location) not in seen:
            seen.add((f.kind, f.fingerprint, f.location))
            tokens.append({"kind": f.kind, "fingerprint": f.fingerprint, "location": f.location})
    artifact = Artifact(
        vendor_id=vendor.id or 0,
        case_ref=case_ref,
        filename=path.name,
        sha256=file_sha256(path),
        recorded_at=now,
        recorded_by=by,
        tokens=tokens,
    )
    session.add(artifact)
    session.flush()
    after = {
        "vendor": vendor.name,
        "case_ref": case_ref,
        "filename": path.name,
        "sha256": artifact.sha256,
        "tokens": len(tokens),
        "distinct": distinct_tokens(artifact),
    }
    session.add(
        AuditEvent(
            at=now,
            actor=by or "vendorwatch",
            action="artifact.recorded",
            entity="artifact",
            entity_id=str(artifact.id),
            after=after,
        )
    )
    logger.info("artifact %s recorded for vendor %s: %d findings", artifact.id, vendor.id, len(tokens))
    return artifact


def distinct_tokens(artifact: Artifact) -> int:
    """How many different secrets the artifact held."""
    return len({t["fingerprint"] for t in artifact.tokens})


def exposed_artifacts(session: Session, vendor_id: int, since: datetime | None = None) -> list[Artifact]:
    """Artifacts recorded as given to a vendor (since a time, if given), oldest first."""
    return artifacts.of_vendor(session, vendor_id, since)


def artifacts_for_incident(session: Session, incident: Incident) -> list[Artifact]:
    """The artifacts the incident's vendor holds, for `incidents show`."""
    return exposed_artifacts(session, incident.vendor_id)


def list_artifacts(session: Session, vendor_name: str | None = None) -> list[tuple[Artifact, str]]:
    """Artifacts with their vendor's name, optionally for one vendor."""
    vendor_id = find_vendor(session, vendor_name).id if vendor_name is not None else None
    return artifacts.with_vendor_names(session, vendor_id)


def revoke_sla(session: Session, vendor_id: int) -> timedelta:
    """The vendor's shortest dependency revocation SLA, or 4 hours."""
    seconds = shortest_revocation_sla_s(session, vendor_id)
    return timedelta(seconds=clamp_sla(int(seconds))) if seconds else DEFAULT_REVOKE_SLA  # clamped: see clamp_sla


def open_artifact_tasks(session: Session, incident: Incident, *, now: datetime) -> int:
    """One revocation task per artifact (with tokens) the vendor holds; idempotent; returns how many are new."""
    vendor = session.get_one(Vendor, incident.vendor_id)
    due = now + revoke_sla(session, vendor.id or 0)
    opened = 0
    for artifact in exposed_artifacts(session, vendor.id or 0):
        n = distinct_tokens(artifact)
        if not n:
            continue  # nothing replayable was in it: nothing to revoke
        key = f"artifact:{artifact.id}:revoke"
        title = (
            f"Revoke sessions/tokens exposed in support artifact {artifact.filename} "
            f"(case {artifact.case_ref}): {n} tokens"
        )
        task_id = tasks.insert_if_new(
            session,
            incident_id=incident.id,
            vendor_id=vendor.id,
            artifact_id=artifact.id,
            key=key,
            step="revoke-artifact",
            title=title,
            owner=vendor.owner,
            status=TaskStatus.open,
            created_at=now,
            due_at=due,
        )
        if task_id is None:
            continue
        session.add(
            AuditEvent(
                at=now,
                actor="vendorwatch",
                action="task.opened",
                entity="incident",
                entity_id=str(incident.id),
                after={"key": key, "title": title, "due_at": due.isoformat()},
            )
        )
        opened += 1
    return opened
