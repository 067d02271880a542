"""One document's CAS as XMI bytes, written as text.

These are the very bytes dkpro-cassis's `Cas.to_xmi()` writes for the same CAS
(tests hold them equal): the same elements, attributes, namespace prefixes and
escapes (those of lxml, which cassis writes with). What is left out is cassis's
generic walk, which asks the type system about every feature of every type for
each of an article's ~500 annotations (tokens, mostly), and lxml's element per
annotation: together they made an export of 1,000 articles take over 20 s. The
type system still comes from cassis, and cassis reads what is written here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from cassis import TypeSystem
from lxml import etree

from app.text.utf16 import Utf16

XMI_NS = "http://www.omg.org/XMI"
CAS_NS = "http:///uima/cas.ecore"
SOFA_ID = 1  # the initial view's sofa; annotations are numbered from 2
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"  # as lxml writes it
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# lxml's escapes in attribute values (checked against lxml for every BMP character).
_ESCAPES = (
    ("&", "&amp;"),  # first: the other escapes hold one
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\t", "&#9;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
)


class Annotation(NamedTuple):
    """An annotation to write (a subtype of uima.tcas.Annotation, on the CAS's one sofa):
    its type, its offsets in code points, and its other features, strings and whole numbers
    (a reference to another annotation as that one's xmi id). Features left out are absent,
    as cassis leaves out a feature whose value is None."""

    type_name: str
    begin: int
    end: int
    features: Mapping[str, str | int] = MappingProxyType({})


class CasXml:
    """Writes CASes of one type system; each type's features are looked up once."""

    def __init__(self, types: TypeSystem) -> None:
        self._types = types
        self._order: dict[str, tuple[str, ...]] = {}

    def xmi(self, text: str, annotations: Sequence[Annotation], mime: str = "text/plain") -> bytes:
        """The XMI of a CAS holding `text` as its sofa and `annotations` (xmi ids 2, 3, …, in order)."""
        names = _Names()
        tags = {name: names.tag(name) for name in dict.fromkeys(item.type_name for item in annotations)}
        declared = " ".join(f'xmlns:{prefix}="{url}"' for prefix, url in names.prefixes.items())
        parts = [f'{DECLARATION}<xmi:XMI {declared} xmi:version="2.0"><cas:NULL xmi:id="0"/>']
        utf16 = Utf16(text)  # UIMA (Java) counts offsets in UTF-16 units
        for number, (type_name, begin, end, features) in enumerate(annotations, start=SOFA_ID + 1):
            if utf16.astral:
                begin, end = utf16.to_units(begin), utf16.to_units(end)
            # sofa, begin and end come first in every annotation type, as UIMA declares them.
            element = f'<{tags[type_name]} xmi:id="{number}" sofa="{SOFA_ID}" begin="{begin}" end="{end}"'
            if features:
                element += "".join(f' {name}="{_value(features[name])}"' for name in self._ordered(type_name, features))
            parts.append(element + "/>")
        sofa = f'sofaNum="1" sofaID="_InitialView" mimeType="{_escaped(mime)}" sofaString="{_escaped(text)}"'
        parts.append(f'<cas:Sofa xmi:id="{SOFA_ID}" {sofa}/>')
        members = " ".join(map(str, range(SOFA_ID + 1, SOFA_ID + 1 + len(annotations))))
        parts.append(f'<cas:View sofa="{SOFA_ID}" members="{members}"/></xmi:XMI>')
        return "".join(parts).encode("utf-8")

    def _ordered(self, type_name: str, features: Mapping[str, str | int]) -> list[str]:
        """The names of `features` in the order cassis writes them: the type system's."""
        if type_name not in self._order:
            found = [
                f.name[:-1] if f._has_reserved_name else f.name for f in self._types.get_type(type_name).all_features
            ]
            if found[:3] != ["sofa", "begin", "end"]:
                raise ValueError(f"{type_name} is not an annotation type")
            self._order[type_name] = tuple(found[3:])
        order = self._order[type_name]
        unknown = set(features) - set(order)
        if unknown:
            raise ValueError(f"{type_name} has no feature {sorted(unknown)[0]!r}")
        return [name for name in order if name in features]


def _value(value: str | int) -> str:
    return _escaped(value) if isinstance(value, str) else str(value)


class _Names:
    """Element names of UIMA types, with the prefixes cassis gives their packages, in the
    order first met: a package's last part, numbered from 0 when taken (`type`, `type0`)."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {"xmi": XMI_NS, "cas": CAS_NS}  # prefix -> namespace
        self._of_url: dict[str, str] = {}
        self._taken: dict[str, int] = {}

    def tag(self, type_name: str) -> str:
        parts = (type_name if "." in type_name else f"uima.noNamespace.{type_name}").split(".")
        url = "http:///" + "/".join(parts[:-1]) + ".ecore"
        if url not in self._of_url:
            prefix = parts[-2]
            if prefix in self.prefixes:
                number = self._taken.get(parts[-2], 0)
                self._taken[parts[-2]] = number + 1
                prefix += str(number)
            self.prefixes[prefix] = url
            self._of_url[url] = prefix
        return f"{self._of_url[url]}:{parts[-1]}"


def _escaped(value: str) -> str:
    """An attribute value as lxml writes it; text XML cannot hold is refused as lxml refuses it."""
    if _NOT_XML.search(value):
        etree.Element("x", value=value)  # raises lxml's own ValueError, as an export through cassis did
    for char, escape in _ESCAPES:
        if char in value:
            value = value.replace(char, escape)
    return value
