"""Routing rules send incidents to channels by vendor, criticality and severity; owners are mentioned."""

from __future__ import annotations

from registry.models import Incident, Vendor
from vendorwatch.incidents.alerts import route
from vendorwatch.settings import Route, Settings

SETTINGS = Settings(
    routes=[
        Route(channel="#okta-war-room", vendors=["Okta"]),
        Route(channel="#sev1", criticality=["critical"], min_severity="high"),
        Route(channel="#vendor-risk", min_severity="medium"),
    ],
    owners={"iam-team": "S0IAM"},
)


def test_first_matching_route_wins_and_unmatched_incidents_use_the_default_channel() -> None:
    okta = Vendor(name="Okta", criticality="critical", owner="iam-team")
    github = Vendor(name="GitHub", criticality="critical")
    zoom = Vendor(name="Zoom", criticality="low")
    assert route(SETTINGS, okta, "low") == "#okta-war-room"
    assert route(SETTINGS, github, "critical") == "#sev1"
    assert route(SETTINGS, github, "medium") == "#vendor-risk"
    assert route(SETTINGS, zoom, "high") == "#vendor-risk"
    assert route(SETTINGS, zoom, "low") == SETTINGS.slack.channel


def test_root_alert_is_routed_and_mentions_the_registry_owner(app) -> None:  # type: ignore[no-untyped-def]
    from vendorwatch.incidents.alerts import incident_alert

    with app.session() as s:
        vendor = Vendor(name="Okta", criticality="critical", owner="iam-team")
        s.add(vendor)
        s.flush()
        incident = Incident(vendor_id=vendor.id or 0, kind="breach", title="Okta breach", severity="critical")
        s.add(incident)
        s.flush()
        alert = incident_alert(s, SETTINGS, incident, "root")
    assert alert.channel == "#okta-war-room" and alert.mentions == ("S0IAM",)
    assert alert.kind == "root" and ("Severity", "critical (0)") in [(f.label, f.value) for f in alert.fields]
