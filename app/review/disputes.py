"""Building `Dispute` records: both statements with the sentences around them,
their sources, the link's annotator and note, and every session's verdict."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from app.models import Document, DocumentId, Link, LinkId, LinkKind, Span, SpanId
from app.review.models import Dispute, Evidence, Judgement, Source, Statement, Verdict
from app.storage import rows
from app.storage.project import Project

# A sentence ends at . ! ? or … (plus closing quotes or brackets) before white space,
# at a blank line, or at a line break followed by what looks like a new sentence.
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*[ \t\u00a0]+|[.!?…]*[\"'”’»)\]]*[ \t]*\n\s*")
_ABBREVIATIONS = frozenset(
    (
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "rev",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
    )
)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n\s*")
_OPENERS = "\"'“‘«([¿¡"
VERDICT_COLUMNS = rows.VERDICT_COLUMNS
SYMMETRIC = frozenset({LinkKind.SAME_AS, LinkKind.CONTRADICTS})
CONTEXT_LIMIT = 400  # characters of context kept on each side of a quote


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether a candidate end really ends a sentence (not "Mr. Garneau", not "Turkey\nafter")."""
    found = match.group()
    following = text[match.end() : match.end() + 2].lstrip(_OPENERS)[:1]
    if not following or _BLANK_LINE.search(found):
        return True
    stopped = found[0] in ".!?…"
    if not (following.isupper() or following.isdigit() or (stopped and "\n" in found)):
        return False
    if not stopped:
        return True  # a line break before a capital
    word = re.search(r"([\w.]+)\W*$", text[max(0, match.start() - 12) : match.start() + 1])
    token = word.group(1).rstrip(".").casefold() if word else ""
    return token not in _ABBREVIATIONS and not (len(token) == 1 and token.isalpha())


def sentence_bounds(text: str, start: int, end: int, extra: int = 1) -> tuple[int, int]:
    """Start and end of the sentence(s) holding text[start:end], widened by `extra` sentences each side."""
    lo, hi = max(0, start - 3000), min(len(text), end + 3000)
    cuts = [m.end() for m in _END.finditer(text, lo, hi) if _is_boundary(text, m)]
    starts = [lo, *(c for c in cuts if c <= start)]
    ends = [c for c in cuts if c >= end] + [hi]
    begin, finish = starts[max(0, len(starts) - 1 - extra)], ends[min(extra, len(ends) - 1)]
    # Never past the paragraph: a blank line ends the context.
    breaks = [m.span() for m in _BLANK_LINE.finditer(text, begin, finish)]
    begin = max([begin, *(b_end for _, b_end in breaks if b_end <= start)])
    finish = min([finish, *(b_start for b_start, _ in breaks if b_start >= end)])
    return begin, finish


def context(text: str, start: int, end: int, extra: int = 1, limit: int = CONTEXT_LIMIT) -> tuple[str, str, str]:
    """(before, quote, after): the quote with its surrounding sentences, each side cut to `limit`
    characters at a word boundary (marked "…")."""
    begin, finish = sentence_bounds(text, start, end, extra)
    before, after = text[begin:start].lstrip(), text[end:finish].rstrip()
    if len(before) > limit:
        cut = before[-limit:]
        before = "…" + cut[cut.find(" ") + 1 :] if " " in cut else "…" + cut
    if len(after) > limit:
        cut = after[:limit]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
    return before, text[start:end], after


def _source(doc: Document) -> Source:
    return Source(document_id=doc.id, title=doc.title, outlet=doc.source, published=doc.published, url=doc.url)


def load_disputes(project: Project, link_ids: Sequence[LinkId]) -> list[Dispute]:
    """Disputes for these links, one per pair of statements, in the order of each pair's first link."""
    wanted = set(link_ids)
    links = {x.id: x for x in project.links() if x.id in wanted}
    found = _Loader(project, [s for x in links.values() for s in (x.source_span_id, x.target_span_id)])
    judgements = _judgements(project, found, wanted)
    annotators = {int(a.id): a.name for a in project.annotators()}
    groups = group_links([links[i] for i in dict.fromkeys(link_ids) if i in links], found.span)
    return [_dispute(group, found, judgements, annotators) for group in groups]


def _overlaps(x: Span, y: Span) -> bool:
    return x.document_id == y.document_id and x.start < y.end and y.start < x.end


def group_links(links: Sequence[Link], span: Callable[[SpanId], Span]) -> list[list[Link]]:
    """Links of one kind whose ends overlap the same two stretches of the same two documents,
    grouped; `same_as` and `contradicts` in either direction, `supports` and `updates` only the same way."""
    groups: list[list[Link]] = []
    buckets: dict[tuple[str, frozenset[int]], list[int]] = {}
    for link in links:
        a, b = span(link.source_span_id), span(link.target_span_id)
        key = (link.kind.value, frozenset((a.document_id, b.document_id)))
        home = None
        for index in buckets.get(key, []):
            for other in groups[index]:
                x, y = span(other.source_span_id), span(other.target_span_id)
                if (_overlaps(a, x) and _overlaps(b, y)) or (
                    link.kind in SYMMETRIC and _overlaps(a, y) and _overlaps(b, x)
                ):
                    home = index
                    break
            if home is not None:
                break
        if home is None:
            buckets.setdefault(key, []).append(len(groups))
            groups.append([link])
        else:
            groups[home].append(link)
    return groups


def source_order(source: Source, span: Span) -> tuple[object, ...]:
    """The stable order of a dispute's two sides: by date, then outlet, then title (unknowns last)."""
    return (
        source.published is None,
        source.published or "",
        not source.outlet,
        source.outlet.casefold(),
        source.title,
        span.start,
    )


def _dispute(
    group: list[Link], found: _Loader, judgements: dict[LinkId, list[Judgement]], annotators: Mapping[int, str]
) -> Dispute:
    group = sorted(group, key=lambda x: x.id)
    held = sorted(
        (j for x in group for j in judgements.get(x.id, ())), key=lambda j: (j.verdict.decided_at, j.verdict.id)
    )
    chosen = next((x for x in group if held and x.id == held[0].verdict.link_id), group[0])
    ends = [found.statement(chosen.source_span_id), found.statement(chosen.target_span_id)]
    first, second = sorted(ends, key=lambda s: source_order(s.source, s.span))
    forward = tuple(
        _overlaps(found.span(x.source_span_id), first.span) and not _overlaps(found.span(x.source_span_id), second.span)
        if first.span.document_id == second.span.document_id
        else found.span(x.source_span_id).document_id == first.span.document_id
        for x in group
    )
    return Dispute(
        link=chosen,
        links=tuple(group),
        forward=forward,
        first=first,
        second=second,
        annotators=tuple(sorted({annotators.get(x.annotator_id, "?") for x in group}, key=str.casefold)),
        judgements=tuple(held),
    )


class _Loader:
    """Spans, documents and labels fetched once for many disputes."""

    def __init__(self, project: Project, span_ids: Sequence[SpanId]) -> None:
        self.project = project
        self.spans = project.spans_by_id(span_ids)
        self.labels = {x.id: x.name for x in project.labels()}
        self.documents: dict[DocumentId, Document] = {}

    def document(self, doc_id: DocumentId) -> Document:
        if doc_id not in self.documents:
            self.documents[doc_id] = self.project.document(doc_id)
        return self.documents[doc_id]

    def span(self, span_id: SpanId) -> Span:
        if span_id not in self.spans:
            self.spans.update(self.project.spans_by_id([span_id]))
        return self.spans[span_id]

    def statement(self, span_id: SpanId) -> Statement:
        span = self.span(span_id)
        before, quote, after = context(self.project.text(span.document_id), span.start, span.end)
        return Statement(
            span=span,
            label=self.labels.get(span.label_id, "?"),
            source=_source(self.document(span.document_id)),
            before=before,
            quote=quote,
            after=after,
        )

    def evidence(self, span_id: SpanId) -> Evidence:
        span = self.span(span_id)
        return Evidence(span_id=span_id, quote=span.quote, source=_source(self.document(span.document_id)))


def read_verdicts(project: Project, session_id: int | None = None) -> list[Verdict]:
    """Verdicts of one session (or all), oldest decision first, with their evidence spans."""
    where, params = ("WHERE session_id = ?", (session_id,)) if session_id is not None else ("", ())
    found = project.query(f"SELECT {VERDICT_COLUMNS} FROM verdict {where} ORDER BY decided_at, id", params)
    evidence: dict[int, list[SpanId]] = {}
    for verdict_id, span_id in project.query("SELECT verdict_id, span_id FROM verdict_evidence ORDER BY rowid"):
        evidence.setdefault(verdict_id, []).append(SpanId(span_id))
    return [
        Verdict(
            id=r[0],
            session_id=r[1],
            link_id=r[2],
            decision=r[3],
            rationale=r[4],
            evidence=tuple(evidence.get(r[0], ())),
            decided_at=r[5],
        )
        for r in found
    ]


def _judgements(project: Project, found: _Loader, link_ids: set[LinkId]) -> dict[LinkId, list[Judgement]]:
    names = {r[0]: (r[1], r[2]) for r in project.query("SELECT id, name, reviewer FROM review_session")}
    result: dict[LinkId, list[Judgement]] = {}
    for verdict in read_verdicts(project):
        if verdict.link_id in link_ids:
            result.setdefault(verdict.link_id, []).append(_judgement(verdict, names[verdict.session_id], found))
    return result


def _judgement(verdict: Verdict, names: tuple[str, str], found: _Loader) -> Judgement:
    evidence = tuple(found.evidence(s) for s in verdict.evidence)
    return Judgement(verdict=verdict, session_name=names[0], reviewer=names[1], evidence=evidence)
