"""Helpers shared by the store and project-file tests (plain functions, no fixtures)."""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from app.models import DocumentId, NewDocument
from app.storage.project import Project

Dump = dict[str, list[tuple[Any, ...]]]


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """A raw read-only connection to a project file, closed by `with`."""
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def dump(path: Path, *, shadow: bool = False) -> Dump:
    """Every row of every table, ordered, read through a separate connection.

    The FTS index is dumped as its rows (rowid, title, text); with `shadow` its
    internal tables are included too, byte for byte.
    """
    with read_only(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        tables = [n for n in names if shadow or not n.startswith("document_search_")]
        # rowid included (FTS rows have no other key); WITHOUT ROWID tables sort by content.
        without_rowid = {r[0] for r in conn.execute("SELECT name FROM pragma_table_list WHERE wr")}
        return {
            name: sorted(
                conn.execute(f'SELECT {"" if name in without_rowid else "rowid, "}* FROM "{name}"').fetchall(), key=repr
            )
            for name in tables
        }


def pragma(path: Path, name: str) -> Any:
    with read_only(path) as conn:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_doc(project: Project, text: str, title: str = "") -> DocumentId:
    outcome = project.add_documents([NewDocument(text=text, title=title)])
    assert outcome.value.added, f"{text!r} was already in the project"
    return outcome.value.added[0]


@contextmanager
def fresh_copy(template: Path) -> Iterator[Path]:
    """A copy of a project file in a folder of its own, removed afterwards.

    For property tests: each example gets its own project without a pytest fixture.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.parallax"
        shutil.copyfile(template, path)
        yield path


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `code` with `args` in a child Python; its output comes back as text."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


def spawn_python(code: str, *args: str) -> subprocess.Popen[str]:
    """A child Python running `code` with `args`, talking on stdin/stdout as text."""
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_once_said(code: str, said: str, *args: str) -> None:
    """Run `code` in a child Python, SIGKILL it as soon as it prints the line `said`, and reap it."""
    child = spawn_python(code, *args)
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline() == f"{said}\n", child.stderr.read() if child.stderr else ""
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        for stream in (child.stdin, child.stdout, child.stderr):
            if stream is not None:
                stream.close()


class Sample:
    """Two articles, three spans and two links: enough for cascades to show."""

    def __init__(self, project: Project) -> None:
        self.first = add_doc(project, "Mevlüt Çavuşoğlu met Lavrov in Moscow on Monday.", "Talks")
        self.second = add_doc(project, "Cavusoglu denied meeting Lavrov 😀 at all.", "Denial")
        self.annotator = project.annotator("ana").id
        self.person = project.add_span(self.first, 0, 16, "PERSON", self.annotator).value.id
        self.claim = project.add_span(self.first, 0, 48, "CLAIM", self.annotator, note="met").value.id
        self.denial = project.add_span(self.second, 0, 41, "CLAIM", "ana").value.id
        self.same = project.add_link("same_as", self.person, self.denial, self.annotator).value.id
        self.contra = project.add_link("contradicts", self.claim, self.denial, "ana", note="who is right?").value.id
