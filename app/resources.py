"""Where the files shipped with Parallax live, installed or in a checkout.

In a wheel, `schema.sql` and `sample_corpus/` are packed inside `app/`; in a
source checkout (and an editable install) they sit at the repository top.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name} is missing from this Parallax installation")


def schema_path() -> Path:
    return _find("schema.sql")


def sample_corpus_path() -> Path:
    return _find("sample_corpus")
