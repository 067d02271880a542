"""Read UIMA CAS XMI (INCEpTION's export) through dkpro-cassis.

Takes a `.zip` (INCEpTION's export of one document or of a project), a
folder, or one `.xmi`; the type system is the `TypeSystem.xml` /
`typesystem.xml` in the same place (without one, DKPro Core's types and
ours, plus the XMI's own elements as types with string features). Spans are
DKPro `NamedEntity` (label = `value`), `webanno.custom.Claim`, and any other
`webanno.custom` span layer (label = its first string feature's value, else
the layer name), all of kind entity except Claim. Relations (a layer with
`Governor` and `Dependent`) become links when their first string feature
names a Parallax link kind. cassis turns UIMA's UTF-16 offsets into code
points. The annotator is the one given, else the span's or link's `annotator` feature
(our exports), else the `.xmi` file name (INCEpTION names each annotator's
file after them), else "inception". One transaction; any file that does not
parse refuses the whole import.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from lxml import etree

from app.errors import ImportRefused
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, PlannedLink, PlannedSpan, apply_plan, normalise
from app.formats.tokens import refuse_kind_clashes
from app.formats.xmi.writer import CLAIM, EXTRA, NAMED_ENTITY, typesystem
from app.models import LinkKind, NewDocument
from app.storage.project import Project

KINDS = {kind.value for kind in LinkKind}
DEFAULT_ANNOTATOR = "inception"
CUSTOM = "webanno.custom."
_UIMA = ("{http:///uima/cas.ecore", "{http:///uima/tcas.ecore")


def import_xmi(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    plan = read_xmi(Path(path), annotator)
    refuse_kind_clashes(project, plan)
    return apply_plan(project, plan)


def read_xmi(path: Path, annotator: str | None = None) -> Plan:
    plan = Plan(path)
    files = dict(_files(path))
    types_name = next((n for n in files if Path(n).name.lower() == "typesystem.xml"), None)
    types = _typesystem(path, types_name, files.pop(types_name)) if types_name else None
    if types is None:
        plan.warnings.append("no TypeSystem.xml; the types were taken from the XMI's own elements")
    documents = sorted(n for n in files if n.lower().endswith(".xmi"))
    if not documents:
        raise ImportRefused(path, "no .xmi files")
    for name in documents:
        try:
            found = types or infer_types(typesystem(), files[name])
            cas = load_cas_from_xmi(io.BytesIO(files[name]), typesystem=found)
        except Exception as exc:  # cassis and lxml raise exceptions of many kinds on bad XML
            raise ImportRefused(path, f"{name}: not a UIMA CAS XMI file ({type(exc).__name__}: {exc})") from exc
        stem = Path(name).stem
        _read_cas(plan, name, cas, annotator, stem if stem not in ("INITIAL_CAS", "CURATION_USER") else None)
    return plan


def _files(path: Path) -> Iterator[tuple[str, bytes]]:
    try:
        if path.is_dir():
            for item in sorted(path.rglob("*")):
                if item.is_file() and item.suffix.lower() in (".xmi", ".xml"):
                    yield str(item.relative_to(path)), item.read_bytes()
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.filename.lower().endswith((".xmi", ".xml")):
                        yield info.filename, archive.read(info)
        else:
            yield path.name, path.read_bytes()
            for beside in path.parent.iterdir():
                if beside.name.lower() == "typesystem.xml":
                    yield beside.name, beside.read_bytes()
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportRefused(path, f"cannot read ({exc})") from exc


def infer_types(types: TypeSystem, content: bytes) -> TypeSystem:
    """Add the types an XMI uses but `types` lacks: string features, Governor/Dependent references."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)  # as cassis parses untrusted XMI
    root = etree.fromstring(content, parser)
    for element in root:
        namespace, _, local = str(element.tag).partition("}")
        if not namespace.startswith("{http:///") or namespace in _UIMA:
            continue
        name = namespace[len("{http:///") :].removesuffix(".ecore").replace("/", ".") + "." + local
        if types.contains_type(name):
            continue
        annotation = "begin" in element.attrib and "end" in element.attrib
        created = types.create_type(name, supertypeName="uima.tcas.Annotation" if annotation else "uima.cas.TOP")
        for attribute in element.attrib:
            if "}" not in attribute and attribute not in ("sofa", "begin", "end"):
                reference = attribute in ("Governor", "Dependent")
                types.create_feature(created, attribute, "uima.tcas.Annotation" if reference else "uima.cas.String")
    return types


def _typesystem(path: Path, name: str, content: bytes) -> TypeSystem:
    try:
        return load_typesystem(io.BytesIO(content))
    except Exception as exc:  # as above
        raise ImportRefused(path, f"{name}: not a UIMA type system ({type(exc).__name__}: {exc})") from exc


def _string_feature(annotation: Any, skip: tuple[str, ...] = EXTRA) -> str | None:
    for feature in annotation.type.all_features:
        if feature.rangeType.name == "uima.cas.String" and feature.name not in skip:
            value = annotation.get(feature.name)
            return value if isinstance(value, str) and value.strip() else None
    return None


def _read_cas(plan: Plan, name: str, cas: Cas, annotator: str | None, owner: str | None) -> None:
    norm = normalise(cas.sofa_string or "")
    if not norm.text.strip():
        plan.warnings.append(f"{name}: empty text, skipped")
        return
    sha = plan.add_document(NewDocument(text=norm.text, title=Path(name).stem))
    keys: dict[int, tuple[str, int]] = {}
    relations = []
    for annotation in cas.select_all_annotations():
        type_name = annotation.type.name
        features = {f.name for f in annotation.type.all_features}
        if {"Governor", "Dependent"} <= features and type_name.startswith(CUSTOM):
            relations.append(annotation)
            continue
        if type_name != NAMED_ENTITY and not type_name.startswith(CUSTOM):
            continue
        begin, end = norm.offset(annotation.begin), norm.offset(annotation.end)
        if begin >= end:
            plan.warnings.append(f"{name}: empty {type_name} annotation at {annotation.begin} skipped")
            continue
        label = _string_feature(annotation) or type_name.rsplit(".", 1)[-1]
        plan.label_kinds.setdefault(label, "claim" if type_name == CLAIM else "entity")
        who = annotator or _extra(annotation, "annotator") or owner or DEFAULT_ANNOTATOR
        key = (name, annotation.xmiID)
        uuid = _extra(annotation, "parallax_uuid")
        plan.add_span(
            PlannedSpan(key, sha, begin, end, label, who, uuid=uuid), f"{name}: {type_name} {annotation.xmiID}"
        )
        keys[annotation.xmiID] = key
    for relation in relations:
        who = annotator or _extra(relation, "annotator") or owner or DEFAULT_ANNOTATOR
        _read_relation(plan, name, relation, keys, who)


def _extra(annotation: Any, feature: str) -> str | None:
    if feature not in {f.name for f in annotation.type.all_features}:
        return None
    value = annotation.get(feature)
    return value if isinstance(value, str) and value else None


def _read_relation(plan: Plan, name: str, relation: Any, keys: dict[int, tuple[str, int]], who: str) -> None:
    kind = _string_feature(relation)
    ends = [relation.get(end) for end in ("Governor", "Dependent")]
    found = [keys.get(end.xmiID) if end is not None else None for end in ends]
    where = f"{name}: {relation.type.name} {relation.xmiID}"
    if kind not in KINDS:
        plan.warnings.append(f"{where}: {kind!r} is not a Parallax link kind ({', '.join(sorted(KINDS))}); skipped")
    elif found[0] is None or found[1] is None:
        plan.warnings.append(f"{where}: its ends are not spans Parallax reads; skipped")
    else:
        plan.links.append(PlannedLink(str(kind), found[0], found[1], who, uuid=_extra(relation, "parallax_uuid")))
