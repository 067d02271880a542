"""Write UIMA CAS XMI for INCEpTION: a ZIP of one `.xmi` per document and `TypeSystem.xml`.

Built with dkpro-cassis, INCEpTION's own Python library, which also writes
the offsets in UTF-16 code units as UIMA (Java) counts them. Layers:
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

from cassis import Cas, TypeSystem, load_typesystem

from app.formats.atomic import atomic_binary
from app.formats.dataset import Dataset, ExportReport, Progress, Selection, collect
from app.models import Document, LabelKind
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
    names: set[str] = set()
    written = 0
    with atomic_binary(Path(out)) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(TYPESYSTEM, types.to_xml())
        for number, document in enumerate(data.documents, start=1):
            name = _file_name(number, document, names)
            cas, count = document_cas(types, document, data)
            written += count
            archive.writestr(name, cas.to_xmi())
    inside = {s.id for s in data.spans}
    by_doc = {s.id: s.document_id for s in data.spans}
    across = [
        x for x in data.links if x.source_span_id in inside and by_doc[x.source_span_id] != by_doc[x.target_span_id]
    ]
    warnings = (
        [f"{len(across)} links join two documents; a CAS holds one document, so they are left out"] if across else []
    )
    return ExportReport(str(out), len(data.documents), len(data.spans), written, tuple(warnings))


def _file_name(number: int, document: Document, taken: set[str]) -> str:
    stem = re.sub(r"[^\w.-]+", "_", document.title).strip("._")[:60] or "document"
    name = f"{number:04d}-{stem}.xmi"
    taken.add(name)
    return name


def document_cas(types: TypeSystem, document: Document, data: Dataset) -> tuple[Cas, int]:
    """One document's CAS; returns it with the number of links written."""
    cas = Cas(typesystem=types)
    cas.sofa_string = document.text
    cas.sofa_mime = "text/plain"
    token, sentence = types.get_type(TOKEN), types.get_type(SENTENCE)
    tokens = tokenize(document.text)
    breaks = sentence_breaks(document.text)
    groups: dict[int, list[tuple[int, int]]] = {}
    for start, end in tokens:
        groups.setdefault(bisect.bisect_right(breaks, start), []).append((start, end))
        cas.add(token(begin=start, end=end))
    for members in groups.values():
        cas.add(sentence(begin=members[0][0], end=members[-1][1]))
    people = data.annotator_names
    made = {}
    for span in data.spans_of(document.id):
        label = data.label_of(span)
        layer = types.get_type(NAMED_ENTITY if label.kind is LabelKind.ENTITY else CLAIM)
        made[span.id] = layer(
            begin=span.start,
            end=span.end,
            value=label.name,
            annotator=people[span.annotator_id],
            parallax_uuid=span.uuid,
        )
        cas.add(made[span.id])
    link_type, count = types.get_type(LINK), 0
    for link in data.links:
        source, target = made.get(link.source_span_id), made.get(link.target_span_id)
        if source is not None and target is not None:
            cas.add(
                link_type(
                    begin=target.begin,
                    end=target.end,
                    Governor=source,
                    Dependent=target,
                    value=link.kind.value,
                    annotator=people.get(link.annotator_id, ""),
                    parallax_uuid=link.uuid,
                )
            )
            count += 1
    return cas, count
