"""What several `parallax` commands share: starting the GUI, notices about the file, name lists."""

from __future__ import annotations

import sys
from pathlib import Path

from app.storage.project import Project


def gui(project: Path | None = None, demo: bool = False) -> int:
    """Start the desktop app. Imported here so the core never loads Qt."""
    from ui.app import run

    return run(project=project, demo=demo)


def notices(project: Project) -> None:
    """What opening did that the user must hear of (a stray log set aside)."""
    for notice in project.notices:
        print(f"parallax: note: {notice}", file=sys.stderr)


def names(value: str | None) -> frozenset[str] | None:
    return frozenset(x.strip() for x in value.split(",") if x.strip()) if value else None
