"""The built wheel carries schema.sql and the sample corpus, and works installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("*.whl")
    return built


def test_wheel_contains_schema_corpus_and_entry_point(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "app/schema.sql" in names
    assert "app/sample_corpus/manifest.json" in names
    assert len([n for n in names if n.startswith("app/sample_corpus/") and n.endswith(".txt")]) == 5
    assert "ui/offsets.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "parallax = app.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_copy_builds_the_sample_project(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target))  # the installed copy wins over the checkout
    script = (
        "import app, sys; from app.cli import main; print(app.__file__); "
        "sys.exit(main(['new', 'demo.parallax', '--sample']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(str(target))
    assert "5 sample articles, 24 example spans" in done.stdout
