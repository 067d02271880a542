"""Shared fixtures. Qt runs offscreen; user folders are redirected to tmp."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.storage.project import Project

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep platformdirs (recent files, settings) out of the real home."""
    home = tmp_path_factory.mktemp("home")
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """A window frozen by one test (ui/long_lived.py) is not kept from the collector in the next."""
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def _template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new project with the default labels, built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.parallax"
    Project.create(path).close()
    return path


@pytest.fixture
def project_path(_template_project: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.parallax"
    shutil.copyfile(_template_project, path)
    return path


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.open(project_path) as opened:
        yield opened
