"""The daily digest: once a day per route, what opened, what is overdue and what closed, even when nothing did.

A silent tool must be noticed: "0 new incidents; 0 tasks overdue; 0 closed" is a message too. Each digest is one
outbox row per channel keyed by (channel, route, local date), so it goes out exactly once per route and day
whatever the number of workers, restarts or manual runs (`vendorwatch digest`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from notify.base import Alert, AlertField
from registry.repo import daily
from vendorwatch.app import App
from vendorwatch.delivery.channels import active_channel_names
from vendorwatch.incidents import alerts
from vendorwatch.incidents.alerts import route_for
from vendorwatch.settings import Settings
from vendorwatch.wording import plural

CATCH_UP = timedelta(hours=12)  # a worker that was down at the digest time still sends it within this
LISTED = 10  # entries per section, then "and N more"
WINDOW = timedelta(hours=24)


class DigestError(ValueError):
    """A digest was asked for a route or date that has none; the message names what is allowed."""


@dataclass(frozen=True)
class DigestRoute:
    """A route that sends a daily digest: its channel (the route's name), local time and zone."""

    name: str
    at: time
    zone: ZoneInfo

    def scheduled(self, day: date) -> datetime:
        """When the digest of local date `day` is due (an aware datetime)."""
        return datetime.combine(day, self.at, tzinfo=self.zone)


def _route(settings: Settings, name: str, at: str | None, zone: str | None) -> DigestRoute:
    hour, minute = (int(part) for part in (at or settings.digest.at).split(":"))
    return DigestRoute(name, time(hour, minute), ZoneInfo(zone or settings.digest.timezone))


def digest_routes(settings: Settings) -> list[DigestRoute]:
    """The routes that send a daily digest, once per channel (the first rule naming it sets time and zone)."""
    found: dict[str, DigestRoute] = {}
    for rule in settings.routes:
        if rule.digest and rule.channel not in found:
            found[rule.channel] = _route(settings, rule.channel, rule.digest_at, rule.timezone)
    if settings.digest.default_route and settings.slack.channel not in found:
        found[settings.slack.channel] = _route(settings, settings.slack.channel, None, None)
    return list(found.values())


def find_route(settings: Settings, name: str) -> DigestRoute:
    """Any configured route by its channel (`#okta-alerts` or `okta-alerts`), with or without `digest = true`."""
    wanted = name.removeprefix("#")
    for route in digest_routes(settings):
        if route.name.removeprefix("#") == wanted:
            return route
    for rule in settings.routes:
        if rule.channel.removeprefix("#") == wanted:
            return _route(settings, rule.channel, rule.digest_at, rule.timezone)
    if settings.slack.channel.removeprefix("#") == wanted:
        return _route(settings, settings.slack.channel, None, None)
    known = sorted({settings.slack.channel, *(r.channel for r in settings.routes)})
    raise DigestError(f"--route: no route {name!r} (routes: {', '.join(known)})")


def day_of(value: str | None, route: DigestRoute, now: datetime) -> date:
    """The local date asked for on the command line (default: today in the route's zone); not a future one."""
    today = now.astimezone(route.zone).date()
    if value is None:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise DigestError(f"--date: {value!r} is not a date (use YYYY-MM-DD)") from None
    if day > today:
        raise DigestError(f"--date: {day} is in the future for {route.name} (today there is {today})")
    return day


def due_day(route: DigestRoute, now: datetime) -> date | None:
    """The local date whose digest is due at `now`: its time has passed, by at most CATCH_UP."""
    today = now.astimezone(route.zone).date()
    day = today if route.scheduled(today) <= now else today - timedelta(days=1)
    return day if now - route.scheduled(day) <= CATCH_UP else None


def _line(i: daily.DayIncident) -> str:
    return f"• #{i.id} {i.vendor}: {i.kind} ({i.severity}): {' '.join(i.title.split())}"  # one entry, one line


def _task_line(t: daily.OverdueTask) -> str:
    due, title = t.due_at.strftime("%Y-%m-%d %H:%M UTC"), " ".join(t.title.split())
    return (
        f"• task {t.id} {title} (#{t.incident.id} {t.incident.vendor}): owner {t.owner or 'unassigned'}, "
        f"due {due}: `vendorwatch tasks done {t.id} --by NAME`"
    )


def _section(heading: str, lines: list[str], more: str) -> list[str]:
    if not lines:
        return []
    rest = [f"and {len(lines) - LISTED} more (`{more}`)"] if len(lines) > LISTED else []
    return [f"{heading}:", *lines[:LISTED], *rest]


def build(session: Session, settings: Settings, route: DigestRoute, day: date, now: datetime) -> Alert:
    """The digest of `day` for `route`: the 24 h up to its scheduled time (or now, when run early by hand)."""
    end = min(route.scheduled(day), now)
    start = end - WINDOW

    def ours(i: daily.DayIncident) -> bool:
        return route_for(settings, i.vendor, i.criticality, i.severity) == route.name

    opened = [i for i in daily.alerted_between(session, start, end) if ours(i)]
    overdue = [t for t in daily.overdue_at(session, end) if ours(t.incident)]
    closed = [i for i in daily.closed_between(session, start, end) if ours(i)]
    summary = f"{plural(len(opened), 'new incident')}; {plural(len(overdue), 'task')} overdue; {len(closed)} closed"
    body = [
        f"{summary} (24 h to {end.astimezone(route.zone):%Y-%m-%d %H:%M %Z}).",
        *_section("Opened", [_line(i) for i in opened], "vendorwatch incidents list"),
        *_section("Overdue", [_task_line(t) for t in overdue], "vendorwatch tasks list --overdue"),
        *_section("Closed", [_line(i) for i in closed], "vendorwatch incidents list"),
    ]
    return Alert(
        incident_id=0,
        kind="root",
        title=f"[DAILY DIGEST] {route.name} {day:%Y-%m-%d}: {summary}",
        text="\n".join(body),
        severity="medium" if overdue else "info",
        fields=(
            AlertField("Opened", str(len(opened))),
            AlertField("Overdue", str(len(overdue))),
            AlertField("Closed", str(len(closed))),
        ),
        channel=route.name,
    )


def key(route: DigestRoute, day: date) -> str:
    """The outbox dedupe key (after the channel's name): one digest per channel, route and local date."""
    return f"digest:{route.name}:{day:%Y-%m-%d}"


def queue_digest(app: App, route: DigestRoute, day: date, channels: list[str]) -> tuple[Alert | None, list[str]]:
    """Queue the digest of `day` on each channel; returns it (None: all had it) and the channels it was new on."""
    now = app.now()
    with app.session() as s:
        if alerts.already_queued(s, channels, key(route, day)):
            return None, []  # every channel has it already: the job asks every minute, cheaply
        alert = build(s, app.settings, route, day, now)
        return alert, alerts.enqueue(s, alert, channels, key(route, day), now=now)


def queue_now(app: App, route: str | None, day: str | None, channels: list[str]) -> list[str]:
    """`vendorwatch digest`: queue the digest of one route (or every digest route) for a date; what it did."""
    routes = [find_route(app.settings, route)] if route else digest_routes(app.settings)
    if not routes:
        raise DigestError("no route sends a digest: set digest = true on a [[routes]] entry, or use --route")
    done = []
    for r in routes:
        when = day_of(day, r, app.now())
        alert, queued = queue_digest(app, r, when, channels)
        what = f"queued on {', '.join(queued)}: {alert.title}" if alert and queued else "already queued (once a day)"
        done.append(f"digest {r.name} {when}: {what}")
    return done


def send_due_digests(app: App) -> int:
    """Scheduled job: queue every digest whose time has come and that no worker has queued yet; returns how many."""
    channels = active_channel_names(app.settings)
    queued = 0
    for route in digest_routes(app.settings):
        day = due_day(route, app.now())
        if day is not None:
            queued += len(queue_digest(app, route, day, channels)[1])
    return queued
