"""One delivery's send: rebuild the alert, resolve its target to an id, look for a lost earlier send, send.

The outbox (vendorwatch/delivery/outbox.py) decides which delivery goes when; this module only performs one and
says what happened, as a `Result`. Channel capabilities are read from the contract (notify.base:
`Targeted`, `Recoverable`), never from a channel's name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from notify.base import Alert, Channel, DeliveryError, Receipt, Recoverable, Targeted
from registry.models import Delivery, Incident
from registry.repo import gates
from registry.repo import outbox as deliveries
from registry.vocab import DeliveryStatus
from vendorwatch.app import App
from vendorwatch.incidents.alerts import alert_from_payload

logger = logging.getLogger(__name__)
RESOLVE_AGAIN = timedelta(hours=1)  # a name that could not be resolved is tried again after this

Outcome = Literal["sent", "recovered", "rate_limited", "retry", "failed", "superseded", "renamed"]


@dataclass(frozen=True)
class Result:
    """What one send did; `called`: the channel was contacted (the gate's pace applies)."""

    outcome: Outcome
    receipt: Receipt | None = None
    error: str | None = None
    retry_after: float | None = None
    maybe_delivered: bool = False
    called: bool = True
    unknown: bool = False  # an attempt before this one may have been posted (the row was `sending`)


@dataclass
class _Job:
    alert: Alert
    kind: str
    name: str | None  # the configured target (a #name or an id), for Targeted channels
    target: str | None  # its id when known
    cached: bool  # the id came from the cache (a channel_not_found may mean it went stale)
    unknown: bool  # an earlier attempt may have been posted


def send_one(app: App, channel: Channel, did: int) -> Result:
    """Send delivery `did` (claimed by the caller) and return what happened; DeliveryError is mapped."""
    with app.session() as s:
        job_or_result = _prepare(app, s, channel, did)
    if isinstance(job_or_result, Result):
        return job_or_result
    result = _perform(app, channel, job_or_result, did)
    return replace(result, unknown=job_or_result.unknown)


def _perform(app: App, channel: Channel, job: _Job, did: int) -> Result:
    try:
        if isinstance(channel, Targeted) and job.kind == "root" and job.target is None and job.name:
            job.target, job.cached = _resolve(app, channel, job.name), False
            job.alert = replace(job.alert, channel=job.target or job.name)
        receipt = _recover(app, channel, job, did) if job.unknown else None
        if receipt is not None:
            return Result("recovered", receipt)
        receipt = channel.send(job.alert, delivery_id=f"vw-{did}")
    except DeliveryError as exc:
        return _mapped(app, channel, job, exc)
    learnt = job.kind == "root" and job.target in (None, job.name) and receipt.channel != job.name
    if isinstance(channel, Targeted) and job.name and learnt and channel.is_target_id(receipt.channel):
        with app.session() as s:  # learnt from the answer: the next lost answer can be looked up by id
            gates.store_target(s, channel.name, job.name, receipt.channel, app.now())
    return Result("sent", receipt)


def _prepare(app: App, s: Session, channel: Channel, did: int) -> _Job | Result:
    row = s.get_one(Delivery, did)
    if row.kind == "update" and deliveries.newer_update_pending(s, row):
        return Result("superseded", called=False)
    thread_ref, target = None, None
    if row.kind != "root":
        root = deliveries.thread_root(s, row)
        if root is None or root.status != DeliveryStatus.sent:
            # The ordering rule keeps rows behind an unsent root; no root row at all can never be threaded.
            return Result("failed", error="no root message for this thread", called=False)
        thread_ref, target = root.ref, root.target
        if target is None and row.incident_id:  # a root sent before targets were recorded
            target = s.get_one(Incident, row.incident_id).thread_channel
    alert = alert_from_payload(row.payload, thread_ref)
    name = None
    if isinstance(channel, Targeted):
        name = alert.channel or channel.default_target
        if target is None and row.kind == "root":
            target = name if channel.is_target_id(name) else _cached(app, s, channel, name)
        alert = replace(alert, channel=target or name)
    # Only a root's target comes from the name cache; a follow-up's is its root's, which a new id cannot fix.
    cached = row.kind == "root" and bool(target and name and target != name)
    job = _Job(alert, row.kind, name, target, cached, unknown=row.status == DeliveryStatus.sending)
    row.status = DeliveryStatus.sending  # committed before the send: a crash from here on leaves it to be looked up
    return job


def _cached(app: App, s: Session, channel: Targeted, name: str) -> str | None:
    hit = gates.cached_target(s, channel.name, name)
    if hit is None or (hit.target_id is None and hit.resolved_at < app.now() - RESOLVE_AGAIN):
        return None
    return hit.target_id or name  # a recent problem: post by name rather than ask again at every send


def _resolve(app: App, channel: Targeted, name: str) -> str | None:
    """The id of `name` (cached for every worker), or None to post by name (with the risk recorded)."""
    try:
        found = channel.resolve_target(name)
    except DeliveryError as exc:
        if exc.retryable:
            raise
        problem = f"cannot resolve {name} to a channel id ({exc}): a lost answer may double a message"
        logger.warning("%s: %s", channel.name, problem)
        with app.session() as s:
            gates.store_target(s, channel.name, name, None, app.now(), problem=problem)
            gates.warn(s, f"{channel.name}:{name}", problem)  # stays until a resolution works
        return None
    if found:
        with app.session() as s:
            gates.store_target(s, channel.name, name, found, app.now())
            gates.warn(s, f"{channel.name}:{name}", None)
    return found


def _recover(app: App, channel: Channel, job: _Job, did: int) -> Receipt | None:
    """The receipt of an earlier attempt that reached the channel, or None to send (again)."""
    if not isinstance(channel, Recoverable) or job.kind == "update":
        return None  # an update rewrites the root in place: sending it twice changes nothing
    where = job.alert.channel
    if not where or (isinstance(channel, Targeted) and not channel.is_target_id(where)):
        logger.warning("delivery %s: no channel id to look up an earlier attempt; sending again", did)
        return None
    try:
        return channel.find_sent(f"vw-{did}", where, thread_ref=job.alert.thread_ref)
    except DeliveryError as exc:
        if exc.retryable:
            raise
        warning = f"cannot look up earlier sends ({exc}): a lost answer may double a message"
        logger.warning("delivery %s: %s; sending again", did, warning)
        with app.session() as s:
            gates.warn(s, f"{channel.name}:{job.name}" if job.name else channel.name, warning)
        return None


def _mapped(app: App, channel: Channel, job: _Job, exc: DeliveryError) -> Result:
    if exc.retryable and exc.retry_after is not None:
        return Result("rate_limited", error=str(exc), retry_after=exc.retry_after)
    if exc.retryable:
        return Result("retry", error=str(exc), maybe_delivered=exc.maybe_delivered)
    if exc.code == "channel_not_found" and job.cached and job.name:
        # The id we resolved went stale (channel renamed or re-created): resolve the name again, at once.
        with app.session() as s:
            gates.forget_target(s, channel.name, job.name)
        return Result("renamed", error=str(exc))
    return Result("failed", error=str(exc))


def now_plus(now: datetime, seconds: float) -> datetime:
    """`now` plus a number of seconds."""
    return now + timedelta(seconds=seconds)
