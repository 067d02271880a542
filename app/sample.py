"""The sample project: the bundled corpus plus a small, honest set of example annotations.

Every span is found in the imported text by its exact quote, so offsets are
right by construction (a quote that is not in its article fails loudly). The
annotations are what a careful annotator would tag in these five articles:
people, places, dates, the permits' extent, and the claims the outlets
disagree on, linked across sources, with one review session over the
disputes. The articles are grouped into events by the events package, as
"Group articles" would (the five are one event), so the Events tab has it.
A sample is either whole or absent: a failure deletes the file just made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from app.errors import ParallaxError
from app.events.store import regroup
from app.formats.articles import import_paths
from app.models import SpanId
from app.resources import sample_corpus_path
from app.review.models import Decision, Scope
from app.review.sessions import set_verdict, start_session
from app.storage.connection import lock_path
from app.storage.project import Project

EXAMPLE_ANNOTATOR = "Example annotator"
REVIEW_NAME = "Sample disputes"

# (title prefix, label, exact quote, which occurrence (0 = first), a short name for linking)
SPANS: tuple[tuple[str, str, str, int, str], ...] = (
    ("Canada suspends export", "DATE", "October 5", 0, "oct5"),
    ("Canada suspends export", "PERSON", "Francois-Philippe Champagne", 0, "champagne"),
    ("Canada suspends export", "ORG", "Global Affairs Canada", 0, ""),
    ("Canada suspends export", "LOCATION", "Nagorno-Karabakh", 0, ""),
    (
        "Canada suspends export",
        "CLAIM",
        "Canada on October 5 suspended the export of certain drone technologies to Turkey",
        0,
        "suspended_drones",
    ),
    ("Canada Cancels Drone", "PERSON", "Marc Garneau", 0, "garneau_greek"),
    ("Canada Cancels Drone", "DATE", "On Tuesday", 0, ""),
    (
        "Canada Cancels Drone",
        "CLAIM",
        "On Tuesday, Canada canceled its permits to export drone technology to Turkey",
        0,
        "tuesday",
    ),
    ("Canada cancels all permits", "PERSON", "Marc Garneau", 0, "garneau_arabiya"),
    ("Canada cancels all permits", "QUANTITY", "all permits", 0, ""),
    ("Canada cancels all permits", "EQUIPMENT", "Bayraktar TB2 UAVs", 0, "tb2_arabiya"),
    (
        "Canada cancels all permits",
        "CLAIM",
        "Canada ordered the cancellation of all permits that allowed exporting military goods to Turkey on Monday",
        0,
        "monday_all",
    ),
    (
        "Canada cancels all permits",
        "CLAIM",
        "Following this review, which found credible evidence that Canadian technology exported to Turkey"
        " was used in Nagorno-Karabakh",
        0,
        "quote_arabiya",
    ),
    ("Canada halts some", "PERSON", "Rachel Brooks", 0, ""),
    ("Canada halts some", "DATE", "April 15, 2021", 0, ""),
    ("Canada Blocks", "EQUIPMENT", "Bayraktar TB2", 0, "tb2_blocks"),
    ("Canada Blocks", "LOCATION", "Baku", 0, ""),
    ("Canada Blocks", "PERSON", "Marc Garneau", 0, "garneau_blocks"),
    ("Canada Blocks", "PERSON", "Mevlut Cavusoglu", 0, ""),
    ("Canada Blocks", "DATE", "April 12", 0, ""),
    ("Canada Blocks", "QUANTITY", "29 permits", 0, ""),
    ("Canada Blocks", "ORG", "L3Harris Wescam", 0, ""),
    (
        "Canada Blocks",
        "CLAIM",
        "Canada has halted some military exports to NATO ally Turkey",
        0,
        "some",
    ),
    (
        "Canada Blocks",
        "CLAIM",
        "Following this review, which found credible evidence that Canadian technology exported to Turkey"
        " was used in Nagorno-Karabakh",
        0,
        "quote_blocks",
    ),
)

# (kind, source name, target name, note)
LINKS: tuple[tuple[str, str, str, str], ...] = (
    ("contradicts", "tuesday", "monday_all", "Which day was it announced? The April 12 statement was a Monday."),
    ("contradicts", "some", "monday_all", "Some military exports halted, or all permits cancelled?"),
    ("supports", "quote_arabiya", "quote_blocks", "The same Garneau quote in two outlets."),
    ("same_as", "garneau_greek", "garneau_arabiya", ""),
    ("same_as", "garneau_arabiya", "garneau_blocks", ""),
    ("same_as", "tb2_arabiya", "tb2_blocks", ""),
    ("updates", "suspended_drones", "monday_all", "October's suspension became April's cancellation."),
)


@dataclass(frozen=True)
class SampleSummary:
    documents: int
    spans: int
    links: int
    review_sessions: int
    events: int = 0

    def describe(self) -> str:
        parts = [f"{self.documents} sample articles"]
        if self.spans:
            parts += [f"{self.spans} example spans", f"{self.links} links", f"{self.review_sessions} review session"]
        if self.events:
            parts.append(f"{self.events} event{'s' if self.events != 1 else ''}")
        return ", ".join(parts)


def _find(text: str, quote: str, occurrence: int, where: str) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(quote, start + 1)
        if start < 0:
            raise ParallaxError(f"sample corpus: {quote!r} is not in {where!r}")
    return start


def annotate_sample(project: Project, reviewer: str = "Example reviewer") -> SampleSummary:
    """Add the example spans, links and review session to a project holding the sample corpus."""
    docs = project.documents()
    named: dict[str, SpanId] = {}
    with project.batch():
        for title, label, quote, occurrence, name in SPANS:
            doc = next((d for d in docs if d.title.startswith(title)), None)
            if doc is None:
                raise ParallaxError(f"{project.path}: the sample article {title!r}… is missing")
            start = _find(project.text(doc.id), quote, occurrence, doc.title)
            span = project.add_span(doc.id, start, start + len(quote), label, EXAMPLE_ANNOTATOR).value
            if name:
                named[name] = span.id
        links = [
            project.add_link(kind, named[source], named[target], EXAMPLE_ANNOTATOR, note).value
            for kind, source, target, note in LINKS
        ]
        review = start_session(project, REVIEW_NAME, reviewer, Scope()).value
        # One dispute decided, one left open, so the review window shows both states.
        set_verdict(
            project,
            review.id,
            links[0].id,
            Decision.SECOND_SOURCE_RIGHT,
            "Garneau's statement is dated April 12, 2021: a Monday.",
        )
    return SampleSummary(len(docs), len(SPANS), len(links), 1)


def build_sample(path: str | Path, *, annotated: bool = True) -> SampleSummary:
    """Create a project at `path` with the sample corpus (and, unless told not to, its examples)."""
    project = Project.create(path)  # refuses an existing file: nothing of the user's is touched
    try:
        with project:
            report = import_paths(project, [sample_corpus_path()])
            refused = [item for item in report.files if item.status == "refused"]
            if refused:
                raise ParallaxError(f"sample corpus: {refused[0].path} was refused ({refused[0].reason})")
            grouped = len(regroup(project).value)  # what "Group articles" does, so Events is not empty
            if not annotated:
                return SampleSummary(len(project.documents()), 0, 0, 0, grouped)
            return replace(annotate_sample(project), events=grouped)
    except ParallaxError:
        project.close()
        for made in (Path(path), lock_path(Path(path))):  # ours, just made: never leave half a sample
            made.unlink(missing_ok=True)
        raise
