"""What the parser names but only a command needs: its module, and a registry's names.

`parallax open FILE` builds the whole parser to start the window; importing every
command's module for it (article importers, the sample, every format's reader and
writer) cost the start ~50 ms. A command's module is imported when it runs, a
registry when its option is checked or its help is shown.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from importlib import import_module


class Later:
    """A command module imported on first call: `Later("app.cli.x").cmd_y` runs `cmd_y` from it."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            command: Callable[[argparse.Namespace], int] = getattr(import_module(self._module), name)
            return command(args)

        run.__name__ = run.__qualname__ = name
        return run


class Names:
    """A registry's names as argparse `choices`, read the first time an option is checked or listed.

    Give the option a `metavar` (and `%(choices)s` in its help): without one argparse lists
    the choices while the parser is built."""

    def __init__(self, module: str, registry: str = "FORMATS") -> None:
        self._module, self._registry = module, registry

    def _names(self) -> list[str]:
        return list(getattr(import_module(self._module), self._registry))

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())
