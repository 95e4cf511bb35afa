"""Fresh starts after a fault is fixed: quarantined items (`items list`, `items retry`) and set-aside reminders
(`tasks resume`). Each is audited; `status` stops reporting what was released."""

from __future__ import annotations

from typing import Annotated

import typer

from vendorwatch.cli.common import UserError, get_app, handle_errors, out, print_json
from vendorwatch.cli.tasks import tasks_app
from vendorwatch.wording import plural

items_app = typer.Typer(
    help="Feed items whose triage failed too often (quarantined), and retrying them.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app (`tasks resume` joins the tasks group)."""
    app.add_typer(items_app, name="items")


@items_app.command("list")
@handle_errors
def items_list(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List quarantined items with their last triage error."""
    from registry.repo import items

    vw = get_app(ctx)
    with vw.session() as s:
        rows = [
            (i.id, i.source_id, i.title, i.triage_failures, i.triage_error, i.quarantined_at)
            for i in items.quarantined(s)
        ]
    if as_json:
        print_json(
            [
                {"id": i, "source": src, "title": t, "failures": n, "error": e, "quarantined_at": at}
                for i, src, t, n, e, at in rows
            ]
        )
        return
    if not rows:
        out.print("no quarantined items", markup=False)
        return
    for i, src, title, n, error, _ in rows:
        out.print(f"item {i} ({src}): {title[:60]}", markup=False)
        out.print(f"  failed {plural(n, 'time')}: {error or 'no error recorded'}", markup=False, style="yellow")
    out.print("retry with `vendorwatch items retry ID --by NAME` (or `--all`) once the cause is fixed", markup=False)


@items_app.command("retry")
@handle_errors
def items_retry(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help="Who released them.")],
    item_ids: Annotated[list[int] | None, typer.Argument(metavar="[ID]...", help="Quarantined items to retry.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every quarantined item.")] = False,
) -> None:
    """Release quarantined items: the next poll triages them again (three more tries)."""
    from registry.repo import audit, items

    if bool(item_ids) == all_:
        raise UserError("name the items to retry (IDs) or pass --all, not both")
    vw = get_app(ctx)
    with vw.session() as s:
        found = items.quarantined(s, None if all_ else item_ids)
        missing = sorted(set(item_ids or ()) - {i.id for i in found})
        if missing:
            raise UserError(f"not quarantined: item {', '.join(map(str, missing))} (see `vendorwatch items list`)")
        for item in found:
            audit.record(
                s,
                at=vw.now(),
                actor=by,
                action="item.released",
                entity="item",
                entity_id=str(item.id),
                before={"failures": item.triage_failures, "error": item.triage_error},
                after={"failures": 0},
            )
            items.release(s, item)
    out.print(f"released {plural(len(found), 'item')}: the next poll triages them again", markup=False)


@tasks_app.command("resume")
@handle_errors
def tasks_resume(
    ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(metavar="ID")],
    by: Annotated[str, typer.Option("--by", help="Who resumed it.")],
) -> None:
    """Remind a task again whose reminders were set aside after failing (once the cause is fixed)."""
    from registry.models import Task
    from vendorwatch.runbooks.reminders import resume_reminders

    vw = get_app(ctx)
    with vw.session() as s:
        task = s.get(Task, task_id)
        if task is None:
            raise UserError(f"no task {task_id}")
        if not resume_reminders(s, task, by=by, now=vw.now()):
            raise UserError(f"task {task_id}: its reminders are not set aside")
    out.print(f"task {task_id}: reminders resume at the next reminder run", markup=False)
