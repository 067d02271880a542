"""linecache without the sources PySide6's import hook reads.

Once PySide6 is imported, its `__feature__` import hook reads the source of every module
imported after it (`inspect.getsource`: does the module mention "PySide6"? PYSIDE-2029),
and linecache keeps each file's lines for good: 3.6 MB of Python heap by the time the window
shows, 1.2 MB more when the assist's worker processes start, lines nobody reads again. The
cache installed here drops what that hook reads and keeps everything else (a traceback's
lines, source registered by other libraries) as before.
"""

from __future__ import annotations

import linecache
import sys
from typing import Any

HOOK_FILE = "shibokensupport/feature.py"  # PySide6's embedded module holding the hook
HOOK_DEPTH = 8  # frames from the cache up to the hook: updatecache, getlines, findsource, ...


class _SourceCache(dict[str, Any]):
    def __setitem__(self, filename: str, entry: Any) -> None:
        frame = sys._getframe(1)
        for _ in range(HOOK_DEPTH):
            if frame.f_code.co_filename.endswith(HOOK_FILE):
                return  # read for PySide6's check: not kept
            if frame.f_back is None:
                break
            frame = frame.f_back
        super().__setitem__(filename, entry)


def keep_no_hook_sources() -> None:
    """Install the cache (once; what linecache holds already stays)."""
    if not isinstance(linecache.cache, _SourceCache):
        linecache.cache = _SourceCache(linecache.cache)
