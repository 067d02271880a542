"""The one tokenizer, and the sentence breaks of token-based exports.

Tokens: runs of letters/digits (with their combining marks), numbers with
inner "." or "," ("3.5", "1,000"), and every other visible character alone
(an emoji keeps its modifiers). Whitespace, NBSP and zero-width spaces
separate tokens; offsets are code points. Token exports (CoNLL) and
token-level agreement share these tokens.

`sentence_breaks` is the light rule those exports use (every newline, and
". ! ?" before a capital, not after an initial or a common abbreviation);
`app.text.sentences` is the fuller splitter reconciliation reads with.
"""

from __future__ import annotations

import re

Token = tuple[int, int]  # start, end (code points)

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INVISIBLE = "\u200b\u2060\ufeff"  # zero-width space, word joiner, BOM: separators
_TOKEN = re.compile(
    rf"\d+(?:[.,]\d+)+"  # numbers with inner separators
    rf"|(?:\w|[{_MARKS}])+"  # words (and bare numbers)
    r"|[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    rf"|[^\w\s{_INVISIBLE}](?:[{_MARKS}\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]|\u200d[^\s{_INVISIBLE}])*"
)
_SENTENCE_END = re.compile(r"(?P<end>[.!?]+[\"'”’»)\]]*)[^\S\n]+(?:[\"'“‘«(\[][^\S\n]*)?(?P<next>\w)")
_ABBREVIATIONS = frozenset(
    (  # titles before a name: "Dr. Smith", "M. Macron"
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "jr",
        "sr",
        "mt",
        "vs",
        "m",
        "mm",
        "mme",
        "mlle",
        "mgr",
        "hr",
        "fr",
        "nr",
    )
)


def tokenize(text: str) -> list[Token]:
    return [match.span() for match in _TOKEN.finditer(text)]


def sentence_breaks(text: str) -> list[int]:
    """Offsets where a sentence ends (before the whitespace that follows it)."""
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    for match in _SENTENCE_END.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        before = text[start : match.start()]
        abbreviated = match.group("end") == "." and (
            (len(before) == 1 and before.isupper()) or before.lower() in _ABBREVIATIONS
        )
        if match.group("next").isupper() and not abbreviated:
            breaks.append(match.end("end"))
    return sorted(breaks)
