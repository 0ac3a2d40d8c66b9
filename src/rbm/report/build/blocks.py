"""The kinds of block a report specification may use, each a builder over the context.

A builder returns the blocks and child sections it makes; nothing when the package has no
data for it, so a block without data is left out of the report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from rbm.i18n import text
from rbm.report.build import (
    appendix,
    budget,
    dashboards,
    development,
    grid,
    income,
    lines,
    overview,
    performance,
    projects,
)
from rbm.report.build.context import Context
from rbm.report.build.narrative import narrative_section
from rbm.report.build.spec import Spec
from rbm.report.model import Block, ChartView, Paragraph, Section, TableView

Made = Block | Section | None
Builder = Callable[[Context, Spec], Sequence[Made] | Made]


def _sources(ctx: Context, b: Spec) -> list[str]:
    """The package's sources that the block's `prefer` patterns name, in package order."""
    return [s.id for s in ctx.dataset.sources if any(fnmatchcase(s.id, p) for p in b.patterns)]


def _facts_source(b: Spec) -> str:
    """The source whose facts a chart draws: the first of `prefer`, else its own."""
    return (b.patterns or [_src(b)])[0]


def _src(b: Spec) -> str:
    return b.source or ""


BUILDERS: dict[str, Builder] = {
    "budget_table": grid.budget_table,
    "narrative": lambda ctx, b: narrative_section(
        ctx.told, b.id("narrative"), b.text("title") or text("report.section.untitled")
    ),
    "text": lambda ctx, b: Paragraph(b.text("text")) if b.text("text") else None,  # type: ignore[arg-type]
    "performance": lambda ctx, b: performance.performance(ctx, b.prefer),
    "organizational_risks": lambda ctx, b: performance.risk_table(ctx, None),
    "ratings_by_pillar": lambda ctx, b: appendix.results_overview(ctx, _src(b)),
    "pie_counts": lambda ctx, b: appendix.pie_counts(ctx, _src(b)),
    "transfers": lambda ctx, b: budget.annex_1(ctx, _src(b)) if ctx.dataset.transfers else None,
    "key_financials": lambda ctx, b: income.table_1(ctx, b) if ctx.dataset.key_financials else None,
    "income": lambda ctx, b: income.table_2(ctx, b) if ctx.dataset.income_facts else None,
    "income_shares": lambda ctx, b: income.figure_1(ctx, _src(b), _facts_source(b)),
    "demand": income.table_3,
    "income_estimates": income.annex_2,
    "union_financials": income.annex_6,
    "pillar_expenditure": lambda ctx, b: overview.pillar_expenditure(
        ctx, _src(b), _facts_source(b)
    ),
    "personnel_chart": lambda ctx, b: budget.figure_2(ctx, _src(b), _sources(ctx, b)),
    "posts": lambda ctx, b: budget.annex_5(ctx, _src(b)) if ctx.dataset.posts else None,
    "promotion": lambda ctx, b: budget.annex_7(ctx, _src(b)),
    "development": lambda ctx, b: development.table_7(
        ctx,
        _src(b),
        b.id("table-development"),
        b.get("split", {}).get("item"),
        b.text("split_label"),
        bool(b.get("difference")),
    ),
    "development_share": lambda ctx, b: development.development_share(
        ctx, _src(b), b.id("development-share"), bool(b.get("difference"))
    ),
    "development_by_result": lambda ctx, b: development.annex_12_results(ctx, _src(b)),
    "dashboard": lambda ctx, b: dashboards.dashboards(ctx, _sources(ctx, b)),
    "systems": projects.system_indicators,
    "trust_funds": projects.trust_fund_section,
    "capital_master_plan": projects.capital_master_plan,
}


def build_block(ctx: Context, b: Spec) -> list[Block | Section]:
    """What one block of the specification makes, with its id, title and chart applied;
    empty tables are left out."""
    if b.kind == "part":  # a section of its own among the blocks, in their order
        from rbm.report.build.report import build_sections  # which builds blocks in turn

        return list(build_sections(ctx, b.raw, b.member))
    made = BUILDERS[b.kind](ctx, b)
    items: list[Made] = list(made) if isinstance(made, list | tuple) else [made]  # type: ignore[list-item]
    out: list[Block | Section] = []
    for item in items:
        if item is None or _empty(item):
            continue
        dressed = _dress(item, b) if len(items) == 1 else item
        if isinstance(dressed, TableView):
            dressed = lines.headed(dressed, b)
            if b.get("footnotes"):
                dressed = lines.footnoted(ctx, dressed)
        out.append(dressed if b.member is not None else _with_role(dressed, _role(b)))
    return out


def _role(b: Spec) -> str:
    rows = b.get("rows")
    return f"{b.kind}:{rows}" if b.kind == "budget_table" and isinstance(rows, str) else b.kind


def _with_role(item: Block | Section, role: str) -> Block | Section:
    """The item's tables (a chart's too, a section's blocks) marked with the block's role."""
    if isinstance(item, TableView):
        return replace(item, role=role)
    if isinstance(item, ChartView):
        return replace(item, table=replace(item.table, role=role))
    if isinstance(item, Section):
        blocks = tuple(_with_role(block, role) for block in item.blocks)
        return replace(item, blocks=blocks)  # type: ignore[arg-type]
    return item


def _empty(item: Block | Section) -> bool:
    if isinstance(item, TableView):
        return not any(  # a total of nothing is no table
            v is not None for row in item.rows if row.kind != "total" for v in row.values
        )
    if isinstance(item, ChartView):
        return _empty(item.table)
    if isinstance(item, Section):
        return not item.blocks and not item.children
    return False


def _dress(item: Block | Section, b: Spec) -> Block | Section:
    """The item with the specification's id, title and chart kind where it gives them."""
    title = b.text("title")
    if isinstance(item, Section):
        return replace(item, title=title or item.title)
    if isinstance(item, TableView):
        table = replace(item, id=b.id(item.id), title=title or item.title)
        if b.get("chart") is None:
            return table
        description = b.text("description") or table.title
        return ChartView(table.id, table.title, description, b.get("chart"), table)
    if isinstance(item, ChartView):
        table = replace(item.table, id=b.id(item.table.id), title=title or item.table.title)
        return replace(
            item,
            id=table.id,
            title=table.title,
            table=table,
            description=b.text("description") or item.description,
            kind=b.get("chart", item.kind),
        )
    return item
