"""Narratives: each report part's story in our own words, placed by the id of the section or
block it introduces; a part that is only a narrative is a `narrative` block of its own."""

from __future__ import annotations

from dataclasses import replace

from rbm.domain.dataset import Dataset
from rbm.domain.text import Text
from rbm.report.model import Block, ChartView, Paragraph, Section, TableView

Told = dict[str, list[Paragraph]]


def told(dataset: Dataset) -> Told:
    """Paragraphs by the part they belong to, in order; a subheading prints where it
    changes."""
    parts: Told = {}
    last: dict[str, Text] = {}
    for n in sorted(dataset.narratives, key=lambda n: (n.ref, n.order)):
        heading = n.heading if n.heading and n.heading != last.get(n.ref) else None
        last[n.ref] = n.heading
        parts.setdefault(n.ref, []).append(Paragraph(n.text, heading))
    return parts


def narrative_section(parts: Told, ref: str, title: Text) -> Section | None:
    """A part that is only its narrative (its paragraphs are used up here)."""
    paragraphs = parts.pop(ref, [])
    return Section(ref, title, tuple(paragraphs)) if paragraphs else None


def place(section: Section, parts: Told) -> Section:
    """The section with its narrative first and each table's or chart's before it; each
    narrative is placed once (they are used up)."""
    blocks: list[Block] = list(parts.pop(section.id, ()))
    for block in section.blocks:
        if isinstance(block, TableView | ChartView):
            blocks.extend(parts.pop(block.id, ()))
        blocks.append(block)
    children = tuple(place(child, parts) for child in section.children)
    return replace(section, blocks=tuple(blocks), children=children)
