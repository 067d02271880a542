"""The export formats by name, for the CLI and the Export dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.formats.brat.writer import export_brat
from app.formats.claim_pairs import export_claim_pairs_csv, export_claim_pairs_jsonl
from app.formats.conll import export_conll
from app.formats.conllu import export_conllu
from app.formats.dataset import EVERYTHING, ExportReport, Progress, Selection
from app.formats.huggingface import export_huggingface
from app.formats.labelstudio.writer import export_labelstudio
from app.formats.native.writer import export_native
from app.formats.prodigy import export_prodigy
from app.formats.spacy_docbin import export_spacy_docbin
from app.formats.webanno.writer import export_tsv3
from app.storage.project import Project

Exporter = Callable[[Project, Path, Selection, Progress | None], ExportReport]


def export_xmi(project: Project, out: Path, selection: Selection, progress: Progress | None = None) -> ExportReport:
    """cassis loads only when XMI is written (it costs the start-up ~60 ms)."""
    from app.formats.xmi.writer import export_xmi as write

    return write(project, out, selection, progress)


@dataclass(frozen=True)
class ExportFormat:
    name: str
    title: str
    suffix: str  # "" for a folder
    run: Exporter


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("jsonl", "Parallax JSONL (lossless)", ".jsonl", export_native),
        ExportFormat("spacy", "spaCy DocBin", ".spacy", export_spacy_docbin),
        ExportFormat("conll", "CoNLL-2003 BIO (entities)", ".conll", export_conll),
        ExportFormat("brat", "brat standoff (folder)", "", export_brat),
        ExportFormat("labelstudio", "Label Studio JSON", ".json", export_labelstudio),
        ExportFormat("nli-jsonl", "Claim pairs for NLI (JSONL)", ".jsonl", export_claim_pairs_jsonl),
        ExportFormat("nli-csv", "Claim pairs for NLI (CSV)", ".csv", export_claim_pairs_csv),
        ExportFormat("tsv3", "WebAnno / INCEpTION TSV 3.3 (ZIP)", ".zip", export_tsv3),
        ExportFormat("xmi", "UIMA CAS XMI for INCEpTION (ZIP)", ".zip", export_xmi),
        ExportFormat("conllu", "CoNLL-U (entities in MISC)", ".conllu", export_conllu),
        ExportFormat("huggingface", "Hugging Face token classification (folder)", "", export_huggingface),
        ExportFormat("prodigy", "Prodigy NER JSONL", ".jsonl", export_prodigy),
    )
}


def export(
    project: Project, name: str, out: Path, selection: Selection = EVERYTHING, progress: Progress | None = None
) -> ExportReport:
    return FORMATS[name].run(project, out, selection, progress)
