"""doccano JSONL: both export shapes, offset units on emoji texts, refusals with line numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.errors import ImportRefused
from app.formats.doccano import import_doccano
from app.storage.project import Project


def _write(path: Path, *records: Any) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _utf16(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


def _found(project: Project) -> list[tuple[str, str, str]]:
    labels = {x.id: x.name for x in project.labels()}
    people = {x.id: x.name for x in project.annotators()}
    return [(s.quote, labels[s.label_id], people[s.annotator_id]) for s in project.spans()]


def test_tuple_export_per_member_file(project: Project, tmp_path: Path) -> None:
    text = "Mevlüt Çavuşoğlu met officials in Kyiv."
    path = _write(
        tmp_path / "alice.jsonl",
        {"id": 1, "text": text, "label": [[0, 16, "PERSON"], [34, 38, "GPE"]], "Comments": []},
        {"id": 2, "text": "Nothing here.", "label": []},
    )

    report = import_doccano(project, path)

    assert (report.documents_added, report.spans_added, report.labels_added) == (2, 2, 1)
    assert _found(project) == [("Mevlüt Çavuşoğlu", "PERSON", "alice"), ("Kyiv", "GPE", "alice")]
    assert project.label("GPE").kind.value == "entity"
    again = import_doccano(project, path)
    assert (again.spans_added, again.spans_skipped, again.documents_matched) == (0, 2, 2)


def test_entities_and_relations_with_a_crlf_text(project: Project, tmp_path: Path) -> None:
    raw = "Russia said 40 missiles.\r\nUkraine said 12."
    russia, ukraine = raw.index("40 missiles"), raw.index("12")
    path = _write(
        tmp_path / "all.jsonl",
        {
            "id": 9,
            "text": raw,
            "entities": [
                {"id": 11, "label": "CLAIM", "start_offset": russia, "end_offset": russia + 11},
                {"id": 12, "label": "CLAIM", "start_offset": ukraine, "end_offset": ukraine + 2},
            ],
            "relations": [
                {"id": 1, "from_id": 11, "to_id": 12, "type": "contradicts"},
                {"id": 2, "from_id": 12, "to_id": 11, "type": "cites"},
            ],
        },
    )

    report = import_doccano(project, path)

    assert _found(project) == [("40 missiles", "CLAIM", "doccano"), ("12", "CLAIM", "doccano")]
    [doc] = project.documents()
    assert "\r" not in project.document(doc.id).text
    [link] = project.links()
    assert link.kind.value == "contradicts"
    assert project.span(link.source_span_id).quote == "40 missiles"
    assert report.links_added == 1 and any("'cites'" in w for w in report.warnings)


EMOJI = "😀 Çavuşoğlu 🚀 said 40 missiles hit Kyiv."


def test_emoji_offsets_read_as_utf16_by_default(project: Project, tmp_path: Path) -> None:
    claim = EMOJI.index("40 missiles")  # read as code points it would be "0 missiles h"
    path = _write(
        tmp_path / "bob.jsonl", {"text": EMOJI, "label": [[_utf16(EMOJI, claim), _utf16(EMOJI, claim + 11), "CLAIM"]]}
    )

    report = import_doccano(project, path)

    assert _found(project) == [("40 missiles", "CLAIM", "bob")]
    assert any("line 1:" in w and "UTF-16" in w for w in report.warnings)


def test_emoji_offsets_as_code_points_when_asked_or_when_utf16_is_impossible(project: Project, tmp_path: Path) -> None:
    kyiv, name = EMOJI.index("Kyiv"), EMOJI.index("Çavuşoğlu")
    asked = _write(tmp_path / "asked.jsonl", {"text": EMOJI, "label": [[kyiv, kyiv + 4, "GPE"]]})
    import_doccano(project, asked, annotator="carol", offsets="codepoints")
    # 1-10 in UTF-16 would start inside the first emoji, so only code points make sense
    guessed = _write(tmp_path / "guessed.jsonl", {"text": EMOJI, "label": [[name - 1, name + 9, "X"]]})
    import_doccano(project, guessed, annotator="carol")

    assert _found(project) == [(" Çavuşoğlu", "X", "carol"), ("Kyiv", "GPE", "carol")]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('{"text": "Kyiv.", "label": [[0, 4, "GPE"]]}\n{"text": "Oops", "label": [[0, 2, "X"]\n', "line 2"),
        ('{"text": "Kyiv.", "label": [[0, "4", "GPE"]]}\n', "line 1, span 1"),
        ('{"text": "Kyiv.", "label": [[0, 4]]}\n', "line 1, span 1"),
        ('\n\n{"text": "Kyiv.", "label": ["news"]}\n', "line 3: the labels are category names"),
        ('{"text": "Kyiv.", "label": [[2, 9, "GPE"]]}\n', "line 1, span 1: 2-9"),
        ('{"label": [[0, 4, "GPE"]]}\n', 'line 1: expected an object with a "text"'),
        (
            '{"text": "A b", "entities": [{"id": 1, "label": "X", "start_offset": 0, "end_offset": 1}],'
            ' "relations": [{"from_id": 1, "to_id": 5, "type": "supports"}]}\n',
            "line 1, relation 1",
        ),
    ],
)
def test_bad_lines_refuse_the_whole_file(project: Project, tmp_path: Path, lines: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Fine line.", "label": [[0, 4, "X"]]}\n' + lines, encoding="utf-8")
    before = (project.stats(), project.spans(), project.documents(), project.labels())

    with pytest.raises(ImportRefused) as refused:
        import_doccano(project, path)

    shifted = message.replace("line 3", "line 4").replace("line 2", "line 3").replace("line 1", "line 2")
    assert "bad.jsonl" in str(refused.value) and shifted in str(refused.value)
    assert (project.stats(), project.spans(), project.documents(), project.labels()) == before
