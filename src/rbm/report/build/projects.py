"""The capital master plan, trust funds and the registration-system indicators."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rbm.domain.enums import DeliverableStatus, Unit
from rbm.domain.projects import CapitalProject
from rbm.domain.text import Text
from rbm.engine.projects import (
    deliverable_utilization,
    fund_figures,
    project_figures,
    status_distribution,
    total_figures,
    weighted_progress,
)
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.model import (
    Block,
    ChartView,
    Column,
    NumberFormat,
    Paragraph,
    Row,
    Section,
    TableView,
    Value,
)


def _cols(ctx: Context, *keys: str, fmt: NumberFormat = "integer") -> tuple[Column, ...]:
    return tuple(Column(text(f"report.column.{k}", **ctx.dates), fmt) for k in keys)


def cmp_summary(ctx: Context, source: str) -> TableView:
    """Reserve-funded projects: budget, expenditure, remaining balance, utilization."""
    rows: list[Row] = []
    by_category: dict[str, list[CapitalProject]] = defaultdict(list)
    for project in ctx.dataset.capital_projects:
        by_category[project.category.value].append(project)
    for category, projects in by_category.items():
        rows.append(Row(text(f"report.cmp.category.{category}"), (None,) * 6, kind="heading"))
        for project in projects:
            f = project_figures(project)
            label = Text(
                f"{project.id} {project.name.zh}", f"{project.id} {project.name.get('en')}"
            )
            values: tuple[Value, ...] = (
                f.budget,
                project.expenditure_prior,
                project.expenditure_current,
                f.expenditure,
                f.remaining,
                f.utilization,
            )
            rows.append(Row(label, values, level=1))
        t = total_figures(category, projects)
        current = sum((p.expenditure_current for p in projects), Decimal(0))
        prior = sum((p.expenditure_prior for p in projects), Decimal(0))
        rows.append(
            Row(
                text("report.row.subtotal"),
                (t.budget, prior, current, t.expenditure, t.remaining, t.utilization),
                kind="subtotal",
            )
        )
    everything = ctx.dataset.capital_projects
    t = total_figures("total", everything)
    rows.append(
        Row(
            text("report.row.total"),
            (
                t.budget,
                sum((p.expenditure_prior for p in everything), Decimal(0)),
                sum((p.expenditure_current for p in everything), Decimal(0)),
                t.expenditure,
                t.remaining,
                t.utilization,
            ),
            kind="total",
        )
    )
    columns = (
        *_cols(
            ctx,
            "budget",
            "expenditure_prior",
            "expenditure_current",
            "expenditure_total",
            "remaining",
        ),
        Column(text("report.column.utilization"), "percent"),
    )
    return TableView(
        "cmp-summary",
        text("report.cmp.summary", **ctx.dates),
        ctx.unit("thousand"),
        text("report.stub.project"),
        columns,
        tuple(rows),
        source,
    )


def project_section(ctx: Context, project: CapitalProject) -> Section:
    blocks: list[Block] = []
    for part in ("objectives", "achievements", "timeline", "lessons"):
        value: Text = getattr(project, part)
        if value.zh:
            blocks.append(Paragraph(text(f"report.cmp.{part}", text=value)))
    deliverables = [d for d in ctx.dataset.project_deliverables if d.project == project.id]
    if deliverables:
        rows = tuple(
            Row(
                d.name,
                (
                    text(f"report.status.{d.status.value}"),
                    d.budget,
                    d.adjusted_budget,
                    d.expenditure,
                    deliverable_utilization(d),
                    d.progress,
                ),
            )
            for d in deliverables
        )
        columns = (
            Column(text("report.column.status"), "text"),
            *_cols(ctx, "budget", "adjusted_budget", "expenditure"),
            Column(text("report.column.utilization"), "percent"),
            Column(text("report.column.progress"), "percent"),
        )
        unit = ctx.unit("one") if deliverables[0].unit is Unit.ONE else ctx.unit("thousand")
        blocks.append(
            TableView(
                f"cmp-{_slug(project.id)}-deliverables",
                text("report.cmp.deliverables", project=project.id),
                unit,
                text("report.stub.deliverable"),
                columns,
                rows,
                project.source,
            )
        )
        counts = status_distribution(deliverables)
        chart = TableView(
            f"cmp-{_slug(project.id)}-status",
            text("report.cmp.status", project=project.id),
            text("report.unit.deliverables"),
            text("report.column.status"),
            (Column(text("report.column.deliverables")),),
            tuple(
                Row(text(f"report.status.{s.value}"), (Decimal(counts[s]),))
                for s in DeliverableStatus
            ),
            project.source,
        )
        blocks.append(
            ChartView(
                chart.id,
                chart.title,
                text("report.cmp.status.desc", project=project.id),
                "donut",
                chart,
            )
        )
        weighted = weighted_progress(deliverables)
        if weighted is not None or project.overall_progress is not None:
            blocks.append(
                Paragraph(
                    text(
                        "report.cmp.progress",
                        published="-"
                        if project.overall_progress is None
                        else f"{project.overall_progress}%",
                        weighted="-" if weighted is None else f"{weighted}%",
                    )
                )
            )
    benefits = [b for b in ctx.dataset.project_benefits if b.project == project.id]
    if benefits:
        rows = tuple(
            Row(
                b.description,
                (
                    b.kpi,
                    Text(b.baseline or "", b.baseline or ""),
                    Text(b.target or "", b.target or ""),
                    Text(b.performance or "", b.performance or ""),
                ),
            )
            for b in benefits
        )
        blocks.append(
            TableView(
                f"cmp-{_slug(project.id)}-benefits",
                text("report.cmp.benefits", project=project.id),
                text("report.unit.none"),
                text("report.stub.benefit"),
                _cols(ctx, "kpi", "baseline", "target", "actual", fmt="text"),
                rows,
                project.source,
            )
        )
    risks = [r for r in ctx.dataset.project_risks if r.project == project.id]
    if risks:
        blocks.append(
            TableView(
                f"cmp-{_slug(project.id)}-risks",
                text("report.cmp.risks", project=project.id),
                text("report.unit.none"),
                text("report.stub.risk"),
                _cols(ctx, "mitigation", fmt="text"),
                tuple(Row(r.risk, (r.mitigation,)) for r in risks),
                project.source,
            )
        )
    title = Text(f"{project.id} {project.name.zh}", f"{project.id} {project.name.get('en')}")
    return Section(f"cmp-{_slug(project.id)}", title, tuple(blocks), page=True)


def _slug(code: str) -> str:
    return code.lower().replace(" ", "-")


def trust_funds(ctx: Context, source: str) -> TableView:
    """Each fund's statement: the income and expenditure totals and the closing balance
    computed, with the implied administrative-support rate."""
    rows = []
    for fund in ctx.dataset.trust_funds:
        f = fund_figures(fund)
        notes: tuple[str, ...] = ()
        if f.difference:
            notes = (
                ctx.add_note(
                    "trust-funds",
                    text(
                        "report.note.published",
                        value=f"{fund.closing_balance:,}",
                        source=fund.source,
                    ),
                ),
            )
        rows.append(
            Row(
                Text(f"{fund.name.zh}（{fund.code}）", f"{fund.name.get('en')} ({fund.code})"),
                (fund.opening_balance, f.income, f.expenditure, f.closing, f.admin_rate),
                notes=notes,
            )
        )
    columns = (
        *_cols(ctx, "opening", "income", "expenditure", "closing", fmt="decimal2"),
        Column(text("report.column.admin_rate"), "percent1"),
    )
    return TableView(
        "trust-funds",
        text("report.trust_funds", **ctx.dates),
        ctx.unit("one"),
        text("report.stub.fund"),
        columns,
        tuple(rows),
        source,
        ctx.table_notes("trust-funds"),
    )


def trust_fund_results(ctx: Context) -> tuple[TableView, ...]:
    tables = []
    for fund in ctx.dataset.trust_funds:
        results = [r for r in ctx.dataset.trust_fund_results if r.fund == fund.code]
        if not results:
            continue
        rows = tuple(
            Row(r.indicator, (Text(r.result or "", r.result or ""), r.outcome, r.beneficiaries))
            for r in results
        )
        tables.append(
            TableView(
                f"trust-fund-{fund.code.lower().replace('_', '-')}",
                text("report.trust_fund.results", fund=fund.name, **ctx.dates),
                text("report.unit.none"),
                text("report.stub.indicator"),
                (
                    Column(text("report.stub.result"), "text"),
                    Column(text("report.column.outcome", **ctx.dates), "text"),
                    Column(text("report.column.beneficiaries"), "text"),
                ),
                rows,
                fund.source,
            )
        )
    return tuple(tables)


def indicator_table(
    ctx: Context, union: str, measure: str, table_id: str, title: str, stub: str
) -> TableView | None:
    """A registration-system indicator by segment (rows) and period (columns)."""
    found = [s for s in ctx.dataset.system_indicators if s.union == union and s.measure == measure]
    if not found:
        return None
    periods = sorted({s.period for s in found})
    values: dict[str, dict[str, Decimal]] = {}
    labels: dict[str, Text] = {}
    for s in found:
        values.setdefault(s.segment.zh, {})[s.period] = s.value
        labels[s.segment.zh] = s.segment
    return TableView(
        table_id,
        text(title, first=periods[0], last=periods[-1]),
        text("report.unit.count"),
        text(stub),
        tuple(Column(Text(p, p)) for p in periods),
        tuple(Row(labels[k], tuple(v.get(p) for p in periods)) for k, v in values.items()),
        found[0].source,
    )


def receiving_offices(ctx: Context) -> ChartView | None:
    """PCT filings by receiving office, by year."""
    table = indicator_table(
        ctx,
        "pct",
        "ro_filings",
        "pct-receiving-offices",
        "report.system.pct_ro",
        "report.stub.office",
    )
    if table is None:
        return None
    first, last = table.columns[0].label, table.columns[-1].label
    description = text("report.system.pct_ro.desc", first=first, last=last)
    return ChartView(table.id, table.title, description, "grouped_bar", table)


def hague_unit_costs(ctx: Context) -> tuple[ChartView, ...]:
    """Hague unit costs, direct and indirect, by biennium."""
    found = [
        s
        for s in ctx.dataset.system_indicators
        if s.union == "hague" and s.measure in ("unit_cost_direct", "unit_cost_indirect")
    ]
    charts: list[ChartView] = []
    for segment in dict.fromkeys(s.segment for s in found):
        mine = [s for s in found if s.segment == segment]
        periods = sorted({s.period for s in mine})
        values = {(s.measure, s.period): s.value for s in mine}
        table = TableView(
            f"hague-unit-cost-{len(charts) + 1}",
            text("report.system.hague_cost", segment=segment),
            ctx.unit("one"),
            text("report.stub.biennium"),
            (Column(text("report.column.direct")), Column(text("report.column.indirect"))),
            tuple(
                Row(
                    Text(p, p),
                    (values.get(("unit_cost_direct", p)), values.get(("unit_cost_indirect", p))),
                )
                for p in periods
            ),
            mine[0].source,
        )
        charts.append(
            ChartView(
                table.id,
                table.title,
                text(
                    "report.system.hague_cost.desc",
                    segment=segment,
                    currency=ctx.dataset.biennium.currency_label,
                ),
                "stacked_bar",
                table,
            )
        )
    return tuple(charts)


def lisbon_documents(ctx: Context) -> TableView | None:
    """Lisbon documents processed by kind and year."""
    return indicator_table(
        ctx,
        "lisbon",
        "documents_processed",
        "lisbon-documents",
        "report.system.lisbon_documents",
        "report.stub.document",
    )


def capital_master_plan(ctx: Context, source: str) -> Section | None:
    projects = tuple(
        project_section(ctx, p) for p in ctx.dataset.capital_projects if p.report_kind is not None
    )
    if not ctx.dataset.capital_projects:
        return None
    return Section("cmp", text("report.section.cmp"), (cmp_summary(ctx, source),), projects)


def trust_fund_section(ctx: Context, source: str) -> Section | None:
    if not ctx.dataset.trust_funds:
        return None
    return Section(
        "trust-funds",
        text("report.section.trust_funds"),
        (trust_funds(ctx, source), *trust_fund_results(ctx)),
    )


def system_section(ctx: Context) -> Section | None:
    blocks: list[Block] = []
    ro = receiving_offices(ctx)
    if ro is not None:
        blocks.append(ro)
    blocks.extend(hague_unit_costs(ctx))
    lisbon = lisbon_documents(ctx)
    if lisbon is not None:
        blocks.append(lisbon)
    if not blocks:
        return None
    return Section("systems", text("report.section.systems"), tuple(blocks))
