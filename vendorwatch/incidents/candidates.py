"""What one triage transaction knows of incidents: each vendor's candidates read once and kept current as the
batch opens and folds incidents, and which of the batch's items already sit on which timelines.

The batch runs under the triage lock (no other worker opens or folds an incident meanwhile), and the incidents
are the session's own objects: a change made by an earlier item of the batch is what the next one sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from registry.models import Incident, Item, Source, Vendor
from registry.repo import folding as repo
from vendorwatch.triage import IncidentSnapshot

CANDIDATE_WINDOW = timedelta(days=365)


def _snapshot(incident: Incident) -> IncidentSnapshot:
    return IncidentSnapshot(
        incident.id or 0,
        incident.vendor_id,
        incident.kind,
        incident.disclosed_at or incident.opened_at,
        incident.last_activity_at,
        frozenset(incident.signature),
        frozenset(incident.referenced_vendor_ids),
    )


class IncidentBatch:
    """The incidents one triage transaction folds into: read once per vendor, current for the whole batch."""

    def __init__(self, session: Session, items: Sequence[Item]) -> None:
        self._session = session
        repo.keep_loaded(session, (Source, Vendor))  # a follow-up reads them again and again
        whens = [item.published or item.first_seen for item in items]
        # Every candidate any item of the batch can have was active since the earliest item's window opened.
        self._floor = min(whens) - CANDIDATE_WINDOW if whens else None
        self._by_vendor: dict[int, tuple[datetime, list[Incident]]] = {}
        self._entries = repo.timeline_entries(session, [item.id or 0 for item in items])

    def _of_vendor(self, vendor_id: int, when: datetime) -> list[Incident]:
        since = when - CANDIDATE_WINDOW
        loaded = self._by_vendor.get(vendor_id)
        if loaded is None or since < loaded[0]:  # the second only for an item from outside the batch
            floor = min(since, self._floor) if self._floor else since
            # Incidents the batch opened are flushed: read again, they come back as the same objects.
            loaded = self._by_vendor[vendor_id] = (
                floor,
                repo.active_of_vendor(self._session, vendor_id, active_since=floor),
            )
        return loaded[1]

    def candidates(self, vendor_id: int, when: datetime) -> list[IncidentSnapshot]:
        """The vendor's incidents active within a year of `when`, the item's own date (not the clock's), by id.

        Measured from the report's date so that a back-filled feed (`poll --since` years back) folds its
        follow-ups like a live one.
        """
        since = when - CANDIDATE_WINDOW
        return [_snapshot(i) for i in self._of_vendor(vendor_id, when) if i.last_activity_at >= since]

    def opened(self, incident: Incident) -> None:
        """A new incident (stored, with its id) is a candidate for the rest of the batch."""
        rows = self._of_vendor(incident.vendor_id, incident.last_activity_at)
        if all(row is not incident for row in rows):
            rows.append(incident)

    def on_timeline(self, incident_id: int, item_id: int) -> bool:
        """True if the item is already on the incident's timeline."""
        return (incident_id, item_id) in self._entries

    def add_to_timeline(self, incident_id: int, item_id: int, role: str, now: datetime) -> None:
        """Put the item on the incident's timeline."""
        repo.add_reference(self._session, incident_id, item_id, role, now)
        self._entries.add((incident_id, item_id))
