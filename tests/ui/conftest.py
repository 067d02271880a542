"""GUI-test fixtures: screenshots go to each test's own tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui import dialog_helpers


@pytest.fixture(autouse=True)
def _shots_in_tmp_path(tmp_path: Path) -> Iterator[None]:
    dialog_helpers.shots_folder = tmp_path
    yield
    dialog_helpers.shots_folder = None
