"""Reading and decoding input files: size check first, strict decoding, line endings.

Every refusal raises `ImportRefused(path, reason)` with a reason a person can
act on ("invalid UTF-8 at byte 1234", "looks binary", "no text").
"""

from __future__ import annotations

import codecs
import stat
from pathlib import Path

from app.errors import ImportRefused
from app.text.utf8 import Utf8, of_utf8

MIB = 1024 * 1024
MAX_TEXT_BYTES = 10 * MIB

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls and DEL, less \t \n \v \f \r (as bytes: see count_controls)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_BINARY_CONTROL_SHARE = 0.01  # more than 1% control characters: not prose


def read_limited(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file no larger than `limit`, checked before reading."""
    try:
        info = path.stat()
    except OSError as exc:
        raise ImportRefused(path, f"cannot read: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise ImportRefused(path, "not a regular file")
    if info.st_size > limit:
        raise ImportRefused(path, f"too large ({_size(info.st_size)}; the limit is {_size(limit)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ImportRefused(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ImportRefused(path, f"too large (over {_size(limit)})")
    return data


def _size(count: int) -> str:
    return f"{count / MIB:.1f} MiB" if count >= MIB else f"{count} bytes"


def decode(path: Path, data: bytes, fallback: str | None = None, *, binary_check: bool = True) -> str:
    """Text from bytes: a BOM picks UTF-8/16/32, otherwise strict UTF-8.

    `fallback` names an encoding declared inside the file (HTML's charset),
    tried only when the bytes are not valid UTF-8. `binary_check=False` leaves
    `refuse_binary` to a caller that can tell when it is needed (JSONL).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(path, data, len(bom), encoding)
            break
    else:
        if b"\x00" in data:
            raise ImportRefused(path, "looks binary (contains NUL bytes)")
        text, utf8 = _utf8_or_declared(path, data, fallback)
        if utf8 and binary_check:  # strict UTF-8 round-trips: `data` is the text's encoding, no second copy
            refuse_binary(path, text, of_utf8(data))
            return text
    if binary_check:
        refuse_binary(path, text)
    return text


def _utf8_or_declared(path: Path, data: bytes, fallback: str | None) -> tuple[str, bool]:
    """The text, and whether it was UTF-8 (else the declared `fallback`)."""
    try:
        return _strict(path, data, 0, "utf-8"), True
    except ImportRefused:
        if fallback is None or _codec(fallback) in (None, "utf-8"):
            raise
    return _strict(path, data, 0, fallback), False


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _strict(path: Path, data: bytes, start: int, encoding: str) -> str:
    try:
        return data[start:].decode(encoding, errors="strict")
    except LookupError as exc:  # a declared charset that is no text encoding ("base64")
        raise ImportRefused(path, f"unknown text encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        label = encoding.upper()
        hint = " (save the file as UTF-8)" if label == "UTF-8" else ""
        raise ImportRefused(path, f"invalid {label} at byte {start + exc.start}{hint}") from exc


def refuse_binary(path: Path, text: str, scan: Utf8 | None = None) -> None:
    """Refuse decoded text that has NULs or many control characters; `scan`, if given, is
    `utf8(text)` (the caller had it already: no second encoding)."""
    odd = (of_utf8(text.encode("utf-8", "surrogatepass")) if scan is None else scan).odd
    if b"\x00" in odd:
        raise ImportRefused(path, "looks binary (contains NUL characters)")
    controls = count_controls(odd)
    if controls > max(8, len(text) * _BINARY_CONTROL_SHARE):
        raise ImportRefused(path, f"looks binary ({controls} control characters)")


def count_controls(odd: bytes) -> int:
    """How many control characters (`_CONTROL_BYTES`) a text holds, counted on its odd UTF-8
    bytes (app.text.utf8): they occur there only as themselves (every byte of a longer
    character is >= 0x80), and those few bytes are counted at C speed."""
    return len(odd) - len(odd.translate(None, _CONTROL_BYTES))


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    if "\r" not in text:  # most files: one scan instead of two copies' worth
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def require_text(path: Path, text: str) -> str:
    if not text.strip():
        raise ImportRefused(path, "no text (the file is empty or only whitespace)")
    return text


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A whole text file, decoded, checked and with LF line endings."""
    text = normalise_newlines(decode(path, read_limited(path, limit)))
    return require_text(path, text)
