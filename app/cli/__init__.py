"""The `parallax` command line. Errors go to stderr with exit status 1.

The composition root: the only `app/` package that may start the GUI, lazily.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# Parallax uses no pydantic plugins; looking for them reads every installed package's entry points
# (~10 ms of the window's start, when the first model is built). Set it otherwise to have them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from app.cli.common import gui
from app.cli.parser import build_parser
from app.errors import ParallaxError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        return gui()
    try:
        result: int = args.run(args)
        return result
    except ParallaxError as exc:
        print(f"parallax: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("parallax: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left (`parallax info X | head`): stop quietly, as Unix tools do;
        # stdout goes to devnull so the flush at exit cannot raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
