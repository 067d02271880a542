"""Which project files were last checked whole, so an open pays for it once.

A whole-file check (`PRAGMA quick_check`) reads every page: fine once, too
slow on every open of a large project. A file is checked when it is new to
this machine (received, copied, restored) or was not closed cleanly; after
that, its identity at the last clean close is remembered here. Any change
made by another program (size, times, inode) makes it new again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

KEEP = 500  # remembered files; the oldest are forgotten first


def _store() -> Path:
    return platformdirs.user_state_path("parallax") / "verified-files.json"


def _fingerprint(path: Path) -> str:
    info = path.stat()
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def _load() -> dict[str, str]:
    try:
        found = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def is_verified(path: Path) -> bool:
    try:
        return _load().get(str(path.absolute())) == _fingerprint(path)
    except OSError:
        return False


def mark_verified(path: Path) -> None:
    """Remember `path` as it is now; a failure to remember only costs a later check."""
    try:
        known = _load()
        known.pop(str(path.absolute()), None)
        known[str(path.absolute())] = _fingerprint(path)
        store = _store()
        store.parent.mkdir(parents=True, exist_ok=True)
        temp = store.with_name(f".{store.name}.p{os.getpid()}.tmp")
        temp.write_text(json.dumps(dict(list(known.items())[-KEEP:])), encoding="utf-8")
        os.replace(temp, store)
    except OSError:
        pass
