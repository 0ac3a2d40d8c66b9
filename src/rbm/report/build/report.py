"""The whole report, section by section in the source's order."""

from __future__ import annotations

from dataclasses import replace

from rbm.domain.dataset import Dataset
from rbm.domain.text import LANGS, Text
from rbm.engine.reconcile.describe import describe
from rbm.engine.reconcile.findings import FindingClass
from rbm.engine.reconcile.run import reconcile
from rbm.i18n import text
from rbm.report.build import budget, development, income, projects
from rbm.report.build.appendix import appendix, results_overview
from rbm.report.build.context import Context
from rbm.report.build.dashboards import dashboards
from rbm.report.build.overview import pillar_expenditure, table_4, table_5
from rbm.report.build.performance import performance, risk_table
from rbm.report.model import Block, Note, ReportView, Section, TableView


def overview(ctx: Context) -> Section:
    blocks: list[Block] = [
        income.table_1(ctx),
        income.table_2(ctx),
        income.figure_1(ctx),
        income.table_3(ctx),
        pillar_expenditure(ctx),
        table_4(ctx),
        table_5(ctx),
        budget.figure_2(ctx),
        budget.table_6(ctx),
        development.table_7(ctx),
        development.development_share(ctx),
        results_overview(ctx),
    ]
    risks = risk_table(ctx, None)
    if risks is not None:
        blocks.append(risks)
    return Section("overview", text("report.section.overview"), tuple(blocks))


def annexes(ctx: Context) -> Section:
    blocks: tuple[Block, ...] = (
        budget.annex_1(ctx),
        income.annex_2(ctx),
        budget.annex_3(ctx),
        budget.annex_4(ctx),
        budget.annex_5(ctx),
        income.annex_6(ctx),
        budget.annex_7(ctx),
        development.table_7(ctx, "附件十二", "annex-12"),
        development.development_share(ctx, "附件十二", "annex-12-share"),
        development.annex_12_results(ctx),
    )
    children = (
        projects.system_section(ctx),
        projects.trust_fund_section(ctx),
        projects.capital_master_plan(ctx),
    )
    return Section("annexes", text("report.section.annexes"), blocks, children)


def build_report(dataset: Dataset) -> ReportView:
    ctx = Context(dataset)
    b = dataset.biennium
    sections = (overview(ctx), performance(ctx), dashboards(ctx), annexes(ctx), appendix(ctx))
    notes = difference_notes(dataset)
    return ReportView(
        text("report.title", biennium=b.label),
        b.organization_name,
        b.label,
        tuple(_with_notes(section, notes) for section in sections),
    )


def difference_notes(dataset: Dataset) -> dict[str, list[Text]]:
    """Per source, a note for each real difference reconciliation finds in it: the report's
    tables show computed figures, so where a printed one differs, the note says so."""
    notes: dict[str, list[Text]] = {}
    titles = {src.id: src.title for src in dataset.sources}

    def named(sources: str) -> Text:
        """Source ids as the Chinese text cites them, by title in English."""
        ids = sources.split(", ")
        return Text(", ".join(ids), "; ".join(titles[i].en if i in titles else i for i in ids))

    for finding in reconcile(dataset).findings:
        if finding.klass != FindingClass.DIFFERENCE:
            continue
        what = Text(*(describe(dataset, finding.subject, lang) for lang in LANGS))
        key = (
            "report.note.utilization_basis"
            if finding.check == "utilization_basis"
            else "report.note.difference"
        )
        note = text(
            key,
            what=what,
            left=f"{finding.left.value:,}",
            left_source=named(finding.left.source),
            right=f"{finding.right.value:,}",
            right_source=named(finding.right.source),
            unit=finding.unit,
            total=finding.params.get("total", ""),
        )
        for source in {finding.left.source, finding.right.source}:
            if note not in notes.setdefault(source, []):
                notes[source].append(note)
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
