"""The main window: builds the docks, menus and status bar and wires them.

It holds no domain state: the project is the truth, the workspace edits it.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from app.models import LinkKind
from app.storage.changes import Changes
from ui.deferred import AfterFirstPaint, Coalescer
from ui.dialogs import menu_dialogs as dialogs
from ui.dialogs.messages import run_guarded, show_error
from ui.dock_tabs import tabify
from ui.long_lived import freeze_start_up, thaw
from ui.open_project import OpenProject
from ui.placement import fit_on_screen
from ui.settings import UserSettings
from ui.team import actions as team
from ui.workspace.assist_panel import AssistPanel
from ui.workspace.document_list import DocumentList
from ui.workspace.events_panel import EventsPanel, open_side_by_side
from ui.workspace.label_palette import LabelPalette
from ui.workspace.links_panel import LinksPanel
from ui.workspace.proposals import ProposalController
from ui.workspace.status_bar import StatusLine
from ui.workspace.suggestions_panel import SuggestionsPanel
from ui.workspace.workspace import Workspace


class MainWindow(QMainWindow):
    new_project_requested = Signal()
    open_project_requested = Signal()
    sample_requested = Signal()

    def __init__(self, session: OpenProject, settings: UserSettings) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.setWindowTitle(f"{session.project.path.name} — Parallax")
        self.resize(1400, 860)
        fit_on_screen(self)  # a 1,366 x 768 laptop: the Labels dock and the status bar were off it
        self.setAcceptDrops(True)
        self.workspace = Workspace(session, self)
        self.setCentralWidget(self.workspace)
        self.documents = DocumentList(session.project)
        self.palette_ = LabelPalette()
        self.links = LinksPanel(session.project)
        left = self._dock("Documents", self.documents, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.events = EventsPanel(session)
        events_dock = self._dock("Events", self.events, Qt.DockWidgetArea.LeftDockWidgetArea)
        events_dock.visibilityChanged.connect(self.events.set_in_front)  # filled once its tab is chosen
        tabify(self, left, events_dock)
        self.events.event_opened.connect(lambda docs: open_side_by_side(self.workspace, docs))
        self.events.error.connect(self.show_error)
        left.raise_()
        self._dock("Labels", self.palette_, Qt.DockWidgetArea.RightDockWidgetArea)
        bottom = self._dock("Links", self.links, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.suggestions = SuggestionsPanel(session)
        self.assist = ProposalController(self.workspace)  # span proposals (app/assist)
        AfterFirstPaint(self, self.assist.start)  # its thread and workers wait for the first window
        # PySide6's import hook read the source of every module imported after it into linecache
        # (~6 MB of lines, looking for "PySide6"); let it go once the window is up.
        AfterFirstPaint(self, linecache.clearcache)
        AfterFirstPaint(self, freeze_start_up)  # full collections skip start-up's objects (ui/long_lived.py)
        tabify(  # not tabifyDockWidget: a second area's tabs would leave a stray tab bar (ui/dock_tabs.py)
            self,
            bottom,
            self._dock("Suggestions", self.suggestions, Qt.DockWidgetArea.BottomDockWidgetArea),
            self._dock("Assist", AssistPanel(self.assist), Qt.DockWidgetArea.BottomDockWidgetArea),
        )
        bottom.raise_()
        self.docks = (left, bottom)
        self._fit_docks()
        self.status = StatusLine(self.statusBar(), session)
        self.status.others_box.toggled.connect(self.workspace.set_show_others)
        self._build_menus()
        self._connect()
        self.palette_.set_labels(session.project.labels())
        self.workspace.restore_view_state(settings.view_state(session.project.path))
        # Panes and positions are saved soon after they change, so a crash keeps them too.
        self._view_saver = QTimer(self, singleShot=True, interval=1500)
        self._view_saver.timeout.connect(self._save_view_state)
        self.workspace.view_changed.connect(self._view_saver.start)

    def _fit_docks(self) -> None:
        """Panes keep priority: the Documents dock takes at most a quarter of the width, the
        bottom one at most a quarter of the height (Documents kept 45 % at 1024 px)."""
        left, bottom = self.docks
        self.resizeDocks([left], [max(180, min(460, self.width() // 4))], Qt.Orientation.Horizontal)
        self.resizeDocks([bottom], [max(110, min(200, self.height() // 4))], Qt.Orientation.Vertical)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() < 0 or event.size().width() < event.oldSize().width():
            self._fit_docks()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(widget)
        widget.setMinimumSize(140, 80)  # a dock may shrink below its contents: panes keep priority
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

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
        action.triggered.connect(lambda _=False: self._guarded(text, slot))
        self._menus[menu_name].addAction(action)
        return action

    def _guarded(self, text: str, slot: Callable[[], object]) -> None:
        run_guarded(self, text, slot)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {name: bar.addMenu(f"&{name}") for name in ("File", "Edit", "View", "Link", "Review", "Help")}
        self._action("File", "&New project…", self.new_project_requested.emit, QKeySequence.StandardKey.New)
        self._action("File", "&Open project…", self.open_project_requested.emit, QKeySequence.StandardKey.Open)
        self._action("File", "Open &sample project", self.sample_requested.emit)
        self._menus["File"].addSeparator()
        self._action("File", "&Import files…", lambda: dialogs.import_files(self, self.session), "Ctrl+I")
        self._action("File", "Import &folder…", lambda: dialogs.import_folder(self, self.session))
        self._action("File", "Import &annotations…", lambda: dialogs.import_annotations(self, self.session))
        self._action(
            "File",
            "Import annotation &folder (brat, XMI, TSV3, Hugging Face)…",
            lambda: dialogs.import_annotations(self, self.session, folder=True),
        )
        self._action("File", "&Export…", lambda: dialogs.export_dataset(self, self.session), "Ctrl+Shift+E")
        self._action("File", "&Merge team projects…", lambda: team.merge_projects(self, self.session))
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
        self._action("Edit", "&Find in this article", self.workspace.open_find, QKeySequence.StandardKey.Find)
        self._action("Edit", "&Labels…", lambda: dialogs.edit_labels(self, self.session), "Ctrl+L")
        self._action("Edit", "Change &annotator…", self._change_annotator)
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
        self._action("Review", "&Agreement between annotators…", lambda: team.show_agreement(self, self.session))
        self._action("Review", "Team &progress and assignments…", lambda: team.show_progress(self, self.session))
        self._action("Review", "Mark document &finished", lambda: self.mark_document("finished"))
        self._action("Review", "Mark document: &nothing to tag", lambda: self.mark_document("nothing"))
        self._action(
            "Help", "&Keyboard shortcuts", lambda: dialogs.show_shortcuts(self), QKeySequence.StandardKey.HelpContents
        )

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
        self._action("View", "&Search the corpus (document filter)", self._focus_search, "Ctrl+K")
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
        self.workspace.message.connect(self.status.show)
        self.workspace.error.connect(self.show_error)
        self.refresher = Coalescer(self._on_changes, self)
        self.session.operation_did_execute.connect(self.refresher.add)
        self.session.error.connect(self.show_error)

    # ---- reactions ---------------------------------------------------
    def flush(self) -> None:
        """Apply pending view refreshes now (they otherwise run on the next event-loop turn)."""
        self.assist.start()
        self.workspace.refresher.flush()
        self.refresher.flush()
        for pane in self.workspace.area.panes:
            pane.view.finish_highlighting()

    def _on_changes(self, changes: Changes) -> None:
        if changes.labels:
            self.palette_.set_labels(self.session.project.labels())
        if changes.documents or (changes.spans and not changes.document_ids):
            self.documents.reload()
        elif changes.spans:  # span counts: only the rows of the documents touched
            self.documents.update_documents(changes.document_ids)
        if changes.links or changes.documents or changes.labels:
            self.links.reload()

    def _on_document_activated(self, doc_id: int) -> None:
        """Open a document from the list; with a search typed, mark every hit and show the first."""
        self.workspace.open_document(doc_id)
        query = self.documents.filter.text().strip()
        if query:
            pane = self.workspace.pane_with(doc_id) or self.workspace.active
            count = self.workspace.show_match(pane, query)
            self.status.show(f"{count} hit{'s' * (count != 1)} of “{query[:40]}” marked in this article")

    def _on_suggestion_selected(self, chosen: Any) -> None:
        details = [(d.doc, d.start, d.end) for d in chosen.details]
        self.workspace.show_passages(
            (chosen.doc_a, chosen.start_a, chosen.end_a), (chosen.doc_b, chosen.start_b, chosen.end_b), details
        )
        self.status.show(chosen.reason, 10000)

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

    def curate(self) -> None:
        team.curate(self, self.session, self.workspace.active.document_id)

    def mark_document(self, value: str) -> None:
        """The annotator marks the active document finished or nothing-to-tag (undoable)."""
        team.mark_document(self, self.session, self.workspace.active.document_id, value)

    def _focus_search(self) -> None:
        self.documents.filter.setFocus()
        self.documents.filter.selectAll()

    def _delete_link(self, link_id: int) -> None:
        self.workspace._run("Delete link", lambda: self.session.project.delete_links([link_id]))

    def show_error(self, text: str) -> None:
        show_error(self, text)

    def _change_annotator(self) -> None:
        if dialogs.change_annotator(self, self.session, self.settings):
            self.workspace.set_show_others(self.workspace.show_others)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        dialogs.import_paths(self, self.session, paths)

    def _save_view_state(self) -> None:
        self.settings.set_view_state(self.session.project.path, self.workspace.view_state())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._view_saver.stop()
        self._save_view_state()
        self.assist.close()
        self.session.close()
        thaw()
        super().closeEvent(event)
