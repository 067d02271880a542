"""spaCy DocBin (`.spacy`): training data for `spacy train`, read with
`DocBin().from_disk(path).get_docs(nlp.vocab)`.

Each document becomes one `Doc`, tokenized by `spacy.blank("xx")` (the
multi-language tokenizer; no model download). Its spans go to:

- `doc.ents`: entity spans that do not overlap, chosen like
  `spacy.util.filter_spans`: longest first, the earlier one on a tie. Tokens
  outside them are "O". A document with no entity span at all keeps its
  entity annotation unset (missing, not "O"), so an unannotated article does
  not teach a model that it holds no entities.
- `doc.spans["overlapping_entities"]`: the entity spans left out of
  `doc.ents` because they overlap a kept one (each one also warned about).
- `doc.spans["entities"]`: every entity span, overlapping or not (for a
  span categorizer with `spans_key = "entities"`).
- `doc.spans["claims"]`: every claim span.

Every `Span.id_` is the Parallax span uuid. `doc.user_data` holds
"document_uuid", "title", "source", "url" and "published". Spans with the
same extent and label (several annotators) are exported once. A span whose
ends are not token boundaries is widened to whole tokens
(`alignment_mode="expand"`) and named in the report's warnings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import ParallaxError
from app.formats.atomic import atomic_binary
from app.formats.dataset import EVERYTHING, Dataset, ExportReport, Progress, Selection, collect
from app.models import Document, LabelKind, Span
from app.storage.project import Project

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

OVERLAPPING = "overlapping_entities"
ENTITIES = "entities"
CLAIMS = "claims"


def export_spacy_docbin(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    """Write the selected documents and their spans to `out` as a spaCy DocBin."""
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise ParallaxError("spaCy is not installed: pip install spacy") from None
    data = collect(project, selection, progress)
    nlp = spacy.blank("xx")
    docbin = DocBin(store_user_data=True)
    warnings: list[str] = []
    spans = 0
    for document in data.documents:
        doc = nlp.make_doc(document.text)
        spans += _annotate(doc, document, data, warnings)
        docbin.add(doc)
    with atomic_binary(Path(out)) as handle:
        handle.write(docbin.to_bytes())
    return ExportReport(str(out), len(data.documents), spans, 0, tuple(warnings))


def _annotate(doc: Doc, document: Document, data: Dataset, warnings: list[str]) -> int:
    """Fill the Doc's entities, span groups and user data; return the spans placed."""
    from spacy.util import filter_spans

    doc.user_data.update(
        {
            "document_uuid": document.uuid,
            "title": document.title,
            "source": document.source,
            "url": document.url,
            "published": document.published,
        }
    )
    groups: dict[LabelKind, list[SpacySpan]] = {LabelKind.ENTITY: [], LabelKind.CLAIM: []}
    seen: set[tuple[int, int, str]] = set()
    duplicates = 0
    for span in data.spans_of(document.id):
        label = data.label_of(span)
        if (span.start, span.end, label.name) in seen:
            duplicates += 1
            continue
        seen.add((span.start, span.end, label.name))
        placed = _place(doc, span, label.name, document, warnings)
        if placed is not None:
            groups[label.kind].append(placed)
    if duplicates:
        warnings.append(
            f"{document.title!r}: {duplicates} span(s) repeat another's extent and label"
            " (several annotators) and were exported once"
        )
    entities = groups[LabelKind.ENTITY]
    kept = filter_spans(entities)
    kept_ids = {id(e) for e in kept}
    left_out = [e for e in entities if id(e) not in kept_ids]
    for entity in left_out:
        warnings.append(
            f"{document.title!r}: entity {entity.text!r} ({entity.label_},"
            f" {entity.start_char}-{entity.end_char}) overlaps a longer or earlier one;"
            f' in doc.spans["{OVERLAPPING}"], not doc.ents'
        )
    if entities:
        doc.ents = kept
    doc.spans[ENTITIES] = entities
    doc.spans[OVERLAPPING] = left_out
    doc.spans[CLAIMS] = groups[LabelKind.CLAIM]
    return len(entities) + len(groups[LabelKind.CLAIM])


def _place(doc: Doc, span: Span, label: str, document: Document, warnings: list[str]) -> Any:
    """The spaCy span for a Parallax span, widened to whole tokens if it must be."""
    where = f"{document.title!r}: span {span.quote!r} ({label}, {span.start}-{span.end})"
    placed = doc.char_span(span.start, span.end, label=label, alignment_mode="strict")
    if placed is None:
        placed = doc.char_span(span.start, span.end, label=label, alignment_mode="expand")
        if placed is None or not placed.text.strip():
            warnings.append(f"{where} covers no token; left out")
            return None
        warnings.append(
            f"{where} does not fall on token boundaries; exported widened to"
            f" {placed.text!r} ({placed.start_char}-{placed.end_char})"
        )
    placed.id_ = span.uuid
    return placed
