"""Ingest end to end: edited advisories are triaged again, shared links are kept, look-back and removed sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from registry.models import Incident, IncidentReference, Item, Source
from tests.pipeline.feeds import CIRCLECI_BREACH, OKTA_BREACH, write_feed
from vendorwatch.app import App
from vendorwatch.poll import pipeline
from vendorwatch.settings import SourceSettings

OKTA_INVESTIGATING = (
    "Okta investigating elevated authentication errors",
    "Okta is investigating an outage: some customers see errors when signing in. Updates to follow.",
)
OKTA_VULN = (
    "Okta fixes vulnerability CVE-2024-41234 in Okta Verify",
    "Okta released a patch for CVE-2024-41234, a flaw in Okta Verify. Customers should update.",
)
OKTA_EXPLOITED = (
    "Okta Verify flaw CVE-2024-41234 actively exploited in the wild",
    "Okta says attackers are actively exploiting CVE-2024-41234 in Okta Verify; CISA added it to the KEV catalog.",
)


def _entries(*entries: tuple[str, str, str, str], start: datetime | None = None) -> str:
    """RSS with fixed guids and links: (guid, link, title, summary), an hour apart."""
    start = start or datetime.now(UTC) - timedelta(days=1)
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>{format_datetime(start + timedelta(hours=n))}</pubDate>"
        f"<description>{escape(summary)}</description></item>"
        for n, (guid, link, title, summary) in enumerate(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'


def _write(feeds_dir: Path, name: str, text: str) -> None:
    (feeds_dir / f"{name}.xml").write_text(text, encoding="utf-8")


def _incidents(app: App) -> list[Incident]:
    with app.session() as s:
        return list(s.execute(select(Incident).order_by(col(Incident.id))).scalars())


def _items(app: App) -> list[Item]:
    with app.session() as s:
        return list(s.execute(select(Item).order_by(col(Item.id))).scalars())


def test_an_edited_status_entry_is_triaged_again_and_alerts_once_it_reads_as_a_breach(
    slack_app: App, feeds_dir: Path
) -> None:
    link = "https://status.okta.example/incidents/42"
    write_feed(feeds_dir, "blog", [])
    _write(feeds_dir, "wire", _entries(("okta-42", link, *OKTA_INVESTIGATING)))
    first = pipeline.poll_once(slack_app)
    assert first.new_items == 1 and not first.alerts, "an outage is recorded, not alerted"

    _write(feeds_dir, "wire", _entries(("okta-42", link, *OKTA_BREACH)))
    edited = pipeline.poll_once(slack_app)
    assert (edited.new_items, edited.updated_items, len(edited.alerts)) == (0, 1, 1)
    okta = next(i for i in _incidents(slack_app) if i.id == edited.alerts[0])
    assert okta.kind == "breach" and okta.alerted
    (item,) = _items(slack_app)
    assert item.title == OKTA_BREACH[0] and item.kind == "breach"

    incidents_before = [(i.id, i.kind, i.alerted) for i in _incidents(slack_app)]
    again = pipeline.poll_once(slack_app)
    assert (again.new_items, again.updated_items, again.alerts, again.references_added) == (0, 0, [], 0)
    assert [(i.id, i.kind, i.alerted) for i in _incidents(slack_app)] == incidents_before


def test_an_edit_that_turns_an_advisory_into_exploitation_escalates_the_same_incident(
    slack_app: App, feeds_dir: Path
) -> None:
    link = "https://trust.okta.example/advisories/41234"
    write_feed(feeds_dir, "blog", [])
    _write(feeds_dir, "wire", _entries(("adv-41234", link, *OKTA_VULN)))
    assert not pipeline.poll_once(slack_app).alerts
    (advisory,) = _incidents(slack_app)
    assert advisory.kind == "vuln-advisory" and not advisory.alerted

    _write(feeds_dir, "wire", _entries(("adv-41234", link, *OKTA_EXPLOITED)))
    edited = pipeline.poll_once(slack_app)
    assert edited.updated_items == 1 and edited.alerts == [advisory.id]
    (incident,) = _incidents(slack_app)
    assert incident.kind == "exploited-vuln" and incident.alerted
    with slack_app.session() as s:
        refs = s.execute(select(IncidentReference).where(col(IncidentReference.incident_id) == incident.id)).all()
    assert len(refs) == 1, "the edited entry stays one report on the timeline"


def test_entries_of_one_feed_sharing_a_link_are_all_kept(slack_app: App, feeds_dir: Path) -> None:
    page = "https://status.vendor.example/history"
    write_feed(feeds_dir, "blog", [])
    _write(feeds_dir, "wire", _entries(("a", page, *OKTA_BREACH), ("b", page, *CIRCLECI_BREACH)))
    report = pipeline.poll_once(slack_app)
    assert report.new_items == 2
    assert sorted(i.guid for i in _items(slack_app)) == ["a", "b"]
    assert len(report.alerts) == 2, "both vendors' breaches are alerted"


def test_another_sources_copy_of_a_link_folds_into_the_first_item(slack_app: App, feeds_dir: Path) -> None:
    link = "https://news.example/okta-breach"
    _write(feeds_dir, "wire", _entries(("w1", link, *OKTA_BREACH)))
    _write(feeds_dir, "blog", _entries(("b1", f"{link}?utm_source=feed&utm_medium=rss", *OKTA_BREACH)))
    report = pipeline.poll_once(slack_app)
    assert report.new_items == 1 and len(report.alerts) == 1
    (item,) = _items(slack_app)
    assert {item.source_id, *item.also_in} == {"wire", "blog"}


def test_poll_since_recovers_an_item_the_look_back_skipped(slack_app: App, feeds_dir: Path) -> None:
    now = datetime.now(UTC)
    write_feed(feeds_dir, "blog", [])
    write_feed(feeds_dir, "wire", [OKTA_BREACH], start=now - timedelta(days=10))
    first = pipeline.poll_once(slack_app)
    assert first.new_items == 1 and first.incidents_opened == 0 and not first.alerts
    assert pipeline.poll_once(slack_app).incidents_opened == 0, "a normal poll does not rescan skipped items"

    recovered = pipeline.poll_once(slack_app, since=now - timedelta(days=15))
    assert recovered.incidents_opened == 1 and len(recovered.alerts) == 1
    (incident,) = _incidents(slack_app)
    assert incident.alerted and incident.kind == "breach"
    assert pipeline.poll_once(slack_app, since=now - timedelta(days=15)).incidents_opened == 0


def test_a_source_removed_from_the_config_is_no_longer_polled(slack_app: App, feeds_dir: Path) -> None:
    write_feed(feeds_dir, "wire", [OKTA_BREACH])
    write_feed(feeds_dir, "blog", [CIRCLECI_BREACH], base="https://blog.example/")
    assert pipeline.poll_once(slack_app).polled == 2

    slack_app.settings.sources = [c for c in slack_app.settings.sources if c.id == "wire"]
    write_feed(feeds_dir, "blog", [CIRCLECI_BREACH, OKTA_BREACH], base="https://blog2.example/")
    report = pipeline.poll_once(slack_app)
    assert report.polled == 1 and report.new_items == 0
    with slack_app.session() as s:
        blog = s.get_one(Source, "blog")
        assert blog.polls_total == 1, "the removed source keeps its row but is not polled"
    assert sum(i.source_id == "blog" for i in _items(slack_app)) == 1, "its items stay"

    slack_app.settings.sources = [*slack_app.settings.sources, SourceSettings(id="blog", url=blog.url)]
    assert pipeline.poll_once(slack_app).polled == 2, "configured again, it is polled again"


def test_a_back_filled_feed_folds_reports_of_one_old_incident_into_one(slack_app: App, feeds_dir: Path) -> None:
    years_ago = datetime.now(UTC) - timedelta(days=6 * 365)
    follow_up = ("Okta support breach: attackers stole session tokens", "Okta says hackers stole session tokens.")
    write_feed(feeds_dir, "blog", [])
    write_feed(feeds_dir, "wire", [OKTA_BREACH, follow_up], start=years_ago)
    report = pipeline.poll_once(slack_app, since=years_ago - timedelta(days=1))
    assert report.incidents_opened == 1 and len(report.alerts) == 1  # folded by the reports' dates, not today's
    (incident,) = _incidents(slack_app)
    with slack_app.session() as s:
        refs = s.execute(select(IncidentReference).where(col(IncidentReference.incident_id) == incident.id)).all()
    assert len(refs) == 2
