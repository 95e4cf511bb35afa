"""A registry with one identity vendor (3 dependencies, 5 credentials) and an alerted incident."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import col

from registry import api as registry_api
from registry.models import Credential, Incident, Vendor
from vendorwatch.app import App

T0 = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
REGISTRY = """
vendors:
  - name: Okta
    category: identity-provider
    criticality: critical
    owner: iam-team
    dependencies:
      - name: Workforce SSO
        kind: sso
        revocation_sla: 4h
        owner: iam-team
        credentials:
          - {name: SAML signing certificate, kind: signing-key, owner: iam-team, rotation_sla: 3d}
          - {name: Super admin sessions, kind: session, rotation_sla: 2h}
      - name: SCIM provisioning
        kind: scim
        revocation_sla: 8h
        owner: iam-team
        credentials:
          - {name: SCIM bearer token, kind: api-token, owner: platform-team, rotation_sla: 24h}
      - name: Service accounts
        kind: service-account
        revocation_sla: 12h
        owner: platform-team
        credentials:
          - {name: Deploy bot password, kind: password, owner: secops, rotation_sla: 2d}
          - {name: Deploy bot key, kind: api-token%s}
"""


@pytest.fixture
def incident(app: App, tmp_path: Path) -> Incident:
    """An alerted breach incident of Okta, alerted at T0; the app's clock stands at T0."""
    return make_incident(app, tmp_path)


def make_incident(app: App, tmp_path: Path, hook: str = "", kind: str = "breach") -> Incident:
    """Import the registry (optionally with a rotation hook on the last credential) and alert an incident."""
    path = tmp_path / "registry.yaml"
    path.write_text(REGISTRY % hook, encoding="utf-8")
    app.clock = lambda: T0
    with app.session() as s:
        registry_api.import_file(s, path)
        vendor = s.execute(select(Vendor).where(col(Vendor.name) == "Okta")).scalar_one()
        inc = Incident(
            vendor_id=vendor.id or 0,
            kind=kind,
            title="Okta support system breach",
            alerted=True,
            alerted_at=T0,
            opened_at=T0,
            disclosed_at=T0,
            severity="critical",
        )
        s.add(inc)
        s.flush()
        s.expunge(inc)
    return inc


def credential_id(app: App, name: str) -> int:
    """The id of a credential by name."""
    with app.session() as s:
        return s.execute(select(Credential).where(col(Credential.name) == name)).scalar_one().id or 0
