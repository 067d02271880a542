"""Showing untrusted text safely. Qt guesses rich text from a string's shape,
so imported titles, notes or article text could render HTML or fetch images;
every such string goes through here or through PlainText widgets."""

from __future__ import annotations

# What `html.escape(text)` replaces, without importing `html` at start-up: it loads
# `html.entities` (2,000 names, ~0.5 MB) for unescaping, which nothing here needs.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """`html.escape(text)`: markup characters as entities, quotes included."""
    return text.translate(_ESCAPES)


def tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (escaped inside a rich-text shell)."""
    return "<p style='white-space:pre-wrap'>" + escape(text) + "</p>"
