"""Exports of a project to the formats its users train and evaluate with (registry: formats.py)."""
