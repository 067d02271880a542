"""Annotation files in: Parallax native JSONL, brat, Label Studio, doccano (registry: formats.py)."""
