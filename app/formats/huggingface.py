"""Hugging Face token classification: a dataset folder `datasets.load_dataset` reads.

The folder holds `train.jsonl`, one sentence a row

    {"id": "12-3", "document_id": "<uuid>", "title": "...", "tokens": [...], "ner_tags": [0, 3, 4, ...]}

and a `README.md` dataset card whose `dataset_info` declares `ner_tags` a
sequence of `ClassLabel` (names "O", "B-X", "I-X", ... in that order), so
`load_dataset(folder)` gives the tags their names and a token-classification
collator takes the rows as they are. Tokens and entities are the CoNLL
export's (same tokenizer, same warnings). The import reads such a folder (or
one JSONL file: `ner_tags` as names, or numbers with the card beside it);
rows sharing a `document_id` are one document, put back on the project
document with the same characters when there is one.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections import defaultdict
from pathlib import Path

from app.errors import ImportRefused, ParallaxError
from app.formats.conll import renamed_labels, tagged_sentences
from app.formats.dataset import ExportReport, Progress, Selection, collect
from app.formats.import_report import AnnotationImportReport
from app.formats.matching import Plan, read_text
from app.formats.tokens import TITLES, TextFinder, add_tagged, annotator_for, apply_tokens
from app.models import LabelKind, NewDocument
from app.storage.project import Project

EVERYTHING = Selection()
DATA, CARD = "train.jsonl", "README.md"


def tag_names(labels: list[str]) -> list[str]:
    return ["O"] + [f"{p}-{'_'.join(name.split())}" for name in labels for p in ("B", "I")]


def card(names: list[str]) -> str:
    info = {
        "dataset_info": {
            "features": [
                {"name": "id", "dtype": "string"},
                {"name": "document_id", "dtype": "string"},
                {"name": "title", "dtype": "string"},
                {"name": "tokens", "sequence": "string"},
                {"name": "ner_tags", "sequence": {"class_label": {"names": dict(enumerate(names))}}},
            ]
        },
        "configs": [{"config_name": "default", "data_files": [{"split": "train", "path": DATA}]}],
        "task_categories": ["token-classification"],
    }
    import yaml  # loaded when a card is written or read, not at start-up

    body = "Token classification data exported by Parallax: `tokens` and `ner_tags` (BIO).\n"
    return f"---\n{yaml.safe_dump(info, allow_unicode=True, sort_keys=False)}---\n\n{body}"


def export_huggingface(
    project: Project, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(p.name not in (DATA, CARD) for p in out.iterdir())):
        raise ParallaxError(f"{out}: exists and is not an empty folder or a Parallax dataset folder")
    data = collect(project, selection, progress)
    names = tag_names(sorted({x.name for x in data.labels if x.kind is LabelKind.ENTITY}))
    index = {name: i for i, name in enumerate(names)}
    warnings: list[str] = []
    rows, written = [], 0
    for document in data.documents:
        sentences, count = tagged_sentences(document, data, warnings)
        written += count
        for number, sentence in enumerate(sentences, start=1):
            rows.append(
                {
                    "id": f"{document.id}-{number}",
                    "document_id": document.uuid,
                    "title": document.title,
                    "tokens": [document.text[a:b] for (a, b), _ in sentence],
                    "ner_tags": [index[tag] for _, tag in sentence],
                }
            )
    temp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.tmp")
    temp.mkdir()
    try:
        (temp / DATA).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        (temp / CARD).write_text(card(names), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    warnings.extend(renamed_labels(data, "no spaces in a tag"))
    return ExportReport(str(out), len(data.documents), written, 0, tuple(warnings))


def import_huggingface(project: Project, path: Path, annotator: str | None = None) -> AnnotationImportReport:
    plan = read_huggingface(project, Path(path), annotator)
    return apply_tokens(project, plan)


def read_card_names(path: Path) -> list[str] | None:
    """The `ner_tags` ClassLabel names from a dataset card's YAML header, if it has them."""
    if not path.exists():
        return None
    text = read_text(path)
    if not text.startswith("---"):
        return None
    import yaml

    try:
        header = yaml.safe_load(text.split("---", 2)[1]) or {}
    except yaml.YAMLError as exc:
        raise ImportRefused(path, f"the card's YAML header is not valid ({exc})") from exc
    info = header.get("dataset_info", {}) if isinstance(header, dict) else {}
    infos = info if isinstance(info, list) else [info]
    for entry in infos:
        for feature in entry.get("features", []) if isinstance(entry, dict) else []:
            if isinstance(feature, dict) and feature.get("name") == "ner_tags":
                inner = feature.get("sequence") or feature.get("list") or {}
                names = inner.get("class_label", {}).get("names") if isinstance(inner, dict) else None
                if isinstance(names, dict):
                    return [str(names[k]) for k in sorted(names, key=int)]
                if isinstance(names, list):
                    return [str(n) for n in names]
    return None


def read_huggingface(project: Project, path: Path, annotator: str | None = None) -> Plan:
    files = sorted(path.glob("**/*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise ImportRefused(path, "no .jsonl data files in the folder")
    folder = path if path.is_dir() else path.parent
    names = read_card_names(folder / CARD)
    groups: dict[str, list[tuple[list[str], list[str]]]] = defaultdict(list)
    titles: dict[str, str] = {}
    for file in files:
        for number, line in enumerate(read_text(file).split("\n"), start=1):
            if line.strip():
                key, title, tokens, tags = _row(file, number, line, names)
                groups[key].append((tokens, tags))
                titles.setdefault(key, title)
    plan, finder = Plan(path), TextFinder(project)
    who = annotator_for(plan, annotator, TITLES["huggingface"])
    for key, sentences in groups.items():
        placed = finder.place([tokens for tokens, _ in sentences])
        doc = NewDocument(text=placed.text, title=titles[key])
        tags = [tag for _, row in sentences for tag in row]
        add_tagged(plan, f"document {key}", key, doc, placed.offsets, tags, who)
    return plan


def _row(file: Path, number: int, line: str, names: list[str] | None) -> tuple[str, str, list[str], list[str]]:
    where = f"line {number}"
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportRefused(file, f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
    tokens, tags = (row.get("tokens"), row.get("ner_tags")) if isinstance(row, dict) else (None, None)
    if not isinstance(tokens, list) or not isinstance(tags, list) or len(tokens) != len(tags):
        raise ImportRefused(file, f'{where}: expected "tokens" and "ner_tags" lists of the same length')
    if not all(isinstance(t, str) and t.strip() for t in tokens):
        raise ImportRefused(file, f"{where}: every token must be a non-blank string")
    assert isinstance(row, dict)
    named: list[str] = []
    for tag in tags:
        if isinstance(tag, str):
            named.append(tag)
        elif isinstance(tag, int) and names is not None and 0 <= tag < len(names):
            named.append(names[tag])
        else:
            found = "no card with ClassLabel names" if names is None else f"{len(names)} names in the card"
            raise ImportRefused(file, f"{where}: tag {tag!r} has no name ({found})")
    key = str(row.get("document_id") or f"{file.stem}:{number}")
    title = str(row.get("title") or file.stem)
    return key, title, [str(t) for t in tokens], named
