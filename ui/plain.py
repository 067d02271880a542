"""Showing untrusted text safely. Qt guesses rich text from a string's shape,
so imported titles, notes or article text could render HTML or fetch images;
every such string goes through here or through PlainText widgets."""

from __future__ import annotations

import html


def tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (escaped inside a rich-text shell)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
