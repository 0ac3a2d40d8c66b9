"""The rbm extension: records IATI has no element for (ratings, published marks, assessor
justifications, risks, capital projects, sectors) as elements of the rbm namespace.

A record is `<rbm:record resource="risks" field="cell" …>` with a child `<rbm:text
field="…">` of narratives per text field; cells are written as the data package writes
them, so a record reads back through the package's own field definitions."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from rbm.datapackage.cells import CellContext, Problem, format_cell, parse_cell
from rbm.datapackage.resources import BY_NAME
from rbm.datapackage.settings import read_settings, settings_block
from rbm.domain.settings import Settings
from rbm.domain.text import Text
from rbm.exchange.iati.xml import narrative_text, narratives, rbm, sub

# Resources the extension carries whole.
RECORDS = (
    "sectors",
    "risks",
    "capital_projects",
    "project_deliverables",
    "project_benefits",
    "project_risks",
)


def write_record(
    parent: ET.Element,
    resource: str,
    record: object,
    context: CellContext,
    only: Iterable[str] | None = None,
    tag: str = "record",
) -> ET.Element:
    """`record` of `resource` as an extension element (its fields in `only`, else all)."""
    wanted = None if only is None else set(only)
    element = sub(parent, rbm(tag), resource=resource)
    for spec in BY_NAME[resource].fields:
        if spec.name == "source" or (wanted is not None and spec.name not in wanted):
            continue  # an import cites the file it reads, not the package's sources
        value = getattr(record, spec.name)
        if isinstance(value, Text):
            if value:
                narratives(sub(element, rbm("text"), field=spec.name), value, context.langs)
        elif value is not None and value != {}:
            element.set(spec.name, format_cell(value, context.currency))
    return element


def read_record(element: ET.Element, context: CellContext) -> tuple[dict[str, Any], list[str]]:
    """Field → value of an extension record, and the fields whose cells do not parse."""
    resource = BY_NAME[element.get("resource", "")]
    texts = {t.get("field"): t for t in element.findall(rbm("text"))}
    values: dict[str, Any] = {}
    bad: list[str] = []
    for spec in resource.fields:
        if spec.kind == "text":
            values[spec.name] = narrative_text(texts.get(spec.name), context.langs)
            continue
        raw = element.get(spec.name)
        parsed = None if raw in (None, "") else parse_cell(spec, raw, context)
        if isinstance(parsed, Problem):
            bad.append(spec.name)
            parsed = None
        values[spec.name] = {} if spec.kind == "object" and parsed is None else parsed
    return values, bad


def write_settings(parent: ET.Element, settings: Settings) -> None:
    """The package's settings as JSON, so that an import keeps its rating and marks; not
    the headlines, which name key financial lines that IATI does not carry."""
    block = settings_block(replace(settings, headlines=()))
    sub(parent, rbm("settings")).text = json.dumps(block, ensure_ascii=False, sort_keys=True)


def read_settings_element(element: ET.Element | None, file: str) -> Settings | None:
    if element is None or not element.text:
        return None
    return read_settings(json.loads(element.text), file)
