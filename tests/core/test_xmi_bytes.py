"""The XMI writer (app/formats/xmi/cas_xml.py) writes the very bytes dkpro-cassis writes.

The reference is cassis itself: the same annotations put into a `cassis.Cas`
and written by `Cas.to_xmi()`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.formats.dataset import collect
from app.formats.xmi.cas_xml import SOFA_ID, Annotation, CasXml
from app.formats.xmi.writer import CLAIM, LINK, NAMED_ENTITY, SENTENCE, TOKEN, document_annotations, export_xmi
from app.formats.xmi.writer import typesystem as parallax_types
from app.storage.project import Project
from tests.core.exchange_helpers import add_corpus

cassis = pytest.importorskip("cassis")


def by_cassis(types: object, text: str, items: list[Annotation]) -> bytes:
    """What cassis writes for a CAS of `text` holding `items`, added in order."""
    cas = cassis.Cas(typesystem=types)
    cas.sofa_string = text
    cas.sofa_mime = "text/plain"
    made: dict[int, object] = {}
    for number, item in enumerate(items, start=SOFA_ID + 1):
        features = {k: made[v] if k in ("Governor", "Dependent") else v for k, v in item.features.items()}
        made[number] = types.get_type(item.type_name)(begin=item.begin, end=item.end, **features)  # type: ignore[attr-defined]
        cas.add(made[number])
    return str(cas.to_xmi()).encode("utf-8")


def test_every_document_of_an_export_is_what_cassis_writes(project: Project, tmp_path: Path) -> None:
    first, _ = add_corpus(project)
    text = project.text(first)
    claim = project.add_span(first, 0, text.index(" a parlé"), "CLAIM", "bob").value
    person = next(s for s in project.spans(first) if s.quote == "Mevlüt Çavuşoğlu")
    project.add_link("supports", person.id, claim.id, 'ana "quoted" <&>')
    out = tmp_path / "inception.zip"
    assert export_xmi(project, out).links == 1
    data, types = collect(project), parallax_types()
    with zipfile.ZipFile(out) as archive:
        written = [archive.read(n) for n in sorted(archive.namelist()) if n.endswith(".xmi")]
    assert len(written) == len(data.documents) == 2
    for document, raw in zip(data.documents, written, strict=True):
        links = [x for x in data.links if x.source_span_id in {s.id for s in data.spans_of(document.id)}]
        items, _ = document_annotations(document, data, links)
        assert raw == by_cassis(types, document.text, items)
    assert b"custom:Link" in written[0] and b"&quot;quoted&quot; &lt;&amp;&gt;" in written[0]


@pytest.mark.parametrize(
    "text",
    [
        "plain ASCII text",
        "markup <b>&amp;</b> \"quotes\" 'single' and\ttab\r\nCRLF\nLF",
        "astral 😀 then 👍🏽 and 🇺🇦, combining e\u0301, U+2028 \u2028 and U+FEFF \ufeff",
        "C1 control \x85 and DEL \x7f are XML",
        "中文 العربية עברית Ελληνικά",
    ],
)
def test_hostile_text_and_values_are_written_as_cassis_writes_them(text: str) -> None:
    types = parallax_types()
    end = len(text)
    items = [
        Annotation(TOKEN, 0, 3),
        Annotation(SENTENCE, 0, end),
        Annotation(CLAIM, 1, end, {"value": 'a "claim" & <more>', "annotator": "tab\there", "parallax_uuid": "u1"}),
        Annotation(NAMED_ENTITY, end - 1, end, {"value": "PERSON", "annotator": "", "parallax_uuid": "u2"}),
        Annotation(LINK, end - 1, end, {"Governor": 4, "Dependent": 5, "value": "supports", "parallax_uuid": "u3"}),
    ]
    assert CasXml(types).xmi(text, items) == by_cassis(types, text, items)


def test_namespace_prefixes_follow_the_first_type_met() -> None:
    """Claim before entity declares webanno's package before DKPro's NER one (prefix `type0`)."""
    types, text = parallax_types(), "Ankara said no."
    entity = Annotation(NAMED_ENTITY, 0, 6, {"value": "LOCATION"})
    claim = Annotation(CLAIM, 0, 14, {"value": "CLAIM"})
    for items in ([entity, claim], [claim, entity], [Annotation(TOKEN, 0, 6), claim, entity], []):
        assert CasXml(types).xmi(text, items) == by_cassis(types, text, items)


def test_text_xml_cannot_hold_is_refused_as_cassis_refuses_it() -> None:
    types, text = parallax_types(), "a control \x01 character"
    with pytest.raises(ValueError, match="XML compatible") as ours:
        CasXml(types).xmi(text, [Annotation(TOKEN, 0, 1)])
    with pytest.raises(ValueError) as theirs:
        by_cassis(types, text, [Annotation(TOKEN, 0, 1)])
    assert str(ours.value) == str(theirs.value)
