"""The whole report, section by section in the source's order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from functools import partial
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.ledger import LEDGER_SOURCE
from rbm.domain.organization import Source
from rbm.domain.text import Text
from rbm.engine.reconcile.describe import for_readers, number_text
from rbm.engine.reconcile.findings import FindingClass, Side
from rbm.engine.reconcile.run import reconcile
from rbm.i18n import joined, localized, text
from rbm.report.build.blocks import build_block
from rbm.report.build.context import Context
from rbm.report.build.narrative import place
from rbm.report.build.spec import Spec, members
from rbm.report.model import Block, Note, ReportView, Section, TableView
from rbm.report.spec.load import default_spec


def build_report(dataset: Dataset) -> ReportView:
    """The report the package's specification lays out (the generic layout without one)."""
    ctx = Context(dataset)
    spec = dataset.report_spec or default_spec()
    sections = [s for raw in spec["sections"] for s in build_sections(ctx, raw)]
    notes = difference_notes(dataset)
    sections = [place(section, ctx.told) for section in sections]
    top = Spec(spec, ctx)
    title = top.text("title")
    b = dataset.biennium
    return ReportView(
        title or text("report.title", biennium=b.period),
        b.organization_name,
        b.period,
        tuple(_with_notes(section, notes) for section in sections),
        ctx.langs,
        cited_sources(dataset),
        str(spec.get("symbol", "")),
        top.text("date"),
    )


def cited_sources(dataset: Dataset) -> tuple[tuple[str, Text], ...]:
    """Each source's id and how the report cites it; a ledger is cited by its name."""
    langs = dataset.biennium.settings.languages
    cited = [(source.id, citation(source, langs)) for source in dataset.sources]
    if dataset.ledger_facts:
        cited.append((LEDGER_SOURCE, text("resource.expenditure_ledger")))
    return tuple(cited)


def citation(source: Source, langs: tuple[str, ...]) -> Text:
    """How the report cites a source: its label, else its id in the package's first language
    (as its own text cites it) and its title in the others."""
    return Text.build(
        langs,
        lambda lang: (
            source.label.exact(lang)
            or (source.id if lang == langs[0] else source.title.get(lang) or source.id)
        ),
    )


def build_sections(
    ctx: Context, raw: Mapping[str, Any], member: tuple[str, Text] | None = None
) -> list[Section]:
    """A section of the specification (one per member when it repeats); empty ones are
    left out."""
    repeat = raw.get("repeat")
    if repeat is not None and member is None:
        return [
            section
            for code, label, _ in members(ctx, repeat)
            for section in build_sections(ctx, raw, (code, label))
        ]
    here = Spec(raw, ctx, member)
    blocks: list[Block] = []
    children: list[Section] = []
    for block in raw.get("blocks", []):
        for made in build_block(ctx, Spec(block, ctx, member)):
            (children if isinstance(made, Section) else blocks).append(made)  # type: ignore[arg-type]
    for child in raw.get("sections", []):
        children.extend(build_sections(ctx, child, member))
    if not blocks and not children:
        return []
    title = here.text("title") or (member[1] if member else text("report.section.untitled"))
    return [
        Section(
            here.fill_id(str(raw["id"])),
            title,
            tuple(blocks),
            tuple(children),
            bool(raw.get("page", False)),
        )
    ]


def difference_notes(dataset: Dataset) -> dict[str, list[Text]]:
    """Per source, a note for each real difference reconciliation finds in it: the report's
    tables print the source's figures, so where two of them disagree, the note says so,
    once per line, with every figure and where it is printed."""
    langs = dataset.biennium.settings.languages
    sources = dict(cited_sources(dataset))

    def cited(side: Side) -> Text:
        where = joined([sources.get(i, Text.plain(i)) for i in side.source.split(", ")])
        if side.how == "narrative":
            return text("report.note.in_text", source=where)
        return text("report.note.sum_of", source=where) if side.parts > 1 else where

    def figure(value: Decimal) -> Text:
        return Text.build(langs, partial(localized, number_text(value)))

    notes: dict[str, list[Text]] = {}

    def add(note: Text, *where: str) -> None:
        for source in where:
            if note not in notes.setdefault(source, []):
                notes[source].append(note)

    lines: dict[tuple[tuple[str, str], ...], dict[Decimal, list[Text]]] = {}
    places: dict[tuple[tuple[str, str], ...], set[str]] = {}
    for finding in reconcile(dataset).findings:
        if finding.klass != FindingClass.DIFFERENCE:
            continue
        sides = (finding.left, finding.right)
        if finding.check == "utilization_basis":
            add(
                text(
                    "report.note.utilization_basis",
                    left=figure(finding.left.value),
                    left_source=cited(finding.left),
                    right=figure(finding.right.value),
                    total=finding.params.get("total", ""),
                ),
                *(side.source for side in sides),
            )
            continue
        key = tuple(finding.subject.items())
        for side in sides:
            shown = lines.setdefault(key, {}).setdefault(side.value, [])
            if cited(side) not in shown:
                shown.append(cited(side))
            places.setdefault(key, set()).add(side.source)
    for key, values in lines.items():
        what = Text.build(langs, partial(for_readers, dataset, dict(key)))
        figures = [
            text("report.note.figure", where=joined(w), value=figure(v)) for v, w in values.items()
        ]
        listed = joined(figures, "report.note.figure_separator")
        note = text("report.note.differs", what=what, figures=listed)
        add(note, *sorted(places[key]))
    return notes


def _with_notes(section: Section, notes: dict[str, list[Text]]) -> Section:
    """The section with the notes of each source on that source's first table (the notes
    are used up as they are placed)."""
    blocks = tuple(
        _table_notes(block, notes) if isinstance(block, TableView) else block
        for block in section.blocks
    )
    children = tuple(_with_notes(child, notes) for child in section.children)
    return replace(section, blocks=blocks, children=children)


def _table_notes(table: TableView, notes: dict[str, list[Text]]) -> TableView:
    found = notes.pop(table.source, [])
    if not found:
        return table
    start = len(table.notes)
    extra = tuple(Note(f"r{start + i + 1}", note) for i, note in enumerate(found))
    return replace(table, notes=table.notes + extra)
