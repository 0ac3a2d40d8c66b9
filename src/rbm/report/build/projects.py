"""The capital master plan, trust funds and the registration-system indicators."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rbm.domain.enums import DeliverableStatus, Unit
from rbm.domain.finance import SystemIndicator
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
from rbm.report.build.spec import Spec
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
            label = project.name.prefixed(f"{project.id} ")
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
        if value:
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
                    b.baseline,
                    b.target,
                    b.performance,
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
    title = project.name.prefixed(f"{project.id} ")
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
                text("format.parenthetical", text=fund.name, note=fund.code),
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
            Row(r.indicator, (ctx.curated(r.result), r.outcome, r.beneficiaries)) for r in results
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


def system_indicators(ctx: Context, b: Spec) -> Section | None:
    """The indicators of the registration systems a specification lists: a measure by
    segment and period, or several measures by period for each segment (unit costs)."""
    blocks: list[Block] = []
    for raw in b.get("indicators", []):
        one = Spec(raw, ctx, b.member)
        measures = raw["measure"] if isinstance(raw["measure"], list) else [raw["measure"]]
        found = [
            s
            for s in ctx.dataset.system_indicators
            if s.union == raw["union"] and s.measure in measures
        ]
        if not found:
            continue
        if len(measures) == 1:
            blocks.append(_by_segment(ctx, one, found))
        else:
            blocks.extend(_per_segment(ctx, one, found, measures))
    if not blocks:
        return None
    return Section("systems", b.text("title") or text("report.section.systems"), tuple(blocks))


def _titles(one: Spec, **params: str | Text) -> tuple[Text, Text | None]:
    """The title and chart description the specification gives, with the data's periods
    and segment."""

    def fill(key: str) -> Text | None:
        found = one.text(key)
        if found is None:
            return None
        return Text.build(
            one.ctx.langs,
            lambda lang: found.get(lang).format(
                **{k: v.get(lang) if isinstance(v, Text) else v for k, v in params.items()}
            ),
        )

    return fill("title") or Text.plain(one.id("indicator")), fill("description")


def _by_segment(ctx: Context, one: Spec, found: list[SystemIndicator]) -> Block:
    periods = sorted({s.period for s in found})
    values: dict[Text, dict[str, Decimal]] = {}
    for s in found:
        values.setdefault(s.segment, {})[s.period] = s.value
    title, description = _titles(one, first=periods[0], last=periods[-1])
    table = TableView(
        one.id("indicator"),
        title,
        text("report.unit.count"),
        text(f"report.stub.{one.get('stub', 'segment')}"),
        tuple(Column(Text.plain(p)) for p in periods),
        tuple(Row(k, tuple(v.get(p) for p in periods)) for k, v in values.items()),
        found[0].source,
    )
    chart = one.get("chart")
    if chart is None:
        return table
    return ChartView(table.id, table.title, description or table.title, chart, table)


def _per_segment(
    ctx: Context, one: Spec, found: list[SystemIndicator], measures: list[str]
) -> list[Block]:
    charts: list[Block] = []
    for segment in dict.fromkeys(s.segment for s in found):
        mine = [s for s in found if s.segment == segment]
        periods = sorted({s.period for s in mine})
        values = {(s.measure, s.period): s.value for s in mine}
        title, description = _titles(one, segment=segment, first=periods[0], last=periods[-1])
        table = TableView(
            f"{one.id('indicator')}-{len(charts) + 1}",
            title,
            ctx.unit("one"),
            text(f"report.stub.{one.get('stub', 'segment')}"),
            tuple(Column(text(f"report.measure.{m}")) for m in measures),
            tuple(Row(Text.plain(p), tuple(values.get((m, p)) for m in measures)) for p in periods),
            mine[0].source,
        )
        chart = one.get("chart")
        charts.append(
            table
            if chart is None
            else ChartView(table.id, table.title, description or table.title, chart, table)
        )
    return charts


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
