"""Commands for vendor reviews: what is due, record one, show the history."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from vendorwatch.cli.common import UserError, get_app, handle_errors, out, parse_date, print_json
from vendorwatch.cli.tables import Clamp, compact

if TYPE_CHECKING:
    from vendorwatch import reviews

reviews_app = typer.Typer(help="Periodic vendor reviews: cadence, history and what changed.", no_args_is_help=True)


@reviews_app.command("due")
@handle_errors
def reviews_due(
    ctx: typer.Context,
    within: Annotated[int, typer.Option(help="Also list reviews coming due within this many days.", min=0)] = 14,
    wide: Annotated[bool, typer.Option("--wide", help="Also dependencies and failing sources.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Vendors whose review is due or overdue, with what changed since their last review."""
    from vendorwatch import reviews  # late: it loads the alert channels, which `--help` does not need

    vw = get_app(ctx)
    with vw.session() as session:
        rows = reviews.due_reviews(session, vw.now(), within=timedelta(days=within))
    if as_json:
        print_json([r.as_json() for r in rows])
        return
    wide_facts = ("Deps", "Sources failing") if wide else ()
    table = compact("Reviews due", ("Vendor", "Due", "State", "Last review", "Incidents", "Open tasks", *wide_facts))
    for r in rows:
        table.add_row(*_due_row(r)[: 8 if wide else 6])
    out.print(table if rows else "no reviews due")


def _due_row(r: reviews.DueReview) -> list[str]:
    ch, new = r.changes, r.changes.new_dependencies
    state = "never" if r.last_reviewed_at is None else f"overdue {-r.days}d" if r.overdue else f"in {r.days}d"
    last = f"{r.last_reviewed_at:%Y-%m-%d} {r.last_rating}" if r.last_reviewed_at else "-"
    failing = sum(1 for s in ch.sources if s.consecutive_failures)
    deps = f"{ch.dependencies}" + (f" ({new:+d})" if new else "")
    tasks = f"{ch.open_tasks} ({ch.overdue_tasks} late)" if ch.overdue_tasks else str(ch.open_tasks)
    return [
        r.vendor,
        f"{r.due:%Y-%m-%d}",
        state,
        last,
        str(len(ch.incidents)),
        tasks,
        deps,
        f"{failing}/{len(ch.sources)}",
    ]


@reviews_app.command("record")
@handle_errors
def reviews_record(
    ctx: typer.Context,
    vendor: Annotated[str, typer.Argument(help="Vendor name as in the registry.")],
    by: Annotated[str, typer.Option("--by", help="Who reviewed.")],
    rating: Annotated[str, typer.Option("--rating", help="Risk rating: low, medium, high or critical.")],
    notes: Annotated[str, typer.Option("--notes", help="Findings, in a sentence or two.")] = "",
    evidence: Annotated[str | None, typer.Option("--evidence", help="Path or URL of the evidence.")] = None,
    next_date: Annotated[str | None, typer.Option("--next", help="Next review date (default: by cadence).")] = None,
) -> None:
    """Record a review (append-only history); the next review is due by the vendor's cadence."""
    from vendorwatch import reviews  # late: it loads the alert channels, which `--help` does not need

    vw = get_app(ctx)
    try:
        with vw.session() as session:
            review = reviews.record_review(
                session,
                vendor,
                by=by,
                rating=rating,
                notes=notes,
                evidence=evidence,
                next_due=parse_date(next_date, "--next"),
                now=vw.now(),
            )
            due = review.next_due
    except reviews.ReviewError as exc:
        raise UserError(str(exc)) from None
    out.print(f"review of {vendor} recorded ({rating}); next due {due:%Y-%m-%d}", markup=False)


@reviews_app.command("history")
@handle_errors
def reviews_history(
    ctx: typer.Context,
    vendor: Annotated[str, typer.Argument(help="Vendor name as in the registry.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every review of a vendor, oldest first."""
    from vendorwatch import reviews  # late: it loads the alert channels, which `--help` does not need

    with get_app(ctx).session() as session:
        rows = [r.model_dump(exclude={"vendor_id"}) for r in reviews.history(session, vendor)]
    if as_json:
        print_json(rows)
        return
    table = compact(f"Reviews of {vendor}", ("Reviewed", "By", "Rating", "Next due", "Evidence"), "Notes")
    for r in rows:
        table.add_row(
            f"{r['reviewed_at']:%Y-%m-%d}",
            r["by"],
            r["rating"],
            f"{r['next_due']:%Y-%m-%d}",
            r["evidence"] or "",
            Clamp(r["notes"]),
        )
    out.print(table if rows else f"{vendor}: no reviews recorded")


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(reviews_app, name="reviews")
