"""`vendorwatch serve` refuses to start open to the network."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vendorwatch.cli.main import app


def test_serve_refuses_a_public_bind_without_an_auth_mode(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "vw.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "vw.db"}"\n', encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2 and "serve: host 0.0.0.0 is not loopback" in result.output


def test_serve_refuses_bearer_mode_without_its_token(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "vw.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "vw.db"}"\n[serve]\nauth = "bearer"\n', encoding="utf-8")
    result = runner.invoke(
        app, ["--config", str(config), "serve", "--host", "0.0.0.0"], env={"VENDORWATCH_SERVE_TOKEN": ""}
    )
    assert result.exit_code == 2 and "VENDORWATCH_SERVE_TOKEN" in result.output
