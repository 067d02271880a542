"""A small corpus with emoji, accents and line breaks, and span comparisons, for the exchange-format tests."""

from __future__ import annotations

from pathlib import Path

from app.models import NewDocument, Span
from app.storage.project import Project

TEXTS = (
    "Mevlüt Çavuşoğlu a parlé à Ankara 😀 mardi.\nLe ministre de L3Harris a nié l'accord 👍🏽.",
    "Wescam sold MX-15 sensors to Baykar.\n\nÉlodie Côté said 3,5 % went to Kyiv 🇺🇦 on Monday.",
)
ENTITIES = (
    (
        ("Mevlüt Çavuşoğlu", "PERSON"),
        ("Ankara", "LOCATION"),
        ("😀", "EQUIPMENT"),
        ("L3Harris", "ORG"),
        ("👍🏽", "EQUIPMENT"),
    ),
    (("Wescam", "ORG"), ("MX-15", "EQUIPMENT"), ("Baykar", "ORG"), ("Élodie Côté", "PERSON"), ("Kyiv 🇺🇦", "LOCATION")),
)


def add_corpus(project: Project) -> list[int]:
    ids = project.add_documents([NewDocument(title=f"doc {i}", text=t) for i, t in enumerate(TEXTS)]).value.added
    for doc, pieces in zip(ids, ENTITIES, strict=True):
        for piece, label in pieces:
            start = project.text(doc).index(piece)
            project.add_span(doc, start, start + len(piece), label, "ana")
    return list(ids)


def add_claim(project: Project, doc: int, annotator: str) -> Span:
    """The corpus's first document's second sentence ("Le ministre … a nié …") as `annotator`'s claim."""
    text = project.text(doc)
    claim = next(x.name for x in project.labels() if x.kind.value == "claim")
    start = text.index("Le ministre")
    return project.add_span(doc, start, len(text), claim, annotator).value


def spans_by_text(project: Project) -> set[tuple[str, int, int, str, str]]:
    """(document text, start, end, quote, label) of every span."""
    labels = {x.id: x.name for x in project.labels()}
    texts = {d.id: project.text(d.id) for d in project.documents()}
    return {(texts[s.document_id], s.start, s.end, s.quote, labels[s.label_id]) for s in project.spans()}


def fresh(path: Path, with_documents: bool = True) -> Project:
    """A second project, with the corpus's documents (no spans) if asked."""
    other = Project.create(path)
    if with_documents:
        other.add_documents([NewDocument(title=f"copy {i}", text=t) for i, t in enumerate(TEXTS)])
    return other


def crlf(path: Path) -> Path:
    """The same file with Windows line ends, as an editor on Windows saves it."""
    out = path.with_name(f"crlf-{path.name}")
    out.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return out
