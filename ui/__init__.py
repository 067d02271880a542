"""Parallax's Qt views, item models and undo commands. They call app/ for everything."""
