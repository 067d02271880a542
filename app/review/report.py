"""The dispute report of one review session: a self-contained HTML page (inline
CSS, no scripts, nothing fetched) that also prints to PDF through Qt.

Every string that came from an article, an annotator or a reviewer is HTML-
escaped. The page keeps to the HTML and CSS subset Qt's rich-text engine
understands (tables for layout, simple selectors), so the PDF matches it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from app.errors import InvalidOperation
from app.formats.atomic import atomic_text
from app.models import LinkKind
from app.review.models import DECISION_TEXT, Decision, Dispute, Judgement, ReviewSession, Source, Statement
from app.review.models import decision_text as kind_text
from app.review.sessions import describe_scope, disputes, find_session
from app.storage.project import Project

UNDECIDED = "No verdict yet"
QUOTE_STYLE = "background-color:#fde68a; font-weight:bold"
CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #1f2933; }
h1 { font-size: 18pt; margin-bottom: 4px; }
h2 { font-size: 13pt; margin-top: 18px; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin-top: 16px; margin-bottom: 4px; }
table { border-collapse: collapse; }
th { text-align: left; background-color: #eef2f7; }
td, th { padding: 3px 6px; vertical-align: top; }
table.summary td.n, table.summary th.n { text-align: right; }
table#by-source th { font-size: 8pt; font-weight: normal; padding: 2px 3px; }
tr.total td { font-weight: bold; border-top: 1px solid #555; }
td.side { border: 1px solid #cbd2d9; padding: 6px; }
p.context { white-space: pre-wrap; margin: 4px 0; }
p.where, p.link, p.when { color: #52606d; margin: 2px 0; }
p.verdict { font-weight: bold; margin: 6px 0 2px 0; }
p.rationale { white-space: pre-wrap; margin: 2px 0 2px 12px; }
span.disagree { color: #b91c1c; font-weight: bold; }
span.none { color: #7b8794; }
hr { margin-top: 14px; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def decision_text(decision: Decision | None) -> str:
    return DECISION_TEXT[decision] if decision is not None else UNDECIDED


def _date(source: Source) -> str:
    return source.published or "date unknown"


def when(stamp: str | None) -> str:
    """An ISO timestamp as "2021-04-12 09:30 UTC" (shown as stored if it is not one)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


# ---- summaries ---------------------------------------------------------------
def by_decision(
    items: Iterable[Dispute], session_id: int, kinds: Iterable[LinkKind] = (LinkKind.CONTRADICTS,)
) -> dict[str, int]:
    """Verdict text -> number of disputes: the confirm / reject wording of each kind, then each
    "<source> right" found, then both wrong and undetermined, undecided last."""
    items = list(items)
    fixed = [kind_text(d, k) for k in kinds for d in (Decision.CONFLICT_CONFIRMED, Decision.NOT_A_CONFLICT)]
    said = [item.verdict_text(own.verdict) for item in items if (own := item.judgement_in(session_id))]
    named = sorted(
        {t for t in said if t not in fixed} - {DECISION_TEXT[Decision.BOTH_WRONG], DECISION_TEXT[Decision.UNDETERMINED]}
    )
    counts = dict.fromkeys(
        [*fixed, *named, DECISION_TEXT[Decision.BOTH_WRONG], DECISION_TEXT[Decision.UNDETERMINED]], 0
    )
    for text in said:
        counts[text] = counts.get(text, 0) + 1
    counts[UNDECIDED] = len(items) - len(said)
    return counts


@dataclass
class SourceTally:
    disputes: int = 0
    right: int = 0  # verdicts that this source's statement was right
    wrong: int = 0  # verdicts that it was wrong (the other side right, or both wrong)
    decisions: dict[str, int] = field(default_factory=dict)


# Short headers (the PDF page is narrow); the legend under the table spells them out.
SOURCE_COLUMNS = ("Disputes", "Right", "Wrong", "Conflict", "No conflict", "Unclear", "Open")
SOURCE_DECISIONS = (Decision.CONFLICT_CONFIRMED, Decision.NOT_A_CONFLICT, Decision.UNDETERMINED, None)
SOURCE_LEGEND = (
    "A dispute counts once for each source it involves. Right, Wrong: verdicts that this source's"
    " statement was the right one, or the wrong one (the other source right, or both wrong)."
    " Conflict, No conflict, Unclear: verdicts “conflict confirmed”, “not a conflict” and"
    " “undetermined”. Open: no verdict yet. A title in quotes stands for an article whose outlet"
    " is unknown."
)


def by_source(items: Iterable[Dispute], session_id: int) -> dict[str, SourceTally]:
    """Source name -> its tally; a dispute counts once for each source it involves."""
    tallies: dict[str, SourceTally] = {}
    for item in items:
        decision = item.decision_in(session_id)
        first, second = item.first.source.name, item.second.source.name
        for name in dict.fromkeys((first, second)):
            tally = tallies.setdefault(name, SourceTally())
            tally.disputes += 1
            key = decision_text(decision)
            tally.decisions[key] = tally.decisions.get(key, 0) + 1
        own = item.judgement_in(session_id)
        side = item.side_of(own.verdict) if own else None
        if side is not None:
            right, wrong = (first, second) if side is item.first else (second, first)
            tallies[right].right += 1
            tallies[wrong].wrong += 1
        elif decision is Decision.BOTH_WRONG:
            for name in dict.fromkeys((first, second)):
                tallies[name].wrong += 1
    return dict(sorted(tallies.items(), key=lambda kv: (-kv[1].disputes, kv[0].casefold())))


def _source_row(tally: SourceTally) -> tuple[int, ...]:
    return (
        tally.disputes,
        tally.right,
        tally.wrong,
        *(tally.decisions.get(decision_text(d), 0) for d in SOURCE_DECISIONS),
    )


# ---- the page ----------------------------------------------------------------
def report_html(project: Project, review: ReviewSession | int | str) -> str:
    chosen = review if isinstance(review, ReviewSession) else find_session(project, review)
    items = disputes(project, chosen)
    parts = [_header(project, chosen, items), _summaries(items, chosen.id, chosen.scope.kinds), "<h2>Disputes</h2>"]
    parts += [_dispute(number, len(items), item, chosen.id) for number, item in enumerate(items, 1)]
    if not items:
        parts.append('<p class="empty">No links are in this session\'s scope.</p>')
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="Parallax">\n'
        f"<title>Dispute report: {esc(chosen.name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def _header(project: Project, review: ReviewSession, items: list[Dispute]) -> str:
    decided = sum(1 for item in items if item.decision_in(review.id) is not None)
    status = f"paused since {when(review.closed_at)}" if review.closed_at else "open"
    rows = (
        ("Project", project.path.name),
        ("Reviewer", review.reviewer),
        ("Started", when(review.created_at)),
        ("Status", status),
        ("Scope", describe_scope(project, review.scope)),
        ("Progress", f"{decided} of {len(items)} disputes decided"),
        ("Report written", when(datetime.now(UTC).isoformat(timespec="seconds"))),
    )
    table = "".join(f'<tr><th>{esc(k)}</th><td class="{esc(k.lower())}">{esc(v)}</td></tr>' for k, v in rows)
    return f'<h1>Dispute report: {esc(review.name)}</h1>\n<table class="meta" id="meta">{table}</table>'


def _summaries(items: list[Dispute], session_id: int, kinds: Iterable[LinkKind]) -> str:
    counts = by_decision(items, session_id, kinds)
    verdict_rows = "".join(f'<tr><td>{esc(k)}</td><td class="n">{v}</td></tr>' for k, v in counts.items())
    verdict_table = (
        '<h2>Summary by verdict</h2>\n<table class="summary" id="by-verdict" border="1">'
        '<tr><th>Verdict</th><th class="n">Disputes</th></tr>'
        + verdict_rows
        + f'<tr class="total"><td>Total</td><td class="n">{len(items)}</td></tr></table>'
    )
    head = "".join(f'<th class="n" width="{11 if c == "Disputes" else 10}%">{esc(c)}</th>' for c in SOURCE_COLUMNS)
    source_rows = "".join(
        f"<tr><td>{esc(name)}</td>" + "".join(f'<td class="n">{n}</td>' for n in _source_row(tally)) + "</tr>"
        for name, tally in by_source(items, session_id).items()
    )
    source_table = (
        '<h2>Summary by source</h2>\n<table class="summary" id="by-source" border="1" width="100%">'
        f'<tr><th width="29%">Source</th>{head}</tr>{source_rows}</table>'
        f'<p class="when">{esc(SOURCE_LEGEND)}</p>'
    )
    return verdict_table + "\n" + source_table


def _statement(role: str, statement: Statement) -> str:
    source = statement.source
    where = " · ".join(x for x in (source.outlet or "outlet unknown", _date(source)) if x)
    note = f'<p class="where">Span note: {esc(statement.span.note)}</p>' if statement.span.note else ""
    return (
        f'<td class="side {role}" width="50%"><p class="where"><b>{esc(role.capitalize())} statement</b>'
        f" · {esc(statement.label)}</p>"
        f'<p class="context">{esc(statement.before)}<span class="quote" style="{QUOTE_STYLE}">'
        f"{esc(statement.quote)}</span>{esc(statement.after)}</p>"
        f'<p class="source where">{esc(where)}<br>“{esc(source.title or "untitled")}”'
        + (f"<br>{esc(source.url)}" if source.url else "")
        + f"</p>{note}</td>"
    )


def _judgement_line(item: Dispute, judgement: Judgement) -> str:
    verdict = judgement.verdict
    rationale = f": {esc(verdict.rationale)}" if verdict.rationale else ""
    return (
        f"<li>{esc(judgement.session_name)} ({esc(judgement.reviewer)}, {esc(when(verdict.decided_at))}):"
        f' <span class="decision">{esc(item.verdict_text(verdict))}</span>{rationale}</li>'
    )


def _dispute(number: int, total: int, item: Dispute, session_id: int) -> str:
    own = item.judgement_in(session_id)
    decision = own.verdict.decision if own else None
    parts = [
        f'<div class="dispute" id="dispute-{number}" data-link="{esc(item.link.uuid)}"'
        f' data-decision="{esc(decision.value if decision else "")}">',
        f"<hr><h3>Dispute {number} of {total} · {esc(item.verdict_text(own.verdict if own else None))}</h3>",
        '<table class="sides" width="100%" cellspacing="0" cellpadding="6"><tr>'
        + _statement("first", item.first)
        + _statement("second", item.second)
        + "</tr></table>",
        f'<p class="link">{esc(item.link.kind.value.replace("_", " "))} link by {esc(item.annotator)}'
        + (f" · note: {esc(item.note)}" if item.note else "")
        + "</p>",
    ]
    if item.conflicting_in(session_id):
        parts.append(
            '<p class="verdict"><span class="disagree">Verdicts of this session on this pair contradict'
            " each other</span></p>"
        )
    if own is None:
        parts.append(f'<p class="verdict"><span class="none">{UNDECIDED}</span></p>')
    else:
        parts.append(
            f'<p class="verdict">Verdict: <span class="decision">{esc(item.verdict_text(own.verdict))}</span>'
            f' <span class="when">({esc(own.reviewer)}, {esc(when(own.verdict.decided_at))})</span></p>'
        )
        if own.verdict.rationale:
            parts.append(f'<p class="rationale">{esc(own.verdict.rationale)}</p>')
        if own.evidence:
            parts.append(
                '<p class="when">Evidence:</p><ul class="evidence">'
                + "".join(
                    f'<li><span class="quote">“{esc(e.quote)}”</span> — {esc(e.source.name)}'
                    + (f", {esc(e.source.published)}" if e.source.published else "")
                    + "</li>"
                    for e in own.evidence
                )
                + "</ul>"
            )
    others = item.others(session_id)
    if others:
        flag = ' <span class="disagree">Sessions disagree</span>' if item.disagreement else ""
        parts.append(
            f'<p class="when">Other sessions:{flag}</p><ul class="others">'
            + "".join(_judgement_line(item, j) for j in others)
            + "</ul>"
        )
    parts.append("</div>")
    return "\n".join(parts)


# ---- writing -----------------------------------------------------------------
PdfWriter = Callable[[str, Path], None]


def write_report(
    project: Project, review: ReviewSession | int | str, out: Path, pdf: PdfWriter | None = None
) -> ReviewSession:
    """Write the report to `out`: HTML for .html/.htm, PDF for .pdf, whole or not at all.

    PDF needs Qt's text layout, which the core does not have: the caller passes
    the `pdf` writer (`ui.review.report_pdf.report_pdf`; the CLI imports it lazily).
    """
    chosen = review if isinstance(review, ReviewSession) else find_session(project, review)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise InvalidOperation(f"{out}: a report is written as .html or .pdf")
    page = report_html(project, chosen)
    if suffix == ".pdf":
        if pdf is None:
            raise InvalidOperation(f"{out}: PDF reports are printed by the desktop part; give a PDF writer")
        pdf(page, out)
    else:
        with atomic_text(out) as handle:
            handle.write(page)
    return chosen
