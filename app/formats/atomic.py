"""Write an export file whole or not at all.

The data goes to a temporary file beside the target, is flushed to disk, and
only then renamed over the target, so a failed or cancelled export never
leaves a half-written file (and never damages an older one of the same name).
"""

from __future__ import annotations

import glob
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from app.errors import ParallaxError
from app.storage.sidecars import is_abandoned


def _temp_beside(out: Path) -> tuple[Path, int]:
    # Named with our process id, so the next export removes those of a killed one.
    for old in out.parent.glob(f".{glob.escape(out.name)}.p*.tmp"):
        if is_abandoned(old, r"\.p(\d+)-[0-9a-f]{12}\.tmp$"):
            old.unlink(missing_ok=True)
    temp = out.with_name(f".{out.name}.p{os.getpid()}-{uuid.uuid4().hex[:12]}.tmp")
    try:  # 0o666 minus the umask, like any new file, unlike mkstemp's 0o600
        return temp, os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise ParallaxError(f"{out}: cannot write ({exc.strerror})") from exc


@contextmanager
def atomic_binary(out: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose content replaces `out` only if the block succeeds."""
    temp, fd = _temp_beside(out)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(out: Path, newline: str = "\n") -> Iterator[IO[str]]:
    """A UTF-8 text handle (no BOM); `newline=""` for the csv module."""
    with atomic_binary(out) as raw:
        wrapper = open(raw.fileno(), "w", encoding="utf-8", newline=newline, closefd=False)  # noqa: SIM115
        with wrapper:
            yield wrapper
