"""StatuspageSource: Atlassian Statuspage incidents.json."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connectors import SourceConfig, SourceError
from connectors.statuspage import StatuspageSource

SOURCE = StatuspageSource(
    SourceConfig(id="st", url="https://status.vendor.example/api/v2/incidents.json", kind="statuspage")
)

INCIDENTS = {
    "page": {"id": "p1", "name": "Vendor", "url": "https://status.vendor.example"},
    "incidents": [
        {
            "id": "inc1",
            "name": "Unauthorized access to support system",
            "status": "investigating",
            "impact": "major",
            "shortlink": "https://stspg.io/abc",
            "created_at": "2024-03-01T10:00:00.000-05:00",
            "updated_at": "2024-03-01T12:00:00.000-05:00",
            "incident_updates": [{"body": "We are <b>investigating</b>."}, {"body": "Customers should rotate tokens."}],
        },
        {"id": "inc2", "name": "Degraded API", "status": "resolved", "impact": "minor", "incident_updates": []},
    ],
}


def test_incidents_become_advisories():
    first, second = SOURCE.parse(json.dumps(INCIDENTS).encode(), {})
    assert (first.guid, first.url, first.title) == (
        "inc1",
        "https://stspg.io/abc",
        "Vendor: Unauthorized access to support system",
    )
    assert (
        first.summary == "Status: investigating; impact: major. We are investigating. Customers should rotate tokens."
    )
    assert first.published == datetime(2024, 3, 1, 15, 0, tzinfo=UTC)
    assert second.url == "https://status.vendor.example/incidents/inc2"


def test_not_an_incidents_document():
    with pytest.raises(SourceError, match="no incidents list"):
        SOURCE.parse(b'{"components": []}', {})
