"""Proposals in the workspace: drawn dashed, accepted and rejected by key, undone like spans."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextCursor

from app.assist.decisions import rejected_keys
from app.assist.proposals import Proposal, Tagged
from app.storage.changes import Changes
from app.storage.project import Project
from tests.core.assist_helpers import sample_project, tag_gold
from ui.main_window import MainWindow
from ui.open_project import OpenProject
from ui.settings import UserSettings
from ui.workspace.article_pane import ArticlePane
from ui.workspace.assist_panel import AssistPanel

pytestmark = pytest.mark.gui
ORG_KEY = "2"  # the default labels' hotkeys: 1 PERSON, 2 ORG, 3 LOCATION


@pytest.fixture
def window(qtbot, project_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    project = Project.open(project_path)
    ids = sample_project(project)
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.resize(1400, 860)
    main.show()
    main.workspace.open_document(ids[4], 0)  # "... L3Harris Wescam."
    main.workspace.open_document(ids[1], 1)  # "... L3Harris WESCAM, ..."
    main.flush()
    yield main
    main.close()


def pane(window: MainWindow, index: int) -> ArticlePane:
    return window.workspace.area.panes[index]


def tag(qtbot, window: MainWindow, index: int, word: str, key: str) -> None:
    """Select a word in a pane as a drag would, then press a label's hotkey."""
    view = pane(window, index).view
    found = view.document().find(word, 0, view.document().FindFlag.FindCaseSensitively)
    view.setTextCursor(found)
    view.setFocus()
    qtbot.keyClick(view, key)
    window.flush()


def shown(qtbot, window: MainWindow, index: int, text: str) -> Proposal:
    """Wait until a pane shows a proposal of this text (computed off the GUI thread)."""
    qtbot.waitUntil(lambda: any(p.text == text for p in window.assist.shown[index]), timeout=10_000)
    return next(p for p in window.assist.shown[index] if p.text == text)


def put_cursor(window: MainWindow, index: int, proposal: Proposal) -> None:
    view = pane(window, index).view
    view.select_text(proposal.start + 1, proposal.start + 1)
    view.setFocus()


def press(qtbot, window: MainWindow, index: int, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(pane(window, index).view, key, modifier)
    window.flush()
    window.assist.refresher.flush()


def rows(window: MainWindow, sql: str) -> list[tuple[object, ...]]:
    """Read the project file through a separate connection, as another program would."""
    with closing(sqlite3.connect(f"file:{window.session.project.path}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchall()


def ann_spans(window: MainWindow) -> list[tuple[int, str]]:
    project = window.session.project
    return sorted((s.document_id, s.quote) for s in project.spans() if s.annotator_id == window.session.annotator_id)


def test_the_assist_starts_only_once_the_window_is_painted_then_proposes(
    qtbot, project_path: Path, tmp_path: Path
) -> None:
    project = Project.open(project_path)
    ids = sample_project(project)
    text = project.text(ids[4])
    start = text.index("Wescam")  # a span already there: the first refresh has work to do
    project.add_span(ids[4], start, start + len("Wescam"), "ORG", "Ana")
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.workspace.open_document(ids[1], 1)
    main.workspace.refresher.flush()
    assert not main.assist.started and main.assist._version == 0  # built, never shown: no refresh ran
    main.show()
    qtbot.waitUntil(lambda: main.assist.started, timeout=10_000)  # the first paint started it
    shown(qtbot, main, 1, "WESCAM")
    main.close()


def test_tagging_wescam_draws_a_dashed_proposal_on_the_other_article(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tag(qtbot, window, 0, "Wescam", ORG_KEY)
    found = shown(qtbot, window, 1, "WESCAM")
    assert window.session.project.label(found.label_id).name == "ORG"
    assert list(window.assist.shown[0]) == []  # the tagged one is a span, not a proposal
    view = pane(window, 1).view
    assert all(s.quote != "WESCAM" for s in view.spans)  # never a real span
    view.select_text(found.start, found.start)
    view.centerCursor()
    overlay = window.assist.overlays[1]
    rects = overlay.rects(found.start, found.end)
    assert len(rects) == 1 and rects[0].width() > 20
    shot = tmp_path / "proposal.png"
    assert window.grab().save(str(shot))
    # The outline is drawn in the ORG colour (#E69F00, hue 41°) on the overlay, nowhere in the text's formats.
    image = QImage(overlay.grab().toImage())
    edge = rects[0].toRect()
    drawn = [
        image.pixelColor(x, y) for x in range(edge.left() - 2, edge.right() + 3) for y in (edge.top(), edge.top() + 1)
    ]
    assert sum(abs(c.hue() - 41) < 12 and c.saturation() > 60 for c in drawn) > 5
    inside = [image.pixelColor(x, edge.center().y()) for x in range(edge.left() + 3, edge.right() - 3)]
    background = overlay.palette().window().color().name()
    assert {c.name() for c in inside} == {background}  # an outline only: nothing painted over the text


def test_enter_accepts_the_proposal_under_the_cursor_and_undo_takes_it_back(qtbot, window: MainWindow) -> None:
    tag(qtbot, window, 0, "Wescam", ORG_KEY)
    found = shown(qtbot, window, 1, "WESCAM")
    put_cursor(window, 1, found)
    press(qtbot, window, 1, Qt.Key.Key_Return)
    assert (found.document_id, "WESCAM") in ann_spans(window)
    assert all(s.quote != "WESCAM" or s.label_id == found.label_id for s in pane(window, 1).view.spans)
    qtbot.waitUntil(lambda: list(window.assist.shown[1]) == [])
    window.session.undo_stack.undo()
    window.flush()
    assert (found.document_id, "WESCAM") not in ann_spans(window)
    assert shown(qtbot, window, 1, "WESCAM") == found
    window.session.undo_stack.redo()
    window.flush()
    assert (found.document_id, "WESCAM") in ann_spans(window)


def test_a_label_key_in_a_proposal_accepts_it_with_that_label(qtbot, window: MainWindow) -> None:
    tag(qtbot, window, 0, "Wescam", ORG_KEY)
    found = shown(qtbot, window, 1, "WESCAM")
    put_cursor(window, 1, found)
    qtbot.keyClicks(pane(window, 1).view, "6")  # EQUIPMENT
    window.flush()
    made = [s for s in window.session.project.spans(found.document_id) if s.quote == "WESCAM"]
    assert [window.session.project.label(s.label_id).name for s in made] == ["EQUIPMENT"]
    window.session.undo_stack.undo()
    window.flush()
    assert window.session.project.spans(found.document_id) == []


def test_backspace_rejects_and_the_rejection_is_kept_in_the_project(qtbot, window: MainWindow) -> None:
    settings_before = rows(window, "SELECT key FROM setting")
    tag(qtbot, window, 0, "Wescam", ORG_KEY)
    found = shown(qtbot, window, 1, "WESCAM")
    put_cursor(window, 1, found)
    press(qtbot, window, 1, Qt.Key.Key_Backspace)
    assert found.key in rejected_keys(window.session.project)
    # In the file: the one real span and the rejection; no proposal anywhere (agreement and gold read spans).
    assert rows(window, "SELECT quote FROM span") == [("Wescam",)]
    assert set(rows(window, "SELECT key FROM setting")) - set(settings_before) == {("assist.rejected",)}
    assert (found.document_id, "WESCAM") not in ann_spans(window)
    qtbot.waitUntil(lambda: list(window.assist.shown[1]) == [])
    window.session.undo_stack.undo()
    window.flush()
    assert shown(qtbot, window, 1, "WESCAM") == found


def test_shift_enter_accepts_the_text_everywhere_as_one_undo_step(qtbot, window: MainWindow) -> None:
    tag(qtbot, window, 0, "Garneau", "1")
    found = shown(qtbot, window, 1, "Garneau")
    before = window.session.undo_stack.count()
    put_cursor(window, 1, found)
    press(qtbot, window, 1, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    texts = [window.session.project.text(d.id) for d in window.session.project.documents()]
    everywhere = sum(t.count("Garneau") for t in texts)
    qtbot.waitUntil(lambda: len(ann_spans(window)) == everywhere)
    assert window.session.undo_stack.count() == before + 1
    window.session.undo_stack.undo()
    window.flush()
    assert len(ann_spans(window)) == 1


def test_f8_goes_to_the_next_proposal(qtbot, window: MainWindow) -> None:
    tag(qtbot, window, 0, "Garneau", "1")
    shown(qtbot, window, 1, "Garneau")
    view = pane(window, 1).view
    view.setTextCursor(QTextCursor(view.document()))
    press(qtbot, window, 1, Qt.Key.Key_F8)
    first = window.assist.proposal_at_cursor(pane(window, 1))
    assert first == window.assist.shown[1][0] and first.text == "Garneau"
    press(qtbot, window, 1, Qt.Key.Key_F8)
    assert window.assist.proposal_at_cursor(pane(window, 1)) == window.assist.shown[1][1]
    press(qtbot, window, 1, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.assist.proposal_at_cursor(pane(window, 1)) == first


@pytest.mark.slow
def test_the_trained_model_proposes_after_training_in_the_background(qtbot, window: MainWindow, tmp_path: Path) -> None:
    project = window.session.project
    ids = [d.id for d in project.documents() if d.id != pane(window, 0).document_id]
    for doc in ids:
        tag_gold(project, doc, "Ana")
    panel = window.findChild(AssistPanel)
    assert panel is not None
    with qtbot.waitSignal(window.assist.model.trained, timeout=300_000):
        window.session.notify(Changes(spans=True, document_ids=frozenset(ids)))
    scores = window.assist.model.scores
    assert scores is not None and scores.precision is not None and scores.spans > 200
    assert "held-out precision" in panel.scores.text() and panel.progress.isHidden()
    qtbot.waitUntil(lambda: any(p.source == "model" for p in window.assist.shown[0]), timeout=60_000)
    assert pane(window, 0).view.spans == []  # proposals only: nothing was tagged in this article
    panel.parentWidget().raise_()
    assert window.grab().save(str(tmp_path / "model.png"))


def exported_spans(project: Project, folder: Path) -> dict[str, int]:
    """Export in every format; count the spans each one holds, read back by its real reader."""
    import spacy
    from spacy.tokens import DocBin

    from app.formats.readers import import_annotations
    from app.formats.writers import FORMATS, export

    counts: dict[str, int] = {}
    for name, fmt in FORMATS.items():
        out = folder / f"{name}{fmt.suffix or '-folder'}"
        export(project, name, out)
        if name in READ_BACK:
            with Project.create(folder / f"{name}.parallax") as fresh:
                sample_project(fresh)
                counts[name] = import_annotations(fresh, out, name, "reader").spans_added
        elif name == "spacy":
            docs = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
            counts[name] = sum(len(doc.ents) for doc in docs)
        elif name in ("conll", "conllu"):  # one B- tag per entity, in the last or the NER column
            counts[name] = out.read_text(encoding="utf-8").count("B-PERSON")
        else:  # every other format: count the tagged text wherever the export put it
            counts[name] = _mentions(out, "Garneau")
    return counts


# Formats our own readers import again (file or folder), so their spans can be counted.
READ_BACK = ("jsonl", "brat", "labelstudio", "tsv3", "xmi", "huggingface", "prodigy")


def _mentions(out: Path, word: str) -> int:
    """How often `word` appears in an export: a file, a folder, or a zip of files."""
    if out.is_dir():
        return sum(_mentions(p, word) for p in sorted(out.rglob("*")) if p.is_file())
    if zipfile.is_zipfile(out):
        with zipfile.ZipFile(out) as archive:
            return sum(archive.read(n).decode("utf-8", "replace").count(word) for n in archive.namelist())
    return out.read_bytes().decode("utf-8", "replace").count(word)


def test_proposals_are_absent_from_every_export_until_accepted(qtbot, window: MainWindow, tmp_path: Path) -> None:
    tag(qtbot, window, 0, "Garneau", "1")
    found = shown(qtbot, window, 1, "Garneau")
    assert len(window.assist.shown[1]) >= 3
    (tmp_path / "before").mkdir()
    before = exported_spans(window.session.project, tmp_path / "before")
    put_cursor(window, 1, found)
    press(qtbot, window, 1, Qt.Key.Key_Return)
    (tmp_path / "after").mkdir()
    after = exported_spans(window.session.project, tmp_path / "after")
    entity_formats = {*READ_BACK, "spacy", "conll", "conllu"}
    assert {name: before[name] for name in entity_formats} == dict.fromkeys(entity_formats, 1)
    assert {name: after[name] for name in entity_formats} == dict.fromkeys(entity_formats, 2)
    assert all(before[name] == after[name] == 0 for name in set(before) - entity_formats)


@pytest.mark.slow
def test_an_installed_pipeline_chosen_by_name_proposes(qtbot, window: MainWindow, tmp_path: Path) -> None:
    from app.assist.model import train
    from app.assist.proposals import own_spans
    from app.assist.training import training_set

    project = window.session.project
    with Project.create(tmp_path / "elsewhere.parallax") as elsewhere:  # a pipeline made in another project
        for doc in sample_project(elsewhere)[:3]:
            tag_gold(elsewhere, doc, "someone")
        spans = own_spans(elsewhere, elsewhere.annotator("someone").id)
        train(training_set(elsewhere, spans), epochs=15).to_disk(str(tmp_path / "pipeline"))
    panel = window.findChild(AssistPanel)
    assert panel is not None
    with qtbot.waitSignal(window.assist.model.trained, timeout=300_000):
        window.assist.model.use_pipeline(str(tmp_path / "pipeline"))
    assert "installed pipeline" in panel.scores.text()
    qtbot.waitUntil(lambda: any(p.source == "model" for p in window.assist.shown[0]), timeout=60_000)
    assert project.spans() == []  # proposing wrote nothing


def test_a_key_paints_its_span_first_and_the_proposals_it_makes_on_screen_follow_once_keys_pause(
    qtbot, window: MainWindow
) -> None:
    """A tagged word proposed all over the screen was half a key's cost: the proposals it makes
    elsewhere are drawn once keys pause (`SCREEN_AFTER_MS`), not inside the key's own paint."""
    assist = window.assist
    qtbot.waitUntil(lambda: assist.live is not None and not assist.building, timeout=10_000)
    built = assist._version
    other = pane(window, 1).view
    other.setTextCursor(other.document().find("WESCAM", 0, other.document().FindFlag.FindCaseSensitively))
    other.centerCursor()  # the other article's WESCAM on screen
    tag(qtbot, window, 0, "Wescam", ORG_KEY)
    assist.refresher.flush()  # the key's refresh of the proposals has run
    assert all(p.text != "WESCAM" for p in assist.shown[1])  # not yet: keys come first
    assert assist.screen_stale
    shown(qtbot, window, 1, "WESCAM")  # then, with no rebuild, the screen's stale places
    assert not assist.screen_stale and assist._version == built


def test_the_annotators_spans_in_open_articles_are_the_views_rows_not_a_second_read(
    qtbot, project_path: Path, tmp_path: Path
) -> None:
    project = Project.open(project_path)
    ids = sample_project(project)
    assert tag_gold(project, ids[4], "Ana") and tag_gold(project, ids[2], "Ana")  # one open, one not
    tag_gold(project, ids[4], "Ben")  # another annotator's, shown beside them
    main = MainWindow(OpenProject(project, "Ana"), UserSettings(tmp_path / "settings.json"))
    qtbot.addWidget(main)
    main.workspace.open_document(ids[4], 0)
    main.workspace.refresher.flush()
    own = main.assist._own_spans()
    sql = 'SELECT id, document_id, start, "end", label_id, quote FROM span WHERE annotator_id = '
    read = rows(main, sql + str(main.session.annotator_id))
    assert own == {row[0]: Tagged._make(row[1:]) for row in read}  # what reading them all gives
    view = pane(main, 0).view
    in_view = [span for span in own.values() if span.document_id == ids[4]]
    assert len(in_view) > 5 and len(own) > len(in_view)
    for span_id, span in own.items():  # one copy of each quote in memory: the view's
        if span.document_id == ids[4]:
            row = view.span_with_id(span_id)
            assert row is not None and span.quote is row.quote and span.start is row.start
    main.close()
