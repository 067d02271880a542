"""The project file itself: header marks, refusing foreign, newer and damaged files without
touching them, read-only files and folders, a single complete file after close, foreign
keys, the lock against a second process, and surviving SIGKILL."""

from __future__ import annotations

import os
import pwd
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.errors import (
    CorruptProject,
    NotAProject,
    NotFound,
    ProjectError,
    ProjectInUse,
    ProjectReadOnly,
    SchemaTooNew,
)
from app.models import NewDocument
from app.storage import connection
from app.storage.project import Project
from tests.core.store_helpers import Sample, add_doc, pragma, run_python, sha, spawn_python

REPO = Path(__file__).resolve().parents[2]


def leftovers(path: Path) -> list[str]:
    """SQLite side files next to `path` (the lock file is ours, not SQLite's)."""
    return sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


def test_header_marks_the_file_as_ours(project_path: Path) -> None:
    with Project.open(project_path) as project:
        add_doc(project, "text")
    assert pragma(project_path, "application_id") == connection.APPLICATION_ID == 0x50524C58
    assert pragma(project_path, "user_version") == connection.schema_version() == 5
    header = connection.read_header(project_path)
    assert (header.application_id, header.user_version) == (0x50524C58, 5)


def test_new_project_refuses_an_existing_path(project_path: Path) -> None:
    before = sha(project_path)
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_path)
    assert sha(project_path) == before


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.parallax"
    with pytest.raises(NotFound, match=str(missing)):
        Project.open(missing)
    assert not missing.exists()


# ---- files that must be refused, untouched --------------------------------------------------


def _big_project(path: Path) -> None:
    with Project.create(path) as project:
        project.add_documents([NewDocument(text=f"article {i} " + "word " * 400) for i in range(30)])
        for doc in range(1, 31):
            for start in range(5):
                project.add_span(doc, start, start + 3, "PERSON", "ana")


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a project with some 80 pages, to damage in various ways."""
    path = tmp_path_factory.mktemp("big") / "big.parallax"
    _big_project(path)
    return path.read_bytes()


def _page_size(data: bytes) -> int:
    return int.from_bytes(data[16:18], "big")


def _overwrite(data: bytes, page: int, offset: int, junk: bytes) -> bytes:
    at = (page - 1) * _page_size(data) + offset
    return data[:at] + junk + data[at + len(junk) :]


def _root_page(data: bytes, table: str) -> int:
    with tempfile.NamedTemporaryFile(suffix=".parallax") as copy:
        copy.write(data)
        copy.flush()
        with closing(sqlite3.connect(f"file:{copy.name}?mode=ro", uri=True)) as conn:
            found: int = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            return found


def _middle_page_garbage(data: bytes) -> bytes:
    pages = len(data) // _page_size(data)
    junk = random.Random(7).randbytes(_page_size(data))
    return _overwrite(data, pages // 2, 0, junk)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "span table page header scribbled": lambda d: _overwrite(d, _root_page(d, "span"), 0, b"\xff" * 12),
    "schema page scribbled past the file header": lambda d: _overwrite(d, 1, 100, b"\xff" * 12),
    "a page in the middle overwritten": _middle_page_garbage,
    "truncated to half": lambda d: d[: len(d) // 2],
    "truncated mid-page": lambda d: d[: len(d) // 2 + 1000],
    "last page cut off": lambda d: d[: len(d) - _page_size(d)],
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_file_refused_and_untouched(big_project: bytes, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "damaged.parallax"
    path.write_bytes(DAMAGE[damage](big_project))
    before = sha(path)
    with pytest.raises(CorruptProject, match=str(path)):
        Project.open(path)
    assert sha(path) == before
    assert leftovers(path) == []


def test_damaged_text_is_noticed_when_loaded(project_path: Path) -> None:
    with Project.open(project_path) as project:
        doc = add_doc(project, "The Minister Said 40 People.")
    data = project_path.read_bytes()
    assert data.count(b"Said 40 People") == 2  # the text, and the search index's copy (ASCII: stored as is)
    project_path.write_bytes(data.replace(b"Said 40 People", b"Said 90 People"))
    with Project.open(project_path) as project, pytest.raises(CorruptProject, match="damaged"):
        project.text(doc)


def _sqlite_not_ours(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('hello')")
        conn.commit()


def _newer_version(path: Path, template: Path) -> None:
    shutil.copyfile(template, path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {connection.schema_version() + 1}")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p, t: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8), NotAProject, "not an SQLite"),
        (lambda p, t: p.write_text("id,title\n1,news\n"), NotAProject, "not an SQLite"),
        (lambda p, t: p.write_bytes(b""), NotAProject, "not an SQLite"),
        (lambda p, t: p.write_bytes(b"SQLite format 3\x00"), NotAProject, "not an SQLite"),
        (lambda p, t: _sqlite_not_ours(p), NotAProject, "not a Parallax project"),
        (_newer_version, SchemaTooNew, "newer Parallax"),
    ],
    ids=["pdf", "csv", "empty", "bare magic", "sqlite not ours", "newer version"],
)
def test_foreign_file_refused_and_untouched(
    tmp_path: Path, project_path: Path, make: Callable[[Path, Path], None], error: type[ProjectError], message: str
) -> None:
    path = tmp_path / "other.parallax"
    make(path, project_path)
    before = sha(path)
    with pytest.raises(error, match=message) as raised:
        Project.open(path)
    assert str(path) in str(raised.value)
    assert sha(path) == before
    assert leftovers(path) == []


# ---- a complete single file, foreign keys ---------------------------------------------------


def test_after_close_the_file_alone_holds_everything(project_path: Path, tmp_path: Path) -> None:
    with Project.open(project_path) as project:
        Sample(project)
        spans, links, docs = project.spans(), project.links(), project.documents()
    assert leftovers(project_path) == []
    assert project_path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "copy.parallax"
    shutil.copyfile(project_path, copy)
    with Project.open(copy) as reopened:
        assert (reopened.spans(), reopened.links(), reopened.documents()) == (spans, links, docs)
        assert {h.document_id for h in reopened.search("Cavusoglu")} == {d.id for d in docs}


def test_close_twice_is_harmless(project_path: Path) -> None:
    project = Project.open(project_path)
    project.close()
    project.close()
    Project.open(project_path).close()


def test_foreign_keys_are_enforced(project_path: Path) -> None:
    conn = connection.connect(project_path)
    try:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute(
                'INSERT INTO span (uuid, document_id, start, "end", label_id,'
                " annotator_id, quote, created_at) VALUES ('u', 99, 0, 1, 99, 99, 'x', 'now')"
            )
    finally:
        connection.close(conn)


# ---- read-only, for real, as an unprivileged user --------------------------------------------

OPEN_AND_REPORT = """
import sys
from app.errors import ParallaxError
from app.storage.project import Project
try:
    Project.open(sys.argv[1]).close()
except ParallaxError as exc:
    print(type(exc).__name__)
    print(exc)
else:
    print("opened")
"""


def _python_for(user: str) -> tuple[list[str], dict[str, str]]:
    """An interpreter `user` may run that imports this checkout of `app`.

    The venv's own interpreter may live under root's private home; then a system
    Python of the same version, pointed at the venv's site-packages, stands in.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    site = [sysconfig.get_paths()[key] for key in ("purelib", "platlib")]
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": "/tmp",
        "PYTHONPATH": os.pathsep.join([str(REPO), *dict.fromkeys(site)]),
    }
    candidates = [sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for python in candidates:
        if not Path(python).exists():
            continue
        try:
            probe = run_python_as(user, [python, "-s", "-c", "import app.storage.project"], env)
        except PermissionError:
            continue
        if probe.returncode == 0:
            return [python, "-s"], env
    pytest.skip(f"no Python {version} that user {user!r} can run with this checkout's packages")


def run_python_as(user: str, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, user=user, env=env, capture_output=True, text=True, timeout=60, cwd="/tmp")


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder outside pytest's private (0700) tmp tree that another user can enter."""
    folder = Path(tempfile.mkdtemp(prefix="parallax-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.parametrize(
    ("file_mode", "folder_mode", "expected"),
    [
        (0o666, 0o777, "opened"),  # the control: the same user can open a writable project
        (0o444, 0o777, ProjectReadOnly.__name__),
        (0o666, 0o555, ProjectReadOnly.__name__),
    ],
    ids=["writable", "read-only file", "read-only folder"],
)
def test_read_only_project_as_another_user(
    project_path: Path, shared_folder: Path, file_mode: int, folder_mode: int, expected: str
) -> None:
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("nobody")
        except KeyError:
            pytest.skip("no user 'nobody' to drop root privileges to")
        user = "nobody"
    else:
        user = pwd.getpwuid(os.geteuid()).pw_name  # not root: permissions already apply
    python, env = _python_for(user)
    path = shared_folder / "shared.parallax"
    shutil.copyfile(project_path, path)
    path.chmod(file_mode)
    shared_folder.chmod(folder_mode)
    before = sha(path)
    done = run_python_as(user, [*python, "-c", OPEN_AND_REPORT, str(path)], env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == expected, done.stdout
    if expected != "opened":
        assert str(path) in lines[1] and "read-only" in lines[1]
        assert sha(path) == before
        assert leftovers(path) == []


# ---- a full disk ------------------------------------------------------------------------------

WRITE_WITH_FULL_DISK = """
import resource, signal, sys
from app.errors import ParallaxError
from app.models import NewDocument
from app.storage.project import Project
with Project.open(sys.argv[1]) as project:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, resource.RLIM_INFINITY))
    try:
        project.add_documents([NewDocument(text="word " * 100_000)])
    except ParallaxError as exc:
        print(type(exc).__name__)
        print(exc)
    print(len(project.documents()))
"""


def test_a_write_that_cannot_be_saved_is_reported_and_undone(project_path: Path) -> None:
    """When the disk fills, SQLite rolls back by itself; the real error must still come out."""
    done = run_python(WRITE_WITH_FULL_DISK, str(project_path))
    assert done.returncode == 0, done.stderr
    kind, message, count = done.stdout.splitlines()
    assert kind == "ProjectError" and str(project_path) in message and "not saved" in message
    assert count == "0"
    with Project.open(project_path) as project:
        assert project.documents() == []
        add_doc(project, "room enough now")
    assert pragma(project_path, "integrity_check") == "ok"


# ---- a second process ------------------------------------------------------------------------

HOLD_OPEN = """
import sys
from app.storage.project import Project
project = Project.open(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
project.close()
"""


@pytest.mark.parametrize("ending", ["closes", "is killed"])
def test_second_process_holds_the_lock(project_path: Path, ending: str) -> None:
    with Project.open(project_path) as project:
        Sample(project)
    child = spawn_python(HOLD_OPEN, str(project_path))
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline() == "open\n", child.stderr.read() if child.stderr else ""
        with pytest.raises(ProjectInUse, match=str(project_path)):
            Project.open(project_path)
        if ending == "closes":
            child.stdin.close()
        else:
            child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        _reap(child)
    with Project.open(project_path) as project:
        assert len(project.spans()) == 3
    assert pragma(project_path, "integrity_check") == "ok"


def _reap(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
    child.wait(timeout=30)
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None:
            stream.close()


# ---- SIGKILL in the middle of work ----------------------------------------------------------

ADD_SPANS = """
import sys
from app.storage.project import Project
project = Project.open(sys.argv[1])
doc = int(sys.argv[2])
length = len(project.text(doc))
for i in range(1000):
    start = i % (length - 1)
    span = project.add_span(doc, start, start + 1, "PERSON", "ana", note=str(i)).value
    print(span.uuid, flush=True)
project.close()
"""


def test_every_reported_span_survives_sigkill(project_path: Path) -> None:
    with Project.open(project_path) as project:
        doc = add_doc(project, "Çavuşoğlu 😀 " * 10)
    child = spawn_python(ADD_SPANS, str(project_path), str(doc))
    printed: list[str] = []
    try:
        assert child.stdout is not None
        while len(printed) < 300:
            line = child.stdout.readline()
            assert line, f"the child stopped early: {child.stderr.read() if child.stderr else ''}"
            printed.append(line.strip())
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        printed += [
            line.strip() for line in child.stdout.read().splitlines(keepends=True) if line.endswith("\n")
        ]  # whatever was already in the pipe, whole lines only
    finally:
        _reap(child)
    assert child.returncode == -signal.SIGKILL
    assert len(printed) < 1000, "the child finished before it was killed"
    assert pragma(project_path, "integrity_check") == "ok"
    with Project.open(project_path) as project:
        stored = {span.uuid for span in project.spans(doc)}
    assert set(printed) <= stored
    assert pragma(project_path, "integrity_check") == "ok"


def test_run_python_helper_sees_this_checkout() -> None:
    done = run_python("import app, sys; print(app.__file__)")
    assert Path(done.stdout.strip()).resolve().is_relative_to(REPO)


def test_close_while_another_program_reads_keeps_every_write(tmp_path: Path) -> None:
    path = tmp_path / "shared.parallax"
    project = Project.create(path)
    (doc,) = project.add_documents([NewDocument(text="Garneau spoke on Monday.")]).value.added
    project.add_span(doc, 0, 7, "PERSON", "Ana")
    with closing(sqlite3.connect(path)) as reader:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM span").fetchone() == (1,)
        project.close()  # must not raise although the reader holds a shared lock
        reader.execute("COMMIT")
    with Project.open(path) as again:
        assert [s.quote for s in again.spans()] == ["Garneau"]
