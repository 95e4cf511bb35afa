"""One poll's triage: the context (sources, vendors, matcher) loaded once, items triaged in batches, and an item
whose triage raises set aside (recorded on the item, quarantined after a few tries) so it never stops the rest."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from connectors.normalize import redact_url
from registry.repo import items
from vendorwatch.app import App
from vendorwatch.delivery.channels import active_channel_names
from vendorwatch.incidents import folding as incidents
from vendorwatch.incidents.folding import TriageContext, TriageStats
from vendorwatch.poll.ingest import Screen
from vendorwatch.poll.prescreen import UNRELATED, UNRELATED_EVIDENCE, Prescreen

logger = logging.getLogger(__name__)
MAX_TRIES = 3  # then the item is quarantined: `status` shows it until someone looks
BATCH = 200  # items per transaction; one failing item sends its batch through one by one
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


class TriagePass:
    """Triage for one poll cycle; `sources()` right after sources are stored, `rest()` at the end."""

    def __init__(self, app: App, *, since: datetime | None = None) -> None:
        self.app, self.since = app, since
        now = app.now()
        default = now - timedelta(days=app.settings.lookback_days)
        self.cutoff = min(since, default) if since else default  # --since widens the look-back, never narrows it
        self.retriage_kind = incidents.SKIPPED_LOOKBACK if since else None
        self.stats = TriageStats()
        self.failed = 0
        self.context_loads = 0
        self._ctx: TriageContext | None = None
        self._screen: Prescreen | None = None

    def context(self) -> TriageContext:
        """Sources, registry vendors and the matcher, read once per poll."""
        if self._ctx is None:
            with self.app.session() as s:
                self._ctx = incidents.load_context(
                    s, self.app.settings, active_channel_names(self.app.settings), self.cutoff
                )
            self.context_loads += 1
        return self._ctx

    def _prescreen(self, ctx: TriageContext) -> Prescreen:
        if self._screen is None:
            self._screen = Prescreen(ctx)
        return self._screen

    def screen(self) -> Screen:
        """For the store: settles new items that cannot concern a registry vendor (reads the context now)."""
        prescreen = self._prescreen(self.context())
        return lambda row: prescreen.unrelated(row, self.cutoff)

    def sources(self, source_ids: set[str]) -> None:
        """Triage what these sources have waiting (their new and edited items)."""
        self._run(source_ids)

    def rest(self) -> None:
        """Triage anything else waiting: items of earlier polls, retries due, look-back items with `since`."""
        self._run(None)

    def _run(self, source_ids: set[str] | None) -> None:
        with self.app.session() as s:
            ids = items.pending_ids(
                s, self.app.now(), source_ids=source_ids, since=self.since, retriage_kind=self.retriage_kind
            )
        ctx = self.context() if ids else None
        for start in range(0, len(ids), BATCH):
            assert ctx is not None
            chunk = ids[start : start + BATCH]
            try:
                stats = self._batch(ctx, chunk)
            except Exception:  # some item of the batch raised: find it, and keep the others' work
                logger.debug("triage batch of %d items failed; going one by one", len(chunk), exc_info=True)
                stats = self._one_by_one(ctx, chunk)
            _add(self.stats, stats)

    def _batch(self, ctx: TriageContext, ids: Sequence[int]) -> TriageStats:
        """Triage these items in one transaction, holding the triage lock (decisions read other items' incidents)."""
        total = TriageStats()
        now = self.app.now()
        with self.app.session() as s:
            items.lock_triage(s)
            unrelated: list[int] = []
            todo = []
            for item in items.claim(s, ids, now, retriage_kind=self.retriage_kind):
                items.clear_failure(s, item)
                if self._prescreen(ctx).unrelated(item, self.cutoff):
                    unrelated.append(item.id or 0)
                else:
                    todo.append(item)
            _add(total, incidents.triage_items(s, ctx, todo, now))
            items.mark_triaged(s, unrelated, now, kind=UNRELATED, evidence=[UNRELATED_EVIDENCE])
            total.items += len(unrelated)
        return total

    def _one_by_one(self, ctx: TriageContext, ids: Sequence[int]) -> TriageStats:
        total = TriageStats()
        for item_id in ids:
            try:
                _add(total, self._batch(ctx, [item_id]))
            except Exception as exc:  # one poison item must never stop the rest
                self._record_failure(item_id, exc)
        return total

    def _record_failure(self, item_id: int, exc: Exception) -> None:
        error = safe_error(exc)
        with self.app.session() as s:
            tries = items.record_failure(s, item_id, error, self.app.now(), tries=MAX_TRIES)
        self.failed += 1
        if tries >= MAX_TRIES:
            logger.error("item %d: triage failed %d times, quarantined: %s", item_id, tries, error)
        elif tries == 1:
            logger.warning("item %d: triage failed, will retry (quarantined after %d): %s", item_id, MAX_TRIES, error)
        logger.debug("item %d: triage traceback", item_id, exc_info=exc)


def safe_error(exc: BaseException) -> str:
    """The error's type and first line, URLs without credentials or query: fit for the database and logs."""
    lines = str(exc).splitlines()
    message = _URL.sub(lambda m: redact_url(m.group()), lines[0] if lines else "")[:300]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _add(total: TriageStats, stats: TriageStats) -> None:
    total.items += stats.items
    total.incidents_opened += stats.incidents_opened
    total.references_added += stats.references_added
    total.alerts += stats.alerts
