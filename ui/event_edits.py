"""Event edits from the GUI that are not the events panel's own (after an import)."""

from __future__ import annotations

from app.events.store import assign_new, events
from ui.open_project import OpenProject


def place_new(session: OpenProject) -> None:
    """After an import: put the new documents into events, if the project has any."""
    project = session.project
    if events(project):
        session.run("Place new articles in events", lambda: assign_new(project))
