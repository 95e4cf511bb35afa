"""The domain model: SQLModel tables for the registry and everything the tool records."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from registry.types import UTCDateTime, VocabType, utcnow
from registry.vocab import (
    Criticality,
    DeliveryStatus,
    IncidentKind,
    IncidentStatus,
    SeverityLevel,
    TaskStatus,
    Trust,
)

TOKEN_BINDINGS = ("none", "network", "device")
PRIVILEGE_SCOPES = ("read", "write", "admin")
_UNTRIAGED = "triaged_at IS NULL"


def _json(default: Any = None) -> Any:
    return Field(
        default_factory=lambda: [] if default is None else default,
        sa_column=Column(JSON, nullable=False, default=list),
    )


def _when(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _word(
    vocabulary: type[StrEnum], where: str, default: Any = ..., *, nullable: bool = False, index: bool = False
) -> Any:
    # Stored as the word itself (VARCHAR, as before); read back as the member, or an error naming `where`.
    column: Column[Any] = Column(VocabType(vocabulary, where), nullable=nullable, index=index)
    return Field(sa_column=column) if default is ... else Field(default=default, sa_column=column)


def _now() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, default=utcnow))


class Vendor(SQLModel, table=True):
    """A vendor that holds or issues the organisation's identities."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    aliases: list[str] = _json()
    domains: list[str] = _json()
    category: str = ""
    criticality: Criticality = _word(Criticality, "vendor.criticality", Criticality.medium)
    owner: str = ""
    users: int = 0
    review_cadence_days: int | None = None
    notes: str = ""
    # The DORA register-of-information fields (lei, country, contract...), as registry/dora.py reads them.
    dora: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


class RegistryEntity(SQLModel, table=True):
    """The financial entity that keeps the register (the registry file's `entity:` block); one row."""

    __tablename__ = "registry_entity"
    id: int = Field(default=1, primary_key=True)
    name: str = ""
    lei: str = ""
    country: str = ""
    authority: str = ""


class Dependency(SQLModel, table=True):
    """Something of ours that depends on a vendor (SSO, SCIM, an OAuth grant, a service account...)."""

    __table_args__ = (UniqueConstraint("vendor_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True, ondelete="CASCADE")
    name: str
    kind: str
    revocation_sla_s: int | None = None
    owner: str = ""
    users: int = 0
    token_binding: str = "none"
    privilege_scope: str = "read"
    trust_width: int = 1
    reaches: list[str] = _json()


class Credential(SQLModel, table=True):
    """A secret to revoke or rotate when the vendor behind its dependency is breached."""

    __table_args__ = (UniqueConstraint("dependency_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    dependency_id: int = Field(foreign_key="dependency.id", index=True, ondelete="CASCADE")
    name: str
    kind: str
    owner: str = ""
    rotation_sla_s: int | None = None
    rotate_command: str | None = None
    rotate_webhook_env: str | None = None


class Source(SQLModel, table=True):
    """A polled feed and its health; validators kept exactly as the server sent them."""

    id: str = Field(primary_key=True)
    url: str
    kind: str = "feed"
    vendor: str | None = None
    trust: Trust = _word(Trust, "source.trust", Trust.news)
    interval_s: int = 300
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = _when()
    last_success_at: datetime | None = _when()
    last_error: str | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = _when(index=True)
    lease_owner: str | None = None
    lease_until: datetime | None = _when()
    items_total: int = 0
    polls_total: int = 0
    errors_total: int = 0


class Item(SQLModel, table=True):
    """A normalised advisory, unique per (source, guid), with its triage.

    The URL is indexed, not unique: one vendor feed may link every entry to the same page.
    """

    __table_args__ = (
        UniqueConstraint("source_id", "guid"),
        # Only untriaged items: the poll finds them fast and settled items cost the index nothing.
        Index("ix_item_untriaged", "id", sqlite_where=text(_UNTRIAGED), postgresql_where=text(_UNTRIAGED)),
    )
    id: int | None = Field(default=None, primary_key=True)
    source_id: str = Field(index=True)
    guid: str
    url: str = Field(index=True)
    title: str
    summary: str = ""
    published: datetime | None = _when()
    first_seen: datetime = _now()
    content_hash: str = ""
    also_in: list[str] = _json()
    triaged_at: datetime | None = _when()
    # An IncidentKind word once triaged, or a marker of an item settled without triage (the poll's
    # "skipped-lookback", "no-registry-vendor"): not one vocabulary, so a plain string.
    kind: str | None = None
    confidence: float = 0.0
    evidence: list[str] = _json()
    subjects: list[dict[str, Any]] = _json()
    # Triage that raised: the error (no secrets), tries so far, when to retry, and quarantine after a few.
    triage_failures: int = 0
    triage_error: str | None = None
    triage_retry_at: datetime | None = _when()
    quarantined_at: datetime | None = _when()


class Incident(SQLModel, table=True):
    """One incident of one vendor, folding every report of it into a timeline."""

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    kind: IncidentKind = _word(IncidentKind, "incident.kind")
    title: str
    status: IncidentStatus = _word(IncidentStatus, "incident.status", IncidentStatus.open)
    severity: SeverityLevel = _word(SeverityLevel, "incident.severity", SeverityLevel.info)
    severity_score: float = 0.0
    severity_parts: list[Any] = _json()
    confidence: float = 0.0
    alerted: bool = False
    alert_reason: str = ""
    opened_at: datetime = _now()
    disclosed_at: datetime | None = _when()
    last_activity_at: datetime = _now()
    alerted_at: datetime | None = _when()
    closed_at: datetime | None = _when()
    signature: list[str] = _json()
    referenced_vendor_ids: list[int] = _json()
    evidence: list[str] = _json()
    thread_channel: str | None = None
    thread_ref: str | None = None


class IncidentReference(SQLModel, table=True):
    """An item in an incident's timeline."""

    __table_args__ = (UniqueConstraint("incident_id", "item_id"),)
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    role: str = "report"
    added_at: datetime = _now()


class Assessment(SQLModel, table=True):
    """One step of an incident's evolving assessment (seq 0 is the baseline)."""

    __table_args__ = (UniqueConstraint("incident_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    seq: int = 0
    created_at: datetime = _now()
    confidence: int = 0
    impact: int = 0
    likelihood: int = 0
    horizon_days: int = 7
    factors: list[Any] = _json()
    key_judgments: list[Any] = _json()
    indicators: list[Any] = _json()
    assumptions: list[Any] = _json()
    change_triggers: list[Any] = _json()
    fired: list[Any] = _json()
    references: list[Any] = _json()


class Task(SQLModel, table=True):
    """A runbook step for one incident: revoke or rotate something, with an owner and a deadline."""

    __table_args__ = (UniqueConstraint("incident_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    dependency_id: int | None = Field(default=None, foreign_key="dependency.id")
    credential_id: int | None = Field(default=None, foreign_key="credential.id")
    artifact_id: int | None = Field(default=None, foreign_key="artifact.id")
    key: str
    step: str
    title: str
    owner: str = ""
    status: TaskStatus = _word(TaskStatus, "task.status", TaskStatus.open, index=True)
    created_at: datetime = _now()
    due_at: datetime = _now()
    closed_at: datetime | None = _when()
    closed_by: str | None = None
    evidence: str | None = None
    reason: str | None = None
    reminded_at: datetime | None = _when()
    escalated_at: datetime | None = _when()
    snoozed_until: datetime | None = _when()


class Delivery(SQLModel, table=True):
    """The alert outbox: written in the same transaction as the decision that caused it."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    channel: str
    kind: str = "root"
    dedupe_key: str = Field(unique=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    status: DeliveryStatus = _word(DeliveryStatus, "delivery.status", DeliveryStatus.pending, index=True)
    attempts: int = 0
    next_attempt_at: datetime = _now()
    created_at: datetime = _now()
    sent_at: datetime | None = _when()
    last_error: str | None = None
    failed_at: datetime | None = _when()
    ref: str | None = None
    claimed_by: str | None = None
    claimed_until: datetime | None = _when()
    target: str | None = None  # where the message went (a Slack channel id): follow-ups and lookups use it


class ChannelGate(SQLModel, table=True):
    """When a channel (and route) may take its next send: pacing, Retry-After and its circuit breaker."""

    key: str = Field(primary_key=True)  # "slack:#identity-alerts", "webhook"
    next_send_at: datetime = _now()
    failures: int = 0  # retryable failures in a row; more than 0 means open: one probe at a time
    last_error: str | None = None
    warning: str | None = None  # a missing capability seen on this channel (e.g. a Slack scope)


class ChannelTarget(SQLModel, table=True):
    """A channel name resolved to its stable id once (Slack: #name -> C0123), so lookups by id work."""

    kind: str = Field(primary_key=True)
    name: str = Field(primary_key=True)
    target_id: str | None = None
    resolved_at: datetime = _now()
    problem: str | None = None  # why it could not be resolved (e.g. missing_scope channels:read)


class AuditEvent(SQLModel, table=True):
    """Append-only record of a state change: who, when, what, before and after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _now()
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Artifact(SQLModel, table=True):
    """A support artifact (e.g. a HAR file) given to a vendor; we keep fingerprints, never secrets."""

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    case_ref: str
    filename: str
    sha256: str
    recorded_at: datetime = _now()
    recorded_by: str = ""
    tokens: list[dict[str, Any]] = _json()


class Review(SQLModel, table=True):
    """A recorded vendor review; the history is append-only."""

    id: int | None = Field(default=None, primary_key=True)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    reviewed_at: datetime = _now()
    by: str
    rating: str
    notes: str = ""
    evidence: str | None = None
    next_due: datetime = _now()


class RegistrySnapshot(SQLModel, table=True):
    """The registry's shape at a moment (per-vendor tallies), so reports can compare quarters.

    A row holds from `taken_at` until the next row; `checked_at` is the last time the registry was seen unchanged.
    """

    __tablename__ = "registry_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    taken_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    checked_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    digest: str
    vendors: int = 0
    dependencies: int = 0
    tallies: list[dict[str, Any]] = _json()
