"""The dispute report: parsed back, every dispute, quote, verdict and count checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidOperation, NotFound
from app.models import NewDocument
from app.review import sessions as review
from app.review.report import report_html, write_report
from app.review.sessions import Decision
from app.storage.project import Project
from tests.core.review_helpers import SampleLinks, Tree, sample_links, span_of, table


@pytest.fixture
def links(project: Project) -> SampleLinks:
    return sample_links(project)


def judged(project: Project, links: SampleLinks) -> review.ReviewSession:
    """A session with two verdicts, and a second session that disagrees on one."""
    session = review.start_session(project, "First <pass>", "Rita & Co").value
    review.set_verdict(
        project,
        session.id,
        links.day,
        Decision.SECOND_SOURCE_RIGHT,
        "Garneau spoke on Monday <script>alert(1)</script>\nSee RFE.",
        [links.evidence],
    )
    review.set_verdict(project, session.id, links.scope, Decision.CONFLICT_CONFIRMED)
    other = review.start_session(project, "Second", "Sam").value
    review.set_verdict(project, other.id, links.day, Decision.FIRST_SOURCE_RIGHT, "Tuesday in Greece")
    return session


def test_the_report_lists_every_dispute_with_quotes_sources_and_verdicts(project: Project, links: SampleLinks) -> None:
    session = judged(project, links)
    tree = Tree(report_html(project, session.name))
    assert not tree.tags & {"script", "img", "link", "iframe", "object", "embed", "form"}
    assert tree.root.find("title").text() == "Dispute report: First <pass>"
    meta = dict(table(tree.root, "meta"))
    assert meta["Reviewer"] == "Rita & Co" and meta["Progress"] == "2 of 3 disputes decided"
    assert meta["Scope"] == "contradicts links" and meta["Status"] == "open"
    sections = tree.root.find_all("div", "dispute")
    expected = review.disputes(project, session)
    assert [s.attrs["data-link"] for s in sections] == [d.link.uuid for d in expected]
    for section, dispute in zip(sections, expected, strict=True):
        quotes = [q.text() for q in section.find_all("span", "quote")]
        assert quotes[:2] == [dispute.first.quote, dispute.second.quote]
        first, second = section.find("td", "first"), section.find("td", "second")
        assert dispute.first.before + dispute.first.quote + dispute.first.after in first.text()
        assert dispute.second.source.name.strip("“”") in second.text()
        decision = dispute.decision_in(session.id)
        assert section.attrs["data-decision"] == (decision.value if decision else "")
        assert (
            section.find("p", "verdict")
            .text()
            .startswith(
                f"Verdict: {dispute.verdict_text(dispute.judgement_in(session.id).verdict)}"
                if decision
                else "No verdict yet"
            )
        )
    day = sections[[d.link.id for d in expected].index(links.day)]
    assert day.find("p", "rationale").text() == "Garneau spoke on Monday <script>alert(1)</script>\nSee RFE."
    assert day.find("ul", "evidence").text() == (
        "“in an April 12 statement” — “Canada Blocks Defense Exports To Turkey Over Transfer Of Drones To Azerbaijan”"
    )
    assert "Sessions disagree" in day.text() and "Second (Sam" in day.find("ul", "others").text()
    assert "Which day?" in day.find("p", "link").text()
    extent = sections[[d.link.id for d in expected].index(links.extent)]
    assert "some <b>vs</b> all" in extent.text() and "by Ben" in extent.text()


def test_the_summary_tables_count_verdicts_and_sources(project: Project, links: SampleLinks) -> None:
    tree = Tree(report_html(project, judged(project, links).id))
    assert table(tree.root, "by-verdict") == [
        ["Verdict", "Disputes"],
        ["Conflict confirmed", "1"],
        ["Not a conflict", "0"],
        ["Al Arabiya English right", "1"],  # the sources by name, never "first" or "second"
        ["Both wrong", "0"],
        ["Undetermined", "0"],
        ["No verdict yet", "1"],
        ["Total", "3"],
    ]
    rows = table(tree.root, "by-source")
    assert rows[0] == ["Source", "Disputes", "Right", "Wrong", "Conflict", "No conflict", "Unclear", "Open"]
    counts = {row[0]: [int(n) for n in row[1:]] for row in rows[1:]}
    assert counts == {
        "Al Arabiya English": [2, 1, 0, 0, 0, 0, 1],
        "“Canada Blocks Defense Exports To Turkey Over Transfer Of Drones To Azerbaijan”": [2, 0, 0, 1, 0, 0, 1],
        "GreekReporter.com": [1, 0, 1, 0, 0, 0, 0],
        "“Canada suspends export of drone technologies to Turkey”": [1, 0, 0, 1, 0, 0, 0],
    }


def test_imported_text_is_escaped_everywhere(project: Project, links: SampleLinks) -> None:
    hostile = "<img src='http://x.invalid/a.png'> & <script>"
    doc = project.add_documents(
        [NewDocument(text=f"It said {hostile} loudly. Then nothing.", title=hostile, source="<b>Outlet</b>")]
    ).value.added[0]
    left = span_of(project, hostile, "<script>")
    right = span_of(project, "Canada Blocks", "Canada has halted")
    project.add_link("contradicts", left, right, "<b>Eve</b>", note="</div><h1>note")
    session = review.start_session(project, "<i>S</i>", "<u>R</u>").value
    page = report_html(project, session)
    assert "<img" not in page and "<script>" not in page and "<b>Eve" not in page and "<i>S" not in page
    tree = Tree(page)
    section = tree.root.find_all("div", "dispute")[-1]
    assert "<script>" in [q.text() for q in section.find_all("span", "quote")]
    assert "<b>Eve</b>" in section.text() and "</div><h1>note" in section.text()
    assert "<b>Outlet</b>" in section.find("td", "first").text() and project.document(doc).title in section.text()


def test_an_empty_session_still_makes_a_report(project: Project) -> None:
    session = review.start_session(project, "Nothing", "Rita").value
    tree = Tree(report_html(project, session))
    assert dict(table(tree.root, "meta"))["Progress"] == "0 of 0 disputes decided"
    assert tree.root.find_all("div", "dispute") == [] and "No links" in tree.root.find("p", "empty").text()


def test_write_report_picks_the_format_by_suffix_and_writes_whole(
    project: Project, links: SampleLinks, tmp_path: Path
) -> None:
    session = judged(project, links)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.html"
    assert write_report(project, "first <PASS>", out) == session
    Tree(out.read_text(encoding="utf-8"))
    with pytest.raises(InvalidOperation, match=r"\.html or \.pdf"):
        write_report(project, session.id, folder / "report.docx")
    with pytest.raises(NotFound):
        write_report(project, "missing", folder / "missing.html")
    assert sorted(p.name for p in folder.iterdir()) == ["report.html"]  # no temporary files left
    written: list[tuple[str, Path]] = []
    write_report(project, session.id, tmp_path / "r.PDF", pdf=lambda page, path: written.append((page, path)))
    assert written and written[0][1] == tmp_path / "r.PDF" and "<html" in written[0][0]
