"""Commands for support artifacts: scan and sanitise HAR files, and the ledger of what vendors hold."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.table import Table

from vendorwatch.cli.common import UserError, get_app, handle_errors, out, print_json
from vendorwatch.cli.progress import working

P = ParamSpec("P")
R = TypeVar("R")
har_app = typer.Typer(help="Find replayable auth material in HAR files and sanitise them.", no_args_is_help=True)
artifacts_app = typer.Typer(help="The ledger of support artifacts given to vendors.", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help="The HAR file.", exists=True, dir_okay=False, readable=True)]
KeepBinary = Annotated[
    bool,
    typer.Option(
        "--keep-binary", help="Scan binary bodies/frames and unknown encodings as text instead of replacing them."
    ),
]


def _har_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Bad HAR input is a user error (exit 2); a leaky output is a failed run (exit 1). Never content."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from vendorwatch import har  # late, like artifacts below: `--help` loads neither

        try:
            return fn(*args, **kwargs)
        except har.HarError as exc:
            raise UserError(str(exc)) from None
        except har.UnsafeOutputError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None

    return wrapper


@har_app.command("scan")
@handle_errors
@_har_errors
def har_scan(
    ctx: typer.Context,
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    keep_binary: KeepBinary = False,
) -> None:
    """List every token, cookie and credential in a HAR (kind, location, fingerprint); exit 1 if any."""
    from vendorwatch import har
    from vendorwatch.har import artifacts

    key = artifacts.fingerprint_key(get_app(ctx).settings)
    findings = list(har.scan_har(file, key, keep_binary=keep_binary))
    if as_json:
        print_json([{"kind": f.kind, "location": f.location, "fingerprint": f.fingerprint} for f in findings])
    else:
        table = Table("Kind", "Location", "Fingerprint", title=f"{file.name}: {len(findings)} findings")
        for f in findings:
            table.add_row(f.kind, f.location, f.fingerprint)
        out.print(table if findings else f"{file.name}: no replayable auth material found", markup=False)
    if findings:
        raise typer.Exit(1)


@har_app.command("sanitize")
@handle_errors
@_har_errors
def har_sanitize(
    ctx: typer.Context,
    file: FileArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the sanitised HAR.", dir_okay=False)],
    keep_binary: KeepBinary = False,
) -> None:
    """Write a copy of the HAR with each secret replaced by a stable keyed placeholder, then rescan it.

    Binary bodies and frames are replaced whole unless --keep-binary. If the rescan finds anything, the
    copy is removed and the command exits 1.
    """
    from vendorwatch import har
    from vendorwatch.har import artifacts

    if output.resolve() == file.resolve():
        raise UserError("-o must differ from the input file")
    key = artifacts.fingerprint_key(get_app(ctx).settings)
    with working(f"sanitising {file.name}"):
        report = har.sanitize_har(file, output, key, keep_binary=keep_binary)
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.by_kind) or "none"
    out.print(
        f"{output}: {report.entries} entries, {report.replaced} secrets replaced ({report.distinct} distinct;"
        f" {kinds}); rescan clean",
        markup=False,
    )


@artifacts_app.command("record")
@handle_errors
@_har_errors
def artifacts_record(
    ctx: typer.Context,
    file: FileArg,
    vendor: Annotated[str, typer.Option("--vendor", help="The vendor the artifact was given to.")],
    case: Annotated[str, typer.Option("--case", help="The vendor's support case reference.")],
    by: Annotated[str | None, typer.Option("--by", help="Who shared it (default: the current user).")] = None,
) -> None:
    """Record that an artifact was given to a vendor: fingerprints of its tokens, never the tokens."""
    from vendorwatch.har import artifacts

    vw = get_app(ctx)
    key = artifacts.fingerprint_key(vw.settings)
    with vw.session() as session:
        artifact = artifacts.record_artifact(
            session, vendor, case, file, key=key, by=by or getpass.getuser(), now=vw.now()
        )
        n, artifact_id = artifacts.distinct_tokens(artifact), artifact.id
    out.print(
        f"artifact {artifact_id}: {file.name} (case {case}) given to {vendor}: {n} tokens fingerprinted", markup=False
    )


@artifacts_app.command("list")
@handle_errors
def artifacts_list(
    ctx: typer.Context,
    vendor: Annotated[str | None, typer.Option("--vendor", help="Only this vendor's artifacts.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Artifacts given to vendors, with how many tokens each exposed."""
    from vendorwatch.har import artifacts

    with get_app(ctx).session() as session:
        rows = [
            (a.model_dump(), name, artifacts.distinct_tokens(a))
            for a, name in artifacts.list_artifacts(session, vendor)
        ]
    if as_json:
        print_json([{**a, "vendor": name, "distinct_tokens": n} for a, name, n in rows])
        return
    table = Table("Id", "Vendor", "Case", "File", "Recorded", "By", "Tokens", "SHA-256", title="Support artifacts")
    for a, name, n in rows:
        table.add_row(
            str(a["id"]),
            name,
            a["case_ref"],
            a["filename"],
            f"{a['recorded_at']:%Y-%m-%d %H:%M}",
            a["recorded_by"],
            str(n),
            a["sha256"][:12],
        )
    out.print(table, markup=False)


def register(app: typer.Typer) -> None:
    """Attach these commands to the root app."""
    app.add_typer(har_app, name="har")
    app.add_typer(artifacts_app, name="artifacts")
