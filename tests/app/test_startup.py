"""Start-up loads only what the command uses: `--help` no database or feed library, `status` neither the ORM nor
Alembic once the schema is current (speed itself is measured in bench/, not asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from registry.connect import head_from_files
from registry.db import head_revision

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "feedparser", "httpx", "slack_sdk", "weasyprint", "uvicorn", "pydantic")
# Runs the console script's main() and reports its exit code and which heavy libraries it loaded.
PROBE = """
import json, sys
from vendorwatch.cli.main import main
heavy = json.loads(sys.argv[2])
sys.argv = ["vendorwatch", *json.loads(sys.argv[1])]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}), file=sys.stderr)
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[str, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_help_loads_no_database_feed_channel_or_web_library(tmp_path: Path) -> None:
    out, probe = _run(["--help"], tmp_path)
    assert probe == {"code": 0, "loaded": []}
    assert "Know within minutes when an identity vendor is breached" in out
    assert "status" in out and "poll" in out


def test_status_on_a_current_schema_loads_neither_the_orm_nor_alembic(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "vw.toml").write_text(f'database_url = "{db_url}"\nchannels = ["console"]\n')
    env = {"VENDORWATCH_CONFIG": str(tmp_path / "vw.toml")}
    first_out, first = _run(["status"], tmp_path, env)  # a new database: the store and Alembic create the schema
    again_out, again = _run(["status"], tmp_path, env)  # a health check run every few seconds: the quick read
    assert first["code"] == again["code"] == 0
    assert {"sqlalchemy", "alembic"} <= set(first["loaded"])  # type: ignore[arg-type]
    assert again["loaded"] == ["pydantic"], "only the settings' library: no ORM, Alembic, feed or channel library"
    assert "outbox: 0 waiting" in first_out and again_out == first_out


def test_the_head_read_off_the_migration_files_is_alembics() -> None:
    assert head_from_files() == head_revision()
