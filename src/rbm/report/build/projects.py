"""The capital master plan: the projects reported on with their report and status, the
summary of reserve-funded projects as printed, and a section per project report. Trust
funds and the registration systems' indicators have modules of their own."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rbm.domain.enums import DeliverableStatus, Unit
from rbm.domain.money import convert
from rbm.domain.projects import CapitalProject
from rbm.domain.text import Lang, Text
from rbm.engine.projects import (
    deliverable_utilization,
    project_figures,
    status_distribution,
    total_figures,
    weighted_progress,
)
from rbm.i18n import localized, t, text
from rbm.report.build.context import Context
from rbm.report.build.funds import trust_fund_section
from rbm.report.build.printed import printed_value
from rbm.report.build.spec import Spec
from rbm.report.build.systems import system_indicators
from rbm.report.model import (
    Block,
    ChartView,
    Column,
    Note,
    NumberFormat,
    Paragraph,
    Row,
    Section,
    TableView,
    Value,
)

__all__ = ["capital_master_plan", "system_indicators", "trust_fund_section"]

# the summary's columns: the catalogue's column, the measure its printed figures have and
# how a line computes it when the source prints none
SUMMARY: tuple[tuple[str, str], ...] = (
    ("budget", "project_budget"),
    ("expenditure_prior", "project_expenditure_prior"),
    ("expenditure_current", "project_expenditure_current"),
    ("expenditure_total", "project_expenditure_total"),
    ("remaining", "project_remaining"),
    ("utilization", "project_utilization"),
)


def _cols(ctx: Context, *keys: str, fmt: NumberFormat = "integer") -> tuple[Column, ...]:
    return tuple(Column(text(f"report.column.{k}", **ctx.dates), fmt) for k in keys)


def natural(project: CapitalProject) -> tuple[Any, ...]:
    """A project's place in a list by its id, numbers as numbers (CMP 9 before CMP 11)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", project.id))


def capital_master_plan(ctx: Context, b: Spec) -> Section | None:
    """The summary of every project, the projects reported on, and a section per report
    (in the order of the projects' ids)."""
    if not ctx.dataset.capital_projects:
        return None
    source = b.source or ""
    marks = Marks(ctx, b.get("marks", []))
    reports = sorted((p for p in ctx.dataset.capital_projects if p.report_kind), key=natural)
    # the summary first: the notes reconciliation adds go to the source's first table
    blocks = (cmp_summary(ctx, source, marks), project_list(ctx, source, reports))
    return Section(
        "cmp",
        text("report.section.cmp"),
        tuple(x for x in blocks if x is not None),
        tuple(project_section(ctx, p) for p in reports),
    )


class Marks:
    """The footnotes a specification has the summary cite: each `footnote` (an id of the
    package's footnotes) on the rows of projects that are `completed`, `closed`, `reported`
    or `unreported` (`when`), or on those it lists (`projects`)."""

    def __init__(self, ctx: Context, entries: Sequence[Mapping[str, Any]]) -> None:
        footnotes = {f.id: f for f in ctx.dataset.footnotes}
        self.entries = [
            (e, footnotes[e["footnote"]]) for e in entries if e["footnote"] in footnotes
        ]

    def cited(self, project: CapitalProject) -> tuple[str, ...]:
        return tuple(
            self._id(i)
            for i, (entry, _) in enumerate(self.entries)
            if project.id in entry.get("projects", ()) or _when(project, entry.get("when"))
        )

    def notes(self, cited: set[str]) -> tuple[Note, ...]:
        return tuple(
            Note(self._id(i), f.text)
            for i, (_, f) in enumerate(self.entries)
            if self._id(i) in cited
        )

    def _id(self, index: int) -> str:
        number = self.entries[index][1].number
        return str(number) if number is not None else chr(ord("a") + index)


def _when(project: CapitalProject, when: str | None) -> bool:
    return {
        "completed": project.completed,
        "closed": project.closed,
        "reported": project.report_kind is not None,
        "unreported": project.report_kind is None,
    }.get(when or "", False)


def status(project: CapitalProject) -> Text:
    """Completed, closed or ongoing, as the project's flags say."""
    key = "completed" if project.completed else "closed" if project.closed else "ongoing"
    return text(f"report.project_status.{key}")


def project_list(ctx: Context, source: str, reports: Sequence[CapitalProject]) -> TableView | None:
    """The projects this report covers, each with the kind of its report and its status."""
    if not reports:
        return None
    rows = tuple(
        Row(
            p.name.prefixed(f"{p.id} "),
            (
                text(f"report.report_kind.{p.report_kind.value}") if p.report_kind else None,
                status(p),
            ),
        )
        for p in reports
    )
    return TableView(
        "cmp-reports",
        text("report.cmp.reports"),
        text("report.unit.none"),
        text("report.stub.project"),
        (
            Column(text("report.column.report_kind"), "text"),
            Column(text("report.column.project_status"), "text"),
        ),
        rows,
        source,
    )


def cmp_summary(ctx: Context, source: str, marks: Marks) -> TableView:
    """Reserve-funded projects by category: budget, expenditure before and in the period,
    total, remaining balance and utilization, each as the source prints it (computed where
    it prints none), the rows citing the footnotes the specification marks them with."""
    rows: list[Row] = []
    by_category: dict[str, list[CapitalProject]] = {}
    for project in ctx.dataset.capital_projects:
        by_category.setdefault(project.category.value, []).append(project)
    cited: set[str] = set()
    for category, projects in by_category.items():
        rows.append(Row(text(f"report.cmp.category.{category}"), (None,) * 6, kind="heading"))
        for project in projects:
            notes = marks.cited(project)
            cited.update(notes)
            values = _summary_line(ctx, source, project.id, [project], project.unit)
            rows.append(Row(project.name, values, level=1, notes=notes))
        values = _summary_line(ctx, source, category, projects, projects[0].unit)
        rows.append(Row(text("report.row.subtotal"), values, kind="subtotal"))
    everything = list(ctx.dataset.capital_projects)
    values = _summary_line(ctx, source, None, everything, everything[0].unit)
    rows.append(Row(text("report.row.total"), values, kind="total"))
    columns = (
        *_cols(ctx, *(key for key, _ in SUMMARY[:-1])),
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
        marks.notes(cited),
    )


def _summary_line(
    ctx: Context,
    source: str,
    item: str | None,
    projects: Sequence[CapitalProject],
    unit: Unit,
) -> tuple[Value, ...]:
    """A line of the summary: the printed figure of each column where the source has one,
    else the projects' (stored, or computed from them)."""
    one = projects[0] if len(projects) == 1 and item == projects[0].id else None
    line = project_figures(one) if one else total_figures(item or "total", projects)
    computed: dict[str, Decimal | None] = {
        "budget": line.budget,
        "expenditure_prior": sum((p.expenditure_prior for p in projects), Decimal(0)),
        "expenditure_current": sum((p.expenditure_current for p in projects), Decimal(0)),
        "expenditure_total": line.expenditure,
        "remaining": line.remaining,
        "utilization": line.utilization,
    }
    values: list[Value] = []
    for key, measure in SUMMARY:
        printed = printed_value(ctx, source, measure, item, unit)
        values.append(computed[key] if printed is None else printed)
    return tuple(values)


def _amount(ctx: Context, amount: Decimal, unit: Unit) -> Text:
    """An amount in units of the currency, as a sentence prints it: `1,234.56`, `60,000`."""
    value = convert(amount, unit, Unit.ONE)
    places = 0 if value == value.to_integral_value() else 2
    return Text.build(ctx.langs, lambda lang: localized(f"{value:,.{places}f}", lang))


def _money_sentence(ctx: Context, key: str, amount: Decimal, unit: Unit) -> Paragraph:
    figure = _amount(ctx, amount, unit)
    currency = ctx.dataset.biennium.currency_label

    def one(lang: Lang) -> str:
        return t(key, lang, amount=figure.get(lang), currency=currency.get(lang))

    return Paragraph(Text.build(ctx.langs, one))


def project_section(ctx: Context, project: CapitalProject) -> Section:
    """A project's report: its texts, resources, deliverables, benefits and risks, and the
    footnotes the package attaches to it."""
    blocks: list[Block] = []
    for part in ("objectives", "achievements", "timeline", "lessons"):
        value: Text = getattr(project, part)
        if value:
            blocks.append(Paragraph(text(f"report.cmp.{part}", text=value)))
    if project.annual_recurring_cost is not None:
        blocks.append(
            _money_sentence(
                ctx, "report.cmp.recurring_cost", project.annual_recurring_cost, project.unit
            )
        )
    if project.balance_returned is not None:
        blocks.append(
            _money_sentence(
                ctx, "report.cmp.balance_returned", project.balance_returned, project.unit
            )
        )
    blocks.extend(_deliverables(ctx, project))
    blocks.extend(_benefits(ctx, project))
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
    blocks = _with_footnotes(ctx, project, blocks)
    title = project.name.prefixed(f"{project.id} ")
    return Section(f"cmp-{_slug(project.id)}", title, tuple(blocks), page=True)


def _with_footnotes(ctx: Context, project: CapitalProject, blocks: list[Block]) -> list[Block]:
    """The project's footnotes as the notes of its last table, so they print with it (as
    paragraphs when it has no table)."""
    found = [f for f in ctx.dataset.footnotes if f.scope.value == "project" and f.ref == project.id]
    last = next(
        (i for i in range(len(blocks) - 1, -1, -1) if isinstance(blocks[i], TableView)), None
    )
    if last is None:
        return blocks + [
            Paragraph(text("report.cmp.footnote", number=str(f.number or ""), text=f.text))
            for f in found
        ]
    table = blocks[last]
    assert isinstance(table, TableView)
    notes = tuple(Note(f.marker, f.text) for f in found)
    return [*blocks[:last], replace(table, notes=table.notes + notes), *blocks[last + 1 :]]


def _deliverables(ctx: Context, project: CapitalProject) -> list[Block]:
    """The deliverables' resources and progress, their status as a chart, and the published
    overall progress beside the budget-weighted one."""
    deliverables = [d for d in ctx.dataset.project_deliverables if d.project == project.id]
    if not deliverables:
        return []
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
    blocks: list[Block] = [
        TableView(
            f"cmp-{_slug(project.id)}-deliverables",
            text("report.cmp.deliverables", project=project.id),
            unit,
            text("report.stub.deliverable"),
            columns,
            rows,
            project.source,
        )
    ]
    counts = status_distribution(deliverables)
    chart = TableView(
        f"cmp-{_slug(project.id)}-status",
        text("report.cmp.status", project=project.id),
        text("report.unit.deliverables"),
        text("report.column.status"),
        (Column(text("report.column.deliverables")),),
        tuple(
            Row(text(f"report.status.{s.value}"), (Decimal(counts[s]),)) for s in DeliverableStatus
        ),
        project.source,
    )
    description = text("report.cmp.status.desc", project=project.id)
    blocks.append(ChartView(chart.id, chart.title, description, "donut", chart))
    weighted = weighted_progress(deliverables)
    if weighted is not None or project.overall_progress is not None:
        published = project.overall_progress
        blocks.append(
            Paragraph(
                text(
                    "report.cmp.progress",
                    published="-" if published is None else f"{published}%",
                    weighted="-" if weighted is None else f"{weighted}%",
                )
            )
        )
    return blocks


def _benefits(ctx: Context, project: CapitalProject) -> list[Block]:
    """The benefits under the expected result each serves, as the report groups them."""
    benefits = [b for b in ctx.dataset.project_benefits if b.project == project.id]
    if not benefits:
        return []
    rows: list[Row] = []
    heading: str | None = None
    for b in benefits:
        if b.result and b.result != heading and b.result in ctx.results:
            rows.append(Row(ctx.result_label(b.result), (None,) * 4, kind="heading"))
            heading = b.result
        values = (b.kpi, b.baseline, b.target, b.performance)
        rows.append(Row(b.description, values, level=1 if heading else 0))
    return [
        TableView(
            f"cmp-{_slug(project.id)}-benefits",
            text("report.cmp.benefits", project=project.id),
            text("report.unit.none"),
            text("report.stub.benefit"),
            _cols(ctx, "kpi", "baseline", "target", "actual", fmt="text"),
            tuple(rows),
            project.source,
        )
    ]


def _slug(code: str) -> str:
    return code.lower().replace(" ", "-")
