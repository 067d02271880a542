"""Parallax's Qt views, item models and undo commands. They call app/ for everything."""

from ui.source_lines import keep_no_hook_sources

keep_no_hook_sources()  # here, before any ui module imports PySide6 (see ui.source_lines)
