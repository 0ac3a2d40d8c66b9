"""二 Performance by strategic pillar and expected result: the performance-data tables with
each PIE's computed rating and explanation, and the risk tables."""

from __future__ import annotations

from rbm.domain.enums import BudgetPhase, Rating
from rbm.domain.framework import Highlight
from rbm.domain.text import Text
from rbm.engine.rating import Assessment
from rbm.i18n import joined, text
from rbm.report.build.context import Context
from rbm.report.model import Column, Paragraph, Row, Section, TableView

EXECUTED = BudgetPhase.EXECUTED


def _explanation(ctx: Context, a: Assessment) -> Text:
    return Text.build(ctx.langs, a.explain)


def pie_table(ctx: Context, result: str) -> TableView:
    """One row per PIE of an expected result: what was measured, against what, and the rating."""
    indicators = {i.id: i for i in ctx.dataset.indicators if i.result == result}
    # published marks are a column only for a package that has them
    marked = bool(ctx.dataset.biennium.settings.marks) or any(
        p.published_mark for p in ctx.dataset.pies
    )
    keys = ("baseline", "target", "actual", "rating", *(("mark",) if marked else ()), "explanation")
    rows = []
    for a in ctx.ratings.assessments:
        pie = a.pie
        if pie.indicator not in indicators:
            continue
        label = indicators[pie.indicator].text
        if pie.segment:
            label = text("format.parenthetical", text=label, note=pie.segment)
        mark = (_mark(ctx, pie.published_mark),) if marked else ()
        rows.append(
            Row(
                label,
                (
                    pie.baseline_text,
                    pie.target_text,
                    pie.actual_text,
                    text(f"rating.{a.final.value}"),
                    *mark,
                    _explanation(ctx, a),
                ),
            )
        )
    columns = tuple(Column(text(f"report.column.{key}"), "text") for key in keys)
    return TableView(
        f"pies-{result}",
        ctx.result_label(result),
        text("report.unit.none"),
        text("report.stub.indicator"),
        columns,
        tuple(rows),
        next((p.source for p in ctx.dataset.pies if p.indicator in indicators), ""),
    )


def risk_table(ctx: Context, result: str | None) -> TableView | None:
    risks = [r for r in ctx.dataset.risks if r.result == result]
    if not risks:
        return None
    rows = []
    for risk in risks:
        materialized = (
            text("report.risk.unknown")
            if risk.materialized is None
            else text(
                "report.risk.materialized" if risk.materialized else "report.risk.not_materialized"
            )
        )
        exposure = (
            text(f"report.exposure.{risk.exposure.value}")
            if risk.exposure
            else text("report.risk.unknown")
        )
        owner = ctx.sectors.get(risk.owner_sector or "", text("report.risk.unknown"))
        rows.append(Row(risk.risk, (materialized, exposure, risk.mitigation, owner)))
    columns = tuple(
        Column(text(f"report.column.{key}"), "text")
        for key in ("materialized", "exposure", "mitigation", "owner")
    )
    table_id = f"risks-{result}" if result else "risks-organizational"
    return TableView(
        table_id,
        text("report.table.risks", result=result) if result else text("report.table.org_risks"),
        text("report.unit.none"),
        text("report.stub.risk"),
        columns,
        tuple(rows),
        risks[0].source,
    )


def contributing_sectors(ctx: Context, pillar: str, prefer: list[str]) -> Text:
    """The sectors that spent under the pillar's expected results, in sector order."""
    names = [
        s.short
        for s in ctx.dataset.sectors
        if (spent := ctx.cube.cell(EXECUTED, {"pillar": pillar, "sector": s.code}, prefer).value)
        and spent > 0
    ]
    return text(
        "report.contributing_sectors",
        sectors=joined(names),
    )


def _highlight(h: Highlight) -> Text:
    """A highlight: its figure as printed, then our description. A figure in words (e.g.
    第一) is in the source language only; the description says it in the others."""
    worded = any(c.isalpha() for c in h.figure)
    source = h.text.langs[0] if h.text else ""
    return Text.build(
        h.text.langs,
        lambda lang: (
            h.text.get(lang)
            if worded and lang != source
            else text("format.figure_text", figure=h.figure, text=h.text).get(lang)
        ),
    )


def performance(ctx: Context, prefer: list[str]) -> list[Section]:
    """A section per pillar, and in it one per expected result."""
    pillars = []
    for pillar in ctx.dataset.pillars:
        results = []
        for result in (r for r in ctx.dataset.results if r.pillar == pillar.code):
            pies = pie_table(ctx, result.code)
            blocks: list[TableView] = [pies] if pies.rows else []  # no PIEs, no table
            risks = risk_table(ctx, result.code)
            if risks is not None:
                blocks.append(risks)
            if not blocks:
                continue
            results.append(
                Section(
                    f"result-{result.code}",
                    ctx.result_label(result.code),
                    tuple(blocks),
                )
            )
        highlights = [h for h in ctx.dataset.highlights if h.pillar == pillar.code]
        intro = (
            *(Paragraph(_highlight(h)) for h in highlights),
            Paragraph(contributing_sectors(ctx, pillar.code, prefer)),
        )
        pillars.append(Section(f"pillar-{pillar.code}", pillar.name, intro, tuple(results)))
    return pillars


def _mark(ctx: Context, mark: str | None) -> Text:
    """A published mark as the ratings it stands for in the package's vocabulary."""
    if not mark:
        return text("report.mark.none")
    means = ctx.dataset.biennium.settings.marks.get(mark)
    if not means:
        return Text.plain(mark)
    names = [text(f"rating.{r.value}") for r in Rating if r in means]
    if len(names) == 1:
        return names[0]
    return text(
        "report.mark.either",
        first=joined(names[:-1]),
        last=names[-1],
    )
