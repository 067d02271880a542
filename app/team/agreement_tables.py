"""Agreement as tables: the rows shown in the Agreement view, TSV and plain text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.team.agreement import ALL_LINKS, AgreementReport, DocumentAgreement, PairAgreement

# ---- tables --------------------------------------------------------------
COLUMNS = ("Label / link kind", "Items", "Exact F1", "Overlap F1", "Cohen's κ", "Krippendorff's α")
MEASURES = {"exact_f1": "Exact F1", "overlap_f1": "Overlap F1", "kappa": "Cohen's κ", "alpha": "Krippendorff's α"}


@dataclass(frozen=True)
class Row:
    """One line of the agreement table: a label, a link kind or a total."""

    name: str
    link: bool
    items: int
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None = None
    alpha: float | None = None

    def cells(self) -> tuple[str, ...]:
        values = (self.exact_f1, self.overlap_f1, self.kappa, self.alpha)
        return (self.name, str(self.items), *(number(v) for v in values))


def number(value: float | None) -> str:
    if value is None:
        return "—"
    shown = f"{value:.3f}"
    return "0.000" if shown == "-0.000" else shown  # a tiny negative is no sign of disagreement


def pair_name(pair: PairAgreement) -> str:
    return f"{pair.first} vs {pair.second}"


def pair_rows(pair: PairAgreement) -> list[Row]:
    """The table of one pair (e.g. an annotator against gold)."""
    return [
        Row(
            _link_name(s.name) if link else s.name,
            link,
            s.count_a + s.count_b,
            s.exact_f1,
            s.overlap_f1,
            s.kappa,
            s.alpha,
        )
        for link, scores in ((False, pair.labels), (True, pair.links))
        for s in scores
    ]


DOCUMENT_COLUMNS = ("Document", "Annotators", "Exact F1", "Overlap F1", "Cohen's κ", "Krippendorff's α")


def document_cells(doc: DocumentAgreement) -> tuple[str, ...]:
    """A document as people know it (title · outlet), never a bare id."""
    name = " · ".join(x for x in (doc.title or "untitled", doc.outlet) if x)
    values = (doc.exact_f1, doc.overlap_f1, doc.kappa, doc.alpha)
    return (name, ", ".join(doc.annotators), *(number(v) for v in values))


def table_rows(report: AgreementReport, pair: int | None = None) -> list[Row]:
    """The table for one pair (its index in `report.pairs`), or for everyone:
    F1 and κ averaged over the pairs where defined, α over all annotators,
    items counted over all annotators."""
    if pair is not None:
        return pair_rows(report.pairs[pair])
    rows = []
    for index, total in enumerate(report.labels):
        scores = [p.labels[index] for p in report.pairs]
        rows.append(
            Row(
                total.name,
                False,
                total.items,
                _mean(s.exact_f1 for s in scores),
                _mean(s.overlap_f1 for s in scores),
                _mean(s.kappa for s in scores),
                total.alpha,
            )
        )
    for index, total in enumerate(report.links):
        links = [p.links[index] for p in report.pairs]
        rows.append(
            Row(
                _link_name(total.name),
                True,
                total.items,
                _mean(x.exact_f1 for x in links),
                _mean(x.overlap_f1 for x in links),
            )
        )
    return rows


def _link_name(kind: str) -> str:
    return kind if kind == ALL_LINKS else f"Links: {kind}"


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def to_tsv(rows: Iterable[Row]) -> str:
    """Tab-separated, header first, for pasting into a spreadsheet."""
    return "".join("\t".join(line) + "\n" for line in [COLUMNS, *(row.cells() for row in rows)])


def format_agreement(report: AgreementReport) -> str:
    """The whole report as plain text for the command line."""
    who = ", ".join(report.annotators) or "none"
    lines = [
        f"Annotators: {who} (gold left out)",
        f"Documents annotated by two or more: {report.documents}, tokens: {report.tokens}",
    ]
    if not report.pairs:
        return "\n".join([*lines, "Agreement needs spans from at least two annotators in the same document."])
    lines += ["", "Everyone (F1 and κ: mean over pairs; α: all annotators)", *_text_table(table_rows(report))]
    for index, pair in enumerate(report.pairs):
        lines += [
            "",
            f"{pair_name(pair)}: documents both annotated {pair.documents}, tokens {pair.tokens}",
            *_text_table(table_rows(report, index)),
        ]
    for pair in report.versus_gold:
        lines += ["", f"{pair.first} against gold: documents {pair.documents}", *_text_table(pair_rows(pair))]
    lines += ["", "Per document (mean over the pairs who annotated it)"]
    lines += _text_table([document_cells(d) for d in report.by_document], DOCUMENT_COLUMNS)
    labels = report.confusion_labels
    lines += ["", "Label confusion (tokens, every pair both ways)"]
    lines += _text_table([(x, *map(str, row)) for x, row in zip(labels, report.confusion, strict=True)], ("", *labels))
    return "\n".join(lines)


def _text_table(rows: Sequence[Row | tuple[str, ...]], columns: tuple[str, ...] = COLUMNS) -> list[str]:
    cells = [columns, *(row.cells() if isinstance(row, Row) else row for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]
    return [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in cells
    ]
