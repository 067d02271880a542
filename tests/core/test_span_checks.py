"""The span's validator is built on request, before the first hotkey needs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_span_checks_are_built_lazily_and_on_request(tmp_path: Path) -> None:
    """In a fresh interpreter: no span validator before `prepare_span_checks`, one after."""
    probe = (
        "from pydantic._internal._mock_val_ser import MockValSer\n"
        "from app.models import Span\n"
        "from app.storage.annotations import prepare_span_checks\n"
        "assert isinstance(Span.__pydantic_validator__, MockValSer)\n"
        "prepare_span_checks()\n"
        "assert not isinstance(Span.__pydantic_validator__, MockValSer)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=Path(__file__).parents[2], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
