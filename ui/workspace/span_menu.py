"""The right-click menu on an article: tag the selection, or act on the span under the mouse
(relabel, note, link to the span picked before, delete). Every entry is also a key."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from app.models import Label, LinkKind, SpanRow
from ui.workspace.article_pane import ArticlePane
from ui.workspace.label_palette import swatch


class SpanActions(Protocol):
    """What the menu asks of the workspace that builds it (a protocol: no import loop)."""

    labels: dict[int, Label]
    anchor: tuple[ArticlePane, SpanRow] | None

    def edit_note(self) -> None: ...
    def delete_selected_span(self) -> None: ...
    def tag_selection(self, label_id: int, pane: ArticlePane) -> object: ...
    def relabel_selected(self, label_id: int) -> object: ...
    def link_selected(self, kind: LinkKind) -> object: ...
    def _on_span_clicked(self, pane: ArticlePane, span: SpanRow | None) -> None: ...


KIND_KEYS = {LinkKind.CONTRADICTS: "C", LinkKind.SUPPORTS: "S", LinkKind.SAME_AS: "A", LinkKind.UPDATES: "U"}


def _add(menu: QMenu, text: str, slot: object, enabled: bool = True) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
    action.setEnabled(enabled)
    return action


def build_span_menu(workspace: SpanActions, pane: ArticlePane, offset: int) -> QMenu:
    menu = QMenu(pane)
    view = pane.view
    labels = sorted(workspace.labels.values(), key=lambda x: x.position)
    if view.textCursor().hasSelection():
        tag = menu.addMenu("&Tag selection as")
        for label in labels:
            key = f"\t{label.hotkey}" if label.hotkey else ""
            action = _add(tag, f"{label.name}{key}", lambda lid=label.id: workspace.tag_selection(lid, pane))
            action.setIcon(swatch(label.color, label.kind))
        menu.addAction("&Copy", view.copy)
    under = view.spans_at(offset)
    if under:
        span = under[0]  # the innermost, as a click picks
        view.select_span(span, scroll=False)
        workspace._on_span_clicked(pane, span)
        if menu.actions():
            menu.addSeparator()
        relabel = menu.addMenu("&Relabel as")
        for label in labels:
            key = f"\t{label.hotkey}" if label.hotkey else ""
            action = _add(relabel, f"{label.name}{key}", lambda lid=label.id: workspace.relabel_selected(lid))
            action.setIcon(swatch(label.color, label.kind))
            action.setCheckable(True)
            action.setChecked(label.id == span.label_id)
        _add(menu, "Edit &note…\tCtrl+E", workspace.edit_note)
        anchor = workspace.anchor
        link = menu.addMenu(
            f"&Link “{anchor[1].quote[:25]}” → this as" if anchor else "&Link (click another span first)"
        )
        link.setEnabled(anchor is not None)
        for kind, key in KIND_KEYS.items():
            _add(link, f"{kind.value.replace('_', ' ')}\t{key}", lambda k=kind: workspace.link_selected(k))
        _add(menu, "&Delete span\tDel", workspace.delete_selected_span)
    if not menu.actions():
        _add(menu, "Select text, then a label (or right-click a span)", lambda: None, enabled=False)
    return menu
