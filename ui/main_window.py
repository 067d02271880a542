"""The main window: builds the docks, menus and status bar and wires them.

It holds no domain state: the project is the truth, the workspace edits it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QCheckBox, QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from app.models import LinkKind
from app.storage.changes import Changes
from ui.deferred import Coalescer
from ui.open_project import Session
from ui.settings import UserSettings
from ui.workspace.document_list import DocumentList
from ui.workspace.events_panel import EventsPanel, open_side_by_side
from ui.workspace.label_palette import LabelPalette
from ui.workspace.links_panel import LinksPanel
from ui.workspace.suggestions_panel import SuggestionsPanel
from ui.workspace.workspace import Workspace


class MainWindow(QMainWindow):
    new_project_requested = Signal()
    open_project_requested = Signal()
    sample_requested = Signal()

    def __init__(self, session: Session, settings: UserSettings) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.setWindowTitle(f"{session.project.path.name} — Parallax")
        self.resize(1400, 860)
        self.setAcceptDrops(True)
        self.workspace = Workspace(session, self)
        self.setCentralWidget(self.workspace)
        self.documents = DocumentList(session.project)
        self.palette_ = LabelPalette()
        self.links = LinksPanel(session.project)
        left = self._dock("Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.events = EventsPanel(session)
        self.tabifyDockWidget(left, self._dock("Events", self.events, Qt.DockWidgetArea.LeftDockWidgetArea))
        self.events.event_opened.connect(lambda docs: open_side_by_side(self.workspace, docs))
        self.events.error.connect(self.show_error)
        left.raise_()
        self._dock("Labels", self.palette_, Qt.DockWidgetArea.RightDockWidgetArea)
        bottom = self._dock("Links", self.links, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.suggestions = SuggestionsPanel(session)
        self.tabifyDockWidget(
            bottom, self._dock("Suggestions", self.suggestions, Qt.DockWidgetArea.BottomDockWidgetArea)
        )
        bottom.raise_()
        self.resizeDocks([left], [460], Qt.Orientation.Horizontal)
        self.resizeDocks([bottom], [200], Qt.Orientation.Vertical)
        self._build_status_bar()
        self._build_menus()
        self._connect()
        self.palette_.set_labels(session.project.labels())
        self.workspace.restore_view_state(settings.view_state(session.project.path))
        # Panes and positions are saved soon after they change, so a crash keeps them too.
        self._view_saver = QTimer(self, singleShot=True, interval=1500)
        self._view_saver.timeout.connect(self._save_view_state)
        self.workspace.view_changed.connect(self._view_saver.start)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_status_bar(self) -> None:
        self.annotator_label = QLabel()
        self.annotator_label.setTextFormat(Qt.TextFormat.PlainText)
        self.others_box = QCheckBox("Show other annotators' spans")
        self.others_box.setChecked(True)
        self.others_box.toggled.connect(self.workspace.set_show_others)
        self.statusBar().addPermanentWidget(self.others_box)
        self.statusBar().addPermanentWidget(self.annotator_label)
        self._on_annotator_changed(self.session.annotator)

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False: slot())
        self._menus[menu_name].addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {name: bar.addMenu(f"&{name}") for name in ("File", "Edit", "View", "Link", "Review", "Help")}
        self._action("File", "&New project…", self.new_project_requested.emit, QKeySequence.StandardKey.New)
        self._action("File", "&Open project…", self.open_project_requested.emit, QKeySequence.StandardKey.Open)
        self._action("File", "Open &sample project", self.sample_requested.emit)
        self._menus["File"].addSeparator()
        self._action("File", "&Import files…", self.import_files, "Ctrl+I")
        self._action("File", "Import &folder…", self.import_folder)
        self._action("File", "Import &annotations…", self.import_annotations_file)
        self._action("File", "Import &brat folder…", self.import_brat_folder)
        self._action("File", "&Export…", self.export_dataset, "Ctrl+Shift+E")
        self._action("File", "&Merge team projects…", self.merge_projects)
        self._menus["File"].addSeparator()
        self._action("File", "&Quit", self.close, QKeySequence.StandardKey.Quit)
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self._menus["Edit"].addActions([undo, redo])
        self._menus["Edit"].addSeparator()
        self._action("Edit", "Edit span &note…", self.workspace.edit_note, "Ctrl+E")
        self._action("Edit", "&Delete span\tDel", self.workspace.delete_selected_span)
        self._action("Edit", "&Labels…", self.edit_labels, "Ctrl+L")
        self._action("Edit", "Change &annotator…", self.change_annotator)
        self._build_view_menu()
        for key, kind in (
            ("C", LinkKind.CONTRADICTS),
            ("S", LinkKind.SUPPORTS),
            ("A", LinkKind.SAME_AS),
            ("U", LinkKind.UPDATES),
        ):
            self._action(
                "Link",
                f"{kind.value.replace('_', ' ').capitalize()}\t{key}",
                partial(self.workspace.link_selected, kind),
            )
        self._menus["Link"].addSeparator()
        self._action("Link", "Find &suggestions (conflicts, same entity)", self.find_suggestions, "Ctrl+Shift+F")
        self._action("Review", "&Review sessions (disputes)…", self.show_reviews, "Ctrl+R")
        self._action("Review", "&Curate document (adjudicate into gold)…", self.curate, "Ctrl+Shift+C")
        self._action("Review", "&Agreement between annotators…", self.show_agreement)
        self._action("Help", "&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)

    def _build_view_menu(self) -> None:
        group = QActionGroup(self)
        for count in (2, 3, 4):
            action = self._action("View", f"{count} panes", partial(self.workspace.set_pane_count, count))
            action.setCheckable(True)
            action.setChecked(count == 2)
            group.addAction(action)
        self._menus["View"].addSeparator()
        compare = self._action("View", "&Compare mode (aligned passages)", lambda: None, "Ctrl+M")
        compare.setCheckable(True)
        compare.toggled.connect(self.workspace.compare.set_enabled)
        snap = self._action("View", "S&nap selections to words", lambda: None)
        snap.setCheckable(True)
        snap.setChecked(True)
        snap.toggled.connect(lambda on: setattr(self.workspace, "snap_to_words", on))
        self._action("View", "&Search the corpus", self._focus_search, QKeySequence.StandardKey.Find)
        for index in range(4):
            self._action(
                "View", f"Focus pane {index + 1}", partial(self.workspace.focus_pane, index), f"Ctrl+{index + 1}"
            )

    def _connect(self) -> None:
        self.documents.document_activated.connect(self._on_document_activated)
        self.palette_.label_chosen.connect(self.workspace.tag_selection)
        self.links.link_selected.connect(self.workspace.show_link)
        self.links.delete_requested.connect(self._delete_link)
        self.suggestions.suggestion_selected.connect(self._on_suggestion_selected)
        self.suggestions.error.connect(self.show_error)
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.workspace.error.connect(self.show_error)
        self.refresher = Coalescer(self._on_changes, self)
        self.session.operation_did_execute.connect(self.refresher.add)
        self.session.annotator_changed.connect(self._on_annotator_changed)
        self.session.error.connect(self.show_error)

    # ---- reactions ---------------------------------------------------
    def flush(self) -> None:
        """Apply pending view refreshes now (they otherwise run on the next event-loop turn)."""
        self.workspace.refresher.flush()
        self.refresher.flush()
        for pane in self.workspace.area.panes:
            pane.view.finish_highlighting()

    def _on_changes(self, changes: Changes) -> None:
        if changes.labels:
            self.palette_.set_labels(self.session.project.labels())
        if changes.documents or changes.spans:
            self.documents.reload()
        if changes.links or changes.documents or changes.labels:
            self.links.reload()

    def _on_document_activated(self, doc_id: int) -> None:
        """Open a document from the list; with a search typed, jump to its first hit."""
        self.workspace.open_document(doc_id)
        query = self.documents.filter.text().strip()
        hit = (
            next((h for h in self.session.project.search(query, limit=10_000) if h.document_id == doc_id), None)
            if query
            else None
        )
        if hit is not None and hit.match_start >= 0:
            self.workspace.show_match(self.workspace.active, hit.match_start, hit.match_end)

    def _on_suggestion_selected(self, chosen: Any) -> None:
        details = [(d.doc, d.start, d.end) for d in chosen.details]
        self.workspace.show_passages(
            (chosen.doc_a, chosen.start_a, chosen.end_a), (chosen.doc_b, chosen.start_b, chosen.end_b), details
        )
        self.statusBar().showMessage(chosen.reason, 10000)

    def find_suggestions(self) -> None:
        dock = self.suggestions.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        self.suggestions.refresh()
        self.suggestions.table.setFocus()

    def show_reviews(self) -> None:
        from ui.review.sessions_dialog import show_reviews

        show_reviews(self.session, self)

    def show_agreement(self) -> None:
        from app.team.agreement import agreement
        from ui.dialogs.export_dialog import run_with_progress
        from ui.team.agreement_view import AgreementDialog

        report, error = run_with_progress(
            self, "Computing agreement…", lambda _progress: agreement(self.session.project)
        )
        if error:
            self.show_error(error)
            return
        AgreementDialog(self.session.project, self, report=report).exec()

    def merge_projects(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(
            self, "Merge annotators' projects into this one", "", "Parallax projects (*.parallax)"
        )
        if names:
            self.merge_paths([Path(n) for n in names])

    def merge_paths(self, paths: list[Path]) -> None:
        """Merge other project files into this one, as one undoable step."""
        from app.team.merge import format_merge, merge_into
        from ui.dialogs.export_dialog import _message, run_with_progress

        marker = self.session.project.id_marker()
        report, error = run_with_progress(self, "Merging…", lambda _p: merge_into(self.session.project, paths))
        if error:
            self.show_error(error)
            return
        self.session.record(f"Merge {len(paths)} project(s)", self.session.project.added_since(marker))
        icon = QMessageBox.Icon.Warning if report.refused else QMessageBox.Icon.Information
        _message(self, icon, format_merge(report))

    def curate(self) -> None:
        """Open the curation window on the active pane's document (or the first one)."""
        from ui.team.curation_view import CurationWindow

        documents = self.session.project.documents()
        if not documents:
            self.show_error("Import some articles first.")
            return
        doc = self.workspace.active.document_id or documents[0].id
        window = CurationWindow(self.session, doc, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()

    def _on_annotator_changed(self, name: str) -> None:
        self.annotator_label.setText(f"Annotator: {name}")

    def _focus_search(self) -> None:
        self.documents.filter.setFocus()
        self.documents.filter.selectAll()

    def _delete_link(self, link_id: int) -> None:
        self.workspace._run("Delete link", lambda: self.session.project.delete_links([link_id]))

    def show_error(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, "Parallax", text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    # ---- dialogs -----------------------------------------------------
    def edit_labels(self) -> None:
        from ui.dialogs.label_editor import LabelEditorDialog

        LabelEditorDialog(self.session, self).exec()

    def change_annotator(self) -> None:
        from ui.dialogs.annotator_prompt import AnnotatorDialog

        dialog = AnnotatorDialog(self, self.session.annotator)
        if dialog.exec() and dialog.name():
            self.settings.annotator = dialog.name()
            self.session.set_annotator(dialog.name())
            self.workspace.set_show_others(self.workspace.show_others)

    def show_shortcuts(self) -> None:
        from ui.dialogs.shortcuts_sheet import ShortcutsDialog

        ShortcutsDialog(parent=self).exec()

    def import_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", "", "Articles (*.txt *.md *.html *.htm *.jsonl *.warc *.warc.gz);;All files (*)"
        )
        self.import_paths([Path(n) for n in names])

    def import_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        if paths:
            from ui.dialogs.import_worker import import_with_progress

            import_with_progress(self, self.session, paths)

    def export_dataset(self) -> None:
        from ui.dialogs.export_dialog import ExportDialog

        dialog = ExportDialog(self.session.project, self)
        if dialog.exec():
            dialog.run()

    def import_annotations_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(
            self, "Import annotations", "", "Annotations (*.jsonl *.json);;All files (*)"
        )
        if name:
            self.import_annotations(Path(name))

    def import_brat_folder(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Import a brat folder")
        if folder:
            self.import_annotations(Path(folder), "brat")

    def import_annotations(self, path: Path, fmt: str | None = None) -> None:
        """Import spans and links from a file; one transaction, refused whole on a bad offset."""
        from app.formats.readers import import_annotations
        from ui.dialogs.export_dialog import _message, run_with_progress

        marker = self.session.project.id_marker()
        report, error = run_with_progress(
            self,
            "Importing annotations…",
            lambda _progress: import_annotations(
                self.session.project, path, fmt, self.session.annotator if fmt == "doccano" else None
            ),
        )
        if error:
            self.show_error(error)
            return
        self.session.record(f"Import annotations from {path.name}", self.session.project.added_since(marker))
        _message(
            self,
            QMessageBox.Icon.Information,
            f"{path.name}: {report.spans_added} spans and {report.links_added} links added"
            f" ({report.spans_skipped} already there), {report.documents_added} new documents."
            + "".join(f"\n• {w}" for w in report.warnings[:20]),
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.import_paths(paths)

    def _save_view_state(self) -> None:
        self.settings.set_view_state(self.session.project.path, self.workspace.view_state())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._view_saver.stop()
        self._save_view_state()
        self.session.close()
        super().closeEvent(event)
