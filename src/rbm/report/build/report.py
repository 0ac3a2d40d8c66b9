"""The whole report, section by section in the source's order."""

from __future__ import annotations

from rbm.domain.dataset import Dataset
from rbm.i18n import text
from rbm.report.build import budget, development, income, projects
from rbm.report.build.appendix import appendix, results_overview
from rbm.report.build.context import Context
from rbm.report.build.dashboards import dashboards
from rbm.report.build.overview import pillar_expenditure, table_4, table_5
from rbm.report.build.performance import performance, risk_table
from rbm.report.model import Block, ReportView, Section


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
    return ReportView(
        text("report.title", biennium=b.label),
        b.organization_name,
        b.label,
        (overview(ctx), performance(ctx), dashboards(ctx), annexes(ctx), appendix(ctx)),
    )
