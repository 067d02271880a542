"""One open document's proposals, kept up to date edit by edit.

Recomputing every proposal of a 1 MB article after each span costs most of a
second (tokens, matching, filtering ~100,000 proposals). An edit changes
little: a span hides the proposals it overlaps (or shows them again when
removed), and a phrase the matcher learns or forgets changes the matches
only where it occurs. `DocumentProposals` redoes just those stretches:
  - `rescan(matcher, phrases)`: the matcher's greedy left-to-right scan, re-run
    from each occurrence of a changed phrase until it falls back in step
    with the previous scan (a token where the old scan also stopped); the
    places wait in `StalePlaces` (indexed by position) until the screen or a
    background piece reaches them, and places close together are one run;
  - `refilter(start, end)`: merge and filter (as `merge`, `fresh`) again for the
    proposals meeting [start, end) only.
The result is the same as a full recompute (tests check it).
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat

from app.assist.extents import Extents, kept_rows, shown_of
from app.assist.pause import checkpoint
from app.assist.proposals import Keeps, Proposal, Rejected, Tagged
from app.assist.stale import StalePlaces
from app.assist.string_match import Phrase, StringMatcher, folded_tokens
from app.models import LabelKind

REPAIR_PLACES = 200  # places of one first token checked per background piece, at most
RUN_GAP = 32  # tokens: stale places closer than this are scanned again in one run


def _meets(item: Proposal | Tagged, start: int, end: int) -> bool:
    return item.start < end and item.end > start


class DocumentProposals:
    """String and model proposals of one document, and those shown (not rejected or already tagged)."""

    def __init__(
        self,
        document_id: int,
        text: str,
        matcher: StringMatcher | None,
        model: Iterable[Proposal],
        spans: list[Tagged],
        kinds: dict[int, LabelKind],
        rejected: set[str] | Rejected,
    ) -> None:
        self.document_id, self.text = document_id, text
        self.kinds, self.rejected = kinds, rejected
        self.string = matcher.scan(document_id, text) if matcher is not None else Extents(document_id, text)
        checkpoint()  # between the long steps of a build: the GUI may want the interpreter
        self.model = self._extents(model)
        self.spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._span_starts = [s.start for s in self.spans]
        self._longest_span = max((s.end - s.start for s in spans), default=0)
        checkpoint()
        self.shown = shown_of(self.string, self.model, self.spans, kinds, rejected)
        self._firsts: dict[str, array[int]] | None = None
        self._stale: StalePlaces | None = None  # places whose string matches may be stale

    # ---- spans ---------------------------------------------------------
    def add_span(self, span: Tagged) -> None:
        at = bisect_left(self._span_starts, span.start)
        self.spans.insert(at, span)
        self._span_starts.insert(at, span.start)
        self._longest_span = max(self._longest_span, span.end - span.start)

    def remove_span(self, span: Tagged) -> None:
        at = bisect_left(self._span_starts, span.start)
        while at < len(self.spans) and self.spans[at].start == span.start:
            if self.spans[at] == span:
                del self.spans[at], self._span_starts[at]
                return
            at += 1

    def _spans_near(self, start: int, end: int) -> list[Tagged]:
        low = bisect_left(self._span_starts, start - self._longest_span)
        return [s for s in self.spans[low : bisect_left(self._span_starts, end)] if _meets(s, start, end)]

    # ---- recomputing stretches -----------------------------------------
    def refilter(self, start: int, end: int) -> None:
        """Merge and filter again the proposals that overlap [start, end) (as rows: no objects)."""
        reach = max(self.string.longest, self.model.longest)
        keeps = Keeps(self._spans_near(start - reach, end + reach), self.kinds, self.rejected)
        rows = list(kept_rows(self.string, self.model, keeps, start, end))
        low, high = self.shown.meeting(start, end)
        rows += [r for r in self.shown.rows(low, high) if not (r[0] < end and r[1] > start)]  # untouched
        self.shown.replace_rows(low, high, sorted(rows))

    def set_model(self, model: Iterable[Proposal]) -> None:
        """New model proposals: refilter where they differ from the old ones."""
        old, self.model = self.model, self._extents(model)
        for start, end, _label, _source in sorted(set(old.rows()) ^ set(self.model.rows())):
            self.refilter(start, end)

    def _extents(self, model: Iterable[Proposal]) -> Extents:
        """The model's proposals, as the driver holds them already (read only here) or made so."""
        if isinstance(model, Extents) and model.document_id == self.document_id:
            return model
        return Extents(self.document_id, self.text, model)

    def rescan(self, matcher: StringMatcher, phrases: Iterable[Phrase]) -> list[tuple[int, int]]:
        """The matcher learnt or forgot `phrases`: scan again where they occur (all of it, now)."""
        self.mark(phrases)
        return self.repair(matcher)

    @property
    def pending(self) -> bool:
        return bool(self._stale)

    def first_tokens(self) -> dict[str, array[int]]:
        """Each folded token's places (token indexes): built once per document, when first needed."""
        if self._firsts is None:
            firsts: dict[str, array[int]] = defaultdict(lambda: array("i"))  # a list of ints held 5x more
            for index, token in enumerate(folded_tokens(self.text)[0]):
                firsts[token].append(index)
            self._firsts = dict(firsts)
        return self._firsts

    def mark(self, phrases: Iterable[Phrase]) -> None:
        """Note where `phrases` may occur: their matches are stale until `repair` reaches them.

        Repairs may come in any order (the visible stretch first): a stale place is
        either skipped by a correct match before it or scanned again when reached.
        """
        if self._stale is None:
            self._stale = StalePlaces(self.first_tokens())
        self._stale.mark(phrases)

    def repair(
        self, matcher: StringMatcher, start: int = 0, end: int | None = None, until: float | None = None
    ) -> list[tuple[int, int]]:
        """Scan again the stale places starting in [start, end) (code points), or until `until`
        (a `time.perf_counter()` deadline); returns the stretches whose proposals changed."""
        tokens, starts, ends = folded_tokens(self.text)
        count, stale = len(tokens), self._stale
        if stale is None:
            return []
        if until is not None and end is None:  # a piece of the rest: places of one first token
            chosen = stale.take_some(tokens, REPAIR_PLACES)
        else:
            high = count if end is None else bisect_left(starts, end)
            chosen = stale.take_in(tokens, bisect_left(starts, start), high)
        stretches: list[tuple[int, int]] = []
        frontier, done, ahead = 0, 0, 0

        def going(index: int) -> bool:
            """After each token or match: whether the scan goes on."""
            nonlocal ahead
            while ahead < len(chosen) and chosen[ahead] < index:
                ahead += 1
            if ahead < len(chosen) and chosen[ahead] - index <= RUN_GAP:
                return True  # the next stale place is near: one scan and one refilter for both
            return index < count and self._skipped(index, starts)  # else in step again: the rest is as it was

        for first in chosen:
            if until is not None and time.perf_counter() > until:
                break
            done += 1
            if first < frontier or self._skipped(first, starts):
                continue  # scanned already, or a match before it covers it
            made, index = matcher.scan_from(tokens, first, going)
            frontier = index
            stretches += self._swap(first, index, made, starts, ends)
        if done < len(chosen):  # the deadline came: what is left, noted again
            stale.put_back(tokens, chosen[done:])
        return stretches

    def _relabel(self, old: list[Proposal], new: list[Proposal]) -> None:
        """The common change, handled cheaply: the same matches, some with another label."""
        shown, kinds = self.shown, self.kinds
        for before, after in zip(old, new, strict=True):
            if before == after:
                continue
            if kinds.get(before.label_id) != kinds.get(after.label_id) or before.key in self.rejected:
                self.refilter(after.start, after.end)  # shown or hidden for other reasons now
                continue
            at = shown.find(before)
            if at is not None:
                shown.replace(at, at + 1, [] if after.key in self.rejected else [after])

    def _skipped(self, index: int, starts: Sequence[int]) -> bool:
        """Whether token `index` lies strictly inside a match of the current scan: after the first
        token of the last match starting at or before it, and before that match's end (tokens never
        overlap), so no array of each match's tokens is kept beside the matches."""
        string, start = self.string, starts[index]
        at = bisect_left(string.starts, start + 1) - 1
        return at >= 0 and string.starts[at] < start < string.ends[at]

    def _swap(
        self, first: int, stop: int, made: array[int], starts: Sequence[int], ends: Sequence[int]
    ) -> list[tuple[int, int]]:
        """Put the matches made for tokens [first, stop) ((first token, length, label) each) in place
        of the old ones there, and refilter where they differ; the matches that differ (a run may
        hold many unchanged)."""
        string = self.string
        low = bisect_left(string.starts, starts[first])
        high = bisect_left(string.starts, starts[stop]) if stop < len(starts) else len(string)
        firsts, lengths, made_labels = made[0::3], made[1::3], made[2::3]
        made_starts = array("i", map(starts.__getitem__, firsts))
        made_ends = array("i", (ends[at + n - 1] for at, n in zip(firsts, lengths, strict=True)))
        same_places = (made_starts, made_ends) == (string.starts[low:high], string.ends[low:high])
        if same_places and made_labels == string.labels[low:high]:
            return []  # the same matches: nothing to redo, nothing to repaint
        rows = list(zip(made_starts, made_ends, made_labels, repeat(0)))
        changed = sorted(set(string.rows(low, high)).symmetric_difference(rows))
        old = string[low:high] if same_places else None
        string.replace_rows(low, high, rows)
        if old is None:
            self.refilter(changed[0][0], max(row[1] for row in changed))
        else:
            self._relabel(old, string[low:high])
        return [(row[0], row[1]) for row in changed]


Stretches = dict[int, list[tuple[int, int]]]  # document -> code-point stretches whose proposals changed


class AnnotatorProposals:
    """The string matcher learnt from one annotator's spans, and each open document's proposals.

    Built whole off the GUI thread (`build`); then kept current by `apply` (spans added,
    changed, removed), `set_rejected` and `set_model`, each redoing only what they touch.
    """

    def __init__(self, own: dict[int, Tagged], kinds: dict[int, LabelKind], rejected: set[str], strings: bool) -> None:
        self.own = dict(own)  # span id -> span, the annotator's
        self.kinds, self.rejected = kinds, Rejected(rejected)  # shared with every document
        self.matcher = StringMatcher(self.own.values()) if strings else None
        self.docs: dict[int, DocumentProposals] = {}
        self.entities = sum(kinds.get(s.label_id) == LabelKind.ENTITY for s in self.own.values())

    @classmethod
    def build(
        cls,
        own: dict[int, Tagged],
        kinds: dict[int, LabelKind],
        rejected: set[str],
        strings: bool,
        documents: Mapping[int, tuple[str, Iterable[Proposal]]],
    ) -> AnnotatorProposals:
        """Everything at once, for the open documents (text, model proposals)."""
        made = cls(own, kinds, rejected, strings)
        by_doc: dict[int, list[Tagged]] = defaultdict(list)
        for span in made.own.values():
            if span.document_id in documents:
                by_doc[span.document_id].append(span)
        for doc_id, (text, model) in documents.items():
            made.docs[doc_id] = DocumentProposals(
                doc_id, text, made.matcher, model, by_doc[doc_id], kinds, made.rejected
            )
        return made

    def apply(self, rows: dict[int, Tagged | None], visible: dict[int, tuple[int, int]] | None = None) -> Stretches:
        """Spans of the annotator now as `rows` (span id -> span, None: gone or not theirs).

        Where the matcher changed, only the `visible` stretch of each document (all, if
        None) is scanned again at once; `repair_some` does the rest later.
        """
        phrases, stretches = set(), defaultdict(list)
        for span_id, new in rows.items():
            old = self.own.pop(span_id, None)
            if old == new:
                if new is not None:
                    self.own[span_id] = new
                continue
            if new is not None:
                self.own[span_id] = new
            for span, adding in ((old, False), (new, True)):
                if span is None:
                    continue
                self.entities += (1 if adding else -1) * (self.kinds.get(span.label_id) == LabelKind.ENTITY)
                if self.matcher is not None:
                    changed = self.matcher.add(span) if adding else self.matcher.remove(span)
                    if changed is not None:
                        phrases.add(changed)
                doc = self.docs.get(span.document_id)
                if doc is not None:
                    (doc.add_span if adding else doc.remove_span)(span)
                    stretches[span.document_id].append((span.start, span.end))
        for doc_id, doc in self.docs.items():
            for start, end in stretches.get(doc_id, ()):
                doc.refilter(start, end)
            if phrases and self.matcher is not None:
                doc.mark(phrases)
                shown = (visible or {}).get(doc_id) if visible is not None else (0, None)
                if shown is not None:
                    stretches[doc_id] += doc.repair(self.matcher, *shown)
        return dict(stretches)

    @property
    def pending(self) -> bool:
        return any(doc.pending for doc in self.docs.values())

    def repair_in(self, stretches: dict[int, tuple[int, int]]) -> Stretches:
        """Scan again every stale place starting in these stretches (document -> [start, end))."""
        if self.matcher is None:
            return {}
        return {
            doc_id: self.docs[doc_id].repair(self.matcher, start, end)
            for doc_id, (start, end) in stretches.items()
            if doc_id in self.docs and self.docs[doc_id].pending
        }

    def repair_some(self, until: float) -> Stretches:
        """Scan again stale places, document by document, until `until` (perf_counter)."""
        stretches: Stretches = {}
        for doc_id, doc in self.docs.items():
            if doc.pending and self.matcher is not None and time.perf_counter() < until:
                stretches[doc_id] = doc.repair(self.matcher, until=until)
        return stretches

    def set_rejected(self, rejected: set[str]) -> Stretches:
        """The rejections now remembered; refilters where one was added or taken back."""
        flipped = self.rejected.keys ^ rejected
        self.rejected.replace(rejected)  # shared with every document
        stretches: Stretches = defaultdict(list)
        for key in flipped:
            doc_id, start, end, _label = (int(x) for x in key.split(":"))
            if doc_id in self.docs:
                self.docs[doc_id].refilter(start, end)
                stretches[doc_id].append((start, end))
        return dict(stretches)

    def set_model(self, doc_id: int, model: Iterable[Proposal]) -> None:
        if doc_id in self.docs:
            self.docs[doc_id].set_model(model)
