"""`vendorwatch demo`: the whole job end to end on bundled sample data, SQLite, no Slack token."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry import api as registry_api
from vendorwatch.app import App
from vendorwatch.settings import Settings

CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


@dataclass(frozen=True)
class DemoPaths:
    """Where the demo reads its sample data and writes its outputs."""

    workdir: Path
    data: Path = CONFIG_DIR / "demo"

    @property
    def registry(self) -> Path:
        """The demo registry file."""
        own = self.data / "registry.yaml"
        return own if own.exists() else CONFIG_DIR / "registry.example.yaml"

    @property
    def database_url(self) -> str:
        """A fresh SQLite file in the work directory."""
        return f"sqlite:///{self.workdir / 'demo.db'}"


def demo_app(paths: DemoPaths) -> App:
    """A new App on a fresh demo database."""
    paths.workdir.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        (paths.workdir / f"demo.db{suffix}").unlink(missing_ok=True)
    return App(settings=Settings(database_url=paths.database_url, channels=["console"]))


def import_registry(app: App, paths: DemoPaths) -> registry_api.ImportChanges:
    """Step 1: import the demo registry."""
    with app.session() as session:
        return registry_api.import_file(session, paths.registry)
