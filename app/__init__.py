"""Parallax core: the project file, models, importers and operations. No Qt here."""

__version__ = "0.1.0"
