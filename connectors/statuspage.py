"""Atlassian Statuspage incidents (`/api/v2/incidents.json`), used by many vendors' status pages."""

from __future__ import annotations

from typing import Any

from connectors.base import Advisory, SourceConfig, SourceError
from connectors.normalize import load_json_object, make_advisory, text_field, to_utc


class StatuspageSource:
    """Statuspage incidents: guid = incident id, URL = its shortlink. See Source.parse."""

    def __init__(self, config: SourceConfig) -> None:
        self.config = config

    def parse(self, body: bytes, headers: dict[str, str]) -> list[Advisory]:
        """Parse an incidents.json document; incidents without an id are skipped."""
        data = load_json_object(body, "a Statuspage incidents document")
        incidents = data.get("incidents")
        if not isinstance(incidents, list):
            raise SourceError("not a Statuspage incidents document: no incidents list")
        page = data.get("page") if isinstance(data.get("page"), dict) else {}
        return [
            self._advisory(incident, page or {})
            for incident in incidents
            if isinstance(incident, dict) and text_field(incident, "id")
        ]

    def _advisory(self, incident: dict[str, Any], page: dict[str, Any]) -> Advisory:
        page_name, page_url = text_field(page, "name"), text_field(page, "url").rstrip("/")
        name = text_field(incident, "name") or "Incident"
        status, impact = text_field(incident, "status"), text_field(incident, "impact")
        updates = [u for u in incident.get("incident_updates") or [] if isinstance(u, dict)]
        # Newest update first, as Statuspage lists them: the current state leads the summary.
        bodies = [text_field(u, "body") for u in updates if text_field(u, "body")]
        state = f"Status: {status or 'unknown'}; impact: {impact or 'unknown'}."
        link = text_field(incident, "shortlink")
        if not link and page_url:
            link = f"{page_url}/incidents/{text_field(incident, 'id')}"
        return make_advisory(
            self.config.id,
            guid=text_field(incident, "id"),
            link=link,
            title=f"{page_name}: {name}" if page_name else name,
            summary=" ".join([state, *bodies]),
            published=to_utc(text_field(incident, "created_at") or text_field(incident, "updated_at")),
        )
