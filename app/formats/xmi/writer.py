"""Write UIMA CAS XMI for INCEpTION: a ZIP of one `.xmi` per document and `TypeSystem.xml`.

The type system comes from dkpro-cassis, INCEpTION's own Python library;
each document's XMI is written by `cas_xml`, byte for byte as cassis writes
it (offsets in UTF-16 code units, as UIMA (Java) counts them). Layers:
entity spans are DKPro's `NamedEntity` (`value` = label, INCEpTION's built-in
Named Entity layer); claim spans are the span layer `webanno.custom.Claim`
(`value` = label); links within a document are the relation layer
`webanno.custom.Link` (`Governor`, `Dependent`, `value` = link kind). Every
span and link also carries `annotator` and `parallax_uuid`. Tokens and sentences are
written as DKPro `Token`/`Sentence` (the CoNLL tokenizer), as INCEpTION
expects them. A CAS holds one document, so links across documents are left
out and counted in a warning.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from importlib.resources import files
from pathlib import Path

from cassis import TypeSystem, load_typesystem

from app.formats.atomic import atomic_binary
from app.formats.dataset import Dataset, ExportReport, Progress, Selection, collect
from app.formats.xmi.cas_xml import SOFA_ID, Annotation, CasXml
from app.models import AnnotatorId, Document, DocumentId, LabelKind, Link, Span
from app.storage.project import Project
from app.text.tokens import sentence_breaks, tokenize

EVERYTHING = Selection()
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
CLAIM = "webanno.custom.Claim"
LINK = "webanno.custom.Link"
TYPESYSTEM = "TypeSystem.xml"
EXTRA = ("annotator", "parallax_uuid")


def typesystem() -> TypeSystem:
    """DKPro Core's types plus the claim and link layers and our two extra features on each."""
    # cassis's load_dkpro_core_typesystem() reads this file through a deprecated API.
    with (files("cassis.resources") / "dkpro-core-types.xml").open("rb") as handle:
        types = load_typesystem(handle)
    claim = types.create_type(CLAIM, supertypeName="uima.tcas.Annotation")
    types.create_feature(claim, "value", "uima.cas.String")
    for layer in (types.get_type(NAMED_ENTITY), claim):
        for name in EXTRA:
            types.create_feature(layer, name, "uima.cas.String")
    link = types.create_type(LINK, supertypeName="uima.tcas.Annotation")
    types.create_feature(link, "Governor", "uima.tcas.Annotation")
    types.create_feature(link, "Dependent", "uima.tcas.Annotation")
    types.create_feature(link, "value", "uima.cas.String")
    for name in EXTRA:  # a link's author and identity too, so a re-import recognises it
        types.create_feature(link, name, "uima.cas.String")
    return types


def export_xmi(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    data = collect(project, selection, progress)
    types = typesystem()
    writer = CasXml(types)
    names: set[str] = set()
    written = 0
    # A link's author may be outside the annotators chosen (theirs are only the spans'): all names.
    authors = {a.id: a.name for a in project.annotators()}
    inside = {s.id: s.document_id for s in data.spans}
    links: dict[DocumentId, list[Link]] = {}  # links within one document, by document
    across = 0
    for link in data.links:  # `collect` keeps the links whose two spans are both chosen
        document_id = inside[link.source_span_id]
        if document_id == inside[link.target_span_id]:
            links.setdefault(document_id, []).append(link)
        else:
            across += 1
    with atomic_binary(Path(out)) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(TYPESYSTEM, types.to_xml())
        for number, document in enumerate(data.documents, start=1):
            name = _file_name(number, document, names)
            annotations, count = document_annotations(document, data, links.get(document.id, []), authors)
            written += count
            archive.writestr(name, writer.xmi(document.text, annotations))
    warnings = [f"{across} links join two documents; a CAS holds one document, so they are left out"] if across else []
    return ExportReport(str(out), len(data.documents), len(data.spans), written, tuple(warnings))


def _file_name(number: int, document: Document, taken: set[str]) -> str:
    stem = re.sub(r"[^\w.-]+", "_", document.title).strip("._")[:60] or "document"
    name = f"{number:04d}-{stem}.xmi"
    taken.add(name)
    return name


def document_annotations(
    document: Document, data: Dataset, links: list[Link], authors: dict[AnnotatorId, str] | None = None
) -> tuple[list[Annotation], int]:
    """One document's annotations in CAS order (tokens, sentences, spans, then the `links`
    between its spans, credited to `authors`' names: the chosen annotators' if None), and
    how many links were written."""
    tokens = tokenize(document.text)
    breaks = sentence_breaks(document.text)
    groups: dict[int, list[tuple[int, int]]] = {}
    found = [Annotation(TOKEN, start, end) for start, end in tokens]
    for start, end in tokens:
        groups.setdefault(bisect.bisect_right(breaks, start), []).append((start, end))
    found += [Annotation(SENTENCE, m[0][0], m[-1][1]) for m in groups.values()]
    people, labels = data.annotator_names, data.label_by_id
    made: dict[int, tuple[int, Span]] = {}  # span id -> its xmi id, and the span
    for span in data.spans_of(document.id):
        label = labels[span.label_id]
        layer = NAMED_ENTITY if label.kind is LabelKind.ENTITY else CLAIM
        features: dict[str, str | int] = {"value": label.name, "annotator": people[span.annotator_id]}
        found.append(Annotation(layer, span.start, span.end, features | {"parallax_uuid": span.uuid}))
        made[span.id] = (SOFA_ID + len(found), span)
    for link in links:
        source, target = made[link.source_span_id], made[link.target_span_id]
        features = {"Governor": source[0], "Dependent": target[0], "value": link.kind.value}
        features |= {"annotator": (authors or people).get(link.annotator_id, ""), "parallax_uuid": link.uuid}
        found.append(Annotation(LINK, target[1].start, target[1].end, features))
    return found, len(links)
