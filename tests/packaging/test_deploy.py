"""The deployment files hold together: compose (PostgreSQL + two workers), the Dockerfile, the systemd unit."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_compose_runs_postgresql_and_two_healthchecked_workers_that_restart() -> None:
    services = _compose()["services"]
    workers = {name: svc for name, svc in services.items() if svc.get("command") == ["run"]}
    assert len(workers) == 2 and services["db"]["image"].startswith("postgres:")
    assert services["db"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    for svc in workers.values():
        assert svc["build"] == "." and svc["restart"] in ("unless-stopped", "always", "on-failure")
        assert svc["depends_on"] == {"db": {"condition": "service_healthy"}}
        assert svc["healthcheck"]["test"] == ["CMD", "vendorwatch", "status"]
        assert svc["environment"]["VENDORWATCH_DATABASE_URL"].startswith("postgresql+psycopg://vendorwatch@db:5432/")
        for volume in svc["volumes"]:
            assert (ROOT / volume.split(":")[0]).exists(), f"compose.yaml mounts {volume}: missing here"


def test_compose_uses_only_keys_the_compose_specification_knows() -> None:
    top = {"version", "name", "services", "networks", "volumes", "configs", "secrets", "include"}
    service = {
        "build",
        "image",
        "command",
        "restart",
        "depends_on",
        "environment",
        "volumes",
        "healthcheck",
        "stop_grace_period",
        "hostname",
        "ports",
        "env_file",
    }
    data = _compose()
    assert {k for k in data if not k.startswith("x-")} <= top
    for name, svc in data["services"].items():
        assert set(svc) <= service, f"service {name}: {sorted(set(svc) - service)}"
        for key in svc.get("healthcheck", {}):
            assert key in {"test", "interval", "timeout", "retries", "start_period"}, f"{name}: healthcheck.{key}"
    assert set(data["volumes"]) == {
        v.split(":")[0] for s in data["services"].values() for v in s.get("volumes", []) if not v.startswith(".")
    }
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        checked = subprocess.run(
            [docker, "compose", "-f", str(ROOT / "compose.yaml"), "config", "-q"], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr


def test_the_image_is_slim_non_root_and_healthchecked_by_status() -> None:
    lines = [x.strip() for x in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    froms = [x.split()[1] for x in lines if x.startswith("FROM ")]
    assert froms and all(f.endswith("-slim") for f in froms)
    users = [x.split()[1] for x in lines if x.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "HEALTHCHECK" in " ".join(lines) and 'CMD ["vendorwatch", "status"]' in " ".join(lines)
    for x in lines:
        if x.startswith("COPY ") and "--from" not in x:
            for src in x.split()[1:-1]:
                assert (ROOT / src).exists(), f"Dockerfile copies {src}: missing"


def test_the_systemd_unit_restarts_a_worker_that_gives_up() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(ROOT / "deploy" / "vendorwatch.service", encoding="utf-8")
    assert unit["Service"]["ExecStart"].split()[-1] == "run"
    assert unit["Service"]["Restart"] in ("on-failure", "always")
    assert unit["Service"]["User"] != "root" and unit["Install"]["WantedBy"] == "multi-user.target"
