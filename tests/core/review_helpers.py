"""The sample corpus with a few links between its articles, and an HTML reader, for the review and report tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from app.formats.articles import import_paths
from app.models import LinkId, SpanId
from app.resources import sample_corpus_path
from app.storage.project import Project


def span_of(project: Project, doc_title: str, phrase: str, label: str = "CLAIM", who: str = "Ana") -> SpanId:
    """Tag `phrase` in the document whose title starts with `doc_title`."""
    doc = next(d for d in project.documents() if d.title.startswith(doc_title))
    start = project.text(doc.id).find(phrase)
    assert start >= 0, phrase
    return project.add_span(doc.id, start, start + len(phrase), label, who).value.id


@dataclass(frozen=True)
class SampleLinks:
    day: LinkId  # GreekReporter says Tuesday, Al Arabiya says Monday
    scope: LinkId  # drone technologies only vs military export permits
    extent: LinkId  # some exports halted vs all permits cancelled
    supports: LinkId  # the same Garneau quote in two articles
    evidence: SpanId  # "April 12 statement" (a Monday)


def sample_links(project: Project) -> SampleLinks:
    import_paths(project, [sample_corpus_path()])
    tuesday = span_of(
        project, "Canada Cancels Drone", "On Tuesday, Canada canceled its permits to export drone technology to Turkey"
    )
    monday = span_of(
        project,
        "Canada cancels all permits",
        "Canada ordered the cancellation of all permits that allowed exporting military goods to Turkey on Monday",
    )
    drones = span_of(
        project,
        "Canada suspends export",
        "Canada on October 5 suspended the export of certain drone technologies to Turkey",
    )
    military = span_of(project, "Canada Blocks", "Canada suspended military export permits to Turkey last October")
    some = span_of(project, "Canada Blocks", "Canada has halted some military exports to NATO ally Turkey", who="Ben")
    quote_a = span_of(project, "Canada cancels all permits", "Following this review, which found credible evidence")
    quote_b = span_of(project, "Canada Blocks", "Following this review, which found credible evidence")
    evidence = span_of(project, "Canada Blocks", "in an April 12 statement", label="DATE")
    return SampleLinks(
        day=project.add_link("contradicts", tuesday, monday, "Ana", note="Which day?").value.id,
        scope=project.add_link("contradicts", drones, military, "Ana").value.id,
        extent=project.add_link("contradicts", some, monday, "Ben", note="some <b>vs</b> all").value.id,
        supports=project.add_link("supports", quote_a, quote_b, "Ana").value.id,
        evidence=evidence,
    )


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.attrs.get("class", "").split()):
                    found.append(child)
                found += child.find_all(tag, cls)
        return found

    def find(self, tag: str | None = None, cls: str | None = None) -> Node:
        return self.find_all(tag, cls)[0]


VOID = {"meta", "br", "hr", "img", "link", "input"}


class Tree(HTMLParser):
    """A small DOM from the standard library's parser; records tags that would fetch or run anything."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]
        self.tags: set[str] = set()
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.tags.add(tag)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def table(root: Node, table_id: str) -> list[list[str]]:
    found = next(n for n in root.find_all("table") if n.attrs.get("id") == table_id)
    return [[cell.text() for cell in row.children if isinstance(cell, Node)] for row in found.find_all("tr")]
