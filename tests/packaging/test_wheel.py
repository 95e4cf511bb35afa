"""The built wheel works without a source checkout: its data ships inside it, the demo runs from an empty folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What a build needs and nothing else: a checkout's caches, databases or demo outputs must not leak in.
NOT_SOURCES = shutil.ignore_patterns(
    ".*", "build", "dist", "*.egg-info", "__pycache__", "tests", "bench", "docs", "*.db*", "vendorwatch-demo"
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the built wheel; its dependencies come from the running venv, read-only."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", src, cwd=work)
    assert built.returncode == 0, built.stderr
    wheel = next((work / "dist").glob("vendorwatch-*.whl"))
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work).stdout.strip())
    # A plain path line, so the running venv's editable finder (which maps to this checkout) stays out.
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "zz_running_venv.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel, cwd=work)
    assert done.returncode == 0, done.stderr
    return env_dir


@pytest.mark.slow
@pytest.mark.packaging
def test_the_installed_wheel_runs_the_demo_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VENDORWATCH_", "SLACK_", "PYTHON"))}
    where = _run(installed / "bin" / "python", "-c", "import vendorwatch; print(vendorwatch.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed), "the demo must run the installed copy"

    demo = _run(installed / "bin" / "vendorwatch", "demo", cwd=tmp_path, env=env)

    assert demo.returncode == 0, demo.stderr
    assert "5. Board report" in demo.stdout
    report = tmp_path / "vendorwatch-demo" / "board-report.pdf"
    assert report.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "vendorwatch-demo" / "vendorwatch.toml").is_file()
