"""What both IATI files share: namespaces, narratives, numbers and dates, serialization."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from rbm.datapackage.cells import format_decimal
from rbm.domain.text import NEUTRAL, Text

VERSION = "2.03"
# The namespace of the rbm extension: stable, versioned by its last segment.
RBM_NS = "https://rbm.example.org/iati-extension/1"
XML_NS = "http://www.w3.org/XML/1998/namespace"
LANG = f"{{{XML_NS}}}lang"
ORGANISATION_TYPE = "90"  # IATI OrganisationType "Other": a package does not say its type

ET.register_namespace("rbm", RBM_NS)


def rbm(name: str) -> str:
    """The qualified name of an element or attribute of the extension."""
    return f"{{{RBM_NS}}}{name}"


def sub(parent: ET.Element, tag: str, **attributes: str | None) -> ET.Element:
    """A child element; attributes that are None are left out (a missing value is not 0)."""
    element = ET.SubElement(parent, tag)
    for name, value in attributes.items():
        if value is not None:
            element.set(name.replace("_", "-"), value)
    return element


def narratives(parent: ET.Element, text: Text, langs: tuple[str, ...]) -> None:
    """A `narrative` per language of the package that has a text of its own."""
    for lang in langs:
        value = text.exact(lang)
        if value:
            sub(parent, "narrative").text = value
            parent[-1].set(LANG, lang)
    if not len(parent) and text.first:
        sub(parent, "narrative").text = text.first


def narrative_text(element: ET.Element | None, langs: tuple[str, ...] = ()) -> Text:
    """The text of an element's narratives (the default language for those with none)."""
    if element is None:
        return Text()
    found: dict[str, str] = {}
    for narrative in element.findall("narrative"):
        lang = narrative.get(LANG) or (langs[0] if langs else NEUTRAL)
        if narrative.text and narrative.text.strip():
            found.setdefault(lang, narrative.text.strip())
    return Text.of(found)


def number(value: Decimal | None) -> str | None:
    """A decimal as IATI value attributes hold it, without trailing zeros."""
    if value is None:
        return None
    whole = value == value.to_integral()
    return format_decimal(value.normalize() if whole else value)


def start_date(year: int) -> str:
    return f"{year:04d}-01-01"


def end_date(year: int) -> str:
    return f"{year:04d}-12-31"


def serialize(root: ET.Element) -> bytes:
    """The file's bytes: UTF-8, indented, the same for the same tree."""
    ET.indent(root, space="  ")
    content: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return content + b"\n"
