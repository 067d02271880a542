"""The error hierarchy. Every message names the file or object and the problem.

The UI shows `str(error)` in a dialog; the CLI prints it to stderr and exits 1.
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base of every error Parallax raises on purpose."""


class ProjectError(ParallaxError):
    """The project file cannot be opened or used as it is."""


class NotAProject(ProjectError):
    """The file is not a Parallax project (wrong application_id, not SQLite)."""


class SchemaTooNew(ProjectError):
    """The file was written by a newer Parallax."""


class CorruptProject(ProjectError):
    """SQLite reports damage, or stored data contradicts itself."""


class SchemaMismatch(ProjectError):
    """The file's tables, indexes, triggers or views are not exactly those Parallax makes."""


class ProjectInUse(ProjectError):
    """Another process holds the project open."""


class ProjectReadOnly(ProjectError):
    """The file or its folder cannot be written."""


class InvalidOperation(ParallaxError):
    """An operation was refused; the project is unchanged."""


class NotFound(InvalidOperation):
    """An id or name does not exist in the project."""


class ImportRefused(ParallaxError):
    """One input file was refused; nothing from it was stored."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
