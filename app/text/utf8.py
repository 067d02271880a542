"""A text's UTF-8 and its odd bytes, found once for everyone who reads them.

An import checks each text for controls (looks binary?) and the store needs its hash and
whether its search row must be folded: both read the same bytes. Encoding a text and picking
its odd bytes out are each a C-speed pass over it; done once, not per reader (a tenth of
importing a thousand JSONL articles was doing them twice).
"""

from __future__ import annotations

from dataclasses import dataclass

# Tab, LF, CR and printable ASCII. Deleting them from UTF-8 leaves exactly the bytes of the
# other characters (each byte of a longer character is >= 0x80, never one of these).
PLAIN = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])


@dataclass(frozen=True, slots=True)
class Utf8:
    data: bytes  # the text in UTF-8
    odd: bytes  # data less PLAIN: the non-ASCII characters' bytes and the control characters


def utf8(text: str) -> Utf8:
    """The text's UTF-8 and its odd bytes; UnicodeEncodeError if it holds a lone surrogate."""
    return of_utf8(text.encode("utf-8"))


def of_utf8(data: bytes) -> Utf8:
    """`data`, a text's UTF-8, with its odd bytes."""
    return Utf8(data, data.translate(None, PLAIN))
