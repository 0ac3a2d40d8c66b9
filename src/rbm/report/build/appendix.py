"""五 Appendix: the methodology's PIE counts, computed beside the published ones; and the
results overview of section 一 (ratings by pillar)."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import Rating
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.model import ChartView, Column, Row, TableView


def pie_counts(ctx: Context, source: str) -> TableView:
    """PIEs by rating: as the report counts them, and in its performance tables (final
    ratings)."""
    totals = ctx.ratings.totals.by_rating
    published = {(p.measure, p.note): p.published for p in ctx.ratings.published}
    rows = []
    for rating in Rating:
        printed = published.get(("pie_count", rating.value))
        rows.append(Row(text(f"rating.{rating.value}"), (printed, Decimal(totals.get(rating, 0)))))
    rows.append(
        Row(
            text("report.row.total"),
            (published.get(("pie_count", "total")), Decimal(ctx.ratings.totals.pies)),
            kind="total",
        )
    )
    rows.append(
        Row(
            text("report.row.indicators"),
            (published.get(("indicator_count", "total")), Decimal(ctx.ratings.totals.indicators)),
        )
    )
    return TableView(
        "appendix-pie-counts",
        text("report.appendix.pie_counts"),
        text("report.unit.pies"),
        text("report.stub.rating"),
        (Column(text("report.column.published")), Column(text("report.column.in_tables"))),
        tuple(rows),
        source,
    )


def results_overview(ctx: Context, source: str) -> ChartView:
    """PIEs by rating in each pillar."""
    by_pillar = ctx.ratings.totals.by_pillar
    rows = tuple(
        Row(p.name, tuple(Decimal(by_pillar.get(p.code, {}).get(r, 0)) for r in Rating))
        for p in ctx.dataset.pillars
    )
    table = TableView(
        "ratings-by-pillar",
        text("report.figure.results"),
        text("report.unit.pies"),
        text("report.stub.pillar"),
        tuple(Column(text(f"rating.{r.value}")) for r in Rating),
        rows,
        source,
    )
    return ChartView(
        table.id, table.title, text("report.figure.results.desc"), "stacked_bar", table
    )
