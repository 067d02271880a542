"""The annotator's spans as the assist learns from them, shared with the article views' rows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from app.assist.proposals import Tagged
from app.storage.project import Project
from ui.workspace.article_view import ArticleView


def own_spans(
    project: Project, annotator_id: int, views: Mapping[int, ArticleView], ids: Iterable[int] | None = None
) -> dict[int, Tagged]:
    """The annotator's spans (those of `ids` only, if given), by id. Those in an article a view
    shows (`views`: by document) are taken from the rows it holds already, their quotes and
    offsets the same objects, not read again (the 1 MB article's 10,000: ~1.3 MB less held)."""
    if ids is not None:
        return _read(project, annotator_id, ids)
    for view in views.values():
        view.spans  # noqa: B018  (read in full, if the view had read the first screen's only)
    found = project.query(
        'SELECT id, document_id, start, "end", label_id,'
        " CASE WHEN document_id IN (SELECT value FROM json_each(?)) THEN NULL ELSE quote END"
        " FROM span WHERE annotator_id = ?",
        (json.dumps(sorted(views)), annotator_id),
    )
    own: dict[int, Tagged] = {}
    unseen: list[int] = []  # in a shown article but not (or not so) in its view: read below
    for span_id, doc, start, end, label, quote in found:
        if quote is not None:
            own[span_id] = Tagged(doc, start, end, label, quote)
            continue
        row = views[doc].span_with_id(span_id)
        if row is not None and (row.document_id, row.start, row.end) == (doc, start, end):
            own[span_id] = Tagged(row.document_id, row.start, row.end, label, row.quote)
        else:
            unseen.append(span_id)
    return own | (_read(project, annotator_id, unseen) if unseen else {})


def _read(project: Project, annotator_id: int, ids: Iterable[int]) -> dict[int, Tagged]:
    found = project.query(
        'SELECT id, document_id, start, "end", label_id, quote FROM span'
        " WHERE annotator_id = ? AND id IN (SELECT value FROM json_each(?))",
        (annotator_id, json.dumps(sorted(ids))),
    )
    return {row[0]: Tagged._make(row[1:]) for row in found}
